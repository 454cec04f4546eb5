// The archive plan: the rootfs tree turned into the deterministic, ordered list of newc records of ONE
// cpio archive (a single TRAILER!!!, at the very end), cut into segments between entries. Everything that
// decides the output bytes is decided here, from the tree alone: order, inode numbers, nlink, clamped
// mtimes, which record of a hardlink group carries the data, and where segments end.
//
// Each segment is compressed on its own (one gzip member or zstd frame) and the members are concatenated.
// The kernel's loader only needs every member to end on an entry boundary (measured: see
// shared/infra-notes.md), and because there is one archive with one trailer, `cpio -t`, `bsdtar -t`,
// `lsinitramfs` and `unmkinitramfs` read all of it (they stop at the first trailer, so an output made of
// several complete archives looked to them like a fraction of the image).
//
// Segments are content-defined, like rsync's or restic's chunks: where one ends depends on the records
// near the cut, not on the byte offset from the start. Inode numbers come from a hash of the name rather
// than from a counter, so they are unique over the whole archive (every reader keys hardlinks on
// dev+inode across members) and yet a record's bytes do not depend on what precedes it. A rebuild that
// adds or changes one file (a new agent binary) therefore leaves every segment away from it
// byte-identical, and the segment cache can reuse their compressed bytes.
//
// Memory follows the number of names, a few tens of bytes each: the plan keeps the order as typed arrays
// over the tree's own nodes and name strings, and makes a segment's records (header fields, full path)
// only when the writer asks for them, a segment at a time. A million small files would otherwise hold a
// million record objects and path strings at once. No walk recurses: a tree thousands of directories
// deep is walked with an explicit stack, and a path the kernel cannot unpack fails before anything else.
import { InitramfsError } from '../errors.ts';
import { quote } from '../quote.ts';
import { fromBytePath, type DataRef, type Inode, type Node } from '../rootfs/node.ts';
import { checkEntry, PATH_MAX, recordSize, TRAILER_SIZE, TYPE_BITS, type NewcEntry } from './newc.ts';

/**
 * Average uncompressed size of a segment. Fixed (never derived from the machine) so the segment
 * boundaries, and therefore the compressed bytes, are the same everywhere. A segment is at least half of
 * it and is cut at twice it at the latest (a single bigger file makes a bigger segment). 8 MiB: on the
 * benchmark image the output is as small as with 16 MiB (gzip sees 32 KiB back, zstd -3 a few MiB), and
 * the segments in flight take some 40 MiB less memory.
 */
export const SEGMENT_TARGET = 8 << 20;

/** 32-bit FNV-1a of a byte string: a cheap, stable hash of a record name for choosing cut points. */
const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

/**
 * Inode numbers unique over the whole archive that do not depend on the records before them: a 32-bit
 * hash of the unit's first name, moved to the next free number on the rare collision (in an image of a
 * million names, about one name in 4,300). The kernel, GNU cpio and libarchive key hardlinks on dev+inode (for nlink >= 2)
 * until the trailer, across gzip members and zstd frames, so two units must never share a number; and a
 * counter would renumber every record after an inserted file, which would change every later segment's
 * bytes and defeat the segment cache. 0 is never used (some tools read it as "no inode").
 */
/**
 * The number a name gets unless an earlier name took it: FNV-1a, then murmur3's finaliser, so names that
 * differ in their last byte spread over the whole range and the number is independent of the cut decision
 * (plain FNV-1a of the same name). Never 0.
 */
export const inodeHash = (name: string): number => {
  let h = fnv1a(name);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0 || 1;
};

class InodeNumbers {
  // The numbers taken, as an open-addressing hash set in a typed array (0, never a number, marks a free
  // slot; half the slots stay free): 8 bytes a number at most, where a Set of a million numbers takes 40.
  readonly #slots: Uint32Array;
  readonly #mask: number;

