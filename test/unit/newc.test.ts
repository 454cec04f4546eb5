import { describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import {
  decodeNewc,
  encodeHeader,
  encodeRecord,
  encodeTrailer,
  headerAndNameSize,
  HEADER_SIZE,
  OFFSET,
  TRAILER_NAME,
  TRAILER_SIZE,
  TYPE_BITS,
  type NewcEntry,
} from '../../src/initramfs/newc.ts';

const entry = (over: Partial<NewcEntry> = {}): NewcEntry => ({
  name: 'bin/sh',
  ino: 7,
  mode: TYPE_BITS.file | 0o755,
  uid: 0,
  gid: 0,
  nlink: 1,
  mtime: 1_700_000_000,
  filesize: 0,
  devmajor: 0,
  devminor: 0,
  rdevmajor: 0,
  rdevminor: 0,
  ...over,
});

const expectLimit = (fn: () => unknown, path: string): void => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InitramfsError);
    expect((e as InitramfsError).code).toBe('ARCHIVE_LIMIT');
    expect((e as InitramfsError).message).toContain(path);
    return;
  }
  throw new Error('expected an ARCHIVE_LIMIT error');
};

describe('newc record encoding', () => {
  it('writes the magic, uppercase hex fields at their offsets, namesize with the NUL, and check 0', () => {
    const buf = encodeHeader(entry({ mode: TYPE_BITS.file | 0o4755, uid: 1000, gid: 0xabc, filesize: 0 }));
    const field = (at: number): string => buf.toString('latin1', at, at + 8);
    expect(buf.toString('latin1', 0, 6)).toBe('070701');
    expect(field(OFFSET.ino)).toBe('00000007');
    expect(field(OFFSET.mode)).toBe('000089ED'); // 0o104755
    expect(field(OFFSET.uid)).toBe('000003E8');
    expect(field(OFFSET.gid)).toBe('00000ABC');
    expect(field(OFFSET.mtime)).toBe((1_700_000_000).toString(16).toUpperCase().padStart(8, '0'));
    expect(field(OFFSET.namesize)).toBe('00000007'); // "bin/sh" + NUL
    expect(field(OFFSET.check)).toBe('00000000');
    expect(buf.toString('latin1', HEADER_SIZE, HEADER_SIZE + 7)).toBe('bin/sh\0');
  });

  it.each([
    ['file', { mode: TYPE_BITS.file | 0o6755, uid: 1000, gid: 1000 }, Buffer.from('hello')],
    ['dir', { mode: TYPE_BITS.dir | 0o1777, nlink: 3 }, Buffer.alloc(0)],
    ['symlink', { mode: TYPE_BITS.symlink | 0o777 }, Buffer.from('/usr/bin/busybox')],
    ['char device', { mode: TYPE_BITS.char | 0o620, rdevmajor: 5, rdevminor: 1 }, Buffer.alloc(0)],
    ['block device', { mode: TYPE_BITS.block | 0o660, rdevmajor: 259, rdevminor: 0x12345 }, Buffer.alloc(0)],
    ['fifo', { mode: TYPE_BITS.fifo | 0o644 }, Buffer.alloc(0)],
  ] as const)('round-trips a %s through decode', (_type, over, data) => {
    const e = entry({ ...over, filesize: data.length });
    const [decoded, ...rest] = decodeNewc(encodeRecord(e, data));
    expect(rest).toEqual([]);
    const { data: got, ...fields } = decoded!;
    expect(fields).toEqual(e);
    expect(Buffer.from(got)).toEqual(data);
  });

  it('keeps non-UTF-8 name bytes as they are (latin1 byte strings)', () => {
    const name = 'etc/\xe4\xff\x01';
    const buf = encodeRecord(entry({ name }));
    expect(buf.subarray(HEADER_SIZE, HEADER_SIZE + 7)).toEqual(Buffer.from([0x65, 0x74, 0x63, 0x2f, 0xe4, 0xff, 0x01]));
    expect(decodeNewc(buf)[0]!.name).toBe(name);
  });

  it.each([
    [1, 112],
    [2, 116],
    [3, 116],
    [4, 116],
    [5, 116],
    [6, 120],
  ])('pads a %i-byte name so the data starts at offset %i', (nameLen, dataAt) => {
    const name = 'n'.repeat(nameLen);
    const buf = encodeRecord(entry({ name, filesize: 1 }), Buffer.from('X'));
    expect(headerAndNameSize(nameLen)).toBe(dataAt);
    expect(buf[dataAt]).toBe('X'.charCodeAt(0));
    // The name's NUL and every padding byte are zero.
    expect([...buf.subarray(HEADER_SIZE + nameLen, dataAt)].every((b) => b === 0)).toBe(true);
  });

  it.each([
    [1, 4],
    [2, 4],
    [3, 4],
    [4, 4],
    [5, 8],
  ])('pads %i data bytes to %i', (dataLen, padded) => {
    const data = Buffer.alloc(dataLen, 0xaa);
    const buf = encodeRecord(entry({ name: 'a', filesize: dataLen }), data);
    expect(buf.length).toBe(112 + padded);
    expect(buf.length % 4).toBe(0);
    expect([...buf.subarray(112 + dataLen)].every((b) => b === 0)).toBe(true);
    // The next record decodes from the aligned position.
    const two = decodeNewc(Buffer.concat([buf, encodeRecord(entry({ name: 'b', ino: 8 }))]));
    expect(two.map((r) => r.name)).toEqual(['a', 'b']);
    expect(Buffer.from(two[0]!.data)).toEqual(data);
  });

  it('encodes the TRAILER!!! record with nlink 1 and a 4-byte aligned size', () => {
    const trailer = encodeTrailer();
    expect(trailer.length).toBe(TRAILER_SIZE);
    expect(trailer.length % 4).toBe(0);
    const [r] = decodeNewc(trailer);
    expect(r).toMatchObject({ name: TRAILER_NAME, ino: 0, mode: 0, nlink: 1, filesize: 0 });
  });

  it('decodes several archives concatenated with zero padding between them, as the kernel does', () => {
    const a = Buffer.concat([encodeRecord(entry({ name: 'a' })), encodeTrailer()]);
    const b = Buffer.concat([encodeRecord(entry({ name: 'b' })), encodeTrailer()]);
    const names = decodeNewc(Buffer.concat([a, Buffer.alloc(512), b])).map((r) => r.name);
    expect(names).toEqual(['a', TRAILER_NAME, 'b', TRAILER_NAME]);
  });

  it('rejects data whose length disagrees with filesize', () => {
    expect(() => encodeRecord(entry({ filesize: 3 }), Buffer.from('ab'))).toThrow(/data is 2 bytes/);
  });
});

