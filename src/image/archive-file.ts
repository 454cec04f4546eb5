// An image archive file (`docker-archive:FILE`, `oci-archive:FILE`) made ready to be read by byte range:
// a plain tar is used where it is; a gzip or zstd one (`docker save img | gzip > img.tar.gz`) is
// decompressed once into this process's scratch directory in the cache (scratch.ts, which a signal or the
// next build after a kill removes) and removed when the source closes. What a file is comes from
// its first bytes, never from its name; formats this tool does not decompress get a message that says how
// to do it.
import { closeSync, createReadStream, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Duplex } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InitramfsError } from '../errors.ts';
import { separatorsFrom } from '../host-path.ts';
import type { Reporter } from '../log.ts';
import { ZstdMultiFrameDecompress } from './decompress.ts';
import { quote, shown } from '../quote.ts';
import { TarArchive } from './tar-archive.ts';
import { isTarHeader, TarFormatError } from './tar-index.ts';
import { acquireScratch, type Scratch } from '../scratch.ts';

/** How an archive file is stored, from its magic bytes. */
export type ArchiveCompression = 'none' | 'gzip' | 'zstd' | 'xz' | 'bzip2' | 'lz4';

/** Compressions this tool decompresses itself. */
const READABLE: ReadonlySet<ArchiveCompression> = new Set(['none', 'gzip', 'zstd']);

const startsWith = (head: Uint8Array, magic: number[]): boolean => magic.every((b, i) => head[i] === b);

/**
 * The compression of a file that starts with `head` (512 bytes or all there are). A valid tar header wins
 * over every magic, since a member's name may begin with any bytes; zstd counts a leading skippable frame
 * (pzstd writes one) as zstd.
 */
export function sniffArchiveCompression(head: Uint8Array): ArchiveCompression {
  if (isTarHeader(head)) return 'none';
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (head.length >= 4 && (head[0]! & 0xf0) === 0x50 && startsWith(head.subarray(1), [0x2a, 0x4d, 0x18])) return 'zstd';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(head, [0x42, 0x5a, 0x68]) && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  if (startsWith(head, [0x04, 0x22, 0x4d, 0x18])) return 'lz4';
  return 'none';
}

/** The command that writes `file` decompressed to image.tar, for formats the tool leaves to the user. */
const DECOMPRESS_COMMAND: Record<string, string> = { xz: 'xz -dc', bzip2: 'bzip2 -dc', lz4: 'lz4 -dc' };

/** `s` as one shell word (for commands shown in messages). */
const shellWord = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

