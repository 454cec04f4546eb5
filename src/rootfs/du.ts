// Where the bytes of a rootfs are, `du`-style: the directories (down to a depth) holding the most file
// data, and a breakdown of all of it into parts that do not overlap, with where each byte came from. The
// job summary shows them so a user sees at a glance what to --exclude. Hardlinked data counts once, at the
// first name met in sorted order, so the figures are deterministic and add up.
import { fromBytePath, type Inode, type Node } from './node.ts';

export interface DirectorySize {
  /** Absolute, UTF-8. */
  path: string;
  /** Bytes of regular-file data below it. */
  bytes: number;
}

export function largestDirectories(root: Node, opts: { depth: number; count: number }): DirectorySize[] {
  const sizes: DirectorySize[] = [];
  const seen = new Set<Inode>();
  // Depth-first with an explicit stack, one frame per directory being summed: a tree thousands of
  // directories deep must not exhaust the call stack. Paths are only made down to `opts.depth`.
  interface Frame {
    node: Node;
    path: string;
    depth: number;
    names: string[];
    next: number;
    bytes: number;
  }
  const frame = (node: Node, path: string, depth: number): Frame => ({
    node,
    path,
    depth,
    names: [...node.children!.keys()].sort(),
    next: 0,
    bytes: 0,
  });
  const stack: Frame[] = [frame(root, '', 0)];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next < top.names.length) {
      const name = top.names[top.next++]!;
      const child = top.node.children!.get(name)!;
      if (child.children) {
        stack.push(frame(child, top.depth < opts.depth ? `${top.path}/${name}` : '', top.depth + 1));
      } else if (child.inode.type === 'file' && !seen.has(child.inode)) {
        seen.add(child.inode);
        top.bytes += child.inode.size;
      }
      continue;
    }
    stack.pop();
    if (top.depth >= 1 && top.depth <= opts.depth) sizes.push({ path: fromBytePath(top.path), bytes: top.bytes });
    const parent = stack[stack.length - 1];
    if (parent !== undefined) parent.bytes += top.bytes;
  }
  return sizes
    .filter((d) => d.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .slice(0, opts.count);
}

/**
 * One part of the tree's file data. The parts of a breakdown never overlap: every byte of regular-file
 * data is in exactly one, so they add up to the whole (unlike largestDirectories, where /usr holds /usr/lib).
 */
export interface SpaceSlice {
  /** Absolute, UTF-8; null for the folded 'other' slice. */
  path: string | null;
  /**
   * 'tree': all file data below `path` (a top-level directory, or a child of one that was split);
   * 'files': only the regular files directly in directory `path` (`/` for the files at the top);
   * 'other': the slices too small to show, folded into one.
   */
  scope: 'tree' | 'files' | 'other';
  bytes: number;
  /** For 'other': how many slices it holds. */
  folded?: number;
}

export interface SpaceUse<K> {
  /** Bytes of regular-file data in the tree, hardlinked data once. */
  fileBytes: number;
  /** Non-overlapping slices adding up to fileBytes: largest first, ties by path, 'other' last. */
  slices: SpaceSlice[];
  /** fileBytes by what `origin` says each inode's data came from; adds up to fileBytes too. */
  origins: Map<K, number>;
}

export interface SpaceUseOptions {
  /** A top-level directory holding more than this share of the data is shown as its children. */
  splitShare: number;
  /** The most slices shown before folding the rest into 'other'. */
  slices: number;
  /** Slices below this share are folded into 'other'. */
  minShare: number;
}

export const SPACE_DEFAULTS: SpaceUseOptions = { splitShare: 0.2, slices: 10, minShare: 0.01 };

