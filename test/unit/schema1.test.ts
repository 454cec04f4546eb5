import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import { openSource } from '../../src/image/source.ts';
import type { Platform } from '../../src/image/types.ts';
import { blobPath, buildSchema1Image, buildTar, writeOciLayout, type TestImage } from '../helpers/image.ts';

const root = mkdtempSync(join(tmpdir(), 'schema1-'));
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `d${n++}`);
const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64' };
const SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
const UNSIGNED = 'application/vnd.docker.distribution.manifest.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

const image: TestImage = { config: { Cmd: ['/bin/sh'] }, layers: [{ entries: [{ name: 'marker', content: 'old' }] }] };
const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

/** A layout whose index.json lists `top` (descriptors to blobs written here) and nothing else. */
function layoutWith(dir: string, blobs: Buffer[], top: object[]): void {
  writeOciLayout(dir, []);
  for (const b of blobs) writeFileSync(blobPath(dir, sha256(b)), b);
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: top }));
}

const LOCAL_HINT =
  'Docker schema 1 manifests are deprecated and not supported: copy it again from its registry with skopeo, which converts it: ' +
  'skopeo copy docker://IMAGE oci:DIR:TAG, then build oci:DIR:TAG';

describe('Docker schema 1 in a layout', () => {
  test('a schema 1 manifest in index.json is UNSUPPORTED, says "Docker schema 1" and how to get a readable copy', async () => {
    const { manifest } = buildSchema1Image(image, 'o/r', 't');
    const dir = fresh();
    layoutWith(dir, [manifest], [{ mediaType: SIGNED, digest: sha256(manifest), size: manifest.length }]);
    const err = await failure(openSource(`oci:${dir}`, { cacheDir: fresh() }));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toBe(`oci:${dir}: manifest ${sha256(manifest)} is Docker schema 1 (${SIGNED}); ${LOCAL_HINT}`);
  });

  test('a document with schemaVersion 1 is schema 1 whatever media type its descriptor claims', async () => {
    const { manifest } = buildSchema1Image(image, 'o/r', 't');
    const dir = fresh();
    layoutWith(dir, [manifest], [{ mediaType: OCI_MANIFEST, digest: sha256(manifest), size: manifest.length, platform: amd64 }]);
    const err = await failure((await openSource(`oci:${dir}`, { cacheDir: fresh() })).resolve(amd64));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain(`is Docker schema 1 (${UNSIGNED})`);
  });

  test('an index with a schema 1 entry still builds its other platforms; choosing the schema 1 one says why not', async () => {
    const dir = fresh();
    const [w] = writeOciLayout(dir, [{ image: { ...image, layers: [{ entries: [{ name: 'marker', content: 'new' }] }] } }]);
    const v2 = w!.manifests[0]!;
    const v2Bytes = readFileSync(blobPath(dir, v2.digest));
    const { manifest } = buildSchema1Image(image, 'o/r', 't');
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          { mediaType: OCI_MANIFEST, digest: v2.digest, size: v2Bytes.length, platform: amd64 },
          { mediaType: UNSIGNED, digest: sha256(manifest), size: manifest.length, platform: arm64 },
        ],
      }),
    );
    layoutWith(dir, [manifest, index, v2Bytes], [{ mediaType: OCI_INDEX, digest: sha256(index), size: index.length }]);
    // writeOciLayout([]) above rewrote nothing of the image's blobs: the v2 manifest's layers are still there.
    const src = await openSource(`oci:${dir}`, { cacheDir: fresh() });
    expect(await src.platforms()).toEqual([amd64, arm64]);
    expect((await src.resolve(amd64)).digest).toBe(v2.digest);
    const err = await failure(src.resolve(arm64));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('Docker schema 1');
  });

  test('in an oci-archive the message is the same', async () => {
    const { manifest } = buildSchema1Image(image, 'o/r', 't');
    const desc = { mediaType: UNSIGNED, digest: sha256(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 't' } };
    const file = `${fresh()}.tar`;
    writeFileSync(
      file,
      buildTar([
        { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
        { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [desc] }) },
        { name: `blobs/sha256/${desc.digest.slice(7)}`, content: manifest },
      ]),
    );
    const err = await failure(openSource(`oci-archive:${file}:t`, { cacheDir: fresh() }));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toBe(`oci-archive:${file}:t: manifest ${desc.digest} is Docker schema 1 (${UNSIGNED}); ${LOCAL_HINT}`);
  });
});

describe('Docker schema 1 from a registry', () => {
  /** A registry on loopback that answers every manifest request with `body` as `contentType`. */
  async function schema1Registry(body: Buffer, contentType: string): Promise<string> {
    const server = createServer((req, res) => {
      if (req.url === '/v2/') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (req.url?.startsWith('/v2/o/r/manifests/')) {
        res.writeHead(200, { 'content-type': contentType, 'content-length': body.length }).end(body);
      } else {
        res.writeHead(404).end();
      }
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  for (const contentType of [SIGNED, UNSIGNED, 'application/json']) {
    test(`served as ${contentType}: UNSUPPORTED with the skopeo commands that convert it`, async () => {
      const { manifest } = buildSchema1Image(image, 'o/r', 't');
      const host = await schema1Registry(manifest, contentType);
      const err = await failure(openSource(`${host}/o/r:t`, { cacheDir: fresh() }));
      expect(err.code).toBe('UNSUPPORTED');
      const type = contentType === 'application/json' ? UNSIGNED : contentType;
      expect(err.message).toBe(
        `${host}/o/r:t: the manifest is Docker schema 1 (${type}); Docker schema 1 manifests are deprecated and not supported: ` +
          `convert it, e.g. skopeo copy --format v2s2 docker://${host}/o/r:t docker://NEW-NAME and build NEW-NAME, ` +
          `or skopeo copy docker://${host}/o/r:t oci:DIR:TAG and build oci:DIR:TAG`,
      );
    });
  }
});
