// Test helper that reads an initramfs back the way the kernel does: the file is a sequence of segments
// (raw newc, one gzip member, or one zstd frame, NUL padding between them), each holding complete newc
// archives; archives are applied in order, a later one overwriting names from an earlier one.
//
// Neither bsdtar nor GNU cpio does this on its own: both stop at the first TRAILER!!! (measured with
// bsdtar 3.6.2 and GNU cpio 2.13, raw and compressed), and `gzip -d` would merge members of one file
// across a following zstd frame. So the split is done here and each archive goes to bsdtar separately.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { crc32, inflateRawSync, zstdDecompressSync } from 'node:zlib';
import { scratchDir } from './tree.ts';

export type SegmentCompression = 'none' | 'gzip' | 'zstd';

/** One segment of an initramfs file and the complete newc archives it holds (uncompressed). */
export interface InitramfsSegment {
  compression: SegmentCompression;
  /** Byte range of the segment in the file. */
  offset: number;
  length: number;
  archives: Buffer[];
}

// newc header: 6-byte magic then 13 fields of 8 ASCII hex digits.
const NEWC = {
  headerSize: 110,
  fileSize: 54,
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
 * The end (exclusive) of the newc archive starting at `start` in `buf`: just after its TRAILER!!! entry,
 * padded to 4 bytes. Alignment is relative to `buf`, as the kernel counts it within a segment.
 */
export function newcArchiveEnd(buf: Buffer, start: number): number {
  let pos = start;
  for (;;) {
    if (pos + NEWC.headerSize > buf.length) throw new Error(`newc: archive at ${start} ends without ${NEWC.trailer}`);
    const magic = buf.toString('latin1', pos, pos + 6);
    if (!NEWC_MAGICS.includes(magic)) throw new Error(`newc: bad magic ${JSON.stringify(magic)} at offset ${pos}`);
    const nameSize = hexField(buf, pos + NEWC.nameSize);
    const fileSize = hexField(buf, pos + NEWC.fileSize);
    const name = buf.toString('latin1', pos + NEWC.headerSize, pos + NEWC.headerSize + nameSize - 1);
    const dataStart = align4(pos + NEWC.headerSize + nameSize);
    pos = align4(dataStart + fileSize);
    if (pos > buf.length) throw new Error(`newc: entry ${JSON.stringify(name)} is truncated`);
    if (name === NEWC.trailer) return pos;
  }
}

/** The complete archives in uncompressed data, NUL padding between them skipped (as the kernel does). */
function archivesIn(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0) {
      pos++;
      continue;
    }
    const end = newcArchiveEnd(buf, pos);
    out.push(buf.subarray(pos, end));
    pos = end;
  }
  return out;
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

/** Splits initramfs bytes into segments the way the kernel's loader walks them. */
export function splitInitramfs(buf: Buffer): InitramfsSegment[] {
  const segments: InitramfsSegment[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0) {
      pos++;
      continue;
    }
    if (NEWC_MAGICS.includes(buf.toString('latin1', pos, pos + 6))) {
      // The kernel only takes raw cpio at a 4-aligned file offset (its padding is counted from there).
      if (pos % 4 !== 0) throw new Error(`initramfs: uncompressed archive at unaligned offset ${pos}`);
      const end = newcArchiveEnd(buf, pos);
      segments.push({ compression: 'none', offset: pos, length: end - pos, archives: [buf.subarray(pos, end)] });
      pos = end;
    } else if (startsWith(buf, pos, GZIP.id) || startsWith(buf, pos, ZSTD_MAGIC)) {
      const compression = startsWith(buf, pos, GZIP.id) ? 'gzip' : 'zstd';
      const { data, length } = compression === 'gzip' ? gunzipMember(buf, pos) : unzstdFrame(buf, pos);
      segments.push({ compression, offset: pos, length, archives: archivesIn(data) });
      pos += length;
    } else {
      throw new Error(`initramfs: unrecognised data at offset ${pos} (not newc, gzip, zstd or NUL padding)`);
    }
  }
  return segments;
}

/** Reads an initramfs file and splits it into segments (see `splitInitramfs`). */
export async function readInitramfs(archivePath: string): Promise<InitramfsSegment[]> {
  return splitInitramfs(await readFile(archivePath));
}

const runBsdtar = (args: string[], input: Buffer): Promise<string> =>
  new Promise((resolve, reject) => {
    // TZ fixed so listings do not depend on the machine.
    const child = spawn('bsdtar', args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString();
      if (code === 0) resolve(Buffer.concat(out).toString('latin1'));
      else reject(new Error(`bsdtar ${args.join(' ')} exited ${code}: ${stderr}`));
    });
    child.stdin.on('error', () => {}); // bsdtar failing early closes its stdin; the exit code tells.
    child.stdin.end(input);
  });

/**
 * Extracts every archive of an initramfs (raw, gzip, zstd, in any mix) into a new scratch directory, in
 * order, as root with numeric owners, and returns the directory. Removed by `removeScratchDirs`.
 */
export async function extractCpio(archivePath: string): Promise<string> {
  const dir = await scratchDir('initramfs-extract-');
  for (const segment of await readInitramfs(archivePath)) {
    for (const archive of segment.archives) {
      await runBsdtar(['-xpf', '-', '--numeric-owner', '-C', dir], archive);
    }
  }
  return dir;
}

/** The `bsdtar -tv` listing (TZ=UTC, numeric owners) of every archive of an initramfs, concatenated. */
export async function listCpio(archivePath: string): Promise<string> {
  let listing = '';
  for (const segment of await readInitramfs(archivePath)) {
    for (const archive of segment.archives) listing += await runBsdtar(['-tvf', '-', '--numeric-owner'], archive);
  }
  return listing;
}
