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
  const walk = (node: Node, path: string, depth: number): number => {
    let bytes = 0;
    for (const name of [...node.children!.keys()].sort()) {
      const child = node.children!.get(name)!;
      if (child.children) {
        bytes += walk(child, `${path}/${name}`, depth + 1);
      } else if (child.inode.type === 'file' && !seen.has(child.inode)) {
        seen.add(child.inode);
        bytes += child.inode.size;
      }
    }
    if (depth >= 1 && depth <= opts.depth) sizes.push({ path: fromBytePath(path), bytes });
    return bytes;
  };
  walk(root, '', 0);
  return sizes
    .filter((d) => d.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .slice(0, opts.count);
}
