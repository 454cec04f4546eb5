// Which source a reference names, as skopeo spells transports, and what a wrong one says: the CLI and the
// action both go through openSource (build, inspect) and these helpers (the action's inputs).
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import { imageSlug, parseInputs } from '../../src/action/inputs.ts';
import { openSource } from '../../src/image/source.ts';
import { isLocalReference, registryName, transportOf } from '../../src/image/transport.ts';
import { buildTar, writeOciArchive, writeOciLayout, type TestImage } from '../helpers/image.ts';
import { usageError } from '../helpers/errors.ts';

const root = mkdtempSync(join(tmpdir(), 'transports-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (suffix = ''): string => join(root, `t${n++}${suffix}`);
const cacheDir = join(root, 'cache');
const image: TestImage = { config: { Cmd: ['/bin/true'] }, layers: [{ entries: [{ name: 'marker', content: 'x' }] }] };

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

describe('transportOf', () => {
  test('reads the prefix skopeo uses; everything else is a registry reference', () => {
    expect(transportOf('oci:/l:v1')).toBe('oci');
    expect(transportOf('oci-archive:x.tar')).toBe('oci-archive');
    expect(transportOf('docker-archive:x.tar:box:v1')).toBe('docker-archive');
    expect(transportOf('localhost:5000/oci:v1')).toBe('registry');
    expect(transportOf('docker://alpine')).toBe('registry');
    expect(isLocalReference('oci-archive:x.tar')).toBe(true);
    expect(isLocalReference('ghcr.io/o/r:1')).toBe(false);
  });
});

describe('registryName', () => {
  test('docker://NAME, as skopeo users write it, is NAME', () => {
    expect(registryName('docker://ghcr.io/o/r:1')).toBe('ghcr.io/o/r:1');
    expect(registryName('alpine:3.20')).toBe('alpine:3.20');
    expect(registryName('localhost:5000/a')).toBe('localhost:5000/a');
  });

  test('skopeo transports this tool does not read are USAGE errors that say what to use instead', () => {
    expect(usageError(() => registryName('docker-daemon:alpine:latest'))).toBe(
      "image reference 'docker-daemon:alpine:latest': the docker-daemon: transport is not supported; " +
        'save the image first (docker save IMAGE -o image.tar) and use docker-archive:image.tar',
    );
    expect(usageError(() => registryName('containers-storage:localhost/app'))).toContain('use oci-archive:image.tar');
    expect(usageError(() => registryName('dir:/tmp/img'))).toContain('skopeo copy dir:DIR oci:LAYOUT:TAG');
  });
});

describe('openSource', () => {
  test('docker://NAME opens the registry reference NAME', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/v2/') res.writeHead(200).end('{}');
      else res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await failure(openSource(`docker://${host}/o/r:t`, { cacheDir }));
      expect(err.code).toBe('IMAGE_NOT_FOUND');
      expect(err.message).toContain(`${host}/o/r:t`);
      expect(seen).toContain('/v2/o/r/manifests/t');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  test('oci: naming a file is USAGE and names the oci-archive: reference to use, REF kept', async () => {
    const file = fresh('.tar');
    writeOciArchive(file, [{ ref: 'v1', image }]);
    const err = await failure(openSource(`oci:${file}:v1`, { cacheDir }));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(
      `oci:${file}:v1: '${file}' is a file, and oci: reads a layout directory; for a layout in a tar ` +
        `(docker buildx --output type=oci,dest=FILE, skopeo copy … oci-archive:FILE) use oci-archive:${file}:v1`,
    );
    // …and that reference works.
    expect((await (await openSource(`oci-archive:${file}:v1`, { cacheDir })).resolve({ os: 'linux', architecture: 'amd64' })).config.Cmd).toEqual(['/bin/true']);
  });

  test('docker-archive: on an OCI archive is USAGE naming the oci-archive: reference to use', async () => {
    const file = fresh('.tar');
    writeOciArchive(file, [{ ref: 'v1', image }]);
    const err = await failure(openSource(`docker-archive:${file}`, { cacheDir }));
    expect(err.code).toBe('USAGE');
    expect(err.message).toBe(`docker-archive:${file}: '${file}' is an OCI archive (oci-layout, no manifest.json); use oci-archive:${file}`);
  });

  test('a Docker ≥ 25 save (manifest.json and an OCI layout of the same blobs) reads as docker-archive: and as oci-archive:', async () => {
    const layout = fresh('-layout');
    const [w] = writeOciLayout(layout, [{ ref: 'latest', image: { ...image, layers: [{ ...image.layers[0]!, compression: 'none' }] } }]);
    const m = w!.manifests[0]!;
    const blob = (digest: string): string => `blobs/sha256/${digest.slice('sha256:'.length)}`;
    const manifestJson = [{ Config: blob(m.config), RepoTags: ['box:latest'], Layers: m.layers.map((l) => blob(l.digest)) }];
    const file = fresh('.tar');
    writeFileSync(
      file,
      buildTar([
        ...['oci-layout', 'index.json', ...readdirSync(join(layout, 'blobs', 'sha256')).map((h) => `blobs/sha256/${h}`)].map((name) => ({
          name,
          content: readFileSync(join(layout, name)),
        })),
        { name: 'manifest.json', content: JSON.stringify(manifestJson) },
      ]),
    );
    const amd64 = { os: 'linux', architecture: 'amd64' };
    const viaDocker = await (await openSource(`docker-archive:${file}:box:latest`, { cacheDir })).resolve(amd64);
    const viaOci = await (await openSource(`oci-archive:${file}:latest`, { cacheDir })).resolve(amd64);
    expect(viaDocker.layers.map((l) => l.digest)).toEqual(m.layers.map((l) => l.digest));
    expect(viaOci.layers.map((l) => l.digest)).toEqual(m.layers.map((l) => l.digest));
    expect(viaOci.digest).toBe(m.digest);
  });

  test('a docker save from before Docker 1.10 (repositories, no manifest.json) is UNSUPPORTED and says so', async () => {
    const file = fresh('.tar');
    writeFileSync(file, buildTar([{ name: 'repositories', content: '{"box":{"latest":"abc"}}' }, { name: 'abc/', type: 'dir' }]));
    const err = await failure(openSource(`docker-archive:${file}`, { cacheDir }));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('written by docker save before Docker 1.10');
  });
});

describe('the action\'s image input', () => {
  const WS = '/home/runner/work/repo/repo';
  const parse = (image: string) => parseInputs((name) => (name === 'image' ? image : ''), { GITHUB_WORKSPACE: WS });

  test('accepts oci-archive: and docker:// references and names the output after them', () => {
    expect(parse('oci-archive:./out/app.tar:v1').output).toBe(`${WS}/app-v1-linux-amd64.cpio.gz`);
    expect(parse('docker://ghcr.io/o/app:1.2').output).toBe(`${WS}/app-1.2-linux-amd64.cpio.gz`);
  });

  test('an image skopeo calls docker-daemon: is refused before the build, naming the input', () => {
    expect(usageError(() => parse('docker-daemon:app:latest'))).toMatch(/^input 'image': .*docker save IMAGE -o image\.tar/);
  });

  test('imageSlug drops .tar and a compression suffix from archive names', () => {
    expect(imageSlug('docker-archive:/tmp/img.tar.gz')).toBe('img');
    expect(imageSlug('docker-archive:/tmp/img.tar.zst:app:v2')).toBe('img-app-v2');
    expect(imageSlug('oci-archive:/tmp/img.tgz')).toBe('img');
    expect(imageSlug('oci-archive:build/app.tar:v1')).toBe('app-v1');
    expect(imageSlug('oci-archive:/tmp/img.tar.xz')).toBe('img');
    expect(imageSlug('oci:/tmp/layouts/img:v1')).toBe('img-v1');
  });
});
