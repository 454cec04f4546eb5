// applyExcludes: rootfs-absolute globs remove matches with their subtree; `/x/**` keeps /x.
import { describe, expect, it } from 'vitest';
import { modelPaths } from '../helpers/model.ts';
import { InitramfsError } from '../../src/errors.ts';
import { applyExcludes } from '../../src/rootfs/exclude.ts';
import { newDir, toBytePath, type Node } from '../../src/rootfs/node.ts';
import { lookup } from '../../src/rootfs/tree.ts';

/** A tree from paths: names ending in "/" are directories, "a -> b" a symlink, others files. */
function tree(...specs: string[]): Node {
  const root = newDir();
  for (const spec of specs) {
    const [path, target] = spec.split(' -> ') as [string, string | undefined];
    const parts = path.split('/').filter((p) => p !== '');
    let dir = root;
    for (const p of parts.slice(0, -1)) {
      let next = dir.children!.get(p);
      if (next === undefined) dir.children!.set(p, (next = newDir()));
      dir = next;
    }
    const name = parts[parts.length - 1]!;
    if (path.endsWith('/')) dir.children!.set(name, dir.children!.get(name) ?? newDir());
    else if (target !== undefined) dir.children!.set(name, { inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target } });
    else dir.children!.set(name, { inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 0 } });
  }
  return root;
}

const paths = modelPaths;

describe('applyExcludes', () => {
  it('/x/** removes everything under /x, dotfiles included, and keeps /x itself', () => {
    const root = tree('usr/share/doc/a/copyright', 'usr/share/doc/.hidden', 'usr/share/docs-other', 'usr/share/man/');
    const removed = applyExcludes(root, ['/usr/share/doc/**']);
    expect(paths(root)).toEqual(['/usr', '/usr/share', '/usr/share/doc', '/usr/share/docs-other', '/usr/share/man']);
    expect(removed).toBe(2);
  });

  it('/x removes the directory itself with its subtree', () => {
    const root = tree('usr/share/doc/a/copyright', 'usr/share/man/');
    applyExcludes(root, ['/usr/share/doc']);
    expect(paths(root)).toEqual(['/usr', '/usr/share', '/usr/share/man']);
  });

  it('/x/* removes the direct children of /x (with their subtrees) and keeps /x', () => {
    const root = tree('var/cache/apt/archives/x.deb', 'var/cache/ldconfig/', 'var/lib/keep');
    applyExcludes(root, ['/var/cache/*']);
    expect(paths(root)).toEqual(['/var', '/var/cache', '/var/lib', '/var/lib/keep']);
  });

  it('**/*.pyc matches at any depth, the top level included', () => {
    const root = tree('top.pyc', 'usr/lib/py/m.pyc', 'usr/lib/py/m.py', 'usr/lib/py/__pycache__/.x.pyc');
    applyExcludes(root, ['**/*.pyc']);
    expect(paths(root)).toEqual(['/usr', '/usr/lib', '/usr/lib/py', '/usr/lib/py/__pycache__', '/usr/lib/py/m.py']);
  });

  it('a symlink is matched by its own path and never followed', () => {
    const root = tree('data/keep', 'link -> /data');
    applyExcludes(root, ['/link/**']);
    expect(paths(root)).toEqual(['/data', '/data/keep', '/link']);
    applyExcludes(root, ['/link']);
    expect(paths(root)).toEqual(['/data', '/data/keep']);
  });

  it('paths are matched as UTF-8', () => {
    const root = tree(toBytePath('/usr/share/locale/café/x'), '/usr/share/locale/en/y');
    applyExcludes(root, ['/usr/share/locale/café']);
    expect(lookup(root, toBytePath('/usr/share/locale/café'), { follow: false })).toBeUndefined();
    expect(lookup(root, '/usr/share/locale/en/y', { follow: false })).toBeDefined();
  });

  it('/** empties the image but keeps the root', () => {
    const root = tree('a/b', 'c');
    applyExcludes(root, ['/**']);
    expect(paths(root)).toEqual([]);
    expect(root.inode.type).toBe('dir');
  });

  it('a relative glob is a USAGE error explaining that excludes are absolute', () => {
    const root = tree('usr/x');
    const err = (() => {
      try {
        applyExcludes(root, ['usr/**']);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InitramfsError);
    expect((err as InitramfsError).code).toBe('USAGE');
    expect((err as InitramfsError).message).toContain("'usr/**'");
    expect((err as InitramfsError).message).toContain('absolute');
    expect(paths(root)).toEqual(['/usr', '/usr/x']);
  });

  it('a negated glob is a USAGE error', () => {
    expect(() => applyExcludes(tree('a'), ['!/a'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
