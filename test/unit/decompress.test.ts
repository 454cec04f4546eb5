import { describe, expect, test } from 'vitest';
import { buffer } from 'node:stream/consumers';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import type { InitramfsError } from '../../src/errors.ts';
import { openLayerTar } from '../../src/image/decompress.ts';
import { sha256Digest } from '../../src/image/digest.ts';
import { buildTar, compress, memoryLayer } from '../helpers/image.ts';

const tar = buildTar([{ name: 'etc/hostname', content: 'box\n'.repeat(3000) }, { name: 'bin/sh', content: 'ELF'.repeat(5000) }]);

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

describe('openLayerTar', () => {
  test.each(['none', 'gzip', 'zstd', 'zstd-frames'] as const)('yields the tar of a %s layer', async (c) => {
    const blob = compress(tar, c);
    const layer = memoryLayer(blob, c === 'zstd-frames' ? 'zstd' : c);
    expect(await buffer(openLayerTar(layer))).toEqual(tar);
  });

  test('reads every member of a multi-member gzip', async () => {
    const blob = Buffer.concat([gzipSync(tar.subarray(0, 5000)), gzipSync(tar.subarray(5000))]);
    expect(await buffer(openLayerTar(memoryLayer(blob, 'gzip')))).toEqual(tar);
  });

  test('corrupt gzip whose digest matches fails with BAD_LAYER naming the layer', async () => {
    const blob = gzipSync(tar);
    blob[blob.length - 6]! ^= 0xff; // CRC32 trailer
    const layer = memoryLayer(blob, 'gzip');
    const err = await failure(buffer(openLayerTar(layer)));
    expect(err.code).toBe('BAD_LAYER');
    expect(err.message).toContain(layer.digest.slice(0, 19));
  });

  test('truncated zstd whose digest matches fails with BAD_LAYER', async () => {
    const whole = zstdCompressSync(tar);
    const blob = whole.subarray(0, whole.length - 20);
    const err = await failure(buffer(openLayerTar(memoryLayer(blob, 'zstd'))));
    expect(err.code).toBe('BAD_LAYER');
    expect(err.message).toMatch(/zstd/);
  });

  test('garbage after the last zstd frame fails with BAD_LAYER', async () => {
    const blob = Buffer.concat([zstdCompressSync(tar), Buffer.from('trailing junk')]);
    expect((await failure(buffer(openLayerTar(memoryLayer(blob, 'zstd'))))).code).toBe('BAD_LAYER');
  });

  test('bytes that fail their digest report DIGEST_MISMATCH even when they also fail to decode', async () => {
    const good = gzipSync(tar);
    const bad = Buffer.from(good);
    bad[20]! ^= 0xff; // corrupts the deflate stream early: the decoder fails long before the end
    for (let i = 0; i < 5; i++) {
      const err = await failure(buffer(openLayerTar(memoryLayer(bad, 'gzip', { digest: sha256Digest(good) }))));
      expect(err.code).toBe('DIGEST_MISMATCH');
    }
  });
});
