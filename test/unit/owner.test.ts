// The proof that the owner of a scratch directory is dead (src/owner.ts): the rules one by one on
// described machines, then on this machine against real processes — a live one, one that exited, and a
// live one whose PID an owner file names with another start time (a reused PID).
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { currentOwner, here, ownerIsDead, parseOwner, statStartTime, type Here, type Owner } from '../../src/owner.ts';

const linux: Owner = {
  v: 1,
  pid: 4242,
  platform: 'linux',
  host: 'builder',
  bootTime: 1_700_000_000,
  created: 1_700_000_500_000,
  boot: 'b0b0b0b0-0000-4000-8000-000000000001',
  start: '123456',
  pidns: 'pid:[4026531836]',
  timens: 'time:[4026531834]',
  machine: '0123456789abcdef0123456789abcdef',
};

/** A sweep on `self`, where /proc answers `start` for every PID and kill(PID, 0) answers `exists`. */
const on = (self: Owner, start: string | null | undefined, exists: boolean, procIsOurs = true): Here => ({
  self,
  procIsOurs,
  startOf: () => start,
  exists: () => exists,
});

describe('on Linux, the same kernel (boot_id) and namespaces: /proc decides', () => {
  const self = { ...linux, pid: 1 };
  test('a PID that /proc does not know and kill() cannot find is dead', () => {
    expect(ownerIsDead(linux, on(self, null, false))).toBe(true);
  });
  test('a PID that /proc hides but kill() finds (hidepid) is alive', () => {
    expect(ownerIsDead(linux, on(self, null, true))).toBe(false);
  });
  test('the same PID with the same start time is alive; with another start time it was reused and the owner is dead', () => {
    expect(ownerIsDead(linux, on(self, '123456', true))).toBe(false);
    expect(ownerIsDead(linux, on(self, '999999', true))).toBe(true);
  });
  test('a /proc/PID/stat that cannot be read proves nothing', () => {
    expect(ownerIsDead(linux, on(self, undefined, false))).toBe(false);
  });
  test('another PID or time namespace, or a /proc of another namespace, proves nothing', () => {
    expect(ownerIsDead(linux, on({ ...self, pidns: 'pid:[4026532000]' }, null, false))).toBe(false);
    expect(ownerIsDead(linux, on({ ...self, timens: 'time:[4026532001]' }, null, false))).toBe(false);
    expect(ownerIsDead(linux, on(self, null, false, false))).toBe(false);
  });
  test('an owner file without a start time proves nothing', () => {
    const { start: _, ...noStart } = linux;
    expect(ownerIsDead(noStart, on(self, '999999', true))).toBe(false);
  });
});

describe('on Linux, another kernel (boot_id)', () => {
  const rebooted: Owner = { ...linux, pid: 1, boot: 'b0b0b0b0-0000-4000-8000-000000000002', bootTime: 1_700_100_000 };
  test('an earlier boot of this machine (hostname and machine-id, created before this boot) is dead: the power cut', () => {
    expect(ownerIsDead(linux, on(rebooted, null, false))).toBe(true);
  });
  test('another machine sharing the cache proves nothing, whatever /proc says here', () => {
    expect(ownerIsDead(linux, on({ ...rebooted, host: 'other' }, null, false))).toBe(false);
    expect(ownerIsDead(linux, on({ ...rebooted, machine: 'fedcba9876543210fedcba9876543210' }, null, false))).toBe(false);
    expect(ownerIsDead({ ...linux, machine: '' }, on({ ...rebooted, machine: '' }, null, false))).toBe(false);
  });
  test('an owner created after this boot began ran on another machine (same names, cloned): proves nothing', () => {
    expect(ownerIsDead({ ...linux, created: rebooted.bootTime * 1000 + 1 }, on(rebooted, null, false))).toBe(false);
  });
  test('an owner file without a boot_id (no /proc where it ran) proves nothing', () => {
    const { boot: _, ...noBoot } = linux;
    expect(ownerIsDead(noBoot, on(rebooted, null, false))).toBe(false);
  });
});

describe('macOS and Windows: no /proc', () => {
  const mac: Owner = { v: 1, pid: 777, platform: 'darwin', host: 'mac.local', bootTime: 1_700_000_000, created: 1_700_000_100_000 };
  test('the same machine since the same boot, and no process with the PID: dead', () => {
    expect(ownerIsDead(mac, on({ ...mac, pid: 1, bootTime: mac.bootTime + 2 }, undefined, false))).toBe(true);
  });
  test('a process with the PID (perhaps another one) keeps the files', () => {
    expect(ownerIsDead(mac, on({ ...mac, pid: 1 }, undefined, true))).toBe(false);
  });
  test('another boot, another host or another platform proves nothing', () => {
    expect(ownerIsDead(mac, on({ ...mac, pid: 1, bootTime: mac.bootTime + 3600 }, undefined, false))).toBe(false);
    expect(ownerIsDead(mac, on({ ...mac, pid: 1, host: 'other.local' }, undefined, false))).toBe(false);
    expect(ownerIsDead(mac, on({ ...mac, pid: 1, platform: 'win32' }, undefined, false))).toBe(false);
    expect(ownerIsDead(linux, on({ ...mac, pid: 1 }, undefined, false))).toBe(false);
  });
});

describe('owner files', () => {
  test('field 22 of /proc/PID/stat is found after a command name holding spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    expect(statStartTime(`12 (a) b (c) ${fields.join(' ')}`)).toBe('22');
    expect(statStartTime('12 (short) S 1')).toBeUndefined();
  });
  test('a cut or foreign file is no owner', () => {
    const text = JSON.stringify(currentOwner());
    expect(parseOwner(text)).toMatchObject({ v: 1, pid: process.pid });
    expect(parseOwner(text.slice(0, -3))).toBeUndefined();
    expect(parseOwner(JSON.stringify({ ...currentOwner(), v: 2 }))).toBeUndefined();
    expect(parseOwner(JSON.stringify({ ...currentOwner(), pid: '1' }))).toBeUndefined();
    expect(parseOwner('null')).toBeUndefined();
  });
});

describe.runIf(process.platform === 'linux')('on this machine, with real processes', () => {
  /** The owner file a process `pid` would write: ours, with its PID and its start time from /proc. */
  const ownerOf = (pid: number, start = here().startOf(pid)): Owner => {
    expect(typeof start).toBe('string');
    return { ...currentOwner(), pid, start: start as string };
  };

  test('this process is alive and describes itself completely', () => {
    const me = currentOwner();
    expect(me).toMatchObject({ pid: process.pid, platform: 'linux' });
    expect(me.boot).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.start).toMatch(/^\d+$/);
    expect(me.pidns).toMatch(/^pid:\[\d+\]$/);
    expect(here().procIsOurs).toBe(true);
    expect(ownerIsDead(me, here())).toBe(false);
  });

  test('a child is alive while it runs and dead once it exited; a live PID with another start time is a reused PID', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(child, 'spawn');
      const owner = ownerOf(child.pid!);
      expect(ownerIsDead(owner, here())).toBe(false);
      expect(ownerIsDead({ ...owner, start: String(Number(owner.start) + 1) }, here())).toBe(true);
      child.kill('SIGKILL');
      await once(child, 'exit');
      expect(ownerIsDead(owner, here())).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 10_000);
});
