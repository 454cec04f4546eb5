// preflight.ts: the checks that run before anything is pulled, on real files in a scratch directory — the
// kernel's rules for what /init may be (ELF headers and #! lines built here), and each kind of bad input
// failing with its code and a message naming it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlatform } from '../../src/image/platform.ts';
import { checkInitExecutable, preflight, type PreflightOptions } from '../../src/preflight.ts';
import { failure } from '../helpers/errors.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);


const EM = { i386: 3, s390: 22, arm: 40, x86_64: 62, aarch64: 183 } as const;

/** An ELF header (64 bytes, the rest of the file left out: the kernel decides from the header). */
function elf(opts: { machine: number; type?: number; bigEndian?: boolean; bits?: 32 | 64 }): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = opts.bits === 32 ? 1 : 2;
  b[5] = opts.bigEndian ? 2 : 1;
  b[6] = 1;
  const u16 = (v: number, at: number) => (opts.bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  u16(opts.type ?? 2, 16);
  u16(opts.machine, 18);
  return b;
}

let n = 0;
async function file(content: string | Buffer): Promise<string> {
  const dir = await scratchDir();
  const path = join(dir, `init-${n++}`);
  writeFileSync(path, content);
  return path;
}

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');

describe('checkInitExecutable: what the kernel can run as /init', () => {
  it('accepts an ELF executable or PIE for the platform, and 32-bit x86 on amd64 (its compat ABI)', async () => {
    await checkInitExecutable(await file(elf({ machine: EM.x86_64 })), amd64);
    await checkInitExecutable(await file(elf({ machine: EM.x86_64, type: 3 })), amd64);
    await checkInitExecutable(await file(elf({ machine: EM.i386, bits: 32 })), amd64);
    await checkInitExecutable(await file(elf({ machine: EM.aarch64 })), arm64);
  });

  it('refuses an ELF for another architecture, naming both', async () => {
    const arm = await file(elf({ machine: EM.aarch64 }));
    const e = await failure(checkInitExecutable(arm, amd64));
    expect(e.code).toBe('INJECT_SOURCE');
    expect(e.message).toBe(`--init '${arm}': the kernel cannot execute it: it is an ELF executable for AArch64, and the platform is linux/amd64; build it for the platform or pass --platform`);
    expect((await failure(checkInitExecutable(await file(elf({ machine: EM.x86_64 })), arm64))).message).toMatch(/for x86-64, and the platform is linux\/arm64\/v8/);
    expect((await failure(checkInitExecutable(await file(elf({ machine: EM.s390, bigEndian: true })), amd64))).message).toMatch(/for s390,/);
  });

  it('refuses an ELF object file, which is not an executable', async () => {
    expect((await failure(checkInitExecutable(await file(elf({ machine: EM.x86_64, type: 1 })), amd64))).message).toMatch(/it is an ELF object file \(\.o\), not an executable$/);
  });

  it('accepts a #! script, and refuses one with Windows line endings or no interpreter, saying why', async () => {
    await checkInitExecutable(await file('#!/bin/sh\nexec /usr/bin/agent\n'), amd64);
    await checkInitExecutable(await file('#! /bin/busybox sh\n'), amd64);
    const crlf = await failure(checkInitExecutable(await file('#!/bin/sh\r\necho hi\r\n'), amd64));
    expect(crlf.code).toBe('INJECT_SOURCE');
    expect(crlf.message).toMatch(/its #! line ends in a carriage return \(Windows line endings\), which the kernel keeps in the interpreter '\/bin\/sh\\r'; convert the file to LF line endings$/);
    expect((await failure(checkInitExecutable(await file('#!/bin/sh -e\r\n'), amd64))).message).toMatch(/keeps in the last argument/);
    expect((await failure(checkInitExecutable(await file('#!  \nexit 0\n'), amd64))).message).toMatch(/its #! line names no interpreter$/);
    expect((await failure(checkInitExecutable(await file(`#!/${'x'.repeat(300)}`), amd64))).message).toMatch(/longer than the 255 bytes the kernel reads/);
  });

  it('refuses text, an empty file, a Windows and a macOS executable, saying what it found', async () => {
    const text = await file('echo hello from init\n');
    const e = await failure(checkInitExecutable(text, amd64));
    expect(e.code).toBe('INJECT_SOURCE');
    expect(e.message).toBe(`--init '${text}': the kernel cannot execute it: expected an ELF executable for linux/amd64 or a script starting with #!, and it starts with 'echo hello from '`);
    expect((await failure(checkInitExecutable(await file(''), amd64))).message).toMatch(/it is empty; expected an ELF executable/);
    expect((await failure(checkInitExecutable(await file(Buffer.from('MZ\x90\x00\x03', 'latin1')), amd64))).message).toMatch(/Windows \(PE\) executable/);
    expect((await failure(checkInitExecutable(await file(Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1])), amd64))).message).toMatch(/macOS \(Mach-O\) executable/);
  });
});

