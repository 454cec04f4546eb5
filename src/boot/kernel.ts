// The kernel a boot test runs: a file the user has (`--kernel /boot/vmlinuz-$(uname -r)`) or an image that
// holds one (`--kernel-image REF`: LinuxKit's kernel images keep it at /kernel; distro images at
// /boot/vmlinuz-*). Either is checked here, from its header, to be a kernel QEMU can load for the target
// architecture: a text file or an amd64 kernel on an arm64 boot otherwise fails inside QEMU (or hangs
// silently until the timeout), far from its cause. A kernel taken from an image is written once into the
// cache, under the manifest digest, so the next boot with the same image reads no layer again.
import { randomBytes, createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve as resolvePath } from 'node:path';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { DigestMismatchError, InitramfsError } from '../errors.ts';
import { CollectingReporter } from '../log.ts';
import { quote, quoteBytes, shown } from '../quote.ts';
import { acquireScratch } from '../scratch.ts';
import { openSource, type SourceOptions } from '../image/source.ts';
import { formatPlatform, type ImageSource, type Platform, type ResolvedImage } from '../image/types.ts';
import type { Node } from '../rootfs/node.ts';
import { readImageTree, type ImageTree } from '../rootfs/image-tree.ts';
import { readNodeRange } from '../rootfs/read-node.ts';
import { lookup, resolveDir } from '../rootfs/tree.ts';

/** What to boot: exactly one of a host file (--kernel) and an image reference (--kernel-image). */
export interface KernelSpec {
  file?: string;
  image?: string;
}

export interface KernelOptions {
  /** The tool's cache: kernels taken from images are kept in `kernels/<manifest digest hex>/kernel`. */
  cacheDir: string;
  /** The archive's platform: the kernel must be for its architecture; a kernel image is resolved for it. */
  platform: Platform;
  /** How images are opened (the build's own registry options, credentials, reporter). */
  source: SourceOptions;
  /** Where layer spools go while a kernel image is read; default this process's scratch directory in the cache. */
  work?: string;
}

export interface ResolvedKernel {
  /** The kernel file to give QEMU's -kernel. */
  path: string;
  /** The file or the image reference, as given. */
  from: string;
  /** The kernel image's manifest digest; null for a file (and for an image source without a manifest digest). */
  digest: string | null;
}

/** The kernel forms QEMU's -kernel loads, as recognised from their first bytes. */
export type KernelFormat =
  /** x86 boot protocol: "HdrS" at 0x202. Loaded by qemu-system-x86_64 (microvm, pc). */
  | 'bzImage'
  /** arm64 Image: "ARM\x64" at 0x38 (Documentation/arch/arm64/booting.rst). */
  | 'arm64 Image'
  /** An arm64 Image compressed whole, as Debian ships arm64 vmlinuz: QEMU's virt board inflates it. */
  | 'gzip arm64 Image'
  | 'zstd arm64 Image';

export const KERNEL_FORMS =
  'a bzImage for amd64 such as /boot/vmlinuz-$(uname -r), an arm64 Image (plain, gzip or zstd), or a kernel image such as a LinuxKit kernel via --kernel-image REF';

/** How many first bytes decide the format (the x86 setup header ends well before this). */
const HEAD = 0x240;
/** Enough of a compressed Image to inflate its first HEAD bytes. */
const COMPRESSED_HEAD = 64 << 10;
const BZIMAGE_MAGIC = Buffer.from('HdrS', 'latin1');
const BZIMAGE_OFFSET = 0x202;
const ARM64_MAGIC = Buffer.from('ARM\x64', 'latin1');
const ARM64_OFFSET = 0x38;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** The format of an uncompressed kernel from its first bytes; undefined when it is neither. Pure. */
export function plainKernelFormat(head: Uint8Array): 'bzImage' | 'arm64 Image' | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= BZIMAGE_OFFSET + 4 && b.subarray(BZIMAGE_OFFSET, BZIMAGE_OFFSET + 4).equals(BZIMAGE_MAGIC)) return 'bzImage';
  if (b.length >= ARM64_OFFSET + 4 && b.subarray(ARM64_OFFSET, ARM64_OFFSET + 4).equals(ARM64_MAGIC)) return 'arm64 Image';
  return undefined;
}

/** The compression a kernel file starts with, if any. Pure. */
export function kernelCompression(head: Uint8Array): 'gzip' | 'zstd' | undefined {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (b.length >= 2 && b.subarray(0, 2).equals(GZIP_MAGIC)) return 'gzip';
  if (b.length >= 4 && b.subarray(0, 4).equals(ZSTD_MAGIC)) return 'zstd';
  return undefined;
}

