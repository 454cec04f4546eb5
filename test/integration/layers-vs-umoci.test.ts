// Every layer rule of the OCI image spec, checked end to end: an image built in code is turned into an
// archive by the tool (gzip, several members), the archive is extracted by bsdtar, and the result is compared — type, mode, owner,
// size, content hash, link target, nlink, device numbers — with `umoci unpack` of the same image, an
// independent flattener. The cases where the spec and umoci part ways are pinned against the spec itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { listTree, diffTrees, scratchDir, removeScratchDirs, type Tree } from '../helpers/tree.ts';
import { umociFlatten } from '../helpers/umoci.ts';
import { extractCpio, readInitramfs } from '../helpers/cpio.ts';
import { runCli } from '../helpers/cli.ts';

/** What the tool adds on purpose and umoci does not: the boot entries and the /init we pass. */
const ADDED_BY_TOOL = ['/init', '/dev/console', '/dev/null', '/dev/tty', '/proc', '/sys'];

const f = (name: string, content: string, extra: Partial<TestEntry> = {}): TestEntry => ({ name, content, ...extra });
const d = (name: string, extra: Partial<TestEntry> = {}): TestEntry => ({ name, type: 'dir', ...extra });

const layer1: TestEntry[] = [
  d('etc'),
  f('etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n'),
  d('usr'),
  d('usr/bin'),
  f('usr/bin/tool', '#!/bin/sh\necho tool\n', { mode: 0o755 }),
  { name: 'usr/bin/tool-link', type: 'hardlink', linkname: 'usr/bin/tool' },
  f('usr/bin/su', 'setuid', { mode: 0o4755 }),
  d('var'),
  d('var/mail', { mode: 0o2775, gid: 8 }),
  d('tmp', { mode: 0o1777 }),
  d('home'),
  d('home/user', { uid: 1000, gid: 1000, mode: 0o700 }),
  f('home/user/notes', 'mine', { uid: 1000, gid: 1000, mode: 0o600 }),
  d('dev'),
  { name: 'dev/sda', type: 'block', devmajor: 8, devminor: 0, mode: 0o660, gid: 6 },
  { name: 'dev/tty0', type: 'char', devmajor: 4, devminor: 0, mode: 0o620, gid: 5 },
  d('run'),
  { name: 'run/initctl', type: 'fifo', mode: 0o600 },
  { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
  { name: 'etc/localtime', type: 'symlink', linkname: '/usr/share/zoneinfo/UTC' },
  // to be deleted by a whiteout
  d('a'),
  f('a/del', 'gone'),
  f('a/keep', 'kept'),
  // to be made opaque
  d('o'),
  f('o/old1', 'old'),
  d('o/sub'),
  f('o/sub/old2', 'old'),
  // deleted in layer 2, re-added in layer 3
  d('re'),
  f('re/old', 'old'),
  // type changes
  f('t1', 'file becomes dir'),
  d('t2'),
  f('t2/child', 'dir becomes file'),
  { name: 't3', type: 'symlink', linkname: 'etc' },
  d('t4'),
  // hardlink pairs whose first name is overwritten / deleted later
  f('h1', 'original h'),
  { name: 'h2', type: 'hardlink', linkname: 'h1' },
  f('k1', 'original k'),
  { name: 'k2', type: 'hardlink', linkname: 'k1' },
  // a three-name group that survives whole
  f('g/one', 'group', { mode: 0o640 }),
  { name: 'g/two', type: 'hardlink', linkname: 'g/one' },
  { name: 'g/three', type: 'hardlink', linkname: 'g/one' },
];

const layer2: TestEntry[] = [
  f('a/.wh.del', ''),
  f('o/.wh..wh..opq', ''),
  f('o/new', 'new'),
  f('.wh.re', ''),
  d('t1'),
  f('t1/x', 'inside'),
  f('t2', 'now a file'),
  f('t3', 'no longer a link'),
  { name: 't4', type: 'symlink', linkname: '/etc' },
  f('h1', 'replaced h1'),
  f('.wh.k1', ''),
  // written through the `bin -> usr/bin` symlink of layer 1
  f('bin/via-link', 'through the symlink', { mode: 0o755 }),
  // metadata change of an existing directory keeps its children
  d('etc', { mode: 0o750 }),
];

const layer3: TestEntry[] = [d('re'), f('re/new', 'only this')];

/** 20 MiB that does not compress, so the archive is cut into several gzip members (segments of 4 to 16 MiB). */
const filler: TestEntry[] = [
  d('filler'),
  ...Array.from({ length: 10 }, (_, i): TestEntry => ({ name: `filler/blob${i}`, content: randomBytes(2 << 20) })),
];

let work: string;
let ours: Tree;
let theirs: Tree;

beforeAll(async () => {
  work = await scratchDir();
  const layout = join(work, 'layout');
  writeOciLayout(layout, [
    { ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries: layer1 }, { entries: layer2 }, { entries: layer3 }, { entries: filler }] } },
  ]);
  const init = join(work, 'init');
  writeFileSync(init, '#!/bin/sh\n');
  const out = join(work, 'out.cpio.gz');
  const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--init', init, '--cache-dir', join(work, 'cache')]);
  expect(r.stderr).not.toMatch(/warning/);
  expect(r.code, r.stderr).toBe(0);
  // bsdtar reads the whole file, every member, as a user would.
  expect((await readInitramfs(out)).length).toBeGreaterThan(1);
  ours = await listTree(await extractCpio(out));
  theirs = await listTree(await umociFlatten(layout, 'v1'));
});

afterAll(removeScratchDirs);

