// OCI whiteouts (image-spec layer.md): what a layer entry's base name says about lower layers. Pure.
// `.wh..wh..opq` makes its directory opaque; `.wh.NAME` deletes NAME; any other `.wh..wh.*` name is
// reserved by the spec and ignored. None of them is ever a file in the rootfs.

const WHITEOUT_PREFIX = '.wh.';
const RESERVED_PREFIX = '.wh..wh.';
const OPAQUE_MARKER = '.wh..wh..opq';

export type Whiteout =
  /** Not a whiteout: an ordinary entry. */
  | { kind: 'none' }
  /** The directory holding this marker loses everything lower layers put in it; it stays. */
  | { kind: 'opaque' }
  /** Delete `name` (and its subtree) from the same directory. */
  | { kind: 'delete'; name: string }
  /** A reserved `.wh..wh.*` name other than the opaque marker, or a whiteout naming nothing usable. */
  | { kind: 'ignored' };

/** Classify an entry's base name (byte string). */
export function classifyWhiteout(base: string): Whiteout {
  // The opaque marker also starts with the generic prefix, so it must be recognised first: testing the
  // prefix first turns `.wh..wh..opq` into "delete `.wh..opq`" and the directory is never made opaque.
  if (base === OPAQUE_MARKER) return { kind: 'opaque' };
  if (base.startsWith(RESERVED_PREFIX)) return { kind: 'ignored' };
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: 'none' };
  const name = base.slice(WHITEOUT_PREFIX.length);
  // `.wh.` and `.wh..` would name the directory itself: no layer tool writes them.
  if (name === '' || name === '.') return { kind: 'ignored' };
  return { kind: 'delete', name };
}
