// Everything about a build that can be checked on this machine is checked before the first byte is pulled:
// a wrong level, a bad exclude, an output that cannot be written, an inject source that is missing or
// unreadable, or an --init the kernel cannot execute would otherwise surface only after a long pull and
// assembly. build() runs this first, so the CLI, the action and library callers all get it. Nothing here
// writes anything that stays, except the tool's own cache directory.
import { constants } from 'node:fs';
import { access, mkdir, open } from 'node:fs/promises';
import { InitramfsError } from './errors.ts';
import { parsePlatform } from './image/platform.ts';
import { formatPlatform, type Platform } from './image/types.ts';
import { resolveLevel, type Compression } from './initramfs/compress.ts';
import { checkOutput, type StandardOutput } from './output.ts';
import { quote } from './quote.ts';
import { compileExcludes } from './rootfs/exclude.ts';
import { newDir } from './rootfs/node.ts';
import { injectPath, setInit, type InjectSpec } from './rootfs/overlay.ts';

export interface PreflightOptions {
  output: string;
  compression: Compression;
  level?: number | undefined;
  platform?: string | undefined;
  inject: readonly InjectSpec[];
  init?: string | undefined;
  exclude: readonly string[];
  cacheDir: string;
  /** Where an output of `-` goes; process.stdout by default. */
  stdout?: StandardOutput | undefined;
}

/** Runs every local check; throws the first failure as an InitramfsError (USAGE, IO or INJECT_SOURCE). */
export async function preflight(opts: PreflightOptions): Promise<void> {
  // Malformed values first (USAGE), then what is on disk.
  const platform = parsePlatform(opts.platform);
  resolveLevel(opts.compression, opts.level);
  compileExcludes(opts.exclude);
  await checkOutput(opts.output, opts.stdout === undefined ? {} : { stdout: opts.stdout });
  // The same code that injects after the pull walks every source now, into a model that is thrown away:
  // each file is stat'ed and opened, each directory listed, so the errors are exactly the ones the build
  // would give. No file data is read.
  const scratch = newDir();
  for (const spec of opts.inject) await injectPath(scratch, spec);
  if (opts.init !== undefined) {
    await setInit(scratch, opts.init);
    await checkInitExecutable(opts.init, platform);
  }
  await checkCacheDir(opts.cacheDir);
}

async function checkCacheDir(cacheDir: string): Promise<void> {
  try {
    await mkdir(cacheDir, { recursive: true, mode: 0o700 });
    await access(cacheDir, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InitramfsError('IO', `cache directory ${quote(cacheDir)}: cannot be written (${code ?? (e as Error).message}); pass --cache-dir DIR`, { cause: e });
  }
}

/** The kernel reads this much of a file to decide how to run it (BINPRM_BUF_SIZE). */
const BINPRM_BUF_SIZE = 256;

// ELF e_machine values (elf.h) and how messages name them.
const MACHINE_NAMES: Record<number, string> = {
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC 64-bit',
  22: 's390',
  40: 'ARM',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

/** e_machine values a kernel for each OCI architecture runs (its own, and its 32-bit compat ABI). */
const MACHINES_FOR_ARCH: Record<string, readonly number[]> = {
  amd64: [62, 3],
  '386': [3],
  arm64: [183, 40],
  arm: [40],
  riscv64: [243],
  ppc64le: [21],
  ppc64: [21],
  s390x: [22],
  loong64: [258],
  mips: [8],
  mipsle: [8],
  mips64: [8],
  mips64le: [8],
};

const ET_EXEC = 2;
const ET_DYN = 3;

/** The first bytes of a file for a message: printable text quoted, control characters escaped. */
const preview = (head: Buffer): string => quote(head.subarray(0, 16).toString('latin1'));

/**
 * Throws INJECT_SOURCE unless the kernel can execute `hostPath` as /init on `platform`: an ELF executable
 * (or PIE) for the platform's architecture, or a `#!` script whose interpreter line the kernel can read.
 * Anything else boots to "Failed to execute /init (error -8)" (ENOEXEC); a `#!/bin/sh\r` line boots to
 * error -2, the interpreter not found. Whether a script's interpreter exists is known only after the pull.
 */
export async function checkInitExecutable(hostPath: string, platform: Platform): Promise<void> {
  const fail = (why: string): InitramfsError =>
    new InitramfsError('INJECT_SOURCE', `--init ${quote(hostPath)}: the kernel cannot execute it: ${why}`);
  const expected = `expected an ELF executable for ${formatPlatform(platform)} or a script starting with #!`;
  let head: Buffer;
  try {
    const fh = await open(hostPath, 'r');
    try {
      const buf = Buffer.alloc(BINPRM_BUF_SIZE);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new InitramfsError('INJECT_SOURCE', `--init ${quote(hostPath)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (head.length === 0) throw fail(`it is empty; ${expected}`);

  if (head[0] === 0x23 && head[1] === 0x21) {
    // binfmt_script: spaces and tabs after #!, then the interpreter up to a space, tab, NUL or newline.
    const newline = head.indexOf(0x0a);
    const line = head.subarray(2, newline < 0 ? head.length : newline).toString('latin1');
    const interpreter = /^[ \t]*([^ \t\0]*)/.exec(line)![1]!;
    if (interpreter === '') throw fail('its #! line names no interpreter');
    if (line.endsWith('\r')) {
      const part = interpreter.endsWith('\r') ? `the interpreter ${quote(interpreter)}` : 'the last argument';
      throw fail(`its #! line ends in a carriage return (Windows line endings), which the kernel keeps in ${part}; convert the file to LF line endings`);
    }
    if (newline < 0 && head.length === BINPRM_BUF_SIZE && /^[ \t]*[^ \t\0]*$/.test(line)) {
      throw fail(`its #! line is longer than the ${BINPRM_BUF_SIZE - 1} bytes the kernel reads`);
    }
    return;
  }

  if (head.length >= 4 && head.readUInt32BE(0) === 0x7f454c46) {
    if (head.length < 20 || (head[4] !== 1 && head[4] !== 2) || (head[5] !== 1 && head[5] !== 2)) {
      throw fail(`its ELF header is truncated or malformed; ${expected}`);
    }
    const le = head[5] === 1;
    const type = le ? head.readUInt16LE(16) : head.readUInt16BE(16);
    const machine = le ? head.readUInt16LE(18) : head.readUInt16BE(18);
    if (type !== ET_EXEC && type !== ET_DYN) {
      throw fail(`it is an ELF ${type === 1 ? 'object file (.o)' : type === 4 ? 'core dump' : `file of type ${type}`}, not an executable`);
    }
    const allowed = MACHINES_FOR_ARCH[platform.architecture];
    if (allowed !== undefined && !allowed.includes(machine)) {
      const name = MACHINE_NAMES[machine] ?? `machine ${machine}`;
      throw fail(`it is an ELF executable for ${name}, and the platform is ${formatPlatform(platform)}; build it for the platform or pass --platform`);
    }
    return;
  }

  if (head[0] === 0x4d && head[1] === 0x5a) throw fail(`it is a Windows (PE) executable; ${expected}`);
  const magic = head.length >= 4 ? head.readUInt32BE(0) : 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic)) {
    throw fail(`it is a macOS (Mach-O) executable; ${expected}`);
  }
  throw fail(`${expected}, and it starts with ${preview(head)}`);
}
