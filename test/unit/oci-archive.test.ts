import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import { OciArchiveSource } from '../../src/image/oci-archive.ts';
import { OciLayoutSource } from '../../src/image/oci-layout.ts';
import { readLayer } from '../../src/image/read-layer.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import type { ImageSource, Platform } from '../../src/image/types.ts';
import { buildTar, compress, writeDockerArchive, writeOciArchive, writeOciLayout, type TestImage } from '../helpers/image.ts';

const root = mkdtempSync(join(tmpdir(), 'oci-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (suffix = '.tar'): string => join(root, `a${n++}${suffix}`);
const amd64: Platform = { os: 'linux', architecture: 'amd64' };

const image = (marker: string, platform?: Platform): TestImage => ({
  ...(platform ? { platform } : {}),
  config: { Entrypoint: ['/bin/sh'], Cmd: ['-c', marker], WorkingDir: '/srv' },
  layers: [
    { entries: [{ name: 'marker', content: marker }] },
    { entries: [{ name: 'second', content: marker.repeat(3) }], compression: 'zstd' },
  ],
});

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

/** Every layer's entries with their file contents, to compare two sources of one image. */
async function contents(source: ImageSource, platform = amd64): Promise<string[][]> {
  const img = await source.resolve(platform);
  const spool = new SpoolFile(join(root, `spool${n++}`), 'sha256:test');
  try {
    const out: string[][] = [];
    for (const layer of img.layers) {
      const entries = await readLayer(layer, spool);
      out.push(
        entries.map((e) => {
          const data = Buffer.alloc(e.size);
          if (e.data?.kind === 'spool') spool.readInto(data, 0, e.data.offset, e.size);
          return `${e.name}=${data.toString()}`;
        }),
      );
    }
    return out;
  } finally {
    spool.dispose();
  }
}

/** The files under a cache's tmp/ (none once every source is closed). */
const tmpFiles = (cache: string): string[] => (existsSync(join(cache, 'tmp')) ? readdirSync(join(cache, 'tmp'), { recursive: true }).map(String) : []);

describe('OciArchiveSource', () => {
  test('reads the same manifest, config and layers as the layout it is a tar of', async () => {
    const file = fresh();
    const [w] = writeOciArchive(file, [{ ref: 'v1', image: image('tarred') }]);
    const layout = fresh('-layout');
    writeOciLayout(layout, [{ ref: 'v1', image: image('tarred') }]);
    const src = await OciArchiveSource.open(`oci-archive:${file}:v1`);
    const img = await src.resolve(amd64);
    expect(img.reference).toBe(`oci-archive:${file}:v1`);
    expect(img.digest).toBe(w!.manifests[0]!.digest);
    expect(img.config).toEqual({ Entrypoint: ['/bin/sh'], Cmd: ['-c', 'tarred'], WorkingDir: '/srv' });
    expect(img.layers.map((l) => [l.digest, l.diffId, l.compression])).toEqual(
      w!.manifests[0]!.layers.map((l, i) => [l.digest, l.diffId, i === 0 ? 'gzip' : 'zstd']),
    );
    expect(await contents(src)).toEqual(await contents(await OciLayoutSource.open(`oci:${layout}:v1`)));
    expect(await contents(src)).toEqual([['marker=tarred'], ['second=tarredtarredtarred']]);
  });

  test('REF picks an image by its ref.name; without REF one image is enough, several are listed', async () => {
    const file = fresh();
    writeOciArchive(file, [
      { ref: 'v1', image: image('one') },
      { ref: 'busybox:latest', image: image('two'), docker: true },
    ]);
    expect((await contents(await OciArchiveSource.open(`oci-archive:${file}:v1`)))[0]).toEqual(['marker=one']);
    // A REF may itself contain ':' (skopeo copy … oci-archive:FILE:busybox:latest writes such names).
    expect((await contents(await OciArchiveSource.open(`oci-archive:${file}:busybox:latest`)))[0]).toEqual(['marker=two']);
    const none = await failure(OciArchiveSource.open(`oci-archive:${file}`));
    expect(none.code).toBe('IMAGE_NOT_FOUND');
    expect(none.message).toContain(`the archive holds 2 images; name one as oci-archive:${file}:REF (refs: busybox:latest, v1)`);
    const unknown = await failure(OciArchiveSource.open(`oci-archive:${file}:v3`));
    expect(unknown.code).toBe('IMAGE_NOT_FOUND');
    expect(unknown.message).toContain("no image tagged 'v3'; refs: busybox:latest, v1");
    const single = fresh();
    writeOciArchive(single, [{ image: image('untagged') }]);
    expect((await contents(await OciArchiveSource.open(`oci-archive:${single}`)))[0]).toEqual(['marker=untagged']);
  });

  test('a multi-platform index in the archive is resolved by platform', async () => {
    const file = fresh();
    writeOciArchive(file, [{ ref: 'multi', image: [image('x86'), image('arm', { os: 'linux', architecture: 'arm64', variant: 'v8' })] }]);
    const src = await OciArchiveSource.open(`oci-archive:${file}:multi`);
    expect(await src.platforms()).toEqual([amd64, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
    expect((await contents(src, { os: 'linux', architecture: 'arm64' }))[0]).toEqual(['marker=arm']);
    expect((await failure(src.resolve({ os: 'linux', architecture: 'riscv64' }))).code).toBe('PLATFORM_NOT_FOUND');
  });

  test('member names as `tar -C DIR .` writes them (./oci-layout, ./blobs/…) are found', async () => {
    const file = fresh();
    writeOciArchive(file, [{ ref: 'v1', image: image('dot') }], { prefix: './' });
    expect(readFileSync(file).includes(Buffer.from('./oci-layout'))).toBe(true);
    expect((await contents(await OciArchiveSource.open(`oci-archive:${file}:v1`)))[0]).toEqual(['marker=dot']);
  });

  test('a flipped byte in a layer inside the archive fails with DIGEST_MISMATCH naming the blob', async () => {
    const file = fresh();
    const [w] = writeOciArchive(file, [{ image: image('flip') }]);
    const layer = w!.manifests[0]!.layers[1]!; // zstd: its bytes are not the tar's own
    const bytes = readFileSync(file);
    const at = bytes.indexOf(layer.blob) + layer.blob.length - 6;
    bytes[at]! ^= 0x01;
    writeFileSync(file, bytes);
    const err = await failure(contents(await OciArchiveSource.open(`oci-archive:${file}`)));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain(`layer ${layer.digest}`);
  });

  test('a blob member shorter than its descriptor says is truncated, not read into the next member', async () => {
    const dir = fresh('-layout');
    const [w] = writeOciLayout(dir, [{ image: image('short') }]);
    const layer = w!.manifests[0]!.layers[0]!;
    const hex = layer.digest.slice('sha256:'.length);
    const entries = ['oci-layout', 'index.json', ...readdirSync(join(dir, 'blobs', 'sha256')).map((h) => `blobs/sha256/${h}`)].map((name) => ({
      name,
      content: name.endsWith(hex) ? layer.blob.subarray(0, 20) : readFileSync(join(dir, name)),
    }));
    const file = fresh();
    writeFileSync(file, buildTar(entries));
    const err = await failure(contents(await OciArchiveSource.open(`oci-archive:${file}`)));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain(`${layer.blob.length} bytes with digest ${layer.digest}, got 20 bytes (truncated)`);
  });

  test('a missing file is IMAGE_NOT_FOUND; a directory points at oci:', async () => {
    const missing = await failure(OciArchiveSource.open(`oci-archive:${join(root, 'nope.tar')}`));
    expect(missing.code).toBe('IMAGE_NOT_FOUND');
    expect(missing.message).toContain('does not exist');
    const dir = fresh('-layout');
    writeOciLayout(dir, [{ ref: 'v1', image: image('dir') }]);
    const err = await failure(OciArchiveSource.open(`oci-archive:${dir}:v1`));
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(`is a directory; oci-archive: reads a tar of an OCI layout; for the layout directory itself use oci:${dir}:v1`);
  });

  test('a docker save archive of Docker < 25 (manifest.json, no oci-layout) points at docker-archive:', async () => {
    const file = fresh();
    writeDockerArchive(file, [{ tags: ['box:v1'], image: image('saved') }]);
    const err = await failure(OciArchiveSource.open(`oci-archive:${file}:box:v1`));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(
      `oci-archive:${file}:box:v1: '${file}' is a docker save archive (manifest.json, no oci-layout); use docker-archive:${file}:box:v1`,
    );
  });

  test('a tar that is no layout at all is BAD_IMAGE', async () => {
    const file = fresh();
    writeFileSync(file, buildTar([{ name: 'hello.txt', content: 'hi' }]));
    const err = await failure(OciArchiveSource.open(`oci-archive:${file}`));
    expect(err.code).toBe('BAD_IMAGE');
    expect(err.message).toContain('is not an OCI image layout (no oci-layout file)');
  });

  for (const compression of ['gzip', 'zstd', 'zstd-frames'] as const) {
    test(`a ${compression} archive is decompressed into the cache's tmp/, read the same, and removed on close`, async () => {
      const plain = fresh();
      writeOciArchive(plain, [{ ref: 'v1', image: image(compression) }]);
      const file = fresh('.bin'); // no telling suffix: the bytes decide
      writeFileSync(file, compress(readFileSync(plain), compression));
      const cache = fresh('-cache');
      const src = await OciArchiveSource.open(`oci-archive:${file}:v1`, { cacheDir: cache });
      expect(tmpFiles(cache).filter((f) => f.endsWith('archive.tar'))).toHaveLength(1);
      expect(await contents(src)).toEqual(await contents(await OciArchiveSource.open(`oci-archive:${plain}:v1`)));
      await src.close();
      expect(tmpFiles(cache)).toEqual([]);
    });
  }

  test('an unknown REF in a compressed archive fails at open and leaves nothing in tmp/', async () => {
    const file = fresh('.tar.gz');
    writeOciArchive(file, [{ ref: 'v1', image: image('gone') }], { compression: 'gzip' });
    const cache = fresh('-cache');
    mkdirSync(cache);
    const err = await failure(OciArchiveSource.open(`oci-archive:${file}:v2`, { cacheDir: cache }));
    expect(err.code).toBe('IMAGE_NOT_FOUND');
    expect(tmpFiles(cache)).toEqual([]);
  });
});
