// CPIO "newc" (magic 070701), the only format the Linux initramfs loader reads: pure encode/decode of one
// record's header and name, the padding rules, the TRAILER!!! record, and the guards for what newc (or the
// kernel's loader) cannot represent. No I/O: the writer streams data between the pieces these return.
import { InitramfsError } from '../errors.ts';
import { shown } from '../quote.ts';
import { fromBytePath, type InodeType } from '../rootfs/node.ts';

export const NEWC_MAGIC = '070701';
export const HEADER_SIZE = 110;
export const TRAILER_NAME = 'TRAILER!!!';

/** Byte offsets of the header fields: magic (6 chars) then thirteen 8-char uppercase-hex fields. */
export const OFFSET = {
  magic: 0,
  ino: 6,
  mode: 14,
  uid: 22,
  gid: 30,
  nlink: 38,
  mtime: 46,
  filesize: 54,
  devmajor: 62,
  devminor: 70,
  rdevmajor: 78,
  rdevminor: 86,
  namesize: 94,
  check: 102,
} as const;

/** The kernel's PATH_MAX: a name's namesize (NUL included) and a symlink's target may not exceed it. */
export const PATH_MAX = 4096;
const U32_MAX = 0xffff_ffff;

/** st_mode type bits (S_IFMT) for each inode type. */
export const TYPE_BITS: Record<InodeType, number> = {
  fifo: 0o010000,
  char: 0o020000,
  dir: 0o040000,
  block: 0o060000,
  file: 0o100000,
  symlink: 0o120000,
};
export const S_IFMT = 0o170000;

/** The numeric fields of one record; `mode` holds type bits and permission bits (incl. setuid/setgid/sticky). */
export interface NewcHeader {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  mtime: number;
  filesize: number;
  devmajor: number;
  devminor: number;
  rdevmajor: number;
  rdevminor: number;
}

/** One record as encoded: the header fields plus its name (a byte string, relative, no leading "/"). */
export interface NewcEntry extends NewcHeader {
  name: string;
}

/** One record as decoded, with its data bytes (a view into the decoded buffer). */
export interface NewcRecord extends NewcEntry {
  data: Buffer;
}

/** Bytes needed to bring `n` up to a multiple of 4 (newc aligns the name+header and the data). */
export const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** Size of a record's header + name + NUL + padding, i.e. the offset its data starts at. */
export const headerAndNameSize = (nameBytes: number): number => {
  const n = HEADER_SIZE + nameBytes + 1;
  return n + pad4(n);
};

/** Total encoded size of a record whose name has `nameBytes` bytes and whose data has `dataBytes` bytes. */
export const recordSize = (nameBytes: number, dataBytes: number): number =>
  headerAndNameSize(nameBytes) + dataBytes + pad4(dataBytes);

/** Size of the TRAILER!!! record. */
export const TRAILER_SIZE = recordSize(TRAILER_NAME.length, 0);

const limit = (name: string, what: string): InitramfsError =>
  new InitramfsError('ARCHIVE_LIMIT', `${shown(fromBytePath(name) || '.')}: ${what}`);

const checkU32 = (entry: NewcEntry, field: keyof NewcHeader, value: number): void => {
  if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
    throw limit(entry.name, `${field} ${value} does not fit newc's 32-bit field (0..${U32_MAX})`);
  }
};

/**
 * Throws InitramfsError('ARCHIVE_LIMIT') naming the path when the entry cannot be represented: a file of
 * 4 GiB or more, an mtime before 1970 or after 2106, a name the kernel would skip (namesize incl. NUL over
 * PATH_MAX), a uid/gid (or any other field) outside 32 bits.
 */
