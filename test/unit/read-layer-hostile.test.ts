// Hostile layers, read: what follows the end-of-archive marker is not part of the layer, a file newc cannot
// hold is refused at its header (nothing inflated, nothing spooled), and what a layer says reaches a message
// quoted and shortened.
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { sha256Digest } from '../../src/image/digest.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { readLayer } from '../../src/image/read-layer.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import { CollectingReporter } from '../../src/log.ts';
import { buildTar, compress, memoryLayer, type TestCompression } from '../helpers/image.ts';
import { failure } from '../helpers/errors.ts';
import { gzipWithZeros, headerOf, setBase256Size, zstdWithZeros } from '../helpers/tar-craft.ts';

const dir = mkdtempSync(join(tmpdir(), 'read-layer-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let spools = 0;
const newSpool = (): SpoolFile => new SpoolFile(join(dir, `spool-${spools++}`), 'sha256:test');

const read = async (
  blob: Buffer,
  compression: TestCompression,
  claim?: { digest?: string },
): Promise<{ entries: LayerEntry[]; spool: SpoolFile; warnings: string[] }> => {
  const spool = newSpool();
  const reporter = new CollectingReporter();
  const entries = await readLayer(memoryLayer(blob, compression === 'zstd-frames' ? 'zstd' : compression, claim), spool, reporter);
  return { entries, spool, warnings: reporter.warnings };
};

/** The bytes of a spooled file. */
const contentOf = (e: LayerEntry): Buffer => {
  const out = Buffer.alloc(e.size);
  if (e.size > 0) {
    if (e.data?.kind !== 'spool') throw new Error(`${e.name} has no spooled data`);
    e.data.spool.readInto(out, 0, e.data.offset, e.size);
  }
  return out;
};

describe('the end of a layer is its end-of-archive marker', () => {
  const first = buildTar([{ name: 'etc/', type: 'dir' }, { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' }]);
  const hidden = buildTar([{ name: 'etc/passwd', content: 'evil::0:0::/:/bin/sh\n' }, { name: 'stargz.index.json', content: '{}' }]);

  test.each(['none', 'gzip', 'zstd', 'zstd-frames'] as const)('a second tar after the marker of a %s layer is ignored, with a warning', async (c) => {
    const { entries, warnings } = await read(compress(Buffer.concat([first, hidden]), c), c);
    expect(entries.map((e) => [e.name, contentOf(e).toString()])).toEqual([
      ['etc/', ''],
      ['etc/passwd', 'root:x:0:0::/root:/bin/sh\n'],
    ]);
    expect(warnings).toEqual([expect.stringMatching(/^layer sha256:[0-9a-f]{64}: its tar ends at byte 1536, .*not part of the layer/)]);
  });

  test('zeros after the marker, however many, are padding: no warning', async () => {
    for (const pad of [0, 9216, 3 << 20]) {
      const { entries, warnings } = await read(compress(Buffer.concat([first, Buffer.alloc(pad)]), 'gzip'), 'gzip');
      expect(entries.map((e) => e.name)).toEqual(['etc/', 'etc/passwd']);
      expect(warnings).toEqual([]);
    }
  });

  test('content hidden after the marker is still verified against the digest', async () => {
    const good = Buffer.concat([gzipSync(first), gzipSync(hidden)]);
    const bad = Buffer.from(good);
    bad[bad.length - 30]! ^= 0x01; // inside the second member, which is no longer decompressed
    expect((await failure(read(bad, 'gzip', { digest: sha256Digest(good) }))).code).toBe('DIGEST_MISMATCH');
  });

  test('once content shows after the marker nothing more is decoded, so a stream cut short there is not an error', async () => {
    const cut = gzipSync(hidden).subarray(0, -8); // no CRC trailer: the decoder would fail at the end
    const { entries, warnings } = await read(Buffer.concat([gzipSync(first), cut]), 'gzip');
    expect(entries.map((e) => e.name)).toEqual(['etc/', 'etc/passwd']);
    expect(warnings).toHaveLength(1);
  });

  test('a stream cut short among the zeros after the marker is still corrupt (BAD_LAYER)', async () => {
    const cut = gzipSync(Buffer.alloc(4096)).subarray(0, -8);
    expect((await failure(read(Buffer.concat([gzipSync(first), cut]), 'gzip'))).code).toBe('BAD_LAYER');
  });
});

describe('a file newc cannot hold is refused at its header', () => {
  const header = (size: bigint): Buffer => setBase256Size(headerOf({ name: 'var/lib/huge.img' }), size);

  test.each([
    ['gzip', gzipWithZeros],
    ['zstd', zstdWithZeros],
  ] as const)('a %s layer holding 8 GiB of zeros fails with ARCHIVE_LIMIT, having spooled nothing', async (c, withZeros) => {
    const blob = withZeros(header(8n << 30n), 8 << 30, Buffer.alloc(1024));
    expect(blob.length).toBeLessThan(16 << 20);
    const started = performance.now();
    const { spool, err } = await (async () => {
      const s = newSpool();
      return { spool: s, err: await failure(readLayer(memoryLayer(blob, c), s)) };
    })();
    expect(err.code).toBe('ARCHIVE_LIMIT');
    expect(err.message).toMatch(/file 'var\/lib\/huge.img' is 8589934592 bytes; newc cannot store a file of 4 GiB or more/);
    expect(spool.size).toBe(0);
    // Inflating 8 GiB takes tens of seconds here; hashing the stored megabytes, well under one.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('4 GiB - 1 passes the header (the tar then ends early); 4 GiB does not', async () => {
    const under = await failure(read(header(0xffff_ffffn), 'none'));
    expect(under.code).toBe('BAD_LAYER');
    expect(under.message).toMatch(/ends inside an entry's data/);
    expect((await failure(read(header(0x1_0000_0000n), 'none'))).code).toBe('ARCHIVE_LIMIT');
  });

  test('the digest outranks the limit: a refused layer whose bytes are wrong is DIGEST_MISMATCH', async () => {
    const good = Buffer.concat([zstdCompressSync(header(5n << 30n)), zstdCompressSync(Buffer.alloc(4096))]);
    const bad = Buffer.from(good);
    bad[bad.length - 3]! ^= 0x01;
    expect((await failure(read(bad, 'zstd', { digest: sha256Digest(good) }))).code).toBe('DIGEST_MISMATCH');
  });
});

describe('messages quote what a layer says, shortened', () => {
  test('a name of most of a MiB in an error is cut to a few hundred characters, control characters escaped', async () => {
    const name = `\x1b[2J${'n'.repeat(1000 << 10)}`;
    const t = buildTar([{ name: 'x', pax: { path: name, mtime: 'soon' }, content: 'x' }]);
    const err = await failure(read(t, 'none'));
    expect(err.code).toBe('BAD_LAYER');
    expect(err.message.length).toBeLessThan(400);
    expect(err.message).toContain('\\x1b[2J');
    expect(err.message).not.toContain('\x1b');
  });
});
