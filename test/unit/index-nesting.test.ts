// Nested image indexes (OCI index, Docker manifest list): the walk to the platform manifests is bounded in
// depth and reads each index once, however often a hostile layout lists it. Layouts written in code.
import { afterAll, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import { OciLayoutSource } from '../../src/image/oci-layout.ts';
import { blobPath, writeOciLayout } from '../helpers/image.ts';

const root = mkdtempSync(join(tmpdir(), 'index-nesting-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const INDEX = 'application/vnd.oci.image.index.v1+json';

/**
 * A layout with one image, wrapped in `levels` indexes: the innermost lists the image once, every other
 * index lists the one below it `copies` times. index.json names the outermost.
 */
function nestedLayout(levels: number, copies: number): string {
  const dir = join(root, `l${n++}`);
  const [written] = writeOciLayout(dir, [{ image: { layers: [{ entries: [{ name: 'marker', content: 'x' }] }] } }]);
  const manifest = written!.manifests[0]!;
  let below = {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: manifest.digest,
    size: readFileSync(blobPath(dir, manifest.digest)).length,
    platform: { os: 'linux', architecture: 'amd64' },
  };
  for (let level = 0; level < levels; level++) {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: INDEX, manifests: new Array(level === 0 ? 1 : copies).fill(below) }));
    const digest = `sha256:${createHash('sha256').update(index).digest('hex')}`;
    writeFileSync(blobPath(dir, digest), index);
    below = { mediaType: INDEX, digest, size: index.length, platform: below.platform };
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [below] }));
  return dir;
}

test('an index listing one nested index 40 times on each of 7 levels is walked once per index', { timeout: 20_000 }, async () => {
  // Walked per listing, this is 40^6 (4 billion) visits, each reading an index: the test would time out.
  const src = await OciLayoutSource.open(`oci:${nestedLayout(7, 40)}`);
  expect(await src.platforms()).toEqual([{ os: 'linux', architecture: 'amd64' }]);
  const image = await src.resolve({ os: 'linux', architecture: 'amd64' });
  expect(image.layers).toHaveLength(1);
});

test('indexes nested 8 deep resolve; 9 deep is refused as BAD_IMAGE', async () => {
  const ok = await OciLayoutSource.open(`oci:${nestedLayout(8, 1)}`);
  expect(await ok.platforms()).toHaveLength(1);
  const err = (await OciLayoutSource.open(`oci:${nestedLayout(9, 1)}`)
    .then((s) => s.platforms())
    .then(
      () => new Error('expected a failure'),
      (e: unknown) => e,
    )) as InitramfsError;
  expect(err.code).toBe('BAD_IMAGE');
  expect(err.message).toContain('indexes nest deeper than 8');
});
