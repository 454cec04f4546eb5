// overlay.ts: injected host files and directories, /init, boot entries, and the lookup helpers they use,
// all in the model. Host sources are scratch directories made here.
import { mkdir, symlink, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { CollectingReporter } from '../../src/log.ts';
import { applyLayer } from '../../src/rootfs/apply-layer.ts';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { ensureBootEntries, guestLinkTarget, injectPath, parseInjectSpec, setGeneratedFile, setInit } from '../../src/rootfs/overlay.ts';
import { hasFile, lookup } from '../../src/rootfs/tree.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);

const base = { mode: 0o755, uid: 0, gid: 0, mtime: 1000, size: 0 };
function image(...entries: LayerEntry[]): Node {
  const root = newDir();
  applyLayer(root, entries, { layer: 'sha256:test', reporter: new CollectingReporter() });
  return root;
}
const dirE = (name: string, mode = 0o755): LayerEntry => ({ ...base, name, type: 'dir', mode });
const fileE = (name: string): LayerEntry => ({ ...base, name, type: 'file' });
const linkE = (name: string, linkname: string): LayerEntry => ({ ...base, name, type: 'symlink', linkname });

const at = (root: Node, path: string) => lookup(root, path, { follow: false })?.inode;

async function expectError(p: Promise<unknown> | (() => unknown), code: string, ...parts: string[]): Promise<void> {
  let err: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InitramfsError);
  expect((err as InitramfsError).code).toBe(code);
  for (const part of parts) expect((err as InitramfsError).message).toContain(part);
}

describe('parseInjectSpec', () => {
  it('parses SRC:DEST and SRC:DEST:MODE with octal modes', () => {
    expect(parseInjectSpec('./agent:/usr/bin/agent')).toEqual({ source: './agent', dest: '/usr/bin/agent' });
    expect(parseInjectSpec('a:/b:0644')).toEqual({ source: 'a', dest: '/b', mode: 0o644 });
    expect(parseInjectSpec('a:/b:644')).toEqual({ source: 'a', dest: '/b', mode: 0o644 });
    expect(parseInjectSpec('a:/b:4755')).toEqual({ source: 'a', dest: '/b', mode: 0o4755 });
  });

  it('lets SRC contain ":" because DEST starts at the last ":/"', () => {
    expect(parseInjectSpec('dir:with:colons/f:/opt/f:0600')).toEqual({ source: 'dir:with:colons/f', dest: '/opt/f', mode: 0o600 });
    expect(parseInjectSpec('C:/x:/opt/x')).toEqual({ source: 'C:/x', dest: '/opt/x' });
  });

  it('splits where DEST begins, so a Windows runner path works as SRC', () => {
    expect(parseInjectSpec('C:\\agent.exe:/usr/bin/agent')).toEqual({ source: 'C:\\agent.exe', dest: '/usr/bin/agent' });
    expect(parseInjectSpec('D:\\a\\tools\\agent.exe:/usr/bin/agent:0700')).toEqual({ source: 'D:\\a\\tools\\agent.exe', dest: '/usr/bin/agent', mode: 0o700 });
    expect(parseInjectSpec('C:/tools/agent:/usr/bin/agent')).toEqual({ source: 'C:/tools/agent', dest: '/usr/bin/agent' });
  });

  it('reads Windows runner paths as SRC on Windows: drive, spaces, UNC share, forward slashes, with and without MODE', () => {
    const win = (spec: string) => parseInjectSpec(spec, 'win32');
    expect(win('C:\\agent.exe:/usr/bin/agent')).toEqual({ source: 'C:\\agent.exe', dest: '/usr/bin/agent' });
    expect(win('C:\\dir with space\\x:/opt/x:0644')).toEqual({ source: 'C:\\dir with space\\x', dest: '/opt/x', mode: 0o644 });
    expect(win('\\\\server\\share\\f:/f')).toEqual({ source: '\\\\server\\share\\f', dest: '/f' });
    expect(win('C:/x:/y')).toEqual({ source: 'C:/x', dest: '/y' });
    expect(win('dist\\agent:/usr/bin/agent:0700')).toEqual({ source: 'dist\\agent', dest: '/usr/bin/agent', mode: 0o700 });
  });

  it('on Windows never takes the colon of a drive for the one before DEST: C:/agent alone has no DEST', async () => {
    await expectError(() => parseInjectSpec('C:/agent', 'win32'), 'USAGE', "Invalid inject 'C:/agent'", 'no absolute DEST', 'drive C:', 'SRC:DEST[:MODE]');
    await expectError(() => parseInjectSpec('c:/agent:0755', 'win32'), 'USAGE', 'no absolute DEST');
    // On Linux `C` is a file name like any other, and the same spec is SRC `C`, DEST `/agent`.
    expect(parseInjectSpec('C:/agent', 'linux')).toEqual({ source: 'C', dest: '/agent' });
  });

  it('is strict about MODE: anything after DEST that is not octal is an error, never part of the name', async () => {
    await expectError(() => parseInjectSpec('./agent:/usr/bin/agent:rwx'), 'USAGE', "Invalid inject './agent:/usr/bin/agent:rwx'", "MODE 'rwx' is not an octal mode", 'SRC:DEST[:MODE]');
    await expectError(() => parseInjectSpec('./agent:/usr/bin/agent:'), 'USAGE', "MODE '' is not an octal mode");
    await expectError(() => parseInjectSpec('a:/etc/x:y:0644'), 'USAGE', "MODE 'y:0644'", 'DEST cannot contain ":"');
    await expectError(() => parseInjectSpec('a:/x:+x'), 'USAGE', "MODE '+x'");
  });

  it('rejects a relative DEST, a missing SRC, a non-octal or too large MODE, naming the spec and the form', async () => {
    await expectError(() => parseInjectSpec('agent:usr/bin/agent'), 'USAGE', "'agent:usr/bin/agent'", 'SRC:DEST[:MODE]');
    await expectError(() => parseInjectSpec('agent'), 'USAGE', "'agent'", 'SRC:DEST[:MODE]');
    await expectError(() => parseInjectSpec(':/x'), 'USAGE', "':/x'");
    await expectError(() => parseInjectSpec('a:/x:0789'), 'USAGE', 'octal');
    await expectError(() => parseInjectSpec('a:/x:17777'), 'USAGE', '17777');
    await expectError(() => parseInjectSpec('a:/../x'), 'USAGE', '".."');
    await expectError(() => parseInjectSpec('a:/'), 'USAGE', 'root');
  });
});

