import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  describeElf,
  elfMatches,
  elfTargetForPlatform,
  ET_DYN,
  ET_EXEC,
  ET_REL,
  machineForPlatform,
  machineName,
  readElf,
} from '../../src/initramfs/elf.ts';

interface Craft {
  bits?: 32 | 64;
  littleEndian?: boolean;
  type?: number;
  machine?: number;
  /** p_type of each program header. */
  phdrs?: number[];
  /** Write e_phnum as PN_XNUM and the real count in section header 0's sh_info. */
  xnum?: boolean;
}

/** An ELF header (and program header table right after it) with the fields the reader looks at. */
function craft(c: Craft = {}): Buffer {
  const bits = c.bits ?? 64;
  const le = c.littleEndian ?? true;
  const header = bits === 64 ? 64 : 52;
  const phent = bits === 64 ? 56 : 32;
  const shent = bits === 64 ? 64 : 40;
  const phdrs = c.phdrs ?? [];
  const phoff = phdrs.length > 0 ? header : 0;
  const shoff = header + phdrs.length * phent;
  const b = Buffer.alloc(shoff + (c.xnum ? shent : 0));
  b.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, le ? 1 : 2, 1]);
  const u16 = (at: number, v: number): number => (le ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
  const u32 = (at: number, v: number): number => (le ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
  const off = (at: number, v: number): void => {
    if (bits === 32) u32(at, v);
    else if (le) b.writeBigUInt64LE(BigInt(v), at);
    else b.writeBigUInt64BE(BigInt(v), at);
  };
  u16(16, c.type ?? ET_EXEC);
  u16(18, c.machine ?? 62);
  off(bits === 64 ? 32 : 28, phoff);
  u16(bits === 64 ? 54 : 42, phent);
  if (c.xnum) {
    off(bits === 64 ? 40 : 32, shoff);
    u16(bits === 64 ? 58 : 46, shent);
    u16(bits === 64 ? 56 : 44, 0xffff);
    u32(shoff + (bits === 64 ? 44 : 28), phdrs.length);
  } else {
    u16(bits === 64 ? 56 : 44, phdrs.length);
  }
  phdrs.forEach((t, i) => u32(phoff + i * phent, t));
  return b;
}

const PT_LOAD = 1;
const PT_INTERP = 3;

describe('readElf on real files of this host', () => {
  test('/bin/busybox is a static x86-64 executable', () => {
    expect(readElf(readFileSync('/bin/busybox'))).toEqual({ bits: 64, littleEndian: true, type: ET_EXEC, machine: 62, interpreter: false });
  });

  test('/bin/ls is dynamically linked (PT_INTERP)', () => {
    const e = readElf(readFileSync('/bin/ls'))!;
    expect(e.interpreter).toBe(true);
    expect([ET_EXEC, ET_DYN]).toContain(e.type);
    expect(e.machine).toBe(62);
  });

  test('a kernel module is an x86-64 relocatable (ET_REL) without program headers', () => {
    const dir = readdirSync('/lib/modules')[0]!;
    const ko = join('/lib/modules', dir, 'kernel/net/core/failover.ko');
    expect(readElf(readFileSync(ko))).toEqual({ bits: 64, littleEndian: true, type: ET_REL, machine: 62, interpreter: false });
  });
});

describe('readElf on crafted headers', () => {
  test('32-bit little-endian with PT_INTERP among other program headers', () => {
    expect(readElf(craft({ bits: 32, machine: 40, type: ET_DYN, phdrs: [PT_LOAD, PT_INTERP] }))).toEqual({
      bits: 32,
      littleEndian: true,
      type: ET_DYN,
      machine: 40,
      interpreter: true,
    });
  });

  test('big-endian 64-bit (s390x) fields are read in big-endian order', () => {
    expect(readElf(craft({ littleEndian: false, machine: 22, phdrs: [PT_LOAD] }))).toEqual({
      bits: 64,
      littleEndian: false,
      type: ET_EXEC,
      machine: 22,
      interpreter: false,
    });
    expect(readElf(craft({ bits: 32, littleEndian: false, machine: 20, phdrs: [PT_INTERP] }))?.interpreter).toBe(true);
  });

  test('a program header count past 0xfffe is read from section header 0 (PN_XNUM)', () => {
    expect(readElf(craft({ phdrs: [PT_LOAD, PT_INTERP], xnum: true }))?.interpreter).toBe(true);
    expect(readElf(craft({ bits: 32, phdrs: [PT_LOAD], xnum: true }))?.interpreter).toBe(false);
  });

  test('not ELF: wrong magic, unknown class or byte order, empty', () => {
    expect(readElf(new Uint8Array())).toBeUndefined();
    expect(readElf(Buffer.from('#!/bin/sh\necho hi\n'))).toBeUndefined();
    const badClass = craft();
    badClass[4] = 3;
    expect(readElf(badClass)).toBeUndefined();
    const badData = craft();
    badData[5] = 0;
    expect(readElf(badData)).toBeUndefined();
  });

  test('truncated anywhere: undefined, never a RangeError', () => {
    for (const whole of [craft({ phdrs: [PT_LOAD, PT_INTERP] }), craft({ bits: 32, phdrs: [PT_INTERP] }), craft({ phdrs: [PT_INTERP], xnum: true })]) {
      for (let n = 0; n < whole.length; n++) expect(readElf(whole.subarray(0, n))).toBeUndefined();
      expect(readElf(whole)).toBeDefined();
    }
  });

  test('a program header table out of range or with too small entries: undefined', () => {
    const far = craft({ phdrs: [PT_INTERP] });
    far.writeBigUInt64LE(0xffff_ffff_ffff_fff0n, 32); // e_phoff
    expect(readElf(far)).toBeUndefined();
    const small = craft({ phdrs: [PT_INTERP] });
    small.writeUInt16LE(8, 54); // e_phentsize
    expect(readElf(small)).toBeUndefined();
    const many = craft({ phdrs: [PT_INTERP] });
    many.writeUInt16LE(0xfffe, 56); // e_phnum
    expect(readElf(many)).toBeUndefined();
  });

  test('a view into a larger buffer is read at its own offset', () => {
    const whole = Buffer.concat([Buffer.alloc(13, 0xaa), craft({ machine: 183, phdrs: [PT_INTERP] })]);
    expect(readElf(whole.subarray(13))).toMatchObject({ machine: 183, interpreter: true });
  });
});

describe('machines', () => {
  test('every supported OCI architecture maps to its EM number', () => {
    expect(['amd64', 'arm64', '386', 'arm', 'ppc64le', 's390x', 'riscv64'].map(machineForPlatform)).toEqual([62, 183, 3, 40, 21, 22, 243]);
    expect(machineForPlatform('mips64le')).toBeUndefined();
    expect(machineForPlatform('toString')).toBeUndefined();
  });

  test('names as file(1) prints them, unknown ones by number', () => {
    expect(machineName(62)).toBe('x86-64');
    expect(machineName(183)).toBe('AArch64');
    expect(machineName(9999)).toBe('machine 9999');
    expect(describeElf({ machine: 22, bits: 64, littleEndian: false })).toBe('IBM S/390, 64-bit big-endian');
  });

  test('a target also checks class and byte order: big-endian ppc64 is not ppc64le', () => {
    const ppc64le = elfTargetForPlatform('ppc64le')!;
    expect(elfMatches(readElf(craft({ machine: 21 }))!, ppc64le)).toBe(true);
    expect(elfMatches(readElf(craft({ machine: 21, littleEndian: false }))!, ppc64le)).toBe(false);
    expect(elfMatches(readElf(craft({ machine: 62, bits: 32 }))!, elfTargetForPlatform('amd64')!)).toBe(false);
  });
});
