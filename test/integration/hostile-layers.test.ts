// Hostile layers, each case by name: nothing an image says may make the tool read or write outside its
// cache and output. Every case points at a canary path on the host; after the build the canary must be
// untouched, and the archive must hold exactly what the documented policy says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { listTree, scratchDir, removeScratchDirs, type Tree } from '../helpers/tree.ts';
import { extractCpio } from '../helpers/cpio.ts';
import { runCli } from '../helpers/cli.ts';

let work: string;
let host: string; // a host directory the image tries to reach
let tree: Tree;
let stderr: string;
let cacheDir: string;

beforeAll(async () => {
  work = await scratchDir();
  host = await scratchDir('hostile-canary-');
  writeFileSync(join(host, 'secret'), 'host secret');
  const up = '../'.repeat(20);
  const hostRel = host.slice(1); // "tmp/hostile-canary-…" — what "/" + this means on the host
  const layers: TestEntry[][] = [
    [
      { name: 'etc', type: 'dir' },
      { name: 'etc/passwd', content: 'image passwd' },
      { name: 'victim', content: 'lower victim' },
      { name: 'evil', type: 'symlink', linkname: '/etc' },
      { name: 'up', type: 'symlink', linkname: up.slice(0, -1) },
      { name: 'hostdir', type: 'symlink', linkname: host },
      { name: 'loop1', type: 'symlink', linkname: 'loop2' },
      { name: 'loop2', type: 'symlink', linkname: 'loop1' },
      { name: 'plain', content: 'a file' },
    ],
    [
      // names that climb out of the root
      { name: `${up}${hostRel}/dotdot-write`, content: 'escaped?' },
      { name: 'a/../../dotdot-inner', content: 'escaped?' },
      // absolute names are confined
      { name: `/${hostRel}/absolute-write`, content: 'confined' },
      // writes through symlinks resolve inside the root
      { name: 'evil/passwd', content: 'through evil' },
      { name: 'up/through-up', content: 'through up' },
      { name: 'hostdir/through-hostdir', content: 'through hostdir' },
      { name: 'loop1/x', content: 'loop' },
      { name: 'plain/child', content: 'under a file' },
      // hardlinks pointing out of the root, or at host files
      { name: 'link-dotdot', type: 'hardlink', linkname: `${up}${hostRel}/secret` },
      { name: 'link-absolute', type: 'hardlink', linkname: `${host}/secret` },
      { name: 'link-through-symlink', type: 'hardlink', linkname: 'hostdir/secret' },
      // whiteouts pointing out of the root
      { name: `${up}${hostRel}/.wh.secret`, content: '' },
      { name: `hostdir/.wh.secret`, content: '' },
    ],
  ];
  const layout = join(work, 'layout');
  writeOciLayout(layout, [{ ref: 'v1', image: { layers: layers.map((entries) => ({ entries })) } }]);
  const init = join(work, 'init');
  writeFileSync(init, '#!/bin/sh\n');
  const out = join(work, 'out.cpio');
  cacheDir = join(work, 'cache');
  const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--init', init, '--cache-dir', cacheDir], { cwd: work });
  expect(r.code, r.stderr).toBe(0);
  stderr = r.stderr;
  tree = await listTree(await extractCpio(out));
});
afterAll(removeScratchDirs);

const hostPath = (p: string): string => host.slice(1) + '/' + p;

describe('nothing outside the tool tree is read or written', () => {
  it('the host directory the image aims at is untouched', () => {
    expect(readdirSync(host)).toEqual(['secret']);
    expect(readFileSync(join(host, 'secret'), 'utf8')).toBe('host secret');
  });
  it('the cache holds no leftovers after the build', () => {
    expect(existsSync(cacheDir) ? readdirSync(join(cacheDir, 'tmp')) : []).toEqual([]);
  });
  it('no host file content reaches the archive', () => {
    for (const [, e] of tree) if (e.type === 'file') expect(e.size).not.toBe('host secret'.length);
  });
});

describe('the documented policy, case by case', () => {
  it('a name climbing out with ".." is dropped with a warning naming it', () => {
    expect([...tree.keys()].some((p) => p.includes('dotdot-write') || p.includes('dotdot-inner'))).toBe(false);
    expect(stderr).toMatch(/warning: .*dotdot-write/);
    expect(stderr).toMatch(/warning: .*dotdot-inner/);
  });
  it('an absolute name is confined to the root', () => {
    expect(tree.get('/' + hostPath('absolute-write'))?.type).toBe('file');
  });
  it('a write through an absolute symlink lands inside the root', () => {
    expect(tree.get('/etc/passwd')?.size).toBe('through evil'.length);
    expect(tree.get('/evil')).toMatchObject({ type: 'symlink', target: '/etc' });
  });
  it('a write through a ".." symlink stops at the root', () => {
    expect(tree.get('/through-up')?.type).toBe('file');
  });
  it('a write through a symlink to a host path stays in the image', () => {
    expect(tree.get('/' + hostPath('through-hostdir'))?.type).toBe('file');
  });
  it('a symlink loop drops the entry with a warning', () => {
    expect(stderr).toMatch(/warning: .*loop1\/x.*symbolic links/);
  });
  it('an entry under a regular file is dropped with a warning', () => {
    expect(tree.get('/plain')?.type).toBe('file');
    expect(stderr).toMatch(/warning: .*plain\/child/);
  });
  it('hardlinks to ".." targets are dropped; absolute and symlinked targets resolve inside the image, where they are missing', () => {
    for (const name of ['/link-dotdot', '/link-absolute', '/link-through-symlink']) expect(tree.has(name)).toBe(false);
    expect(stderr).toMatch(/warning: .*link-dotdot/);
    expect(stderr).toMatch(/warning: .*link-absolute/);
    expect(stderr).toMatch(/warning: .*link-through-symlink/);
  });
  it('whiteouts pointing out of the root are dropped and delete nothing', () => {
    expect(stderr).toMatch(/warning: .*\.wh\.secret/);
    expect(tree.get('/victim')?.type).toBe('file');
  });
});