/**
 * Where a tree's file data is, in non-overlapping slices: the top-level directories, each one that holds
 * more than `splitShare` of the data split into its children and the files directly in it (so `/usr`
 * becomes `/usr/lib`, `/usr/share`, …), the files at the top as one slice; the smallest slices folded into
 * one 'other'. And where the data came from, by `origin` (called once per inode with data). Hardlinked
 * data counts once, at its first name in sorted order, as in largestDirectories: the figures are the same
 * on every machine and every byte is in one slice only.
 */
export function spaceUse<K>(root: Node, origin: (inode: Inode) => K, opts: SpaceUseOptions = SPACE_DEFAULTS): SpaceUse<K> {
  interface Top {
    bytes: number;
    /** Regular files directly in it. */
    files: number;
    /** Per child directory (byte-string name): the data below it. */
    children: Map<string, number>;
  }
  const tops = new Map<string, Top>();
  let rootFiles = 0;
  let fileBytes = 0;
  const origins = new Map<K, number>();
  const seen = new Set<Inode>();
  // Depth-first with an explicit stack (a tree thousands of directories deep must not exhaust the call
  // stack); a frame knows which top-level directory and which child of it its files count for.
  interface Frame {
    node: Node;
    names: string[];
    next: number;
    top: Top | undefined;
    child: string | undefined;
  }
  const frame = (node: Node, top: Top | undefined, child: string | undefined): Frame => ({ node, names: [...node.children!.keys()].sort(), next: 0, top, child });
  const stack: Frame[] = [frame(root, undefined, undefined)];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.next >= f.names.length) {
      stack.pop();
      continue;
    }
    const name = f.names[f.next++]!;
    const node = f.node.children!.get(name)!;
    if (node.children) {
      if (f.top === undefined) {
        const top: Top = { bytes: 0, files: 0, children: new Map() };
        tops.set(name, top);
        stack.push(frame(node, top, undefined));
      } else {
        stack.push(frame(node, f.top, f.child ?? name));
      }
      continue;
    }
    const inode = node.inode;
    if (inode.type !== 'file' || inode.size === 0 || seen.has(inode)) continue;
    seen.add(inode);
    fileBytes += inode.size;
    const from = origin(inode);
    origins.set(from, (origins.get(from) ?? 0) + inode.size);
    if (f.top === undefined) rootFiles += inode.size;
    else {
      f.top.bytes += inode.size;
      if (f.child === undefined) f.top.files += inode.size;
      else f.top.children.set(f.child, (f.top.children.get(f.child) ?? 0) + inode.size);
    }
  }

  // Paths stay byte strings until the order is settled, so that it is byte order on every machine.
  const slices: { path: string; scope: 'tree' | 'files'; bytes: number }[] = [];
  if (rootFiles > 0) slices.push({ path: '/', scope: 'files', bytes: rootFiles });
  for (const [name, top] of tops) {
    if (top.bytes === 0) continue;
    const parts = top.children.size + (top.files > 0 ? 1 : 0);
    if (top.bytes > fileBytes * opts.splitShare && parts > 1) {
      for (const [child, bytes] of top.children) slices.push({ path: `/${name}/${child}`, scope: 'tree', bytes });
      if (top.files > 0) slices.push({ path: `/${name}`, scope: 'files', bytes: top.files });
    } else {
      slices.push({ path: `/${name}`, scope: 'tree', bytes: top.bytes });
    }
  }
  slices.sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let keep = 0;
  while (keep < slices.length && keep < opts.slices && slices[keep]!.bytes >= fileBytes * opts.minShare) keep++;
  // One small slice shown as itself takes no more room than an 'other' holding it, and says more.
  if (slices.length - keep === 1) keep++;
  const out: SpaceSlice[] = slices.slice(0, keep).map((s) => ({ path: fromBytePath(s.path), scope: s.scope, bytes: s.bytes }));
  const rest = slices.slice(keep);
  if (rest.length > 0) out.push({ path: null, scope: 'other', bytes: rest.reduce((n, s) => n + s.bytes, 0), folded: rest.length });
  return { fileBytes, slices: out, origins };
}
