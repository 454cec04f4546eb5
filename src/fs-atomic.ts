// Atomic file output: write to a temporary name in the target's directory, fsync, rename. A reader (or a
// crashed build) never sees a half-written file under the final name.
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temporary name beside `target`, hidden, unique per call. */
export const tempNameFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);

/** Writes `data` to `target` atomically. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempNameFor(target);
  try {
    const fh = await open(tmp, 'wx', 0o644);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
