// bootArchive against the real thing: archives packed here with cpio and gzip from a directory holding
// Debian's static busybox and an /init script, booted under QEMU (TCG) with Debian's cloud kernel. Each
// failure class must end with its own message, and the fast ones well before the timeout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bootArchive, kvmProbe, type BootOptions } from '../../src/boot/boot.ts';
import { InitramfsError } from '../../src/errors.ts';
import { CollectingReporter } from '../../src/log.ts';
import { STATUS_PREFIX } from '../../src/initramfs/init-script.ts';
import { findKernel } from '../helpers/qemu.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

let work: string;
let kernel: string;
let counter = 0;

// The kernel gives /init no console when the archive has no /dev/console node (which only root can make):
// the script mounts devtmpfs and opens the console itself.
const PROLOGUE = '#!/bin/sh\n/bin/busybox mount -t devtmpfs dev /dev\nexec >/dev/console 2>&1\n';

/** An archive of busybox (/bin/busybox, /bin/sh) and `init` as /init, packed by cpio and gzip. */
function pack(init: string, o: { initMode?: number; compress?: 'gzip' | 'none' } = {}): string {
  const dir = join(work, `case-${counter++}`);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'dev'));
  writeFileSync(join(root, 'bin/busybox'), readFileSync('/bin/busybox'), { mode: 0o755 });
  symlinkSync('busybox', join(root, 'bin/sh'));
  writeFileSync(join(root, 'init'), PROLOGUE + init);
  chmodSync(join(root, 'init'), o.initMode ?? 0o755);
  const out = join(dir, 'initramfs');
  const compress = o.compress === 'none' ? '' : ' | gzip -6';
  execFileSync('sh', ['-c', `cd "$1" && find . | cpio -o -H newc --quiet${compress} > "$2"`, 'sh', root, out]);
  return out;
}

/** Boots with TCG (this machine's /dev/kvm, when present, hangs guests) and times the whole call. */
async function boot(archive: string, o: Partial<BootOptions> = {}) {
  const reporter = new CollectingReporter();
  const chunks: string[] = [];
  const started = performance.now();
  const r = await bootArchive({ archive, kernel, accel: 'tcg', timeoutMs: 60_000, onConsole: (c) => chunks.push(c), ...o }, reporter);
  return { ...r, elapsed: (performance.now() - started) / 1000, reporter, console: chunks.join('') };
}

/** Whether `command` is found on PATH. */
const existsOnPath = (command: string): boolean =>
  (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, command)));

/** An arm64 ELF header (EM_AARCH64 = 183): enough for the archive's architecture to be read. */
const ARM64_ELF_HEADER = (() => {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  b.writeUInt16LE(2, 16);
  b.writeUInt16LE(183, 18);
  return b;
})();

const marker = (): string => `BOOTED-${randomBytes(4).toString('hex')}`;
/** Prints `m` in two pieces, so only a script that ran can put it whole on the console (not an echo of it). */
const printMarker = (m: string): string => `printf '%s-%s\\n' ${m.slice(0, 6)} ${m.slice(7)}\n`;
const POWEROFF = '/bin/busybox poweroff -f\n';

beforeAll(async () => {
  work = await scratchDir();
  kernel = findKernel();
});
afterAll(removeScratchDirs);

describe('bootArchive succeeds on the expected line', () => {
  it('ends on the marker, with the time from start, under TCG', async () => {
    const m = marker();
    const r = await boot(pack(printMarker(m) + POWEROFF), { expect: m });
    expect(r.ok, r.tail.join('\n')).toBe(true);
    expect(r.reason).toBe('expected');
    expect(r.accel).toBe('tcg');
    expect(r.arch).toBe('amd64');
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.seconds).toBeLessThan(r.elapsed);
    expect(r.message).toBe(`booted in ${r.seconds.toFixed(1)} s (tcg)`);
    expect(r.console).toContain(m);
    expect(r.console).toContain('Linux version'); // no `quiet`: the kernel's messages are on the console
    console.log(`busybox archive (gzip) booted in ${r.seconds} s (tcg)`);
  });

  it('accel auto does not hang where KVM is missing or silent, says it uses TCG, and boots', async () => {
    const m = marker();
    const r = await boot(pack(printMarker(m) + POWEROFF), { expect: m, accel: 'auto' });
    expect(r.ok, r.tail.join('\n')).toBe(true);
    if (r.accel === 'tcg') expect(r.reporter.infos.join('\n')).toMatch(/TCG/);
    // Without KVM at all: no probe; with a silent KVM: the 8 s probe, then TCG.
    expect(r.elapsed).toBeLessThan(40);
    console.log(`accel auto: ${r.accel}, ${r.seconds} s; ${r.reporter.infos.join(' / ')}`);
  });

  it('expects the generated init status-0 line by default', async () => {
    const r = await boot(pack(`echo running\nprintf '%s%s\\n' '${STATUS_PREFIX}' 0\n${POWEROFF}`));
    expect(r.ok, r.tail.join('\n')).toBe(true);
    expect(r.reason).toBe('expected');
  });

  it('boots an uncompressed archive, its arch and memory found from its contents', async () => {
    const m = marker();
    const r = await boot(pack(printMarker(m) + POWEROFF, { compress: 'none' }), { expect: m });
    expect(r.ok, r.tail.join('\n')).toBe(true);
    expect(r.reporter.warnings).toEqual([]);
  });
});

