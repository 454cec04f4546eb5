import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync, zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import {
  compressSegment,
  compressStream,
  DEFAULT_LEVEL,
  normalizeGzipHeader,
  parseCompression,
  resolveLevel,
} from '../../src/initramfs/compress.ts';

// Compressible but not trivial: a repeating text with a counter.
const sample = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} of the segment\n`).join(''));

const usageError = (fn: () => unknown): InitramfsError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InitramfsError);
    expect((e as InitramfsError).code).toBe('USAGE');
    return e as InitramfsError;
  }
  throw new Error('expected a USAGE error');
};

describe('compression levels', () => {
  it('defaults to gzip 6 and zstd 3', () => {
    expect(DEFAULT_LEVEL.gzip).toBe(6);
    expect(DEFAULT_LEVEL.zstd).toBe(3);
    expect(resolveLevel('gzip')).toBe(6);
    expect(resolveLevel('zstd')).toBe(3);
    expect(resolveLevel('gzip', 9)).toBe(9);
    expect(resolveLevel('zstd', 19)).toBe(19);
  });

  it.each([
    ['gzip', 0],
    ['gzip', 10],
    ['zstd', 0],
    ['zstd', 20],
    ['zstd', 2.5],
  ] as const)('rejects %s level %d as USAGE, naming the range', (compression, level) => {
    expect(usageError(() => resolveLevel(compression, level)).message).toMatch(/from 1 to (9|19)/);
  });

  it('parses the three method names and rejects others as USAGE', () => {
    expect(['gzip', 'zstd', 'none'].map(parseCompression)).toEqual(['gzip', 'zstd', 'none']);
    expect(usageError(() => parseCompression('xz')).message).toContain('"xz"');
  });
});

describe('segment compression', () => {
  it('writes a gzip member with mtime 0, no name, and the Unix OS byte', async () => {
    const out = await compressSegment(sample, 'gzip', 6);
    expect([out[0], out[1], out[2]]).toEqual([0x1f, 0x8b, 8]);
    expect(out[3]).toBe(0); // FLG: no FNAME, no FCOMMENT, no FHCRC
    expect(out.readUInt32LE(4)).toBe(0); // MTIME
    expect(out[9]).toBe(3); // OS = Unix
    expect(gunzipSync(out)).toEqual(sample);
  });

  it('forces the OS byte whatever zlib wrote there', () => {
    const member = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0x0b, 1, 2]);
    expect(normalizeGzipHeader(member)[9]).toBe(3);
  });

  it('writes one zstd frame with a checksum that decodes back', async () => {
    const out = await compressSegment(sample, 'zstd', 3);
    expect(out.readUInt32LE(0)).toBe(0xfd2fb528); // frame magic
    expect(out[4]! & 0b100).toBe(0b100); // Content_Checksum_flag in the frame header descriptor
    expect(zstdDecompressSync(out)).toEqual(sample);
  });

  it('passes the bytes through for none', async () => {
    expect(await compressSegment(sample, 'none', 0)).toBe(sample);
  });

  it.each(['gzip', 'zstd'] as const)('produces identical %s bytes for the same input, even compressed concurrently', async (c) => {
    const level = DEFAULT_LEVEL[c];
    const [a, b, other] = await Promise.all([
      compressSegment(sample, c, level),
      compressSegment(Buffer.from(sample), c, level),
      compressSegment(sample, c, c === 'gzip' ? 1 : 19),
    ]);
    expect(a.equals(b)).toBe(true);
    // The level really reaches the compressor.
    expect(a.equals(other)).toBe(false);
  });

  it.each(['gzip', 'zstd'] as const)('gives the same %s bytes streamed in any pieces as compressed whole', async (c) => {
    const streamed = async (piece: number): Promise<Buffer> => {
      const out: Buffer[] = [];
      async function* pieces(): AsyncGenerator<Buffer> {
        for (let at = 0; at < sample.length; at += piece) yield sample.subarray(at, at + piece);
      }
      await compressStream(pieces(), c, 3, sample.length, async (chunk) => {
        out.push(Buffer.from(chunk));
      });
      return Buffer.concat(out);
    };
    const whole = await compressSegment(sample, c, 3);
    for (const piece of [1000, 7777, 65536, sample.length]) expect((await streamed(piece)).equals(whole)).toBe(true);
  });

  it("gives, for a segment larger than its output pieces, the bytes of zlib's own one-shot gzip", async () => {
    // Compressed to well over one 1 MiB output piece: the piece size (how often the threadpool hands
    // output back) must not reach the bytes.
    // Half text, half bytes that do not compress (a sha256 chain), so the output spans several pieces.
    const noise = Buffer.concat(Array.from({ length: 50_000 }, (_, i) => createHash('sha256').update(String(i)).digest()));
    const text = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `line ${i}\n`).join(''));
    const big = Buffer.concat([text, noise, text]);
    const ours = await compressSegment(big, 'gzip', 1);
    expect(ours.length).toBeGreaterThan(1 << 20);
    expect(ours.equals(normalizeGzipHeader(gzipSync(big, { level: 1 })))).toBe(true);
    expect(gunzipSync(ours).equals(big)).toBe(true);
  });

  it('stops with the error of a failing input and of a failing consumer', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield sample.subarray(0, 100);
      throw new Error('source gone');
    }
    await expect(compressStream(failing(), 'zstd', 3, sample.length, async () => {})).rejects.toThrow('source gone');
    await expect(
      compressStream([sample], 'gzip', 6, sample.length, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
  });

  it('concatenated gzip segments decode to the concatenated input', async () => {
    // (zstd concatenation is checked with the zstd CLI in the integration test: whether Node's one-shot
    // zstdDecompress reads past the first frame depends on the Node release.)
    const one = sample.subarray(0, 40_000);
    const two = sample.subarray(40_000);
    const joined = Buffer.concat([await compressSegment(one, 'gzip', 3), await compressSegment(two, 'gzip', 3)]);
    expect(gunzipSync(joined)).toEqual(sample);
  });
});
