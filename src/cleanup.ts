// What this process removes when a signal ends it. The core registers each thing it creates on disk for a
// while (the output's temporary file, its scratch directory in the cache) for exactly as long as it
// exists; the shells (CLI, action) install the handlers. On SIGINT, SIGTERM or SIGHUP every registered path
// is removed, synchronously and on the main thread, and the process then dies of the same signal: its
// parent sees an interrupted command (a shell's `$?` is 128 + the signal's number: 130, 143, 129), and a
// shell script or loop around it stops, as it does for any command interrupted by Ctrl-C (bash waits to
// see whether the child died of SIGINT before it stops the loop itself; an ordinary exit 130 would let it
// go on to the next iteration).
//
// Removing on the main thread leaves no window: a JavaScript handler runs between two callbacks of the
// event loop, never inside one, so a path registered in the same callback that created it is always seen.
// What the threadpool may be doing meanwhile (a file being created inside the scratch directory) fails
// once the directory is gone, which is why everything a build keeps in the cache lives inside one.
import { rmSync, writeSync } from 'node:fs';
import { constants } from 'node:os';

/** The signals that end a build with its temporary files removed. */
export const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type CleanupSignal = (typeof CLEANUP_SIGNALS)[number];

/** Registered paths; one entry per registration, so a path registered twice stays until both are released. */
const registered = new Map<symbol, string>();

/**
 * Registers `path` (a file or a directory, removed with its contents) to be removed if a signal ends the
 * process. Returns the function that unregisters it, to call once the path is gone or has become a
 * result (an output renamed into place).
 */
export function removeOnSignal(path: string): () => void {
  const token = Symbol(path);
  registered.set(token, path);
  return () => {
    registered.delete(token);
  };
}

/** The paths registered now (for tests). */
export const registeredPaths = (): string[] => [...new Set(registered.values())];

/**
 * Removes every registered path, now, without throwing: a path that cannot be removed (gone already, a
 * file still open on Windows) is skipped. A directory that something on the threadpool is filling at
 * this very moment may refuse to go (ENOTEMPTY) once: it is tried again.
 */
export function removeRegisteredNow(): void {
  for (const path of new Set(registered.values())) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        rmSync(path, { recursive: true, force: true });
        break;
      } catch {
        // ENOTEMPTY while a file appears in it: once more; anything else: nothing more can be done here.
      }
    }
  }
  registered.clear();
}

/**
 * Installs the handlers of SIGINT, SIGTERM and SIGHUP: remove every registered path, write `interrupted
 * by SIG…` through `say` (which must not throw), then die of the same signal. Where a process cannot
 * (Windows), or when another listener keeps the signal from being fatal, the exit status is 128 + the
 * signal's number instead, which is what a shell reports for a process killed by it.
 */
export function exitOnSignals(say: (line: string) => void): void {
  const handlers = new Map<CleanupSignal, () => void>();
  for (const signal of CLEANUP_SIGNALS) {
    const handler = (): void => {
      removeRegisteredNow();
      say(`interrupted by ${signal}; temporary files removed`);
      const status = 128 + constants.signals[signal];
      for (const [s, h] of handlers) process.off(s, h);
      if (process.platform !== 'win32') {
        try {
          // Without a listener, Node restores the default action, and the signal ends the process here.
          process.kill(process.pid, signal);
        } catch {
          // cannot signal ourselves: the exit below says the same
        }
      }
      process.exit(status);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
}

/** A `say` for exitOnSignals: one line on descriptor `fd`, written before the process dies, errors ignored. */
export const sayOn =
  (fd: number, before = ''): ((line: string) => void) =>
  (line) => {
    try {
      writeSync(fd, `${before}${line}\n`);
    } catch {
      // a closed terminal (SIGHUP) or a full pipe: the exit status still says it
    }
  };