  /** For at most `count` numbers. */
  constructor(count: number) {
    let size = 16;
    while (size < 2 * count) size *= 2;
    this.#slots = new Uint32Array(size);
    this.#mask = size - 1;
  }

  /** Takes `ino` unless it is taken; whether it was free. */
  #take(ino: number): boolean {
    for (let i = ino & this.#mask; ; i = (i + 1) & this.#mask) {
      const slot = this.#slots[i]!;
      if (slot === ino) return false;
      if (slot === 0) {
        this.#slots[i] = ino;
        return true;
      }
    }
  }

  next(name: string): number {
    let ino = inodeHash(name);
    while (!this.#take(ino)) ino = (ino % 0xffff_ffff) + 1;
    return ino;
  }
}

/**
 * Whether a segment that already holds `size` bytes ends after a unit of `unitBytes` bytes whose first
 * name is `name`. Past the minimum, each unit ends the segment with a probability proportional to its
 * bytes (decided by its name's hash, so the same unit decides the same way in every build), which puts
 * cuts on average `target / 2` bytes past the minimum; the maximum bounds the rare long run without one.
 */
const endsSegment = (size: number, unitBytes: number, name: string, target: number): boolean => {
  const min = target / 2;
  if (size < min) return false;
  if (size >= 2 * target) return true;
  return fnv1a(name) / 0x1_0000_0000 < unitBytes / (target - min);
};

/** Where a record's data comes from: nothing, a symlink's target, or a regular file's bytes. */
export type RecordData =
  | { kind: 'none' }
  | { kind: 'target'; bytes: Buffer }
  | { kind: 'file'; ref: DataRef };

export interface PlannedRecord {
  /** The header fields and name exactly as they will be encoded. */
  entry: NewcEntry;
  data: RecordData;
}

/** A run of whole records of the archive, compressed on its own; the last one ends with the TRAILER!!!. */
export interface Segment {
  /**
   * The segment's records in order, each made from the plan as the iteration reaches it and garbage once
   * used: the plan holds no records, and a writer iterating a segment holds one at a time. Iterable
   * again, with new objects.
   */
  readonly records: Iterable<PlannedRecord>;
  /** Uncompressed bytes of the segment (the trailer included in the last one). */
  size: number;
  /** Whether the archive's TRAILER!!! follows this segment's records (the last segment only). */
  last: boolean;
}

export interface ArchivePlan {
  segments: Segment[];
  /** Records, the trailer excluded. */
  entries: number;
  /** Total uncompressed cpio bytes over all segments, the trailer included. */
  uncompressedSize: number;
}

export interface PlanOptions {
  /** Clamp every mtime to min(mtime, sourceDateEpoch). */
  sourceDateEpoch?: number | undefined;
  /** Segment size target; defaults to SEGMENT_TARGET. For tests and benchmarks. */
  segmentTarget?: number | undefined;
}

/** The data of every record that has none (shared: nothing changes it). */
const NO_DATA: RecordData = Object.freeze({ kind: 'none' });

/**
 * Hardlink groups are only formed for types the kernel links (regular files, devices, fifos): the kernel
 * never links symlinks, so symlinks sharing an Inode are written as independent symlinks.
 */
const linkable = (inode: Inode): boolean => inode.type !== 'dir' && inode.type !== 'symlink';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Byte order of `a.slice(aFrom)` and `b.slice(bFrom)`, without making either. */
const compareFrom = (a: string, aFrom: number, b: string, bFrom: number): number => {
  const n = Math.min(a.length - aFrom, b.length - bFrom);
  for (let k = 0; k < n; k++) {
    const d = a.charCodeAt(aFrom + k) - b.charCodeAt(bFrom + k);
    if (d !== 0) return d;
  }
  return a.length - aFrom - (b.length - bFrom);
};

/**
 * A path the kernel would skip (with everything under it, for a directory): the build fails rather
 * than make an initramfs without it. The message names it, shortened, and the way out.
 */
