// The content-addressed blob cache under --cache-dir: `blobs/sha256/<hex>`, the same shape as an OCI
// layout's blob store. An entry appears only by rename after its bytes were checked against the digest
// and size, so a reader never sees a partial blob; every process writes its own temporary file, and
// rename is atomic, so two builds filling the same entry at once cannot corrupt it. The temporary file is in
// this process's scratch directory (scratch.ts), which a signal, or the next build after a kill, removes.
// An entry that no longer matches its digest (disk trouble, a hand edit, a restore cut short) is detected
// on lookup, removed, and fetched again.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkDigest, digestHex } from '../image/digest.ts';
import { InitramfsError } from '../errors.ts';
import { acquireScratch } from '../scratch.ts';

export class BlobCache {
  readonly dir: string;
  readonly #blobs: string;

  constructor(cacheDir: string) {
    this.dir = cacheDir;
    this.#blobs = join(cacheDir, 'blobs', 'sha256');
  }

  /** Where `digest` lives in the cache. The digest is validated first: it becomes a path. */
  path(digest: string): string {
    return join(this.#blobs, digestHex(checkDigest(digest, 'blob')));
  }

  /**
   * The path of a present, intact entry; undefined when absent. A corrupt entry (wrong size or digest) is
   * removed, and undefined returned, so the caller fetches it again.
   */
  async lookup(digest: string, size: number): Promise<string | undefined> {
    const path = this.path(digest);
    let st;
    try {
      st = await stat(path);
    } catch {
      return undefined;
    }
    if (st.isFile() && st.size === size && (await sha256File(path)) === digest) return path;
    await rm(path, { force: true });
    return undefined;
  }

  /**
   * Fills the entry for `digest`: `fill` writes the blob into the temporary path it is given and must
   * verify its digest while writing; the size is checked again and the file renamed into place. Returns the entry's path. On failure the
   * temporary file is removed and nothing enters the cache.
   */
  async put(digest: string, size: number, fill: (tmpPath: string) => Promise<void>): Promise<string> {
    const path = this.path(digest);
    await mkdir(this.#blobs, { recursive: true, mode: 0o700 });
    const scratch = acquireScratch(this.dir);
    const tmp = join(scratch.dir, `blob-${digestHex(digest)}.${randomBytes(4).toString('hex')}`);
    try {
      await fill(tmp);
      // `fill` hashed the bytes as it wrote them; hashing them again here would only repeat that work.
      if ((await stat(tmp)).size !== size) {
        throw new InitramfsError('DIGEST_MISMATCH', `blob ${digest}: expected ${size} bytes in the cache, found another size`);
      }
      await rename(tmp, path);
      return path;
    } finally {
      await rm(tmp, { force: true });
      await scratch.release();
    }
  }
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex')}`;
}
