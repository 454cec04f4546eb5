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
import { InitramfsError } from '../errors.ts';
import type { DataRef, Inode, Node } from '../rootfs/node.ts';
import { checkEntry, recordSize, TRAILER_SIZE, TYPE_BITS, type NewcEntry } from './newc.ts';

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
  readonly #taken = new Set<number>();

  next(name: string): number {
    let ino = inodeHash(name);
    while (this.#taken.has(ino)) ino = (ino % 0xffff_ffff) + 1;
    this.#taken.add(ino);
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
  records: PlannedRecord[];
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

/** One name met in the depth-first walk. */
interface Visit {
  path: string;
  node: Node;
}

/**
 * Hardlink groups are only formed for types the kernel links (regular files, devices, fifos): the kernel
 * never links symlinks, so symlinks sharing an Inode are written as independent symlinks.
 */
const linkable = (inode: Inode): boolean => inode.type !== 'dir' && inode.type !== 'symlink';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Depth-first, parents before children, children in byte order of their names. The root is ".". */
const walk = (root: Node): Visit[] => {
  const out: Visit[] = [];
  const visit = (path: string, node: Node): void => {
    out.push({ path, node });
    if (!node.children) return;
    const names = [...node.children.keys()].sort(byteOrder);
    for (const name of names) visit(path === '.' ? name : `${path}/${name}`, node.children.get(name)!);
  };
  visit('.', root);
  return out;
};

/**
 * What puts similar content next to each other: the name's suffix from its first dot ("so.6", "py",
 * "gz"; "" for none), then the name itself (every `__init__.py`, every `copyright`), then the path.
 * gzip sees only the last 32 KiB, so neighbours decide the ratio: on the benchmark image this order is
 * 1.0% smaller with gzip and 1.5% with zstd than plain path order.
 */
const contentKey = (path: string): [string, string] => {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return [dot === -1 ? '' : base.slice(dot + 1), base];
};

const byContent = (a: Visit, b: Visit): number => {
  const [ea, na] = contentKey(a.path);
  const [eb, nb] = contentKey(b.path);
  return byteOrder(ea, eb) || byteOrder(na, nb) || byteOrder(a.path, b.path);
};

/**
 * The emission order: every directory first, depth-first (the kernel does not create missing parents,
 * so a directory must precede everything in it), then every other name ordered by `byContent`.
 */
const order = (root: Node): Visit[] => {
  const all = walk(root);
  const dirs = all.filter((v) => v.node.inode.type === 'dir');
  const rest = all.filter((v) => v.node.inode.type !== 'dir').sort(byContent);
  return [...dirs, ...rest];
};

const checkPositiveInt = (what: string, value: number): void => {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InitramfsError('USAGE', `${what} must be a positive integer, got ${value}`);
  }
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

  const visits = order(root);

  // Number of names per linkable inode, and the index of its last name: the group is emitted there.
  const names = new Map<Inode, number>();
  const lastIndex = new Map<Inode, number>();
  visits.forEach(({ node }, i) => {
    if (!linkable(node.inode)) return;
    names.set(node.inode, (names.get(node.inode) ?? 0) + 1);
    lastIndex.set(node.inode, i);
  });

  const mtimeOf = (inode: Inode): number => (epoch === undefined ? inode.mtime : Math.min(inode.mtime, epoch));

  // Inode numbers are given when units are placed (below); 0 until then.
  const makeRecord = (visit: Visit, nlink: number, withData: boolean): PlannedRecord => {
    const { inode } = visit.node;
    let filesize = 0;
    let data: RecordData = { kind: 'none' };
    if (inode.type === 'symlink') {
      if (inode.target === undefined) throw new Error(`planArchive: symlink ${visit.path} has no target`);
      const bytes = Buffer.from(inode.target, 'latin1');
      filesize = bytes.length;
      data = { kind: 'target', bytes };
    } else if (inode.type === 'file' && withData && inode.size > 0) {
      if (!inode.data) throw new Error(`planArchive: file ${visit.path} has ${inode.size} bytes but no data`);
      if (inode.data.kind === 'bytes' && inode.data.bytes.length !== inode.size) {
        throw new Error(`planArchive: file ${visit.path} has ${inode.data.bytes.length} bytes, inode says ${inode.size}`);
      }
      filesize = inode.size;
      data = { kind: 'file', ref: inode.data };
    }
    const isDev = inode.type === 'char' || inode.type === 'block';
    const entry: NewcEntry = {
      name: visit.path,
      ino: 0,
      mode: TYPE_BITS[inode.type] | (inode.mode & 0o7777),
      uid: inode.uid,
      gid: inode.gid,
      nlink,
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

  // Emission units: a single record, or a whole hardlink group (consecutive, as GNU cpio writes them).
  const units: PlannedRecord[][] = [];
  const pendingGroups = new Map<Inode, Visit[]>();
  visits.forEach((visit, i) => {
    const { inode } = visit.node;
    const count = names.get(inode) ?? 1;
    if (count === 1) {
      const nlink =
        inode.type === 'dir'
          ? 2 + [...(visit.node.children?.values() ?? [])].filter((c) => c.inode.type === 'dir').length
          : 1;
      units.push([makeRecord(visit, nlink, true)]);
      return;
    }
    const group = pendingGroups.get(inode) ?? [];
    group.push(visit);
    if (lastIndex.get(inode) !== i) {
      pendingGroups.set(inode, group);
      return;
    }
    pendingGroups.delete(inode);
    // GNU cpio convention: the data rides on the last name; the kernel links the earlier ones to it.
    units.push(group.map((v, k) => makeRecord(v, count, k === group.length - 1)));
  });

  const inodes = new InodeNumbers();
  const segments: Segment[] = [];
  let current: PlannedRecord[] = [];
  let currentSize = 0;
  const close = (): void => {
    segments.push({ records: current, size: currentSize, last: false });
    current = [];
    currentSize = 0;
  };
  let entries = 0;
  for (const unit of units) {
    // One number per unit: the records of a hardlink group share it.
    const ino = inodes.next(unit[0]!.entry.name);
    let unitBytes = 0;
    for (const record of unit) {
      record.entry.ino = ino;
      current.push(record);
      unitBytes += recordSize(Buffer.byteLength(record.entry.name, 'latin1'), record.entry.filesize);
      entries++;
    }
    currentSize += unitBytes;
    if (endsSegment(currentSize, unitBytes, unit[0]!.entry.name, target)) close();
  }
  if (current.length > 0 || segments.length === 0) close();
  // The archive's one trailer closes the last segment, whatever ended it.
  const last = segments[segments.length - 1]!;
  last.last = true;
  last.size += TRAILER_SIZE;

  return { segments, entries, uncompressedSize: segments.reduce((sum, s) => sum + s.size, 0) };
};
