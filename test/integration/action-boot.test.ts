// The action's boot-test input, through the bundled action (`node dist/index.js` with INPUT_*), booting
// for real: Debian's cloud kernel under QEMU (TCG here), archives built by the action from images made in
// code. Outputs, the job summary's "Boot test" section, the console's log group, and the runner without
// QEMU that cannot install it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxOnlyImage, writeOciLayoutRef, type TestImage } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { findKernel } from '../helpers/qemu.ts';
import { runAction, type ActionRun } from '../helpers/action.ts';

const KERNEL = findKernel();
let work: string;
let workspace: string;
let counter = 0;

const shellLess = (script: string): TestImage => busyboxOnlyImage(script);

const layout = (image: TestImage): string => writeOciLayoutRef(join(work, `layout-${counter++}`), image);

const run = (inputs: Record<string, string>, env?: Record<string, string>): Promise<ActionRun> =>
  runAction({ cache: 'false', ...inputs }, { workspace, runnerTemp: join(work, `temp-${counter++}`), ...(env && { env }) });

/** The lines of the log group `title`, which must be opened and closed once. */
function group(stdout: string, title: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.indexOf(`::group::${title}`);
  expect(start, `no group ${title} in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('::endgroup::', start);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end);
}

beforeAll(async () => {
  work = await scratchDir('action-boot-');
  workspace = join(work, 'workspace');
  mkdirSync(workspace, { recursive: true });
  // A kernel file in the workspace, named relative to it.
  symlinkSync(KERNEL, join(workspace, 'vmlinuz'));
});
afterAll(removeScratchDirs);

describe('boot-test: true', () => {
  it('boots a generated-init archive with a kernel file in the workspace: outputs, summary, the console in its log group', async () => {
    const output = join(work, 'hello.cpio.gz');
    const r = await run({
      image: layout(shellLess('echo hello from the guest; echo ::warning::from the guest')),
      output,
      upload: 'none',
      'boot-test': 'true',
      'boot-kernel': 'vmlinuz',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs['boot-result']).toBe('passed');
    expect(Number(r.outputs['boot-seconds'])).toBeGreaterThan(0);
    expect(r.outputs['path']).toBe(output);

    const console = group(r.stdout, `boot: ${output}`);
    expect(console.join('\n')).toMatch(/Linux version/);
    expect(console).toContain('hello from the guest');
    expect(console.at(-2)).toMatch(/^booted in \d+\.\d s \(tcg\)/);
    expect(console.at(-1)).toMatch(/^boot: .* took \d+\.\d s$/);
    // The guest's lines stream with workflow commands stopped: its ::warning:: is text, not an annotation.
    // (The runner obeys ::stop-commands::TOKEN until ::TOKEN::; the test helper reads every line.)
    const stop = console.findIndex((l) => l.startsWith('::stop-commands::'));
    expect(stop).toBeGreaterThanOrEqual(0);
    const resume = console.indexOf(`::${console[stop]!.slice('::stop-commands::'.length)}::`);
    expect(resume).toBeGreaterThan(stop);
    const guestWarning = console.indexOf('::warning::from the guest');
    expect(guestWarning).toBeGreaterThan(stop);
    expect(guestWarning).toBeLessThan(resume);
    // Checked before the build, in a group of its own.
    expect(r.stdout.indexOf(`::group::boot: kernel vmlinuz`)).toBeLessThan(r.stdout.indexOf('::group::pull'));

    expect(r.summary).toContain('### Boot test: passed');
    expect(r.summary).toMatch(/^\| Result \| passed: booted in \d+\.\d s \(tcg\) \|$/m);
    expect(r.summary).toMatch(new RegExp(`^\\| Seconds \\| ${Number(r.outputs['boot-seconds']).toFixed(2)} \\|$`, 'm'));
    expect(r.summary).toMatch(/^\| Accel \| tcg \(emulation\) \|$/m);
    expect(r.summary).toContain(`| Kernel | \`${join(workspace, 'vmlinuz')}\` |`);
    expect(r.summary).toContain('| Expected | `initramfs-action: command exited with status 0` |');
    expect(r.summary).not.toContain("console's last");
  });

  it('a command that fails fails the action after the summary: boot-result failed, the console tail, nothing published', async () => {
    const output = join(work, 'fails.cpio.gz');
    const started = performance.now();
    // upload artifact (the default): publishing would fail here without the artifact service, so the one
    // error line also proves that nothing was published.
    const r = await run({ image: layout(shellLess('echo about to fail; exit 3')), output, 'boot-test': 'true', 'boot-kernel': KERNEL, 'boot-timeout': '100s' });
    expect(r.code).toBe(1);
    expect(performance.now() - started).toBeLessThan(90_000);
    expect(r.errors, r.stdout).toHaveLength(1);
    expect(r.errors[0]).toMatch(new RegExp(`^${output.replace(/[.]/g, '\\.')} did not boot: .*status 3.* \\[BOOT\\]$`));
    expect(r.outputs['boot-result']).toBe('failed');
    expect(Number(r.outputs['boot-seconds'])).toBeGreaterThan(0);
    expect(r.outputs['artifact-id']).toBeUndefined();
    expect(r.stdout).not.toMatch(/^::group::publish/m);
    expect(existsSync(output)).toBe(true);

    expect(r.summary).toContain('### Boot test: failed');
    expect(r.summary).toMatch(/^\| Result \| failed: .*status 3 \|$/m);
    expect(r.summary).toContain('| Published | not published: the boot test failed |');
    expect(r.summary).toMatch(/^## initramfs: fails\.cpio\.gz from .* \(failed\)$/m);
    expect(r.summary).toContain('| Failed at | boot test |');
    expect(r.summary).toContain('| Code | `BOOT` |');
    const tail = /The console's last (\d+) lines?:\n\n```text\n([\s\S]*?)\n```\n/.exec(r.summary);
    expect(tail, r.summary).not.toBeNull();
    expect(tail![2]).toContain('about to fail');
    expect(tail![2]!.split('\n')).toHaveLength(Number(tail![1]));
    // The summary was written before the failure: the error is the last command.
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^::error::/);
  });

  it('takes the kernel out of a local OCI layout kernel image (/kernel), with boot-expect and boot-append reaching the guest', async () => {
    const kernelImage = layout({ layers: [{ entries: [{ name: 'kernel', content: readFileSync(KERNEL), mode: 0o644 }] }] });
    // The guest's own verdict on its command line: the kernel's "Command line:" echo holds the word too.
    const r = await run({
      image: layout(shellLess('echo "CHECK-$(/busybox grep -c marker.word=42 /proc/cmdline)-done"; sleep 600')),
      upload: 'none',
      'boot-test': 'true',
      'boot-kernel': kernelImage,
      'boot-expect': 'CHECK-1-done',
      'boot-append': 'marker.word=42',
      'boot-timeout': '90s',
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs['boot-result']).toBe('passed');
    expect(r.stdout).toMatch(/kept in the cache/);
    expect(r.summary).toContain(`| Kernel | \`${kernelImage}\``);
    expect(r.summary).toContain('| Expected | `CHECK-1-done` |');
  });

  it('boot-result is skipped when boot-test is false', async () => {
    const r = await run({ image: layout(shellLess('true')), upload: 'none' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.outputs['boot-result']).toBe('skipped');
    expect(r.outputs['boot-seconds']).toBeUndefined();
    expect(r.summary).not.toContain('Boot test');
    expect(r.stdout).not.toMatch(/^::group::boot/m);
  });
});

