import { describe, expect, test } from 'vitest';
import { TarFormatError, TarReader, type TarEntry } from '../../src/image/tar-reader.ts';
import { buildTar, type TestEntry } from '../helpers/image.ts';
import { END, headerOf, patchHeader, paxRecord, rawPaxEntry, setBase256Size } from '../helpers/tar-craft.ts';

interface Read {
  entries: (Pick<TarEntry, 'name' | 'typeflag' | 'size' | 'linkname'> & { data: string })[];
  endOffset: number | undefined;
  trailing: { bytes: number; nonZero: boolean };
}

/** Everything a TarReader reports for `tar`, fed in chunks of `chunk` bytes. */
function read(tar: Buffer, chunk = tar.length): Read {
  const entries: Read['entries'] = [];
  const data: Buffer[][] = [];
  const reader = new TarReader({
    entry: (e) => {
      entries.push({ name: e.name, typeflag: e.typeflag, size: e.size, linkname: e.linkname, data: '' });
      data.push([]);
    },
    data: (b) => data[data.length - 1]!.push(Buffer.from(b)),
  });
  for (let i = 0; i < tar.length; i += chunk) reader.push(tar.subarray(i, i + chunk));
  reader.end();
  entries.forEach((e, i) => (e.data = Buffer.concat(data[i]!).toString('latin1')));
  return { entries, endOffset: reader.endOffset, trailing: reader.trailing };
}

const formatError = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TarFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a TarFormatError');
};

const files: TestEntry[] = [
  { name: 'a', content: 'x'.repeat(1000) },
  { name: 'empty', content: '' },
  { name: `${'long/'.repeat(30)}name`, content: 'pax-named' },
  { name: 'd/', type: 'dir' },
  { name: 'l', type: 'symlink', linkname: `${'t'.repeat(200)}` },
  { name: 'b', content: Buffer.alloc(5000, 7) },
];

