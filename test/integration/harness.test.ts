// Proves the real-tools test harness against the real tools themselves: QEMU boots decide by marker only
// and end quickly on panic or timeout, one newc archive cut into separately compressed members is split
// where the kernel would split it and read whole by bsdtar and GNU cpio, and umoci + listTree see setuid
// bits, symlinks, hardlinks and device nodes. Inputs are built here with GNU cpio, gzip, zstd, busybox and umoci.
import { execFile } from 'node:child_process';
import { chmod, chown, cp, link, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { encodeRecord, encodeTrailer, TYPE_BITS, type NewcEntry } from '../../src/initramfs/newc.ts';
import { extractCpio, extractCpioGnu, listCpio, listCpioGnu, readInitramfs } from '../helpers/cpio.ts';
import { bootInitramfs, findKernel, killAllQemu } from '../helpers/qemu.ts';
import { diffTrees, listTree, removeScratchDirs, scratchDir, type Tree } from '../helpers/tree.ts';
import { umociFlatten } from '../helpers/umoci.ts';

const exec = promisify(execFile);
const sh = async (script: string, cwd?: string): Promise<string> =>
  (await exec('bash', ['-euo', 'pipefail', '-c', script], { cwd, maxBuffer: 64 << 20 })).stdout;

afterEach(killAllQemu);
afterAll(removeScratchDirs);

/** A directory with a static busybox, /dev/console and the given /init script. */
async function busyboxRoot(init: string): Promise<string> {
  const root = join(await scratchDir('busybox-root-'), 'root');
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'dev'));
  await cp('/bin/busybox', join(root, 'bin/busybox'));
  await sh(`mknod ${join(root, 'dev/console')} c 5 1`);
  await writeFile(join(root, 'init'), `#!/bin/busybox sh\n${init}\n`, { mode: 0o755 });
  return root;
}

/** `find . | cpio -o -H newc` of `root`, piped through `compress` (a shell command), into a file. */
async function packCpio(root: string, compress: string): Promise<string> {
  const out = join(await scratchDir('cpio-out-'), 'initramfs');
  await sh(`find . | LC_ALL=C sort | cpio --quiet -o -H newc | ${compress} > ${out}`, root);
  return out;
}

