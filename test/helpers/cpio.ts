// Test helper that reads an initramfs back two ways.
// - As users do: the whole file handed to the standard tools, `bsdtar` (libarchive: gzip and zstd by
//   itself) and GNU `cpio` behind `zcat`/`zstdcat`. Both read one newc archive and stop at its first
//   TRAILER!!!, so they see everything only if the file is one archive with one trailer, at the end.
// - As the kernel's loader walks it: `splitInitramfs` finds the members (raw newc, gzip members, zstd
//   frames, NUL padding between them) and checks that each one ends on a newc entry boundary, which is
//   all the loader needs of a member (an entry cut across two members makes it fail with "junk at the
//   end of compressed archive").
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { crc32, inflateRawSync, zstdDecompressSync } from 'node:zlib';
import { scratchDir } from './tree.ts';

export type MemberCompression = 'none' | 'gzip' | 'zstd';

/** One member of an initramfs file: its place in the file and the newc entries it holds. */
export interface InitramfsMember {
  compression: MemberCompression;
  /** Byte range of the member in the file. */
  offset: number;
  length: number;
  /** The member's newc entries in order, a TRAILER!!! included where the member has one. */
  entries: NewcEntryInfo[];
}

/** The header fields of one newc entry that the tests look at. */
export interface NewcEntryInfo {
  name: string;
  ino: number;
  mode: number;
  nlink: number;
  filesize: number;
  devmajor: number;
  devminor: number;
}

// newc header: 6-byte magic then 13 fields of 8 ASCII hex digits.
const NEWC = {
  headerSize: 110,
  ino: 6,
  mode: 14,
  nlink: 38,
  fileSize: 54,
  devMajor: 62,
  devMinor: 70,
  nameSize: 94,
  fieldLength: 8,
  trailer: 'TRAILER!!!',
} as const;
const NEWC_MAGICS = ['070701', '070702'];

// gzip member header (RFC 1952).
const GZIP = {
  id: [0x1f, 0x8b],
  flags: 3,
  fixedHeaderSize: 10,
  trailerSize: 8, // CRC32, ISIZE
  FHCRC: 0x02,
  FEXTRA: 0x04,
  FNAME: 0x08,
  FCOMMENT: 0x10,
} as const;

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

const startsWith = (buf: Buffer, pos: number, magic: readonly number[]): boolean =>
  magic.every((b, i) => buf[pos + i] === b);

const align4 = (n: number): number => (n + 3) & ~3;

const hexField = (buf: Buffer, at: number): number => {
  const text = buf.toString('latin1', at, at + NEWC.fieldLength);
  if (!/^[0-9a-fA-F]{8}$/.test(text)) throw new Error(`newc: bad header field ${JSON.stringify(text)} at offset ${at}`);
  return parseInt(text, 16);
};

/**
 * Walks the newc entries of `buf` from `start`: up to and including a TRAILER!!! when `untilTrailer`,
 * else to the end of `buf`, which must then fall exactly on an entry boundary. Alignment is counted from
 * the start of `buf`, as the kernel counts it. Returns the entries and where the walk ended.
 */
function walkEntries(buf: Buffer, start: number, untilTrailer: boolean): { entries: NewcEntryInfo[]; end: number } {
  const entries: NewcEntryInfo[] = [];
  let pos = start;
  while (untilTrailer || pos < buf.length) {
    if (pos + NEWC.headerSize > buf.length) {
      throw new Error(`newc: ${untilTrailer ? `no ${NEWC.trailer} before the end` : 'member ends inside an entry header'} (offset ${pos})`);
    }
    const magic = buf.toString('latin1', pos, pos + 6);
    if (!NEWC_MAGICS.includes(magic)) throw new Error(`newc: bad magic ${JSON.stringify(magic)} at offset ${pos}`);
    const nameSize = hexField(buf, pos + NEWC.nameSize);
    const filesize = hexField(buf, pos + NEWC.fileSize);
    const name = buf.toString('latin1', pos + NEWC.headerSize, pos + NEWC.headerSize + nameSize - 1);
    entries.push({
      name,
      ino: hexField(buf, pos + NEWC.ino),
      mode: hexField(buf, pos + NEWC.mode),
      nlink: hexField(buf, pos + NEWC.nlink),
      filesize,
      devmajor: hexField(buf, pos + NEWC.devMajor),
      devminor: hexField(buf, pos + NEWC.devMinor),
    });
    const dataStart = align4(pos + NEWC.headerSize + nameSize);
    pos = align4(dataStart + filesize);
    if (pos > buf.length) throw new Error(`newc: entry ${JSON.stringify(name)} is cut off at the end of its member`);
    if (untilTrailer && name === NEWC.trailer) break;
  }
  return { entries, end: pos };
}

/** Decompresses the single gzip member at `start`; returns its data and its length in `buf`. */
function gunzipMember(buf: Buffer, start: number): { data: Buffer; length: number } {
  const flags = buf[start + GZIP.flags] ?? 0;
  let pos = start + GZIP.fixedHeaderSize;
  if (flags & GZIP.FEXTRA) pos += 2 + buf.readUInt16LE(pos);
  if (flags & GZIP.FNAME) pos = buf.indexOf(0, pos) + 1;
  if (flags & GZIP.FCOMMENT) pos = buf.indexOf(0, pos) + 1;
  if (flags & GZIP.FHCRC) pos += 2;
  // Raw inflate stops at the end of the deflate stream, telling how much it read; gunzip would instead
  // carry on into whatever follows (e.g. a zstd frame) and fail.
  const { buffer: data, engine } = inflateRawSync(buf.subarray(pos), { info: true }) as unknown as {
    buffer: Buffer;
    engine: { bytesWritten: number };
  };
  pos += engine.bytesWritten;
  if (crc32(data) !== buf.readUInt32LE(pos)) throw new Error(`gzip member at ${start}: CRC mismatch`);
  return { data, length: pos + GZIP.trailerSize - start };
}

