// The rootfs model: a tree of names in memory, each pointing at an inode with the metadata the layers gave.
// File bytes are never held here: an inode points at where they are (a layer's spool, a host file for
// --inject, or a small generated buffer), so memory follows the number of entries, not the image size.
//
// Names and link targets are *byte strings*: JS strings whose every char code is one byte (latin1), as
// tar stores them. Arbitrary bytes (non-UTF-8 names) therefore survive unchanged into the archive. Convert
// user-supplied UTF-8 paths with `toBytePath` before looking them up.
import type { SpoolFile } from '../image/spool.ts';

export type InodeType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo';

/** Where a regular file's bytes are. The size is the inode's. */
export type DataRef =
  | { kind: 'spool'; spool: SpoolFile; offset: number }
  | { kind: 'host'; path: string }
  | { kind: 'bytes'; bytes: Uint8Array };

/** One inode. Hardlinked names share the same Inode object. */
export interface Inode {
  type: InodeType;
  /** Permission bits including setuid/setgid/sticky (mask 0o7777); the type is in `type`. */
  mode: number;
  uid: number;
  gid: number;
  /** Seconds since the epoch (integer, may be clamped by SOURCE_DATE_EPOCH at write time). */
  mtime: number;
  /** Regular files: byte length of the data. 0 for other types. */
  size: number;
  data?: DataRef;
  /** Symlinks: the target, verbatim (byte string). */
  target?: string;
  devMajor?: number;
  devMinor?: number;
}

/** A name in the tree. Directories have `children`; nothing else does. */
export interface Node {
  inode: Inode;
  children?: Map<string, Node>;
}

export const newDir = (mode = 0o755, mtime = 0): Node => ({
  inode: { type: 'dir', mode, uid: 0, gid: 0, mtime, size: 0 },
  children: new Map(),
});

/** Names this long or longer split out of a longer string are V8 slices that keep the whole string alive. */
const SLICE_MIN = 13;

/**
 * A name to store in the tree, as a string of its own: a component split out of a tar entry's name is
 * otherwise a slice that keeps the entry's whole path alive for as long as the tree lives. A byte
 * string, so its latin1 bytes are the name.
 */
export const ownName = (name: string): string => (name.length < SLICE_MIN ? name : Buffer.from(name, 'latin1').toString('latin1'));

/** User-facing (UTF-8) path → the byte-string form the model uses. */
export const toBytePath = (p: string): string => Buffer.from(p, 'utf8').toString('latin1');
/** Model byte string → UTF-8 for messages (invalid sequences shown as U+FFFD). */
export const fromBytePath = (p: string): string => Buffer.from(p, 'latin1').toString('utf8');