const tooLong = (path: string, bytes: number): InitramfsError =>
  new InitramfsError(
    'ARCHIVE_LIMIT',
    `${quote(fromBytePath(path))}: the path is ${bytes} bytes, ${path.split('/').length} names deep; the kernel ` +
      `unpacks no path over ${PATH_MAX - 1} bytes (PATH_MAX) from an initramfs: leave it out with --exclude`,
  );

/**
 * Every name of the tree, as the order needs them: directories depth-first (parents before children,
 * children in byte order of their names; the root is "." at index 0) with their paths, and every other
 * name as its node, its name in its directory and that directory's index. Walked with an explicit stack,
 * so no depth exhausts the call stack; a path over PATH_MAX fails here, before its deeper paths are made.
 */
class Names {
  readonly dirNodes: Node[] = [];
  readonly dirPaths: string[] = [];
  readonly nodes: Node[];
  readonly names: string[];
  readonly parents: Uint32Array;

  constructor(root: Node) {
    // Counted first, so the lists are made at their size: grown a push at a time, a million names leave
    // twice their size in discarded copies.
    const others = countOthers(root);
    this.nodes = new Array<Node>(others);
    this.names = new Array<string>(others);
    this.parents = new Uint32Array(others);
    let other = 0;
    this.dirNodes.push(root);
    this.dirPaths.push('.');
    interface Frame {
      node: Node;
      /** Its index among the directories. */
      dir: number;
      names: string[];
      next: number;
    }
    const frame = (node: Node, dir: number): Frame => ({ node, dir, names: [...node.children!.keys()].sort(byteOrder), next: 0 });
    const stack: Frame[] = [frame(root, 0)];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next === top.names.length) {
        stack.pop();
        continue;
      }
      const name = top.names[top.next++]!;
      const child = top.node.children!.get(name)!;
      const bytes = (top.dir === 0 ? 0 : this.dirPaths[top.dir]!.length + 1) + name.length;
      if (bytes + 1 > PATH_MAX) throw tooLong(this.#path(top.dir, name), bytes);
      if (child.inode.type !== 'dir') {
        // Only directories have children in the model (see node.ts); anything else would be written
        // under a path no directory record precedes.
        if (child.children !== undefined) throw new Error(`planArchive: ${this.#path(top.dir, name)} is a ${child.inode.type} with children`);
        this.nodes[other] = child;
        this.names[other] = name;
        this.parents[other++] = top.dir;
        continue;
      }
      const dir = this.dirNodes.length;
      this.dirNodes.push(child);
      this.dirPaths.push(this.#path(top.dir, name));
      if (child.children !== undefined) stack.push(frame(child, dir));
    }
  }

  #path(dir: number, name: string): string {
    return dir === 0 ? name : `${this.dirPaths[dir]!}/${name}`;
  }

  /** The archive path of the `i`th non-directory. */
  path(i: number): string {
    return this.#path(this.parents[i]!, this.names[i]!);
  }
}

/** How many names under `root` are not directories (a stack, not recursion: any depth). */
const countOthers = (root: Node): number => {
  let count = 0;
  const pending: Node[] = [root];
  while (pending.length > 0) {
    for (const child of pending.pop()!.children!.values()) {
      if (child.inode.type !== 'dir') count++;
      else if (child.children !== undefined) pending.push(child);
    }
  }
  return count;
};

/**
 * The non-directories in the order that puts similar content next to each other: the name's suffix from
 * its first dot ("so.6", "py", "gz"; "" for none), then the name itself (every `__init__.py`, every
 * `copyright`), then the path. gzip sees only the last 32 KiB, so neighbours decide the ratio: on the
 * benchmark image this order is 1.0% smaller with gzip and 1.5% with zstd than plain path order.
 * Compared in place, so sorting a million names makes no strings but the paths of equal names.
 */
