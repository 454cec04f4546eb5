// Writes archives from trees built in code and reads them back with the real tools, each handed the whole
// file as a user would (bsdtar; GNU cpio behind zcat/zstdcat): what they list and what they extract (as
// root) must be exactly the tree, though the file is many separately compressed members.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import type { Reporter, Stage } from '../../src/log.ts';
import { compressSegment, resolveLevel } from '../../src/initramfs/compress.ts';
import { TRAILER_NAME, TYPE_BITS } from '../../src/initramfs/newc.ts';
import { planArchive } from '../../src/initramfs/plan.ts';
import { assembleSegment, writeArchive } from '../../src/initramfs/write.ts';
import { toBytePath, type Inode, type Node } from '../../src/rootfs/node.ts';
import { extractCpio, extractCpioGnu, listCpio, listCpioGnu, readInitramfs } from '../helpers/cpio.ts';
import { removeScratchDirs } from '../helpers/tree.ts';

/** Small segments so a small tree spans many of them; the 2.5 MiB file exceeds two targets (streamed). */
const SEGMENT_TARGET = 64 << 10;
const MTIME = 1_700_000_000;

let work: string;
let spool: SpoolFile;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'archive-readback-'));
  spool = new SpoolFile(join(work, 'layer.spool'), 'sha256:test');
});

afterAll(async () => {
  spool.dispose();
  await removeScratchDirs();
  await rm(work, { recursive: true, force: true });
});

/** Deterministic incompressible-ish bytes. */
const noise = (n: number, seed: number): Buffer => {
  const out = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
};

const meta = (over: Partial<Inode> = {}): Pick<Inode, 'mode' | 'uid' | 'gid' | 'mtime'> => ({
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtime: MTIME,
  ...over,
});
const bytesFile = (bytes: Buffer, over: Partial<Inode> = {}): Node => ({
  inode: { type: 'file', ...meta(over), size: bytes.length, data: { kind: 'bytes', bytes }, ...over },
});
const spoolFile = (bytes: Buffer, over: Partial<Inode> = {}): Node => {
  const offset = spool.append(bytes);
  return { inode: { type: 'file', ...meta(over), size: bytes.length, data: { kind: 'spool', spool, offset }, ...over } };
};
const hostFile = (path: string, content: Buffer, over: Partial<Inode> = {}): Node => {
  writeFileSync(path, content);
  return { inode: { type: 'file', ...meta(over), size: content.length, data: { kind: 'host', path }, ...over } };
};
const dir = (children: Record<string, Node>, over: Partial<Inode> = {}): Node => ({
  inode: { type: 'dir', ...meta({ mode: 0o755, ...over }), size: 0 },
  children: new Map(Object.entries(children)),
});
const symlink = (target: string): Node => ({ inode: { type: 'symlink', ...meta({ mode: 0o777 }), size: 0, target } });
const device = (type: 'char' | 'block', major: number, minor: number, mode: number): Node => ({
  inode: { type, ...meta({ mode }), size: 0, devMajor: major, devMinor: minor },
});

/** The tree every read-back test writes: every type, odd modes, owners, hardlinks, three data sources. */
const buildTree = (): Node => {
  const busybox = spoolFile(noise(70_001, 1), { mode: 0o755 });
  const many: Record<string, Node> = {};
  // Odd sizes (0..5 bytes and a few KiB) so padding and segment cuts land everywhere.
  for (let i = 0; i < 60; i++) many[`f${String(i).padStart(3, '0')}`] = bytesFile(noise(i < 6 ? i : 1000 + i * 37, i + 10));
  return dir({
    bin: dir({ busybox, sh: { inode: busybox.inode }, su: bytesFile(Buffer.from('su\n'), { mode: 0o4755 }) }),
    data: dir({ ...many, 'big.bin': spoolFile(noise((5 << 19) + 3, 99)) }),
    dev: dir({
      console: device('char', 5, 1, 0o600),
      null: device('char', 1, 3, 0o666),
      vda: device('block', 254, 0x10005, 0o660),
      initctl: { inode: { type: 'fifo', ...meta({ mode: 0o600 }), size: 0 } },
    }),
    etc: dir({ [toBytePath('café')]: bytesFile(Buffer.from('utf-8 name\n')), motd: hostFile(join(work, 'motd'), Buffer.from('hello from the host\n')) }),
    home: dir({ user: dir({ '.profile': bytesFile(Buffer.from('export PS1=$\n'), { uid: 1000, gid: 1000, mode: 0o600 }) }, { uid: 1000, gid: 1000, mode: 0o750 }) }),
    lib: symlink('/usr/lib'),
    tmp: dir({}, { mode: 0o1777 }),
    usr: dir({
      bin: dir({ env: { inode: busybox.inode }, sg: bytesFile(Buffer.from('sg'), { mode: 0o2711, gid: 42 }) }),
      lib: dir({ 'libc.so': symlink('/usr/lib/libc.so.6'), 'libc.so.6': bytesFile(noise(12_345, 7), { mode: 0o755, mtime: MTIME + 500 }) }),
    }),
  }, { mode: 0o755 });
};

