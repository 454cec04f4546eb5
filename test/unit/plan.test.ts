import { describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import { decodeNewc, recordSize, TRAILER_NAME, TRAILER_SIZE, TYPE_BITS } from '../../src/initramfs/newc.ts';
import { inodeHash, planArchive, type ArchivePlan, type PlannedRecord } from '../../src/initramfs/plan.ts';
import { assembleSegment } from '../../src/initramfs/write.ts';
import type { Inode, Node } from '../../src/rootfs/node.ts';

const fileInode = (content: string | Buffer, over: Partial<Inode> = {}): Inode => {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1000, size: bytes.length, data: { kind: 'bytes', bytes }, ...over };
};
const node = (inode: Inode): Node => ({ inode });
const file = (content: string | Buffer, over: Partial<Inode> = {}): Node => node(fileInode(content, over));
const dir = (children: Record<string, Node>, over: Partial<Inode> = {}): Node => ({
  inode: { type: 'dir', mode: 0o755, uid: 0, gid: 0, mtime: 1000, size: 0, ...over },
  children: new Map(Object.entries(children)),
});
const symlink = (target: string): Node => node({ type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 1000, size: 0, target });

const records = (plan: ArchivePlan): PlannedRecord[] => plan.segments.flatMap((s) => [...s.records]);
const names = (plan: ArchivePlan): string[] => records(plan).map((r) => r.entry.name);
const byName = (plan: ArchivePlan, name: string): PlannedRecord => {
  const r = records(plan).find((x) => x.entry.name === name);
  if (!r) throw new Error(`no record ${name}`);
  return r;
};

describe('archive plan order', () => {
  it('emits the root as "." first, the directories depth-first, then the other names by suffix, name and path', () => {
    const root = dir({
      // latin1 byte strings: 'B' 0x42 < 'a' 0x61 < 'ä' 0xE4
      '\xe4': file('umlaut'),
      a: dir({ z: file('z'), b: file('b') }),
      B: file('B'),
      'a-b': file('dash'),
    });
    expect(names(planArchive(root))).toEqual(['.', 'a', 'B', 'a-b', 'a/b', 'a/z', '\xe4']);
  });

  it('groups files of one kind: by the suffix from the first dot, then the name, then the path', () => {
    const root = dir({
      lib: dir({ 'libc.so.6': file('elf'), 'libz.so.1': file('elf') }),
      b: dir({ '__init__.py': file('') , 'z.py': file('z') }),
      c: dir({ '__init__.py': file(''), README: file('r') }),
      README: file('top'),
      '.profile': file('sh'),
    });
    expect(names(planArchive(root)).slice(4)).toEqual([
      // ".profile": the suffix is "profile"; "so.1" sorts before "so.6"
      'README', 'c/README', '.profile', 'b/__init__.py', 'c/__init__.py', 'b/z.py', 'libz.so.1', 'libc.so.6',
    ].map((n) => (n.startsWith('lib') ? `lib/${n}` : n)));
  });

  it('puts every directory before anything inside it', () => {
    const root = dir({ usr: dir({ lib: dir({ x: dir({ deep: file('d') }) }), bin: dir({ sh: file('sh') }) }) });
    const order = names(planArchive(root));
    for (const [i, name] of order.entries()) {
      const parent = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '.';
      if (name !== '.') expect(order.indexOf(parent)).toBeLessThan(i);
    }
  });

  it('gives the same records and inode numbers whatever order the tree was built in', () => {
    const build = (reverse: boolean): Node => {
      const entries: [string, Node][] = [
        ['etc', dir({ passwd: file('root:x:0:0') })],
        ['bin', dir({ sh: file('#!'), ls: file('ls') })],
        ['init', file('init')],
      ];
      return dir(Object.fromEntries(reverse ? entries.reverse() : entries));
    };
    const a = planArchive(build(false));
    const b = planArchive(build(true));
    expect(records(a).map((r) => r.entry)).toEqual(records(b).map((r) => r.entry));
    expect(names(a)).toEqual(['.', 'bin', 'etc', 'init', 'bin/ls', 'etc/passwd', 'bin/sh']);
    const inos = records(a).map((r) => r.entry.ino);
    expect(new Set(inos).size).toBe(inos.length);
    expect(inos.every((ino) => ino > 0)).toBe(true);
  });
});

