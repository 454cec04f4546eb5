// argv → a typed command. Parsing is Node's own util.parseArgs; this file adds the meaning: defaults,
// the compression inferred from the output name, and messages that name the option and the form it takes.
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { parseInjectSpec, type InjectSpec } from '../rootfs/overlay.ts';
import { parseCompression, resolveLevel, type Compression } from '../initramfs/compress.ts';
import { compressionFromName, STDOUT, SUFFIX_FOR } from '../output.ts';
import { quote } from '../quote.ts';
import { parseSourceDateEpoch } from '../source-date-epoch.ts';
import { parseDuration } from '../duration.ts';
import type { NetworkMode, OnExit } from '../initramfs/init-script.ts';
import { DEFAULT_INIT_TOOLS, INIT_TOOLS_ENV } from '../initramfs/init-tools.ts';

export const USAGE = `Usage:
  initramfs-action build IMAGE -o FILE [options]   turn a container image into an initramfs
  initramfs-action inspect IMAGE [--platform P]     show platforms, config and layers
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
      --cache-dir DIR        the tool's cache (default $XDG_CACHE_HOME/initramfs-action)

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
      cacheDir: string;
      sourceDateEpoch?: number;
      registry: RegistryArgs;
    }
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

/** The default cache: XDG's cache home, else ~/.cache. */
export const defaultCacheDir = (env: NodeJS.ProcessEnv): string =>
  join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'initramfs-action');

/** --compression and the output's suffix: the suffix decides unless -c is given, and they must agree. */
function chooseCompression(output: string, given: string | undefined): Compression {
  const implied = compressionFromName(output);
  if (given === undefined) return implied?.compression ?? 'gzip';
  let compression: Compression;
  try {
    compression = parseCompression(given);
  } catch {
    throw usage(`--compression ${quote(given)}: expected gzip, zstd or none`);
  }
  if (implied !== undefined && implied.compression !== compression) {
    throw usage(
      `--compression ${compression} contradicts -o ${quote(output)} (${implied.suffix} means ${implied.compression}); ` +
        `drop --compression, or name a file ending in ${SUFFIX_FOR[compression]}`,
    );
  }
  return compression;
}

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
const distance = (a: string, b: string): number => {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
};

/** `; did you mean X?` for the one candidate within two edits of `word` (the nearest), else ''. */
const didYouMean = (word: string, candidates: readonly string[]): string => {
  const scored = candidates.map((c) => ({ c, d: distance(word, c) })).filter((x) => x.d <= 2).sort((x, y) => x.d - y.d);
  return scored.length > 0 ? `; did you mean ${scored[0]!.c}?` : '';
};

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
  'cache-dir': { type: 'string' },
  username: { type: 'string', short: 'u' },
  'password-stdin': { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
  timeout: { type: 'string' },
} as const;

const COMMANDS = ['build', 'inspect'] as const;
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

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Command {
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
  if (verb === undefined) throw usage('missing command: expected build or inspect');
  if (verb !== 'build' && verb !== 'inspect') throw usage(`unknown command ${quote(verb)}: expected build or inspect${didYouMean(verb, COMMANDS)}`);
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
  const cacheDir = resolve(v['cache-dir'] ?? defaultCacheDir(env));
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
  return {
    kind: 'build',
    image,
    output,
    compression,
    level,
    platform: v.platform,
    inject: (v.inject ?? []).map((s) => parseInjectSpec(s)),
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
  };
}
