// The action's inputs, parsed once into a typed object before any work starts. Every message names the
// input (as the workflow spells it) and the form it expects, so a typo in `with:` is one clear line.
// Pure: it reads through a getter (core.getInput in the action, a record in tests) and the environment.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { didYouMean } from '../did-you-mean.ts';
import { pathFor, thisHost, type Host } from '../host-path.ts';
import { parseCompression, resolveLevel, type Compression } from '../initramfs/compress.ts';
import { parsePlatform } from '../image/platform.ts';
import { isLocalReference, registryName } from '../image/transport.ts';
import { formatPlatform } from '../image/types.ts';
import { parseReference } from '../registry/reference.ts';
import { parseInjectSpec, type InjectSpec } from '../rootfs/overlay.ts';
import { compressionFromName, STDOUT, SUFFIX_FOR } from '../output.ts';
import { quote } from '../quote.ts';
import { parseSourceDateEpoch } from '../source-date-epoch.ts';
import { parseDuration } from '../duration.ts';
import type { NetworkMode, OnExit } from '../initramfs/init-script.ts';
import { INIT_TOOLS_ENV } from '../initramfs/init-tools.ts';
import type { KernelSpec } from '../boot/kernel.ts';
import type { BootArch } from '../boot/qemu.ts';

export type UploadMode = 'artifact' | 'release' | 'none';
const UPLOAD_MODES: readonly UploadMode[] = ['artifact', 'release', 'none'];
const NETWORK_MODES: readonly NetworkMode[] = ['cmdline', 'dhcp', 'none'];
const ON_EXIT: readonly OnExit[] = ['poweroff', 'reboot', 'shell'];

export interface ActionInputs {
  image: string;
  inject: InjectSpec[];
  /** Absolute host path of the /init to install. */
  init?: string;
  /** The generated /init's network setup; unset = the build's default (cmdline). */
  network?: NetworkMode;
  /** What the generated /init does after the command; unset = poweroff. */
  onExit?: OnExit;
  /** `init-tools` (else INITRAMFS_ACTION_INIT_TOOLS): the image with the generated /init's busybox. */
  initTools?: string;
  /** `modules-dir` (absolute) and `modules`, one name per line. */
  modules?: { dir: string; names: string[] };
  compression: Compression;
  /** The level actually used (the compression's default when the input is empty). */
  level: number;
  /** Normalised `os/arch[/variant]`. */
  platform: string;
  exclude: string[];
  /** Absolute path of the archive. */
  output: string;
  cache: boolean;
  upload: UploadMode;
  /** The artifact's name; the uploaded file carries it (see publish-artifact.ts). */
  artifactName: string;
  retentionDays?: number;
  /** Set when upload is 'release'. */
  releaseTag?: string;
  overwrite: boolean;
  /** `checksums`: write `<output>.sha256` and publish it with the archive. */
  checksums: boolean;
  registryUsername?: string;
  registryPassword?: string;
  githubToken?: string;
  /** `timeout`: no registry request may end later than this long after the build started. */
  timeoutMs?: number;
  /** From SOURCE_DATE_EPOCH in the environment. */
  sourceDateEpoch?: number;
  /** Set when `boot-test` is true: the archive is booted under QEMU after the build, before publishing. */
  boot?: BootInputs;
}

/** The `boot-*` inputs. */
export interface BootInputs {
  /** `boot-kernel`: a file (absolute) when the path exists in the workspace, else an image reference. */
  kernel: KernelSpec;
  /** `boot-expect`; unset = the generated /init's status-0 line. */
  expect?: string;
  /** `boot-timeout`; unset = the boot's default (120 s). */
  timeoutMs?: number;
  /** `boot-append`: more kernel command-line words. */
  append?: string;
  /** The guest's architecture, from `platform` (only these two boot). */
  arch: BootArch;
}

/** Reads one input: '' when it was not given (core.getInput's convention). */
export type InputGetter = (name: string) => string;

const bad = (input: string, value: string, expected: string, choices?: readonly string[]): InitramfsError =>
  new InitramfsError(
    'USAGE',
    `input '${input}': ${value === '' ? 'empty' : JSON.stringify(value)}: expected ${expected}${choices && value !== '' ? didYouMean(value, choices) : ''}`,
  );

/** Lines of a multiline input, trimmed, without blanks and `#` comments. */
const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

function parseBoolean(input: string, value: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase();
  if (v === '') return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw bad(input, value, 'true or false', ['true', 'false']);
}

