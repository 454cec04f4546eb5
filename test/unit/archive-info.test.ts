// readArchiveInfo reads archives as the kernel does: newc built here record by record, compressed with
// node:zlib in every shape the kernel accepts (gzip members, zstd frames, plain, mixed, zero padding).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { constants, gzipSync, zstdCompressSync } from 'node:zlib';
import { elfArch, NewcScanner, readArchiveInfo } from '../../src/boot/archive-info.ts';
import { encodeRecord, encodeTrailer, TYPE_BITS } from '../../src/initramfs/newc.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

/** The first 64 bytes of an ELF executable for `machine` (64-bit little-endian, no program headers). */
function elfHeader(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  b.writeUInt16LE(2, 16); // ET_EXEC
  b.writeUInt16LE(machine, 18);
  b.writeUInt16LE(64, 52); // e_ehsize
  b.writeUInt16LE(56, 54); // e_phentsize
  return b;
}
const EM_X86_64 = 62;
const EM_AARCH64 = 183;
const EM_MIPS = 8;

let ino = 1;
const file = (name: string, data: Uint8Array | string, mode = 0o755): Buffer => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return encodeRecord(
    { name, ino: ino++, mode: TYPE_BITS.file | mode, uid: 0, gid: 0, nlink: 1, mtime: 0, filesize: bytes.length, devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0 },
    bytes,
  );
};
const symlink = (name: string, target: string): Buffer =>
  encodeRecord(
    { name, ino: ino++, mode: TYPE_BITS.symlink | 0o777, uid: 0, gid: 0, nlink: 1, mtime: 0, filesize: target.length, devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0 },
    Buffer.from(target),
  );
const dir = (name: string): Buffer =>
  encodeRecord({ name, ino: ino++, mode: TYPE_BITS.dir | 0o755, uid: 0, gid: 0, nlink: 2, mtime: 0, filesize: 0, devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0 });
const archive = (...records: Buffer[]): Buffer => Buffer.concat([...records, encodeTrailer()]);
const zstd = (b: Buffer, checksum = false): Buffer =>
  zstdCompressSync(b, { params: { [constants.ZSTD_c_checksumFlag]: checksum ? 1 : 0 } });

/** Some real arm64 program if the test cache has one, else a crafted header: the reader needs only the header. */
const ARM64_BUSYBOX = join(homedir(), '.cache/initramfs-test/busybox-arm64');
const arm64Program = (): Buffer => (existsSync(ARM64_BUSYBOX) ? readFileSync(ARM64_BUSYBOX) : Buffer.concat([elfHeader(EM_AARCH64), randomBytes(300_000)]));

let work: string;
let n = 0;
const write = (bytes: Buffer): string => {
  const path = join(work, `archive-${n++}`);
  writeFileSync(path, bytes);
  return path;
};

beforeAll(async () => {
  work = await scratchDir();
});
afterAll(removeScratchDirs);

describe('elfArch', () => {
  it('names the OCI architecture of an ELF header, undefined for one it does not know or no ELF', () => {
    expect(elfArch(elfHeader(EM_X86_64))).toBe('amd64');
    expect(elfArch(elfHeader(EM_AARCH64))).toBe('arm64');
    expect(elfArch(elfHeader(EM_MIPS))).toBeUndefined();
    expect(elfArch(Buffer.from('#!/bin/sh\n'))).toBeUndefined();
    expect(elfArch(readFileSync('/bin/busybox'))).toBe('amd64');
  });
});