describe('TarReader', () => {
  test.each([1, 7, 321, 512, 4096, 1 << 20])('gives the same entries and data whatever the chunk size (%i bytes)', (chunk) => {
    const tar = buildTar(files);
    expect(read(tar, chunk)).toEqual(read(tar));
    expect(read(tar, chunk).entries.map((e) => [e.name, e.size, e.data.length])).toEqual([
      ['a', 1000, 1000],
      ['empty', 0, 0],
      [`${'long/'.repeat(30)}name`, 9, 9],
      ['d/', 0, 0],
      ['l', 0, 0],
      ['b', 5000, 5000],
    ]);
  });

  test('stops at the end-of-archive marker: a second tar after it is only counted, and noticed as not zeros', () => {
    const first = buildTar([{ name: 'etc/passwd', content: 'root' }]);
    const second = buildTar([{ name: 'etc/passwd', content: 'evil' }, { name: 'stargz.index.json', content: '{}' }]);
    for (const chunk of [100, 512, 1 << 16]) {
      const r = read(Buffer.concat([first, second]), chunk);
      expect(r.entries.map((e) => [e.name, e.data])).toEqual([['etc/passwd', 'root']]);
      expect(r.endOffset).toBe(1024);
      expect(r.trailing).toEqual({ bytes: first.length - 1024 - 512 + second.length, nonZero: true });
    }
  });

  test('zeros after the marker are padding', () => {
    const r = read(Buffer.concat([buildTar([{ name: 'a', content: 'a' }]), Buffer.alloc(9216)]));
    expect(r.trailing.nonZero).toBe(false);
    expect(r.entries.map((e) => e.name)).toEqual(['a']);
  });

  test('one zero block is the end: a header after it is not read (Go refuses such a tar, bsdtar stops there too)', () => {
    const lone = Buffer.concat([headerOf({ name: 'a' }), Buffer.alloc(512), buildTar([{ name: 'hidden', content: 'h' }])]);
    const r = read(lone);
    expect(r.entries.map((e) => e.name)).toEqual(['a']);
    expect(r.trailing.nonZero).toBe(true);
  });

  test('a tar without its end marker is accepted at an entry boundary, and refused inside an entry', () => {
    const whole = buildTar([{ name: 'a', content: 'abc' }]);
    expect(read(whole.subarray(0, 1024)).entries.map((e) => e.data)).toEqual(['abc']);
    expect(formatError(() => read(whole.subarray(0, 515)))).toMatch(/ends inside an entry's data/);
    expect(formatError(() => read(whole.subarray(0, 600)))).toMatch(/ends inside an entry's data/);
    expect(formatError(() => read(whole.subarray(0, 100)))).toMatch(/ends inside a header/);
    expect(formatError(() => read(rawPaxEntry(paxRecord('path', 'x'))))).toMatch(/ends inside a header/);
  });

  test('links, devices, directories and FIFOs carry no data whatever their size field says (as in Go)', () => {
    const link = patchHeader(headerOf({ name: 'l', type: 'symlink', linkname: 't' }), 124, '00000001750\0');
    const r = read(Buffer.concat([link, buildTar([{ name: 'after', content: 'x' }])]));
    expect(r.entries.map((e) => [e.name, e.size])).toEqual([
      ['l', 0],
      ['after', 1],
    ]);
  });

  test('a NUL typeflag is a directory when the name ends in "/", else a file; "0" is always a file', () => {
    const old = (name: string): Buffer => patchHeader(headerOf({ name }), 156, '\0');
    const r = read(Buffer.concat([old('dir/'), old('file'), headerOf({ name: 'zero/' }), END]));
    expect(r.entries.map((e) => [e.name, e.typeflag])).toEqual([
      ['dir/', '5'],
      ['file', '0'],
      ['zero/', '0'],
    ]);
  });

  test('pax path, linkpath and size apply to the next entry only; GNU long names win over pax, as in Go', () => {
    const tar = Buffer.concat([
      rawPaxEntry(paxRecord('path', 'from-pax') + paxRecord('size', '3') + paxRecord('linkpath', '')),
      headerOf({ name: 'ustar-name' }),
      Buffer.from('abc'.padEnd(512, '\0'), 'latin1'),
      buildTar([{ name: `${'g/'.repeat(60)}gnu`, content: 'g' }], { longNames: 'gnu' }).subarray(0, -1024),
      rawPaxEntry(paxRecord('path', 'pax-loses')),
      buildTar([{ name: `${'h/'.repeat(60)}gnu`, content: 'h' }], { longNames: 'gnu' }),
    ]);
    expect(read(tar).entries.map((e) => [e.name, e.data])).toEqual([
      ['from-pax', 'abc'],
      [`${'g/'.repeat(60)}gnu`, 'g'],
      [`${'h/'.repeat(60)}gnu`, 'h'],
    ]);
  });

  test('global pax records apply to every later entry; an empty value keeps the header field', () => {
    const global = rawPaxEntry(paxRecord('uid', '7'));
    global[156] = 'g'.charCodeAt(0);
    patchHeader(global.subarray(0, 512), 156, 'g');
    const tar = Buffer.concat([global, rawPaxEntry(paxRecord('path', '')), buildTar([{ name: 'a' }, { name: 'b' }])]);
    const seen: [string, string | undefined][] = [];
    const reader = new TarReader({ entry: (e) => seen.push([e.name, e.pax.get('uid')]), data: () => {} });
    reader.push(tar);
    reader.end();
    expect(seen).toEqual([
      ['a', '7'],
      ['b', '7'],
    ]);
  });

  describe('refuses what is not a tar, naming where', () => {
    const ok = buildTar([{ name: 'a', content: 'a' }]);
    test('a header whose checksum is wrong', () => {
      const bad = Buffer.concat([ok.subarray(0, 1024), ok]);
      bad[1024 + 5] = 0x41;
      expect(formatError(() => read(bad))).toMatch(/bad tar header checksum at byte 1024/);
    });
    test('a negative size (base-256)', () => {
      expect(formatError(() => read(Buffer.concat([setBase256Size(headerOf({ name: 'neg' }), -512n), END])))).toMatch(/negative size -512/);
    });
    test('a size that is not a number', () => {
      expect(formatError(() => read(Buffer.concat([patchHeader(headerOf({ name: 'x' }), 124, '0000000009x\0'), END])))).toMatch(/bad number .*size/);
    });
    test('a size beyond 2^53', () => {
      expect(formatError(() => read(Buffer.concat([setBase256Size(headerOf({ name: 'huge' }), 1n << 80n), END])))).toMatch(/too large/);
    });
    test('a meta entry larger than 1 MiB, before any of it is held', () => {
      const big = headerOf({ name: 'LongLink' });
      big.write('L', 156, 'latin1');
      setBase256Size(big, 1n << 40n);
      expect(formatError(() => read(Buffer.concat([big, END])))).toMatch(/meta entry of 1099511627776 bytes/);
    });
    test.each([
      ['a length that is not a number', 'ab path=x\n'],
      ['a length beyond the data', '99 path=x\n'],
      ['a record without "="', '9 pathx\n\n'],
      ['a record not ending in a newline', '10 path=xy'],
      ['an empty key', '7 =abc\n'],
    ])('a malformed pax record: %s', (_what, records) => {
      expect(formatError(() => read(Buffer.concat([rawPaxEntry(records), buildTar([{ name: 'a' }])])))).toMatch(/malformed pax record/);
    });
    test('a pax size that is not a byte count', () => {
      expect(formatError(() => read(Buffer.concat([rawPaxEntry(paxRecord('size', '-1')), buildTar([{ name: 'a' }])])))).toMatch(/pax size '-1'/);
    });
  });
});
