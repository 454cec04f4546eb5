// argv of `initramfs-action boot ARCHIVE …` → a typed command, and the `--boot-*` options of `build
// --boot-test`. Its own option table: `--network` is a switch here (QEMU's user-mode network), while
// `build --network MODE` shapes the generated /init.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { quote } from '../quote.ts';
import { parseDuration } from '../duration.ts';
import { didYouMean } from '../did-you-mean.ts';

export const BOOT_USAGE = `Usage:
  initramfs-action boot ARCHIVE (--kernel FILE | --kernel-image REF) [options]

Boots ARCHIVE under QEMU and succeeds when the expected line appears on the serial console.
  -k, --kernel FILE          the kernel: a bzImage (x86-64) or an Image (arm64), e.g. /boot/vmlinuz-$(uname -r)
      --kernel-image REF     an image holding a kernel at /kernel (LinuxKit) or /boot/vmlinuz*, pulled and
                             cached like any image
  -e, --expect TEXT          the line that means success (default: the generated /init's
                             "initramfs-action: command exited with status 0")
      --timeout DURATION     give up after DURATION (default 120s)
  -m, --memory MiB           guest memory (default: from the archive's uncompressed size)
      --append ARGS          more kernel command-line words (e.g. ip=dhcp, initramfs.shell)
      --network              a QEMU user-mode network card (the host's loopback is 10.0.2.2)
      --arch amd64|arm64     the guest architecture (default: from the archive's executables)
      --accel auto|kvm|tcg   auto: KVM when it boots, else TCG (default)
      --cache-dir DIR        the tool's cache, for --kernel-image
  Exit 0 when the line appeared, 1 when the boot failed (the reason and the console's last lines are
  printed), 2 when the command line is wrong.
`;

export type BootArch = 'amd64' | 'arm64';
export type BootAccel = 'auto' | 'kvm' | 'tcg';

export interface BootArgs {
  kernel: { file?: string; image?: string };
  expect?: string;
  timeoutMs?: number;
  memoryMiB?: number;
  append?: string;
  network?: boolean;
  arch?: BootArch;
  accel?: BootAccel;
}

export type BootCommand = { kind: 'boot'; archive: string; cacheDir: string; boot: BootArgs };

const usage = (message: string): InitramfsError => new InitramfsError('USAGE', `${message} (see --help)`);

export const BOOT_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  kernel: { type: 'string', short: 'k' },
  'kernel-image': { type: 'string' },
  expect: { type: 'string', short: 'e' },
  timeout: { type: 'string' },
  memory: { type: 'string', short: 'm' },
  append: { type: 'string' },
  network: { type: 'boolean' },
  arch: { type: 'string' },
  accel: { type: 'string' },
  'cache-dir': { type: 'string' },
} as const;

const ARCHES: readonly BootArch[] = ['amd64', 'arm64'];
const ACCELS: readonly BootAccel[] = ['auto', 'kvm', 'tcg'];

/** The boot settings from their option values (`prefix` is `--` for `boot`, `--boot-` for `build`). */
export function bootSettings(v: Record<string, string | boolean | undefined>, prefix: '--' | '--boot-'): BootArgs {
  const name = (n: string): string => `${prefix}${n}`;
  const text = (n: string): string | undefined => {
    const x = v[n];
    if (x === '') throw usage(`${name(n)}: expected a value`);
    return typeof x === 'string' ? x : undefined;
  };
  const out: BootArgs = { kernel: {} };
  const file = text('kernel');
  const image = text('kernel-image');
  if (file !== undefined && image !== undefined) throw usage(`${name('kernel')} and ${name('kernel-image')}: give one kernel`);
  if (file !== undefined) out.kernel.file = resolve(file);
  if (image !== undefined) out.kernel.image = image;
  const expect = text('expect');
  if (expect !== undefined) out.expect = expect;
  const timeout = text('timeout');
  if (timeout !== undefined) {
    const ms = parseDuration(timeout);
    if (ms === undefined || ms === 0) throw usage(`${name('timeout')} ${quote(timeout)}: expected a duration such as 90s, 10m or 1h30m`);
    out.timeoutMs = ms;
  }
  const memory = text('memory');
  if (memory !== undefined) {
    if (!/^\d+$/.test(memory) || Number(memory) < 64 || Number(memory) > 1 << 20) throw usage(`${name('memory')} ${quote(memory)}: expected MiB, a whole number from 64`);
    out.memoryMiB = Number(memory);
  }
  const append = text('append');
  if (append !== undefined) out.append = append;
  if (v['network'] === true) out.network = true;
  const arch = text('arch');
  if (arch !== undefined) {
    if (!(ARCHES as readonly string[]).includes(arch)) throw usage(`${name('arch')} ${quote(arch)}: expected amd64 or arm64`);
    out.arch = arch as BootArch;
  }
  const accel = text('accel');
  if (accel !== undefined) {
    if (!(ACCELS as readonly string[]).includes(accel)) throw usage(`${name('accel')} ${quote(accel)}: expected auto, kvm or tcg`);
    out.accel = accel as BootAccel;
  }
  return out;
}

/** `kernel` given one way or the other, or a usage error saying how. */
export function requireKernel(b: BootArgs, prefix: '--' | '--boot-'): void {
  if (b.kernel.file === undefined && b.kernel.image === undefined) {
    throw usage(
      `missing ${prefix}kernel FILE or ${prefix}kernel-image REF: the kernel to boot (e.g. ${prefix}kernel /boot/vmlinuz-$(uname -r), ` +
        `or ${prefix}kernel-image with a LinuxKit kernel image)`,
    );
  }
}

/** `boot ARCHIVE …`, parsed with its own table. */
export function parseBootCommand(argv: string[], cacheDir: (dir: string | undefined) => string): BootCommand | { kind: 'boot-help' } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: BOOT_OPTIONS });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const option = /'([^']+)'/.exec(err.message)?.[1] ?? '';
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const longNames = Object.keys(BOOT_OPTIONS).map((n) => `--${n}`);
      throw usage(`boot: unknown option ${quote(option)}${option.startsWith('--') ? didYouMean(option, longNames) : ''}`);
    }
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw usage(`boot: option ${quote(option)} needs a value`);
    throw usage(`boot: ${err.message}`);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: 'boot-help' };
  const [, archive, ...extra] = positionals;
  if (archive === undefined || archive === '') throw usage('boot: missing ARCHIVE (an initramfs: .cpio, .cpio.gz or .cpio.zst)');
  if (extra.length > 0) throw usage(`boot: unexpected argument ${quote(extra[0]!)}`);
  const boot = bootSettings(v, '--');
  requireKernel(boot, '--');
  return { kind: 'boot', archive: resolve(archive), cacheDir: cacheDir(v['cache-dir']), boot };
}
