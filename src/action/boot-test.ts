// The action's boot test (`boot-test: true`): QEMU made present on the runner and the kernel resolved
// before the build, so that a mistake in either fails in seconds rather than after minutes of pulling;
// then, after the build, the archive booted by the same bootArchive() the CLI's `boot` runs, its console
// streamed into a log group. The core decides; this file only logs and shells out through it.
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { bootArchive, type BootResult } from '../boot/boot.ts';
import { consoleLines, DEFAULT_EXPECT } from '../boot/console.ts';
import { installQemu, probeHost, qemuPlan } from '../boot/install-qemu.ts';
import { resolveKernel, type ResolvedKernel } from '../boot/kernel.ts';
import type { BootArch } from '../boot/qemu.ts';
import { InitramfsError } from '../errors.ts';
import type { SourceOptions } from '../image/source.ts';
import type { BootInputs } from './inputs.ts';
import type { ActionReporter } from './reporter.ts';

/**
 * Makes the qemu-system binary for `arch` runnable: nothing when it is on PATH; installed with apt-get
 * (in the log group `boot: installing QEMU`) on a Linux runner that has apt-get and root or passwordless
 * sudo; otherwise an InitramfsError 'BOOT' saying what to install.
 */
export async function ensureQemu(arch: BootArch, reporter: ActionReporter, env: NodeJS.ProcessEnv): Promise<void> {
  const plan = qemuPlan(arch, await probeHost(arch, env));
  switch (plan.kind) {
    case 'present':
      return;
    case 'cannot':
      throw new InitramfsError('BOOT', plan.message);
    case 'install':
      await reporter.section('boot: installing QEMU', async () => {
        core.info(`${plan.command} is not on PATH: installing ${plan.package}`);
        await installQemu(plan, (line) => core.info(line), env);
      });
  }
}

/**
 * The boot-kernel input's kernel: the file checked, or the image's kernel taken into the cache. Errors are
 * said to be about the input (the core words them for the CLI's --kernel).
 */
export async function bootKernel(boot: BootInputs, o: { cacheDir: string; source: SourceOptions }): Promise<ResolvedKernel> {
  try {
    return await resolveKernel(boot.kernel, { cacheDir: o.cacheDir, platform: { os: 'linux', architecture: boot.arch }, source: o.source });
  } catch (e) {
    if (!(e instanceof InitramfsError)) throw e;
    const message = e.message.replace(/^--kernel /, '').replace(/--kernel-image REF/g, 'an image reference');
    throw new InitramfsError(e.code, `input 'boot-kernel': ${message}`, { cause: e });
  }
}

/**
 * Boots `archive` with auto acceleration, the console in the log group `boot: <archive>`. The guest's
 * lines are the workload's words: workflow commands are stopped while they stream, so a line such as
 * `::add-mask::` or `::set-output` from the guest is printed, never obeyed.
 */
export async function bootTest(archive: string, kernel: ResolvedKernel, boot: BootInputs, arch: BootArch, reporter: ActionReporter): Promise<BootResult> {
  return reporter.section(`boot: ${archive}`, async () => {
    core.info(`booting ${archive} with ${kernel.from}${kernel.digest ? ` (${kernel.digest})` : ''}, expecting ${JSON.stringify(boot.expect ?? DEFAULT_EXPECT)}`);
    const token = `initramfs-boot-${randomBytes(8).toString('hex')}`;
    let partial = '';
    // Escape sequences and controls removed; blank lines dropped (a \r\n split between chunks makes one).
    const emit = (text: string): void => {
      for (const line of consoleLines(text)) if (line.trim() !== '') core.info(line.trimEnd());
    };
    // Warnings are annotations, which are workflow commands too: they wait until commands run again.
    const warnings: string[] = [];
    core.info(`::stop-commands::${token}`);
    let r: BootResult;
    try {
      r = await bootArchive(
        {
          archive,
          kernel: kernel.path,
          arch,
          accel: 'auto',
          ...(boot.expect !== undefined && { expect: boot.expect }),
          ...(boot.timeoutMs !== undefined && { timeoutMs: boot.timeoutMs }),
          ...(boot.append !== undefined && { append: boot.append }),
          onConsole: (chunk) => {
            // Whole lines only: core.info ends each message with a line break of its own.
            const text = partial + chunk;
            const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
            partial = text.slice(cut + 1);
            if (cut !== -1) emit(text.slice(0, cut + 1));
          },
        },
        { info: (m) => core.info(m), warn: (m) => warnings.push(m) },
      );
    } finally {
      if (partial !== '') emit(partial);
      core.info(`::${token}::`);
      for (const w of warnings) reporter.warn(w);
    }
    core.info(r.ok ? r.message : `the boot failed: ${r.message}`);
    return r;
  });
}
