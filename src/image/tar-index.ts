// An index of an uncompressed tar file's members (name → data offset and size), built by reading only the
// 512-byte headers and seeking past the data, so a multi-gigabyte `docker save` archive is never copied.
// Understands ustar name+prefix, GNU long names ('L'/'K') and pax 'x' path/linkpath/size records.
import { closeSync, openSync, readSync } from 'node:fs';
import { quoteBytes } from '../quote.ts';

const BLOCK = 512;
// ustar header field offsets (POSIX.1-1988 + pax).
const NAME = 0;
const NAME_LEN = 100;
const SIZE = 124;
const SIZE_LEN = 12;
const CHKSUM = 148;
const CHKSUM_LEN = 8;
const TYPEFLAG = 156;
const LINKNAME = 157;
const LINKNAME_LEN = 100;
const MAGIC = 257;
const PREFIX = 345;
const PREFIX_LEN = 155;

/** Meta entries bigger than this are not names: refuse rather than read them into memory. */
const MAX_META = 1 << 20;

export interface TarMember {
  /** Name as stored (byte string), without a leading "./". */
  name: string;
  /** '0' regular, '1' hardlink, '2' symlink, '5' directory, … (the typeflag character). */
  type: string;
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
  linkname: string;
}

/** Raised for bytes that are not a tar; the caller turns it into its own error code. */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

const cstring = (b: Uint8Array, at: number, len: number): string => {
  const field = b.subarray(at, at + len);
  const nul = field.indexOf(0);
  return Buffer.from(nul === -1 ? field : field.subarray(0, nul)).toString('latin1');
};

/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
export function decodeNumber(b: Uint8Array, at: number, len: number): number {
  const field = b.subarray(at, at + len);
  if ((field[0]! & 0x80) !== 0) {
    if (field[0] === 0xff) throw new TarFormatError('negative base-256 number in tar header');
    let n = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    if (!Number.isSafeInteger(n)) throw new TarFormatError('tar header number too large');
    return n;
  }
  const text = Buffer.from(field).toString('latin1').replace(/[\0 ]+$/g, '').replace(/^[ \0]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad octal number ${quoteBytes(text, 12)} in tar header`);
  return Number.parseInt(text, 8);
}

/** True for an all-zero block (end-of-archive marker). */
const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

function checksumOk(h: Uint8Array): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= CHKSUM && i < CHKSUM + CHKSUM_LEN ? 0x20 : h[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  const want = decodeNumber(h, CHKSUM, CHKSUM_LEN);
  // Some historic tars summed signed bytes; both are accepted, as GNU tar does.
  return want === unsigned || want === signed;
}

/**
 * True when `block` is a tar header whose checksum is right: how a plain tar is told from a compressed one
 * before any other magic is trusted (a member's name may begin with any bytes).
 */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < BLOCK || isZero(block.subarray(0, BLOCK))) return false;
  try {
    return checksumOk(block.subarray(0, BLOCK));
  } catch {
    return false;
  }
}

/** The pax records of an 'x'/'g' header's data ("<len> key=value\n" …), values as byte strings. */
export function decodePaxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    let sp = i;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number.parseInt(Buffer.from(data.subarray(i, sp)).toString('latin1'), 10);
    if (!Number.isSafeInteger(len) || len <= 0 || i + len > data.length) break;
    const record = Buffer.from(data.subarray(sp + 1, i + len - 1)).toString('latin1');
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/** Reads the headers of the tar at `path` and returns its members in order (later duplicates included). */
export function indexTar(path: string): TarMember[] {
  const fd = openSync(path, 'r');
  try {
    return indexTarFd(fd);
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new TarFormatError(`tar truncated at byte ${position + done}`);
    done += n;
  }
  return buf;
}

const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;

function indexTarFd(fd: number): TarMember[] {
  const members: TarMember[] = [];
  let pos = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  let globalPax = new Map<string, string>();
  for (;;) {
    let header: Buffer;
    try {
      header = readAt(fd, BLOCK, pos);
    } catch (e) {
      // A tar without its end-of-archive marker is common enough (some writers omit it) to accept at a
      // header boundary.
      if (pos > 0 && e instanceof TarFormatError) return members;
      throw e;
    }
    if (isZero(header)) return members;
    if (!checksumOk(header)) throw new TarFormatError(`bad tar header checksum at byte ${pos}`);
    const type = header[TYPEFLAG] === 0 ? '0' : String.fromCharCode(header[TYPEFLAG]!);
    let size = decodeNumber(header, SIZE, SIZE_LEN);
    const dataAt = pos + BLOCK;
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      if (size > MAX_META) throw new TarFormatError(`tar meta entry of ${size} bytes at byte ${pos}`);
      const data = readAt(fd, size, dataAt);
      if (type === 'L') longName = cstring(data, 0, data.length);
      else if (type === 'K') longLink = cstring(data, 0, data.length);
      else if (type === 'x') pax = decodePaxRecords(data);
      else globalPax = new Map([...globalPax, ...decodePaxRecords(data)]);
      pos = dataAt + padded(size);
      continue;
    }
    const records = new Map([...globalPax, ...pax]);
    let name = cstring(header, NAME, NAME_LEN);
    const isUstar = header.subarray(MAGIC, MAGIC + 6).toString('latin1') === 'ustar\0';
    if (isUstar && header[PREFIX] !== 0) name = `${cstring(header, PREFIX, PREFIX_LEN)}/${name}`;
    if (longName !== undefined) name = longName;
    // pax values are UTF-8 by spec; kept as their bytes, the same form as the ustar fields.
    const paxPath = records.get('path');
    if (paxPath !== undefined) name = paxPath;
    let linkname = longLink ?? cstring(header, LINKNAME, LINKNAME_LEN);
    const paxLink = records.get('linkpath');
    if (paxLink !== undefined) linkname = paxLink;
    const paxSize = records.get('size');
    if (paxSize !== undefined && /^\d+$/.test(paxSize)) size = Number.parseInt(paxSize, 10);
    longName = undefined;
    longLink = undefined;
    pax = new Map();
    while (name.startsWith('./')) name = name.slice(2);
    // Links, devices, directories and FIFOs carry no data whatever their size field says (as in Go's archive/tar).
    const dataSize = '123456'.includes(type) ? 0 : size;
    members.push({ name, type, offset: dataAt, size: dataSize, linkname });
    pos = dataAt + padded(dataSize);
  }
}
