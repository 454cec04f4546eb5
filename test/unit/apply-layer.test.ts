// applyLayer against OCI image-spec layer.md, one test per rule, layers built in code as entry lists.
import { describe, expect, it } from 'vitest';
import { modelPaths } from '../helpers/model.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { CollectingReporter } from '../../src/log.ts';
import { applyLayer } from '../../src/rootfs/apply-layer.ts';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { lookup } from '../../src/rootfs/tree.ts';

const LAYER = 'sha256:' + 'ab'.repeat(32);

const bytes = (s: string): LayerEntry['data'] => ({ kind: 'bytes', bytes: Buffer.from(s) });
const base = { mode: 0o644, uid: 0, gid: 0, mtime: 1000, size: 0 };
const file = (name: string, content = name, extra: Partial<LayerEntry> = {}): LayerEntry => ({
  ...base, name, type: 'file', size: content.length, data: bytes(content), ...extra,
});
const dir = (name: string, extra: Partial<LayerEntry> = {}): LayerEntry => ({ ...base, mode: 0o755, name, type: 'dir', ...extra });
const symlink = (name: string, linkname: string): LayerEntry => ({ ...base, mode: 0o777, name, type: 'symlink', linkname });
const hardlink = (name: string, linkname: string): LayerEntry => ({ ...base, name, type: 'hardlink', linkname });
const marker = (name: string): LayerEntry => ({ ...base, name, type: 'file' });

/** Apply layers oldest first; returns the tree and the warnings. */
function build(...layers: LayerEntry[][]): { root: Node; warnings: string[] } {
  const root = newDir();
  const reporter = new CollectingReporter();
  for (const entries of layers) applyLayer(root, entries, { layer: LAYER, reporter });
  return { root, warnings: reporter.warnings };
}

const paths = modelPaths;

const content = (root: Node, path: string): string | undefined => {
  const data = lookup(root, path, { follow: false })?.inode.data;
  return data?.kind === 'bytes' ? Buffer.from(data.bytes).toString() : undefined;
};

