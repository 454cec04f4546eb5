// This process's scratch space in a cache: one directory, CACHE/tmp/run-XXXXXX, for everything a build
// keeps there for a while — layer spools (build-*), decompressed archive copies (archive-*), blob downloads
// (blob-*), segments on their way into the segment cache (segment-*) — with an `owner` file that says which
// process it belongs to (owner.ts) and an `outputs` journal of the temporary files the process creates
// beside its outputs, outside the cache.
//
// Whoever needs scratch space takes a lease; the first creates the directory, the last removes it, and
// meanwhile it is registered with cleanup.ts, so that a signal removes it whole. A process killed outright
// (SIGKILL, a power cut) leaves it behind: sweepDeadScratch, which every build runs first, removes each
// directory whose owner is provably dead, and the temporary outputs its journal names. Nothing else in
// tmp/ is touched: a directory without a readable owner file may be one being created right now. A
// directory proven dead is first renamed to dead-*, which claims it (of two sweeps at once, one wins)
// and keeps the proof: a sweep itself interrupted half-way, its owner file perhaps already removed,
// leaves a dead-* directory that the next sweep removes without asking.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { lstat, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { removeOnSignal } from './cleanup.ts';
import { InitramfsError } from './errors.ts';
import { isTempName } from './fs-atomic.ts';
import { currentOwner, here, ownerIsDead, parseOwner } from './owner.ts';
import { quote } from './quote.ts';

const OWNER = 'owner';
const JOURNAL = 'outputs';
const PREFIX = 'run-';
/** What a directory proven dead is renamed to before it is removed. */
const DEAD_PREFIX = 'dead-';

export interface Scratch {
  /** The directory. Name what you create in it with a random part (mkdtemp, randomBytes): it is shared. */
  readonly dir: string;
  /** Ends the lease; the last one removes the directory and everything in it. */
  release(): Promise<void>;
}

interface Held {
  dir: string;
  leases: number;
  forget: () => void;
}

/** The scratch directory held in each cache (by the path of its tmp/). */
const held = new Map<string, Held>();

/**
 * A lease on this process's scratch directory in `cacheDir`, created (synchronously, so that no signal
 * handler can run between its creation and its registration) when this process holds none there.
 */
