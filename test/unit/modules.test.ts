import { afterAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { installModules, selectModules, type ModuleSet } from '../../src/initramfs/modules.ts';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { lookup } from '../../src/rootfs/tree.ts';
import { failure } from '../helpers/errors.ts';

const tmp = mkdtempSync(join(tmpdir(), 'modules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A minimal ELF64 little-endian header of `type` for `machine`, then `marker` so files tell apart. */
function fakeElf(marker: string, opts: { type?: number; machine?: number } = {}): Buffer {
  const h = Buffer.alloc(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  h.writeUInt16LE(opts.type ?? 1, 16); // ET_REL
  h.writeUInt16LE(opts.machine ?? 62, 18); // EM_X86_64
  h.writeUInt16LE(56, 54);
  return Buffer.concat([h, Buffer.from(marker)]);
}

/** A /lib/modules/VERSION-like directory: `dep` is modules.dep's text, `files` path → bytes. */
function modulesDir(dep: string | undefined, files: Record<string, Uint8Array>, builtin?: string): string {
  const dir = join(tmp, `d${n++}`, '6.1.0-test');
  mkdirSync(dir, { recursive: true });
  if (dep !== undefined) writeFileSync(join(dir, 'modules.dep'), dep);
  if (builtin !== undefined) writeFileSync(join(dir, 'modules.builtin'), builtin);
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return dir;
}

const ROOT = '/lib/modules/6.1.0-test';
const text = (set: ModuleSet, path: string): string => {
  const f = set.files.find((x) => x.path === path)!;
  expect(f.data.kind).toBe('bytes');
  return Buffer.from((f.data as { bytes: Uint8Array }).bytes).toString('utf8');
};

describe('selectModules: load order', () => {
  // a needs b and c, both need d: modules.dep lists the closure, nearest first.
  const diamond = (): string =>
    modulesDir(
      'kernel/a.ko: kernel/b.ko kernel/c.ko kernel/d.ko\nkernel/b.ko: kernel/d.ko\nkernel/c.ko: kernel/d.ko\nkernel/d.ko:\nkernel/e.ko:\n',
      { 'kernel/a.ko': fakeElf('a'), 'kernel/b.ko': fakeElf('b'), 'kernel/c.ko': fakeElf('c'), 'kernel/d.ko': fakeElf('d'), 'kernel/e.ko': fakeElf('e') },
    );

  test('a diamond loads the shared dependency once, deepest first, as modprobe does', async () => {
    const dir = diamond();
    const set = await selectModules(dir, ['a'], 'amd64');
    expect(set.version).toBe('6.1.0-test');
    expect(set.loadOrder).toEqual(['d', 'c', 'b', 'a'].map((m) => `${ROOT}/kernel/${m}.ko`));
    expect(set.names).toEqual(['a']);
    expect(set.builtin).toEqual([]);
    // Uncompressed modules stay host files; modules.dep lists exactly the copied ones, sorted.
    expect(set.files.slice(0, 4).map((f) => f.data)).toEqual(['d', 'c', 'b', 'a'].map((m) => ({ kind: 'host', path: join(dir, `kernel/${m}.ko`) })));
    expect(set.files.slice(0, 4).map((f) => f.size)).toEqual([65, 65, 65, 65]);
    expect(text(set, `${ROOT}/modules.dep`)).toBe(
      'kernel/a.ko: kernel/b.ko kernel/c.ko kernel/d.ko\nkernel/b.ko: kernel/d.ko\nkernel/c.ko: kernel/d.ko\nkernel/d.ko:\n',
    );
    expect(set.files.map((f) => f.path)).toEqual([...set.loadOrder, `${ROOT}/modules.dep`]);
  });

  test('each module once, requested ones named in load order, the same set the same whatever the request order', async () => {
    const dir = diamond();
    const one = await selectModules(dir, ['a', 'd', 'e', 'a'], 'amd64');
    expect(one.loadOrder).toEqual(['d', 'c', 'b', 'a', 'e'].map((m) => `${ROOT}/kernel/${m}.ko`));
    expect(one.names).toEqual(['d', 'a', 'e']);
    const two = await selectModules(dir, ['e', 'a'], 'amd64');
    expect(two.loadOrder).toEqual(['e', 'd', 'c', 'b', 'a'].map((m) => `${ROOT}/kernel/${m}.ko`));
    expect(text(two, `${ROOT}/modules.dep`)).toBe(text(one, `${ROOT}/modules.dep`));
  });

  test("'-' and '_' in names are alike, as the kernel treats them", async () => {
    const dir = modulesDir('kernel/drivers/net/virtio_net.ko:\nkernel/arch/amd-uncore.ko:\n', {
      'kernel/drivers/net/virtio_net.ko': fakeElf('v'),
      'kernel/arch/amd-uncore.ko': fakeElf('u'),
    });
    const set = await selectModules(dir, ['virtio-net', 'amd_uncore'], 'amd64');
    expect(set.names).toEqual(['virtio_net', 'amd-uncore']);
  });

  test('the version is the name of the directory the path really is', async () => {
    const dir = diamond();
    const link = join(dirname(dir), 'current');
    symlinkSync(dir, link);
    const set = await selectModules(link + '/', ['d'], 'amd64');
    expect(set.version).toBe('6.1.0-test');
    expect(set.loadOrder).toEqual([`${ROOT}/kernel/d.ko`]);
  });

  test('no names: nothing to copy', async () => {
    expect(await selectModules(diamond(), [], 'amd64')).toEqual({ version: '6.1.0-test', loadOrder: [], names: [], files: [], builtin: [] });
  });
});

describe('selectModules: compressed modules', () => {
  test('.ko.gz and .ko.zst are decompressed and stored as .ko, modules.dep rewritten to match', async () => {
    const a = fakeElf('gz module');
    const b = fakeElf('zst module');
    const dir = modulesDir('kernel/x/a.ko.gz: kernel/y/b.ko.zst\nkernel/y/b.ko.zst:\n', {
      'kernel/x/a.ko.gz': gzipSync(a),
      'kernel/y/b.ko.zst': zstdCompressSync(b),
    });
    const set = await selectModules(dir, ['a'], 'amd64');
    expect(set.loadOrder).toEqual([`${ROOT}/kernel/y/b.ko`, `${ROOT}/kernel/x/a.ko`]);
    expect(set.files[0]).toEqual({ path: `${ROOT}/kernel/y/b.ko`, data: { kind: 'bytes', bytes: b }, size: b.length });
    expect(set.files[1]).toEqual({ path: `${ROOT}/kernel/x/a.ko`, data: { kind: 'bytes', bytes: a }, size: a.length });
    expect(text(set, `${ROOT}/modules.dep`)).toBe('kernel/x/a.ko: kernel/y/b.ko\nkernel/y/b.ko:\n');
  });

  test('.ko.xz is an error that says how to decompress them', async () => {
    const dir = modulesDir('kernel/x/a.ko: kernel/y/b.ko.xz\nkernel/y/b.ko.xz:\n', {
      'kernel/x/a.ko': fakeElf('a'),
      'kernel/y/b.ko.xz': Buffer.from('\xfd7zXZ\0 not really', 'latin1'),
    });
    const e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toBe(
      `--module 'a': '${dir}/kernel/y/b.ko.xz' is xz-compressed, which this tool cannot decompress; decompress the modules first ` +
        `(find ${dir} -name '*.ko.xz' -exec xz -d {} +; a .ko beside a listed .ko.xz is used), ` +
        'or use a kernel whose modules are compressed with gzip or zstd, or not compressed',
    );
  });

  test('after xz -d the .ko beside the listed .ko.xz is used, without running depmod again', async () => {
    const b = fakeElf('b');
    const dir = modulesDir('kernel/y/b.ko.xz:\n', { 'kernel/y/b.ko': b });
    const set = await selectModules(dir, ['b'], 'amd64');
    expect(set.files[0]).toEqual({ path: `${ROOT}/kernel/y/b.ko`, data: { kind: 'host', path: join(dir, 'kernel/y/b.ko') }, size: b.length });
    expect(text(set, `${ROOT}/modules.dep`)).toBe('kernel/y/b.ko:\n');
  });

  test('a corrupt .ko.gz names the file', async () => {
    const dir = modulesDir('kernel/a.ko.gz:\n', { 'kernel/a.ko.gz': gzipSync(fakeElf('a')).subarray(0, 30) });
    const e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toMatch(new RegExp(`^--module 'a': '${dir}/kernel/a.ko.gz' is not valid gzip data \\(`));
  });
});

describe('selectModules: errors', () => {
  const expected = 'expected a /lib/modules/VERSION directory such as /lib/modules/$(uname -r) that holds modules.dep';

  test('a missing directory, a file, a directory without modules.dep', async () => {
    const missing = join(tmp, 'nowhere');
    let e = await failure(selectModules(missing, ['a'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toBe(`--modules-dir '${missing}' does not exist; ${expected}`);
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    e = await failure(selectModules(file, ['a'], 'amd64'));
    expect(e.message).toBe(`--modules-dir '${file}' is not a directory; ${expected}`);
    const empty = modulesDir(undefined, {});
    e = await failure(selectModules(empty, ['a'], 'amd64'));
    expect(e.message).toBe(`--modules-dir '${empty}' has no modules.dep; ${expected}`);
  });

  test('a name modules.builtin lists is not an error: built in, nothing to load', async () => {
    const dir = modulesDir('kernel/a.ko:\n', { 'kernel/a.ko': fakeElf('a') }, 'kernel/drivers/virtio/virtio.ko\nkernel/fs/binfmt_script.ko\n');
    const set = await selectModules(dir, ['virtio', 'a', 'binfmt-script', 'virtio'], 'amd64');
    expect(set.builtin).toEqual(['virtio', 'binfmt_script']);
    expect(set.names).toEqual(['a']);
    expect(set.loadOrder).toEqual([`${ROOT}/kernel/a.ko`]);
  });

  test('an unknown name suggests the nearest one, or none when nothing is close', async () => {
    const dir = modulesDir('kernel/drivers/net/virtio_net.ko:\nkernel/net/core/failover.ko:\n', {}, 'kernel/drivers/block/virtio_blk.ko\n');
    let e = await failure(selectModules(dir, ['virtio-nett'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toBe(
      `--module 'virtio-nett': no such module in '${dir}/modules.dep' or modules.builtin; did you mean 'virtio_net'? expected a module name as lsmod shows it, e.g. virtio_net`,
    );
    e = await failure(selectModules(dir, ['virtio_blck'], 'amd64'));
    expect(e.message).toContain("did you mean 'virtio_blk'?");
    e = await failure(selectModules(dir, ['e1000'], 'amd64'));
    expect(e.message).toBe(
      `--module 'e1000': no such module in '${dir}/modules.dep' or modules.builtin; expected a module name as lsmod shows it, e.g. virtio_net`,
    );
  });

  test('a module modules.dep lists but the directory lacks names the module that needed it', async () => {
    const dir = modulesDir('kernel/a.ko: kernel/b.ko\nkernel/b.ko:\n', { 'kernel/a.ko': fakeElf('a') });
    const e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toBe(
      `--module 'a': modules.dep lists 'kernel/b.ko' but '${dir}/kernel/b.ko' does not exist; expected the modules directory as installed (run depmod after changing it)`,
    );
  });

  test('a module for another machine, or for the wrong platform, says which is which', async () => {
    const dir = modulesDir('kernel/a.ko:\n', { 'kernel/a.ko': fakeElf('a', { machine: 183 }) });
    let e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toBe(
      `--module 'a': '${dir}/kernel/a.ko' is a module for AArch64, 64-bit little-endian but the platform is amd64 (x86-64, 64-bit little-endian); expected the modules of a kernel built for the target platform`,
    );
    const x86 = modulesDir('kernel/a.ko:\n', { 'kernel/a.ko': fakeElf('a') });
    e = await failure(selectModules(x86, ['a'], 'arm64'));
    expect(e.message).toContain('is a module for x86-64, 64-bit little-endian but the platform is arm64 (AArch64, 64-bit little-endian)');
    expect((await selectModules(dir, ['a'], 'arm64')).names).toEqual(['a']);
  });

  test('a file that is not an ELF relocatable is not a module', async () => {
    const dir = modulesDir('kernel/a.ko:\nkernel/b.ko:\n', { 'kernel/a.ko': fakeElf('a', { type: 2 }), 'kernel/b.ko': Buffer.from('hello') });
    let e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.message).toBe(`--module 'a': '${dir}/kernel/a.ko' is not a kernel module (expected an ELF relocatable object, ET_REL; this is an ELF of type 2)`);
    e = await failure(selectModules(dir, ['b'], 'amd64'));
    expect(e.message).toBe(`--module 'b': '${dir}/kernel/b.ko' is not a kernel module (expected an ELF relocatable object, ET_REL)`);
  });

  test('modules.dep lines that escape the directory or are malformed are refused', async () => {
    let dir = modulesDir('kernel/a.ko: ../../../etc/passwd.ko\n', { 'kernel/a.ko': fakeElf('a') });
    let e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.code).toBe('MODULES');
    expect(e.message).toBe(
      `--modules-dir '${dir}': modules.dep line 1 names '../../../etc/passwd.ko', not a path relative to '${dir}'; expected "kernel/DIR/NAME.ko: DEPENDENCY.ko …" as depmod writes it`,
    );
    dir = modulesDir('\nkernel/a.ko\n', {});
    e = await failure(selectModules(dir, ['a'], 'amd64'));
    expect(e.message).toBe(`--modules-dir '${dir}': modules.dep line 2 ('kernel/a.ko') has no ":"; expected "kernel/DIR/NAME.ko: DEPENDENCY.ko …" as depmod writes it`);
  });
});

describe('installModules', () => {
  test('files go under /lib/modules/VERSION (0644, root, mtime 0), following /lib -> usr/lib inside the root', async () => {
    const dir = modulesDir('kernel/x/a.ko.gz: kernel/b.ko\nkernel/b.ko:\n', { 'kernel/x/a.ko.gz': gzipSync(fakeElf('a')), 'kernel/b.ko': fakeElf('b') });
    const set = await selectModules(dir, ['a'], 'amd64');
    const root: Node = newDir();
    const usr = newDir();
    usr.children!.set('lib', newDir());
    root.children!.set('usr', usr);
    root.children!.set('lib', { inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: 'usr/lib' } });
    installModules(root, set);
    expect(root.children!.get('lib')!.inode.type).toBe('symlink');
    const a = lookup(root, '/usr/lib/modules/6.1.0-test/kernel/x/a.ko', { follow: false })!;
    expect(a.inode).toEqual({ type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 65, data: set.files[1]!.data });
    expect(lookup(root, '/lib/modules/6.1.0-test/kernel/b.ko', { follow: true })!.inode.data).toEqual({ kind: 'host', path: join(dir, 'kernel/b.ko') });
    expect(lookup(root, '/lib/modules/6.1.0-test/modules.dep', { follow: true })!.inode.mode).toBe(0o644);
    expect(lookup(root, '/usr/lib/modules/6.1.0-test/kernel', { follow: false })!.inode).toMatchObject({ type: 'dir', mode: 0o755, mtime: 0 });
  });
});

// The real modules of this machine's kernel (Debian's cloud kernel ships them uncompressed).
const hostModules = existsSync('/lib/modules') ? readdirSync('/lib/modules').map((v) => join('/lib/modules', v)).find((d) => existsSync(join(d, 'modules.dep'))) : undefined;

describe.runIf(hostModules !== undefined)('the host kernel modules', () => {
  test('virtio_net loads after failover and net_failover (and virtio), each a real x86-64 module', async () => {
    const set = await selectModules(hostModules!, ['virtio_net'], 'amd64');
    const names = set.loadOrder.map((p) => p.slice(p.lastIndexOf('/') + 1));
    expect(names.at(-1)).toMatch(/^virtio_net\.ko/);
    const at = (m: string): number => names.findIndex((x) => x.startsWith(`${m}.ko`));
    expect(at('failover')).toBeGreaterThanOrEqual(0);
    expect(at('failover')).toBeLessThan(at('net_failover'));
    expect(at('net_failover')).toBeLessThan(at('virtio_net'));
    expect(new Set(names).size).toBe(names.length);
    expect(set.names).toEqual(['virtio_net']);
    const version = hostModules!.slice(hostModules!.lastIndexOf('/') + 1);
    expect(set.version).toBe(version);
    expect(set.files.at(-1)!.path).toBe(`/lib/modules/${version}/modules.dep`);
    for (const f of set.files.slice(0, -1)) {
      const bytes = f.data.kind === 'host' ? readFileSync(f.data.path) : (f.data as { bytes: Uint8Array }).bytes;
      expect(bytes.length).toBe(f.size);
    }
    const e = await failure(selectModules(hostModules!, ['virtio_net'], 'arm64'));
    expect(e.message).toContain('is a module for x86-64, 64-bit little-endian but the platform is arm64');
  });
});