describe('readArchiveInfo', () => {
  // bin (dir), bin/busybox, bin/sh (symlink data: 7 bytes), init (10 bytes): pages and an inode each.
  const UNPACKED = 1024 + (Math.ceil(readFileSync('/bin/busybox').length / 4096) * 4096 + 1024) + (4096 + 1024) + (4096 + 1024);
  const amd64 = (): Buffer => archive(dir('bin'), file('bin/busybox', readFileSync('/bin/busybox')), symlink('bin/sh', 'busybox'), file('init', '#!/bin/sh\n'));

  it('reads a plain, a gzip and a zstd archive to the same size and architecture', async () => {
    const raw = amd64();
    for (const bytes of [raw, gzipSync(raw), zstd(raw), zstd(raw, true)]) {
      const info = await readArchiveInfo(write(bytes));
      expect(info).toEqual({ uncompressedBytes: raw.length, unpackedBytes: UNPACKED, arch: 'amd64', problem: undefined });
    }
  });

  it('counts what the files take unpacked: whole 4 KiB pages and an inode each, so small files cost more than their bytes', async () => {
    const small = archive(...Array.from({ length: 100 }, (_, i) => file(`f${i}`, 'x')));
    expect((await readArchiveInfo(write(small))).unpackedBytes).toBe(100 * (4096 + 1024));
    const exact = archive(file('a', Buffer.alloc(8192)), file('b', Buffer.alloc(8193)), dir('d'));
    expect((await readArchiveInfo(write(gzipSync(exact)))).unpackedBytes).toBe(8192 + 1024 + 12288 + 1024 + 1024);
  });

  it('reads an arm64 program', async () => {
    const raw = archive(dir('.initramfs-action'), file('.initramfs-action/busybox', arm64Program()), file('init', '#!/.initramfs-action/busybox sh\n'));
    for (const bytes of [raw, gzipSync(raw), zstd(raw)]) {
      expect(await readArchiveInfo(write(bytes))).toMatchObject({ uncompressedBytes: raw.length, arch: 'arm64', problem: undefined });
    }
  });

  it('reads every piece of a file of concatenated gzip members, zstd frames and plain archives, with zero padding', async () => {
    // One archive cut between two records into two members (the kernel accepts it), then whole archives.
    const first = Buffer.concat([dir('bin'), file('bin/data', randomBytes(200_000))]);
    const second = archive(file('bin/more', randomBytes(150_000)));
    const third = archive(file('./init', readFileSync('/bin/busybox')));
    const plain = archive(file('kernel/x86/microcode/GenuineIntel.bin', randomBytes(1000)));
    const bytes = Buffer.concat([plain, Buffer.alloc(512), gzipSync(first), gzipSync(second), Buffer.alloc(4), zstd(third), gzipSync(second)]);
    const info = await readArchiveInfo(write(bytes));
    expect(info).toMatchObject({ uncompressedBytes: plain.length + first.length + 2 * second.length + third.length, arch: 'amd64', problem: undefined });
  });

  it('skips symlinks and non-ELF candidates, takes the first ELF among the candidates, ignores other paths', async () => {
    const raw = archive(
      file('usr/bin/busybox', arm64Program()), // not a candidate
      symlink('bin/busybox', '/usr/bin/busybox'), // never followed
      file('init', '#!/bin/sh\nexec /bin/busybox sh\n'), // a script
      file('bin/sh', elfHeader(EM_AARCH64)),
      file('./.initramfs-action/busybox', elfHeader(EM_X86_64)), // later in the stream
    );
    expect((await readArchiveInfo(write(gzipSync(raw)))).arch).toBe('arm64');
  });

  it('leaves the architecture undefined when no candidate is an ELF file of a known machine', async () => {
    expect((await readArchiveInfo(write(gzipSync(archive(file('init', '#!/bin/sh\n')))))).arch).toBeUndefined();
    expect((await readArchiveInfo(write(gzipSync(archive(file('init', elfHeader(EM_MIPS))))))).arch).toBeUndefined();
  });

  it('reports a truncated archive as a problem, with what it read so far', async () => {
    const gz = gzipSync(amd64());
    const info = await readArchiveInfo(write(gz.subarray(0, gz.length >> 1)));
    expect(info.problem).toMatch(/^gzip data at byte \d+: unexpected end of file$/);
    expect(info.arch).toBe('amd64');
    expect(info.uncompressedBytes).toBeGreaterThan(0);
    const zs = zstd(amd64());
    expect((await readArchiveInfo(write(zs.subarray(0, zs.length >> 1)))).problem).toMatch(/^zstd data at byte \d+: truncated zstd frame$/);
    const raw = amd64();
    expect((await readArchiveInfo(write(raw.subarray(0, 1000)))).problem).toBe('the archive ends inside a newc record');
  });

  it('reports bytes that are no archive', async () => {
    expect((await readArchiveInfo(write(Buffer.from('hello, world\n')))).problem).toBe('unknown data at byte 0 (neither newc, gzip nor zstd)');
  });

  it('throws for a file it cannot open', async () => {
    await expect(readArchiveInfo(join(work, 'missing'))).rejects.toThrow(/ENOENT/);
  });
});

describe('NewcScanner', () => {
  it('gives the same result whatever the chunk boundaries', () => {
    const raw = archive(dir('bin'), file('bin/sh', elfHeader(EM_AARCH64)), file('data', randomBytes(5000)));
    for (const size of [1, 3, 110, 321, raw.length]) {
      const s = new NewcScanner();
      for (let i = 0; i < raw.length; i += size) s.push(raw.subarray(i, i + size));
      expect({ bytes: s.bytes, arch: s.arch, problem: s.problem, atBoundary: s.atBoundary }).toEqual({
        bytes: raw.length,
        arch: 'arm64',
        problem: undefined,
        atBoundary: true,
      });
    }
  });

  it('stops right after a trailer when asked, so what follows can be decoded on its own', () => {
    const a = archive(file('init', 'x'));
    const s = new NewcScanner();
    expect(s.push(Buffer.concat([a, Buffer.from([0x1f, 0x8b, 8, 0])]), true)).toBe(a.length);
    expect(s.trailerEnded).toBe(true);
  });
});