export function acquireScratch(cacheDir: string): Scratch {
  const root = resolve(cacheDir, 'tmp');
  let h = held.get(root);
  if (h === undefined) {
    let dir: string | undefined;
    let forget = (): void => {};
    try {
      mkdirSync(root, { recursive: true, mode: 0o700 });
      dir = mkdtempSync(join(root, PREFIX));
      forget = removeOnSignal(dir);
      writeFileSync(join(dir, OWNER), JSON.stringify(currentOwner()), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if (dir !== undefined) {
        try {
          rmSync(dir, { recursive: true, force: true });
        } catch {
          // it keeps no owner file: an empty directory no sweep will take for a dead build's
        }
      }
      forget();
      const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new InitramfsError('IO', `cache directory ${quote(cacheDir)}: cannot create a scratch directory in ${quote(root)} (${why}); pass --cache-dir DIR`, { cause: e });
    }
    h = { dir, leases: 0, forget };
    held.set(root, h);
  }
  const lease = h;
  lease.leases++;
  let released = false;
  return {
    dir: lease.dir,
    async release() {
      if (released) return;
      released = true;
      if (--lease.leases > 0) return;
      held.delete(root);
      // Removed even when something failed to clean up after itself; a directory that will not go stays
      // registered, and keeps our owner file, so that the first build after this process sweeps it.
      try {
        await rm(lease.dir, { recursive: true, force: true });
        lease.forget();
      } catch {
        // left for the sweep
      }
    },
  };
}

/**
 * Notes `path`, a temporary file about to be created outside the cache (beside an output), in the journal
 * of every scratch directory this process holds: should the process be killed before it removes or
 * renames the file, the next build in that cache removes it (when its name is still one tempNameFor
 * gives). Written before the file is created, so there is no moment when it exists unrecorded; best
 * effort, as the journal only ever saves disk space.
 */
export function recordOutsideTemp(path: string): void {
  for (const h of held.values()) {
    try {
      appendFileSync(join(h.dir, JOURNAL), `${JSON.stringify(path)}\n`, { mode: 0o600 });
    } catch {
      // the signal handlers still remove it
    }
  }
}

/** What a sweep removed. */
export interface Swept {
  /** Scratch directories of dead processes. */
  directories: number;
  /** Their temporary outputs that were still there. */
  outputs: number;
  /** Bytes freed. */
  bytes: number;
}

/**
 * Removes what dead processes left in `cacheDir`'s tmp/: each scratch directory whose owner is provably
 * dead (owner.ts), after the temporary outputs named in its journal. Never throws: what cannot be read or
 * removed now is left for a later build. `info` hears one line when something was removed.
 */
export async function sweepDeadScratch(cacheDir: string, info?: (message: string) => void): Promise<Swept> {
  const swept: Swept = { directories: 0, outputs: 0, bytes: 0 };
  const root = resolve(cacheDir, 'tmp');
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return swept;
  }
  const where = here();
  const ours = new Set([...held.values()].map((h) => h.dir));
  for (const name of names) {
    let dir = join(root, name);
    if (name.startsWith(PREFIX) && !ours.has(dir)) {
      const owner = parseOwner(await readFile(join(dir, OWNER), 'utf8').catch(() => ''));
      if (owner === undefined || !ownerIsDead(owner, where)) continue;
      const claimed = join(root, DEAD_PREFIX + name.slice(PREFIX.length));
      try {
        await rename(dir, claimed);
      } catch {
        continue; // another sweep claimed it first
      }
      dir = claimed;
    } else if (!name.startsWith(DEAD_PREFIX)) {
      continue;
    }
    for (const path of await journal(dir)) {
      const size = await removeTempOutput(path);
      if (size !== undefined) {
        swept.outputs++;
        swept.bytes += size;
      }
    }
    const size = await diskUsage(dir);
    try {
      await rm(dir, { recursive: true, force: true });
      swept.directories++;
      swept.bytes += size;
    } catch {
      // permissions changed under us: a later build tries again
    }
  }
  if (swept.directories > 0) {
    const builds = `${swept.directories} build${swept.directories === 1 ? '' : 's'}`;
    const outputs = swept.outputs > 0 ? ` and ${swept.outputs} temporary output${swept.outputs === 1 ? '' : 's'}` : '';
    info?.(`removed the scratch files of ${builds} that died in this cache${outputs} (${(swept.bytes / 1e6).toFixed(1)} MB)`);
  }
  return swept;
}

/** The paths a scratch directory's journal names (absolute paths only). */
async function journal(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, JOURNAL), 'utf8').catch(() => '');
  const paths: string[] = [];
  for (const line of text.split('\n')) {
    try {
      const p: unknown = JSON.parse(line);
      if (typeof p === 'string' && isAbsolute(p)) paths.push(p);
    } catch {
      // an empty or cut line (killed while appending)
    }
  }
  return paths;
}

/**
 * Removes a dead process's temporary output if it is still there as it made it: a regular file (not a
 * link) whose name is one tempNameFor gives. Returns its size, or undefined when nothing was removed.
 */
async function removeTempOutput(path: string): Promise<number | undefined> {
  if (!isTempName(basename(path))) return undefined;
  try {
    const st = await lstat(path);
    if (!st.isFile()) return undefined;
    await unlink(path);
    return st.size;
  } catch {
    return undefined; // renamed into place, or removed, long ago
  }
}

/** Bytes of the regular files under `dir`. */
async function diskUsage(dir: string): Promise<number> {
  let total = 0;
  try {
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (e.isFile()) total += (await lstat(join(e.parentPath, e.name)).catch(() => ({ size: 0 }))).size;
    }
  } catch {
    // half gone: the count is only for the message
  }
  return total;
}
