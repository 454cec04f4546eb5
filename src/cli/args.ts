// argv → a typed command. Parsing is Node's own util.parseArgs; this file adds the meaning: defaults,
// the compression inferred from the output name, and messages that name the option and the form it takes.
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { InitramfsError } from '../errors.ts';
import { pathFor, resolveOn, thisHost, type Host } from '../host-path.ts';
import { parseInjectSpec, type InjectSpec } from '../rootfs/overlay.ts';
import { COMPRESSIONS, parseCompression, resolveLevel, type Compression } from '../initramfs/compress.ts';
import { compressionFromName, STDOUT, SUFFIX_FOR } from '../output.ts';
import { quote } from '../quote.ts';
import { parseSourceDateEpoch } from '../source-date-epoch.ts';
import { parseDuration } from '../duration.ts';
import { didYouMean } from '../did-you-mean.ts';
import type { NetworkMode, OnExit } from '../initramfs/init-script.ts';
import { DEFAULT_INIT_TOOLS, INIT_TOOLS_ENV } from '../initramfs/init-tools.ts';
import { BOOT_OPTIONS, bootSettings, parseBootCommand, requireKernel, type BootArgs, type BootCommand } from './boot-args.ts';

export const USAGE = `Usage:
  initramfs-action build IMAGE -o FILE [options]   turn a container image into an initramfs
  initramfs-action inspect IMAGE [--platform P]     show platforms, config and layers
  initramfs-action boot ARCHIVE --kernel FILE       boot an initramfs under QEMU (boot --help)
  initramfs-action --help | --version

IMAGE:
  NAME[:TAG][@DIGEST]        an image in a registry: alpine, python:3.12-alpine, ghcr.io/o/r@sha256:...
                             (docker://NAME as skopeo writes it is the same)
  oci:DIR[:REF]              an OCI image layout directory (skopeo copy ... oci:DIR:REF)
  oci-archive:FILE[:REF]     an OCI layout in a tar (buildx --output type=oci,dest=FILE,
                             skopeo copy ... oci-archive:FILE:REF); plain, gzip or zstd
  docker-archive:FILE[:REF]  a tar written by docker save; plain, gzip or zstd (docker save IMG | gzip)

Build options:
  -o, --output FILE          the archive to write: a file (written atomically; a symlink is followed and
                             kept; missing directories are created), - for standard output, or a FIFO or
                             device such as /dev/null (written into)
  -c, --compression C        gzip, zstd or none; FILE's .gz/.zst/.cpio suffix implies one (and must
                             agree with -c); for other names the default is gzip
  -l, --level N              compression level (gzip 1-9, default 6; zstd 1-19, default 3)
  -p, --platform OS/ARCH     platform to pick from a multi-platform image (default linux/amd64)
  -i, --inject SRC:DEST[:MODE]
                             copy a host file or directory into the image (MODE octal, default 0755)
      --init FILE            use FILE as /init (0755); default: the image's /init, else one generated
                             from the image's Entrypoint, Cmd, Env, WorkingDir and User
  -x, --exclude GLOB         drop rootfs paths matching GLOB (absolute, e.g. /usr/share/doc/**)
      --report FILE          write a JSON report (digest, size, image, layers, entries); - for
                             standard output
      --checksums            also write FILE.sha256 (the sha256sum format: sha256sum -c FILE.sha256)
      --cache-dir DIR        the tool's cache (default $XDG_CACHE_HOME/initramfs-action, else
                             ~/.cache/initramfs-action; on Windows %LOCALAPPDATA%\\initramfs-action)

Generated /init options (when neither --init nor the image gives an /init):
      --network MODE         cmdline (default): the kernel's ip= parameter (ip=dhcp, or Firecracker's
                             ip=CLIENT::GATEWAY:NETMASK:HOSTNAME:DEVICE:off), else loopback only;
                             dhcp: DHCP on every interface; none: loopback only
      --on-exit ACTION       after the command: poweroff (default), reboot (Firecracker stops a guest on
                             reboot: pass reboot=k), or shell (a shell on the console, then power off)
      --init-tools IMAGE     the image whose static /bin/busybox the init runs on (default
                             $INITRAMFS_ACTION_INIT_TOOLS, else ${DEFAULT_INIT_TOOLS})
      --modules-dir DIR      a /lib/modules/VERSION directory (with modules.dep) to take --module from
      --module NAME          a kernel module to copy with its dependencies and load before the network
                             (repeatable; e.g. --module virtio_net --module vsock)
  Kernel command line: initramfs.shell starts a shell on the console instead of the command.

Boot test (build):
      --boot-test            boot the archive under QEMU after the build; fail unless it boots
      --boot-kernel FILE, --boot-kernel-image REF, --boot-expect TEXT, --boot-timeout DURATION,
      --boot-memory MiB, --boot-append ARGS, --boot-network, --boot-arch A, --boot-accel A
                             as boot's --kernel, --kernel-image, --expect, ... (see boot --help)

Registry options (build and inspect):
  -u, --username USER        registry user; the password is read from standard input
      --password-stdin       read the registry password (or token) from standard input
      --insecure-registry HOST
                             allow plain HTTP to HOST[:PORT] (loopback registries always may)
      --timeout DURATION     give up on the registry DURATION after the start (90s, 10m, 1h30m;
                             default: no limit; a registry that stops sending fails in about a minute)
  Without --username, credentials come from $DOCKER_CONFIG/config.json (credential helpers, auths).

Environment:
  SOURCE_DATE_EPOCH          clamp every mtime in the archive to this time (seconds)
`;

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'build';
      image: string;
      output: string;
      compression: Compression;
      level?: number;
      platform?: string;
      inject: InjectSpec[];
      init?: string;
      network?: NetworkMode;
      onExit?: OnExit;
      initTools?: string;
      modules?: { dir: string; names: string[] };
      exclude: string[];
      report?: string;
      /** --checksums: write `<output>.sha256` beside the archive. */
      checksums?: boolean;
      cacheDir: string;
      sourceDateEpoch?: number;
      registry: RegistryArgs;
      /** --boot-test: boot the archive after the build, with these settings. */
      bootTest?: BootArgs;
    }
  | BootCommand
  | { kind: 'boot-help' }
  | { kind: 'inspect'; image: string; platform?: string; cacheDir: string; registry: RegistryArgs };

