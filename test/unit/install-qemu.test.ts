import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { installQemu, onPath, qemuPlan, type QemuHost } from '../../src/boot/install-qemu.ts';
import { failure } from '../helpers/errors.ts';

const host = (over: Partial<QemuHost>): QemuHost => ({ platform: 'linux', qemuOnPath: false, aptGet: true, root: false, sudo: true, ...over });

describe('qemuPlan', () => {
  it('does nothing when the binary is on PATH, whatever else the host has', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      for (const aptGet of [true, false]) {
        for (const root of [true, false]) {
          for (const sudo of [true, false]) {
            expect(qemuPlan('amd64', { platform, qemuOnPath: true, aptGet, root, sudo })).toEqual({ kind: 'present', command: 'qemu-system-x86_64' });
          }
        }
      }
    }
    expect(qemuPlan('arm64', host({ qemuOnPath: true }))).toEqual({ kind: 'present', command: 'qemu-system-aarch64' });
  });

  it('installs with sudo -n apt-get on Linux with passwordless sudo (GitHub hosted runners), the package for the arch', () => {
    expect(qemuPlan('amd64', host({}))).toEqual({
      kind: 'install',
      command: 'qemu-system-x86_64',
      package: 'qemu-system-x86',
      commands: [
        ['sudo', '-n', 'apt-get', 'update'],
        ['sudo', '-n', 'apt-get', 'install', '-y', '--no-install-recommends', 'qemu-system-x86'],
      ],
    });
    const arm = qemuPlan('arm64', host({}));
    expect(arm).toMatchObject({ kind: 'install', command: 'qemu-system-aarch64', package: 'qemu-system-arm' });
    expect(arm.kind === 'install' && arm.commands[1]).toEqual(['sudo', '-n', 'apt-get', 'install', '-y', '--no-install-recommends', 'qemu-system-arm']);
  });

  it('installs without sudo as root (a container job), with or without sudo', () => {
    for (const sudo of [true, false]) {
      const plan = qemuPlan('amd64', host({ root: true, sudo }));
      expect(plan.kind === 'install' && plan.commands).toEqual([
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', '--no-install-recommends', 'qemu-system-x86'],
      ]);
    }
  });

  it('cannot install, and says what to install and why not, in every other case', () => {
    const cases: [Partial<QemuHost>, RegExp][] = [
      [{ aptGet: false }, /apt-get is not on PATH/],
      [{ aptGet: false, root: true }, /apt-get is not on PATH/],
      [{ aptGet: false, sudo: false }, /apt-get is not on PATH/],
      [{ sudo: false }, /installing needs root or passwordless sudo \(`sudo -n true` failed\)/],
    ];
    for (const [over, why] of cases) {
      const plan = qemuPlan('amd64', host(over));
      expect(plan.kind, JSON.stringify(over)).toBe('cannot');
      const message = plan.kind === 'cannot' ? plan.message : '';
      expect(message).toMatch(why);
      expect(message).toMatch(/^qemu-system-x86_64 is not on PATH and cannot be installed here \(/);
      expect(message).toContain('apt-get install qemu-system-x86');
    }
    const arm = qemuPlan('arm64', host({ sudo: false }));
    expect(arm.kind === 'cannot' && arm.message).toMatch(/^qemu-system-aarch64 .*apt-get install qemu-system-arm/);
  });

  it('never installs on macOS or Windows runners, whatever they have: the message says how to get QEMU there', () => {
    const said = (over: Partial<QemuHost>): string => {
      const plan = qemuPlan('amd64', host(over));
      expect(plan.kind, JSON.stringify(over)).toBe('cannot');
      return plan.kind === 'cannot' ? plan.message : '';
    };
    for (const over of [{}, { root: true }, { aptGet: false, sudo: false }]) {
      expect(said({ platform: 'darwin', ...over })).toMatch(/^qemu-system-x86_64 is not on PATH and cannot be installed here \(this runner is darwin, not Linux\): install QEMU before this step \(macOS: brew install qemu\), or run the job on a Linux runner/);
      expect(said({ platform: 'win32', ...over })).toMatch(/^qemu-system-x86_64 is not on PATH and cannot be installed here \(this runner is win32, not Linux\): install QEMU before this step \(Windows: choco install qemu, then add QEMU's directory \(C:\\Program Files\\qemu\) to PATH\)/);
    }
    expect(said({ platform: 'darwin' })).not.toContain('apt-get install');
    expect(said({ platform: 'win32' })).not.toContain('apt-get install');
  });
});

describe('onPath', () => {
  it('finds an executable file in a PATH directory, not a plain file nor a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'on-path-'));
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'data'), '');
    chmodSync(join(dir, 'data'), 0o644);
    mkdirSync(join(dir, 'sub'));
    const path = ['', '/nonexistent', dir].join(delimiter);
    expect(await onPath('tool', path)).toBe(true);
    expect(await onPath('missing', path)).toBe(false);
    expect(await onPath('sub', path)).toBe(false);
    expect(await onPath('tool', undefined)).toBe(false);
    if (process.getuid?.() !== 0) expect(await onPath('data', path)).toBe(false);
  });

  it("on Windows finds what spawn() runs: NAME, NAME.com or NAME.exe in PATH's ;-separated directories, not NAME.cmd", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'on-path-win-'));
    // No executable bit: Windows has none, and the search must not ask for one.
    writeFileSync(join(dir, 'qemu-system-x86_64.exe'), 'MZ');
    chmodSync(join(dir, 'qemu-system-x86_64.exe'), 0o644);
    writeFileSync(join(dir, 'qemu-img.com'), 'MZ');
    writeFileSync(join(dir, 'apt-get.cmd'), '@echo off');
    mkdirSync(join(dir, 'qemu-system-aarch64.exe'));
    const path = `C:\\Windows\\System32;;${dir}`;
    expect(await onPath('qemu-system-x86_64', path, 'win32')).toBe(true);
    expect(await onPath('qemu-img', path, 'win32')).toBe(true);
    expect(await onPath('apt-get', path, 'win32')).toBe(false);
    expect(await onPath('qemu-system-aarch64', path, 'win32')).toBe(false);
    // The same directory on Linux: no bare name there, and ';' does not split PATH.
    expect(await onPath('qemu-system-x86_64', dir, 'linux')).toBe(false);
    expect(await onPath('qemu-system-x86_64.exe', path, 'linux')).toBe(false);
  });
});

