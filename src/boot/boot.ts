// Proves that an initramfs boots: starts QEMU on it with a kernel, reads the serial console, and ends at
// once when the expected line appears or the console shows a failure the boot cannot recover from (a
// panic, an /init the kernel cannot run, an archive it cannot unpack), else at the timeout. Only the
// console decides: with panic=-1 and -no-reboot a panic makes QEMU exit 0. Whatever ends the boot, QEMU
// is killed, including when this process exits. Boot failures are a result (ok: false), not an
// exception; only bad inputs and a missing QEMU throw.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, readFileSync } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';
import { InitramfsError } from '../errors.ts';
import type { Reporter } from '../log.ts';
import { quote } from '../quote.ts';
import { readArchiveInfo, type ArchiveInfo } from './archive-info.ts';
import { classifyConsole, consoleTail, DEFAULT_EXPECT, type ConsoleVerdict } from './console.ts';
import { QEMU_BINARY, qemuCommand, type Accel, type BootArch } from './qemu.ts';

export interface BootOptions {
  /** The initramfs to boot. */
  archive: string;
  /** Kernel image (bzImage for amd64, Image for arm64). */
  kernel: string;
  /** Console text that means success. Default: the generated /init's "command exited with status 0" line. */
  expect?: string;
  /** Bound on one boot, from QEMU's start (default 120 s). A KVM probe that falls back to TCG comes on top. */
  timeoutMs?: number;
  /** Guest memory. Default from the archive's unpacked size: max(256, 2 × size + 128 MiB), in 64 MiB steps. */
  memoryMiB?: number;
  /** Extra kernel command-line words. */
  append?: string;
  /** QEMU user-mode network (a virtio-net device; DHCP from QEMU). */
  network?: boolean;
  /** Default: from the archive's programs; amd64 (with a warning) when they do not tell. */
  arch?: 'amd64' | 'arm64';
  /** `auto` (default): KVM when it opens and a KVM guest prints on its console, else TCG. */
  accel?: 'auto' | 'kvm' | 'tcg';
  /** Aborting kills QEMU; bootArchive then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Every chunk QEMU writes (the guest's console on stdout, QEMU's own messages on stderr), as it comes. */
  onConsole?: (chunk: string) => void;
}

export interface BootResult {
  /** The expected line appeared. */
  ok: boolean;
  /** From QEMU's start to the expected line (or to the end of the boot when it failed). */
  seconds: number;
  accel: 'kvm' | 'tcg';
  arch: string;
  reason: 'expected' | 'failure' | 'timeout' | 'exit';
  /** One line: `booted in N.N s (tcg)`, or what went wrong. */
  message: string;
  /** The last 20 non-empty console lines, escape sequences removed. */
  tail: string[];
}

export const DEFAULT_BOOT_TIMEOUT_MS = 120_000;
/**
 * How long a KVM guest may stay silent before `auto` gives up on KVM. A KVM boot prints its first
 * kernel line within a fraction of a second; a /dev/kvm on which the guest hangs prints nothing at all.
 */
export const KVM_PROBE_MS = 8_000;
/**
 * What `auto` probes: the KVM device and how long a KVM guest may stay silent. Tests point them at a
 * stand-in (a file and a QEMU wrapper on PATH), since the hang they guard against cannot be made on demand.
 */
export const kvmProbe = { device: '/dev/kvm', ms: KVM_PROBE_MS };
const TAIL_LINES = 20;
/** Console text kept for the tail; a chatty workload must not grow memory for the whole boot. */
const RECENT_CHARS = 64 << 10;

/**
 * Guest memory for an archive whose files take `unpackedBytes` once unpacked and whose file is
 * `archiveBytes`. The kernel unpacks into a tmpfs capped at half the memory, so the files need twice
 * their size; the archive itself is in memory while it is unpacked; and the rest is room to run. Measured:
 * the 244 MB benchmark image (12,680 entries) fails to unpack ("write error") in 640 MiB.
 */
export function defaultMemoryMiB(unpackedBytes: number, archiveBytes = 0): number {
  const mib = (2 * unpackedBytes + archiveBytes) / (1 << 20) + 128;
  return Math.max(256, Math.ceil(mib / 64) * 64);
}

/** The host's TSC frequency in kHz from /proc/cpuinfo's first "cpu MHz" (x86 only), or undefined. */
export function hostTscKhz(cpuinfo?: string): number | undefined {
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(cpuinfo ?? readFileSync('/proc/cpuinfo', 'latin1'));
    return m?.[1] ? Math.round(Number(m[1]) * 1000) : undefined;
  } catch {
    return undefined;
  }
}

// Every QEMU this process started that is still running: killed synchronously when the process exits,
// so neither an error nor a Ctrl-C in the CLI leaves a guest spinning a core.
const live = new Set<ChildProcess>();
let exitHook = false;
const killLive = (): void => {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
};

