import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import type { Platform } from '../../src/image/types.ts';
import { OciLayoutSource, parseOciReference } from '../../src/image/oci-layout.ts';
import { readLayer } from '../../src/image/read-layer.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import { blobPath, writeOciLayout, type TestImage } from '../helpers/image.ts';

const root = mkdtempSync(join(tmpdir(), 'oci-layout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `l${n++}`);
const amd64: Platform = { os: 'linux', architecture: 'amd64' };

const image = (marker: string, platform?: TestImage['platform']): TestImage => ({
  ...(platform ? { platform } : {}),
  config: { Entrypoint: ['/bin/sh'], Cmd: ['-c', marker], Env: ['PATH=/bin'], WorkingDir: '/srv' },
  layers: [{ entries: [{ name: 'marker', content: marker }] }, { entries: [{ name: 'second', content: '2' }], compression: 'zstd' }],
});

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

const markerOf = async (src: OciLayoutSource, platform = amd64): Promise<string> => {
  const img = await src.resolve(platform);
  const spool = new SpoolFile(join(root, `spool${n++}`), 'sha256:test');
  const entries = await readLayer(img.layers[0]!, spool);
  const e = entries[0]!;
  const out = Buffer.alloc(e.size);
  if (e.data?.kind === 'spool') spool.readInto(out, 0, e.data.offset, e.size);
  spool.dispose();
  return out.toString();
};

describe('parseOciReference', () => {
  test('splits DIR:REF at the last colon unless the whole is a directory', () => {
    const dir = fresh();
    mkdirSync(`${dir}:odd`, { recursive: true });
    expect(parseOciReference('oci:/x/y:latest')).toEqual({ dir: '/x/y', ref: 'latest' });
    expect(parseOciReference('oci:/x/y')).toEqual({ dir: '/x/y' });
    expect(parseOciReference(`oci:${dir}:odd`)).toEqual({ dir: `${dir}:odd` });
    expect(parseOciReference(`oci:${dir}:odd:v1`)).toEqual({ dir: `${dir}:odd`, ref: 'v1' });
  });

  test('on Windows the colon of a drive is part of DIR: oci:C:\\layouts\\app is a directory without REF', () => {
    expect(parseOciReference('oci:C:\\layouts\\app:latest', 'win32')).toEqual({ dir: 'C:\\layouts\\app', ref: 'latest' });
    expect(parseOciReference('oci:C:\\layouts\\app', 'win32')).toEqual({ dir: 'C:\\layouts\\app' });
    expect(parseOciReference('oci:C:/layouts/app', 'win32')).toEqual({ dir: 'C:/layouts/app' });
    expect(parseOciReference('oci:\\\\server\\share\\app:v1', 'win32')).toEqual({ dir: '\\\\server\\share\\app', ref: 'v1' });
    expect(parseOciReference('oci:layouts\\app:v1', 'win32')).toEqual({ dir: 'layouts\\app', ref: 'v1' });
    // Elsewhere the last colon splits, whatever comes before it.
    expect(parseOciReference('oci:C:\\layouts\\app', 'linux')).toEqual({ dir: 'C', ref: '\\layouts\\app' });
  });
});

describe('OciLayoutSource', () => {
  test('a layout with one untagged image resolves without a ref: config, diff_ids, manifest digest', async () => {
    const dir = fresh();
    const [w] = writeOciLayout(dir, [{ image: image('only') }]);
    const src = await OciLayoutSource.open(`oci:${dir}`);
    const img = await src.resolve(amd64);
    expect(img.digest).toBe(w!.manifests[0]!.digest);
    expect(img.reference).toBe(`oci:${dir}`);
    expect(img.platform).toEqual(amd64);
    expect(img.config).toEqual({ Entrypoint: ['/bin/sh'], Cmd: ['-c', 'only'], Env: ['PATH=/bin'], WorkingDir: '/srv' });
    expect(img.layers.map((l) => [l.digest, l.diffId, l.compression])).toEqual(
      w!.manifests[0]!.layers.map((l, i) => [l.digest, l.diffId, i === 0 ? 'gzip' : 'zstd']),
    );
    expect(await markerOf(src)).toBe('only');
  });

  test('tags select images; an unknown tag or a missing one lists the refs there are', async () => {
    const dir = fresh();
    writeOciLayout(dir, [
      { ref: 'v1', image: image('one') },
      { ref: 'v2', image: image('two'), docker: true },
    ]);
    expect(await markerOf(await OciLayoutSource.open(`oci:${dir}:v2`))).toBe('two');
    expect(await markerOf(await OciLayoutSource.open(`oci:${dir}:v1`))).toBe('one');
    const unknown = await failure(OciLayoutSource.open(`oci:${dir}:v3`));
    expect(unknown.code).toBe('IMAGE_NOT_FOUND');
    expect(unknown.message).toContain('v1, v2');
    const none = await failure(OciLayoutSource.open(`oci:${dir}`));
    expect(none.code).toBe('IMAGE_NOT_FOUND');
    expect(none.message).toContain('v1, v2');
  });

  test('a missing directory is IMAGE_NOT_FOUND', async () => {
    expect((await failure(OciLayoutSource.open(`oci:${join(root, 'nope')}:x`))).code).toBe('IMAGE_NOT_FOUND');
  });

  test('a multi-platform index picks by platform (arm64 ≡ arm64/v8) and lists platforms on a miss', async () => {
    const dir = fresh();
    writeOciLayout(dir, [
      {
        ref: 'multi',
        image: [
          image('amd64'),
          image('arm64', { os: 'linux', architecture: 'arm64', variant: 'v8' }),
          image('armv6', { os: 'linux', architecture: 'arm', variant: 'v6' }),
        ],
      },
    ]);
    const src = await OciLayoutSource.open(`oci:${dir}:multi`);
    expect(await src.platforms()).toHaveLength(3);
    expect(await markerOf(src, amd64)).toBe('amd64');
    expect(await markerOf(src, { os: 'linux', architecture: 'arm64' })).toBe('arm64');
    expect(await markerOf(src, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe('armv6');
    const miss = await failure(src.resolve({ os: 'linux', architecture: 'riscv64' }));
    expect(miss.code).toBe('PLATFORM_NOT_FOUND');
    expect(miss.message).toContain('linux/amd64, linux/arm/v6, linux/arm64/v8');
    // arm means arm/v7 here, which the index does not have.
    expect((await failure(src.resolve({ os: 'linux', architecture: 'arm' }))).code).toBe('PLATFORM_NOT_FOUND');
  });

  test('a Docker manifest list nested in an index is followed', async () => {
    const inner = fresh();
    const [w] = writeOciLayout(inner, [{ image: [image('nested-arm', { os: 'linux', architecture: 'arm64' })], docker: true }]);
    // Wrap the written list in a second, outer index.
    const list = readFileSync(blobPath(inner, w!.digest));
    const outer = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', digest: w!.digest, size: list.length }],
      }),
    );
    const { createHash } = await import('node:crypto');
    const outerDigest = `sha256:${createHash('sha256').update(outer).digest('hex')}`;
    writeFileSync(blobPath(inner, outerDigest), outer);
    writeFileSync(
      join(inner, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: outerDigest, size: outer.length }] }),
    );
    const src = await OciLayoutSource.open(`oci:${inner}`);
    expect(await markerOf(src, { os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('nested-arm');
  });

  test('a flipped byte in a layer fails with DIGEST_MISMATCH naming the blob', async () => {
    const dir = fresh();
    const [w] = writeOciLayout(dir, [{ image: image('flip') }]);
    const layer = w!.manifests[0]!.layers[0]!;
    const path = blobPath(dir, layer.digest);
    const bytes = readFileSync(path);
    bytes[bytes.length - 3]! ^= 0x40;
    writeFileSync(path, bytes);
    const err = await failure(markerOf(await OciLayoutSource.open(`oci:${dir}`)));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain(`layer ${layer.digest}`);
  });

  test('a truncated layer blob is reported as truncated', async () => {
    const dir = fresh();
    const [w] = writeOciLayout(dir, [{ image: image('cut') }]);
    const layer = w!.manifests[0]!.layers[0]!;
    truncateSync(blobPath(dir, layer.digest), 10);
    const err = await failure(markerOf(await OciLayoutSource.open(`oci:${dir}`)));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain('got 10 bytes (truncated)');
  });

  test('a modified manifest or config fails its digest before it is used', async () => {
    const dir = fresh();
    const [w] = writeOciLayout(dir, [{ image: image('cfg') }]);
    const cfg = blobPath(dir, w!.manifests[0]!.config);
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace('cfg', 'CFG'));
    const err = await failure(OciLayoutSource.open(`oci:${dir}`).then((s) => s.resolve(amd64)));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain(w!.manifests[0]!.config);
  });

  test('a hostile digest in index.json cannot name a path outside the layout', async () => {
    const dir = fresh();
    writeOciLayout(dir, [{ image: image('x') }]);
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:../../etc', size: 10 }] }),
    );
    const err = await failure(OciLayoutSource.open(`oci:${dir}`));
    expect(err.code).toBe('BAD_IMAGE');
    expect(err.message).toContain('sha256:../../etc');
  });

  test('an unknown layer media type is UNSUPPORTED and named', async () => {
    const dir = fresh();
    writeOciLayout(dir, [{ image: { layers: [{ entries: [], mediaType: 'application/x-squashfs' }] } }]);
    const err = await failure((await OciLayoutSource.open(`oci:${dir}`)).resolve(amd64));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('application/x-squashfs');
  });

  test('plain tar layers read like compressed ones', async () => {
    const dir = fresh();
    writeOciLayout(dir, [{ image: { layers: [{ entries: [{ name: 'marker', content: 'plain' }], compression: 'none' }] } }]);
    const src = await OciLayoutSource.open(`oci:${dir}`);
    expect((await src.resolve(amd64)).layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar');
    expect(await markerOf(src)).toBe('plain');
  });
});