/**
 * The first HEAD bytes `prefix` inflates to (fewer when it ends or is corrupt first). A compressed kernel
 * is only trusted once its inside is seen to be an Image: a gzip'd bzImage or tarball also starts 1f 8b.
 */
function inflateHead(prefix: Buffer, compression: 'gzip' | 'zstd'): Promise<Buffer> {
  return new Promise((done) => {
    const z = compression === 'gzip' ? createGunzip() : createZstdDecompress();
    const chunks: Buffer[] = [];
    let got = 0;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      z.destroy();
      done(Buffer.concat(chunks).subarray(0, HEAD));
    };
    z.on('data', (c: Buffer) => {
      chunks.push(c);
      got += c.length;
      if (got >= HEAD) finish();
    });
    // The prefix is cut mid-stream: "unexpected end of file" is the normal end here.
    z.on('error', finish);
    z.on('end', finish);
    z.end(prefix);
  });
}

/** What a kernel's first bytes say it is (compressed forms inflated); a reason when nothing fits. */
export async function kernelFormat(prefix: Buffer): Promise<KernelFormat | { unknown: string }> {
  const plain = plainKernelFormat(prefix);
  if (plain !== undefined) return plain;
  const compression = kernelCompression(prefix);
  if (compression === undefined) {
    return { unknown: prefix.length < HEAD ? `only ${prefix.length} bytes long` : 'neither a bzImage ("HdrS" at 0x202) nor an arm64 Image ("ARM\\x64" at 0x38), nor gzip or zstd' };
  }
  const inside = plainKernelFormat(await inflateHead(prefix, compression));
  if (inside === 'arm64 Image') return compression === 'gzip' ? 'gzip arm64 Image' : 'zstd arm64 Image';
  if (inside === 'bzImage') return { unknown: `a ${compression}-compressed bzImage (QEMU loads a bzImage only as it is, uncompressed)` };
  return { unknown: `${compression}-compressed, but not an arm64 Image inside` };
}

type KernelArch = 'x86' | 'arm64';
const archOfFormat = (f: KernelFormat): KernelArch => (f === 'bzImage' ? 'x86' : 'arm64');
const ARCH_OF_PLATFORM: Readonly<Record<string, KernelArch>> = { amd64: 'x86', '386': 'x86', arm64: 'arm64' };
const ARCH_NAMES: Readonly<Record<KernelArch, string>> = { x86: 'an x86 kernel (bzImage)', arm64: 'an arm64 kernel' };
const WANTED: Readonly<Record<KernelArch, string>> = {
  x86: 'a bzImage for x86 (such as /boot/vmlinuz-* of an amd64 Debian or Ubuntu)',
  arm64: 'an arm64 Image (plain, gzip or zstd; such as /boot/vmlinuz-* of an arm64 Debian)',
};

/**
 * Why `format` cannot boot `platform`, or undefined when it can. An architecture without a kernel check
 * here (riscv64, s390x) is taken on trust: QEMU is the check there.
 */
function archMismatch(format: KernelFormat, platform: Platform): string | undefined {
  const want = ARCH_OF_PLATFORM[platform.architecture];
  const have = archOfFormat(format);
  if (want === undefined || want === have) return undefined;
  return `is ${ARCH_NAMES[have]} but the platform is ${formatPlatform(platform)}: give ${WANTED[want]}`;
}

