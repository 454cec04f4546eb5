import { describe, expect, it, test } from 'vitest';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { CollectingReporter } from '../../src/log.ts';
import { applyLayer } from '../../src/rootfs/apply-layer.ts';
import { newDir, toBytePath, type DataRef, type Inode, type Node } from '../../src/rootfs/node.ts';
import { largestDirectories, spaceUse } from '../../src/rootfs/du.ts';

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

describe('spaceUse: where the file data is, in parts that add up', () => {
  const base = { mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 0 };
  /** Layer entries whose data remembers the layer it is from, the way a spool does. */
  const layerOf = new Map<DataRef, number>();
  const layer = (index: number, entries: (LayerEntry | [string, number])[]): LayerEntry[] =>
    entries.map((e) => {
      if (!Array.isArray(e)) return e;
      const data: DataRef = { kind: 'bytes', bytes: Buffer.alloc(e[1]) };
      layerOf.set(data, index);
      return { ...base, name: e[0], type: 'file', size: e[1], data };
    });
  const dir = (name: string): LayerEntry => ({ ...base, mode: 0o755, name, type: 'dir' });
  const origin = (inode: Inode): number | 'other' => (inode.data && layerOf.get(inode.data)) ?? 'other';
  const sum = (xs: Iterable<number>): number => [...xs].reduce((a, b) => a + b, 0);

  /** An image of three layers applied as a build applies them: overwrites, a whiteout, a hardlink. */
  function image(): Node {
    const root = newDir();
    const reporter = new CollectingReporter();
    const layers = [
      layer(0, [dir('usr'), dir('usr/lib'), ['usr/lib/libc.so', 40_000], ['usr/lib/old.so', 9_000], dir('usr/bin'), ['usr/bin/sh', 6_000], dir('etc'), ['etc/passwd', 500], ['README', 300]]),
      // Replaces every file layer 1 brings, and removes one of layer 0's.
      layer(1, [dir('usr/share'), ['usr/share/doc', 1_000], dir('var'), ['var/cache', 2_000]]),
      layer(2, [
        ['usr/share/doc', 3_000],
        { ...base, name: 'var/.wh.cache', type: 'file' },
        { ...base, name: 'usr/lib/.wh.old.so', type: 'file' },
        ['usr/python', 20_000],
        { ...base, name: 'usr/lib/python-link', type: 'hardlink', linkname: 'usr/python' },
        dir('opt'),
        ['opt/tool', 100],
      ]),
    ];
    for (const entries of layers) applyLayer(root, entries, { layer: 'sha256:test', reporter });
    expect(reporter.warnings).toEqual([]);
    return root;
  }

  it('splits a top-level directory holding more than a fifth into its children and its own files; the parts sum to the file data', () => {
    const use = spaceUse(image(), origin, { splitShare: 0.2, slices: 10, minShare: 0 });
    // 40,000 + 6,000 + 500 + 300 + 3,000 + 20,000 (two names, one inode) + 100
    expect(use.fileBytes).toBe(69_900);
    expect(use.slices).toEqual([
      // The hardlink's data is counted at its first name in byte order: /usr/lib/python-link.
      { path: '/usr/lib', scope: 'tree', bytes: 60_000 },
      { path: '/usr/bin', scope: 'tree', bytes: 6_000 },
      { path: '/usr/share', scope: 'tree', bytes: 3_000 },
      { path: '/etc', scope: 'tree', bytes: 500 },
      { path: '/', scope: 'files', bytes: 300 },
      { path: '/opt', scope: 'tree', bytes: 100 },
    ]);
    expect(sum(use.slices.map((s) => s.bytes))).toBe(use.fileBytes);
    // /var is empty after the whiteout and has no slice; /usr has no files of its own now that python is counted in /usr/lib.
    expect(use.slices.some((s) => s.path === '/var' || s.path === '/usr')).toBe(false);
  });

  it('counts the bytes each layer still has in the tree: a layer whose every file was replaced or deleted has none', () => {
    const use = spaceUse(image(), origin);
    expect(use.origins).toEqual(new Map([[0, 46_800], [2, 23_100]]));
    expect(use.origins.get(1)).toBeUndefined();
    expect(sum(use.origins.values())).toBe(use.fileBytes);
  });

  it('shows the files directly in a split directory as a slice of their own', () => {
    const root = tree({ '/usr/lib/a': file(700), '/usr/bin/b': file(200), '/usr/c': file(100), '/etc/d': file(50) });
    const use = spaceUse(root, () => 0, { splitShare: 0.2, slices: 10, minShare: 0 });
    expect(use.slices).toEqual([
      { path: '/usr/lib', scope: 'tree', bytes: 700 },
      { path: '/usr/bin', scope: 'tree', bytes: 200 },
      { path: '/usr', scope: 'files', bytes: 100 },
      { path: '/etc', scope: 'tree', bytes: 50 },
    ]);
  });

  it('keeps a large directory whole when it has one part only, and small ones whole', () => {
    const root = tree({ '/usr/lib/x/a': file(900), '/usr/lib/y/b': file(50), '/etc/a': file(30), '/etc/b/c': file(20) });
    expect(spaceUse(root, () => 0).slices).toEqual([
      { path: '/usr', scope: 'tree', bytes: 950 },
      { path: '/etc', scope: 'tree', bytes: 50 },
    ]);
  });

  it('folds the slices past the limit or under the minimum share into one "other" at the end, ties broken by path', () => {
    const entries: Record<string, Node> = { '/big/a': file(10_000) };
    for (const name of ['d', 'c', 'b', 'a']) entries[`/${name}/f`] = file(500);
    entries['/tiny/f'] = file(10);
    entries['/tiny2/f'] = file(10);
    const use = spaceUse(tree(entries), () => 0, { splitShare: 0.9, slices: 3, minShare: 0.01 });
    expect(use.slices).toEqual([
      { path: '/big', scope: 'tree', bytes: 10_000 },
      { path: '/a', scope: 'tree', bytes: 500 },
      { path: '/b', scope: 'tree', bytes: 500 },
      { path: null, scope: 'other', bytes: 1_020, folded: 4 },
    ]);
    // Under 1% of 12,020 bytes: the two tiny ones are folded even below the limit.
    const wide = spaceUse(tree(entries), () => 0, { splitShare: 0.9, slices: 10, minShare: 0.01 });
    expect(wide.slices.at(-1)).toEqual({ path: null, scope: 'other', bytes: 20, folded: 2 });
    expect(sum(wide.slices.map((s) => s.bytes))).toBe(wide.fileBytes);
  });

  it('shows a single slice that would be folded as itself', () => {
    const use = spaceUse(tree({ '/a/f': file(1000), '/b/f': file(1) }), () => 0, { splitShare: 0.9, slices: 10, minShare: 0.01 });
    expect(use.slices).toEqual([
      { path: '/a', scope: 'tree', bytes: 1000 },
      { path: '/b', scope: 'tree', bytes: 1 },
    ]);
  });

  it('is empty for a tree without file data', () => {
    expect(spaceUse(tree({ '/e/f': file(0), '/d': newDir() }), () => 0)).toEqual({ fileBytes: 0, slices: [], origins: new Map() });
  });

  it('walks a tree 20,000 directories deep without recursion', () => {
    const root = newDir();
    let dir = root;
    for (let i = 0; i < 20_000; i++) {
      const next = newDir();
      dir.children!.set('x', next);
      dir = next;
    }
    dir.children!.set('leaf', file(6));
    expect(spaceUse(root, () => 0).slices).toEqual([{ path: '/x', scope: 'tree', bytes: 6 }]);
  });
});
