// Trees thousands of directories deep, and paths of hundreds of thousands of components: every walk over
// the model (apply, resolve, excludes, du, plan) works without recursion, and the kernel's PATH_MAX is an
// ARCHIVE_LIMIT naming the path, shortened, never a RangeError. Trees and layers built in code.
import { describe, expect, it } from 'vitest';
import type { InitramfsError } from '../../src/errors.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { PATH_MAX } from '../../src/initramfs/newc.ts';
import { planArchive } from '../../src/initramfs/plan.ts';
import { CollectingReporter } from '../../src/log.ts';
import { applyLayer } from '../../src/rootfs/apply-layer.ts';
import { largestDirectories } from '../../src/rootfs/du.ts';
import { applyExcludes } from '../../src/rootfs/exclude.ts';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { lookup } from '../../src/rootfs/tree.ts';

/** Far deeper than the call stack allows a recursive walk (which failed at some 4,400 levels). */
const DEEP = 20_000;

const file = (content: string): Node => ({
  inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: content.length, data: { kind: 'bytes', bytes: Buffer.from(content) } },
});

/** A chain of `depth` directories named `name` under the root, `leaf` in the deepest. */
function chain(depth: number, name = 'x', leaf: [string, Node] = ['leaf', file('bottom')]): Node {
  const root = newDir();
  let dir = root;
  for (let i = 0; i < depth; i++) {
    const next = newDir();
    dir.children!.set(name, next);
    dir = next;
  }
  dir.children!.set(...leaf);
  return root;
}

const failure = (fn: () => unknown): InitramfsError => {
  try {
    fn();
  } catch (e) {
    return e as InitramfsError;
  }
  throw new Error('expected a failure');
};

describe('a layer of 5,000 nested directories', () => {
  it('is applied, each entry resolved through every directory above it', () => {
    const base = { mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0 };
    const entries: LayerEntry[] = [];
    let path = '';
    for (let i = 0; i < 5_000; i++) entries.push({ ...base, type: 'dir', name: (path += 'd/') });
    entries.push({ ...base, type: 'file', mode: 0o644, name: `${path}leaf` });
    const root = newDir();
    const reporter = new CollectingReporter();
    applyLayer(root, entries, { layer: 'sha256:deep', reporter });
    expect(reporter.warnings).toEqual([]);
    expect(lookup(root, `/${path}leaf`, { follow: false })?.inode.type).toBe('file');
  });
});

describe('a tree 20,000 directories deep', () => {
  it('is summed by largestDirectories, the bytes at the bottom counted in the top directories', () => {
    expect(largestDirectories(chain(DEEP), { depth: 2, count: 5 })).toEqual([
      { path: '/x', bytes: 6 },
      { path: '/x/x', bytes: 6 },
    ]);
  });

  it('is searched by excludes to the bottom', () => {
    const root = chain(DEEP);
    expect(applyExcludes(root, ['**/leaf'])).toBe(1);
    expect(largestDirectories(root, { depth: 1, count: 5 })).toEqual([]);
  });

  it('fails the plan as ARCHIVE_LIMIT naming the first path over PATH_MAX, shortened', () => {
    const err = failure(() => planArchive(chain(DEEP)));
    expect(err.code).toBe('ARCHIVE_LIMIT');
    // "x/x/…/x" of 2,048 names is 4,095 bytes, the most the kernel unpacks; the next directory is the first too long.
    expect(err.message).toMatch(/^'x\/x\/x.*….*x\/x': the path is 4097 bytes, 2049 names deep; the kernel unpacks no path over 4095 bytes/);
    expect(err.message).toContain('--exclude');
    expect(err.message.length).toBeLessThan(400);
  });
});

describe('paths at the kernel limit', () => {
  it('plans a path of exactly 4,095 bytes, parents first', () => {
    // 2,045 directories "x" (4,090 bytes with their slashes) and a 5-byte name: 4,095 bytes.
    const plan = planArchive(chain(2_045, 'x', ['leaf1', file('bottom')]));
    const names = plan.segments.flatMap((s) => [...s.records].map((r) => r.entry.name));
    const deepest = `${'x/'.repeat(2_045)}leaf1`;
    expect(deepest.length).toBe(PATH_MAX - 1);
    expect(names.at(-1)).toBe(deepest);
    expect(names).toHaveLength(2_047);
    expect(names.indexOf(deepest.slice(0, -'/leaf1'.length))).toBe(2_045);
  });

  it('refuses one byte more', () => {
    const err = failure(() => planArchive(chain(2_045, 'x', ['leaf12', file('bottom')])));
    expect(err.code).toBe('ARCHIVE_LIMIT');
    expect(err.message).toContain('the path is 4096 bytes, 2046 names deep');
  });
});

describe('a symlink target of 300,000 components', () => {
  it('is resolved inside the root without overflowing the call stack', () => {
    const root = newDir();
    root.children!.set('etc', chain(0, 'x', ['passwd', file('root')]));
    root.children!.set('l', { inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: `${'./'.repeat(300_000)}etc` } });
    expect(lookup(root, '/l/passwd', { follow: false })?.inode.size).toBe(4);
  });
});