describe('whiteouts', () => {
  it('.wh.NAME deletes NAME and its subtree', () => {
    const { root } = build([dir('a'), file('a/b/c'), file('keep')], [marker('.wh.a')]);
    expect(paths(root)).toEqual(['/keep']);
  });

  it('an opaque marker empties its directory of lower-layer content and keeps the directory', () => {
    const { root } = build([dir('d', { mode: 0o700 }), file('d/x'), dir('d/sub'), file('d/sub/y')], [marker('d/.wh..wh..opq')]);
    expect(paths(root)).toEqual(['/d']);
    expect(lookup(root, '/d', { follow: false })?.inode.mode).toBe(0o700);
  });

  it('the opaque marker is recognised before the generic .wh. prefix', () => {
    // Read as a generic whiteout, the marker would only delete a name ".wh..opq" and leave d/x alone.
    const { root } = build([file('d/x'), file('d/.wh..opq')], [marker('d/.wh..wh..opq')]);
    expect(paths(root)).toEqual(['/d']);
  });

  it('other .wh..wh. names are ignored and never appear in the output', () => {
    const { root, warnings } = build([file('d/x')], [marker('d/.wh..wh.plnk'), marker('d/.wh..wh.aufs')]);
    expect(paths(root)).toEqual(['/d', '/d/x']);
    expect(warnings).toEqual([]);
  });

  it('whiteout entries themselves never appear', () => {
    const { root } = build([marker('.wh.nothing'), dir('d'), marker('d/.wh..wh..opq'), marker('d/.wh.gone')]);
    expect(paths(root)).toEqual(['/d']);
  });

  it('a whiteout hides only lower layers: one listed after a new entry of the same layer does not delete it', () => {
    const { root } = build([file('f', 'old'), file('d/lower')], [file('f', 'new'), marker('.wh.f'), file('d/upper'), marker('d/.wh..wh..opq')]);
    expect(content(root, '/f')).toBe('new');
    expect(paths(root)).toEqual(['/d', '/d/upper', '/f']);
  });

  it('a whiteout listed before a new entry of the same name deletes the lower one only', () => {
    const { root } = build([dir('a'), file('a/old')], [marker('.wh.a'), dir('a'), file('a/new')]);
    expect(paths(root)).toEqual(['/a', '/a/new']);
  });

  it('a directory deleted in one layer and re-added later has only the new content', () => {
    const { root } = build([dir('etc'), file('etc/a'), file('etc/b')], [marker('.wh.etc')], [dir('etc'), file('etc/c')]);
    expect(paths(root)).toEqual(['/etc', '/etc/c']);
  });

  it('a whiteout of something no lower layer has is not an error', () => {
    const { root, warnings } = build([marker('.wh.ghost'), marker('no/such/dir/.wh.x'), marker('none/.wh..wh..opq')]);
    expect(paths(root)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('whiteouts whose path has ".." are dropped with a warning', () => {
    const { root, warnings } = build([file('a/x'), file('y')], [marker('a/../.wh.y'), marker('a/.wh...')]);
    expect(paths(root)).toEqual(['/a', '/a/x', '/y']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(LAYER);
    expect(warnings[0]).toContain("'a/../.wh.y'");
  });
});

describe('types and metadata', () => {
  it('a type change replaces the old entry: file → dir → symlink → device → file', () => {
    let r = build([file('x')], [dir('x'), file('x/in')]);
    expect(lookup(r.root, '/x', { follow: false })?.inode.type).toBe('dir');
    r = build([dir('x'), file('x/in')], [symlink('x', '/elsewhere')]);
    expect(paths(r.root)).toEqual(['/x']);
    expect(lookup(r.root, '/x', { follow: false })?.inode).toMatchObject({ type: 'symlink', target: '/elsewhere' });
    r = build([symlink('x', 't')], [{ ...base, name: 'x', type: 'block', devMajor: 8, devMinor: 1 }]);
    expect(lookup(r.root, '/x', { follow: false })?.inode).toMatchObject({ type: 'block', devMajor: 8, devMinor: 1 });
    r = build([{ ...base, name: 'x', type: 'fifo' }], [file('x', 'f')]);
    expect(lookup(r.root, '/x', { follow: false })?.inode.type).toBe('file');
    expect(content(r.root, '/x')).toBe('f');
  });

  it('a directory over an existing directory merges: metadata updated, children kept', () => {
    const { root } = build([dir('d', { mode: 0o755, uid: 1, mtime: 5 }), file('d/keep')], [dir('d', { mode: 0o1777, uid: 2, gid: 3, mtime: 9 })]);
    expect(paths(root)).toEqual(['/d', '/d/keep']);
    expect(lookup(root, '/d', { follow: false })?.inode).toMatchObject({ mode: 0o1777, uid: 2, gid: 3, mtime: 9 });
  });

  it('missing parent directories are created 0755, owned by root, mtime 0', () => {
    const { root } = build([file('usr/lib/deep/f', 'x', { uid: 7 })]);
    expect(paths(root)).toEqual(['/usr', '/usr/lib', '/usr/lib/deep', '/usr/lib/deep/f']);
    for (const p of ['/usr', '/usr/lib', '/usr/lib/deep']) {
      expect(lookup(root, p, { follow: false })?.inode).toMatchObject({ type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 0 });
    }
  });

  it('owners, setuid/setgid/sticky modes, devices and fifos come from the entry', () => {
    const { root } = build([
      file('bin/su', 'su', { mode: 0o4755, uid: 0, gid: 0 }),
      file('bin/wall', 'w', { mode: 0o2755, gid: 5 }),
      dir('tmp', { mode: 0o1777, mtime: 42 }),
      file('home/u/f', 'u', { uid: 1000, gid: 1000, mode: 0o600 }),
      { ...base, name: 'dev/null', type: 'char', mode: 0o666, devMajor: 1, devMinor: 3 },
      { ...base, name: 'dev/sda', type: 'block', mode: 0o660, gid: 6, devMajor: 8, devMinor: 0 },
      { ...base, name: 'run/fifo', type: 'fifo', mode: 0o620 },
    ]);
    const inode = (p: string) => lookup(root, p, { follow: false })?.inode;
    expect(inode('/bin/su')).toMatchObject({ type: 'file', mode: 0o4755, size: 2 });
    expect(inode('/bin/wall')).toMatchObject({ mode: 0o2755, gid: 5 });
    expect(inode('/tmp')).toMatchObject({ type: 'dir', mode: 0o1777, mtime: 42 });
    expect(inode('/home/u/f')).toMatchObject({ uid: 1000, gid: 1000, mode: 0o600 });
    expect(inode('/dev/null')).toMatchObject({ type: 'char', mode: 0o666, devMajor: 1, devMinor: 3 });
    expect(inode('/dev/sda')).toMatchObject({ type: 'block', gid: 6, devMajor: 8, devMinor: 0 });
    expect(inode('/run/fifo')).toMatchObject({ type: 'fifo', mode: 0o620 });
  });

  it('symlinks keep their target verbatim, absolute and dangling ones included', () => {
    const { root } = build([symlink('abs', '/usr/bin/../lib//x'), symlink('rel', '../../..'), symlink('dangling', 'nowhere')]);
    expect(lookup(root, '/abs', { follow: false })?.inode.target).toBe('/usr/bin/../lib//x');
    expect(lookup(root, '/rel', { follow: false })?.inode.target).toBe('../../..');
    expect(lookup(root, '/dangling', { follow: false })?.inode.target).toBe('nowhere');
  });

  it('names are byte strings: non-UTF-8 names survive unchanged', () => {
    const name = 'caf\xe9/\xff\xfe';
    const { root } = build([file(name)]);
    expect(lookup(root, name, { follow: false })?.inode.type).toBe('file');
  });
});

describe('hardlinks', () => {
  it('a hardlink shares the target inode object', () => {
    const { root } = build([file('bin/busybox', 'bb', { mode: 0o755 }), hardlink('bin/sh', 'bin/busybox'), hardlink('bin/ls', '/bin/busybox')]);
    const bb = lookup(root, '/bin/busybox', { follow: false })!;
    expect(lookup(root, '/bin/sh', { follow: false })!.inode).toBe(bb.inode);
    expect(lookup(root, '/bin/ls', { follow: false })!.inode).toBe(bb.inode);
  });

  it('a hardlink whose other name is later deleted keeps its content', () => {
    const { root } = build([file('a', 'data'), hardlink('b', 'a')], [marker('.wh.a')]);
    expect(paths(root)).toEqual(['/b']);
    expect(content(root, '/b')).toBe('data');
  });

  it('a hardlink whose other name is later overwritten keeps its content', () => {
    const { root } = build([file('a', 'old'), hardlink('b', 'a')], [file('a', 'new', { mode: 0o600 })]);
    expect(content(root, '/a')).toBe('new');
    expect(content(root, '/b')).toBe('old');
    expect(lookup(root, '/b', { follow: false })!.inode.mode).toBe(0o644);
  });

  it('a hardlink to a missing name is dropped with a warning naming layer and entry', () => {
    const { root, warnings } = build([hardlink('b', 'missing')]);
    expect(paths(root)).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(LAYER);
    expect(warnings[0]).toContain("'b'");
    expect(warnings[0]).toContain('/missing');
  });

  it('a hardlink to a directory is dropped with a warning', () => {
    const { root, warnings } = build([dir('d'), hardlink('x/l', 'd')]);
    expect(paths(root)).toEqual(['/d']);
    expect(warnings[0]).toMatch(/'x\/l'.*directory/);
  });

  it('hardlink targets are normalised: leading "/" stripped, ".." dropped, parent symlinks resolved inside the root', () => {
    const { root, warnings } = build([
      file('usr/bin/real', 'r'),
      symlink('bin', '/usr/bin'),
      hardlink('l1', '///./bin/real'),
      hardlink('l2', 'usr/../usr/bin/real'),
    ]);
    expect(lookup(root, '/l1', { follow: false })!.inode).toBe(lookup(root, '/usr/bin/real', { follow: false })!.inode);
    expect(lookup(root, '/l2', { follow: false })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('".."');
  });

  it('a hardlink to a symlink links the symlink itself, not its target', () => {
    const { root } = build([file('t'), symlink('s', 't'), hardlink('h', 's')]);
    expect(lookup(root, '/h', { follow: false })!.inode.type).toBe('symlink');
  });
});

describe('paths and hostile entries', () => {
  it('names are normalised: leading "/" and "./", repeated slashes, "." components and trailing "/" removed', () => {
    const { root } = build([dir('./etc/'), file('/etc//./a'), file('.//etc/b/'), file('etc/./c')]);
    expect(paths(root)).toEqual(['/etc', '/etc/a', '/etc/b', '/etc/c']);
  });

  it('an empty name or "." is the root: a root dir entry updates the root metadata', () => {
    const { root } = build([file('x'), dir('./', { mode: 0o700, uid: 3, mtime: 77 })]);
    expect(root.inode).toMatchObject({ type: 'dir', mode: 0o700, uid: 3, mtime: 77 });
    expect(paths(root)).toEqual(['/x']);
    const r2 = build([dir('', { mode: 0o711 }), file('.', 'not a dir')]);
    expect(r2.root.inode.mode).toBe(0o711);
    expect(r2.root.inode.type).toBe('dir');
    expect(r2.warnings).toHaveLength(1);
  });

  it('a name with a ".." component is dropped with a warning naming the layer and the entry', () => {
    const { root, warnings } = build([file('../../etc/passwd'), file('a/../../b'), file('ok/..')]);
    expect(paths(root)).toEqual([]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain(LAYER);
    expect(warnings[0]).toContain("'../../etc/passwd'");
  });

  it('absolute names are confined to the root', () => {
    const { root } = build([file('/etc/passwd', 'root:x:0:0')]);
    expect(content(root, '/etc/passwd')).toBe('root:x:0:0');
  });

  it('a parent symlink with an absolute target is resolved inside the root: evil -> /etc + evil/passwd writes /etc/passwd', () => {
    const { root } = build([dir('etc'), symlink('evil', '/etc')], [file('evil/passwd', 'pwned')]);
    expect(content(root, '/etc/passwd')).toBe('pwned');
    expect(lookup(root, '/evil', { follow: false })?.inode.type).toBe('symlink');
  });

  it('".." in a parent symlink stops at the root: up -> ../../../.. + up/x writes /x', () => {
    const { root } = build([dir('a/b'), symlink('a/b/up', '../../../..'), file('a/b/up/x', 'x')]);
    expect(content(root, '/x')).toBe('x');
    expect(paths(root)).toEqual(['/a', '/a/b', '/a/b/up', '/x']);
  });

  it('a relative parent symlink resolves from its own directory, with missing target dirs created', () => {
    const { root } = build([symlink('lib', 'usr/lib'), file('lib/libc.so', 'c')]);
    expect(content(root, '/usr/lib/libc.so')).toBe('c');
  });

  it('a symlink loop beyond 40 hops drops the entry with "too many levels of symbolic links"', () => {
    const { root, warnings } = build([symlink('a', 'b'), symlink('b', 'a'), file('a/x')]);
    expect(paths(root)).toEqual(['/a', '/b']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('too many levels of symbolic links');
  });

  it('a chain of exactly 40 symlinks still resolves', () => {
    const chain: LayerEntry[] = [dir('target')];
    for (let i = 0; i < 40; i++) chain.push(symlink(`l${i}`, i === 39 ? 'target' : `l${i + 1}`));
    const { root, warnings } = build(chain, [file('l0/f', 'end')]);
    expect(warnings).toEqual([]);
    expect(content(root, '/target/f')).toBe('end');
  });

  it('the final component is never followed: an entry replaces a symlink at its own name', () => {
    const { root } = build([file('etc/shadow', 'secret'), symlink('link', '/etc/shadow')], [file('link', 'replaced')]);
    expect(content(root, '/etc/shadow')).toBe('secret');
    expect(content(root, '/link')).toBe('replaced');
  });

  it('a parent component that is a file or device drops the entry with a warning', () => {
    const { root, warnings } = build([file('f'), { ...base, name: 'dev', type: 'char', devMajor: 1, devMinor: 3 }], [file('f/x'), file('dev/y/z')]);
    expect(paths(root)).toEqual(['/dev', '/f']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('not a directory');
  });

  it('a dropped entry leaves no directories behind', () => {
    const { root } = build([file('etc/passwd'), symlink('l', '/made/../etc/passwd')], [file('l/x')]);
    expect(paths(root)).toEqual(['/etc', '/etc/passwd', '/l']);
  });
});

describe('extended attributes', () => {
  it('one warning per layer names the attributes newc cannot hold and a few of the entries', () => {
    const entries = ['a', 'b', 'c', 'd'].map((n) => file(`bin/${n}`, n, { xattrs: ['security.capability'] }));
    entries.push(file('etc/x', 'x', { xattrs: ['security.selinux', 'user.note'] }));
    const { root, warnings } = build([dir('bin'), dir('etc'), ...entries, file('plain')]);
    expect(warnings).toEqual([
      `layer ${LAYER}: 5 entries carry extended attributes (security.capability, security.selinux, user.note) that a newc archive cannot hold; ` +
        "they are left out: 'bin/a' (security.capability), 'bin/b' (security.capability), 'bin/c' (security.capability) and 2 more",
    ]);
    // The files themselves are kept.
    expect(content(root, '/bin/d')).toBe('d');
  });

  it('a layer without extended attributes gives no such warning', () => {
    expect(build([file('a'), dir('d')]).warnings).toEqual([]);
  });
});
