import { expect, test } from 'vitest';
import { newDir, toBytePath, type Inode, type Node } from '../../src/rootfs/node.ts';
import { largestDirectories } from '../../src/rootfs/du.ts';

const file = (size: number): Node => ({ inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size } });

/** Builds a tree from `path → node`, creating directories on the way. */
function tree(entries: Record<string, Node>): Node {
  const root = newDir();
  for (const [path, node] of Object.entries(entries)) {
    const parts = toBytePath(path).split('/').filter(Boolean);
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.children!.get(part);
      if (!next) dir.children!.set(part, (next = newDir()));
      dir = next;
    }
    dir.children!.set(parts.at(-1)!, node);
  }
  return root;
}

test('directories are ranked by the file bytes below them, down to the given depth', () => {
  const root = tree({
    '/usr/lib/libbig.so': file(5000),
    '/usr/lib/python3/x.py': file(700),
    '/usr/bin/tool': file(300),
    '/etc/passwd': file(50),
    '/big': file(100_000),
  });
  expect(largestDirectories(root, { depth: 2, count: 10 })).toEqual([
    { path: '/usr', bytes: 6000 },
    { path: '/usr/lib', bytes: 5700 },
    { path: '/usr/bin', bytes: 300 },
    { path: '/etc', bytes: 50 },
  ]);
  expect(largestDirectories(root, { depth: 1, count: 1 })).toEqual([{ path: '/usr', bytes: 6000 }]);
});

test('hardlinked data counts once, and empty directories and non-files count nothing', () => {
  const shared: Inode = { type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 1000 };
  const root = tree({
    '/a/x': { inode: shared },
    '/b/y': { inode: shared },
    '/b/link': { inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: 'y' } },
    '/empty/sub': newDir(),
  });
  // Sorted walk: /a is met first and gets the bytes; ties would break by path.
  expect(largestDirectories(root, { depth: 2, count: 10 })).toEqual([{ path: '/a', bytes: 1000 }]);
});

test('names that are not UTF-8 are shown with replacement characters, not dropped', () => {
  const root = newDir();
  const dir = newDir();
  dir.children!.set('f', file(10));
  root.children!.set('caf\xe9', dir);
  expect(largestDirectories(root, { depth: 1, count: 5 })).toEqual([{ path: '/caf\ufffd', bytes: 10 }]);
});
