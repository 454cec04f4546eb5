// Test helper for the in-memory rootfs model: every path in a tree, for whole-tree assertions.
import type { Node } from '../../src/rootfs/node.ts';

/** Every path under `root` ("/a", "/a/b", …), depth first, children in byte order. */
export function modelPaths(root: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node, prefix: string): void => {
    for (const [name, child] of [...(n.children ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
      out.push(prefix + '/' + name);
      visit(child, prefix + '/' + name);
    }
  };
  visit(root, '');
  return out;
}