describe('before the build', () => {
  it('a runner without QEMU, apt-get or sudo fails at once, saying what to install', async () => {
    // PATH holds node alone: no qemu-system-*, no apt-get, no sudo (the action spawns nothing else first).
    const bin = join(work, 'bare-bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await run({ image: layout(shellLess('true')), upload: 'none', 'boot-test': 'true', 'boot-kernel': 'vmlinuz' }, { PATH: bin });
    expect(r.code).toBe(1);
    expect(r.errors, r.stdout).toHaveLength(1);
    expect(r.errors[0]).toMatch(
      /^qemu-system-x86_64 is not on PATH and cannot be installed here \(apt-get is not on PATH\): install QEMU before this step \(Debian\/Ubuntu: apt-get install qemu-system-x86;.*ubuntu-latest \[BOOT\]$/,
    );
    expect(r.stdout).not.toMatch(/::group::/);
  });

  it('a boot-kernel that is no kernel is an error naming the input, before anything is pulled', async () => {
    const r = await run({ image: layout(shellLess('true')), upload: 'none', 'boot-test': 'true', 'boot-kernel': '/etc/hostname' });
    expect(r.code).toBe(1);
    expect(r.errors[0]).toMatch(/^input 'boot-kernel': '\/etc\/hostname' is not a Linux kernel QEMU can boot/);
    expect(r.stdout).not.toMatch(/^::group::pull/m);
  });
});