/** Registry options as given; the password itself is read from stdin by the shell, not parsed here. */
export interface RegistryArgs {
  username?: string;
  passwordStdin: boolean;
  insecureRegistries: string[];
  /** --timeout: no registry request may end later than this long after the command started. */
  timeoutMs?: number;
}

const usage = (message: string): InitramfsError => new InitramfsError('USAGE', `${message} (see --help)`);

/**
 * The default cache: XDG's cache home when it is set, else where the platform keeps caches that are not
 * roamed: %LOCALAPPDATA% on Windows (as Go's os.UserCacheDir says), ~/.cache elsewhere (macOS included,
 * where command-line tools commonly keep theirs there rather than in ~/Library/Caches).
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  const { join } = pathFor(platform);
  const base = env.XDG_CACHE_HOME || (platform === 'win32' && env.LOCALAPPDATA) || join(homedir(), '.cache');
  return join(base, 'initramfs-action');
}

/** --compression and the output's suffix: the suffix decides unless -c is given, and they must agree. */
function chooseCompression(output: string, given: string | undefined): Compression {
  const implied = compressionFromName(output);
  if (given === undefined) return implied?.compression ?? 'gzip';
  let compression: Compression;
  try {
    compression = parseCompression(given);
  } catch {
    throw usage(`--compression ${quote(given)}: expected gzip, zstd or none${didYouMean(given, COMPRESSIONS)}`);
  }
  if (implied !== undefined && implied.compression !== compression) {
    throw usage(
      `--compression ${compression} contradicts -o ${quote(output)} (${implied.suffix} means ${implied.compression}); ` +
        `drop --compression, or name a file ending in ${SUFFIX_FOR[compression]}`,
    );
  }
  return compression;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  output: { type: 'string', short: 'o' },
  compression: { type: 'string', short: 'c' },
  level: { type: 'string', short: 'l' },
  platform: { type: 'string', short: 'p' },
  inject: { type: 'string', short: 'i', multiple: true },
  init: { type: 'string' },
  network: { type: 'string' },
  'on-exit': { type: 'string' },
  'init-tools': { type: 'string' },
  'modules-dir': { type: 'string' },
  module: { type: 'string', multiple: true },
  exclude: { type: 'string', short: 'x', multiple: true },
  report: { type: 'string' },
  checksums: { type: 'boolean' },
  'cache-dir': { type: 'string' },
  username: { type: 'string', short: 'u' },
  'password-stdin': { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'boot-test': { type: 'boolean' },
  ...Object.fromEntries(
    Object.entries(BOOT_OPTIONS)
      .filter(([name]) => name !== 'help' && name !== 'cache-dir')
      .map(([name, o]) => [`boot-${name}`, { type: o.type }]),
  ) as { [K in Exclude<keyof typeof BOOT_OPTIONS, 'help' | 'cache-dir'> as `boot-${K}`]: { type: (typeof BOOT_OPTIONS)[K]['type'] } },
} as const;

const COMMANDS = ['build', 'inspect', 'boot'] as const;
const NETWORK_MODES: readonly NetworkMode[] = ['cmdline', 'dhcp', 'none'];
const ON_EXIT: readonly OnExit[] = ['poweroff', 'reboot', 'shell'];

/** One of `choices`, or a usage error naming the option, the choices and a likely fix. */
function choice<T extends string>(option: string, value: string | undefined, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw usage(`${option} ${quote(value)}: expected ${choices.join(', ')}${didYouMean(value, choices)}`);
}

/** parseArgs' own messages, in this tool's words: the option, what is wrong, and a likely fix. */
const argsError = (e: NodeJS.ErrnoException): InitramfsError => {
  const option = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const longNames = Object.keys(OPTIONS).map((n) => `--${n}`);
    return usage(`unknown option ${quote(option)}${option.startsWith('--') ? didYouMean(option, longNames) : ''}`);
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--([\w-]+)/.exec(option)?.[1];
    return usage(`option ${name === undefined ? quote(option) : `--${name}`} needs a value`);
  }
  return usage(e.message);
};

