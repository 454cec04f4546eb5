import { describe, expect, test } from 'vitest';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { zstdCompressSync, constants as zc } from 'node:zlib';
import { ZstdMultiFrameDecompress } from '../../src/image/decompress.ts';
import { ZstdFormatError, ZstdFrameSplitter, type ZstdEvent } from '../../src/image/zstd-frames.ts';
import { skippableFrame } from '../helpers/image.ts';

interface FrameSpec {
  fcsFlag?: 0 | 1 | 2 | 3;
  single?: boolean;
  checksum?: boolean;
  dictBytes?: 0 | 1 | 2 | 4;
  /** Raw blocks carry bytes; RLE blocks one byte repeated `count` times. */
  blocks: ({ raw: string } | { rle: string; count: number })[];
}

/** A zstd frame assembled by hand, field by field (RFC 8878 §3.1.1). */
function frame(spec: FrameSpec): Buffer {
  const fcsFlag = spec.fcsFlag ?? 0;
  const single = spec.single ?? false;
  const dictFlag = { 0: 0, 1: 1, 2: 2, 4: 3 }[spec.dictBytes ?? 0];
  const fhd = (fcsFlag << 6) | (single ? 0x20 : 0) | (spec.checksum ? 0x04 : 0) | dictFlag;
  const content = spec.blocks.map((b) => ('raw' in b ? b.raw : b.rle.repeat(b.count))).join('');
  const parts: Buffer[] = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, fhd])];
  if (!single) parts.push(Buffer.from([0x48])); // window 512 KiB
  if (spec.dictBytes) parts.push(Buffer.alloc(spec.dictBytes, 7));
  const fcsSize = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
  if (fcsSize > 0) {
    const f = Buffer.alloc(fcsSize);
    const v = fcsSize === 2 ? content.length - 256 : content.length;
    for (let i = 0; i < fcsSize; i++) f[i] = Math.floor(v / 256 ** i) % 256;
    parts.push(f);
  }
  spec.blocks.forEach((b, i) => {
    const last = i === spec.blocks.length - 1 ? 1 : 0;
    const [type, size, body] = 'raw' in b ? [0, b.raw.length, Buffer.from(b.raw)] : [1, b.count, Buffer.from(b.rle)];
    const h = last | (type << 1) | (size << 3);
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), body);
  });
  if (spec.checksum) parts.push(Buffer.from([1, 2, 3, 4]));
  return Buffer.concat(parts);
}

/** Splits `input` fed in pieces of `step` bytes; returns the frames' bytes and the event count. */
function split(input: Buffer, step: number): { frames: Buffer[]; events: ZstdEvent[] } {
  const s = new ZstdFrameSplitter();
  const events: ZstdEvent[] = [];
  for (let i = 0; i < input.length; i += step) events.push(...s.push(input.subarray(i, i + step)));
  s.end();
  const frames: Buffer[] = [];
  let cur: Buffer[] | null = null;
  for (const e of events) {
    if (e.type === 'frame-start') cur = [];
    else if (e.type === 'data') cur!.push(Buffer.from(e.bytes));
    else frames.push(Buffer.concat(cur!));
  }
  return { frames, events };
}

const variants: [string, FrameSpec][] = [
  ['single segment, 1-byte content size', { single: true, blocks: [{ raw: 'hello' }] }],
  ['window descriptor, no content size', { blocks: [{ raw: 'abc' }, { raw: 'def' }] }],
  ['2-byte content size', { fcsFlag: 1, blocks: [{ raw: 'x'.repeat(300) }] }],
  ['4-byte content size and a checksum', { fcsFlag: 2, checksum: true, blocks: [{ raw: 'four' }] }],
  ['8-byte content size', { fcsFlag: 3, single: true, blocks: [{ raw: 'eight' }] }],
  ['1-byte dictionary id', { dictBytes: 1, blocks: [{ raw: 'd1' }] }],
  ['2-byte dictionary id', { dictBytes: 2, blocks: [{ raw: 'd2' }] }],
  ['4-byte dictionary id', { dictBytes: 4, fcsFlag: 2, blocks: [{ raw: 'd4' }] }],
  ['RLE block (one byte of body)', { blocks: [{ rle: 'z', count: 1000 }, { raw: 'end' }] }],
  ['empty last block', { blocks: [{ raw: 'a' }, { raw: '' }] }],
];