describe('bootInitramfs', () => {
  // The marker is computed by the guest's shell so it never appears literally in the image or the
  // command line: finding it proves /init ran.
  const printMarker = '/bin/busybox echo "HARNESS-$((40 + 2))-OK"';
  const marker = 'HARNESS-42-OK';

  it('finds the marker printed by /init of a busybox initramfs built with GNU cpio', async ({ signal }) => {
    const initrd = await packCpio(await busyboxRoot(`${printMarker}\n/bin/busybox poweroff -f`), 'gzip -n');
    const result = await bootInitramfs(initrd, { marker, signal });
    expect(result.found, result.console).toBe(true);
    expect(result.reason).toBe('marker');
  });

  it('reports not found, quickly, when /init exits without the marker and the kernel panics', async ({ signal }) => {
    const initrd = await packCpio(await busyboxRoot('/bin/busybox echo "no marker here"\nexit 1'), 'gzip -n');
    const result = await bootInitramfs(initrd, { marker, signal });
    expect(result.found).toBe(false);
    expect(result.reason).toBe('exit');
    expect(result.console).toMatch(/Kernel panic/);
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it('kills QEMU when the timeout passes and leaves no process behind', async ({ signal }) => {
    // A guest that never finishes: /init sleeps forever.
    const initrd = await packCpio(await busyboxRoot('/bin/busybox sleep 1000000'), 'gzip -n');
    const result = await bootInitramfs(initrd, { marker, timeoutMs: 4_000, signal });
    expect(result.found).toBe(false);
    expect(result.reason).toBe('timeout');
    const stillRunning = async (): Promise<boolean> => {
      for (const pid of await readdir('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const cmdline = await readFile(`/proc/${pid}/cmdline`, 'latin1').catch(() => '');
        if (cmdline.includes('qemu-system') && cmdline.includes(initrd)) return true;
      }
      return false;
    };
    let running = await stillRunning();
    for (let i = 0; running && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      running = await stillRunning();
    }
    expect(running).toBe(false);
  });

  it('picks the newest cloud kernel by version, and names the package to install when there is none', async () => {
    const boot = await scratchDir('boot-');
    for (const v of ['6.1.0-9', '6.1.0-56', '6.1.0-10']) await writeFile(join(boot, `vmlinuz-${v}-cloud-amd64`), '');
    await writeFile(join(boot, 'vmlinuz-6.1.0-99-amd64'), '');
    expect(findKernel(boot)).toBe(join(boot, 'vmlinuz-6.1.0-56-cloud-amd64'));
    expect(() => findKernel(join(boot, 'missing'))).toThrow(/install linux-image-cloud-amd64/);
  });
});

describe('reading archives back', () => {
  const entry = (name: string, ino: number, over: Partial<NewcEntry> = {}): NewcEntry => ({
    name, ino, mode: TYPE_BITS.file | 0o644, uid: 0, gid: 0, nlink: 1, mtime: 0, filesize: 0,
    devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0, ...over,
  });
  const record = (name: string, ino: number, text: string): Buffer =>
    encodeRecord(entry(name, ino, { filesize: text.length }), Buffer.from(text));
  const dirRecord = encodeRecord(entry('d', 1, { mode: TYPE_BITS.dir | 0o755, nlink: 2 }));
  // Three entries, then the one trailer; cut after the second entry.
  const first = Buffer.concat([dirRecord, record('d/a', 2, 'alpha\n')]);
  const second = Buffer.concat([record('d/b', 3, 'beta\n'), encodeTrailer()]);

  it('splits gzip members and zstd frames where the kernel does, with the entries each holds', async () => {
    const img = join(await scratchDir('members-'), 'img');
    await writeFile(img, Buffer.concat([gzipSync(first), zstdCompressSync(second)]));
    const members = await readInitramfs(img);
    expect(members.map((m) => [m.compression, m.entries.map((e) => e.name)])).toEqual([
      ['gzip', ['d', 'd/a']],
      ['zstd', ['d/b', 'TRAILER!!!']],
    ]);
  });

  it('refuses a member that ends inside an entry, as the kernel does', async () => {
    const img = join(await scratchDir('members-'), 'img');
    const whole = Buffer.concat([first, second]);
    await writeFile(img, Buffer.concat([gzipSync(whole.subarray(0, first.length + 40)), gzipSync(whole.subarray(first.length + 40))]));
    await expect(readInitramfs(img)).rejects.toThrow(/member ends inside an entry header/);
  });

  it('bsdtar and GNU cpio read every entry of two gzip members, not just the first member', async () => {
    const img = join(await scratchDir('members-'), 'img');
    await writeFile(img, Buffer.concat([gzipSync(first), gzipSync(second)]));
    expect(await listCpioGnu(img)).toEqual(['d', 'd/a', 'd/b']);
    expect((await listCpio(img)).trim().split('\n').map((l) => l.split(' ').pop())).toEqual(['d', 'd/a', 'd/b']);
    for (const dir of [await extractCpio(img), await extractCpioGnu(img)]) {
      expect(await readFile(join(dir, 'd/a'), 'utf8')).toBe('alpha\n');
      expect(await readFile(join(dir, 'd/b'), 'utf8')).toBe('beta\n');
    }
  });

  it('keeps setuid bits, owners, symlinks, hardlinks and device nodes of a GNU cpio archive', async () => {
    const root = join(await scratchDir('meta-'), 'root');
    await mkdir(join(root, 'usr/bin'), { recursive: true });
    await writeFile(join(root, 'usr/bin/su'), 'setuid program\n', { mode: 0o4755 });
    await chmod(join(root, 'usr/bin/su'), 0o4755);
    await link(join(root, 'usr/bin/su'), join(root, 'usr/bin/su-again'));
    await symlink('usr/bin', join(root, 'bin'));
    await writeFile(join(root, 'owned'), 'x');
    await chown(join(root, 'owned'), 1000, 1001);
    await sh(`mkdir dev && mknod dev/null c 1 3 && mknod dev/sda b 8 0 && mkfifo pipe`, root);

    const archive = await packCpio(root, 'zstd -q');
    const dir = await extractCpio(archive);
    expect(diffTrees(await listTree(root), await listTree(dir))).toEqual([]);
    // GNU cpio leaves the directory it extracts into (the archive's ".") as it was: compare below it.
    const belowRoot = async (dir: string): Promise<Tree> => {
      const tree = await listTree(dir);
      tree.delete('/');
      return tree;
    };
    expect(diffTrees(await belowRoot(root), await belowRoot(await extractCpioGnu(archive)))).toEqual([]);
    const tree = await listTree(dir);
    expect(tree.get('/usr/bin/su')).toMatchObject({ type: 'file', mode: 0o4755, nlink: 2, hardlinkGroup: '/usr/bin/su' });
    expect(tree.get('/usr/bin/su-again')).toMatchObject({ nlink: 2, hardlinkGroup: '/usr/bin/su' });
    expect(tree.get('/bin')).toMatchObject({ type: 'symlink', target: 'usr/bin' });
    expect(tree.get('/dev/sda')).toMatchObject({ type: 'block', rdevMajor: 8, rdevMinor: 0 });
    expect(tree.get('/owned')).toMatchObject({ uid: 1000, gid: 1001 });
  });

  it('rejects data that is neither newc, gzip, zstd nor padding', async () => {
    const bad = join(await scratchDir('bad-'), 'img');
    await writeFile(bad, 'this is not an initramfs');
    await expect(readInitramfs(bad)).rejects.toThrow(/unrecognised data at offset 0/);
    await expect(extractCpio(bad)).rejects.toThrow(/bsdtar/);
  });
});

describe('diffTrees', () => {
  it('names each differing field and each path only on one side, and nothing for ignored paths', async () => {
    const a = join(await scratchDir('diff-'), 'a');
    await mkdir(join(a, 'etc'), { recursive: true });
    await writeFile(join(a, 'etc/conf'), 'one');
    await writeFile(join(a, 'etc/hostname'), 'host-a');
    await writeFile(join(a, 'gone'), '');
    const b = a.replace(/a$/, 'b');
    await cp(a, b, { recursive: true });
    await chmod(join(b, 'etc/conf'), 0o600);
    await writeFile(join(b, 'etc/hostname'), 'host-b');
    await writeFile(join(b, 'new'), '');
    await writeFile(join(b, 'gone'), '');
    await sh(`rm ${join(b, 'gone')}`);

    const diff = diffTrees(await listTree(a), await listTree(b));
    expect(diff).toContain('"/gone": only in a (file)');
    expect(diff).toContain('"/new": only in b (file)');
    expect(diff.find((l) => l.startsWith('"/etc/conf":'))).toMatch(/mode: 0644 → 0600/);
    expect(diff.find((l) => l.startsWith('"/etc/hostname":'))).toMatch(/^"\/etc\/hostname": sha256: "[0-9a-f]{64}" → "[0-9a-f]{64}"$/);
    expect(diff).toHaveLength(4);
    expect(diffTrees(await listTree(a), await listTree(b), { ignore: ['/etc', '/gone', '/new'] })).toEqual([]);
  });
});

describe('umociFlatten', () => {
  it('round-trips setuid files, symlinks, hardlinks and device nodes through umoci repack and unpack', async () => {
    const work = await scratchDir('umoci-');
    await sh(`
      umoci init --layout layout
      umoci new --image layout:t
      umoci unpack --image layout:t bundle
    `, work);
    const rootfs = join(work, 'bundle/rootfs');
    await sh(`
      mkdir -p usr/bin etc dev
      printf 'setuid\\n' > usr/bin/passwd && chmod 4755 usr/bin/passwd
      ln usr/bin/passwd usr/bin/passwd-link
      ln -s usr/bin bin
      mknod dev/null c 1 3
      echo hello > etc/greeting && chown 1000:1000 etc/greeting
    `, rootfs);
    await sh('umoci repack --image layout:t bundle', work);

    const flat = await umociFlatten(join(work, 'layout'), 't');
    const tree = await listTree(flat);
    expect(tree.get('/usr/bin/passwd')).toMatchObject({ type: 'file', mode: 0o4755, nlink: 2 });
    expect(tree.get('/usr/bin/passwd-link')?.hardlinkGroup).toBe('/usr/bin/passwd');
    expect(tree.get('/bin')).toMatchObject({ type: 'symlink', target: 'usr/bin' });
    expect(tree.get('/dev/null')).toMatchObject({ type: 'char', rdevMajor: 1, rdevMinor: 3 });
    expect(tree.get('/etc/greeting')).toMatchObject({ uid: 1000, gid: 1000, size: 6 });
    expect(diffTrees(await listTree(rootfs), tree)).toEqual([]);
  });

  it('says which image it could not unpack', async () => {
    const missing = join(await scratchDir('umoci-missing-'), 'nope');
    await expect(umociFlatten(missing, 'latest')).rejects.toThrow(/umoci unpack --image .*nope:latest failed/);
  });
});