describe('archive plan metadata', () => {
  it('gives a directory nlink 2 + its subdirectories and other types nlink 1', () => {
    const plan = planArchive(dir({ a: dir({}), b: dir({ c: dir({}) }), f: file('x'), l: symlink('/f') }));
    expect(byName(plan, '.').entry.nlink).toBe(4);
    expect(byName(plan, 'a').entry.nlink).toBe(2);
    expect(byName(plan, 'b').entry.nlink).toBe(3);
    expect(byName(plan, 'f').entry.nlink).toBe(1);
    expect(byName(plan, 'l').entry.nlink).toBe(1);
  });

  it('encodes type and permission bits (setuid, setgid, sticky), owners, devices and symlink targets', () => {
    const dev = (type: 'char' | 'block', major: number, minor: number): Node =>
      node({ type, mode: 0o660, uid: 0, gid: 6, mtime: 1, size: 0, devMajor: major, devMinor: minor });
    const plan = planArchive(
      dir({
        su: file('x', { mode: 0o4755, uid: 1000, gid: 1000 }),
        sg: file('x', { mode: 0o2755 }),
        tmp: dir({}, { mode: 0o1777 }),
        null: dev('char', 1, 3),
        vda: dev('block', 254, 0),
        fifo: node({ type: 'fifo', mode: 0o600, uid: 0, gid: 0, mtime: 1, size: 0 }),
        sh: symlink('/bin/busybox'),
      }),
    );
    expect(byName(plan, 'su').entry).toMatchObject({ mode: TYPE_BITS.file | 0o4755, uid: 1000, gid: 1000 });
    expect(byName(plan, 'sg').entry.mode).toBe(TYPE_BITS.file | 0o2755);
    expect(byName(plan, 'tmp').entry.mode).toBe(TYPE_BITS.dir | 0o1777);
    expect(byName(plan, 'null').entry).toMatchObject({ mode: TYPE_BITS.char | 0o660, rdevmajor: 1, rdevminor: 3, filesize: 0 });
    expect(byName(plan, 'vda').entry).toMatchObject({ mode: TYPE_BITS.block | 0o660, rdevmajor: 254, rdevminor: 0 });
    expect(byName(plan, 'fifo').entry.mode).toBe(TYPE_BITS.fifo | 0o600);
    const sh = byName(plan, 'sh');
    expect(sh.entry).toMatchObject({ mode: TYPE_BITS.symlink | 0o777, filesize: '/bin/busybox'.length });
    expect(sh.data).toEqual({ kind: 'target', bytes: Buffer.from('/bin/busybox') });
  });

  it('clamps every mtime to SOURCE_DATE_EPOCH and keeps older ones', () => {
    const root = dir({ old: file('o', { mtime: 500 }), new: file('n', { mtime: 5000 }), d: dir({}, { mtime: 9999 }) }, { mtime: 2000 });
    const plan = planArchive(root, { sourceDateEpoch: 1500 });
    expect(records(plan).map((r) => [r.entry.name, r.entry.mtime])).toEqual([
      ['.', 1500],
      ['d', 1500],
      ['new', 1500],
      ['old', 500],
    ]);
    expect(byName(planArchive(root), 'new').entry.mtime).toBe(5000);
  });

  it('rejects a bad SOURCE_DATE_EPOCH as USAGE', () => {
    expect(() => planArchive(dir({}), { sourceDateEpoch: -1 })).toThrow(InitramfsError);
    expect(() => planArchive(dir({}), { sourceDateEpoch: 1.5 })).toThrow(/SOURCE_DATE_EPOCH/);
  });

  it('fails before writing anything when an entry exceeds newc, naming the path', () => {
    const huge: Inode = { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 2 ** 32, data: { kind: 'host', path: '/nonexistent' } };
    expect(() => planArchive(dir({ var: dir({ 'disk.img': node(huge) }) }))).toThrow(
      expect.objectContaining({ code: 'ARCHIVE_LIMIT', message: expect.stringContaining('var/disk.img') }),
    );
  });
});