/**
 * `python:3.12-alpine` → `python-3.12-alpine`; by digest → the repository and a short digest; a local
 * source → its file's or directory's name (`oci:C:\layouts\app:v1` → `app-v1` on Windows).
 */
export function imageSlug(image: string, platform: NodeJS.Platform = process.platform): string {
  let name: string;
  let version: string | undefined;
  if (isLocalReference(image)) {
    // oci:DIR[:REF], oci-archive:FILE[:REF], docker-archive:FILE[:REF]: the last path component with its
    // ref, without .tar and a compression suffix (img.tar.gz → img).
    const body = image.slice(image.indexOf(':') + 1);
    name = (body.split(platform === 'win32' ? /[\\/]/ : '/').filter(Boolean).pop() ?? 'image')
      .replace(/\.(?:tar(?:\.(?:gz|zst|zstd|xz|bz2|lz4))?|tgz|tzst)(?=:|$)/, '')
      .replace(/:/g, '-');
  } else {
    const ref = parseReference(registryName(image));
    name = ref.repository.split('/').pop()!;
    version = ref.digest !== undefined && ref.tag === undefined ? ref.digest.slice(7, 19) : ref.tag;
  }
  const slug = [name, version]
    .filter((p): p is string => p !== undefined && p !== '')
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '');
  return slug === '' ? 'image' : slug;
}

export const extensionFor = (c: Compression): string => ({ gzip: '.cpio.gz', zstd: '.cpio.zst', none: '.cpio' })[c];