export const checkEntry = (entry: NewcEntry): void => {
  const nameBytes = Buffer.byteLength(entry.name, 'latin1');
  if (nameBytes + 1 > PATH_MAX) {
    throw limit(entry.name, `name is ${nameBytes} bytes; the kernel skips names over ${PATH_MAX - 1} bytes`);
  }
  if (entry.filesize > U32_MAX) {
    throw limit(entry.name, `size ${entry.filesize} bytes is 4 GiB or more, which newc cannot store`);
  }
  if (!Number.isInteger(entry.mtime) || entry.mtime < 0 || entry.mtime > U32_MAX) {
    throw limit(entry.name, `mtime ${entry.mtime} is outside 1970..2106, which newc cannot store`);
  }
  if ((entry.mode & S_IFMT) === TYPE_BITS.symlink && entry.filesize > PATH_MAX) {
    throw limit(entry.name, `symlink target is ${entry.filesize} bytes; the kernel limit is ${PATH_MAX}`);
  }
  for (const field of ['uid', 'gid', 'ino', 'mode', 'nlink', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor'] as const) {
    checkU32(entry, field, entry[field]);
  }
};

const writeHex = (buf: Buffer, at: number, value: number): void => {
  buf.write(value.toString(16).toUpperCase().padStart(8, '0'), at, 8, 'latin1');
};

/**
 * Encodes a record's header, name, NUL and padding (everything before its data). The data (`filesize`
 * bytes) follows, then `pad4(filesize)` zero bytes. Validates with `checkEntry` first.
 */
export const encodeHeader = (entry: NewcEntry): Buffer => {
  checkEntry(entry);
  const nameBytes = Buffer.byteLength(entry.name, 'latin1');
  const buf = Buffer.alloc(headerAndNameSize(nameBytes)); // zero-filled: NUL and padding come free
  buf.write(NEWC_MAGIC, OFFSET.magic, 6, 'latin1');
  writeHex(buf, OFFSET.ino, entry.ino);
  writeHex(buf, OFFSET.mode, entry.mode);
  writeHex(buf, OFFSET.uid, entry.uid);
  writeHex(buf, OFFSET.gid, entry.gid);
  writeHex(buf, OFFSET.nlink, entry.nlink);
  writeHex(buf, OFFSET.mtime, entry.mtime);
  writeHex(buf, OFFSET.filesize, entry.filesize);
  writeHex(buf, OFFSET.devmajor, entry.devmajor);
  writeHex(buf, OFFSET.devminor, entry.devminor);
  writeHex(buf, OFFSET.rdevmajor, entry.rdevmajor);
  writeHex(buf, OFFSET.rdevminor, entry.rdevminor);
  writeHex(buf, OFFSET.namesize, nameBytes + 1);
  writeHex(buf, OFFSET.check, 0);
  buf.write(entry.name, HEADER_SIZE, nameBytes, 'latin1');
  return buf;
};

/** Encodes a whole record: header, name, data and both paddings. `data.length` must equal `filesize`. */
export const encodeRecord = (entry: NewcEntry, data: Uint8Array = new Uint8Array(0)): Buffer => {
  if (data.length !== entry.filesize) {
    throw new Error(`newc: ${entry.name}: data is ${data.length} bytes, header says ${entry.filesize}`);
  }
  return Buffer.concat([encodeHeader(entry), data, Buffer.alloc(pad4(data.length))]);
};

/** The TRAILER!!! record that closes an archive (and resets the kernel's hardlink table). */
export const encodeTrailer = (): Buffer =>
  encodeHeader({
    name: TRAILER_NAME,
    ino: 0,
    mode: 0,
    uid: 0,
    gid: 0,
    nlink: 1,
    mtime: 0,
    filesize: 0,
    devmajor: 0,
    devminor: 0,
    rdevmajor: 0,
    rdevminor: 0,
  });

const readHex = (buf: Buffer, at: number, field: string): number => {
  const text = buf.toString('latin1', at, at + 8);
  if (!/^[0-9A-Fa-f]{8}$/.test(text)) throw new Error(`newc: bad ${field} field ${JSON.stringify(text)} at ${at}`);
  return parseInt(text, 16);
};

/**
 * Parses newc bytes back into records, trailers included (name TRAILER!!!). Accepts several archives
 * concatenated, with zero padding between them, as the kernel does. Throws on anything malformed.
 */
export const decodeNewc = (input: Uint8Array): NewcRecord[] => {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const records: NewcRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    if (buf[pos] === 0) {
      // Zero padding between archives (the kernel skips it the same way).
      pos++;
      continue;
    }
    if (pos % 4 !== 0) throw new Error(`newc: record at unaligned offset ${pos}`);
    if (pos + HEADER_SIZE > buf.length) throw new Error(`newc: truncated header at ${pos}`);
    const magic = buf.toString('latin1', pos, pos + 6);
    if (magic !== NEWC_MAGIC) throw new Error(`newc: bad magic ${JSON.stringify(magic)} at ${pos}`);
    const h = (field: keyof typeof OFFSET): number => readHex(buf, pos + OFFSET[field], field);
    const namesize = h('namesize');
    const filesize = h('filesize');
    if (namesize < 1) throw new Error(`newc: namesize 0 at ${pos}`);
    const nameEnd = pos + HEADER_SIZE + namesize;
    if (nameEnd > buf.length) throw new Error(`newc: truncated name at ${pos}`);
    if (buf[nameEnd - 1] !== 0) throw new Error(`newc: name not NUL-terminated at ${pos}`);
    const dataStart = pos + headerAndNameSize(namesize - 1);
    const dataEnd = dataStart + filesize;
    if (dataEnd > buf.length) throw new Error(`newc: truncated data at ${pos}`);
    records.push({
      name: buf.toString('latin1', pos + HEADER_SIZE, nameEnd - 1),
      ino: h('ino'),
      mode: h('mode'),
      uid: h('uid'),
      gid: h('gid'),
      nlink: h('nlink'),
      mtime: h('mtime'),
      filesize,
      devmajor: h('devmajor'),
      devminor: h('devminor'),
      rdevmajor: h('rdevmajor'),
      rdevminor: h('rdevminor'),
      data: buf.subarray(dataStart, dataEnd),
    });
    pos = dataEnd + pad4(filesize);
  }
  return records;
};
