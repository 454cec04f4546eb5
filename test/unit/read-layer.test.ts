import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { InitramfsError } from '../../src/errors.ts';
import { sha256Digest } from '../../src/image/digest.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { readLayer } from '../../src/image/read-layer.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import { buildTar, compress, memoryLayer, type TestCompression, type TestEntry } from '../helpers/image.ts';

const dir = mkdtempSync(join(tmpdir(), 'read-layer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let spools = 0;
const newSpool = (): SpoolFile => new SpoolFile(join(dir, `spool-${spools++}`), 'sha256:test');

const read = async (blob: Buffer, compression: TestCompression, claim?: { digest?: string }): Promise<{ entries: LayerEntry[]; spool: SpoolFile }> => {
  const spool = newSpool();
  const entries = await readLayer(memoryLayer(blob, compression === 'zstd-frames' ? 'zstd' : compression, claim), spool);
  return { entries, spool };
};

const failure = (p: Promise<unknown>): Promise<InitramfsError> =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as InitramfsError,
  );

/** The bytes of a spooled file. */
const contentOf = (e: LayerEntry): Buffer => {
  const out = Buffer.alloc(e.size);
  if (e.size > 0) {
    if (e.data?.kind !== 'spool') throw new Error(`${e.name} has no spooled data`);
    e.data.spool.readInto(out, 0, e.data.offset, e.size);
  }
  return out;
};

const big = Buffer.alloc(300_000);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;

const everyKind: TestEntry[] = [
  { name: 'usr/', type: 'dir', mode: 0o755, mtime: 1_700_000_000 },
  { name: 'tmp', type: 'dir', mode: 0o1777 },
  { name: 'usr/bin/su', mode: 0o4755, uid: 0, gid: 0, content: 'setuid binary' },
  { name: 'usr/bin/wall', mode: 0o2755, gid: 5, content: 'setgid binary' },
  { name: 'usr/lib/big.so', content: big, uid: 1000, gid: 1001, mtime: 1234567890 },
  { name: 'usr/empty', content: '' },
  { name: 'usr/bin/su2', type: 'hardlink', linkname: 'usr/bin/su' },
  { name: 'usr/bin/sh', type: 'symlink', linkname: '/bin/busybox', mode: 0o777 },
  { name: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 },
  { name: 'dev/sda', type: 'block', mode: 0o660, devmajor: 8, devminor: 0, gid: 6 },
  { name: 'run/initctl', type: 'fifo', mode: 0o600 },
  { name: 'etc/.wh.gone', content: '' },
  { name: 'etc/.wh..wh..opq', content: '' },
];

describe('readLayer', () => {
  test('gives one entry per tar entry, in order, with every field', async () => {
    const { entries } = await read(buildTar(everyKind), 'none');
    expect(entries.map((e) => [e.name, e.type])).toEqual(everyKind.map((e) => [e.name, e.type === 'hardlink' ? 'hardlink' : (e.type ?? 'file')]));
    const by = new Map(entries.map((e) => [e.name, e]));
    expect(by.get('usr/')).toMatchObject({ type: 'dir', mode: 0o755, mtime: 1_700_000_000, size: 0 });
    expect(by.get('tmp')).toMatchObject({ type: 'dir', mode: 0o1777 });
    expect(by.get('usr/bin/su')).toMatchObject({ type: 'file', mode: 0o4755, size: 13 });
    expect(by.get('usr/bin/wall')).toMatchObject({ mode: 0o2755, gid: 5 });
    expect(by.get('usr/lib/big.so')).toMatchObject({ uid: 1000, gid: 1001, mtime: 1234567890, size: big.length });
    expect(by.get('usr/empty')).toMatchObject({ type: 'file', size: 0 });
    expect(by.get('usr/empty')!.data).toBeUndefined();
    expect(by.get('usr/bin/su2')).toMatchObject({ type: 'hardlink', linkname: 'usr/bin/su', size: 0 });
    expect(by.get('usr/bin/sh')).toMatchObject({ type: 'symlink', linkname: '/bin/busybox', mode: 0o777 });
    expect(by.get('dev/null')).toMatchObject({ type: 'char', devMajor: 1, devMinor: 3, mode: 0o666 });
    expect(by.get('dev/sda')).toMatchObject({ type: 'block', devMajor: 8, devMinor: 0 });
    expect(by.get('run/initctl')).toMatchObject({ type: 'fifo', mode: 0o600 });
    expect(by.get('usr/bin/sh')!.devMajor).toBeUndefined();
    expect(by.get('usr/bin/su')!.linkname).toBeUndefined();
  });

  test.each(['none', 'gzip', 'zstd', 'zstd-frames'] as const)('spools file bytes exactly from a %s layer', async (c) => {
    const { entries } = await read(compress(buildTar(everyKind), c), c);
    const by = new Map(entries.map((e) => [e.name, e]));
    expect(contentOf(by.get('usr/bin/su')!).toString()).toBe('setuid binary');
    expect(contentOf(by.get('usr/lib/big.so')!)).toEqual(big);
    expect(contentOf(by.get('usr/bin/wall')!).toString()).toBe('setgid binary');
  });

  test('a multi-frame zstd layer delivers every file of every frame', async () => {
    const files: TestEntry[] = Array.from({ length: 40 }, (_, i) => ({ name: `f/${i}`, content: `file ${i} `.repeat(200 + i) }));
    const blob = compress(buildTar(files), 'zstd-frames');
    const { entries } = await read(blob, 'zstd-frames');
    expect(entries.map((e) => e.name)).toEqual(files.map((f) => f.name));
    entries.forEach((e, i) => expect(contentOf(e).toString()).toBe(files[i]!.content));
  });

  test('names and link targets that are not UTF-8 come through as their bytes', async () => {
    const name = 'caf\xe9/\xff\xfe-raw';
    const { entries } = await read(buildTar([{ name, content: 'x' }, { name: 'l\x80', type: 'symlink', linkname: '\xe9t\xe9' }]), 'none');
    expect(entries[0]!.name).toBe(name);
    expect(Buffer.from(entries[0]!.name, 'latin1')).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2f, 0xff, 0xfe, 0x2d, 0x72, 0x61, 0x77]));
    expect(entries[1]).toMatchObject({ name: 'l\x80', linkname: '\xe9t\xe9' });
  });

  test('long names from pax records arrive as the bytes of their UTF-8', async () => {
    const utf8Name = Buffer.from(`${'dir/'.repeat(30)}ünïcödé-${'x'.repeat(40)}`, 'utf8').toString('latin1');
    const target = `/${'t'.repeat(150)}`;
    const tarBytes = buildTar([
      { name: utf8Name, content: 'long' },
      { name: 'link', type: 'symlink', linkname: target },
    ]);
    const { entries } = await read(tarBytes, 'none');
    expect(utf8Name.length).toBeGreaterThan(100);
    expect(entries[0]).toMatchObject({ name: utf8Name, size: 4 });
    expect(contentOf(entries[0]!).toString()).toBe('long');
    expect(entries[1]!.linkname).toBe(target);
  });

  test('pax paths holding raw non-UTF-8 bytes (as Go and GNU tar write them) keep their bytes', async () => {
    const name = `${'d\xff/'.repeat(40)}\xe9nd`;
    const { entries } = await read(buildTar([{ name: 'x', pax: { path: name, linkpath: '\xfe' }, type: 'symlink' }]), 'none');
    expect(entries[0]).toMatchObject({ name, linkname: '\xfe' });
  });

  test('long GNU names keep non-UTF-8 bytes', async () => {
    const name = `${'d\xff/'.repeat(40)}end`;
    const { entries } = await read(buildTar([{ name, content: 'g' }, { name: 'h', type: 'hardlink', linkname: name }], { longNames: 'gnu' }), 'none');
    expect(entries.map((e) => [e.name, e.linkname])).toEqual([
      [name, undefined],
      ['h', name],
    ]);
  });

  test('base-256 numbers and pax uid/gid/mtime are read, pax fractions truncated', async () => {
    const { entries } = await read(
      buildTar([
        { name: 'big-ids', uid: 3_000_000, gid: 4_000_000, mtime: 10_000_000_000, content: 'a' },
        { name: 'pax-ids', pax: { uid: '70000', gid: '80000', mtime: '1600000000.987654321' }, content: 'b' },
        { name: 'pre-epoch', pax: { mtime: '-5.5' }, content: 'c' },
      ]),
      'none',
    );
    expect(entries[0]).toMatchObject({ uid: 3_000_000, gid: 4_000_000, mtime: 10_000_000_000 });
    expect(entries[1]).toMatchObject({ uid: 70000, gid: 80000, mtime: 1600000000 });
    expect(entries[2]!.mtime).toBe(-5);
  });

  test('extended attributes in pax records (GNU/star and libarchive spellings) are named on the entry', async () => {
    const { entries } = await read(
      buildTar([
        { name: 'ping', pax: { 'SCHILY.xattr.security.capability': '\x01\x00\x00\x02', 'SCHILY.xattr.user.a': 'x' }, content: 'p' },
        { name: 'label', pax: { 'LIBARCHIVE.xattr.security.selinux': 'c3lzdGVt' }, content: 'l' },
        { name: 'plain', pax: { uid: '5' }, content: 'n' },
      ]),
      'none',
    );
    expect(entries.map((e) => e.xattrs)).toEqual([['security.capability', 'user.a'], ['security.selinux'], undefined]);
  });

  test('a tar cut short (with a matching digest) fails with BAD_LAYER naming the layer', async () => {
    const whole = buildTar(everyKind);
    const cut = whole.subarray(0, 512 * 6 + 100);
    for (const c of ['none', 'gzip'] as const) {
      const blob = compress(cut, c);
      const err = await failure(read(blob, c));
      expect(err.code).toBe('BAD_LAYER');
      expect(err.message).toContain(sha256Digest(blob).slice(0, 19));
    }
  });

  test('a flipped byte fails with DIGEST_MISMATCH, not the tar error it also causes', async () => {
    const good = buildTar(everyKind);
    const bad = Buffer.from(good);
    bad[10]! ^= 0x01; // first header's name: its checksum no longer matches either
    for (let i = 0; i < 3; i++) {
      const err = await failure(read(bad, 'none', { digest: sha256Digest(good) }));
      expect(err.code).toBe('DIGEST_MISMATCH');
      expect(err.message).toContain(sha256Digest(good));
    }
  });

  test('bytes after the end-of-archive marker are still verified', async () => {
    const good = Buffer.concat([buildTar([{ name: 'a', content: 'a' }]), Buffer.alloc(10240)]);
    const bad = Buffer.from(good);
    bad[bad.length - 1] = 1;
    const err = await failure(read(bad, 'none', { digest: sha256Digest(good) }));
    expect(err.code).toBe('DIGEST_MISMATCH');
    const gz = gzipSync(good);
    expect((await read(gz, 'gzip')).entries.map((e) => e.name)).toEqual(['a']);
  });

  test('an entry type outside the model (GNU sparse) fails with UNSUPPORTED naming it', async () => {
    const t = buildTar([{ name: 'sparse-file', content: 'data' }]);
    t[156] = 'S'.charCodeAt(0);
    t.fill(0x20, 148, 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += t[i]!;
    t.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const err = await failure(read(t, 'none'));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('sparse-file');
  });
});