interface Expected {
  inode: Inode;
  names: number;
}

/** Every path in the tree (byte strings, "." excluded) with its inode and how many names share it. */
const expectedEntries = (root: Node): Map<string, Expected> => {
  const out = new Map<string, Expected>();
  const counts = new Map<Inode, number>();
  const walk = (prefix: string, node: Node): void => {
    for (const [name, child] of node.children ?? []) {
      const path = prefix ? `${prefix}/${name}` : name;
      out.set(path, { inode: child.inode, names: 0 });
      counts.set(child.inode, (counts.get(child.inode) ?? 0) + 1);
      walk(path, child);
    }
  };
  walk('', root);
  for (const e of out.values()) e.names = counts.get(e.inode)!;
  return out;
};

const contentOf = (inode: Inode): Buffer => {
  const ref = inode.data;
  if (!ref || inode.size === 0) return Buffer.alloc(0);
  if (ref.kind === 'bytes') return Buffer.from(ref.bytes);
  if (ref.kind === 'host') return readFileSync(ref.path);
  const buf = Buffer.alloc(inode.size);
  ref.spool.readInto(buf, 0, ref.offset, inode.size);
  return buf;
};

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const bytePathIn = (base: string, path: string): Buffer => Buffer.concat([Buffer.from(`${base}/`), Buffer.from(path, 'latin1')]);

class EventReporter implements Reporter {
  readonly events: [string, Stage | string, number | string | undefined][] = [];
  stage(stage: Stage, message: string, total?: number): void {
    this.events.push(['stage', stage, total]);
    void message;
  }
  progress(stage: Stage, done: number): void {
    this.events.push(['progress', stage, done]);
  }
  done(stage: Stage, message: string): void {
    this.events.push(['done', stage, message]);
  }
  warn(): void {}
  info(): void {}
}

/** Checks an extracted directory against the tree's entries: type, mode, owner, size, content, links. */
const checkExtracted = (dest: string, expected: Map<string, Expected>, epoch: number): void => {
  for (const [path, { inode, names }] of expected) {
    const p = bytePathIn(dest, path);
    const st = lstatSync(p, { bigint: true });
    const where = `${dest}: ${path}: `;
    expect(where + Number(st.mode & 0o170000n).toString(8)).toBe(where + TYPE_BITS[inode.type].toString(8));
    expect(where + Number(st.mode & 0o7777n).toString(8)).toBe(where + (inode.mode & 0o7777).toString(8));
    expect([where, Number(st.uid), Number(st.gid)]).toEqual([where, inode.uid, inode.gid]);
    if (inode.type === 'file') {
      const content = contentOf(inode);
      expect([where, Number(st.size)]).toEqual([where, inode.size]);
      expect([where, sha256(readFileSync(p))]).toEqual([where, sha256(content)]);
      expect([where, Number(st.nlink)]).toEqual([where, names]);
      expect([where, Number(st.mtimeNs / 1_000_000_000n)]).toEqual([where, Math.min(inode.mtime, epoch)]);
    }
    if (inode.type === 'symlink') expect([where, readlinkSync(p, 'latin1')]).toEqual([where, inode.target]);
    if (inode.type === 'char' || inode.type === 'block') {
      const rdev = st.rdev;
      const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
      const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));
      expect([where, major, minor]).toEqual([where, inode.devMajor, inode.devMinor]);
    }
  }
  // Hardlinked names are one file on disk.
  const ino = (p: string): bigint => lstatSync(join(dest, p), { bigint: true }).ino;
  expect(ino('bin/sh')).toBe(ino('bin/busybox'));
  expect(ino('usr/bin/env')).toBe(ino('bin/busybox'));
};