export interface ArchiveReference {
  file: string;
  ref?: string;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Splits `TRANSPORT:FILE[:REF]` (`docker-archive:`, `oci-archive:`). A REF may contain ':' itself
 * (`busybox:latest`), so the FILE is the whole rest when that exists, else the shortest prefix ending
 * before a ':' that exists; with none, the whole rest is the FILE (and its absence is reported later).
 * Anything that exists counts (a directory, a pipe), so the message can say what it is. The colon of a
 * Windows drive (`docker-archive:C:\images\app.tar:latest`) is part of the FILE, never a place to split.
 */
export function parseArchiveReference(transport: string, reference: string, platform: NodeJS.Platform = process.platform): ArchiveReference {
  const prefix = `${transport}:`;
  if (!reference.startsWith(prefix)) {
    throw new InitramfsError('USAGE', `image reference ${quote(reference)}: expected ${prefix}FILE[:REF]`);
  }
  const rest = reference.slice(prefix.length);
  if (rest === '') throw new InitramfsError('USAGE', `image reference ${quote(reference)}: no file after ${prefix}`);
  if (exists(rest)) return { file: rest };
  return archiveSplits(rest, platform).find((split) => exists(split.file)) ?? { file: rest };
}

/** The ways to read `FILE:REF` out of `rest` (what follows the transport), in the order they are tried. */
export function archiveSplits(rest: string, platform: NodeJS.Platform = process.platform): Array<Required<ArchiveReference>> {
  const splits: Array<Required<ArchiveReference>> = [];
  for (let i = rest.indexOf(':', separatorsFrom(rest, platform)); i > 0; i = rest.indexOf(':', i + 1)) {
    if (i < rest.length - 1) splits.push({ file: rest.slice(0, i), ref: rest.slice(i + 1) });
  }
  return splits;
}

/** A plain tar to read the archive from; close() removes it when it is a decompressed copy. */
export interface PlainArchive {
  /** The tar to read (the user's file, or a copy in the cache's tmp/). */
  path: string;
  compression: ArchiveCompression;
  close(): Promise<void>;
}

/** What an archive source needs besides its reference. */
export interface ArchiveSourceOptions {
  /** The build's cache directory: a compressed archive, or a pipe, is copied under its tmp/. */
  cacheDir?: string;
  reporter?: Reporter;
}

export interface ArchiveOpenOptions extends ArchiveSourceOptions {
  /** The reference as the user wrote it, for messages. */
  reference: string;
  /** `docker-archive` or `oci-archive`: how messages name the transport to use instead. */
  transport: string;
}

function readHead(file: string, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    let done = 0;
    for (let n = -1; n !== 0 && done < length; done += n) n = readSync(fd, buf, done, length - done, done);
    return buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** A private directory in the scratch directory of `<cacheDir>` for one archive's copies. */
async function makeTmpDir(scratch: Scratch, opts: ArchiveOpenOptions): Promise<string> {
  try {
    return await mkdtemp(join(scratch.dir, 'archive-'));
  } catch (e) {
    throw new InitramfsError('IO', `${opts.reference}: cannot create a directory in ${quote(scratch.dir)} (${(e as Error).message})`, { cause: e });
  }
}

/** A lease on the scratch directory of the cache, for an archive that must be copied. */
function leaseScratch(opts: ArchiveOpenOptions): Scratch {
  if (opts.cacheDir === undefined) throw new Error(`${opts.reference}: reading this archive needs a cache directory for its copy`);
  return acquireScratch(opts.cacheDir);
}

/**
 * Copies `from` to `to` through `decoder` (none: as is). Which stream failed decides the error: the
 * user's file (IO), its compressed bytes (BAD_IMAGE), or the cache's disk (IO).
 */
async function copyThrough(from: string, to: string, decoder: Duplex | undefined, compression: string, opts: ArchiveOpenOptions): Promise<void> {
  let failed: 'read' | 'decode' | 'write' | undefined;
  const mark = <T extends NodeJS.EventEmitter>(stream: T, where: typeof failed): T => {
    stream.once('error', () => (failed ??= where));
    return stream;
  };
  const input = mark(createReadStream(from, { highWaterMark: 1 << 20 }), 'read');
  const output = mark(createWriteStream(to, { flags: 'wx', mode: 0o600 }), 'write');
  try {
    if (decoder) await pipeline(input, mark(decoder, 'decode'), output);
    else await pipeline(input, output);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    if (failed === 'decode') {
      throw new InitramfsError('BAD_IMAGE', `${opts.reference}: the ${compression} stream is corrupt or truncated (${(e as Error).message})`, { cause: e });
    }
    if (failed === 'write') {
      throw new InitramfsError('IO', `${opts.reference}: cannot write a copy of the archive under ${quote(to)} (${why})`, { cause: e });
    }
    throw new InitramfsError('IO', `${opts.reference}: cannot read ${quote(from)} (${why})`, { cause: e });
  }
}

/**
 * `file` as a plain tar. A regular file that is a tar is used where it is. Anything else is copied into
 * `archive-*` in the scratch directory of the cache (`<cacheDir>/tmp/run-*`), removed by close(): gzip (members concatenated or not) and zstd (frames
 * concatenated, skippable frames between) decompressed, a pipe (`docker save img | … docker-archive:/dev/stdin`)
 * copied. xz, bzip2 and lz4 are UNSUPPORTED with the command that decompresses them. On failure nothing
 * is left behind.
 */
export async function openPlainArchive(file: string, opts: ArchiveOpenOptions): Promise<PlainArchive> {
  let scratch: Scratch | undefined;
  let dir: string | undefined;
  const close = async (): Promise<void> => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    await scratch?.release();
  };
  try {
    let source = file;
    if (!statSync(file).isFile()) {
      // A pipe or device can be read once, from its start: keep a copy to read by range.
      scratch = leaseScratch(opts);
      dir = await makeTmpDir(scratch, opts);
      source = join(dir, 'input');
      await copyThrough(file, source, undefined, 'none', opts);
    }
    let compression: ArchiveCompression;
    try {
      compression = sniffArchiveCompression(readHead(source, 512));
    } catch (e) {
      throw new InitramfsError('IO', `${opts.reference}: cannot read ${quote(file)} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
    }
    if (compression === 'none') return { path: source, compression, close };
    if (!READABLE.has(compression)) {
      const command = `${DECOMPRESS_COMMAND[compression]} ${shellWord(file)} > image.tar`;
      throw new InitramfsError(
        'UNSUPPORTED',
        `${opts.reference}: ${quote(file)} is compressed with ${compression}, which this tool does not decompress; ` +
          `decompress it first (${command}) and use ${opts.transport}:image.tar, or compress it with gzip or zstd instead`,
      );
    }
    scratch ??= leaseScratch(opts);
    dir ??= await makeTmpDir(scratch, opts);
    const path = join(dir, 'archive.tar');
    opts.reporter?.info(`decompressing ${compression} archive ${shown(file)}`);
    const decoder = compression === 'gzip' ? createGunzip({ chunkSize: 1 << 20 }) : new ZstdMultiFrameDecompress();
    await copyThrough(source, path, decoder, compression, opts);
    if (source !== file) await rm(source, { force: true });
    return { path, compression, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** An archive reference opened: its file, REF, and the tar to read members from. */
export interface OpenedArchive {
  file: string;
  ref?: string;
  tar: TarArchive;
  /** Removes the decompressed copy, if one was made. */
  close(): Promise<void>;
}

/** How each archive transport's message names the transport that reads a directory instead. */
const DIRECTORY_HINT: Readonly<Record<string, string>> = {
  'oci-archive': 'oci-archive: reads a tar of an OCI layout; for the layout directory itself use',
  'docker-archive': 'docker-archive: reads the tar docker save writes; for an OCI layout directory use',
};

/**
 * Opens `TRANSPORT:FILE[:REF]` down to an indexed tar: a missing file is IMAGE_NOT_FOUND, a directory is
 * USAGE pointing at oci:, compression is dealt with by openPlainArchive, and bytes that are no tar are
 * BAD_IMAGE. On failure nothing is left in the cache.
 */
export async function openArchive(reference: string, opts: Omit<ArchiveOpenOptions, 'reference'>): Promise<OpenedArchive> {
  const { file, ref } = parseArchiveReference(opts.transport, reference);
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(file);
  } catch {
    st = undefined;
  }
  if (st === undefined) throw new InitramfsError('IMAGE_NOT_FOUND', `${reference}: file ${quote(file)} does not exist`);
  if (st.isDirectory()) {
    const layout = `oci:${file}${ref !== undefined ? `:${ref}` : ''}`;
    throw new InitramfsError('USAGE', `${reference}: ${quote(file)} is a directory; ${DIRECTORY_HINT[opts.transport]} ${shown(layout)}`);
  }
  const plain = await openPlainArchive(file, { ...opts, reference });
  try {
    const tar = new TarArchive(plain.path, reference);
    try {
      tar.members();
    } catch (e) {
      if (!(e instanceof TarFormatError)) throw e;
      const what =
        plain.compression === 'none'
          ? `${quote(file)} is neither a tar archive nor gzip- or zstd-compressed`
          : `${quote(file)} decompressed (${plain.compression}) is not a tar archive`;
      throw new InitramfsError('BAD_IMAGE', `${reference}: ${what} (${e.message})`);
    }
    const opened: OpenedArchive = { file, tar, close: plain.close };
    if (ref !== undefined) opened.ref = ref;
    return opened;
  } catch (e) {
    await plain.close();
    throw e;
  }
}
