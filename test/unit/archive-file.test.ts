import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { InitramfsError } from '../../src/errors.ts';
import { archiveSplits, openArchive, parseArchiveReference, sniffArchiveCompression } from '../../src/image/archive-file.ts';
import { DockerArchiveSource } from '../../src/image/docker-archive.ts';
import { buildTar, compress, skippableFrame, writeDockerArchive, type TestImage } from '../helpers/image.ts';

const root = mkdtempSync(join(tmpdir(), 'archive-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (suffix = '.tar'): string => join(root, `f${n++}${suffix}`);
const amd64 = { os: 'linux', architecture: 'amd64' };
/** One line of printable text: what every message must be. */
const ONE_PRINTABLE_LINE = /^[\x20-\x7e\u00a0-\uffff]+$/;

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

const tmpFiles = (cache: string): string[] => (existsSync(join(cache, 'tmp')) ? readdirSync(join(cache, 'tmp'), { recursive: true }).map(String) : []);

const image: TestImage = { config: { Cmd: ['/bin/true'] }, layers: [{ entries: [{ name: 'marker', content: 'archived' }] }] };

describe('sniffArchiveCompression', () => {
  test('tells tar, gzip, zstd (also behind a skippable frame), xz, bzip2 and lz4 apart by their first bytes', () => {
    const tar = buildTar([{ name: 'manifest.json', content: '[]' }]);
    expect(sniffArchiveCompression(tar)).toBe('none');
    expect(sniffArchiveCompression(compress(tar, 'gzip'))).toBe('gzip');
    expect(sniffArchiveCompression(compress(tar, 'zstd'))).toBe('zstd');
    expect(sniffArchiveCompression(Buffer.concat([skippableFrame(Buffer.from('pzstd'), 0), compress(tar, 'zstd')]))).toBe('zstd');
    expect(sniffArchiveCompression(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00]))).toBe('xz');
    expect(sniffArchiveCompression(Buffer.from('BZh91AY&SY'))).toBe('bzip2');
    expect(sniffArchiveCompression(Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x64]))).toBe('lz4');
  });

  test('a tar whose first member name begins with a compression magic is still a tar', () => {
    for (const name of ['\x1f\x8bname', 'BZh9name', '\x28\xb5\x2f\xfdname']) {
      expect(sniffArchiveCompression(buildTar([{ name, content: 'x' }]))).toBe('none');
    }
  });
});

describe('parseArchiveReference', () => {
  test('FILE is the shortest existing prefix before a colon, so REF may hold colons; a file name with a colon works', () => {
    const file = fresh();
    writeFileSync(file, '');
    const colon = fresh(':odd.tar');
    writeFileSync(colon, '');
    expect(parseArchiveReference('docker-archive', `docker-archive:${file}`)).toEqual({ file });
    expect(parseArchiveReference('docker-archive', `docker-archive:${file}:box:v1`)).toEqual({ file, ref: 'box:v1' });
    expect(parseArchiveReference('oci-archive', `oci-archive:${colon}`)).toEqual({ file: colon });
    expect(parseArchiveReference('oci-archive', `oci-archive:${colon}:v1`)).toEqual({ file: colon, ref: 'v1' });
    expect(parseArchiveReference('oci-archive', 'oci-archive:/no/such.tar:v1')).toEqual({ file: '/no/such.tar:v1' });
  });

  test('on Windows the colon of a drive is part of FILE: C:\\images\\app.tar:latest is never FILE C', () => {
    expect(archiveSplits('C:\\images\\app.tar:latest', 'win32')).toEqual([{ file: 'C:\\images\\app.tar', ref: 'latest' }]);
    expect(archiveSplits('C:\\images\\app.tar:box:v1', 'win32')).toEqual([
      { file: 'C:\\images\\app.tar', ref: 'box:v1' },
      { file: 'C:\\images\\app.tar:box', ref: 'v1' },
    ]);
    expect(archiveSplits('C:\\images\\app.tar', 'win32')).toEqual([]);
    expect(archiveSplits('\\\\server\\share\\app.tar:v1', 'win32')).toEqual([{ file: '\\\\server\\share\\app.tar', ref: 'v1' }]);
    // Elsewhere `C` is a possible file name, tried first.
    expect(archiveSplits('C:\\images\\app.tar:latest', 'linux')).toEqual([
      { file: 'C', ref: '\\images\\app.tar:latest' },
      { file: 'C:\\images\\app.tar', ref: 'latest' },
    ]);
  });
});