describe.each(['gzip', 'zstd', 'none'] as const)('a %s archive read back with the real tools', (compression) => {
  it('is one archive that bsdtar, GNU cpio and lsinitramfs list and extract whole: every entry, mode, owner, content, link, device', async () => {
    const root = buildTree();
    const outDir = await mkdtemp(join(work, `out-${compression}-`));
    const output = join(outDir, `initramfs.cpio${compression === 'gzip' ? '.gz' : compression === 'zstd' ? '.zst' : ''}`);
    const reporter = new EventReporter();
    const epoch = MTIME + 100; // clamps libc.so.6 only
    const result = await writeArchive(root, { output, compression, segmentTarget: SEGMENT_TARGET, sourceDateEpoch: epoch, reporter });

    // The result describes the file.
    const fileBytes = readFileSync(output);
    expect(result.size).toBe(fileBytes.length);
    expect(result.digest).toBe(`sha256:${sha256(fileBytes)}`);
    expect(result.level).toBe(compression === 'none' ? null : resolveLevel(compression));
    const expected = expectedEntries(root);
    expect(result.entries).toBe(expected.size + 1); // + "."
    expect(readdirSync(outDir)).toEqual([output.slice(outDir.length + 1)]); // no temp file left
    expect(reporter.events.at(-2)).toEqual(['progress', 'archive', result.uncompressedSize]);
    expect(reporter.events.at(-1)?.[0]).toBe('done');

    // One archive: the members are cut between entries (readInitramfs checks each ends on an entry
    // boundary), and the only trailer is the last entry of the last member.
    const members = await readInitramfs(output);
    if (compression !== 'none') expect(members.length).toBeGreaterThan(3);
    const records = members.flatMap((m) => m.entries);
    expect(records.map((r) => r.name).indexOf(TRAILER_NAME)).toBe(records.length - 1);
    expect(records).toHaveLength(result.entries + 1);
    // Readers key hardlinks on dev+inode over the whole archive: names share a number exactly when they
    // are one inode of the tree.
    const byIno = new Map<string, typeof records>();
    for (const r of records.slice(0, -1)) {
      const key = `${r.devmajor}:${r.devminor}:${r.ino}`;
      byIno.set(key, [...(byIno.get(key) ?? []), r]);
    }
    for (const group of byIno.values()) {
      const inodes = new Set(group.map((r) => (r.name === '.' ? root.inode : expected.get(r.name)!.inode)));
      expect([group.map((r) => r.name), inodes.size]).toEqual([group.map((r) => r.name), 1]);
    }
    expect(byIno.size).toBe(new Set([root.inode, ...[...expected.values()].map((e) => e.inode)]).size);

    // Listings of the whole file: bsdtar and GNU cpio each see every entry, as many as the report says.
    const bsdtarNames = (await listCpio(output)).split('\n').filter(Boolean).map((l) => l.replace(/^(\S+\s+){8}/, '').replace(/ (->|link to) .*$/, ''));
    const cpioNames = await listCpioGnu(output);
    expect(bsdtarNames).toHaveLength(result.entries);
    expect(cpioNames).toHaveLength(result.entries);
    expect([...cpioNames].sort()).toEqual(['.', ...expected.keys()].sort());
    expect([...bsdtarNames].sort()).toEqual([...cpioNames].sort());
    const cpioListing = execFileSync('sh', ['-c', `${compression === 'gzip' ? 'zcat' : compression === 'zstd' ? 'zstdcat' : 'cat'} "$0" | cpio -itv --quiet`, output], {
      maxBuffer: 1 << 26,
      env: { ...process.env, TZ: 'UTC' },
    })
      .toString('latin1')
      .split('\n');
    const line = (name: string): string => cpioListing.find((l) => l.endsWith(` ${name}`) || l.includes(` ${name} -> `)) ?? '';
    expect(line('bin/su')).toMatch(/^-rwsr-xr-x/);
    expect(line('usr/bin/sg')).toMatch(/^-rwx--s--x/);
    expect(line('tmp')).toMatch(/^drwxrwxrwt/);
    expect(line('dev/console')).toMatch(/^crw-------/);
    expect(line('lib')).toMatch(/^lrwxrwxrwx.* lib -> \/usr\/lib$/);

    // Extracted from the whole file, by bsdtar and GNU cpio: exactly the tree.
    for (const dest of [await extractCpio(output), await extractCpioGnu(output)]) checkExtracted(dest, expected, epoch);

    // Debian's initramfs tools, which users reach for first, see all of it too. (They take a leading
    // uncompressed archive for early microcode and then want a compressed main one: on any plain .cpio,
    // GNU cpio's own included, they exit 2 after reading it, so only compressed outputs are asked here.)
    if (compression !== 'none') {
      const lsinitramfs = execFileSync('lsinitramfs', [output], { maxBuffer: 1 << 26 }).toString('latin1').split('\n').filter(Boolean);
      expect([...lsinitramfs].sort()).toEqual([...cpioNames].sort());
      const unmk = join(outDir, 'unmkinitramfs');
      execFileSync('unmkinitramfs', [output, unmk]);
      checkExtracted(unmk, expected, epoch);
    }
  });
  it('writes the same bytes twice, whatever the concurrency, and the same as compressing each segment alone', async () => {
    const root = buildTree();
    const outDir = await mkdtemp(join(work, `twice-${compression}-`));
    const a = await writeArchive(root, { output: join(outDir, 'a'), compression, segmentTarget: SEGMENT_TARGET, concurrency: 1 });
    const b = await writeArchive(root, { output: join(outDir, 'b'), compression, segmentTarget: SEGMENT_TARGET, concurrency: 7 });
    expect(b.digest).toBe(a.digest);
    expect(readFileSync(join(outDir, 'b')).equals(readFileSync(join(outDir, 'a')))).toBe(true);

    // The streamed oversized segment compresses to the same bytes as the one-shot path would.
    const plan = planArchive(root, { segmentTarget: SEGMENT_TARGET });
    const level = resolveLevel(compression);
    const parts: Buffer[] = [];
    for (const segment of plan.segments) parts.push(await compressSegment(await assembleSegment(segment), compression, level));
    expect(sha256(Buffer.concat(parts))).toBe(a.digest.slice('sha256:'.length));
  });
});