describe('newc limits', () => {
  it('rejects a file of 4 GiB or more, naming the path', () => {
    expect(() => encodeHeader(entry({ filesize: 0xffff_ffff }))).not.toThrow();
    expectLimit(() => encodeHeader(entry({ name: 'var/big.img', filesize: 2 ** 32 })), 'var/big.img');
  });

  it('rejects an mtime before 1970 or after 2106, naming the path', () => {
    expect(() => encodeHeader(entry({ mtime: 0xffff_ffff }))).not.toThrow();
    expectLimit(() => encodeHeader(entry({ name: 'old', mtime: -1 })), 'old');
    expectLimit(() => encodeHeader(entry({ name: 'future', mtime: 2 ** 32 })), 'future');
  });

  it('rejects a name the kernel would skip (namesize with NUL over PATH_MAX 4096), naming the path', () => {
    expect(() => encodeHeader(entry({ name: 'x'.repeat(4095) }))).not.toThrow();
    expectLimit(() => encodeHeader(entry({ name: 'y'.repeat(4096) })), 'yyyy');
  });

  it('rejects a symlink target longer than 4096 bytes, naming the path', () => {
    const link = (n: number): NewcEntry => entry({ name: 'lib/link', mode: TYPE_BITS.symlink | 0o777, filesize: n });
    expect(() => encodeHeader(link(4096))).not.toThrow();
    expectLimit(() => encodeHeader(link(4097)), 'lib/link');
  });

  it('rejects a uid or gid beyond 32 bits, naming the path', () => {
    expect(() => encodeHeader(entry({ uid: 0xffff_ffff, gid: 0xffff_ffff }))).not.toThrow();
    expectLimit(() => encodeHeader(entry({ name: 'home/u', uid: 2 ** 32 })), 'home/u');
    expectLimit(() => encodeHeader(entry({ name: 'home/g', gid: 2 ** 32 })), 'home/g');
  });

  it('names a non-UTF-8 path readably in the message', () => {
    expectLimit(() => encodeHeader(entry({ name: Buffer.from('caf\u00e9', 'utf8').toString('latin1'), mtime: -5 })), 'caf\u00e9');
  });
});