describe('hardlinks in the plan', () => {
  it('emits a group consecutively at its last name, with one ino, nlink = names, data on the last only', () => {
    const shared = fileInode('busybox binary');
    const root = dir({
      bin: dir({ sh: node(shared), ls: node(shared) }),
      etc: dir({ motd: file('hi') }),
      sbin: dir({ init: node(shared) }),
      zz: file('after'),
    });
    const plan = planArchive(root);
    expect(names(plan)).toEqual(['.', 'bin', 'etc', 'sbin', 'etc/motd', 'sbin/init', 'bin/ls', 'bin/sh', 'zz']);
    const groupNames = ['sbin/init', 'bin/ls', 'bin/sh'];
    const group = groupNames.map((n) => byName(plan, n));
    expect(new Set(group.map((r) => r.entry.ino)).size).toBe(1);
    expect(group.map((r) => r.entry.nlink)).toEqual([3, 3, 3]);
    expect(group.map((r) => r.entry.filesize)).toEqual([0, 0, 'busybox binary'.length]);
    expect(group.map((r) => r.data.kind)).toEqual(['none', 'none', 'file']);
    // Every other record has a number of its own.
    // (By name: a segment's records are made anew each time it is iterated.)
    const others = records(plan).filter((r) => !groupNames.includes(r.entry.name)).map((r) => r.entry.ino);
    expect(new Set([...others, group[0]!.entry.ino]).size).toBe(others.length + 1);
  });

  it('comes after every directory, names in deep directories included', () => {
    const shared = fileInode('lib');
    const root = dir({
      a: dir({ lib: node(shared) }),
      m: file('m'),
      z: dir({ deep: dir({ er: dir({ lib: node(shared) }) }) }),
    });
    const order = names(planArchive(root));
    expect(order).toEqual(['.', 'a', 'z', 'z/deep', 'z/deep/er', 'a/lib', 'z/deep/er/lib', 'm']);
  });

  it('links devices and fifos like files, but writes symlinks that share an inode as separate symlinks', () => {
    const tty: Inode = { type: 'char', mode: 0o666, uid: 0, gid: 0, mtime: 0, size: 0, devMajor: 5, devMinor: 0 };
    const link: Inode = { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: 'busybox' };
    const plan = planArchive(dir({ tty: node(tty), console: node(tty), l1: node(link), l2: node(link) }));
    expect(byName(plan, 'console').entry.ino).toBe(byName(plan, 'tty').entry.ino);
    expect(byName(plan, 'tty').entry.nlink).toBe(2);
    // The kernel never links symlinks: each name needs its own target.
    expect(byName(plan, 'l1').entry.ino).not.toBe(byName(plan, 'l2').entry.ino);
    expect([byName(plan, 'l1'), byName(plan, 'l2')].map((r) => [r.entry.nlink, r.entry.filesize])).toEqual([
      [1, 7],
      [1, 7],
    ]);
  });
});

