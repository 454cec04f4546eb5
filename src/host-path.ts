// Host paths, as opposed to guest paths. A path on the machine the build runs on (an --inject source,
// --init, the output, a layout or archive named by oci:/oci-archive:/docker-archive:) is the host's kind of
// path: `C:\out\initrd.cpio.gz` and `\\server\share\f` on a Windows runner. A path in the image is always
// POSIX, whatever the host. Code that parses a host path out of a larger string, or resolves one, takes
// a Host, so that the Windows rules run in the tests on Linux (with path.win32); by default it is this
// process's.
import { posix, win32, type PlatformPath } from 'node:path';

/** The machine a host path is read on: its platform decides the path rules, `cwd` anchors relative paths. */
export interface Host {
  platform: NodeJS.Platform;
  cwd: string;
}

/** This process's host. */
export const thisHost = (): Host => ({ platform: process.platform, cwd: process.cwd() });

/** Node's path functions with `platform`'s rules: win32 on Windows (both separators, drives, UNC), POSIX elsewhere. */
export const pathFor = (platform: NodeJS.Platform): PlatformPath => (platform === 'win32' ? win32 : posix);

/** `p` made absolute on `host` (relative paths start at its cwd). */
export const resolveOn = (host: Host, p: string): string => pathFor(host.platform).resolve(host.cwd, p);

/**
 * Where, in `text` that starts with a host path, a ':' can first be a separator between that path and
 * what follows it: after a Windows drive designator (`C:` of `C:\x` or `C:x`) on win32, whose colon is
 * part of the path; else 0. `oci:C:\layouts\app:latest` is a layout `C:\layouts\app` and a REF `latest`.
 */
export const separatorsFrom = (text: string, platform: NodeJS.Platform): number =>
  platform === 'win32' && /^[A-Za-z]:/.test(text) ? 2 : 0;