/**
 * Bytes of the zstd frame at `start` (RFC 8878 §3.1.1): its header, its blocks up to the last one, and
 * its checksum. Walked here because Node's decoder goes on through every frame that follows (24.x does;
 * older releases stopped after one), and whatever follows a frame need not be zstd.
 */
function zstdFrameLength(buf: Buffer, start: number): number {
  const fhd = buf[start + 4]!;
  const singleSegment = (fhd >> 5) & 1;
  const fcsBytes = [singleSegment, 2, 4, 8][fhd >> 6]!;
  let pos = start + 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + fcsBytes;
  for (;;) {
    if (pos + 3 > buf.length) throw new Error(`zstd frame at ${start}: truncated`);
    const header = buf.readUIntLE(pos, 3);
    const type = (header >> 1) & 3;
    pos += 3 + (type === 1 ? 1 : header >> 3);
    if (header & 1) break;
  }
  return pos + ((fhd >> 2) & 1 ? 4 : 0) - start;
}

/** Decompresses the single zstd frame at `start`. */
function unzstdFrame(buf: Buffer, start: number): { data: Buffer; length: number } {
  const length = zstdFrameLength(buf, start);
  return { data: zstdDecompressSync(buf.subarray(start, start + length)), length };
}

/**
 * Splits initramfs bytes into members the way the kernel's loader walks them, checking that each member
 * holds whole newc entries. Throws on anything else.
 */
export function splitInitramfs(buf: Buffer): InitramfsMember[] {
  const members: InitramfsMember[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0) {
      pos++;
      continue;
    }
    if (NEWC_MAGICS.includes(buf.toString('latin1', pos, pos + 6))) {
      // The kernel only takes raw cpio at a 4-aligned file offset (its padding is counted from there), and
      // reads it up to a trailer.
      if (pos % 4 !== 0) throw new Error(`initramfs: uncompressed archive at unaligned offset ${pos}`);
      const { entries, end } = walkEntries(buf.subarray(pos), 0, true);
      members.push({ compression: 'none', offset: pos, length: end, entries });
      pos += end;
    } else if (startsWith(buf, pos, GZIP.id) || startsWith(buf, pos, ZSTD_MAGIC)) {
      const compression = startsWith(buf, pos, GZIP.id) ? 'gzip' : 'zstd';
      const { data, length } = compression === 'gzip' ? gunzipMember(buf, pos) : unzstdFrame(buf, pos);
      members.push({ compression, offset: pos, length, entries: walkEntries(data, 0, false).entries });
      pos += length;
    } else {
      throw new Error(`initramfs: unrecognised data at offset ${pos} (not newc, gzip, zstd or NUL padding)`);
    }
  }
  return members;
}

/** Reads an initramfs file and splits it into members (see `splitInitramfs`). */
export async function readInitramfs(archivePath: string): Promise<InitramfsMember[]> {
  return splitInitramfs(await readFile(archivePath));
}

/** Runs a command, feeding `input` (if any) to its stdin; resolves with its stdout on exit 0. */
const run = (cmd: string, args: string[], opts: { input?: Buffer; cwd?: string } = {}): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    // TZ fixed so listings do not depend on the machine.
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr}`));
    });
    child.stdin.on('error', () => {}); // a tool failing early closes its stdin; the exit code tells.
    child.stdin.end(opts.input);
  });

/** The uncompressed cpio stream of a file, as `zcat` or `zstdcat` gives it to GNU cpio. */
async function decompressWithTool(archivePath: string): Promise<Buffer> {
  const head = (await readFile(archivePath)).subarray(0, 4);
  const cmd = startsWith(head, 0, GZIP.id) ? 'zcat' : startsWith(head, 0, ZSTD_MAGIC) ? 'zstdcat' : 'cat';
  return run(cmd, [archivePath]);
}

/**
 * Extracts an initramfs with `bsdtar -xpf FILE` into a new scratch directory, as root with numeric owners,
 * and returns the directory. Removed by `removeScratchDirs`.
 */
export async function extractCpio(archivePath: string): Promise<string> {
  const dir = await scratchDir('initramfs-extract-');
  await run('bsdtar', ['-xpf', archivePath, '--numeric-owner', '-C', dir]);
  return dir;
}

/** The `bsdtar -tvf FILE` listing (TZ=UTC, numeric owners). */
export async function listCpio(archivePath: string): Promise<string> {
  return (await run('bsdtar', ['-tvf', archivePath, '--numeric-owner'])).toString('latin1');
}

/**
 * Extracts an initramfs with GNU cpio (`zcat FILE | cpio -idm`: directories, modes, mtimes, and as root
 * owners and device nodes) into a new scratch directory, and returns it. GNU cpio leaves the directory it
 * extracts into as it was: the archive's "." does not change its mode.
 */
export async function extractCpioGnu(archivePath: string): Promise<string> {
  const dir = await scratchDir('initramfs-gnu-extract-');
  await run('cpio', ['-idm', '--quiet', '--no-absolute-filenames'], { input: await decompressWithTool(archivePath), cwd: dir });
  return dir;
}

/** The names GNU cpio lists (`zcat FILE | cpio -t`), one per entry, in archive order. */
export async function listCpioGnu(archivePath: string): Promise<string[]> {
  const out = (await run('cpio', ['-t', '--quiet'], { input: await decompressWithTool(archivePath) })).toString('latin1');
  return out.split('\n').filter((l) => l !== '');
}
