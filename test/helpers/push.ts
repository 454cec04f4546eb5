// Test helper: pushes an OCI layout (as built by ./image.ts) to a registry with `skopeo copy`, then reads
// the pushed manifests back and checks that every layer arrived byte for byte (same digests as in the
// layout), so zstd multi-frame and uncompressed layers reach the registry exactly as the test built them.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { blobPath } from './image.ts';

const exec = promisify(execFile);

export interface PushOptions {
  /** Push every platform of an index (`skopeo copy --all`); otherwise skopeo picks linux/amd64 from it. */
  all?: boolean;
  /** `USER:PASSWORD` for the destination; none → anonymous (stored credentials are never used). */
  creds?: string;
  /** Convert manifests ('v2s2' = Docker schema 2). Unset → pushed as they are, digests preserved. */
  format?: 'oci' | 'v2s2';
}

interface ManifestDoc {
  manifests?: { digest: string }[];
  layers?: { digest: string }[];
}

const SECRET_FLAGS = new Set(['--creds', '--dest-creds', '--src-creds']);

/** Runs skopeo; a failure becomes an Error carrying skopeo's stderr (which never holds the password). */
async function skopeo(args: string[]): Promise<string> {
  try {
    const { stdout } = await exec('skopeo', args, { maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const shown = args.map((a, i) => (SECRET_FLAGS.has(args[i - 1] ?? '') ? '***' : a)).join(' ');
    throw new Error(`skopeo ${shown} failed: ${err.stderr?.trim() || err.message}`);
  }
}

/** The layer digest lists of the image `ref` in a layout: one list per manifest (several for an index). */
function layoutLayerLists(layoutDir: string, ref: string): string[][] {
  const index = JSON.parse(readFileSync(join(layoutDir, 'index.json'), 'utf8')) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const top = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === ref);
  if (top === undefined) throw new Error(`no image tagged ${JSON.stringify(ref)} in the layout ${layoutDir}`);
  const read = (digest: string): ManifestDoc => JSON.parse(readFileSync(blobPath(layoutDir, digest), 'utf8')) as ManifestDoc;
  const doc = read(top.digest);
  const manifests = doc.manifests ? doc.manifests.map((m) => read(m.digest)) : [doc];
  return manifests.map((m) => (m.layers ?? []).map((l) => l.digest));
}

/**
 * Pushes `oci:layoutDir:ref` to `registryHost/dest` (`name:tag`) and returns the pushed manifest digest
 * (of the index with `all`). Throws when skopeo fails or when any pushed layer digest differs from the
 * layout's (skopeo recompressed or converted something).
 */
export async function pushLayout(layoutDir: string, ref: string, registryHost: string, dest: string, opts: PushOptions = {}): Promise<string> {
  const expected = layoutLayerLists(layoutDir, ref);
  const work = await mkdtemp(join(tmpdir(), 'push-'));
  try {
    const digestFile = join(work, 'digest');
    const creds = opts.creds !== undefined ? ['--creds', opts.creds] : ['--no-creds'];
    await skopeo([
      'copy', '--quiet', '--insecure-policy', '--dest-tls-verify=false',
      ...(opts.all ? ['--all'] : []),
      ...(opts.creds !== undefined ? ['--dest-creds', opts.creds] : ['--dest-no-creds']),
      // Without a format change, refuse any change of digest rather than silently recompress.
      ...(opts.format !== undefined ? ['--format', opts.format] : ['--preserve-digests']),
      '--digestfile', digestFile,
      `oci:${layoutDir}:${ref}`, `docker://${registryHost}/${dest}`,
    ]);
    const digest = (await readFile(digestFile, 'utf8')).trim();
    const name = dest.replace(/[:@].*$/, '');
    const inspect = async (d: string): Promise<ManifestDoc> =>
      JSON.parse(await skopeo(['inspect', '--raw', '--tls-verify=false', ...creds, `docker://${registryHost}/${name}@${d}`])) as ManifestDoc;
    const pushed = await inspect(digest);
    const children = pushed.manifests ? await Promise.all(pushed.manifests.map((m) => inspect(m.digest))) : [pushed];
    if (pushed.manifests && children.length !== expected.length) {
      throw new Error(`pushed index ${digest} has ${children.length} manifests, the layout's ${ref} has ${expected.length}`);
    }
    const known = new Set(expected.map((l) => l.join(',')));
    for (const child of children) {
      const layers = (child.layers ?? []).map((l) => l.digest);
      if (!known.has(layers.join(','))) {
        throw new Error(`pushed layers of ${registryHost}/${dest} (${layers.join(', ')}) differ from the layout's (${[...known].join(' | ')})`);
      }
    }
    return digest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
