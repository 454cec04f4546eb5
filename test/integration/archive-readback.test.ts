// Writes archives from trees built in code and reads them back with the real tools (gzip, zstd, bsdtar,
// GNU cpio): what they list and what bsdtar extracts (as root) must be exactly the tree.
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
import type { Compression } from '../../src/initramfs/compress.ts';
import { compressSegment, resolveLevel } from '../../src/initramfs/compress.ts';
import { HEADER_SIZE, headerAndNameSize, OFFSET, pad4, TRAILER_NAME, TYPE_BITS } from '../../src/initramfs/newc.ts';
import { planArchive } from '../../src/initramfs/plan.ts';
import { assembleSegment, writeArchive } from '../../src/initramfs/write.ts';
import { toBytePath, type Inode, type Node } from '../../src/rootfs/node.ts';

/** Small segments so a small tree spans many of them; the 2.5 MiB file exceeds two targets (streamed). */
const SEGMENT_TARGET = 64 << 10;
const MTIME = 1_700_000_000;

let work: string;
let spool: SpoolFile;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'archive-readback-'));
  spool = new SpoolFile(join(work, 'layer.spool'));
});

afterAll(async () => {
  spool.dispose();
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

const decompress = (file: string, compression: Compression): Buffer => {
  const big = { maxBuffer: 1 << 30 };
  if (compression === 'gzip') return execFileSync('gzip', ['-dc', file], big);
  if (compression === 'zstd') return execFileSync('zstd', ['-dc', '-q', file], big);
  return readFileSync(file);
};

/** Cuts a cpio stream after each TRAILER!!!: one complete archive per segment, as the kernel reads them. */
const splitArchives = (buf: Buffer): Buffer[] => {
  const out: Buffer[] = [];
  let start = 0;
  let pos = 0;
  const hex = (at: number): number => parseInt(buf.toString('latin1', at, at + 8), 16);
  while (pos < buf.length) {
    expect(buf.toString('latin1', pos, pos + 6)).toBe('070701');
    const namesize = hex(pos + OFFSET.namesize);
    const filesize = hex(pos + OFFSET.filesize);
    const name = buf.toString('latin1', pos + HEADER_SIZE, pos + HEADER_SIZE + namesize - 1);
    pos += headerAndNameSize(namesize - 1) + filesize + pad4(filesize);
    if (name === TRAILER_NAME) {
      out.push(buf.subarray(start, pos));
      start = pos;
    }
  }
  expect(start).toBe(buf.length);
  return out;
};

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

describe.each(['gzip', 'zstd', 'none'] as const)('a %s archive read back with the real tools', (compression) => {
  it('lists and extracts to exactly the tree: types, modes, owners, sizes, contents, links, devices', async () => {
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

    // The CLI decompressor reads the concatenated members/frames as one stream: the cpio bytes.
    const cpio = decompress(output, compression);
    expect(cpio.length).toBe(result.uncompressedSize);
    const archives = splitArchives(cpio);
    expect(archives.length).toBeGreaterThan(3);

    // Listings: bsdtar and GNU cpio each read every segment's records.
    const listed = new Set<string>();
    const cpioListing: string[] = [];
    for (const archive of archives) {
      const names = execFileSync('bsdtar', ['-tf', '-'], { input: archive, maxBuffer: 1 << 26 }).toString('latin1').split('\n').filter(Boolean);
      for (const n of names) listed.add(n);
      cpioListing.push(...execFileSync('cpio', ['-itv', '--quiet'], { input: archive, maxBuffer: 1 << 26 }).toString('latin1').split('\n'));
    }
    expect([...listed].sort()).toEqual(['.', ...expected.keys()].sort());
    const line = (name: string): string => cpioListing.find((l) => l.endsWith(` ${name}`) || l.includes(` ${name} -> `)) ?? '';
    expect(line('bin/su')).toMatch(/^-rwsr-xr-x/);
    expect(line('usr/bin/sg')).toMatch(/^-rwx--s--x/);
    expect(line('tmp')).toMatch(/^drwxrwxrwt/);
    expect(line('dev/console')).toMatch(/^crw-------/);
    expect(line('lib')).toMatch(/^lrwxrwxrwx.* lib -> \/usr\/lib$/);

    // Extract every segment in order into one directory, as the kernel unpacks them.
    const dest = join(outDir, 'root');
    await mkdir(dest);
    archives.forEach((archive, i) => {
      const seg = join(outDir, `seg-${i}.cpio`);
      writeFileSync(seg, archive);
      execFileSync('bsdtar', ['-xpf', seg, '--numeric-owner', '-C', dest]);
    });

    for (const [path, { inode, names }] of expected) {
      const p = bytePathIn(dest, path);
      const st = lstatSync(p, { bigint: true });
      const where = `${path}: `;
      expect(where + Number(st.mode & 0o170000n).toString(8)).toBe(where + TYPE_BITS[inode.type].toString(8));
      expect(where + Number(st.mode & 0o7777n).toString(8)).toBe(where + (inode.mode & 0o7777).toString(8));
      expect([path, Number(st.uid), Number(st.gid)]).toEqual([path, inode.uid, inode.gid]);
      if (inode.type === 'file') {
        const content = contentOf(inode);
        expect([path, Number(st.size)]).toEqual([path, inode.size]);
        expect([path, sha256(readFileSync(p))]).toEqual([path, sha256(content)]);
        expect([path, Number(st.nlink)]).toEqual([path, names]);
        expect([path, Number(st.mtimeNs / 1_000_000_000n)]).toEqual([path, Math.min(inode.mtime, epoch)]);
      }
      if (inode.type === 'symlink') expect([path, readlinkSync(p, 'latin1')]).toEqual([path, inode.target]);
      if (inode.type === 'char' || inode.type === 'block') {
        const rdev = st.rdev;
        const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
        const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));
        expect([path, major, minor]).toEqual([path, inode.devMajor, inode.devMinor]);
      }
    }
    // Hardlinked names are one file on disk.
    const ino = (p: string): bigint => lstatSync(join(dest, p), { bigint: true }).ino;
    expect(ino('bin/sh')).toBe(ino('bin/busybox'));
    expect(ino('usr/bin/env')).toBe(ino('bin/busybox'));
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