describe('compressed docker-archive', () => {
  test('gzip made of several members and zstd behind a skippable frame read like the plain tar', async () => {
    const plain = fresh();
    writeDockerArchive(plain, [{ tags: ['box:v1'], image }]);
    const tar = readFileSync(plain);
    const half = Math.floor(tar.length / 2);
    const variants = {
      gzip: Buffer.concat([gzipSync(tar.subarray(0, half)), gzipSync(tar.subarray(half))]),
      zstd: Buffer.concat([skippableFrame(Buffer.from('index'), 3), compress(tar, 'zstd-frames')]),
    };
    const want = await (await DockerArchiveSource.open(`docker-archive:${plain}`)).resolve(amd64);
    for (const [name, bytes] of Object.entries(variants)) {
      const file = fresh(`.${name}`);
      writeFileSync(file, bytes);
      const cache = fresh('-cache');
      const src = await DockerArchiveSource.open(`docker-archive:${file}:box:v1`, { cacheDir: cache });
      const got = await src.resolve(amd64);
      expect(got.layers.map((l) => [l.digest, l.size, l.diffId])).toEqual(want.layers.map((l) => [l.digest, l.size, l.diffId]));
      expect(got.config).toEqual(want.config);
      await src.close();
      expect(tmpFiles(cache)).toEqual([]);
    }
  });

  test('a truncated gzip archive is BAD_IMAGE in one printable line, and its partial copy is removed', async () => {
    const plain = fresh();
    writeDockerArchive(plain, [{ image }]);
    const gz = gzipSync(readFileSync(plain));
    const file = fresh('.tar.gz');
    writeFileSync(file, gz.subarray(0, gz.length - 100));
    const cache = fresh('-cache');
    const err = await failure(DockerArchiveSource.open(`docker-archive:${file}`, { cacheDir: cache }));
    expect(err.code).toBe('BAD_IMAGE');
    expect(err.message).toBe(`docker-archive:${file}: the gzip stream is corrupt or truncated (unexpected end of file)`);
    expect(tmpFiles(cache)).toEqual([]);
  });

  test('gzip of something that is no tar says so, without its bytes', async () => {
    const file = fresh('.gz');
    writeFileSync(file, gzipSync(Buffer.from([...Array(4096).keys()].map((i) => (i * 7919) % 256))));
    const cache = fresh('-cache');
    const err = await failure(DockerArchiveSource.open(`docker-archive:${file}`, { cacheDir: cache }));
    expect(err.code).toBe('BAD_IMAGE');
    expect(err.message).toContain(`'${file}' decompressed (gzip) is not a tar archive`);
    expect(err.message).toMatch(ONE_PRINTABLE_LINE);
    expect(tmpFiles(cache)).toEqual([]);
  });

  test('binary junk is neither tar nor gzip nor zstd, said in one printable line', async () => {
    const file = fresh('.bin');
    writeFileSync(file, Buffer.from([...Array(2048).keys()].map((i) => (i * 131 + 7) % 256)));
    const err = await failure(DockerArchiveSource.open(`docker-archive:${file}`));
    expect(err.code).toBe('BAD_IMAGE');
    expect(err.message).toContain('is neither a tar archive nor gzip- or zstd-compressed');
    expect(err.message).toMatch(ONE_PRINTABLE_LINE);
  });

  test('xz, bzip2 and lz4 are UNSUPPORTED with the command that decompresses them', async () => {
    const cases = {
      xz: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04],
      bzip2: [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26],
      lz4: [0x04, 0x22, 0x4d, 0x18, 0x64, 0x40, 0xa7, 0x00],
    };
    for (const [format, magic] of Object.entries(cases)) {
      const file = fresh(`.${format}`);
      writeFileSync(file, Buffer.concat([Buffer.from(magic), Buffer.alloc(600, 0x55)]));
      const cache = fresh('-cache');
      const err = await failure(DockerArchiveSource.open(`docker-archive:${file}`, { cacheDir: cache }));
      expect(err.code).toBe('UNSUPPORTED');
      expect(err.message).toBe(
        `docker-archive:${file}: '${file}' is compressed with ${format}, which this tool does not decompress; ` +
          `decompress it first (${format === 'bzip2' ? 'bzip2' : format} -dc ${file} > image.tar) and use docker-archive:image.tar, or compress it with gzip or zstd instead`,
      );
      expect(existsSync(join(cache, 'tmp'))).toBe(false);
    }
  });

  test('a pipe (docker save img | … docker-archive:/dev/stdin) is copied into tmp/ once and read', async () => {
    const plain = fresh();
    writeDockerArchive(plain, [{ tags: ['box:v1'], image }]);
    for (const bytes of [readFileSync(plain), gzipSync(readFileSync(plain))]) {
      const fifo = fresh('.fifo');
      execFileSync('mkfifo', [fifo]);
      const writer = createWriteStream(fifo);
      writer.end(bytes);
      const cache = fresh('-cache');
      const src = await DockerArchiveSource.open(`docker-archive:${fifo}:box:v1`, { cacheDir: cache });
      expect((await src.resolve(amd64)).config.Cmd).toEqual(['/bin/true']);
      expect(tmpFiles(cache).filter((f) => /\/(input|archive\.tar)$/.test(f))).toHaveLength(1);
      await src.close();
      expect(tmpFiles(cache)).toEqual([]);
    }
  });

  test('a directory is USAGE pointing at oci:, a missing file IMAGE_NOT_FOUND', async () => {
    const dir = fresh('-dir');
    mkdirSync(dir);
    const err = await failure(openArchive(`docker-archive:${dir}`, { transport: 'docker-archive' }));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(
      `docker-archive:${dir}: '${dir}' is a directory; docker-archive: reads the tar docker save writes; for an OCI layout directory use oci:${dir}`,
    );
    expect((await failure(openArchive(`docker-archive:${fresh()}`, { transport: 'docker-archive' }))).code).toBe('IMAGE_NOT_FOUND');
  });
});
