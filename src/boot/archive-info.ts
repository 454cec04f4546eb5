// What a boot needs to know about an initramfs before starting QEMU: how big it is once unpacked (the
// guest's memory) and which architecture its programs are for (which QEMU to run). The file is read as
// the kernel's loader reads it (init/initramfs.c): a sequence of plain newc archives, gzip members and
// zstd frames in any mix, with zero padding between them; each compressed piece is decoded as a stream
// and its newc headers parsed on the fly, so the archive is never held in memory whole.
import { open, type FileHandle } from 'node:fs/promises';
import { createInflateRaw, createZstdDecompress, type Inflate, type ZstdDecompress } from 'node:zlib';
import { elfMatches, elfTargetForPlatform, readElf } from '../initramfs/elf.ts';
import { BUSYBOX_PATH } from '../initramfs/init-script.ts';
import { HEADER_SIZE, headerAndNameSize, NEWC_MAGIC, OFFSET, pad4, S_IFMT, TRAILER_NAME, TYPE_BITS } from '../initramfs/newc.ts';
import { ZSTD_MAGIC } from '../image/zstd-frames.ts';

export interface ArchiveInfo {
  /** Bytes of newc data once decompressed (headers, names and file data): what the kernel unpacks. */
  uncompressedBytes: number;
  /**
   * OCI architecture (`amd64`, `arm64`, ...) of the first ELF file met among the programs every archive
   * of this tool has (/.initramfs-action/busybox, /init, /bin/sh, /bin/busybox); undefined when none of
   * them is an ELF file, or its machine is none this tool knows.
   */
  arch?: string;
  /**
   * What the unpacked files take in the guest's page cache: each entry's data rounded up to whole 4 KiB
   * pages, plus an inode's worth per entry. Many small files take far more than their bytes.
   */
  unpackedBytes: number;
  /** Why reading stopped before the end (truncated or corrupt data): the size is then a lower bound. */
  problem?: string;
}

/** The guest's page size, and what one unpacked entry costs besides its data (inode, dentry). */
const PAGE = 4096;
const INODE_BYTES = 1024;

/** Paths (as newc names, no leading "/") whose ELF header tells the archive's architecture. */
const ARCH_CANDIDATES = new Set([BUSYBOX_PATH.slice(1), 'init', 'bin/sh', 'bin/busybox']);
/** Architectures tried against an ELF header, most common first. */
const KNOWN_ARCHES = ['amd64', 'arm64', '386', 'arm', 'ppc64le', 's390x', 'riscv64'];
/** Enough of an ELF file for readElf: its header and program header table (busybox's ends before 1 KiB). */
const ELF_PREFIX = 64 << 10;
const READ_CHUNK = 1 << 20;
const GZIP_MAGIC = [0x1f, 0x8b];

/** The OCI architecture an ELF header is for, or undefined. */
export function elfArch(bytes: Uint8Array): string | undefined {
  const elf = readElf(bytes);
  if (!elf) return undefined;
  return KNOWN_ARCHES.find((a) => elfMatches(elf, elfTargetForPlatform(a)!));
}

/**
 * Incremental newc parser: counts the bytes it is given and looks for the first candidate program that
 * is an ELF regular file. Symlinks are skipped, never followed; zero bytes between archives are skipped
 * as the kernel does. It stops parsing (but keeps counting) at the first thing that is not newc.
 */
export class NewcScanner {
  bytes = 0;
  /** See ArchiveInfo.unpackedBytes. */
  unpackedBytes = 0;
  arch: string | undefined;
  problem: string | undefined;
  #header = Buffer.alloc(HEADER_SIZE);
  #have = 0;
  /** What the next bytes are: a header, a name (namesize bytes + padding), or data + padding to skip. */
  #state: 'header' | 'name' | 'data' = 'header';
  #need = HEADER_SIZE;
  #namesize = 0;
  #filesize = 0;
  #mode = 0;
  #name = Buffer.alloc(0);
  /** The data prefix of a candidate being collected, or undefined when the data is only skipped. */
  #elf: Buffer[] | undefined;
  #elfHave = 0;
  #elfWant = 0;
  #trailer = false;
  #trailerEnded = false;