/** The verb: the first word that is not an option (options come after it, as the usage shows). */
const verbOf = (argv: string[]): string | undefined => {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: false, options: OPTIONS }).positionals[0];
  } catch {
    return undefined;
  }
};

/**
 * argv → a command. Paths are `host`'s (this process's by default): relative ones start at its cwd, and on
 * Windows `C:\out\x.gz`, `dist\x.gz` and `\\server\share\x` are paths as `/out/x.gz` is on Linux.
 */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv, host: Host = thisHost()): Command {
  const resolve = (p: string): string => resolveOn(host, p);
  if (verbOf(argv) === 'boot') return parseBootCommand(argv, (dir) => resolve(dir ?? defaultCacheDir(env, host.platform)));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (e) {
    throw argsError(e as NodeJS.ErrnoException);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  const [verb, image, ...extra] = positionals;
  if (verb === undefined) throw usage('missing command: expected build, inspect or boot');
  if (verb !== 'build' && verb !== 'inspect') throw usage(`unknown command ${quote(verb)}: expected build, inspect or boot${didYouMean(verb, COMMANDS)}`);
  if (image === undefined) throw usage(`${verb}: missing IMAGE (NAME[:TAG], oci:DIR[:REF], oci-archive:FILE[:REF] or docker-archive:FILE[:REF])`);
  if (extra.length > 0) throw usage(`${verb}: unexpected argument '${extra[0]}'`);
  if (v['password-stdin'] && !v.username) throw usage('--password-stdin needs --username');
  if (v.username !== undefined && !v['password-stdin']) throw usage('--username needs --password-stdin (the password is read from standard input)');
  const registry: RegistryArgs = {
    username: v.username,
    passwordStdin: v['password-stdin'] ?? false,
    insecureRegistries: v['insecure-registry'] ?? [],
  };
  if (v.timeout !== undefined) {
    const ms = parseDuration(v.timeout);
    if (ms === undefined) throw usage(`--timeout ${quote(v.timeout)}: expected a duration such as 90s, 10m or 1h30m (at most 7d)`);
    registry.timeoutMs = ms;
  }
  const cacheDir = resolve(v['cache-dir'] ?? defaultCacheDir(env, host.platform));
  if (verb === 'inspect') return { kind: 'inspect', image, platform: v.platform, cacheDir, registry };

  if (v.output === undefined || v.output === '') throw usage('build: missing -o/--output FILE (- for standard output)');
  const output = v.output === STDOUT ? STDOUT : resolve(v.output);
  const compression = chooseCompression(v.output, v.compression);
  let level: number | undefined;
  if (v.level !== undefined) {
    if (!/^\d+$/.test(v.level)) throw usage(`--level ${quote(v.level)}: expected a whole number`);
    level = Number(v.level);
    try {
      resolveLevel(compression, level);
    } catch (e) {
      throw usage(`--level ${quote(v.level)}: ${(e as Error).message}`);
    }
  }
  if (v.init === '') throw usage('--init: expected a file (an ELF executable or a #! script)');
  if (v.report === '') throw usage('--report: expected a file name');
  const network = choice('--network', v.network, NETWORK_MODES);
  const onExit = choice('--on-exit', v['on-exit'], ON_EXIT);
  if (v['init-tools'] === '') throw usage('--init-tools: expected an image with a static /bin/busybox, such as busybox:musl');
  if (v.init !== undefined) {
    const shaping = [network && '--network', onExit && '--on-exit', v['init-tools'] !== undefined && '--init-tools'].filter(Boolean);
    if (shaping.length > 0) throw usage(`${shaping.join(' and ')} shape${shaping.length > 1 ? '' : 's'} the generated /init and cannot be used with --init FILE`);
  }
  const moduleNames = v.module ?? [];
  if (moduleNames.length > 0 && v['modules-dir'] === undefined) {
    throw usage('--module needs --modules-dir DIR (the /lib/modules/VERSION directory of the guest kernel, e.g. /lib/modules/$(uname -r))');
  }
  if (v['modules-dir'] !== undefined && moduleNames.length === 0) throw usage('--modules-dir: name the modules to copy with --module NAME');
  if (v['modules-dir'] === '') throw usage('--modules-dir: expected a /lib/modules/VERSION directory');
  if (moduleNames.includes('')) throw usage('--module: expected a module name such as virtio_net');
  const initTools = v['init-tools'] ?? (env[INIT_TOOLS_ENV] || undefined);
  const bootValues = Object.fromEntries(
    Object.entries(v)
      .filter(([name]) => name.startsWith('boot-') && name !== 'boot-test')
      .map(([name, value]) => [name.slice('boot-'.length), value as string | boolean | undefined]),
  );
  const bootTest = v['boot-test'] ? bootSettings(bootValues, '--boot-') : undefined;
  if (bootTest) requireKernel(bootTest, '--boot-');
  else if (Object.keys(bootValues).length > 0) throw usage(`--boot-${Object.keys(bootValues)[0]} needs --boot-test`);
  if (bootTest && output === STDOUT) throw usage('--boot-test needs the archive in a file: -o FILE, not -o -');
  if (v.checksums && output === STDOUT) throw usage('--checksums needs the archive in a file: -o FILE, not -o - (pipe it through sha256sum instead)');
  return {
    kind: 'build',
    image,
    output,
    compression,
    level,
    platform: v.platform,
    inject: (v.inject ?? []).map((s) => parseInjectSpec(s, host.platform)),
    init: v.init,
    ...(network ? { network } : {}),
    ...(onExit ? { onExit } : {}),
    ...(initTools !== undefined && v.init === undefined ? { initTools } : {}),
    ...(v['modules-dir'] !== undefined ? { modules: { dir: resolve(v['modules-dir']), names: moduleNames } } : {}),
    exclude: v.exclude ?? [],
    report: v.report === undefined || v.report === STDOUT ? v.report : resolve(v.report),
    cacheDir,
    sourceDateEpoch: parseSourceDateEpoch(env.SOURCE_DATE_EPOCH),
    registry,
    ...(bootTest ? { bootTest } : {}),
    ...(v.checksums ? { checksums: true } : {}),
  };
}
