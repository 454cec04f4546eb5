// Where an archive (or a report) goes, with the rules gzip, tar and crane users expect:
// - `-` is standard output (refused when it is a terminal, as gzip refuses), and so is any path that names
//   the file this process's stdout is (`/dev/stdout`, even when stdout is a socket, which no open() reaches);
// - a FIFO, a character or block device (`/dev/null`), or a process's descriptor (`/dev/stdout`,
//   `/dev/fd/N`, `/proc/self/fd/N`) is written straight into: no temporary file, no rename, so a special
//   file is never replaced with a regular one;
// - anything else is a regular file written atomically: a temporary file beside the real file, fsynced and
//   renamed onto it. A symlink is followed to the file it points to (the link stays a link); missing parent
//   directories are created; the permission bits of a file that is replaced are kept. On Windows, where
//   another program may hold the target or the new file open for a moment, the rename is retried for a
//   few seconds (fs-atomic.ts); a target with the read-only attribute cannot be replaced there (EPERM).
// A directory is an error. On abort (or any failure) the temporary file is removed: nothing is left beside
// the target, and the target itself is untouched. A signal removes it too (cleanup.ts), and if the process
// is killed outright, the next build in the same cache does (it is in the journal of scratch.ts).
//
// `checkOutput` runs every check that needs no data (before a build pulls anything); `openOutput` resolves
// the path again when writing starts, so a change made meanwhile (a FIFO replaced, a link retargeted) is
// honoured rather than overwritten.
import { closeSync, constants, fstatSync, openSync, rmSync, type Stats } from 'node:fs';
import { access, lstat, mkdir, open, readlink, realpath, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { removeOnSignal } from './cleanup.ts';
import { InitramfsError, isInitramfsError } from './errors.ts';
import type { Compression } from './initramfs/compress.ts';
import { renameOnto, tempNameFor } from './fs-atomic.ts';
import { quote } from './quote.ts';
import { recordOutsideTemp } from './scratch.ts';

/** The name that means standard output. */
export const STDOUT = '-';

/** The suffix each compression's files end in, for messages that suggest a name. */
export const SUFFIX_FOR: Record<Compression, string> = { gzip: '.gz', zstd: '.zst', none: '.cpio' };

/**
 * The compression an output name implies by its suffix, as tar -a and file managers read it: `.gz` (and
 * `.tgz`) gzip, `.zst` (and `.zstd`) zstd, `.cpio` none; case does not matter. Any other name (`initrd.img`,
 * `-`, `/dev/null`) implies nothing.
 */
export function compressionFromName(name: string): { compression: Compression; suffix: string } | undefined {
  const m = /\.(gz|tgz|zst|zstd|cpio)$/i.exec(basename(name));
  if (m === null) return undefined;
  const suffix = m[0];
  const ext = m[1]!.toLowerCase();
  const compression: Compression = ext === 'gz' || ext === 'tgz' ? 'gzip' : ext === 'cpio' ? 'none' : 'zstd';
  return { compression, suffix };
}

/** Linux's own bound on symlinks followed in one lookup. */
const MAX_SYMLINKS = 40;

/** What standard output is, for tests to replace: a stream and whether it is a terminal. */
export interface StandardOutput {
  stream: NodeJS.WritableStream;
  isTTY: boolean;
}

export interface OutputOptions {
  /** What the path is, for messages: `output` (the default) or `report`. */
  label?: string;
  /** Where `-` writes; process.stdout by default. */
  stdout?: StandardOutput;
  /** Text (a report) may go to a terminal; an archive may not, as gzip refuses. */
  text?: boolean;
}

/** One destination being written: bytes in order, then commit (or abort). */
export interface OutputTarget {
  /** How messages name it: the path as given, or `standard output`. */
  readonly display: string;
  write(buf: Uint8Array): Promise<void>;
  /** Makes the bytes durable and visible under the final name. */
  commit(): Promise<void>;
  /** Leaves nothing behind for a regular file; closes a stream. Never throws. */
  abort(): Promise<void>;
}

/** How a path is written. */
type Resolved =
  | { kind: 'stdout' }
  /** A FIFO, device or descriptor: `path` is opened for writing as it is (the kernel follows the links). */
  | { kind: 'stream'; path: string; append: boolean }
  /**
   * A regular file, or a name that does not exist yet: `path` is the real file (symlinks followed),
   * `mode` the permission bits of the file it replaces, `missing` true when its directory does not exist.
   */
  | { kind: 'file'; path: string; mode?: number; missing: boolean };

const defaultStdout = (): StandardOutput => ({ stream: process.stdout, isTTY: process.stdout.isTTY === true });

const errnoOf = (e: unknown): string | undefined => (e as NodeJS.ErrnoException)?.code;

const describeErrno = (e: unknown): string => {
  switch (errnoOf(e)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EPIPE':
      return 'the reader went away (broken pipe)';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENXIO':
      return 'no such device (or a socket, which cannot be opened)';
    default:
      return (e as Error)?.message ?? String(e);
  }
};

class Naming {
  readonly label: string;
  readonly given: string;
  constructor(label: string, given: string) {
    this.label = label;
    this.given = given;
  }
  get display(): string {
    return this.given === STDOUT ? 'standard output' : this.given;
  }
  /** One line naming the input and what went wrong. */
  error(why: string, cause?: unknown, code: 'IO' | 'USAGE' = 'IO'): InitramfsError {
    return new InitramfsError(code, `${this.label} ${quote(this.given)}: ${why}`, cause === undefined ? undefined : { cause });
  }
  wrap(what: string, e: unknown): InitramfsError {
    return isInitramfsError(e) ? e : this.error(`${what}: ${describeErrno(e)}`, e);
  }
}

/** `/proc/PID/fd` (or a thread's): a name there is a process's open descriptor, not a file to replace. */
const isDescriptorDir = (realDir: string): boolean => /^\/proc\/\d+(\/task\/\d+)?\/fd$/.test(realDir);

const isSpecial = (st: Stats): boolean => st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice();

/** The nearest directory above `path` that exists; an error when something on the way is not a directory. */
async function existingAncestor(path: string, n: Naming): Promise<string> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    let st: Stats;
    try {
      st = await stat(dir);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' && dir !== dirname(dir)) continue;
      if (errnoOf(e) === 'ENOTDIR') continue; // a file further up: found when the loop reaches it
      throw n.wrap(`cannot look up ${dir}`, e);
    }
    if (!st.isDirectory()) throw n.error(`${dir} is not a directory`);
    return dir;
  }
}

