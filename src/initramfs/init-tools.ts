// The "init tools" image: where the generated /init's static busybox comes from (installed at
// /.initramfs-action/busybox), so an image without a shell (distroless, scratch + one binary) still boots.
// It is opened like the main image (same cache, credentials and progress), for the same platform, and
// only /bin/busybox is taken from it. That file is checked here, before any archive is written: it runs
// first in the guest, before any library of the image could be found, so it must be a static executable
// for the target machine — anything else is a kernel panic ("init failed") at boot, far from its cause.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DigestMismatchError, InitramfsError } from '../errors.ts';
import { CollectingReporter } from '../log.ts';
import { shown, quoteBytes } from '../quote.ts';
import { openSource, type SourceOptions } from '../image/source.ts';
import { formatPlatform, type ImageSource, type Platform } from '../image/types.ts';
import type { InodeType, Node } from '../rootfs/node.ts';
import { readImageTree, type ImageTree } from '../rootfs/image-tree.ts';
import { readNodeRange } from '../rootfs/read-node.ts';
import { lookup } from '../rootfs/tree.ts';
import { describeElf, elfMatches, elfTargetForPlatform, ET_DYN, ET_EXEC, readElf } from './elf.ts';

/** A static musl busybox, published for every platform the tool builds for. */
export const DEFAULT_INIT_TOOLS = 'docker.io/library/busybox:1.37.0-musl';
/** Overrides DEFAULT_INIT_TOOLS; --init-tools beats it. */
export const INIT_TOOLS_ENV = 'INITRAMFS_ACTION_INIT_TOOLS';

export interface InitTools {
  /** The tools image reference as given. */
  reference: string;
  /** Digest of the platform manifest used, when the source has one. */
  digest: string | null;
  /** The platform resolved, formatted (`linux/arm64/v8`). */
  platform: string;
  /** /bin/busybox of the image: a static ELF executable for the platform. */
  busybox: Uint8Array;
}

const BUSYBOX = '/bin/busybox';
/** Busybox builds are one or two MiB; a file past this is not one, and is not read into memory. */
const MAX_BUSYBOX_SIZE = 64 << 20;
const KIND_NAMES: Readonly<Record<InodeType, string>> = {
  file: 'a regular file',
  dir: 'a directory',
  symlink: 'a symlink',
  char: 'a character device',
  block: 'a block device',
  fifo: 'a FIFO',
};
const CHOOSE = `choose another with --init-tools IMAGE (or the environment variable ${INIT_TOOLS_ENV})`;
const STATIC_EXAMPLE = 'a static busybox is needed, e.g. the busybox:musl or busybox:uclibc images';

/**
 * Open `reference`, resolve `platform`, read its layers into a rootfs model (spools under `work`) and
 * return /bin/busybox's bytes, checked to be a static executable for the platform. Spools and source are
 * released before it returns, also when it fails.
 */
export async function loadInitTools(reference: string, platform: Platform, opts: { source: SourceOptions; work: string }): Promise<InitTools> {
  let source: ImageSource;
  try {
    source = await openSource(reference, opts.source);
  } catch (e) {
    throw toolsError(reference, e);
  }
  try {
    return await loadFrom(source, reference, platform, opts);
  } finally {
    await source.close?.();
  }
}

async function loadFrom(source: ImageSource, reference: string, platform: Platform, opts: { source: SourceOptions; work: string }): Promise<InitTools> {
  const reporter = opts.source.reporter ?? new CollectingReporter();
  const work = await mkdtemp(join(opts.work, 'init-tools-'));
  let tree: ImageTree | undefined;
  try {
    let formatted: string;
    let digest: string | null;
    try {
      const image = await source.resolve(platform);
      formatted = formatPlatform(image.platform);
      digest = image.digest ?? null;
      tree = await readImageTree(image.layers, work, reporter);
    } catch (e) {
      throw toolsError(reference, e);
    }
    const busybox = readBusybox(tree.root, `init-tools image ${shown(reference)} (${shown(formatted)})`);
    checkBusybox(busybox, platform, formatted, reference);
    return { reference, digest, platform: formatted, busybox };
  } finally {
    tree?.dispose();
    await rm(work, { recursive: true, force: true });
  }
}

/** /bin/busybox's bytes, symlinks followed inside the image. */
function readBusybox(root: Node, image: string): Buffer {
  const fail = (why: string): InitramfsError =>
    new InitramfsError('INIT_TOOLS', `${image} ${why}; expected a static busybox at ${BUSYBOX}, such as ${DEFAULT_INIT_TOOLS} has; ${CHOOSE}`);
  const node = lookup(root, BUSYBOX, { follow: true });
  if (node === undefined) {
    const link = lookup(root, BUSYBOX, { follow: false });
    if (link?.inode.type === 'symlink') throw fail(`has ${BUSYBOX} as a symlink to ${quoteBytes(link.inode.target ?? '')}, which names nothing in the image`);
    throw fail(`has no ${BUSYBOX}`);
  }
  const { inode } = node;
  if (inode.type !== 'file') throw fail(`has ${BUSYBOX} as ${KIND_NAMES[inode.type]}, not a regular file`);
  if (inode.size > MAX_BUSYBOX_SIZE) throw fail(`has a ${BUSYBOX} of ${inode.size} bytes, too large to be a busybox`);
  const bytes = Buffer.alloc(inode.size);
  readNodeRange(node, 0, bytes, inode.size);
  return bytes;
}

function checkBusybox(bytes: Uint8Array, platform: Platform, formatted: string, reference: string): void {
  const image = `init-tools image ${shown(reference)} (${shown(formatted)})`;
  const fail = (why: string, expected: string): InitramfsError => new InitramfsError('INIT_TOOLS', `${image}: ${BUSYBOX} ${why}; ${expected}; ${CHOOSE}`);
  const elf = readElf(bytes);
  if (elf === undefined || (elf.type !== ET_EXEC && elf.type !== ET_DYN)) {
    throw fail(elf === undefined ? 'is not an ELF executable (or is cut short)' : `is an ELF file of type ${elf.type}, not an executable`, STATIC_EXAMPLE);
  }
  if (elf.interpreter) {
    throw fail('is dynamically linked (it names a program interpreter, PT_INTERP), but it runs before anything of the image is there', STATIC_EXAMPLE);
  }
  const target = elfTargetForPlatform(platform.architecture);
  // An architecture this tool has no ELF signature for is taken on trust: the boot test is the check there.
  if (target !== undefined && !elfMatches(elf, target)) {
    throw fail(`is for ${describeElf(elf)} but the platform is ${shown(formatted)} (${describeElf(target)})`, 'expected a busybox built for the target platform');
  }
}

/**
 * An error from opening, resolving or reading the tools image, said to be about it: the user may never
 * have named it (it is the default), so "no image for platform linux/s390x" alone would point at the
 * wrong image. Code (and class) kept.
 */
function toolsError(reference: string, e: unknown): unknown {
  if (!(e instanceof InitramfsError)) return e;
  const about = e.message.startsWith(`${reference}:`) ? `init-tools image ${e.message}` : `init-tools image ${shown(reference)}: ${e.message}`;
  // Where another image is the fix: it is not there, or not reachable (an air-gapped runner needs a mirror).
  const hint = ['PLATFORM_NOT_FOUND', 'IMAGE_NOT_FOUND', 'NETWORK', 'AUTH', 'REGISTRY'].includes(e.code);
  const message = hint ? `${about}; ${CHOOSE}` : about;
  if (e instanceof DigestMismatchError) return new DigestMismatchError(e.blob, message);
  return new InitramfsError(e.code, message, { cause: e });
}
