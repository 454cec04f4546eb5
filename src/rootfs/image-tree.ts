// A whole image read into a rootfs model of its own, for the images the build takes one file from (the
// init-tools busybox, a boot test's kernel). Their layers are a few MiB: read one at a time, each applied
// as soon as it is read. The spools hold the bytes the model points at, so they live until dispose().
import { join } from 'node:path';
import { readLayer } from '../image/read-layer.ts';
import { SpoolFile } from '../image/spool.ts';
import type { Layer } from '../image/types.ts';
import type { Reporter } from '../log.ts';
import { applyLayer } from './apply-layer.ts';
import { newDir, type Node } from './node.ts';

export interface ImageTree {
  root: Node;
  /** Closes and deletes the spools; the model's file data is gone after it. Safe to call twice. */
  dispose(): void;
}

/** Reads `layers` (oldest first) into a fresh model, spools under `dir`; on failure nothing is left open. */
export async function readImageTree(layers: readonly Layer[], dir: string, reporter: Reporter): Promise<ImageTree> {
  const spools: SpoolFile[] = [];
  const dispose = (): void => {
    for (const s of spools) s.dispose();
  };
  try {
    const root = newDir();
    for (const [i, layer] of layers.entries()) {
      const spool = new SpoolFile(join(dir, `layer-${i}.spool`), layer.digest);
      spools.push(spool);
      const entries = await readLayer(layer, spool, reporter);
      spool.flush();
      applyLayer(root, entries, { layer: layer.digest, reporter });
    }
    return { root, dispose };
  } catch (e) {
    dispose();
    throw e;
  }
}
