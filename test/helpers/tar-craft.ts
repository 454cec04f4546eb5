// Test helper: tar and compressed bytes that no well-behaved writer makes, built in code — header blocks
// with one field patched (a size in base-256 or negative, a broken checksum), pax records written
// verbatim (malformed ones too), and gzip or zstd streams that inflate to far more than they store,
// made from one small member repeated so that nothing large is ever held in memory.
import { constants as zc, gzipSync, zstdCompressSync } from 'node:zlib';
import { buildTar, type TestEntry } from './image.ts';

const BLOCK = 512;
const SIZE = 124;
const SIZE_LEN = 12;
const CHKSUM = 148;

/** Recomputes a header block's checksum (unsigned sum, the checksum field counted as spaces), in place. */
export function fixChecksum(block: Buffer): Buffer {
  block.fill(0x20, CHKSUM, CHKSUM + 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i]!;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, CHKSUM, 'latin1');
  return block;
}

/** The header block buildTar writes for `entry` (its data and the end marker left out), as a copy. */
export function headerOf(entry: TestEntry): Buffer {
  return Buffer.from(buildTar([{ ...entry, content: undefined }]).subarray(0, BLOCK));
}

/** Writes `bytes` at `offset` of a header block and fixes its checksum, in place. */
export function patchHeader(block: Buffer, offset: number, bytes: Uint8Array | string): Buffer {
  (typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes)).copy(block, offset);
  return fixChecksum(block);
}

/** Sets a header's size field to `size` in GNU base-256 (two's complement when negative), in place. */
export function setBase256Size(block: Buffer, size: bigint): Buffer {
  let v = size < 0n ? (1n << 95n) + size : size; // 95 bits of value after the marker bit
  const field = Buffer.alloc(SIZE_LEN);
  for (let i = SIZE_LEN - 1; i >= 0; i--) {
    field[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  field[0] = (field[0]! & 0x7f) | 0x80;
  return patchHeader(block, SIZE, field);
}

/** A pax 'x' entry (header and data) whose data is `records` exactly as given, malformed or not. */
export function rawPaxEntry(records: string | Buffer): Buffer {
  const data = typeof records === 'string' ? Buffer.from(records, 'latin1') : records;
  const header = headerOf({ name: 'PaxHeaders/entry' });
  header.write('x', 156, 'latin1');
  header.write(data.length.toString(8).padStart(11, '0') + '\0', SIZE, 'latin1');
  fixChecksum(header);
  return Buffer.concat([header, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK)]);
}

/** One pax record, its length prefix computed ("<len> key=value\n"). */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
}

/** The end-of-archive marker: two zero blocks. */
export const END = Buffer.alloc(2 * BLOCK);

const UNIT = 64 << 20;

/**
 * A gzip stream of `before`, then `zeros` zero bytes, then `after` — several members, the zeros stored as
 * one 64 MiB member repeated, so a stream that inflates to gigabytes is a few megabytes here.
 */
export function gzipWithZeros(before: Buffer, zeros: number, after: Buffer): Buffer {
  if (zeros % UNIT !== 0) throw new Error(`gzipWithZeros: ${zeros} is not a multiple of 64 MiB`);
  const unit = gzipSync(Buffer.alloc(UNIT), { level: 9 });
  return Buffer.concat([gzipSync(before), ...Array<Buffer>(zeros / UNIT).fill(unit), gzipSync(after)]);
}

/** The same as zstd frames (zstd keeps runs of zeros as RLE blocks: about 4 bytes per 128 KiB). */
export function zstdWithZeros(before: Buffer, zeros: number, after: Buffer): Buffer {
  if (zeros % UNIT !== 0) throw new Error(`zstdWithZeros: ${zeros} is not a multiple of 64 MiB`);
  const unit = zstdCompressSync(Buffer.alloc(UNIT), { params: { [zc.ZSTD_c_checksumFlag]: 1 } });
  return Buffer.concat([zstdCompressSync(before), ...Array<Buffer>(zeros / UNIT).fill(unit), zstdCompressSync(after)]);
}
