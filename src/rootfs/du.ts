// Where the bytes of a rootfs are, `du`-style: the directories (down to a depth) holding the most file
// data. The job summary shows them so a user sees at a glance what to --exclude. Hardlinked data counts
// once, at the first name met in sorted order, so the figures are deterministic and add up.
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
