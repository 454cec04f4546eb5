// Atomic file output names: a file is written under a temporary name in the target's directory, fsynced
// and renamed (output.ts), so a reader (or a crashed build) never sees a half-written file under the
// final name.
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A temporary name beside `target`, hidden, unique per call. */
export const tempNameFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);

/**
 * Whether `name` (a base name) has the shape tempNameFor gives. A build killed before it renamed or removed
 * its temporary file leaves one; the sweep (scratch.ts) removes only names of this shape.
 */
export const isTempName = (name: string): boolean => /^\..+\.tmp-[0-9a-f]{12}$/s.test(name);