describe('bootArchive fails fast and says why', () => {
  // Every fast failure must end well before the 60 s bound: the console decided, not the clock.
  const FAST = 30;

  it('a nonzero status line of the generated init', async () => {
    const r = await boot(pack(`printf '%s%s\\n' '${STATUS_PREFIX}' 3\n/bin/busybox sleep 600\n`));
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('failure');
    expect(r.message).toBe('the command exited with status 3');
    expect(r.elapsed).toBeLessThan(FAST);
  });

  it('a panicking /init (it exits)', async () => {
    const r = await boot(pack('echo about to exit\nexit 1\n'), { expect: marker() });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('failure');
    expect(r.message).toMatch(/^kernel panic: Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100$/);
    expect(r.tail.join('\n')).toContain('Attempted to kill init');
    expect(r.elapsed).toBeLessThan(FAST);
  });

  it('a non-executable /init', async () => {
    const r = await boot(pack(POWEROFF, { initMode: 0o644 }), { expect: marker() });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('failure');
    expect(r.message).toBe('the kernel could not run /init: Failed to execute /init (error -13)');
    expect(r.elapsed).toBeLessThan(FAST);
  });

  it('a truncated gzip archive', async () => {
    const archive = pack(printMarker(marker()) + POWEROFF);
    truncateSync(archive, Math.floor(statSync(archive).size / 2));
    const r = await boot(archive, { expect: marker() });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('failure');
    expect(r.message).toMatch(/^the kernel could not unpack the archive: Initramfs unpacking failed: /);
    // The archive could not be read to its end here either: the user is told before the boot.
    expect(r.reporter.warnings.join('\n')).toMatch(/could not be read to its end/);
    expect(r.elapsed).toBeLessThan(FAST);
    console.log(`truncated archive: ${r.message}`);
  });

  it('a hang, until the timeout', async () => {
    const m = marker();
    const r = await boot(pack('echo hanging\nexec /bin/busybox sleep 600\n'), { expect: m, timeoutMs: 10_000 });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('timeout');
    expect(r.message).toBe(`no "${m}" on the console after 10 s`);
    expect(r.tail).toContain('hanging');
    expect(r.elapsed).toBeGreaterThanOrEqual(10);
    expect(r.elapsed).toBeLessThan(15);
  });

  it('QEMU exiting before the line (the guest powers off)', async () => {
    const m = marker();
    const r = await boot(pack(`echo bye\n${POWEROFF}`), { expect: m });
    expect(r.ok).toBe(false);
    expect(r.reason).toBe('exit');
    expect(r.message).toBe(`QEMU exited before "${m}" appeared`);
  });
});