describe('a failed write', () => {
  const manyFiles = (): Record<string, Node> => {
    const many: Record<string, Node> = {};
    for (let i = 0; i < 40; i++) many[`f${String(i).padStart(2, '0')}`] = bytesFile(noise(8000, i + 1));
    return many;
  };

  it('leaves no file at the output path and no temp file when a host file disappeared mid-write', async () => {
    const outDir = await mkdtemp(join(work, 'fail-gone-'));
    const gone = join(work, 'gone.bin');
    // Sorted after all the "f" files: several segments are already written when it is reached.
    const root = dir({ ...manyFiles(), zz: hostFile(gone, Buffer.from('soon gone')) });
    execFileSync('rm', [gone]);
    const output = join(outDir, 'initramfs.cpio.gz');
    const err = await writeArchive(root, { output, compression: 'gzip', segmentTarget: 16 << 10, concurrency: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitramfsError);
    expect((err as InitramfsError).code).toBe('INJECT_SOURCE');
    expect((err as InitramfsError).message).toContain(gone);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(outDir)).toEqual([]);
  });

  it('fails with INJECT_SOURCE and leaves the old output untouched when a host file changed size since planning', async () => {
    const outDir = await mkdtemp(join(work, 'fail-size-'));
    const path = join(work, 'grows.txt');
    const root = dir({ ...manyFiles(), zz: hostFile(path, Buffer.from('short')) });
    writeFileSync(path, 'much longer than planned');
    const output = join(outDir, 'initramfs.cpio');
    writeFileSync(output, 'previous build');
    const err = await writeArchive(root, { output, compression: 'none', segmentTarget: 16 << 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INJECT_SOURCE', message: expect.stringMatching(/zz: .*size changed from 5 to 24/) });
    expect(readFileSync(output, 'utf8')).toBe('previous build');
    expect(readdirSync(outDir)).toEqual(['initramfs.cpio']);
  });

  it('rejects an entry newc cannot hold before creating anything', async () => {
    const outDir = await mkdtemp(join(work, 'fail-limit-'));
    const root = dir({ old: bytesFile(Buffer.from('x'), { mtime: -1 }) });
    await expect(writeArchive(root, { output: join(outDir, 'out'), compression: 'zstd' })).rejects.toMatchObject({
      code: 'ARCHIVE_LIMIT',
      message: expect.stringContaining('old'),
    });
    expect(readdirSync(outDir)).toEqual([]);
  });
});
