// ELF header reading, as pure functions over bytes: enough to tell whether a file can run (or be
// insmod'ed) on the target before it goes into an archive the kernel would refuse at boot. Every read is
// bounds-checked: a truncated or hostile file gives `undefined` ("not a usable ELF"), never an exception.
// Offsets are those of the System V gABI (elf.h): e_ident, then the header fields at the offsets below.

export interface ElfInfo {
  bits: 32 | 64;
  littleEndian: boolean;
  /** e_type: ET_REL (1) for kernel modules, ET_EXEC (2) or ET_DYN (3) for programs. */
  type: number;
  /** e_machine (EM_*). */
  machine: number;
  /** Whether a PT_INTERP program header exists: the file needs a dynamic loader (dynamically linked). */
  interpreter: boolean;
}

export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;

const PT_INTERP = 3;
/** e_phnum's escape: the real count is in section header 0's sh_info (gABI "Extended Program Header Numbering"). */
const PN_XNUM = 0xffff;

/** Header field offsets, per class. */
const LAYOUT = {
  32: { header: 52, phoff: 28, shoff: 32, phentsize: 42, phnum: 44, shentsize: 46, phent: 32, shInfo: 28, shent: 40 },
  64: { header: 64, phoff: 32, shoff: 40, phentsize: 54, phnum: 56, shentsize: 58, phent: 56, shInfo: 44, shent: 64 },
} as const;

/**
 * The ELF header of `bytes` (the whole file, or at least through its program header table). Undefined
 * when the bytes are not ELF, or the header or program header table is cut short or malformed, since
 * then nothing can say whether the file is dynamically linked.
 */
export function readElf(bytes: Uint8Array): ElfInfo | undefined {
  if (bytes.length < 16 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return undefined;
  const bits = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : undefined; // EI_CLASS
  const littleEndian = bytes[5] === 1 ? true : bytes[5] === 2 ? false : undefined; // EI_DATA
  if (bits === undefined || littleEndian === undefined) return undefined;
  const l = LAYOUT[bits];
  if (bytes.length < l.header) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, littleEndian);
  const u32 = (at: number): number => view.getUint32(at, littleEndian);
  // An offset, as a safe integer; 64-bit offsets past 2^53 are garbage for any file we could hold.
  const off = (at: number): number => (bits === 32 ? u32(at) : Number(view.getBigUint64(at, littleEndian)));
  const type = u16(16);
  const machine = u16(18);

  let phnum = u16(l.phnum);
  if (phnum === PN_XNUM) {
    const shoff = off(l.shoff);
    if (u16(l.shentsize) < l.shent || shoff + l.shent > bytes.length) return undefined;
    phnum = u32(shoff + l.shInfo);
  }
  let interpreter = false;
  if (phnum > 0) {
    const phoff = off(l.phoff);
    const phentsize = u16(l.phentsize);
    // A smaller entry cannot be a program header of this class; the table must lie inside the file.
    if (phentsize < l.phent || phoff + phnum * phentsize > bytes.length) return undefined;
    for (let i = 0; i < phnum; i++) {
      if (u32(phoff + i * phentsize) === PT_INTERP) {
        interpreter = true;
        break;
      }
    }
  }
  return { bits, littleEndian, type, machine, interpreter };
}

/** What an ELF file for an OCI architecture says in its header. */
export interface ElfTarget {
  machine: number;
  bits: 32 | 64;
  littleEndian: boolean;
}

// OCI architecture (GOARCH) → e_machine, class and byte order of its Linux binaries.
const TARGETS: Readonly<Record<string, ElfTarget>> = {
  amd64: { machine: 62, bits: 64, littleEndian: true }, // EM_X86_64
  arm64: { machine: 183, bits: 64, littleEndian: true }, // EM_AARCH64
  '386': { machine: 3, bits: 32, littleEndian: true }, // EM_386
  arm: { machine: 40, bits: 32, littleEndian: true }, // EM_ARM
  ppc64le: { machine: 21, bits: 64, littleEndian: true }, // EM_PPC64
  s390x: { machine: 22, bits: 64, littleEndian: false }, // EM_S390
  riscv64: { machine: 243, bits: 64, littleEndian: true }, // EM_RISCV
};

/** e_machine of Linux binaries for an OCI architecture (`amd64` → 62); undefined for one not known here. */
export const machineForPlatform = (arch: string): number | undefined => elfTargetForPlatform(arch)?.machine;

/**
 * The full header signature for an OCI architecture: ppc64le and a big-endian ppc64 binary share
 * e_machine, as do 32- and 64-bit RISC-V, so a check on the machine alone would pass the wrong file.
 */
export const elfTargetForPlatform = (arch: string): ElfTarget | undefined =>
  Object.hasOwn(TARGETS, arch) ? TARGETS[arch] : undefined;

const MACHINE_NAMES: Readonly<Record<number, string>> = {
  2: 'SPARC',
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'IBM S/390',
  40: 'ARM',
  43: 'SPARC V9',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

/** A machine as `file(1)` names it (62 → 'x86-64'); an unknown one as `machine N`. */
export const machineName = (machine: number): string => MACHINE_NAMES[machine] ?? `machine ${machine}`;

/** `x86-64, 64-bit little-endian`: what a message shows of a header, so a byte-order mismatch is visible too. */
export const describeElf = (e: { machine: number; bits: 32 | 64; littleEndian: boolean }): string =>
  `${machineName(e.machine)}, ${e.bits}-bit ${e.littleEndian ? 'little' : 'big'}-endian`;

/** Whether a header matches what the target expects (machine, class and byte order). */
export const elfMatches = (e: ElfInfo, t: ElfTarget): boolean => e.machine === t.machine && e.bits === t.bits && e.littleEndian === t.littleEndian;
