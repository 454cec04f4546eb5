// The benchmark's image of many small files: one gzip layer holding 1,000,000 files of a few bytes in
// directories of a thousand, written straight as tar bytes by the test suite's own generator (seconds, no
// root, no network), cached under .bench/ like the realistic image. It measures what the realistic image
// cannot: memory per entry (issue 9: a million entries built in 2.5 GiB; the target is under 1 GiB).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeManyFilesLayout } from '../test/helpers/many-files.ts';
import { log } from './lib.mjs';

export const MANY_FILES = 1_000_000;

/** Returns { layout, tag, info } for the image of `files` small files under `benchDir`, made when absent. */
export async function manyFilesImage(benchDir, files = MANY_FILES) {
  const dir = join(benchDir, `many-files-${files}`);
  const infoFile = join(dir, 'info.json');
  if (existsSync(infoFile)) {
    log(`reusing cached image ${dir}/layout (${files} files)`);
    return { layout: join(dir, 'layout'), tag: 'many', info: JSON.parse(readFileSync(infoFile, 'utf8')) };
  }
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const image = await writeManyFilesLayout(join(dir, 'layout'), files);
  const info = { files, layerEntries: image.entries, layerSize: image.layerSize };
  writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n');
  log(`wrote ${files} files as one ${(image.layerSize / 1e6).toFixed(1)} MB gzip layer in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { layout: image.layout, tag: image.ref, info };
}
