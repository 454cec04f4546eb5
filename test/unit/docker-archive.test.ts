import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import {
  DockerArchiveSource,
  normalizeRepoTag,
  parseDockerArchiveReference,
  sniffCompression,
} from '../../src/image/docker-archive.ts';
import { readLayer } from '../../src/image/read-layer.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import { indexTar } from '../../src/image/tar-index.ts';
import { buildTar, writeDockerArchive, type TestImage } from '../helpers/image.ts';

const root = mkdtempSync(join(tmpdir(), 'docker-archive-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `a${n++}.tar`);
const amd64 = { os: 'linux', architecture: 'amd64' };

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

const image = (marker: string, compression: 'none' | 'gzip' = 'none'): TestImage => ({
  config: { Cmd: ['/bin/echo', marker] },
  layers: [
    { entries: [{ name: 'marker', content: marker }], compression },
    { entries: [{ name: 'etc/', type: 'dir' }], compression },
    { entries: [{ name: 'etc/', type: 'dir' }], compression }, // same blob again: docker links it
  ],
});

const names = async (src: DockerArchiveSource): Promise<string[][]> => {
  const img = await src.resolve(amd64);
  const spool = new SpoolFile(join(root, `spool${n++}`), 'sha256:test');
  try {
    const out: string[][] = [];
    for (const l of img.layers) out.push((await readLayer(l, spool)).map((e) => e.name));
    return out;
  } finally {
    spool.dispose();
  }
};

describe('indexTar', () => {
  test('finds members by ustar prefix, pax path and GNU long name, with their data offsets', () => {
    const long = `${'p/'.repeat(60)}file`;
    for (const longNames of ['pax', 'gnu'] as const) {
      const file = fresh();
      const tar = buildTar(
        [
          { name: 'short', content: 'abc' },
          { name: long, content: 'long one' },
          { name: 'link', type: 'symlink', linkname: long },
        ],
        { longNames },
      );
      writeFileSync(file, tar);
      const members = indexTar(file);
      expect(members.map((m) => [m.name, m.type, m.size])).toEqual([
        ['short', '0', 3],
        [long, '0', 8],
        ['link', '2', 0],
      ]);
      expect(tar.subarray(members[1]!.offset, members[1]!.offset + 8).toString()).toBe('long one');
      expect(members[2]!.linkname).toBe(long);
    }
  });
});

describe('DockerArchiveSource', () => {
  test('reads a legacy docker save archive: config, diff_ids as digests, linked duplicate layers', async () => {
    const file = fresh();
    const [layers] = writeDockerArchive(file, [{ tags: ['box:latest'], image: image('legacy') }]);
    const src = await DockerArchiveSource.open(`docker-archive:${file}`);
    const img = await src.resolve(amd64);
    expect(img.config).toEqual({ Cmd: ['/bin/echo', 'legacy'] });
    expect(img.digest).toBeUndefined();
    // Uncompressed layers: the stored bytes are the tar, so digest = diffId.
    expect(img.layers.map((l) => [l.digest, l.diffId, l.compression])).toEqual(layers!.map((l) => [l.diffId, l.diffId, 'none']));
    expect(await names(src)).toEqual([['marker'], ['etc/'], ['etc/']]);
    expect(readFileSync(file).includes(Buffer.from('../'))).toBe(true); // the duplicate really is a symlink
  });

  test('sniffs gzip layers and reads the Docker ≥ 25 blobs/sha256 layout', async () => {
    const file = fresh();
    const [layers] = writeDockerArchive(file, [{ image: image('oci', 'gzip') }], { style: 'oci' });
    const img = await (await DockerArchiveSource.open(`docker-archive:${file}`)).resolve(amd64);
    expect(img.layers.map((l) => [l.digest, l.compression])).toEqual(layers!.map((l) => [l.digest, 'gzip']));
    expect(await names(await DockerArchiveSource.open(`docker-archive:${file}`))).toEqual([['marker'], ['etc/'], ['etc/']]);
  });

  test('several images: a RepoTag selects, `name` means `name:latest`, none lists the tags', async () => {
    const file = fresh();
    writeDockerArchive(file, [
      { tags: ['one:latest'], image: image('1') },
      { tags: ['two:v2', 'reg.example/two:v2'], image: image('2') },
    ]);
    expect(parseDockerArchiveReference(`docker-archive:${file}:two:v2`)).toEqual({ file, ref: 'two:v2' });
    expect((await (await DockerArchiveSource.open(`docker-archive:${file}:two:v2`)).resolve(amd64)).config.Cmd).toEqual(['/bin/echo', '2']);
    expect((await (await DockerArchiveSource.open(`docker-archive:${file}:one`)).resolve(amd64)).config.Cmd).toEqual(['/bin/echo', '1']);
    const none = await failure(DockerArchiveSource.open(`docker-archive:${file}`));
    expect(none.code).toBe('IMAGE_NOT_FOUND');
    expect(none.message).toContain('one:latest, reg.example/two:v2, two:v2');
    expect((await failure(DockerArchiveSource.open(`docker-archive:${file}:three`))).code).toBe('IMAGE_NOT_FOUND');
  });

  test('a missing file is IMAGE_NOT_FOUND; a non-tar is BAD_IMAGE', async () => {
    expect((await failure(DockerArchiveSource.open(`docker-archive:${join(root, 'missing.tar')}`))).code).toBe('IMAGE_NOT_FOUND');
    const junk = fresh();
    writeFileSync(junk, Buffer.alloc(2048, 0x41));
    expect((await failure(DockerArchiveSource.open(`docker-archive:${junk}`))).code).toBe('BAD_IMAGE');
  });

  test('a flipped layer byte fails with DIGEST_MISMATCH against the diff_id', async () => {
    const file = fresh();
    const [layers] = writeDockerArchive(file, [{ image: image('flip') }]);
    const bytes = readFileSync(file);
    const at = bytes.indexOf(Buffer.from('flip'), bytes.indexOf(Buffer.from('marker')) + 100);
    bytes[at]! ^= 0x20;
    writeFileSync(file, bytes);
    const err = await failure(names(await DockerArchiveSource.open(`docker-archive:${file}`)));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain(layers![0]!.diffId);
  });

  test('another platform than the image has is PLATFORM_NOT_FOUND naming the one there is', async () => {
    const file = fresh();
    writeDockerArchive(file, [{ image: { ...image('arm'), platform: { os: 'linux', architecture: 'arm64' } } }]);
    const err = await failure((await DockerArchiveSource.open(`docker-archive:${file}`)).resolve(amd64));
    expect(err.code).toBe('PLATFORM_NOT_FOUND');
    expect(err.message).toContain('linux/arm64');
  });

  test('RepoTags compare in Docker\'s fully qualified form', () => {
    expect(normalizeRepoTag('box')).toBe('docker.io/library/box:latest');
    expect(normalizeRepoTag('box:v1')).toBe('docker.io/library/box:v1');
    expect(normalizeRepoTag('docker.io/box:v1')).toBe('docker.io/library/box:v1');
    expect(normalizeRepoTag('me/box')).toBe('docker.io/me/box:latest');
    expect(normalizeRepoTag('localhost:5000/box')).toBe('localhost:5000/box:latest');
    expect(normalizeRepoTag('quay.io/a/b:1')).toBe('quay.io/a/b:1');
  });

  test('sniffCompression tells gzip, zstd and tar apart by magic', () => {
    expect(sniffCompression(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('gzip');
    expect(sniffCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd');
    expect(sniffCompression(Buffer.from('etc/'))).toBe('none');
  });
});
