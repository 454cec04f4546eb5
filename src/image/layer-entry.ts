// One entry of a layer's tar, as read: the contract between reading a layer (image/) and applying it to
// the rootfs model (rootfs/). Names are raw — not normalised, not checked — because deciding what a name
// means (whiteout, hostile, confined) is the rootfs's job, on metadata alone.
import type { DataRef } from '../rootfs/node.ts';

export type LayerEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

export interface LayerEntry {
  /** Name as stored in the tar (byte string; pax `path` wins over the ustar name). */
  name: string;
  type: LayerEntryType;
  /** Permission bits with setuid/setgid/sticky (mask 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch, integer (fractions from pax truncated). */
  mtime: number;
  /** Regular files: data length. 0 otherwise. */
  size: number;
  /** Regular files with size > 0: where the bytes were spooled. */
  data?: DataRef;
  /** Symlink target or hardlink target name, raw (byte string; pax `linkpath` wins). */
  linkname?: string;
  devMajor?: number;
  devMinor?: number;
  /**
   * Names of the extended attributes the tar carries for this entry (pax `SCHILY.xattr.*` /
   * `LIBARCHIVE.xattr.*`), e.g. `security.capability`. newc has no place for them: they are only reported.
   */
  xattrs?: string[];
}