describe('the flattened image equals umoci unpack of the same image', () => {
  it('has the same names with the same type, mode, owner, size, content, target, nlink and device numbers', () => {
    // The root directory's own metadata is the extractor's, not the image's.
    expect(diffTrees(ours, theirs, { ignore: ADDED_BY_TOOL, ignoreFields: ['mtime'] }).filter((l) => !l.startsWith('"/":'))).toEqual([]);
  });
});

describe('layer rules, each pinned on the extracted archive', () => {
  it('a .wh. whiteout deletes the lower-layer name and nothing else', () => {
    expect(ours.has('/a/del')).toBe(false);
    expect(ours.get('/a/keep')?.type).toBe('file');
  });
  it('an opaque directory keeps only the new layer content', () => {
    expect([...ours.keys()].filter((p) => p.startsWith('/o/'))).toEqual(['/o/new']);
  });
  it('whiteout files never appear in the output', () => {
    expect([...ours.keys()].filter((p) => p.includes('.wh.'))).toEqual([]);
  });
  it('a directory deleted and re-added later has only the new content', () => {
    expect([...ours.keys()].filter((p) => p.startsWith('/re/'))).toEqual(['/re/new']);
  });
  it('type changes replace the old entry', () => {
    expect(ours.get('/t1')?.type).toBe('dir');
    expect(ours.get('/t1/x')?.type).toBe('file');
    expect(ours.get('/t2')?.type).toBe('file');
    expect(ours.has('/t2/child')).toBe(false);
    expect(ours.get('/t3')?.type).toBe('file');
    expect(ours.get('/t4')).toMatchObject({ type: 'symlink', target: '/etc' });
  });
  it('a hardlink whose other name is overwritten or deleted keeps the content it had', () => {
    expect(ours.get('/h2')).toMatchObject({ type: 'file', nlink: 1 });
    expect(ours.get('/h2')?.sha256).toBe(theirs.get('/h2')?.sha256);
    expect(ours.get('/h1')?.sha256).not.toBe(ours.get('/h2')?.sha256);
    expect(ours.has('/k1')).toBe(false);
    expect(ours.get('/k2')).toMatchObject({ type: 'file', nlink: 1, size: 'original k'.length });
  });
  it('hardlinks are true hardlinks with nlink counted', () => {
    for (const p of ['/g/one', '/g/two', '/g/three']) expect(ours.get(p)).toMatchObject({ nlink: 3, hardlinkGroup: '/g/one', mode: 0o640 });
    expect(ours.get('/usr/bin/tool-link')).toMatchObject({ nlink: 2, hardlinkGroup: '/usr/bin/tool' });
  });
  it('symlinks keep their target verbatim, absolute targets included', () => {
    expect(ours.get('/etc/localtime')).toMatchObject({ type: 'symlink', target: '/usr/share/zoneinfo/UTC' });
    expect(ours.get('/bin')).toMatchObject({ type: 'symlink', target: 'usr/bin' });
  });
  it('a write through a parent symlink lands where the symlink points inside the root', () => {
    expect(ours.get('/usr/bin/via-link')).toMatchObject({ type: 'file', mode: 0o755 });
  });
  it('owners, setuid/setgid/sticky modes, devices and fifos come from the layers', () => {
    expect(ours.get('/usr/bin/su')).toMatchObject({ mode: 0o4755, uid: 0 });
    expect(ours.get('/var/mail')).toMatchObject({ mode: 0o2775, gid: 8 });
    expect(ours.get('/tmp')).toMatchObject({ mode: 0o1777 });
    expect(ours.get('/home/user/notes')).toMatchObject({ uid: 1000, gid: 1000, mode: 0o600 });
    expect(ours.get('/dev/sda')).toMatchObject({ type: 'block', rdevMajor: 8, rdevMinor: 0, gid: 6, mode: 0o660 });
    expect(ours.get('/dev/tty0')).toMatchObject({ type: 'char', rdevMajor: 4, rdevMinor: 0 });
    expect(ours.get('/run/initctl')).toMatchObject({ type: 'fifo', mode: 0o600 });
    expect(ours.get('/etc')).toMatchObject({ type: 'dir', mode: 0o750 });
    expect(ours.get('/etc/passwd')?.type).toBe('file');
  });
  it('the boot entries are always there', () => {
    expect(ours.get('/dev/console')).toMatchObject({ type: 'char', rdevMajor: 5, rdevMinor: 1 });
    expect(ours.get('/dev/null')).toMatchObject({ type: 'char', rdevMajor: 1, rdevMinor: 3 });
    expect(ours.get('/proc')?.type).toBe('dir');
    expect(ours.get('/sys')?.type).toBe('dir');
    expect(ours.get('/init')).toMatchObject({ type: 'file', mode: 0o755 });
  });
});

describe('where the spec and umoci differ, the spec wins', () => {
  it('a whiteout listed after a new entry of the same layer does not delete that entry', async () => {
    const dir = await scratchDir();
    const layout = join(dir, 'layout');
    writeOciLayout(layout, [
      {
        ref: 'v1',
        image: {
          layers: [
            { entries: [d('n'), f('n/lower', 'lower'), f('m', 'lower m')] },
            { entries: [d('n'), f('n/upper', 'upper'), f('.wh.n', ''), f('m', 'upper m'), f('.wh.m', '')] },
          ],
        },
      },
    ]);
    const init = join(dir, 'init');
    writeFileSync(init, '#!/bin/sh\n');
    const out = join(dir, 'out.cpio');
    const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--init', init, '--cache-dir', join(dir, 'cache')]);
    expect(r.code, r.stderr).toBe(0);
    const tree = await listTree(await extractCpio(out));
    expect([...tree.keys()].filter((p) => p.startsWith('/n'))).toEqual(['/n', '/n/upper']);
    expect(tree.get('/m')).toMatchObject({ type: 'file', size: 'upper m'.length });
  });
});