describe('injectPath', () => {
  it('injects a host file as a host-data file node: mode given or 0755, owner 0:0, mtime 0, parents created', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'agent');
    await writeFile(src, 'binary!');
    await chmod(src, 0o600);
    const root = image(fileE('etc/x'));
    await injectPath(root, { source: src, dest: '/opt/tool/bin/agent' });
    await injectPath(root, { source: src, dest: '/etc/agent.conf', mode: 0o640 });
    expect(at(root, '/opt/tool/bin/agent')).toEqual({ type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 7, data: { kind: 'host', path: src } });
    expect(at(root, '/etc/agent.conf')).toMatchObject({ mode: 0o640, size: 7 });
    expect(at(root, '/opt/tool')).toMatchObject({ type: 'dir', mode: 0o755, uid: 0, mtime: 0 });
  });

  it('replaces whatever is at dest: a symlink to a directory is replaced, not followed', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'f');
    await writeFile(src, 'x');
    const root = image(dirE('real'), fileE('real/keep'), linkE('link', '/real'), dirE('d'), fileE('d/sub'));
    await injectPath(root, { source: src, dest: '/link' });
    await injectPath(root, { source: src, dest: '/d' });
    expect(at(root, '/link')?.type).toBe('file');
    expect(at(root, '/real/keep')?.type).toBe('file');
    expect(at(root, '/d')?.type).toBe('file');
    expect(at(root, '/d/sub')).toBeUndefined();
  });

  it('follows parent symlinks inside the root: /bin -> usr/bin puts /bin/agent at /usr/bin/agent', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'f');
    await writeFile(src, 'x');
    const root = image(dirE('usr/bin'), linkE('bin', 'usr/bin'));
    await injectPath(root, { source: src, dest: '/bin/agent' });
    expect(at(root, '/usr/bin/agent')?.type).toBe('file');
  });

  it('injects a host directory recursively: dirs 0755, files the given mode, symlinks verbatim, sorted', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'overlay');
    await mkdir(join(src, 'etc/conf.d'), { recursive: true, mode: 0o700 });
    await writeFile(join(src, 'etc/conf.d/b'), 'bb');
    await writeFile(join(src, 'etc/a'), 'a');
    await writeFile(join(src, 'Z'), 'z');
    await symlink('/etc/a', join(src, 'abs-link'));
    await symlink('../../nowhere', join(src, 'etc/rel-link'));
    const root = newDir();
    await injectPath(root, { source: src, dest: '/srv/o', mode: 0o644 });
    const o = lookup(root, '/srv/o', { follow: false })!;
    expect([...o.children!.keys()]).toEqual(['Z', 'abs-link', 'etc']);
    expect([...lookup(root, '/srv/o/etc', { follow: false })!.children!.keys()]).toEqual(['a', 'conf.d', 'rel-link']);
    expect(at(root, '/srv/o/etc/conf.d')).toMatchObject({ type: 'dir', mode: 0o755, uid: 0, mtime: 0 });
    expect(at(root, '/srv/o/etc/conf.d/b')).toMatchObject({ type: 'file', mode: 0o644, size: 2, data: { kind: 'host', path: join(src, 'etc/conf.d/b') } });
    expect(at(root, '/srv/o/abs-link')).toMatchObject({ type: 'symlink', target: '/etc/a' });
    expect(at(root, '/srv/o/etc/rel-link')).toMatchObject({ type: 'symlink', target: '../../nowhere' });
  });

  it('a host directory onto an existing directory merges, keeping the directory metadata', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'etc');
    await mkdir(src);
    await writeFile(join(src, 'passwd'), 'new');
    const root = image(dirE('etc', 0o750), fileE('etc/passwd'), fileE('etc/group'));
    await injectPath(root, { source: src, dest: '/etc' });
    expect(at(root, '/etc')).toMatchObject({ type: 'dir', mode: 0o750 });
    expect(at(root, '/etc/group')?.type).toBe('file');
    expect(at(root, '/etc/passwd')?.data).toEqual({ kind: 'host', path: join(src, 'passwd') });
  });

  it('a missing source is an INJECT_SOURCE error naming it', async () => {
    const dir = await scratchDir();
    const missing = join(dir, 'nope');
    await expectError(injectPath(newDir(), { source: missing, dest: '/x' }), 'INJECT_SOURCE', missing, 'does not exist');
    await expectError(setInit(newDir(), missing), 'INJECT_SOURCE', missing);
  });

  it('a relative dest or one under a file is a USAGE error', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'f');
    await writeFile(src, 'x');
    await expectError(injectPath(newDir(), { source: src, dest: 'x' }), 'USAGE', "'x'");
    await expectError(injectPath(image(fileE('etc/passwd')), { source: src, dest: '/etc/passwd/x' }), 'USAGE', 'not a directory');
  });
});