/** `30 s`, `2.5 s`. */
const secondsText = (ms: number): string => `${Number.isInteger(ms / 1000) ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
const round2 = (s: number): number => Math.round(s * 100) / 100;

async function checkInput(path: string, what: string): Promise<void> {
  try {
    await access(path, constants.R_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InitramfsError('USAGE', `${what} ${quote(path)} cannot be read (${code === 'ENOENT' ? 'no such file' : code})`);
  }
}

/** Why KVM cannot be used for `arch` here, or undefined when /dev/kvm opens read-write for a same-arch guest. */
async function kvmUnavailable(arch: BootArch): Promise<string | undefined> {
  const host = process.arch === 'x64' ? 'amd64' : process.arch;
  if (host !== arch) return `KVM cannot run an ${arch} guest on this ${host} host`;
  try {
    await (await open(kvmProbe.device, 'r+')).close();
    return undefined;
  } catch (e) {
    return `KVM is not available (${kvmProbe.device}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
}

interface RunOptions {
  command: string;
  args: string[];
  expect: string;
  timeoutMs: number;
  /** Give up (outcome 'silent') when QEMU's stdout, the guest's console, stays empty this long. */
  probeMs?: number;
  signal?: AbortSignal;
  onConsole?: (chunk: string) => void;
}

type RunOutcome =
  | { kind: 'done'; reason: BootResult['reason']; verdict?: ConsoleVerdict; seconds: number; tail: string[]; exitDetail?: string }
  /** Probe mode only: the guest printed nothing (QEMU hung or exited); `detail` is QEMU's last message. */
  | { kind: 'silent'; detail?: string };

/** One QEMU run: resolves with how it ended; rejects for a missing QEMU or an abort. */
function runQemu(o: RunOptions): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(o.command, o.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(child);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', killLive);
    }
    // Per stream, the text from the start of its unfinished line: each chunk is judged with its line's
    // beginning, and QEMU's own messages on stderr never split a console line.
    const scan = { stdout: '', stderr: '' };
    let recent = '';
    let lastStderr = '';
    let spoke = false;
    let settled = false;

    const stop = (): void => {
      settled = true;
      clearTimeout(timer);
      clearTimeout(probe);
      o.signal?.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      live.delete(child);
    };
    const done = (reason: BootResult['reason'], verdict?: ConsoleVerdict, exitDetail?: string): void => {
      if (settled) return;
      const seconds = round2((performance.now() - started) / 1000);
      stop();
      resolve({ kind: 'done', reason, verdict, seconds, tail: consoleTail(recent, TAIL_LINES), exitDetail });
    };
    const decide = (verdict: ConsoleVerdict): boolean => {
      if (verdict.kind === 'expected') done('expected', verdict);
      else if (verdict.kind === 'failure') done('failure', verdict);
      return verdict.kind !== 'pending';
    };
    const onData = (stream: 'stdout' | 'stderr', chunk: string): void => {
      if (settled) return;
      if (stream === 'stdout') spoke = true;
      o.onConsole?.(chunk);
      recent += chunk;
      if (recent.length > 2 * RECENT_CHARS) recent = recent.slice(-RECENT_CHARS);
      let text = scan[stream] + chunk;
      if (stream === 'stderr') lastStderr = consoleTail(text, 1)[0] ?? lastStderr;
      if (decide(classifyConsole(text, o.expect))) return;
      const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
      text = cut === -1 ? text : text.slice(cut + 1);
      // A line without end (a progress bar without \r) is judged on its last part only.
      scan[stream] = text.length > RECENT_CHARS ? text.slice(-4096) : text;
    };
    const onAbort = (): void => {
      if (settled) return;
      stop();
      reject(o.signal?.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => done('timeout'), o.timeoutMs);
    const probe = setTimeout(() => {
      if (!spoke && !settled && o.probeMs !== undefined) {
        stop();
        resolve({ kind: 'silent' });
      }
    }, o.probeMs ?? 2 ** 31 - 1);

    // setEncoding decodes across chunk boundaries (a UTF-8 sequence may be split between reads).
    child.stdout.setEncoding('utf8').on('data', (c: string) => onData('stdout', c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => onData('stderr', c));
    child.stdin.on('error', () => {});
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      stop();
      const pkg = Object.values(QEMU_BINARY).find((b) => b.command === o.command)?.package;
      reject(
        err.code === 'ENOENT'
          ? new InitramfsError(
              'BOOT',
              `${o.command} is not installed (not found on PATH); install it: apt-get install ${pkg ?? 'qemu-system'} (Debian/Ubuntu)`,
            )
          : new InitramfsError('BOOT', `cannot run ${o.command}: ${err.message}`, { cause: err }),
      );
    });
    // 'close' (not 'exit'): every byte QEMU wrote before exiting has been read by then.
    child.on('close', (code, sig) => {
      if (settled) return;
      // The last lines may lack their line end: judge them as complete now that nothing can follow.
      for (const stream of ['stdout', 'stderr'] as const) {
        if (scan[stream] !== '' && decide(classifyConsole(`${scan[stream]}\n`, o.expect))) return;
      }
      if (o.probeMs !== undefined && !spoke) {
        stop();
        resolve({ kind: 'silent', detail: lastStderr || undefined });
        return;
      }
      const status = sig ? `signal ${sig}` : code !== 0 ? `status ${code}` : '';
      done('exit', undefined, status && (lastStderr ? `${status}: ${lastStderr}` : status));
    });
    if (o.signal?.aborted) onAbort();
    else o.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Boots `o.archive` with `o.kernel` under QEMU and reports whether the expected line appeared. Throws
 * InitramfsError 'USAGE' for unreadable inputs or bad option values, 'BOOT' when QEMU is not installed
 * or the archive's architecture cannot be booted, and the signal's reason when aborted.
 */