describe('ZstdFrameSplitter', () => {
  test.each(variants)('finds the exact extent of a frame with %s, however the input is chunked', (_name, spec) => {
    const f = frame(spec);
    const tail = frame({ single: true, blocks: [{ raw: 'next' }] });
    for (const step of [1, 2, 3, 7, f.length + tail.length]) {
      const { frames } = split(Buffer.concat([f, tail]), step);
      expect(frames).toEqual([f, tail]);
    }
  });

  test('drops skippable frames of every magic, empty ones included', () => {
    const a = frame({ blocks: [{ raw: 'A' }] });
    const b = frame({ blocks: [{ raw: 'B' }] });
    const parts: Buffer[] = [skippableFrame(Buffer.alloc(0), 0), a];
    for (let n = 0; n < 16; n++) parts.push(skippableFrame(Buffer.from(`payload ${n}`), n));
    parts.push(b, skippableFrame(Buffer.from('trailing'), 15));
    for (const step of [1, 5, 1 << 20]) expect(split(Buffer.concat(parts), step).frames).toEqual([a, b]);
  });

  test('a stream ending inside a frame fails at end()', () => {
    const f = frame({ checksum: true, blocks: [{ raw: 'abcdef' }] });
    for (const cut of [2, 5, 8, f.length - 5, f.length - 1]) {
      const s = new ZstdFrameSplitter();
      s.push(f.subarray(0, cut));
      expect(() => s.end()).toThrow(ZstdFormatError);
    }
    const s = new ZstdFrameSplitter();
    s.push(skippableFrame(Buffer.from('abc')).subarray(0, 9));
    expect(() => s.end()).toThrow(/truncated/);
  });

  test('bytes that are not a frame fail with their offset', () => {
    const f = frame({ blocks: [{ raw: 'ok' }] });
    const s = new ZstdFrameSplitter();
    expect(() => s.push(Buffer.concat([f, Buffer.from('garbage!')]))).toThrow(`at byte ${f.length}`);
  });

  test('a reserved block type or header bit fails', () => {
    const bad = frame({ blocks: [{ raw: 'x' }] });
    bad[6] = (bad[6]! & ~0x06) | (3 << 1); // block type 3
    expect(() => new ZstdFrameSplitter().push(bad)).toThrow(/reserved block type/);
    const reserved = frame({ blocks: [{ raw: 'x' }] });
    reserved[4]! |= 0x08;
    expect(() => new ZstdFrameSplitter().push(reserved)).toThrow(/reserved bit/);
  });
});

const decode = (input: Buffer, step = 4096): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; i += step) chunks.push(input.subarray(i, i + step));
  return buffer(Readable.from(chunks).pipe(new ZstdMultiFrameDecompress()));
};

describe('ZstdMultiFrameDecompress', () => {
  test('decodes every frame in order, skipping skippable frames', async () => {
    const parts = ['first frame ', 'second frame ', 'third frame'].map((t) => Buffer.from(t.repeat(5000)));
    const input = Buffer.concat([
      zstdCompressSync(parts[0]!),
      skippableFrame(Buffer.from('meta')),
      zstdCompressSync(parts[1]!, { params: { [zc.ZSTD_c_checksumFlag]: 1 } }),
      skippableFrame(Buffer.alloc(100), 3),
      zstdCompressSync(parts[2]!),
    ]);
    for (const step of [1000, 4096, input.length]) expect(await decode(input, step)).toEqual(Buffer.concat(parts));
  });

  test('agrees with the decoder on hand-built frames of raw and RLE blocks', async () => {
    const specs = variants.filter(([, s]) => !s.dictBytes && !s.checksum).map(([, s]) => s);
    const expected = specs.map((s) => s.blocks.map((b) => ('raw' in b ? b.raw : b.rle.repeat(b.count))).join('')).join('');
    expect((await decode(Buffer.concat(specs.map(frame)), 3)).toString()).toBe(expected);
  });

  test('output far larger than the input comes through whole', async () => {
    const big = Buffer.alloc(16 << 20, 0x61);
    const input = Buffer.concat([zstdCompressSync(big), zstdCompressSync(big)]);
    expect(input.length).toBeLessThan(64 << 10);
    const out = await decode(input);
    expect(out.length).toBe(32 << 20);
    expect(out.every((b) => b === 0x61)).toBe(true);
  });

  test('a corrupt frame body fails its content checksum', async () => {
    const good = zstdCompressSync(Buffer.from('some text that compresses '.repeat(200)), {
      params: { [zc.ZSTD_c_checksumFlag]: 1 },
    });
    const bad = Buffer.from(good);
    bad[good.length - 10]! ^= 0xff;
    await expect(decode(bad)).rejects.toThrow();
  });
});