describe('guestLinkTarget', () => {
  it('keeps a link target byte for byte on POSIX hosts, backslashes included', () => {
    expect(guestLinkTarget('../lib/x', 'linux')).toBe('../lib/x');
    expect(guestLinkTarget('odd\\name', 'darwin')).toBe('odd\\name');
    expect(guestLinkTarget('C:\\x', 'linux')).toBe('C:\\x');
  });

  it('turns a Windows link target into the POSIX one the image needs: backslashes become slashes, rooted stays rooted', () => {
    expect(guestLinkTarget('..\\lib\\libfoo.so.1', 'win32')).toBe('../lib/libfoo.so.1');
    expect(guestLinkTarget('\\usr\\lib\\x', 'win32')).toBe('/usr/lib/x');
    expect(guestLinkTarget('busybox', 'win32')).toBe('busybox');
    expect(guestLinkTarget('../mixed\\seps', 'win32')).toBe('../mixed/seps');
  });

  it('gives no target for a Windows link to a drive or a share (a junction), which means nothing in the image', () => {
    for (const t of ['C:\\tools\\agent', 'c:relative', 'D:/x', '\\\\server\\share\\x', '//server/share/x', '\\\\?\\C:\\x']) {
      expect(guestLinkTarget(t, 'win32'), t).toBeUndefined();
    }
  });
});

