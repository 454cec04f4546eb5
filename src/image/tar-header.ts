// One 512-byte tar header block, decoded: ustar (POSIX.1-1988), GNU and pre-POSIX (v7) headers, numbers in
// octal or GNU base-256. Pure, and strict where Go's archive/tar is strict (a bad checksum, a number that
// is not one), since Go is what Docker, containerd and umoci read layers with: a header they refuse is one
// this tool refuses too, rather than a second reading of the same bytes.

export const BLOCK = 512;
// Header field offsets and lengths (POSIX.1-1988 ustar; v7 stops at 257).
const NAME = 0;
const NAME_LEN = 100;
const MODE = 100;
const UID = 108;
const GID = 116;
const ID_LEN = 8;
const SIZE = 124;
const SIZE_LEN = 12;
const MTIME = 136;
const MTIME_LEN = 12;
const CHKSUM = 148;
const CHKSUM_LEN = 8;
const TYPEFLAG = 156;
const LINKNAME = 157;
const LINKNAME_LEN = 100;
const MAGIC = 257;
const DEVMAJOR = 329;
const DEVMINOR = 337;
const DEV_LEN = 8;
const PREFIX = 345;
const PREFIX_LEN = 155;

/** Bytes that are not a tar where a tar was expected; callers turn it into their own error code. */
export class TarFormatError extends Error {
  override name = 'TarFormatError';
}

/** A header's fields as written; meta entries (pax, GNU long names) are applied by tar-entry.ts. */
export interface TarHeader {
  /** The name field, with the ustar prefix joined (byte string). */
  name: string;
  /** The typeflag character ('0', '5', 'x', …; a NUL typeflag is '\0'). */
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  /** The size field; never negative. Whether data follows depends on the type (tar-entry.ts). */
  size: number;
  /** Seconds since the epoch; may be negative (base-256). */
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
}

/** A NUL-terminated field as a byte string (one char per byte). */
export const cstring = (b: Uint8Array, at: number, len: number): string => {
  const field = b.subarray(at, at + len);
  const nul = field.indexOf(0);
  return Buffer.from(nul === -1 ? field : field.subarray(0, nul)).toString('latin1');
};

/** Printable form of a field's bytes for a message: at most 16, others as \xNN. */
const shownField = (field: Uint8Array): string =>
  [...field.subarray(0, 16)].map((c) => (c >= 0x20 && c < 0x7f && c !== 0x27 && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('');

/**
 * A numeric header field: octal text (leading and trailing spaces and NULs ignored, as Go does), or GNU
 * base-256 when the high bit of the first byte is set (two's complement when the next bit is set, so it
 * may be negative). Throws TarFormatError for anything else, or a value beyond 2^53.
 */
export function decodeNumber(b: Uint8Array, at: number, len: number): number {
  const field = b.subarray(at, at + len);
  if ((field[0]! & 0x80) !== 0) {
    const negative = (field[0]! & 0x40) !== 0;
    const inv = negative ? 0xff : 0;
    let n = 0;
    for (let i = 0; i < field.length; i++) {
      let c = field[i]! ^ inv;
      if (i === 0) c &= 0x7f;
      n = n * 256 + c;
      if (!Number.isSafeInteger(n)) throw new TarFormatError('tar header number too large');
    }
    return negative ? -n - 1 : n;
  }
  let start = 0;
  let end = field.length;
  while (start < end && (field[start] === 0x20 || field[start] === 0)) start++;
  while (end > start && (field[end - 1] === 0x20 || field[end - 1] === 0)) end--;
  const nul = field.subarray(start, end).indexOf(0);
  if (nul !== -1) end = start + nul;
  if (start === end) return 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = field[i]!;
    if (c < 0x30 || c > 0x37) throw new TarFormatError(`bad number '${shownField(field)}' in tar header`);
    n = n * 8 + (c - 0x30);
  }
  return n;
}

/** True for an all-zero block: the end-of-archive marker. */
export const isZeroBlock = (b: Uint8Array): boolean => {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
};

function checksumOk(h: Uint8Array): boolean {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= CHKSUM && i < CHKSUM + CHKSUM_LEN ? 0x20 : h[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  const want = decodeNumber(h, CHKSUM, CHKSUM_LEN);
  // Some historic tars summed signed bytes; both are accepted, as GNU tar and Go do.
  return want === unsigned || want === signed;
}

/**
 * True when `block` is a tar header whose checksum is right: how a plain tar is told from a compressed one
 * before any other magic is trusted (a member's name may begin with any bytes).
 */
export function isTarHeader(block: Uint8Array): boolean {
  if (block.length < BLOCK || isZeroBlock(block)) return false;
  try {
    return checksumOk(block.subarray(0, BLOCK));
  } catch {
    return false;
  }
}

/**
 * Decodes the header block at `block[0..512)`; null for an all-zero block (the end-of-archive marker).
 * `offset` (the block's place in the tar) only names it in messages.
 */
export function decodeHeader(block: Uint8Array, offset: number): TarHeader | null {
  if (isZeroBlock(block)) return null;
  let ok: boolean;
  try {
    ok = checksumOk(block);
  } catch {
    ok = false;
  }
  if (!ok) throw new TarFormatError(`bad tar header checksum at byte ${offset}`);
  const field = (what: string, at: number, len: number): number => {
    try {
      return decodeNumber(block, at, len);
    } catch (e) {
      throw new TarFormatError(`${(e as Error).message} (${what} of the header at byte ${offset})`);
    }
  };
  // The format, as Go tells it: ustar (and pax) by magic and version, GNU by its own; anything else with
  // a right checksum is v7, whose header ends at 257 (no prefix, no device numbers).
  const magic = Buffer.from(block.subarray(MAGIC, MAGIC + 8)).toString('latin1');
  const ustar = magic === 'ustar\x0000';
  const hasDevices = ustar || magic === 'ustar  \0';
  let name = cstring(block, NAME, NAME_LEN);
  if (ustar && block[PREFIX] !== 0) name = `${cstring(block, PREFIX, PREFIX_LEN)}/${name}`;
  const size = field('size', SIZE, SIZE_LEN);
  if (size < 0) throw new TarFormatError(`negative size ${size} in the header at byte ${offset}`);
  return {
    name,
    typeflag: String.fromCharCode(block[TYPEFLAG]!),
    mode: field('mode', MODE, ID_LEN),
    uid: field('uid', UID, ID_LEN),
    gid: field('gid', GID, ID_LEN),
    size,
    mtime: field('mtime', MTIME, MTIME_LEN),
    linkname: cstring(block, LINKNAME, LINKNAME_LEN),
    devmajor: hasDevices ? field('devmajor', DEVMAJOR, DEV_LEN) : 0,
    devminor: hasDevices ? field('devminor', DEVMINOR, DEV_LEN) : 0,
  };
}

/** Bytes of padding after `size` bytes of data, up to the next block boundary. */
export const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;
