// QEMU on a CI runner: the boot test needs qemu-system-ARCH, which GitHub's hosted Ubuntu runners do not
// ship but can install (apt-get, passwordless sudo). Whether to install is a pure decision from what the
// host has (tested for every combination); the probe and the install itself are the impure rest. Nothing
// here is tied to GitHub Actions: the action passes a logger, and the host facts come from probeHost().
// On macOS and Windows runners nothing is installed: a QEMU already on PATH is used (Homebrew's, or the
// Windows build's qemu-system-x86_64.exe), and without one the message says how to get it.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { pathFor } from '../host-path.ts';
import { QEMU_BINARY, type BootArch } from './qemu.ts';

/** What the host offers for running (or getting) QEMU. */
export interface QemuHost {
  /** process.platform: apt-get only exists where Linux does. */
  platform: NodeJS.Platform;
  /** The qemu-system binary for the guest's architecture is on PATH. */
  qemuOnPath: boolean;
  /** apt-get is on PATH (Debian, Ubuntu). */
  aptGet: boolean;
  /** This process runs as root: apt-get needs no sudo (a container job). */
  root: boolean;
  /** `sudo -n true` succeeds: sudo without a password (GitHub's hosted runners). */
  sudo: boolean;
}

export type QemuPlan =
  | { kind: 'present'; command: string }
  /** Run `commands` in order (each argv); `DEBIAN_FRONTEND=noninteractive` in their environment. */
  | { kind: 'install'; command: string; package: string; commands: string[][] }
  /** QEMU is missing and cannot be installed here: `message` says what to install. */
  | { kind: 'cannot'; command: string; message: string };

/** What to do so that the qemu-system binary for `arch` can run. Pure. */
export function qemuPlan(arch: BootArch, host: QemuHost): QemuPlan {
  const { command, package: pkg } = QEMU_BINARY[arch];
  if (host.qemuOnPath) return { kind: 'present', command };
  const why =
    host.platform !== 'linux'
      ? `this runner is ${host.platform}, not Linux`
      : !host.aptGet
        ? 'apt-get is not on PATH'
        : !host.root && !host.sudo
          ? 'installing needs root or passwordless sudo (`sudo -n true` failed)'
          : undefined;
  if (why !== undefined) {
    const how =
      host.platform === 'darwin'
        ? 'macOS: brew install qemu'
        : host.platform === 'win32'
          ? "Windows: choco install qemu, then add QEMU's directory (C:\\Program Files\\qemu) to PATH"
          : `Debian/Ubuntu: apt-get install ${pkg}; Fedora: dnf install qemu-system-${arch === 'amd64' ? 'x86' : 'aarch64'}-core`;
    return {
      kind: 'cannot',
      command,
      message:
        `${command} is not on PATH and cannot be installed here (${why}): install QEMU before this step (${how}), ` +
        `or run the job on a Linux runner with apt-get and passwordless sudo, such as GitHub's ubuntu-latest`,
    };
  }
  // As root (a container job) there may be no sudo at all; otherwise -n: a password prompt would hang.
  const sudo = host.root ? [] : ['sudo', '-n'];
  return {
    kind: 'install',
    command,
    package: pkg,
    commands: [
      [...sudo, 'apt-get', 'update'],
      [...sudo, 'apt-get', 'install', '-y', '--no-install-recommends', pkg],
    ],
  };
}

/**
 * Whether `name` is an executable file in one of PATH's directories (split as `platform` splits PATH). On
 * Windows the names spawn() tries are looked for: `name`, `name.com`, `name.exe` (not PATHEXT's .bat or
 * .cmd, which only a shell runs), and any file counts, as Windows has no executable bit.
 */
export async function onPath(name: string, path: string | undefined, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  // PATH is split by `platform`'s rules; the files are looked for on this machine, by its own.
  const { delimiter } = pathFor(platform);
  const names = platform === 'win32' ? [name, `${name}.com`, `${name}.exe`] : [name];
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const n of names) {
      try {
        const file = join(dir, n);
        await access(file, platform === 'win32' ? constants.F_OK : constants.X_OK);
        // Directories pass the X_OK check too.
        if ((await stat(file)).isFile()) return true;
      } catch {
        // Not in this directory.
      }
    }
  }
  return false;
}

/** The host facts qemuPlan decides on, for `arch`'s QEMU and this process's PATH. */
export async function probeHost(arch: BootArch, env: NodeJS.ProcessEnv = process.env): Promise<QemuHost> {
  const path = env['PATH'];
  const root = process.getuid?.() === 0;
  const host: QemuHost = {
    platform: process.platform,
    qemuOnPath: await onPath(QEMU_BINARY[arch].command, path),
    aptGet: await onPath('apt-get', path),
    root,
    sudo: false,
  };
  // Only asked when it matters; -n fails at once instead of prompting for a password.
  if (!host.qemuOnPath && !root && host.aptGet && (await onPath('sudo', path))) {
    host.sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000, env }).status === 0;
  }
  return host;
}

/**
 * Carries out an 'install' plan, each command's output passed to `log` line by line. Throws
 * InitramfsError 'BOOT' naming the command that failed, and when QEMU is still missing afterwards.
 */
export async function installQemu(
  plan: Extract<QemuPlan, { kind: 'install' }>,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  for (const argv of plan.commands) {
    log(`$ ${argv.join(' ')}`);
    const status = await run(argv, log, { ...env, DEBIAN_FRONTEND: 'noninteractive' });
    if (status !== 0) {
      throw new InitramfsError('BOOT', `installing QEMU failed: \`${argv.join(' ')}\` ${status}; install ${plan.package} before this step`);
    }
  }
  if (!(await onPath(plan.command, env['PATH']))) {
    throw new InitramfsError('BOOT', `${plan.package} was installed but ${plan.command} is still not on PATH`);
  }
}

/** Runs argv; resolves with 0 or a phrase saying how it ended. */
function run(argv: string[], log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<0 | string> {
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop()!;
        for (const l of lines) log(l);
      });
      stream.on('end', () => rest !== '' && log(rest));
    }
    child.on('error', (e) => resolve(`could not start (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    child.on('close', (code, sig) => resolve(code === 0 ? 0 : sig ? `was killed by ${sig}` : `exited with status ${code}`));
  });
}
