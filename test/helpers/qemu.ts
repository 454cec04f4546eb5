// Test helper that boots an initramfs in QEMU (TCG, microvm, serial console on stdout) and watches the
// console for a marker line that the image's /init prints. Success is only ever the marker: a kernel
// panic with panic=-1 and -no-reboot makes QEMU exit 0. Every boot is bounded and QEMU is always killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BootOptions {
  /** Text (or pattern) on the serial console that means the image booted as intended. */
  marker: string | RegExp;
  /** Whole-boot bound; QEMU is killed with SIGKILL when it passes. Default 90 s. */
  timeoutMs?: number;
  /** Guest memory. TCG allocates lazily, so generous is cheap. Default 1024. */
  memoryMiB?: number;
  /** Extra kernel command-line words, appended after the harness's own. */
  append?: string;
  /** Kernel image. Default: `findKernel()`. */
  kernel?: string;
  /** Aborting kills QEMU and resolves (e.g. vitest's test context `signal`). */
  signal?: AbortSignal;
  /** Extra QEMU arguments (devices, e.g. a user-mode network). */
  qemuArgs?: string[];
  /**
   * Typed on the serial console, in order: each `send` is written once the console shows `when` after the
   * previous step's match (a debug shell's prompt, say). The marker is still what ends the boot.
   */
  input?: { when: string | RegExp; send: string }[];
}

export interface BootResult {
  found: boolean;
  /** Everything QEMU wrote to stdout and stderr, in order received. */
  console: string;
  durationMs: number;
  /** Why the boot ended. */
  reason: 'marker' | 'exit' | 'timeout' | 'aborted';
}

const BOOT_DIR = '/boot';
const KERNEL_PATTERN = /^vmlinuz-(.+)-cloud-amd64$/;

// Version order on the digit runs ("6.1.0-56" after "6.1.0-9"), never locale order.
const versionCompare = (a: string, b: string): number => {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * The kernel the boots use: the newest `bootDir`/vmlinuz-*-cloud-amd64 (Debian's cloud kernel has every
 * initramfs decompressor and the 8250 serial console built in).
 */
export function findKernel(bootDir = BOOT_DIR): string {
  let names: string[] = [];
  try {
    names = readdirSync(bootDir);
  } catch {
    // No such directory: same message as an empty one.
  }
  const versions = names.flatMap((n) => KERNEL_PATTERN.exec(n)?.[1] ?? []).sort(versionCompare);
  const newest = versions.at(-1);
  if (newest === undefined) {
    throw new Error(
      `no kernel matching ${bootDir}/vmlinuz-*-cloud-amd64: install linux-image-cloud-amd64 ` +
        `(apt-get install -y --no-install-recommends linux-image-cloud-amd64)`,
    );
  }
  return join(bootDir, `vmlinuz-${newest}-cloud-amd64`);
}

/**
 * The host's TSC frequency in kHz from /proc/cpuinfo's first "cpu MHz", or undefined if absent. microvm
 * under TCG has no HPET or PM timer to calibrate the TSC against and hangs in ~1 boot of 8 without it.
 */
export function hostTscKhz(): number | undefined {
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'latin1'));
    return m?.[1] ? Math.round(Number(m[1]) * 1000) : undefined;
  } catch {
    return undefined;
  }
}

const live = new Set<ChildProcess>();

/** SIGKILLs every QEMU this module started that is still running (safe to call from afterAll/afterEach). */
export function killAllQemu(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

// A test worker that dies mid-boot must not leave QEMU behind: kill synchronously at exit, and (below)
// ask the kernel to kill QEMU if the thread that spawned it ends.
process.on('exit', killAllQemu);

/** Boots `initrd` and resolves when the marker appears, QEMU exits, the timeout passes or `signal` aborts. */
export function bootInitramfs(initrd: string, opts: BootOptions): Promise<BootResult> {
  const kernel = opts.kernel ?? findKernel();
  const khz = hostTscKhz();
  const append = ['console=ttyS0', 'panic=-1', 'quiet', ...(khz ? [`tsc_early_khz=${khz}`] : []), opts.append ?? '']
    .filter((w) => w !== '')
    .join(' ');
  const qemuArgs = [
    'qemu-system-x86_64', '-accel', 'tcg', '-M', 'microvm', '-m', String(opts.memoryMiB ?? 1024), '-smp', '1',
    '-kernel', kernel, '-initrd', initrd, '-append', append,
    // -nodefaults drops the default devices (and the monitor); the serial console must then be named.
    '-nographic', '-no-reboot', '-nodefaults', '-serial', 'stdio',
    ...(opts.qemuArgs ?? []),
  ];
  // search() rather than test(): a /g pattern's lastIndex must not make matching stateful.
  const matches = (text: string): boolean =>
    typeof opts.marker === 'string' ? text.includes(opts.marker) : text.search(opts.marker) !== -1;

  return new Promise((resolve, reject) => {
    const started = performance.now();
    // setpriv --pdeathsig: the kernel SIGKILLs QEMU when the spawning thread dies, whatever killed it.
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', ...qemuArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(child);
    let text = '';
    let settled = false;

    const finish = (reason: BootResult['reason']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      child.kill('SIGKILL');
      live.delete(child);
      resolve({ found: reason === 'marker', console: text, durationMs: Math.round(performance.now() - started), reason });
    };
    const steps = [...(opts.input ?? [])];
    let typedFrom = 0;
    const type = (): void => {
      while (steps.length > 0) {
        const { when, send } = steps[0]!;
        const rest = text.slice(typedFrom);
        const at = typeof when === 'string' ? rest.indexOf(when) : rest.search(when);
        if (at === -1) return;
        typedFrom += at + 1;
        steps.shift();
        child.stdin.write(send);
      }
    };
    const onData = (chunk: string): void => {
      text += chunk;
      if (!settled && matches(text)) finish('marker');
      else if (!settled) type();
    };
    const onAbort = (): void => finish('aborted');
    const timer = setTimeout(() => finish('timeout'), opts.timeoutMs ?? 90_000);

    // setEncoding decodes across chunk boundaries (a UTF-8 sequence may be split between reads).
    // QEMU gone while a step is typed: the boot's end is reported by 'close', not by a write error.
    child.stdin.on('error', () => {});
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (err) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      live.delete(child);
      reject(new Error(`cannot run qemu-system-x86_64 (install qemu-system-x86): ${err.message}`));
    });
    // 'close' (not 'exit') so output written just before exiting is still seen.
    child.on('close', (code) => {
      // setpriv's "cannot execute" status: QEMU is not installed, which is no boot result at all.
      if (code === 127 && !settled) {
        settled = true;
        clearTimeout(timer);
        live.delete(child);
        reject(new Error(`cannot run qemu-system-x86_64 (install qemu-system-x86): ${text.trim()}`));
        return;
      }
      finish(matches(text) ? 'marker' : 'exit');
    });
    if (opts.signal?.aborted) finish('aborted');
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
