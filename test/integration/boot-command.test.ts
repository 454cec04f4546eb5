// `initramfs-action boot` and `build --boot-test`, as users run them: the CLI in its own process, QEMU
// for real (Debian's cloud kernel, TCG), archives built by the CLI from images made in code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxOnlyImage, writeOciLayoutRef, type TestImage } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { findKernel } from '../helpers/qemu.ts';
import { runCli } from '../helpers/cli.ts';
import { startRegistry } from '../helpers/registry.ts';
import { pushLayout } from '../helpers/push.ts';

const KERNEL = findKernel();
let work: string;
let counter = 0;

const shellLess = (script: string): TestImage => busyboxOnlyImage(script);

const layout = (image: TestImage): string => writeOciLayoutRef(join(work, `layout-${counter++}`), image);

async function built(script: string): Promise<string> {
  const out = join(work, `out-${counter++}.cpio.gz`);
  const r = await runCli(['build', layout(shellLess(script)), '-o', out, '--cache-dir', join(work, 'cache')]);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

const boot = (archive: string, ...args: string[]) => runCli(['boot', archive, '--cache-dir', join(work, 'cache'), ...args]);

beforeAll(async () => {
  work = await scratchDir();
});
afterAll(removeScratchDirs);

describe('boot', () => {
  it('a generated-init archive needs no --expect: its status-0 line is the proof; --accel auto (the default) ends in a boot here', async () => {
    const archive = await built('echo hello from the guest');
    const started = performance.now();
    const r = await boot(archive, '--kernel', KERNEL);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^booted in \d+\.\d s \((kvm|tcg), amd64\)$/m);
    expect(performance.now() - started).toBeLessThan(100_000);
  });

  it('a command that fails is a failed boot at once, with the status and the console tail', async () => {
    const archive = await built('echo about to fail; exit 3');
    const started = performance.now();
    const r = await boot(archive, '--kernel', KERNEL, '--accel', 'tcg', '--timeout', '100s');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[BOOT\]: .*status 3/m);
    expect(r.stderr).toContain('about to fail');
    // Ended by the line, not by the 100 s bound.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('--expect, --append and --memory reach the guest', async () => {
    // Printed by the guest from what it sees; the kernel's own "Command line:" log line holds the word too,
    // so the expectation is the guest's verdict, not the word.
    const archive = await built(
      'echo "CHECK-$(/busybox grep -c marker.word=42 /proc/cmdline)-$(/busybox awk \'/MemTotal/ { print ($2 > 200000 && $2 < 310000) }\' /proc/meminfo)"',
    );
    const r = await boot(archive, '--kernel', KERNEL, '--accel', 'tcg', '--expect', 'CHECK-1-1', '--append', 'marker.word=42', '--memory', '300');
    expect(r.code, r.stderr).toBe(0);
  });

  it('--network gives the guest a user-mode network card, which a --network dhcp init configures', async () => {
    const modules = readdirSync('/lib/modules').find((v) => v.endsWith('-cloud-amd64'))!;
    const out = join(work, `net-${counter++}.cpio.gz`);
    const script = '/busybox ip -4 -o addr show dev eth0 | /busybox grep -q "inet 10.0.2.15/24" && echo "NET-$((40 + 2))"';
    const b = await runCli(['build', layout(shellLess(script)), '-o', out, '--cache-dir', join(work, 'cache'), '--network', 'dhcp', '--modules-dir', join('/lib/modules', modules), '--module', 'virtio_mmio', '--module', 'virtio_net']);
    expect(b.code, b.stderr).toBe(0);
    const r = await boot(out, '--kernel', KERNEL, '--accel', 'tcg', '--network', '--expect', 'NET-42');
    expect(r.code, r.stderr).toBe(0);
    // Without the card there is nothing to configure: the expected line never comes.
    const none = await boot(out, '--kernel', KERNEL, '--accel', 'tcg', '--expect', 'NET-42', '--timeout', '40s');
    expect(none.code).toBe(1);
  });

  it('--kernel-image pulls the kernel out of an image in a registry (LinuxKit keeps it at /kernel), once', async () => {
    const kernelLayout = layout({ layers: [{ entries: [{ name: 'kernel', content: readFileSync(KERNEL), mode: 0o644 }] }] });
    const registry = await startRegistry();
    try {
      const [dir, ref] = kernelLayout.slice('oci:'.length).split(/:(?=[^:]*$)/) as [string, string];
      const digest = await pushLayout(dir, ref, registry.host, 'kernels/debian-cloud:6.1');
      const archive = await built('true');
      const reference = `${registry.host}/kernels/debian-cloud:6.1`;
      const cache = join(work, 'kernel-cache');
      const r = await runCli(['boot', archive, '--kernel-image', reference, '--accel', 'tcg', '--cache-dir', cache]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^booted in /m);
      expect(r.stderr).toContain(`with ${reference}`);
      // Pinned by digest, the kernel in the cache is the kernel: the next boot needs no registry at all.
      const pinned = `${registry.host}/kernels/debian-cloud@${digest}`;
      const first = await runCli(['boot', archive, '--kernel-image', pinned, '--accel', 'tcg', '--cache-dir', cache]);
      expect(first.code, first.stderr).toBe(0);
      await registry.stop();
      const again = await runCli(['boot', archive, '--kernel-image', pinned, '--accel', 'tcg', '--cache-dir', cache]);
      expect(again.code, again.stderr).toBe(0);
    } finally {
      await registry.stop();
    }
  });

  it('mistakes are exit 2 naming the option: no kernel, a file that is no kernel, a bad --accel, --memory or --timeout', async () => {
    const archive = await built('true');
    const cases: Array<[string[], RegExp]> = [
      [[], /missing --kernel FILE or --kernel-image REF/],
      [['--kernel', '/etc/hostname'], /--kernel '\/etc\/hostname' is not a Linux kernel/],
      [['--kernel', KERNEL, '--accel', 'hvf'], /--accel 'hvf': expected auto, kvm or tcg/],
      [['--kernel', KERNEL, '--memory', 'lots'], /--memory 'lots': expected MiB/],
      [['--kernel', KERNEL, '--timeout', 'soon'], /--timeout 'soon': expected a duration/],
      [['--kernel', KERNEL, '--kernal', 'x'], /unknown option '--kernal'/],
    ];
    for (const [args, message] of cases) {
      const r = await boot(archive, ...args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const help = await runCli(['boot', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('initramfs-action boot ARCHIVE');
  });
});

describe('build --boot-test', () => {
  it('boots what it built, after the digest and size lines', async () => {
    const out = join(work, 'boot-test.cpio.zst');
    const r = await runCli(['build', layout(shellLess('echo built and booted')), '-o', out, '--cache-dir', join(work, 'cache'), '--boot-test', '--boot-kernel', KERNEL, '--boot-accel', 'tcg']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digest: sha256:[0-9a-f]{64}\nsize: \d+\nbooted in \d+\.\d s \(tcg, amd64\)\n$/);
  });

  it('a build that does not boot exits 1 with the reason; the archive stays for a look', async () => {
    const out = join(work, 'no-boot.cpio.gz');
    const r = await runCli(['build', layout(shellLess('exit 7')), '-o', out, '--cache-dir', join(work, 'cache'), '--boot-test', '--boot-kernel', KERNEL, '--boot-accel', 'tcg']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[BOOT\]: .*status 7/m);
    expect(readFileSync(out).length).toBeGreaterThan(0);
  });

  it('--boot-* options need --boot-test, and --boot-test needs a kernel', async () => {
    const ref = layout(shellLess('true'));
    const out = join(work, 'x.cpio.gz');
    const a = await runCli(['build', ref, '-o', out, '--boot-kernel', KERNEL]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--boot-kernel needs --boot-test/);
    const b = await runCli(['build', ref, '-o', out, '--boot-test']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/missing --boot-kernel FILE or --boot-kernel-image REF/);
  });
});