describe('segments', () => {
  const sizeOf = (r: PlannedRecord): number => recordSize(Buffer.byteLength(r.entry.name, 'latin1'), r.entry.filesize);

  /** 300 files of 60 to 359 bytes under names that sort in a fixed order. */
  const manyFiles = (extra: Record<string, Node> = {}): Node => {
    const children: Record<string, Node> = { ...extra };
    for (let i = 0; i < 300; i++) children[`f${String(i).padStart(3, '0')}`] = file(Buffer.alloc(60 + ((i * 37) % 300), i));
    return dir(children);
  };

  it('cuts one archive into segments of half to twice the target, every record once, the trailer in the last only', () => {
    const target = 2000;
    const plan = planArchive(manyFiles(), { segmentTarget: target });
    expect(plan.segments.length).toBeGreaterThan(10);
    for (const [i, seg] of plan.segments.entries()) {
      const recordBytes = [...seg.records].reduce((n, r) => n + sizeOf(r), 0);
      const last = i === plan.segments.length - 1;
      expect(seg.last).toBe(last);
      expect(seg.size).toBe(recordBytes + (last ? TRAILER_SIZE : 0));
      if (!last) {
        expect(recordBytes).toBeGreaterThanOrEqual(target / 2);
        // The cut comes at twice the target at the latest: without its last unit it was under that.
        expect(recordBytes - sizeOf([...seg.records].at(-1)!)).toBeLessThan(2 * target);
      }
    }
    // Content-defined, not fixed: the segments do not all have the same size.
    expect(new Set(plan.segments.slice(0, -1).map((s) => Math.floor(s.size / 200))).size).toBeGreaterThan(2);
    expect(plan.uncompressedSize).toBe(plan.segments.reduce((n, s) => n + s.size, 0));
    expect(plan.entries).toBe(301);
  });

  it('numbers inodes uniquely over the whole archive, not per segment', () => {
    const plan = planArchive(manyFiles(), { segmentTarget: 2000 });
    expect(plan.segments.length).toBeGreaterThan(10);
    const inos = records(plan).map((r) => r.entry.ino);
    expect(new Set(inos).size).toBe(inos.length);
  });

  it('gives a name the same inode number whatever else is in the archive', () => {
    const before = planArchive(manyFiles(), { segmentTarget: 2000 });
    const after = planArchive(manyFiles({ f000a: file('new'), g: file('more') }), { segmentTarget: 2000 });
    const inoOf = (plan: ArchivePlan): Map<string, number> => new Map(records(plan).map((r) => [r.entry.name, r.entry.ino]));
    const a = inoOf(after);
    for (const [name, ino] of inoOf(before)) expect(a.get(name), name).toBe(ino);
  });

  it('moves a name whose hash collides with an earlier one to a free number, so no two units share one', () => {
    // Two names with the same hash (32 bits: a pair turns up after some 80,000 names), planned together.
    const seen = new Map<number, string>();
    let pair: { names: [string, string]; ino: number } | undefined;
    for (let i = 0; pair === undefined; i++) {
      const name = `n${i}`;
      const ino = inodeHash(name);
      const other = seen.get(ino);
      if (other !== undefined) pair = { names: [other, name], ino };
      else seen.set(ino, name);
    }
    const plan = planArchive(dir({ [pair.names[0]]: file('x'), [pair.names[1]]: file('y') }));
    const [first, second] = records(plan).filter((r) => r.entry.name !== '.');
    // Alone, each gets its hash; together, the first in emission order keeps it and the other moves.
    for (const name of pair.names) expect(byName(planArchive(dir({ [name]: file('') })), name).entry.ino).toBe(pair.ino);
    expect(first!.entry.ino).toBe(pair.ino);
    expect(second!.entry.ino).not.toBe(pair.ino);
    expect(second!.entry.ino).toBeGreaterThan(0);
    expect(byName(plan, '.').entry.ino).not.toBe(second!.entry.ino);
  });

  it('a file added in the middle changes only the segments around it; the others keep their bytes', async () => {
    const encode = async (root: Node): Promise<string[]> => {
      const plan = planArchive(root, { segmentTarget: 2000 });
      return Promise.all(plan.segments.map(async (seg) => (await assembleSegment(seg)).toString('hex')));
    };
    const before = await encode(manyFiles());
    const after = await encode(manyFiles({ f150a: file(Buffer.alloc(777, 9)) }));
    const old = new Set(before);
    const changed = after.filter((s) => !old.has(s));
    expect(before.length).toBeGreaterThan(10);
    expect(changed.length).toBeGreaterThanOrEqual(1);
    expect(changed.length).toBeLessThanOrEqual(2);
  });

  it('never cuts inside a hardlink group', () => {
    const shared = fileInode(Buffer.alloc(300, 1));
    const children: Record<string, Node> = {};
    for (let i = 0; i < 10; i++) children[`h${i}`] = node(shared);
    children['a'] = file(Buffer.alloc(50));
    const plan = planArchive(dir(children), { segmentTarget: 200 });
    const withGroup = plan.segments.filter((s) => [...s.records].some((r) => r.entry.name.startsWith('h')));
    expect(withGroup).toHaveLength(1);
    expect([...withGroup[0]!.records].filter((r) => r.entry.name.startsWith('h'))).toHaveLength(10);
    // The small records before it did reach the target, so a cut happened before the group.
    expect(plan.segments.length).toBeGreaterThan(1);
  });

  it('decodes back to the planned records, with one trailer at the very end', async () => {
    const root = dir({ a: file('alpha'), b: dir({ c: file('gamma!') }), l: symlink('/a') });
    const plan = planArchive(root, { segmentTarget: 256 });
    const bytes = Buffer.concat(await Promise.all(plan.segments.map((s) => assembleSegment(s))));
    expect(bytes.length).toBe(plan.uncompressedSize);
    const decoded = decodeNewc(bytes);
    expect(plan.segments.length).toBeGreaterThan(1);
    expect(decoded.map((r) => r.name).indexOf(TRAILER_NAME)).toBe(decoded.length - 1);
    const files = decoded.filter((r) => r.name !== TRAILER_NAME);
    expect(files.map(({ data: _d, ...e }) => e)).toEqual(records(plan).map((r) => r.entry));
    expect(files.find((r) => r.name === 'b/c')!.data.toString()).toBe('gamma!');
    expect(files.find((r) => r.name === 'l')!.data.toString()).toBe('/a');
  });
});
