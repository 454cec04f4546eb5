// Test and bench helper: an OCI image layout whose one gzip layer holds a given number of small files,
// written straight as tar bytes (a header template patched per entry, streamed through gzip), so an image
// of a million entries takes seconds to make and never sits in memory whole. The layer also has an /init
// script, so the tool builds it without --init. Deterministic: the same count gives the same digests.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';

/** Files per directory: a thousand, as a big package tree (site-packages, node_modules) has. */
export const FILES_PER_DIR = 1000;

const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A ustar header; `name` at most 100 bytes, ASCII. */
function header(name: string, type: '0' | '5', size: number, mode: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'latin1');
  h.write(`${mode.toString(8).padStart(7, '0')}\0`, 100, 'latin1');
  h.write('0000000\0', 108, 'latin1');
  h.write('0000000\0', 116, 'latin1');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  h.write('00000000000\0', 136, 'latin1');
  h.write(type, 156, 'latin1');
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i]!;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

/** The entries of the layer, in tar order: `srv/many/dNNNN/` then its files `fNNNNNNN.txt`. */
function* tarBlocks(files: number): Generator<Buffer> {
  const init = Buffer.from('#!/bin/sh\nexec /bin/sh\n');
  yield header('init', '0', init.length, 0o755);
  yield Buffer.concat([init, Buffer.alloc(512 - init.length)]);
  yield header('srv/', '5', 0, 0o755);
  yield header('srv/many/', '5', 0, 0o755);
  // Batches of a few hundred blocks: one gzip write per batch instead of per 512 bytes.
  let batch: Buffer[] = [];
  for (let i = 0; i < files; i++) {
    if (i % FILES_PER_DIR === 0) batch.push(header(`srv/many/d${String(i / FILES_PER_DIR).padStart(4, '0')}/`, '5', 0, 0o755));
    const dir = String(Math.floor(i / FILES_PER_DIR)).padStart(4, '0');
    // Small content that differs from file to file, as real small files do.
    const content = Buffer.from(`${i}\n`);
    batch.push(header(`srv/many/d${dir}/f${String(i).padStart(7, '0')}.txt`, '0', content.length, 0o644));
    const block = Buffer.alloc(512);
    content.copy(block);
    batch.push(block);
    if (batch.length >= 512) {
      yield Buffer.concat(batch);
      batch = [];
    }
  }
  batch.push(Buffer.alloc(1024));
  yield Buffer.concat(batch);
}

export interface ManyFilesImage {
  /** The layout directory. */
  layout: string;
  /** Its one image's `org.opencontainers.image.ref.name`. */
  ref: string;
  /** Entries of the layer: the files, their directories, /srv, /srv/many and /init. */
  entries: number;
  /** Bytes of the gzip layer. */
  layerSize: number;
}

/**
 * Writes an OCI layout at `dir` (created) holding one image, tagged `ref`, whose layer holds `files` small
 * files in directories of FILES_PER_DIR.
 */
export async function writeManyFilesLayout(dir: string, files: number, ref = 'many'): Promise<ManyFilesImage> {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const partial = join(blobs, 'layer.partial');
  const diff = createHash('sha256');
  const digest = createHash('sha256');
  // Level 1: the headers compress well at any level, and the image is made in seconds.
  const gzip = createGzip({ level: 1, chunkSize: 1 << 20 });
  const out = createWriteStream(partial);
  let layerSize = 0;
  gzip.on('data', (c: Buffer) => {
    digest.update(c);
    layerSize += c.length;
    if (!out.write(c)) gzip.pause();
  });
  out.on('drain', () => gzip.resume());
  for (const block of tarBlocks(files)) {
    diff.update(block);
    if (!gzip.write(block)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  out.end();
  await once(out, 'close');
  const layerDigest = `sha256:${digest.digest('hex')}`;
  renameSync(partial, join(blobs, layerDigest.slice(7)));

  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${diff.digest('hex')}`] },
    }),
  );
  writeFileSync(join(blobs, sha256(config).slice(7)), config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layerDigest, size: layerSize }],
    }),
  );
  writeFileSync(join(blobs, sha256(manifest).slice(7)), manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha256(manifest),
          size: manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': ref },
        },
      ],
    }),
  );
  const dirs = Math.ceil(files / FILES_PER_DIR);
  return { layout: dir, ref, entries: files + dirs + 3, layerSize };
}