/** The tag a release upload targets when `release-tag` is empty: the tag push or release that ran us. */
function triggeringTag(env: NodeJS.ProcessEnv): string | undefined {
  if (env['GITHUB_EVENT_NAME'] === 'release' && env['GITHUB_EVENT_PATH']) {
    try {
      const event = JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'], 'utf8')) as { release?: { tag_name?: unknown } };
      if (typeof event.release?.tag_name === 'string' && event.release.tag_name !== '') return event.release.tag_name;
    } catch {
      // An unreadable event file falls through to GITHUB_REF.
    }
  }
  const ref = env['GITHUB_REF'] ?? '';
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/**
 * The inputs, checked. Paths (inject sources, init, output, modules-dir, a boot-kernel file) are the
 * runner's (`host`: this process's by default): relative ones start at the workspace, and on a Windows
 * runner `C:\out\x.gz`, `dist\x.gz` and `\\server\share\x` are paths like `/out/x.gz` on Linux.
 */
export function parseInputs(get: InputGetter, env: NodeJS.ProcessEnv, host: Host = thisHost()): ActionInputs {
  const paths = pathFor(host.platform);
  const workspace = env['GITHUB_WORKSPACE'] || host.cwd;
  const hostPath = (p: string): string => (paths.isAbsolute(p) ? p : paths.resolve(workspace, p));

  const image = get('image').trim();
  if (image === '') throw bad('image', '', 'an image reference such as python:3.12-alpine or ghcr.io/owner/name:tag');
  const wrap = <T>(input: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InitramfsError) throw new InitramfsError('USAGE', `input '${input}': ${e.message}`);
      throw e;
    }
  };
  if (!isLocalReference(image)) wrap('image', () => parseReference(registryName(image)));

  // The output's suffix implies a compression, as in the CLI: it decides when `compression` is empty, and
  // the two must agree when both are given.
  const outputText = get('output').trim();
  if (outputText === STDOUT) throw bad('output', outputText, "a file path (the action's standard output is the job log)");
  const implied = outputText === '' ? undefined : compressionFromName(outputText);
  const compressionText = get('compression').trim();
  const compression = compressionText === '' ? (implied?.compression ?? 'gzip') : wrap('compression', () => parseCompression(compressionText));
  if (implied !== undefined && compressionText !== '' && implied.compression !== compression) {
    throw new InitramfsError(
      'USAGE',
      `input 'compression': ${JSON.stringify(compressionText)} contradicts input 'output' ${quote(outputText)} (${implied.suffix} means ${implied.compression}): ` +
        `leave compression empty, or name a file ending in ${SUFFIX_FOR[compression]}`,
    );
  }
  const levelText = get('compression-level').trim();
  if (levelText !== '' && !/^-?\d+$/.test(levelText)) throw bad('compression-level', levelText, 'an integer');
  const level = wrap('compression-level', () => resolveLevel(compression, levelText === '' ? undefined : Number(levelText)));

  const platformText = get('platform').trim();
  const platform = formatPlatform(wrap('platform', () => parsePlatform(platformText === '' ? undefined : platformText)));

  const inject = lines(get('inject')).map((line) => {
    const spec = wrap('inject', () => parseInjectSpec(line, host.platform));
    return { ...spec, source: hostPath(spec.source) };
  });
  const initText = get('init').trim();
  const exclude = lines(get('exclude'));
  const networkText = get('network').trim();
  if (networkText !== '' && !NETWORK_MODES.includes(networkText as NetworkMode)) throw bad('network', networkText, NETWORK_MODES.join(', '), NETWORK_MODES);
  const onExitText = get('on-exit').trim();
  if (onExitText !== '' && !ON_EXIT.includes(onExitText as OnExit)) throw bad('on-exit', onExitText, ON_EXIT.join(', '), ON_EXIT);
  const initToolsText = get('init-tools').trim();
  if (initText !== '') {
    const shaping = [networkText && 'network', onExitText && 'on-exit', initToolsText && 'init-tools'].filter(Boolean);
    if (shaping.length > 0) {
      throw new InitramfsError('USAGE', `input${shaping.length > 1 ? 's' : ''} ${shaping.map((n) => `'${n}'`).join(' and ')} shape${shaping.length > 1 ? '' : 's'} the generated /init and cannot be used with input 'init'`);
    }
  }
  const modulesDirText = get('modules-dir').trim();
  const moduleNames = lines(get('modules'));
  if (moduleNames.length > 0 && modulesDirText === '') throw bad('modules-dir', '', "the guest kernel's /lib/modules/VERSION directory when 'modules' names modules");
  if (modulesDirText !== '' && moduleNames.length === 0) throw bad('modules', '', "module names, one per line (e.g. virtio_net), when 'modules-dir' is given");

  const slug = `${imageSlug(image, host.platform)}-${platform.replaceAll('/', '-')}`;
  const output = hostPath(outputText === '' ? slug + extensionFor(compression) : outputText);

  const uploadText = get('upload').trim() || 'artifact';
  if (!(UPLOAD_MODES as readonly string[]).includes(uploadText)) throw bad('upload', uploadText, UPLOAD_MODES.join(', '), UPLOAD_MODES);
  const upload = uploadText as UploadMode;

  const artifactName = get('artifact-name').trim() || slug + extensionFor(compression);
  // The artifact service refuses these characters in names; say so before the build, not after.
  if (/["<>|*?\\/:\r\n]/.test(artifactName)) {
    throw bad('artifact-name', artifactName, 'a name without any of " : < > | * ? \\ / or line breaks');
  }
  const retentionText = get('retention-days').trim();
  if (retentionText !== '' && !/^[1-9]\d*$/.test(retentionText)) throw bad('retention-days', retentionText, 'a whole number of days from 1');

  let releaseTag = get('release-tag').trim() || undefined;
  if (upload === 'release') {
    releaseTag ??= triggeringTag(env);
    if (releaseTag === undefined) {
      throw bad('release-tag', '', "a tag when upload is 'release' and the run was not triggered by a tag push or a release");
    }
  }

  const token = get('github-token');
  if (upload === 'release' && token === '') throw bad('github-token', '', "a token with 'contents: write' when upload is 'release'");

  const registryUsername = get('registry-username').trim() || undefined;
  const registryPassword = get('registry-password') || undefined;
  if ((registryUsername === undefined) !== (registryPassword === undefined)) {
    const missing = registryUsername === undefined ? 'registry-username' : 'registry-password';
    throw bad(missing, '', `a value: registry-username and registry-password go together`);
  }

  const timeoutText = get('timeout').trim();
  const timeoutMs = timeoutText === '' ? undefined : parseDuration(timeoutText);
  if (timeoutText !== '' && timeoutMs === undefined) throw bad('timeout', timeoutText, 'a duration such as 90s, 10m or 1h30m (at most 7d)');

  const inputs: ActionInputs = {
    image,
    inject,
    compression,
    level,
    platform,
    exclude,
    output,
    cache: parseBoolean('cache', get('cache'), true),
    upload,
    artifactName,
    overwrite: parseBoolean('overwrite', get('overwrite'), false),
    checksums: parseBoolean('checksums', get('checksums'), false),
  };
  if (initText !== '') inputs.init = hostPath(initText);
  if (networkText !== '') inputs.network = networkText as NetworkMode;
  if (onExitText !== '') inputs.onExit = onExitText as OnExit;
  const initTools = initToolsText || env[INIT_TOOLS_ENV] || '';
  if (initText === '' && initTools !== '') inputs.initTools = initTools;
  if (modulesDirText !== '') inputs.modules = { dir: hostPath(modulesDirText), names: moduleNames };
  if (retentionText !== '') inputs.retentionDays = Number(retentionText);
  if (timeoutMs !== undefined) inputs.timeoutMs = timeoutMs;
  if (upload === 'release') inputs.releaseTag = releaseTag!;
  if (registryUsername !== undefined) inputs.registryUsername = registryUsername;
  if (registryPassword !== undefined) inputs.registryPassword = registryPassword;
  const boot = parseBootInputs(get, platform, hostPath, host.platform);
  if (boot !== undefined) inputs.boot = boot;
  const epoch = parseSourceDateEpoch(env['SOURCE_DATE_EPOCH']);
  if (epoch !== undefined) inputs.sourceDateEpoch = epoch;
  if (token !== '') inputs.githubToken = token;
  return inputs;
}