describe("accel auto's KVM probe", () => {
  // A stand-in for this machine's broken KVM: /dev/kvm is a plain file that opens read-write, and a
  // qemu-system-x86_64 wrapper first on PATH plays KVM as $FAKE_KVM says, running the real QEMU (TCG) else.
  const WRAPPER = `#!/bin/sh
kvm=no
for a in "$@"; do [ "$a" = kvm ] && kvm=yes; done
if [ $kvm = yes ]; then
  case "$FAKE_KVM" in
    silent) exec sleep 600 ;;
    fail) echo "qemu-system-x86_64: failed to initialize kvm: Permission denied" >&2; exit 1 ;;
  esac
  for a in "$@"; do shift; [ "$a" = kvm ] && a=tcg; set -- "$@" "$a"; done
fi
exec /usr/bin/qemu-system-x86_64 "$@"
`;
  async function withFakeKvm(mode: 'silent' | 'fail' | 'works', f: () => Promise<void>): Promise<void> {
    const bin = join(work, `fake-kvm-${counter++}`);
    mkdirSync(bin);
    writeFileSync(join(bin, 'qemu-system-x86_64'), WRAPPER, { mode: 0o755 });
    writeFileSync(join(bin, 'kvm'), '');
    const saved = { path: process.env.PATH, fake: process.env.FAKE_KVM, probe: { ...kvmProbe } };
    process.env.PATH = `${bin}:${saved.path}`;
    process.env.FAKE_KVM = mode;
    Object.assign(kvmProbe, { device: join(bin, 'kvm'), ms: 2_000 });
    try {
      await f();
    } finally {
      process.env.PATH = saved.path;
      if (saved.fake === undefined) delete process.env.FAKE_KVM;
      else process.env.FAKE_KVM = saved.fake;
      Object.assign(kvmProbe, saved.probe);
    }
  }

  it('a silent KVM guest is killed after the probe and the boot runs under TCG', async () => {
    await withFakeKvm('silent', async () => {
      const m = marker();
      const r = await boot(pack(printMarker(m) + POWEROFF), { expect: m, accel: 'auto', timeoutMs: 30_000 });
      expect(r.ok, r.tail.join('\n')).toBe(true);
      expect(r.accel).toBe('tcg');
      expect(r.reporter.infos).toEqual(['a KVM guest printed nothing within 2 s (KVM does not work here); booting with TCG instead']);
      expect(r.elapsed).toBeGreaterThanOrEqual(2);
      expect(r.elapsed).toBeLessThan(2 + 20);
      // seconds is the TCG boot's own time, not the probe's.
      expect(r.seconds).toBeLessThan(r.elapsed - 1.9);
    });
  });

  it('a QEMU that cannot start KVM is followed by TCG, with its reason', async () => {
    await withFakeKvm('fail', async () => {
      const m = marker();
      const r = await boot(pack(printMarker(m) + POWEROFF), { expect: m, accel: 'auto' });
      expect(r.ok, r.tail.join('\n')).toBe(true);
      expect(r.accel).toBe('tcg');
      expect(r.reporter.infos).toEqual([
        'QEMU could not boot with KVM (qemu-system-x86_64: failed to initialize kvm: Permission denied); booting with TCG instead',
      ]);
    });
  });

  it('a KVM guest that prints is kept', async () => {
    await withFakeKvm('works', async () => {
      const m = marker();
      const r = await boot(pack(printMarker(m) + POWEROFF), { expect: m, accel: 'auto' });
      expect(r.ok, r.tail.join('\n')).toBe(true);
      expect(r.accel).toBe('kvm');
      expect(r.reporter.infos).toEqual([]);
    });
  });

  it("accel 'kvm' is not probed: a silent guest runs into the timeout", async () => {
    await withFakeKvm('silent', async () => {
      const m = marker();
      const r = await boot(pack(POWEROFF), { expect: m, accel: 'kvm', timeoutMs: 4_000 });
      expect(r.reason).toBe('timeout');
      expect(r.accel).toBe('kvm');
      expect(r.message).toBe(`no "${m}" on the console after 4 s`);
    });
  });
});

describe('bootArchive ends QEMU and refuses what it cannot boot', () => {
  it('an abort kills QEMU and rejects with the reason', async () => {
    const ac = new AbortController();
    const started = performance.now();
    setTimeout(() => ac.abort(new Error('stop now')), 1_000);
    await expect(boot(pack('exec /bin/busybox sleep 600\n'), { expect: marker(), signal: ac.signal })).rejects.toThrow('stop now');
    expect((performance.now() - started) / 1000).toBeLessThan(5);
  });

  it('a missing QEMU names the package to install', async () => {
    const archive = pack(POWEROFF);
    const path = process.env.PATH;
    process.env.PATH = join(work, 'empty-path');
    try {
      const e = await bootArchive({ archive, kernel, accel: 'tcg' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(InitramfsError);
      expect((e as InitramfsError).code).toBe('BOOT');
      expect((e as Error).message).toMatch(/^qemu-system-x86_64 is not installed .*apt-get install qemu-system-x86\b/);
    } finally {
      process.env.PATH = path;
    }
  });

  it.skipIf(existsOnPath('qemu-system-aarch64'))('an arm64 archive needs qemu-system-aarch64, and says which package has it', async () => {
    // The architecture comes from the archive's own busybox: arm64 here, so amd64's QEMU is not tried.
    const dir = join(work, `arm64-${counter++}`);
    mkdirSync(join(dir, 'root/bin'), { recursive: true });
    const arm64 = join(homedir(), '.cache/initramfs-test/busybox-arm64');
    writeFileSync(join(dir, 'root/bin/busybox'), existsSync(arm64) ? readFileSync(arm64) : ARM64_ELF_HEADER, { mode: 0o755 });
    const archive = join(dir, 'initramfs');
    execFileSync('sh', ['-c', 'cd "$1" && find . | cpio -o -H newc --quiet | gzip > "$2"', 'sh', join(dir, 'root'), archive]);
    const e = await bootArchive({ archive, kernel, accel: 'tcg' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((e as InitramfsError).code).toBe('BOOT');
    expect((e as Error).message).toMatch(/^qemu-system-aarch64 is not installed .*apt-get install qemu-system-arm\b/);
  });

  it('a missing kernel or archive is a usage error', async () => {
    const archive = pack(POWEROFF);
    for (const o of [{ archive, kernel: join(work, 'no-kernel') }, { archive: join(work, 'no-archive'), kernel }]) {
      const e = await bootArchive(o).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect((e as InitramfsError).code).toBe('USAGE');
      expect((e as Error).message).toMatch(/cannot be read \(no such file\)/);
    }
  });
});
