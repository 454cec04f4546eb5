import { describe, expect, test } from 'vitest';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { DigestMismatchError, type InitramfsError } from '../../src/errors.ts';
import { checkDigest, isDigest, sha256Digest } from '../../src/image/digest.ts';
import { verifyBytes, verifyStream } from '../../src/image/verify.ts';

const data = Buffer.from('some blob bytes, some blob bytes, some blob bytes');
const digest = sha256Digest(data);

const run = (bytes: Buffer, d: string, size: number): Promise<Buffer> =>
  buffer(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]).pipe(verifyStream(d, size, 'layer')));

describe('verifyStream', () => {
  test('passes matching bytes through unchanged', async () => {
    expect(await run(data, digest, data.length)).toEqual(data);
  });

  test('a flipped byte fails with DIGEST_MISMATCH naming the blob and both digests', async () => {
    const bad = Buffer.from(data);
    bad[5]! ^= 1;
    const err = (await run(bad, digest, data.length).catch((e: unknown) => e)) as DigestMismatchError;
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.blob).toBe(digest);
    expect(err.message).toContain(`layer ${digest}`);
    expect(err.message).toContain(sha256Digest(bad));
  });

  test('a short blob is reported as truncated with both sizes', async () => {
    const err = (await run(data.subarray(0, 20), digest, data.length).catch((e: unknown) => e)) as InitramfsError;
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain(`expected ${data.length} bytes`);
    expect(err.message).toContain('got 20 bytes (truncated)');
  });

  test('more bytes than promised fail at once, before the excess is passed on', async () => {
    const seen: Buffer[] = [];
    const v = verifyStream(digest, 12, 'config');
    v.on('data', (c: Buffer) => seen.push(c));
    const err = await new Promise<unknown>((resolve) => {
      v.on('error', resolve);
      v.write(data.subarray(0, 10));
      v.write(data.subarray(10)); // crosses the limit: no end() needed to fail
    });
    expect((err as InitramfsError).code).toBe('DIGEST_MISMATCH');
    expect((err as Error).message).toContain('config');
    expect(Buffer.concat(seen).length).toBeLessThanOrEqual(12);
  });

  test('verifyBytes checks in-memory blobs the same way', () => {
    expect(() => verifyBytes(data, digest, data.length, 'manifest')).not.toThrow();
    expect(() => verifyBytes(data, digest, data.length + 1, 'manifest')).toThrow(DigestMismatchError);
    expect(() => verifyBytes(Buffer.from('x'), sha256Digest(Buffer.from('y')), 1, 'manifest')).toThrow(/manifest sha256:/);
  });
});

describe('digest strings', () => {
  test('only sha256 with 64 lowercase hex digits is a digest', () => {
    expect(isDigest(digest)).toBe(true);
    expect(isDigest(digest.toUpperCase())).toBe(false);
    expect(isDigest(`sha512:${'a'.repeat(128)}`)).toBe(false);
    expect(isDigest(`${digest}0`)).toBe(false);
    expect(isDigest(42)).toBe(false);
  });

  test.each(['sha256:../../etc', `sha256:${'a'.repeat(63)}/`, 'sha256:/etc/passwd', `sha256:${'A'.repeat(64)}`])(
    'a path-like digest %j fails with BAD_IMAGE before it names a file',
    (bad) => {
      expect(() => checkDigest(bad, 'index.json manifests[0]')).toThrow(
        expect.objectContaining({ code: 'BAD_IMAGE', message: expect.stringContaining('index.json manifests[0]') as string }) as Error,
      );
    },
  );
});
