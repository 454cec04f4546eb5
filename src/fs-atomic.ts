// Atomic file output names: a file is written under a temporary name in the target's directory, fsynced
// and renamed (output.ts), so a reader (or a crashed build) never sees a half-written file under the
// final name.
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temporary name beside `target`, hidden, unique per call. */
export const tempNameFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
