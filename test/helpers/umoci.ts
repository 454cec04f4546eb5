// Test helper: flattens an OCI image layout with umoci, an independent implementation of layer
// application (whiteouts, hardlinks, ownership) to compare our rootfs against. umoci 0.4.7 (Debian 12)
// cannot read tar+zstd layers and cannot choose a platform in a multi-arch tag: recompress or pick the
// platform with skopeo first.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scratchDir } from './tree.ts';

const exec = promisify(execFile);

/**
 * Unpacks `layoutDir:tag` (as root, so owners and device nodes are real) into a new scratch bundle and
 * returns its rootfs directory. Removed by `removeScratchDirs`.
 */
export async function umociFlatten(layoutDir: string, tag: string): Promise<string> {
  const bundle = join(await scratchDir('umoci-bundle-'), 'bundle');
  try {
    await exec('umoci', ['unpack', '--image', `${layoutDir}:${tag}`, bundle], { maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`umoci unpack --image ${layoutDir}:${tag} failed: ${err.stderr?.trim() || err.message}`);
  }
  return join(bundle, 'rootfs');
}
