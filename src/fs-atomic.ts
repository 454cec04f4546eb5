// Atomic file output names: a file is written under a temporary name in the target's directory, fsynced
// and renamed (output.ts), so a reader (or a crashed build) never sees a half-written file under the
// final name.
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** A temporary name beside `target`, hidden, unique per call. */
export const tempNameFor = (target: string): string =>
  join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);

/**
 * Whether `name` (a base name) has the shape tempNameFor gives. A build killed before it renamed or removed
 * its temporary file leaves one; the sweep (scratch.ts) removes only names of this shape.
 */
export const isTempName = (name: string): boolean => /^\..+\.tmp-[0-9a-f]{12}$/s.test(name);

/** The errors Windows gives, for a while, when another program holds the file open (see renameOnto). */
const WINDOWS_BUSY = ['EPERM', 'EACCES', 'EBUSY'];

/**
 * The pauses between the tries of a rename that Windows refuses for a while: growing from 10 ms to 1 s,
 * some 10 s in all (a virus scanner looking at a freshly written file of a few hundred MB takes seconds).
 */
export const WINDOWS_RENAME_PAUSES: readonly number[] = [10, 20, 40, 80, 160, 320, 640, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000];

/** What renameOnto does the renaming and the waiting with, for tests to replace. */
export interface RenameOptions {
  platform?: NodeJS.Platform;
  rename?: (from: string, to: string) => Promise<void>;
  sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Renames `from` onto `to`, replacing the file there. POSIX replaces it atomically whatever holds it open.
 * Windows refuses (EPERM, EACCES or EBUSY) while another program has either file open without sharing its
 * deletion — an antivirus scanner or a search indexer reading the new file, an editor showing the old one —
 * which usually lasts a moment: there such a failure is tried again, pausing as WINDOWS_RENAME_PAUSES says,
 * as graceful-fs does for npm. Any other failure, and every failure elsewhere, is thrown at once.
 */
export async function renameOnto(from: string, to: string, opts: RenameOptions = {}): Promise<void> {
  const platform = opts.platform ?? process.platform;
  const doRename = opts.rename ?? rename;
  const pause = opts.sleep ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      await doRename(from, to);
      return;
    } catch (e) {
      const busy = platform === 'win32' && WINDOWS_BUSY.includes((e as NodeJS.ErrnoException).code ?? '');
      if (!busy || attempt >= WINDOWS_RENAME_PAUSES.length) throw e;
      await pause(WINDOWS_RENAME_PAUSES[attempt]!);
    }
  }
}