const contentOrder = (names: Names): Uint32Array => {
  const count = names.nodes.length;
  // Where the base name and its suffix start in each name (a name holds no "/" in the model, but the
  // base name is what is compared); names are at most PATH_MAX bytes here.
  const baseAt = new Uint16Array(count);
  const suffixAt = new Uint16Array(count);
  for (let i = 0; i < count; i++) {
    const name = names.names[i]!;
    const base = name.lastIndexOf('/') + 1;
    const dot = name.indexOf('.', base);
    baseAt[i] = base;
    suffixAt[i] = dot === -1 ? name.length : dot + 1;
  }
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  return order.sort((a, b) => {
    const na = names.names[a]!;
    const nb = names.names[b]!;
    return (
      compareFrom(na, suffixAt[a]!, nb, suffixAt[b]!) ||
      compareFrom(na, baseAt[a]!, nb, baseAt[b]!) ||
      byteOrder(names.path(a), names.path(b))
    );
  });
};

const checkPositiveInt = (what: string, value: number): void => {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InitramfsError('USAGE', `${what} must be a positive integer, got ${value}`);
  }
};

/** nlink of a directory: 2 and one for each subdirectory's "..". */
const dirLinks = (node: Node): number => {
  let links = 2;
  for (const child of node.children?.values() ?? []) if (child.inode.type === 'dir') links++;
  return links;
};

/**
 * Plans the archive for `root` (a directory). Throws InitramfsError('ARCHIVE_LIMIT') for an entry newc
 * cannot hold, before anything is written.
 */