export async function bootArchive(o: BootOptions, reporter?: Pick<Reporter, 'info' | 'warn'>): Promise<BootResult> {
  await checkInput(o.archive, 'archive');
  await checkInput(o.kernel, 'kernel');
  const expect = o.expect ?? DEFAULT_EXPECT;
  if (expect.trim() === '') throw new InitramfsError('USAGE', 'the expected text is empty: give the text a successful boot prints');
  const timeoutMs = o.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new InitramfsError('USAGE', `timeout ${timeoutMs} ms: expected a positive duration`);
  if (o.memoryMiB !== undefined && !(Number.isInteger(o.memoryMiB) && o.memoryMiB >= 16)) {
    throw new InitramfsError('USAGE', `memory ${o.memoryMiB} MiB: expected a whole number of MiB, at least 16`);
  }
  o.signal?.throwIfAborted();

  let info: ArchiveInfo | undefined;
  if (o.arch === undefined || o.memoryMiB === undefined) {
    info = await readArchiveInfo(o.archive);
    if (info.problem) reporter?.warn(`archive ${quote(o.archive)} could not be read to its end (${info.problem}); booting it anyway`);
  }
  let arch: BootArch;
  if (o.arch !== undefined) {
    arch = o.arch;
    if (info?.arch !== undefined && info.arch !== arch) {
      reporter?.warn(`archive ${quote(o.archive)} holds ${info.arch} programs; booting it as ${arch}, as asked`);
    }
  } else if (info?.arch === undefined) {
    arch = 'amd64';
    reporter?.warn(
      `cannot tell the architecture of ${quote(o.archive)} (no ELF program at /.initramfs-action/busybox, /init, ` +
        `/bin/sh or /bin/busybox); booting it as amd64 (give the architecture to choose)`,
    );
  } else if (info.arch === 'amd64' || info.arch === 'arm64') {
    arch = info.arch;
  } else {
    throw new InitramfsError('BOOT', `archive ${quote(o.archive)} is for ${info.arch}: only amd64 and arm64 archives can be booted`);
  }
  const memoryMiB = o.memoryMiB ?? defaultMemoryMiB(info?.unpackedBytes ?? 0, (await stat(o.archive)).size);
  const tscKhz = arch === 'amd64' ? hostTscKhz() : undefined;

  const run = (accel: Accel, probeMs?: number): Promise<RunOutcome> =>
    runQemu({
      ...qemuCommand({ arch, accel, kernel: o.kernel, initrd: o.archive, memoryMiB, append: o.append, network: o.network, tscKhz }),
      expect,
      timeoutMs,
      probeMs,
      signal: o.signal,
      onConsole: o.onConsole,
    });

  let accel: Accel;
  let outcome: RunOutcome;
  const mode = o.accel ?? 'auto';
  if (mode === 'auto') {
    const why = await kvmUnavailable(arch);
    if (why === undefined) {
      accel = 'kvm';
      const probeMs = kvmProbe.ms;
      outcome = await run('kvm', probeMs);
      if (outcome.kind === 'silent') {
        reporter?.info(
          outcome.detail
            ? `QEMU could not boot with KVM (${outcome.detail}); booting with TCG instead`
            : `a KVM guest printed nothing within ${secondsText(probeMs)} (KVM does not work here); booting with TCG instead`,
        );
        accel = 'tcg';
        outcome = await run('tcg');
      }
    } else {
      reporter?.info(`${why}; booting with TCG (emulation, slower)`);
      accel = 'tcg';
      outcome = await run('tcg');
    }
  } else {
    accel = mode;
    outcome = await run(mode);
  }
  if (outcome.kind === 'silent') throw new Error('internal: a probe outcome outside a probe');
  return { ...result(outcome, expect, timeoutMs, accel), arch };
}

function result(r: Extract<RunOutcome, { kind: 'done' }>, expect: string, timeoutMs: number, accel: Accel): Omit<BootResult, 'arch'> {
  const shown = JSON.stringify(expect);
  const base = { seconds: r.seconds, accel, reason: r.reason, tail: r.tail };
  switch (r.reason) {
    case 'expected':
      return { ...base, ok: true, message: `booted in ${r.seconds.toFixed(1)} s (${accel})` };
    case 'failure':
      return { ...base, ok: false, message: r.verdict?.kind === 'failure' ? r.verdict.reason : 'the boot failed' };
    case 'timeout':
      return { ...base, ok: false, message: `no ${shown} on the console after ${secondsText(timeoutMs)}` };
    case 'exit':
      return { ...base, ok: false, message: `QEMU exited before ${shown} appeared${r.exitDetail ? ` (${r.exitDetail})` : ''}` };
  }
}