/**
 * Whether two stats are of the same file. Inode 0 identifies nothing: it is what Windows reports for
 * files without a file id (NUL; pipes and consoles too, in libuv versions older than the one that gives
 * them their handle's value), so `-o NUL` must not pass for standard output when that is a pipe (every
 * CI log). No POSIX file has inode 0.
 */
export const sameFile = (a: Pick<Stats, 'dev' | 'ino'>, b: Pick<Stats, 'dev' | 'ino'>): boolean => a.ino !== 0 && a.dev === b.dev && a.ino === b.ino;

/** True when `st` is the file descriptor 1 refers to. */
const isStdoutFile = (st: Stats): boolean => {
  try {
    return sameFile(st, fstatSync(1));
  } catch {
    return false; // no descriptor 1 at all
  }
};

async function resolveTarget(given: string, n: Naming): Promise<Resolved> {
  if (given === STDOUT) return { kind: 'stdout' };
  let st: Stats | undefined;
  try {
    st = await stat(given);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ELOOP') throw n.error(describeErrno(e), e);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw n.wrap('cannot look it up', e);
    // Nothing there yet, or a dangling link: the link walk below finds which.
  }
  if (st !== undefined && isStdoutFile(st)) return { kind: 'stdout' };
  if (st?.isDirectory()) throw n.error('is a directory; expected a file name, a FIFO or a character device');
  if (st !== undefined && isSpecial(st)) return { kind: 'stream', path: given, append: false };
  if (st !== undefined && !st.isFile()) throw n.error('is a socket or another file that cannot be written; expected a file, a FIFO or a character device');

  // A regular file or a new name: follow the links one by one to the file itself, so the rename replaces
  // the file and not the link. A hop through /proc/PID/fd is a descriptor: written into, never renamed over.
  let path = resolve(given);
  for (let hop = 0; hop <= MAX_SYMLINKS; hop++) {
    let dir: string;
    try {
      dir = await realpath(dirname(path));
    } catch (e) {
      const code = errnoOf(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw n.wrap(`cannot look up ${dirname(path)}`, e);
      await existingAncestor(path, n);
      return { kind: 'file', path, missing: true };
    }
    if (isDescriptorDir(dir)) return { kind: 'stream', path: given, append: true };
    const full = join(dir, basename(path));
    let l: Stats;
    try {
      l = await lstat(full);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return { kind: 'file', path: full, missing: false };
      if (errnoOf(e) === 'ENOTDIR') await existingAncestor(full, n); // throws, naming the file in the way
      throw n.wrap(`cannot look up ${full}`, e);
    }
    if (l.isSymbolicLink()) {
      let target: string;
      try {
        target = await readlink(full);
      } catch (e) {
        throw n.wrap(`cannot read the link ${full}`, e);
      }
      path = resolve(dir, target);
      continue;
    }
    if (l.isFile()) return { kind: 'file', path: full, mode: l.mode & 0o777, missing: false };
    if (l.isDirectory()) throw n.error(`leads to the directory ${full}; expected a file name`);
    if (isSpecial(l)) return { kind: 'stream', path: full, append: false };
    throw n.error(`leads to ${full}, a socket or another file that cannot be written`);
  }
  throw n.error(describeErrno({ code: 'ELOOP' }));
}

/**
 * Checks, without writing anything that stays, that `given` can be written as its kind says: standard
 * output is not a terminal; a stream can be opened for writing; a regular file's directory (or, when it is
 * missing, the nearest one that exists) accepts a new file. Errors are IO (USAGE for a terminal), one line
 * naming the path.
 */
export async function checkOutput(given: string, opts: OutputOptions = {}): Promise<void> {
  const n = new Naming(opts.label ?? 'output', given);
  const r = await resolveTarget(given, n);
  switch (r.kind) {
    case 'stdout':
      if (!opts.text && (opts.stdout ?? defaultStdout()).isTTY) {
        throw n.error('standard output is a terminal; redirect it to a file or a pipe (> initramfs.cpio.gz, | ...), or name a file', undefined, 'USAGE');
      }
      return;
    case 'stream':
      try {
        await access(r.path, constants.W_OK);
      } catch (e) {
        throw n.wrap('cannot be written', e);
      }
      return;
    case 'file': {
      if (r.missing) {
        const dir = await existingAncestor(r.path, n);
        try {
          await access(dir, constants.W_OK | constants.X_OK);
        } catch (e) {
          throw n.wrap(`cannot create directories in ${dir}`, e);
        }
        return;
      }
      // Creating (and removing) the temporary file is the one check that sees everything: permissions,
      // read-only mounts, ACLs, a full inode table. Synchronously, so that no signal handler can run
      // while the probe exists.
      const probe = tempNameFor(r.path);
      try {
        closeSync(openSync(probe, 'wx', 0o600));
      } catch (e) {
        throw n.wrap(`cannot create files in ${dirname(r.path)}`, e);
      }
      rmSync(probe, { force: true });
      return;
    }
  }
}

/** Opens `given` for writing (see the rules at the top of this file). */
export async function openOutput(given: string, opts: OutputOptions = {}): Promise<OutputTarget> {
  const n = new Naming(opts.label ?? 'output', given);
  const r = await resolveTarget(given, n);
  switch (r.kind) {
    case 'stdout': {
      const out = opts.stdout ?? defaultStdout();
      if (out.isTTY && !opts.text) await checkOutput(given, opts);
      return new StreamTarget(n, out.stream);
    }
    case 'stream': {
      let fh: FileHandle;
      try {
        // No O_CREAT: if the special file went away, fail instead of creating a regular one in its place.
        // O_APPEND for a descriptor: `>> log` and `> file` both keep working as the shell opened them.
        // (Windows has no O_NOCTTY, nor terminals to take.)
        fh = await open(r.path, constants.O_WRONLY | (constants.O_NOCTTY ?? 0) | (r.append ? constants.O_APPEND : 0));
      } catch (e) {
        throw n.wrap('cannot open it for writing', e);
      }
      return new DescriptorTarget(n, fh);
    }
    case 'file': {
      if (r.missing) {
        try {
          await mkdir(dirname(r.path), { recursive: true });
        } catch (e) {
          throw n.wrap(`cannot create ${dirname(r.path)}`, e);
        }
      }
      const temp = tempNameFor(r.path);
      recordOutsideTemp(temp);
      const forget = removeOnSignal(temp);
      let fh: FileHandle;
      try {
        // Created on the main thread, in the callback that registered it: created on the threadpool, it
        // could appear just after a signal handler removed what was registered, and stay.
        closeSync(openSync(temp, 'wx', 0o644));
      } catch (e) {
        forget();
        throw n.wrap(`cannot create files in ${dirname(r.path)}`, e);
      }
      try {
        // Opened again for the writes, which go through the threadpool; never through a link put there
        // (where O_NOFOLLOW exists: not on Windows).
        fh = await open(temp, constants.O_RDWR | (constants.O_NOFOLLOW ?? 0));
      } catch (e) {
        await rm(temp, { force: true }).catch(() => {});
        forget();
        throw n.wrap(`cannot open ${temp} for writing`, e);
      }
      return new FileTarget(n, fh, temp, r.path, r.mode, forget);
    }
  }
}

/** Writes `data` to `given` whole, by the same rules (used for reports). */
export async function writeOutputFile(given: string, data: string | Uint8Array, opts: OutputOptions = {}): Promise<void> {
  const target = await openOutput(given, opts);
  try {
    await target.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    await target.commit();
  } catch (e) {
    await target.abort();
    throw e;
  }
}

/**
 * True when writing to `given` writes to this process's standard output: `-`, or a path that names the
 * same file (`/dev/stdout`, a FIFO that stdout is). Then nothing else may be printed there.
 */
export async function isStandardOutput(given: string): Promise<boolean> {
  if (given === STDOUT) return true;
  try {
    return isStdoutFile(await stat(given));
  } catch {
    return false;
  }
}

/** The temporary file beside a regular file: renamed onto it on commit, removed on abort. */
class FileTarget implements OutputTarget {
  #fh: FileHandle | undefined;
  readonly naming: Naming;
  readonly temp: string;
  readonly path: string;
  readonly mode: number | undefined;
  /** Unregisters the temporary file from the signal handlers' list, once it is renamed or removed. */
  readonly #forget: () => void;
  constructor(naming: Naming, fh: FileHandle, temp: string, path: string, mode: number | undefined, forget: () => void) {
    this.naming = naming;
    this.#fh = fh;
    this.temp = temp;
    this.path = path;
    this.mode = mode;
    this.#forget = forget;
  }
  get display(): string {
    return this.naming.display;
  }
  async write(buf: Uint8Array): Promise<void> {
    await writeAll(this.#fh, buf, this.naming);
  }
  async commit(): Promise<void> {
    const fh = this.#fh;
    if (fh === undefined) throw new Error('output: commit after commit or abort');
    try {
      if (this.mode !== undefined) await fh.chmod(this.mode);
      await fh.sync();
      await fh.close();
      this.#fh = undefined;
      await renameOnto(this.temp, this.path);
      this.#forget();
    } catch (e) {
      await this.abort();
      throw this.naming.wrap('cannot write', e);
    }
    // The rename is durable only once the directory is: best effort, as some file systems refuse.
    try {
      const dir = await open(dirname(this.path), 'r');
      await dir.sync().finally(() => dir.close());
    } catch {
      // EINVAL on file systems without directory fsync; the file itself is complete either way.
    }
  }
  async abort(): Promise<void> {
    await this.#fh?.close().catch(() => {});
    this.#fh = undefined;
    await rm(this.temp, { force: true }).catch(() => {});
    this.#forget();
  }
}

/** Writes all of `buf` to `fh` (a short write goes on where it stopped). */
async function writeAll(fh: FileHandle | undefined, buf: Uint8Array, naming: Naming): Promise<void> {
  if (fh === undefined) throw new Error('output: write after commit or abort');
  try {
    for (let done = 0; done < buf.length; ) done += (await fh.write(buf, done, buf.length - done)).bytesWritten;
  } catch (e) {
    throw naming.wrap('cannot write', e);
  }
}

/** A FIFO, device or descriptor, written in place. */
class DescriptorTarget implements OutputTarget {
  #fh: FileHandle | undefined;
  readonly naming: Naming;
  constructor(naming: Naming, fh: FileHandle) {
    this.naming = naming;
    this.#fh = fh;
  }
  get display(): string {
    return this.naming.display;
  }
  async write(buf: Uint8Array): Promise<void> {
    await writeAll(this.#fh, buf, this.naming);
  }
  async commit(): Promise<void> {
    const fh = this.#fh;
    if (fh === undefined) throw new Error('output: commit after commit or abort');
    this.#fh = undefined;
    try {
      // Meaningful for block devices and files behind a descriptor; pipes and most devices refuse (EINVAL).
      await fh.sync().catch((e: unknown) => {
        if (!['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EROFS'].includes(errnoOf(e) ?? '')) throw e;
      });
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => {});
      throw this.naming.wrap('cannot write', e);
    }
  }
  async abort(): Promise<void> {
    await this.#fh?.close().catch(() => {});
    this.#fh = undefined;
  }
}

/** Standard output (or a stream standing for it): each write waits until the stream took the bytes. */
class StreamTarget implements OutputTarget {
  #failure: Error | undefined;
  readonly naming: Naming;
  readonly stream: NodeJS.WritableStream;
  constructor(naming: Naming, stream: NodeJS.WritableStream) {
    this.naming = naming;
    this.stream = stream;
    // A reader that goes away (EPIPE) is reported here as well as to the write's callback; without a
    // listener it would end the process with a stack trace instead of one error line.
    stream.on('error', (e: Error) => {
      this.#failure ??= e;
    });
  }
  get display(): string {
    return this.naming.display;
  }
  write(buf: Uint8Array): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.naming.wrap('cannot write', this.#failure));
    return new Promise((resolvePromise, reject) => {
      try {
        this.stream.write(buf, (e?: Error | null) => (e ? reject(this.naming.wrap('cannot write', e)) : resolvePromise()));
      } catch (e) {
        reject(this.naming.wrap('cannot write', e));
      }
    });
  }
  async commit(): Promise<void> {
    if (this.#failure !== undefined) throw this.naming.wrap('cannot write', this.#failure);
  }
  async abort(): Promise<void> {}
}