describe('installQemu', () => {
  // Stand-in commands: the real apt-get is never run by tests.
  const plan = (commands: string[][], command = 'sh') => ({ kind: 'install' as const, command, package: 'qemu-system-x86', commands });

  it('runs each command in order, every output line logged, with a noninteractive apt', async () => {
    const log: string[] = [];
    await installQemu(plan([['sh', '-c', 'echo one; echo two >&2'], ['sh', '-c', 'printf "$DEBIAN_FRONTEND"']]), (l) => log.push(l));
    expect(log).toEqual(["$ sh -c echo one; echo two >&2", 'one', 'two', '$ sh -c printf "$DEBIAN_FRONTEND"', 'noninteractive']);
  });

  it('stops at a command that fails, naming it and the package to install', async () => {
    const log: string[] = [];
    const e = await failure(installQemu(plan([['sh', '-c', 'exit 100'], ['sh', '-c', 'echo never']]), (l) => log.push(l)));
    expect(e.code).toBe('BOOT');
    expect(e.message).toBe('installing QEMU failed: `sh -c exit 100` exited with status 100; install qemu-system-x86 before this step');
    expect(log).not.toContain('never');
    const missing = await failure(installQemu(plan([['no-such-command-here']]), () => {}));
    expect(missing.message).toMatch(/`no-such-command-here` could not start \(ENOENT\)/);
  });

  it('fails when the install succeeded but the binary is still not on PATH', async () => {
    const e = await failure(installQemu(plan([['true']], 'qemu-system-nothing'), () => {}));
    expect(e.message).toBe('qemu-system-x86 was installed but qemu-system-nothing is still not on PATH');
  });
});
