// The registry half of the bench: a CNCF registry on loopback (the test suite's own helper, so both start,
// wait for and stop it the same way: setpriv --pdeathsig ends it with this process, however that ends) and
// the bench image pushed to it unchanged.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry as startTestRegistry } from '../test/helpers/registry.ts';
import { log, run } from './lib.mjs';

/** Starts an open (no auth) registry; its handle has `host` and `stop()`. */
export const startRegistry = () => startTestRegistry({ auth: 'none' });

/**
 * Pushes a bench image to `host` as `<name>:latest` (one repository per image) and returns the reference.
 * --preserve-digests makes skopeo fail rather than recompress, and the pushed manifest digest is checked
 * against the layout's, so the registry serves exactly the blobs the local-layout half of the bench reads.
 */
export async function pushImage(image, host, scratchDir, name = 'bench') {
  const ref = `${host}/${name}:latest`;
  const digestFile = join(scratchDir, `push-digest-${process.pid}`);
  try {
    const { ms } = await run('skopeo', [
      'copy', '--quiet', '--preserve-digests', '--dest-tls-verify=false', '--digestfile', digestFile,
      `oci:${image.layout}:${image.tag}`, `docker://${ref}`,
    ], { quiet: true });
    const pushed = readFileSync(digestFile, 'utf8').trim();
    const index = JSON.parse(readFileSync(join(image.layout, 'index.json'), 'utf8'));
    const local = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === image.tag)?.digest;
    if (pushed !== local) throw new Error(`pushed manifest ${pushed} differs from the layout's ${local}`);
    log(`pushed ${image.layout}:${image.tag} to ${ref} (${pushed}) in ${(ms / 1000).toFixed(1)} s`);
    return ref;
  } finally {
    rmSync(digestFile, { force: true });
  }
}