  /**
   * Parses `chunk`; returns how many of its bytes were taken: all of them, unless `toTrailer` is set and a
   * TRAILER!!! record ended first (a plain archive in the file ends there; what follows may be compressed).
   */
  push(chunk: Uint8Array, toTrailer = false): number {
    let i = 0;
    this.#trailerEnded = false;
    while (i < chunk.length && this.problem === undefined && !(toTrailer && this.#trailerEnded)) {
      if (this.#state === 'header') {
        if (this.#have === 0 && chunk[i] === 0) {
          i++; // padding between archives
          continue;
        }
        const n = Math.min(HEADER_SIZE - this.#have, chunk.length - i);
        this.#header.set(chunk.subarray(i, i + n), this.#have);
        this.#have += n;
        i += n;
        if (this.#have === HEADER_SIZE) this.#onHeader();
      } else if (this.#state === 'name') {
        const n = Math.min(this.#need - this.#have, chunk.length - i);
        if (this.#have < this.#namesize) {
          const part = chunk.subarray(i, i + Math.min(n, this.#namesize - this.#have));
          this.#name = Buffer.concat([this.#name, part]);
        }
        this.#have += n;
        i += n;
        if (this.#have === this.#need) this.#onName();
      } else {
        const n = Math.min(this.#need - this.#have, chunk.length - i);
        if (this.#elf && this.#elfHave < this.#elfWant) {
          const part = chunk.subarray(i, i + Math.min(n, this.#elfWant - this.#elfHave));
          this.#elf.push(Buffer.from(part));
          this.#elfHave += part.length;
          if (this.#elfHave === this.#elfWant) {
            this.arch ??= elfArch(Buffer.concat(this.#elf));
            this.#elf = undefined;
          }
        }
        this.#have += n;
        i += n;
        if (this.#have === this.#need) this.#expectHeader();
      }
    }
    this.bytes += i;
    return i;
  }

  /** Whether the last push() stopped right after a TRAILER!!! record. */
  get trailerEnded(): boolean {
    return this.#trailerEnded;
  }

  /** Whether the input so far ended between records (not inside one). */
  get atBoundary(): boolean {
    return this.#state === 'header' && this.#have === 0;
  }

  #expectHeader(): void {
    this.#trailerEnded = this.#trailer;
    this.#state = 'header';
    this.#have = 0;
    this.#need = HEADER_SIZE;
  }

  #onHeader(): void {
    const h = this.#header;
    const magic = h.toString('latin1', 0, 6);
    // 070702 is newc with checksums, which the kernel also reads.
    if (magic !== NEWC_MAGIC && magic !== '070702') {
      this.problem = `not a newc archive (magic ${JSON.stringify(magic)})`;
      return;
    }
    const field = (f: keyof typeof OFFSET): number => {
      const text = h.toString('latin1', OFFSET[f], OFFSET[f] + 8);
      return /^[0-9a-fA-F]{8}$/.test(text) ? Number.parseInt(text, 16) : Number.NaN;
    };
    this.#namesize = field('namesize');
    this.#filesize = field('filesize');
    this.#mode = field('mode');
    if (!(this.#namesize >= 1) || !(this.#filesize >= 0) || !(this.#mode >= 0)) {
      this.problem = 'malformed newc header';
      return;
    }
    this.#state = 'name';
    this.#have = 0;
    this.#need = headerAndNameSize(this.#namesize - 1) - HEADER_SIZE;
    this.#name = Buffer.alloc(0);
  }

  #onName(): void {
    let name = this.#name.toString('latin1', 0, this.#namesize - 1);
    if (name.startsWith('./')) name = name.slice(2);
    this.#trailer = name === TRAILER_NAME;
    const regular = (this.#mode & S_IFMT) === TYPE_BITS.file;
    this.#elf = undefined;
    if (this.arch === undefined && regular && this.#filesize > 0 && ARCH_CANDIDATES.has(name)) {
      this.#elf = [];
      this.#elfHave = 0;
      this.#elfWant = Math.min(this.#filesize, ELF_PREFIX);
    }
    if (!this.#trailer) this.unpackedBytes += Math.ceil(this.#filesize / PAGE) * PAGE + INODE_BYTES;
    this.#state = 'data';
    this.#have = 0;
    this.#need = this.#filesize + pad4(this.#filesize);
    if (this.#need === 0) this.#expectHeader();
  }
}

/** Sequential reads from a file with a movable position (a compressed piece ends where its decoder says). */
class Cursor {
  pos = 0;
  #buf = Buffer.alloc(0);
  #bufAt = 0;
  readonly #fh: FileHandle;
  readonly size: number;
  constructor(fh: FileHandle, size: number) {
    this.#fh = fh;
    this.size = size;
  }

  /** Up to `n` bytes at the position (fewer only at the end of the file), without moving it. */
  async peek(n: number): Promise<Buffer> {
    const end = Math.min(this.pos + n, this.size);
    if (this.pos < this.#bufAt || end > this.#bufAt + this.#buf.length) {
      const want = Math.max(end - this.pos, Math.min(READ_CHUNK, this.size - this.pos));
      const buf = Buffer.alloc(want);
      const { bytesRead } = await this.#fh.read(buf, 0, want, this.pos);
      this.#buf = buf.subarray(0, bytesRead);
      this.#bufAt = this.pos;
    }
    return this.#buf.subarray(this.pos - this.#bufAt, end - this.#bufAt);
  }
}

/** Writes `chunk` and waits until the decoder has taken it in. */
const feed = (d: Inflate | ZstdDecompress, chunk: Buffer): Promise<void> =>
  new Promise((resolve, reject) => {
    d.write(chunk, (err) => (err ? reject(err) : resolve()));
  });

/** Resolves when every decoded byte has been delivered (the decoder's 'end'), rejects on its error. */
const ended = (d: Inflate | ZstdDecompress): Promise<void> =>
  new Promise((resolve, reject) => {
    if (d.readableEnded) resolve();
    d.once('end', resolve);
    d.once('error', reject);
  });

/**
 * The gzip member at the cursor, decoded into `scan`; leaves the cursor after the member. The deflate
 * data is fed to a raw inflater whose bytesWritten says how much it consumed: the member ends where it
 * stopped taking input, whatever follows (another member, a zstd frame, zero padding, the file's end).
 */
async function gzipMember(c: Cursor, scan: NewcScanner): Promise<void> {
  const head = await c.peek(10);
  if (head.length < 10 || head[2] !== 8) throw new Error('truncated or unknown gzip header');
  const flags = head[3]!;
  let at = 10;
  const more = async (n: number): Promise<Buffer> => {
    c.pos += at;
    const b = await c.peek(n);
    c.pos -= at;
    return b;
  };
  if (flags & 0x04) {
    const x = await more(2); // FEXTRA
    if (x.length < 2) throw new Error('truncated gzip header');
    at += 2 + x.readUInt16LE(0);
  }
  for (const bit of [0x08, 0x10]) {
    // FNAME, FCOMMENT: NUL-terminated.
    if (!(flags & bit)) continue;
    for (;;) {
      const b = await more(4096);
      if (b.length === 0) throw new Error('truncated gzip header');
      const nul = b.indexOf(0);
      at += nul === -1 ? b.length : nul + 1;
      if (nul !== -1) break;
    }
  }
  if (flags & 0x02) at += 2; // FHCRC
  c.pos += at;

  const inflater = createInflateRaw({ chunkSize: READ_CHUNK });
  inflater.on('data', (b: Buffer) => scan.push(b));
  const done = ended(inflater);
  done.catch(() => {});
  try {
    for (;;) {
      const chunk = await c.peek(READ_CHUNK);
      if (chunk.length === 0) {
        inflater.end();
        break;
      }
      const before = inflater.bytesWritten;
      await feed(inflater, chunk);
      const used = inflater.bytesWritten - before;
      c.pos += used;
      if (used < chunk.length) break; // the deflate stream ended inside this chunk
    }
    await done;
  } finally {
    inflater.destroy();
  }
  c.pos += 8; // CRC32 and ISIZE
  if (c.pos > c.size) throw new Error('truncated gzip member');
}

/**
 * The zstd frame at the cursor, decoded into `scan`; leaves the cursor after the frame. Its extent comes
 * from the frame's own headers (RFC 8878 §3.1.1): Node's decoder may go on into a following frame.
 */
async function zstdFrame(c: Cursor, scan: NewcScanner): Promise<void> {
  const decoder = createZstdDecompress({ chunkSize: READ_CHUNK });
  decoder.on('data', (b: Buffer) => scan.push(b));
  const done = ended(decoder);
  done.catch(() => {});
  const take = async (n: number): Promise<Buffer> => {
    const b = await c.peek(n);
    if (b.length < n) throw new Error('truncated zstd frame');
    c.pos += n;
    await feed(decoder, Buffer.from(b));
    return b;
  };
  try {
    await take(4); // magic
    const fhd = (await take(1))[0]!;
    const single = (fhd & 0x20) !== 0;
    const fcsFlag = fhd >> 6;
    const fcsSize = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
    const rest = (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + fcsSize;
    if (rest > 0) await take(rest);
    for (;;) {
      const bh = await take(3);
      const header = bh[0]! | (bh[1]! << 8) | (bh[2]! << 16);
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw new Error('zstd block of the reserved type');
      let body = type === 1 ? 1 : size; // RLE blocks store one byte
      while (body > 0) {
        const n = Math.min(body, READ_CHUNK);
        await take(n);
        body -= n;
      }
      if (header & 1) break; // last block
    }
    if (fhd & 0x04) await take(4); // content checksum
    decoder.end();
    await done;
  } finally {
    decoder.destroy();
  }
}

/** Reads `path` as the kernel would and returns its unpacked size and architecture. Throws only if unreadable. */
export async function readArchiveInfo(path: string): Promise<ArchiveInfo> {
  const fh = await open(path, 'r');
  const scan = new NewcScanner();
  let problem: string | undefined;
  try {
    const c = new Cursor(fh, (await fh.stat()).size);
    while (c.pos < c.size && problem === undefined) {
      const head = await c.peek(4);
      if (head[0] === 0) {
        c.pos++; // padding between pieces
      } else if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) {
        await gzipMember(c, scan).catch((e: Error) => (problem = `gzip data at byte ${c.pos}: ${e.message}`));
      } else if (head.length === 4 && head.readUInt32LE(0) === ZSTD_MAGIC) {
        await zstdFrame(c, scan).catch((e: Error) => (problem = `zstd data at byte ${c.pos}: ${e.message}`));
      } else if (head.toString('latin1', 0, 4) === '0707') {
        // Plain newc: parsed up to its trailer, after which anything (padding, a compressed piece) may follow.
        for (;;) {
          const chunk = await c.peek(READ_CHUNK);
          if (chunk.length === 0) break;
          const used = scan.push(chunk, true);
          c.pos += used;
          if (scan.trailerEnded || scan.problem !== undefined) break;
        }
      } else {
        problem = `unknown data at byte ${c.pos} (neither newc, gzip nor zstd)`;
      }
    }
  } finally {
    await fh.close();
  }
  if (problem === undefined && !scan.atBoundary) problem = 'the archive ends inside a newc record';
  return { uncompressedBytes: scan.bytes, unpackedBytes: scan.unpackedBytes, arch: scan.arch, problem: problem ?? scan.problem };
}