describe('setInit and setGeneratedFile', () => {
  it('makes /init a regular file 0755 from the host, replacing a symlink there', async () => {
    const dir = await scratchDir();
    const src = join(dir, 'init');
    await writeFile(src, '#!/bin/sh\n');
    const root = image(fileE('sbin/init'), linkE('init', '/sbin/init'));
    await setInit(root, src);
    expect(at(root, '/init')).toEqual({ type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 10, data: { kind: 'host', path: src } });
    expect(at(root, '/sbin/init')?.data).toBeUndefined();
  });

  it('refuses a directory as /init', async () => {
    await expectError(setInit(newDir(), await scratchDir()), 'INJECT_SOURCE', 'not a regular file');
  });

  it('setGeneratedFile stores in-memory bytes', () => {
    const root = newDir();
    setGeneratedFile(root, '/init', Buffer.from('#!/bin/sh\n'), 0o755);
    expect(at(root, '/init')).toMatchObject({ type: 'file', mode: 0o755, size: 10, data: { kind: 'bytes' } });
  });
});

describe('ensureBootEntries', () => {
  it('creates /dev, /dev/console (char 5,1 0600), /dev/null (char 1,3 0666), /dev/tty (char 5,0 0666), /proc and /sys (0555)', () => {
    const root = newDir();
    ensureBootEntries(root);
    expect(at(root, '/dev')).toMatchObject({ type: 'dir', mode: 0o755 });
    expect(at(root, '/dev/console')).toMatchObject({ type: 'char', mode: 0o600, devMajor: 5, devMinor: 1, uid: 0 });
    expect(at(root, '/dev/null')).toMatchObject({ type: 'char', mode: 0o666, devMajor: 1, devMinor: 3 });
    expect(at(root, '/dev/tty')).toMatchObject({ type: 'char', mode: 0o666, devMajor: 5, devMinor: 0, uid: 0 });
    expect(at(root, '/proc')).toMatchObject({ type: 'dir', mode: 0o555 });
    expect(at(root, '/sys')).toMatchObject({ type: 'dir', mode: 0o555 });
  });

  it('keeps existing entries of the right type with their metadata and replaces wrong types', () => {
    const root = image(
      dirE('dev', 0o700),
      fileE('dev/keep'),
      { ...base, name: 'dev/null', type: 'char', mode: 0o600, uid: 5, devMajor: 1, devMinor: 3 },
      fileE('dev/console'),
      linkE('proc', '/elsewhere'),
      dirE('sys', 0o500),
    );
    ensureBootEntries(root);
    expect(at(root, '/dev')).toMatchObject({ type: 'dir', mode: 0o700 });
    expect(at(root, '/dev/keep')?.type).toBe('file');
    expect(at(root, '/dev/null')).toMatchObject({ mode: 0o600, uid: 5 });
    expect(at(root, '/dev/console')).toMatchObject({ type: 'char', devMajor: 5, devMinor: 1 });
    expect(at(root, '/proc')).toMatchObject({ type: 'dir', mode: 0o555 });
    expect(at(root, '/sys')).toMatchObject({ type: 'dir', mode: 0o500 });
  });
});

describe('lookup and hasFile', () => {
  it('hasFile resolves symlinks inside the root: /bin -> usr/bin and sh -> dash count', () => {
    const root = image(fileE('usr/bin/dash'), linkE('usr/bin/sh', 'dash'), linkE('bin', 'usr/bin'));
    expect(hasFile(root, '/bin/sh')).toBe(true);
    expect(lookup(root, '/bin/sh', { follow: false })?.inode.type).toBe('symlink');
    expect(lookup(root, '/bin/sh', { follow: true })?.inode.type).toBe('file');
  });

  it('hasFile is false for a missing, dangling, directory or escaping path', () => {
    const root = image(linkE('bin/sh', '/nowhere'), dirE('dir'), fileE('x'), linkE('up', '../../x'));
    expect(hasFile(root, '/bin/sh')).toBe(false);
    expect(hasFile(root, '/dir')).toBe(false);
    expect(hasFile(root, '/missing')).toBe(false);
    expect(hasFile(root, '/up')).toBe(true);
    expect(hasFile(root, '/dir/../x')).toBe(false);
  });
});