/** Reads up to `n` bytes from the start of an open file. */
async function readPrefix(fh: FileHandle, n: number): Promise<Buffer> {
  const buf = Buffer.alloc(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** --kernel FILE: exists, is a readable regular file, and is a kernel for the platform's architecture. */
export async function checkKernelFile(file: string, platform: Platform): Promise<{ path: string; format: KernelFormat }> {
  const q = quote(file);
  const fail = (why: string, forms = true): InitramfsError =>
    new InitramfsError('USAGE', `--kernel ${q} ${why}${forms ? `; expected ${KERNEL_FORMS}` : ''}`);
  const path = resolvePath(file);
  let fh: FileHandle;
  try {
    // O_NONBLOCK: a FIFO given by mistake must not block the open until a writer comes (Windows has no
    // FIFOs in its file system, nor the flag).
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw fail('does not exist');
    if (code === 'EACCES' || code === 'EPERM') {
      throw fail(`is not readable (Ubuntu installs kernels readable by root only: sudo chmod a+r ${q}, or use --kernel-image)`, false);
    }
    if (code === 'ENOTDIR') throw fail('does not exist (a component of the path is not a directory)');
    throw fail(`cannot be opened (${code ?? (e as Error).message})`, false);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw fail(`is ${st.isDirectory() ? 'a directory' : 'not a regular file'}`);
    const prefix = await readPrefix(fh, COMPRESSED_HEAD).catch((e: unknown) => {
      throw fail(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, false);
    });
    const format = await kernelFormat(prefix);
    if (typeof format !== 'string') throw fail(`is not a Linux kernel QEMU can boot: ${format.unknown}`);
    const mismatch = archMismatch(format, platform);
    if (mismatch !== undefined) throw fail(mismatch, false);
    return { path, format };
  } finally {
    await fh.close();
  }
}

/**
 * `sort -V` order of two names: runs of digits compare as numbers, other runs as bytes, so
 * vmlinuz-6.1.0-10-amd64 is newer than vmlinuz-6.1.0-9-amd64. Pure.
 */
export function compareVersions(a: string, b: string): number {
  const runs = (s: string): string[] => s.match(/\d+|\D+/g) ?? [];
  const x = runs(a);
  const y = runs(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) {
      const m = p.replace(/^0+/, '');
      const n = q.replace(/^0+/, '');
      if (m.length !== n.length) return m.length - n.length;
      if (m !== n) return m < n ? -1 : 1;
      continue; // equal numbers spelled with other leading zeros
    }
    return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** Where a kernel image's kernel is looked for, in this order. */
export const KERNEL_PLACES = '/kernel (LinuxKit kernel images), the newest /boot/vmlinuz*, the newest /boot/Image*';

/** A regular file in the model with the path it was found at (byte string). */
interface Found {
  path: string;
  node: Node;
}

/** The newest regular file (symlinks followed inside the image) in /boot whose name starts with `prefix`. */
function newestInBoot(root: Node, prefix: string): Found | undefined {
  const boot = resolveDir(root, ['boot'], false);
  if (!boot.ok) return undefined;
  const names = [...boot.node.children!.keys()]
    // A kernel kept by an upgrade (vmlinuz.old) is not the one the image boots.
    .filter((name) => name.startsWith(prefix) && !name.endsWith('.old'))
    .sort((a, b) => compareVersions(b, a));
  for (const name of names) {
    const path = `/boot/${name}`;
    const node = lookup(root, path, { follow: true });
    if (node?.inode.type === 'file') return { path, node };
  }
  return undefined;
}

/** The kernel in an image's model, or a reason naming where it looked. */
function findKernel(root: Node): Found | { missing: string } {
  const kernel = lookup(root, '/kernel', { follow: true });
  if (kernel?.inode.type === 'file') return { path: '/kernel', node: kernel };
  const found = newestInBoot(root, 'vmlinuz') ?? newestInBoot(root, 'Image');
  if (found) return found;
  const link = lookup(root, '/kernel', { follow: false });
  const odd =
    link === undefined ? '' :
    link.inode.type === 'symlink' ? `; its /kernel is a symlink to ${quoteBytes(link.inode.target ?? '')}, which names no regular file in the image` :
    `; its /kernel is a ${link.inode.type === 'dir' ? 'directory' : link.inode.type}, not a regular file`;
  return { missing: `has no kernel: looked for ${KERNEL_PLACES}${odd}` };
}

/** `kernels/<hex>` for a manifest digest, or undefined for a digest of an unexpected shape. */
function cacheKey(digest: string): string | undefined {
  const m = /^([a-z0-9]+):([0-9a-f]{32,})$/.exec(digest);
  if (!m) return undefined;
  return m[1] === 'sha256' ? m[2]! : `${m[1]}-${m[2]}`;
}

const cachePath = (cacheDir: string, key: string): string => join(cacheDir, 'kernels', key, 'kernel');

/** Whether the cache holds a kernel at `path` that fits the platform (a damaged entry is not one). */
async function cachedKernel(path: string, platform: Platform): Promise<boolean> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return false;
  }
  try {
    if (!(await fh.stat()).isFile()) return false;
    const format = await kernelFormat(await readPrefix(fh, COMPRESSED_HEAD));
    return typeof format === 'string' && archMismatch(format, platform) === undefined;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

const COPY_CHUNK = 1 << 20;

/**
 * Copies the model's file into `tmp` (fsynced: the entry is renamed into the cache next, and a power cut
 * must not leave a name there for bytes never written). Returns the sha256 of the bytes.
 */
async function writeKernel(node: Node, tmp: string): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(tmp, 'wx', 0o644);
  try {
    const size = node.inode.size;
    const buf = Buffer.alloc(Math.min(COPY_CHUNK, Math.max(size, 1)));
    for (let pos = 0; pos < size; pos += buf.length) {
      const n = Math.min(buf.length, size - pos);
      readNodeRange(node, pos, buf, n);
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      await fh.write(chunk, 0, n);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * The kernel to boot: `spec.file` checked where it is, or `spec.image`'s kernel taken out of the image
 * (for `o.platform`) into the cache, once per manifest digest.
 */
export async function resolveKernel(spec: KernelSpec, o: KernelOptions): Promise<ResolvedKernel> {
  if (spec.file !== undefined && spec.image !== undefined) {
    throw new InitramfsError('USAGE', '--kernel and --kernel-image both name a kernel; give one of them');
  }
  if (spec.file !== undefined) {
    const { path } = await checkKernelFile(spec.file, o.platform);
    return { path, from: spec.file, digest: null };
  }
  if (spec.image !== undefined) return kernelFromImage(spec.image, o);
  throw new InitramfsError('USAGE', `no kernel to boot: give --kernel FILE or --kernel-image REF; expected ${KERNEL_FORMS}`);
}

async function kernelFromImage(reference: string, o: KernelOptions): Promise<ResolvedKernel> {
  let source: ImageSource;
  try {
    source = await openSource(reference, o.source);
  } catch (e) {
    throw imageError(reference, e);
  }
  try {
    return await kernelFromSource(source, reference, o);
  } finally {
    await source.close?.();
  }
}

async function kernelFromSource(source: ImageSource, reference: string, o: KernelOptions): Promise<ResolvedKernel> {
  let image: ResolvedImage;
  try {
    image = await source.resolve(o.platform);
  } catch (e) {
    throw imageError(reference, e);
  }
  const digest = image.digest ?? null;
  const key = digest === null ? undefined : cacheKey(digest);
  if (key !== undefined) {
    const path = cachePath(o.cacheDir, key);
    // The same manifest is the same layers: its kernel was taken out before.
    if (await cachedKernel(path, o.platform)) return { path, from: reference, digest };
  }

  const about = `kernel image ${shown(reference)} (${formatPlatform(image.platform)})`;
  const reporter = o.source.reporter ?? new CollectingReporter();
  const scratch = acquireScratch(o.cacheDir);
  let tree: ImageTree | undefined;
  const tmp = join(scratch.dir, `kernel-${randomBytes(6).toString('hex')}`);
  const work = join(o.work ?? scratch.dir, `kernel-spools-${randomBytes(6).toString('hex')}`);
  try {
    await mkdir(work, { recursive: true, mode: 0o700 });
    try {
      tree = await readImageTree(image.layers, work, reporter);
    } catch (e) {
      throw imageError(reference, e);
    }
    const found = findKernel(tree.root);
    if ('missing' in found) {
      throw new InitramfsError('BAD_IMAGE', `${about} ${found.missing}; expected an image holding a kernel, such as LinuxKit's linuxkit/kernel images`);
    }
    const where = quoteBytes(found.path);
    const head = Buffer.alloc(Math.min(found.node.inode.size, COMPRESSED_HEAD));
    readNodeRange(found.node, 0, head, head.length);
    const format = await kernelFormat(head);
    if (typeof format !== 'string') throw new InitramfsError('BAD_IMAGE', `${about}: ${where} is not a Linux kernel QEMU can boot: ${format.unknown}`);
    const mismatch = archMismatch(format, o.platform);
    if (mismatch !== undefined) throw new InitramfsError('BAD_IMAGE', `${about}: ${where} ${mismatch}`);

    const written = await writeKernel(found.node, tmp).catch((e: unknown) => {
      throw ioError(o.cacheDir, e);
    });
    // A source without a manifest digest (a docker archive) is keyed by the kernel's own bytes.
    const path = cachePath(o.cacheDir, key ?? cacheKey(written)!);
    try {
      await mkdir(join(path, '..'), { recursive: true, mode: 0o755 });
      await rename(tmp, path);
    } catch (e) {
      throw ioError(o.cacheDir, e);
    }
    reporter.info(`kernel ${where} of ${about} (${format}, ${(found.node.inode.size / 1e6).toFixed(1)} MB) kept in the cache`);
    return { path, from: reference, digest };
  } finally {
    tree?.dispose();
    await rm(tmp, { force: true });
    await rm(work, { recursive: true, force: true });
    await scratch.release();
  }
}

function ioError(cacheDir: string, e: unknown): InitramfsError {
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new InitramfsError('IO', `cache directory ${quote(cacheDir)}: cannot store a kernel (${why}); pass --cache-dir DIR`, { cause: e });
}

/**
 * An error from opening, resolving or reading the kernel image, said to be about it: "no image for
 * platform linux/arm64" alone would not say which of the boot's two images lacks it. Code and class kept.
 */
function imageError(reference: string, e: unknown): unknown {
  if (!(e instanceof InitramfsError)) return e;
  const message = e.message.startsWith(`${reference}:`) ? `kernel image ${e.message}` : `kernel image ${shown(reference)}: ${e.message}`;
  if (e instanceof DigestMismatchError) return new DigestMismatchError(e.blob, message);
  return new InitramfsError(e.code, message, { cause: e });
}