const BOOT_OPTIONS = ['boot-kernel', 'boot-expect', 'boot-timeout', 'boot-append'] as const;
const KERNEL_EXAMPLES =
  'a kernel file in the workspace (a bzImage for amd64, an Image for arm64) or an image holding one at /kernel or /boot/vmlinuz* (a LinuxKit kernel image such as linuxkit/kernel:6.6.71)';

/** The boot-* inputs, or undefined when boot-test is false (then none of them may be given). */
function parseBootInputs(get: InputGetter, platform: string, hostPath: (p: string) => string, hostPlatform: NodeJS.Platform): BootInputs | undefined {
  const enabled = parseBoolean('boot-test', get('boot-test'), false);
  const text = Object.fromEntries(BOOT_OPTIONS.map((n) => [n, get(n).trim()])) as Record<(typeof BOOT_OPTIONS)[number], string>;
  if (!enabled) {
    // A boot-kernel without boot-test would silently prove nothing: say so rather than skip the boot.
    const given = BOOT_OPTIONS.filter((n) => text[n] !== '');
    if (given.length > 0) {
      throw new InitramfsError(
        'USAGE',
        `input${given.length > 1 ? 's' : ''} ${given.map((n) => `'${n}'`).join(' and ')} need${given.length > 1 ? '' : 's'} input 'boot-test' to be true`,
      );
    }
    return undefined;
  }
  const arch = platform.split('/')[1];
  if (arch !== 'amd64' && arch !== 'arm64') {
    throw new InitramfsError('USAGE', `input 'boot-test': platform ${platform} cannot be booted; only linux/amd64 and linux/arm64 archives can`);
  }
  const kernelText = text['boot-kernel'];
  if (kernelText === '') throw bad('boot-kernel', '', `the kernel to boot when 'boot-test' is true: ${KERNEL_EXAMPLES}`);
  const boot: BootInputs = { kernel: bootKernel(kernelText, hostPath, hostPlatform), arch };
  if (text['boot-expect'] !== '') boot.expect = text['boot-expect'];
  const timeoutText = text['boot-timeout'];
  if (timeoutText !== '') {
    const ms = parseDuration(timeoutText);
    if (ms === undefined) throw bad('boot-timeout', timeoutText, 'a duration such as 90s, 5m or 1m30s');
    boot.timeoutMs = ms;
  }
  if (text['boot-append'] !== '') boot.append = text['boot-append'];
  return boot;
}

/**
 * `boot-kernel`: a file when the path exists (relative to the workspace), else an image reference. A value
 * that can only be a path (/…, ./…, ../…, ~…; on Windows also C:\…, \…, .\…) but names no file is an
 * error here, not a pull of a strange image name from Docker Hub.
 */
function bootKernel(text: string, hostPath: (p: string) => string, platform: NodeJS.Platform): KernelSpec {
  const path = hostPath(text);
  if (existsSync(path)) return { file: path };
  if (isLocalReference(text)) return { image: text };
  const pathLike = platform === 'win32' ? /^(?:[\\/]|[A-Za-z]:[\\/]|\.{1,2}(?:[\\/]|$)|~)/ : /^(?:\/|\.{1,2}(?:\/|$)|~)/;
  if (pathLike.test(text)) throw bad('boot-kernel', text, `${KERNEL_EXAMPLES}; there is no file ${quote(path)}`);
  try {
    parseReference(registryName(text));
  } catch {
    throw bad('boot-kernel', text, `${KERNEL_EXAMPLES}; it is neither a file in the workspace nor an image reference`);
  }
  return { image: text };
}

/** Where the action keeps its blob cache: the same path on every run, so @actions/cache entries match. */
export const actionCacheDir = (env: NodeJS.ProcessEnv): string =>
  join(env['RUNNER_TEMP'] || join(process.cwd(), '.initramfs-action'), 'initramfs-action-cache');