export const planArchive = (root: Node, options: PlanOptions = {}): ArchivePlan => {
  if (root.inode.type !== 'dir' || !root.children) throw new Error('planArchive: the root must be a directory');
  const epoch = options.sourceDateEpoch;
  if (epoch !== undefined && (!Number.isSafeInteger(epoch) || epoch < 0)) {
    throw new InitramfsError('USAGE', `SOURCE_DATE_EPOCH must be a non-negative integer, got ${epoch}`);
  }
  const target = options.segmentTarget ?? SEGMENT_TARGET;
  checkPositiveInt('segment target', target);

  const names = new Names(root);
  const dirs = names.dirNodes.length;
  const others = names.nodes.length;
  const total = dirs + others;

  // The emission order: every directory first, depth-first (the kernel does not create missing parents,
  // so a directory must precede everything in it), then every other name in content order, except that
  // a hardlink group is emitted whole, at the place of its last name (as GNU cpio writes them). `emit`
  // holds the non-directories' indexes in that order; `unitStart` marks where each unit (one record, or
  // a whole group) begins; a group's nlink is its length.
  const emit = new Uint32Array(others);
  const unitStart = new Uint8Array(total);
  unitStart.fill(1, 0, dirs);
  {
    const order = contentOrder(names);
    // Names per linkable inode that has more than one; the Set of those seen once goes with this block.
    const seen = new Set<Inode>();
    const shared = new Map<Inode, number>();
    for (const i of order) {
      const inode = names.nodes[i]!.inode;
      if (!linkable(inode)) continue;
      if (seen.has(inode)) shared.set(inode, (shared.get(inode) ?? 1) + 1);
      else seen.add(inode);
    }
    seen.clear();
    const pending = new Map<Inode, number[]>();
    let at = 0;
    for (const i of order) {
      const inode = names.nodes[i]!.inode;
      const count = shared.get(inode);
      if (count === undefined) {
        unitStart[dirs + at] = 1;
        emit[at++] = i;
        continue;
      }
      const group = pending.get(inode) ?? [];
      group.push(i);
      if (group.length < count) {
        pending.set(inode, group);
        continue;
      }
      pending.delete(inode);
      unitStart[dirs + at] = 1;
      for (const g of group) emit[at++] = g;
    }
  }

  const mtimeOf = (inode: Inode): number => (epoch === undefined ? inode.mtime : Math.min(inode.mtime, epoch));

  /** The record at emission position `pos`; `ino` is 0 while planning, its number when written. */
  const makeRecord = (pos: number, nlink: number, withData: boolean, ino: number): PlannedRecord => {
    const dir = pos < dirs;
    const node = dir ? names.dirNodes[pos]! : names.nodes[emit[pos - dirs]!]!;
    const path = dir ? names.dirPaths[pos]! : names.path(emit[pos - dirs]!);
    const { inode } = node;
    let filesize = 0;
    let data: RecordData = NO_DATA;
    if (inode.type === 'symlink') {
      if (inode.target === undefined) throw new Error(`planArchive: symlink ${path} has no target`);
      const bytes = Buffer.from(inode.target, 'latin1');
      filesize = bytes.length;
      data = { kind: 'target', bytes };
    } else if (inode.type === 'file' && withData && inode.size > 0) {
      if (!inode.data) throw new Error(`planArchive: file ${path} has ${inode.size} bytes but no data`);
      if (inode.data.kind === 'bytes' && inode.data.bytes.length !== inode.size) {
        throw new Error(`planArchive: file ${path} has ${inode.data.bytes.length} bytes, inode says ${inode.size}`);
      }
      filesize = inode.size;
      data = { kind: 'file', ref: inode.data };
    }
    const isDev = inode.type === 'char' || inode.type === 'block';
    const entry: NewcEntry = {
      name: path,
      ino,
      mode: TYPE_BITS[inode.type] | (inode.mode & 0o7777),
      uid: inode.uid,
      gid: inode.gid,
      nlink: dir ? dirLinks(node) : nlink,
      mtime: mtimeOf(inode),
      filesize,
      devmajor: 0,
      devminor: 0,
      rdevmajor: isDev ? (inode.devMajor ?? 0) : 0,
      rdevminor: isDev ? (inode.devMinor ?? 0) : 0,
    };
    checkEntry(entry);
    return { entry, data };
  };

  /** Where the unit starting at `start` ends: one record, or a whole hardlink group. */
  const unitEnd = (start: number): number => {
    let end = start + 1;
    while (end < total && unitStart[end] === 0) end++;
    return end;
  };

  // One number per unit (the records of a hardlink group share it), given in emission order. Every
  // record is made once here, to check it and measure it, and let go.
  const inos = new Uint32Array(total);
  const inodes = new InodeNumbers(total);
  const bounds: Array<{ start: number; end: number; size: number }> = [];
  let start = 0;
  let size = 0;
  for (let pos = 0; pos < total; ) {
    const end = unitEnd(pos);
    let first = '';
    let unitBytes = 0;
    for (let at = pos; at < end; at++) {
      const { entry } = makeRecord(at, end - pos, at === end - 1, 0);
      if (at === pos) first = entry.name;
      unitBytes += recordSize(Buffer.byteLength(entry.name, 'latin1'), entry.filesize);
    }
    inos.fill(inodes.next(first), pos, end);
    pos = end;
    size += unitBytes;
    if (endsSegment(size, unitBytes, first, target)) {
      bounds.push({ start, end: pos, size });
      start = pos;
      size = 0;
    }
  }
  if (start < total || bounds.length === 0) bounds.push({ start, end: total, size });
  // The archive's one trailer closes the last segment, whatever ended it.
  bounds[bounds.length - 1]!.size += TRAILER_SIZE;

  function* recordsOf(from: number, to: number): Generator<PlannedRecord> {
    for (let pos = from; pos < to; ) {
      const end = unitEnd(pos);
      for (let at = pos; at < end; at++) yield makeRecord(at, end - pos, at === end - 1, inos[at]!);
      pos = end;
    }
  }
  const segments = bounds.map(
    ({ start: from, end: to, size: bytes }, k): Segment => ({
      records: { [Symbol.iterator]: () => recordsOf(from, to) },
      size: bytes,
      last: k === bounds.length - 1,
    }),
  );
  return { segments, entries: total, uncompressedSize: bounds.reduce((sum, b) => sum + b.size, 0) };
};