describe('preflight', () => {
  async function inputs(over: Partial<PreflightOptions> = {}): Promise<PreflightOptions> {
    const dir = await scratchDir();
    writeFileSync(join(dir, 'agent'), 'agent');
    return { output: join(dir, 'out', 'initramfs.cpio.gz'), compression: 'gzip', inject: [{ source: join(dir, 'agent'), dest: '/usr/bin/agent' }], exclude: ['/usr/share/doc/**'], cacheDir: join(dir, 'cache'), ...over };
  }

  it('passes good inputs and leaves nothing behind but the cache directory', async () => {
    const opts = await inputs({ init: await file('#!/bin/sh\n') });
    const dir = join(opts.output, '..', '..');
    await preflight(opts);
    expect(readdirSync(dir).sort()).toEqual(['agent', 'cache']);
    expect(readdirSync(join(dir, 'cache'))).toEqual([]);
  });

  it('refuses a level out of range (USAGE)', async () => {
    const e = await failure(preflight(await inputs({ compression: 'gzip', level: 42 })));
    expect([e.code, e.message]).toEqual(['USAGE', 'gzip level must be an integer from 1 to 9, got 42']);
  });

  it('refuses an exclude that is not rootfs-absolute (USAGE)', async () => {
    expect((await failure(preflight(await inputs({ exclude: ['usr/share/doc'] })))).code).toBe('USAGE');
  });

  it('refuses an output that is a directory (IO)', async () => {
    const dir = await scratchDir();
    const e = await failure(preflight(await inputs({ output: dir })));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^output '.*': is a directory/);
  });

  it('refuses a missing inject source, and an unreadable file deep inside an injected directory (INJECT_SOURCE)', async () => {
    const dir = await scratchDir();
    const missing = await failure(preflight(await inputs({ inject: [{ source: join(dir, 'nope'), dest: '/x' }] })));
    expect(missing.code).toBe('INJECT_SOURCE');
    expect(missing.message).toBe(`--inject '${join(dir, 'nope')}:/x': '${join(dir, 'nope')}' does not exist`);
    mkdirSync(join(dir, 'tree', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'ok'), 'ok');
    expect(spawnSync('mkfifo', [join(dir, 'tree', 'deep', 'fifo')]).status).toBe(0);
    const deep = await failure(preflight(await inputs({ inject: [{ source: join(dir, 'tree'), dest: '/opt/tree' }] })));
    expect(deep.code).toBe('INJECT_SOURCE');
    expect(deep.message).toMatch(/'.*\/tree\/deep\/fifo' is not a regular file, directory or symlink$/);
  });

  it('refuses an --init the kernel cannot execute, and one that is a directory (INJECT_SOURCE)', async () => {
    expect((await failure(preflight(await inputs({ init: await file('just text') })))).message).toMatch(/^--init '.*': the kernel cannot execute it/);
    expect((await failure(preflight(await inputs({ init: await scratchDir() })))).message).toMatch(/is not a regular file$/);
    expect((await failure(preflight(await inputs({ init: await file(elf({ machine: EM.aarch64 })) })))).code).toBe('INJECT_SOURCE');
  });

  it('refuses a cache directory that cannot be created (IO)', async () => {
    const dir = await scratchDir();
    writeFileSync(join(dir, 'file'), '');
    const e = await failure(preflight(await inputs({ cacheDir: join(dir, 'file', 'cache') })));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^cache directory '.*\/file\/cache': cannot be written \(ENOTDIR\); pass --cache-dir DIR$/);
  });
});
