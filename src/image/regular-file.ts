// The files of a layout directory are read only when they are regular files. A FIFO where a blob should be
// would block the build forever on its open or its read; a device might be read without end, and opening
// some (a tape, a watchdog) does something by itself. So the type is checked with stat before any open,
// and again on the descriptor (opened non-blocking and without taking a terminal), in case the file was
// swapped in between.
import { closeSync, constants, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { InitramfsError } from '../errors.ts';
import { quote } from '../quote.ts';

const kindOf = (st: Stats): string =>
  st.isDirectory()
    ? 'a directory'
    : st.isFIFO()
      ? 'a FIFO'
      : st.isSocket()
        ? 'a socket'
        : st.isCharacterDevice()
          ? 'a character device'
          : st.isBlockDevice()
            ? 'a block device'
            : 'not a regular file';

const notRegular = (path: string, what: string, st: Stats): InitramfsError =>
  new InitramfsError('BAD_IMAGE', `${what}: ${quote(path)} is ${kindOf(st)}, where a regular file should be`);

/** Unreadable: the machine's doing (IO), or the layout's when its symlinks loop or run too long (BAD_IMAGE). */
const cannotRead = (path: string, what: string, e: unknown): InitramfsError => {
  const code = (e as NodeJS.ErrnoException).code;
  const theLayouts = code === 'ELOOP' || code === 'ENAMETOOLONG';
  return new InitramfsError(theLayouts ? 'BAD_IMAGE' : 'IO', `${what}: cannot read ${quote(path)} (${code ?? (e as Error).message})`, { cause: e });
};

/** Nothing is there: the caller says what is missing. */
const absent = (e: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException).code ?? '');

/**
 * The size of the regular file at `path` (symlinks followed), or undefined when nothing is there. Anything
 * else there is BAD_IMAGE, a file that cannot be stat'ed IO, both naming `what` (the layout).
 */
export function regularFileSize(path: string, what: string): number | undefined {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    if (absent(e)) return undefined;
    throw cannotRead(path, what, e);
  }
  if (!st.isFile()) throw notRegular(path, what, st);
  return st.size;
}

/** The regular file at `path` opened for reading (a descriptor to close), or undefined when nothing is there. */
export function openRegularFile(path: string, what: string): number | undefined {
  if (regularFileSize(path, what) === undefined) return undefined;
  let fd: number;
  try {
    // Windows has neither flag (nor FIFOs or terminals that they guard against): 0 there.
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    if (absent(e)) return undefined;
    throw cannotRead(path, what, e);
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    throw notRegular(path, what, st);
  }
  return fd;
}
