// --kernel FILE is checked from its first bytes before QEMU starts: a bzImage, an arm64 Image (plain, gzip
// or zstd), for the archive's architecture; anything else fails with a message naming the file and the
// forms expected. Also the version order that picks the newest /boot/vmlinuz* of a kernel image.
import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { checkKernelFile, compareVersions, KERNEL_FORMS, kernelFormat, resolveKernel } from '../../src/boot/kernel.ts';
import type { Platform } from '../../src/image/types.ts';
import { failure } from '../helpers/errors.ts';

const tmp = mkdtempSync(join(tmpdir(), 'boot-kernel-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };

/** Debian's cloud kernel on this machine: a real bzImage. */
const DEBIAN_KERNEL = join('/boot', readdirSync('/boot').find((n) => /^vmlinuz-.*-cloud-amd64$/.test(n)) ?? 'vmlinuz-missing');

/** An arm64 Image header (Documentation/arch/arm64/booting.rst) followed by code-like bytes. */
function arm64Image(size = 64 << 10): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + 7) & 0xff;
  b.writeUInt32LE(0xfa405a4d, 0); // "MZ" + a branch, as EFI-stub kernels start
  b.writeBigUInt64LE(0n, 8); // text_offset
  b.writeBigUInt64LE(BigInt(size), 16); // image_size
  b.write('ARM\x64', 0x38, 'latin1');
  return b;
}

let n = 0;
const file = (content: Buffer | string): string => {
  const path = join(tmp, `kernel-${n++}`);
  writeFileSync(path, content);
  return path;
};
const opts = (platform: Platform) => ({ cacheDir: join(tmp, 'cache'), platform, source: { cacheDir: join(tmp, 'cache') } });

describe('checkKernelFile', () => {
  test("Debian's cloud kernel is a bzImage for amd64", async () => {
    expect(await checkKernelFile(DEBIAN_KERNEL, amd64)).toEqual({ path: DEBIAN_KERNEL, format: 'bzImage' });
    expect(await resolveKernel({ file: DEBIAN_KERNEL }, opts(amd64))).toEqual({ path: DEBIAN_KERNEL, from: DEBIAN_KERNEL, digest: null });
  });

  test('an arm64 Image is recognised plain, gzip- and zstd-compressed, for arm64', async () => {
    const image = arm64Image();
    expect((await checkKernelFile(file(image), arm64)).format).toBe('arm64 Image');
    expect((await checkKernelFile(file(gzipSync(image)), arm64)).format).toBe('gzip arm64 Image');
    expect((await checkKernelFile(file(zstdCompressSync(image)), arm64)).format).toBe('zstd arm64 Image');
  });

  test('a relative path is given back absolute, with from as the user wrote it', async () => {
    const rel = join('.', DEBIAN_KERNEL.slice(1));
    const cwd = process.cwd();
    process.chdir('/');
    try {
      expect(await resolveKernel({ file: rel }, opts(amd64))).toEqual({ path: DEBIAN_KERNEL, from: rel, digest: null });
    } finally {
      process.chdir(cwd);
    }
  });

  test('a bzImage for an arm64 platform, or an arm64 Image for amd64, is refused as the wrong architecture', async () => {
    const x86 = await failure(checkKernelFile(DEBIAN_KERNEL, arm64));
    expect(x86.code).toBe('USAGE');
    expect(x86.message).toBe(
      `--kernel ${`'${DEBIAN_KERNEL}'`} is an x86 kernel (bzImage) but the platform is linux/arm64/v8: give an arm64 Image (plain, gzip or zstd; such as /boot/vmlinuz-* of an arm64 Debian)`,
    );
    const arm = await failure(checkKernelFile(file(gzipSync(arm64Image())), amd64));
    expect(arm.code).toBe('USAGE');
    expect(arm.message).toMatch(/is an arm64 kernel but the platform is linux\/amd64: give a bzImage for x86 \(such as \/boot\/vmlinuz-\* of an amd64 Debian or Ubuntu\)$/);
  });

  test('a text file is not a kernel: the message names --kernel FILE and the forms expected', async () => {
    const path = file('#!/bin/sh\necho not a kernel\n'.repeat(100));
    const e = await failure(checkKernelFile(path, amd64));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe(
      `--kernel '${path}' is not a Linux kernel QEMU can boot: neither a bzImage ("HdrS" at 0x202) nor an arm64 Image ("ARM\\x64" at 0x38), nor gzip or zstd; expected ${KERNEL_FORMS}`,
    );
    expect(e.message).toContain('/boot/vmlinuz-$(uname -r)');
    expect(e.message).toContain('--kernel-image REF');
  });

  test('a short file, a gzip of something else and a gzip-compressed bzImage are refused with the reason', async () => {
    expect((await failure(checkKernelFile(file('HdrS'), amd64))).message).toContain('only 4 bytes long');
    expect((await failure(checkKernelFile(file(gzipSync(Buffer.alloc(4096, 'x'))), arm64))).message).toContain('gzip-compressed, but not an arm64 Image inside');
    const bz = await failure(checkKernelFile(file(gzipSync(execFileSync('head', ['-c', '65536', DEBIAN_KERNEL]))), amd64));
    expect(bz.message).toContain('a gzip-compressed bzImage (QEMU loads a bzImage only as it is, uncompressed)');
  });

  test('a missing file is named, with the forms expected', async () => {
    const path = join(tmp, 'no-such-vmlinuz');
    const e = await failure(checkKernelFile(path, amd64));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe(`--kernel '${path}' does not exist; expected ${KERNEL_FORMS}`);
  });

  test('a directory and a FIFO are not regular files (and the FIFO does not block the check)', async () => {
    const dir = join(tmp, 'a-dir');
    mkdirSync(dir);
    expect((await failure(checkKernelFile(dir, amd64))).message).toBe(`--kernel '${dir}' is a directory; expected ${KERNEL_FORMS}`);
    const fifo = join(tmp, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    const e = await failure(checkKernelFile(fifo, amd64));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe(`--kernel '${fifo}' is not a regular file; expected ${KERNEL_FORMS}`);
  });

  test("a kernel the user cannot read (Ubuntu's root-only /boot/vmlinuz-*) says how to make it readable", async () => {
    // Root reads a mode-0600 file anyway; /proc/sys/vm/drop_caches (mode 0200, a regular file) it cannot.
    let path = '/proc/sys/vm/drop_caches';
    if (process.getuid?.() !== 0) {
      path = file(arm64Image());
      chmodSync(path, 0o000); // as a root-owned 0600 file is to everyone else
    }
    const e = await failure(checkKernelFile(path, arm64));
    expect(e.code).toBe('USAGE');
    expect(e.message).toBe(
      `--kernel '${path}' is not readable (Ubuntu installs kernels readable by root only: sudo chmod a+r '${path}', or use --kernel-image)`,
    );
  });
});

describe('resolveKernel', () => {
  test('needs exactly one of file and image', async () => {
    const none = await failure(resolveKernel({}, opts(amd64)));
    expect(none.code).toBe('USAGE');
    expect(none.message).toBe(`no kernel to boot: give --kernel FILE or --kernel-image REF; expected ${KERNEL_FORMS}`);
    const both = await failure(resolveKernel({ file: DEBIAN_KERNEL, image: 'linuxkit/kernel:6.6' }, opts(amd64)));
    expect(both.message).toBe('--kernel and --kernel-image both name a kernel; give one of them');
  });
});

describe('kernelFormat', () => {
  test('a zstd-compressed arm64 Image cut short still shows its header', async () => {
    const z = zstdCompressSync(arm64Image(1 << 20));
    expect(await kernelFormat(z.subarray(0, Math.min(z.length, 4096)))).toBe('zstd arm64 Image');
  });
});

describe('compareVersions', () => {
  test('orders kernel names as sort -V does: numbers by value', () => {
    const names = ['vmlinuz-6.1.0-10-x', 'vmlinuz-6.1.0-1-x', 'vmlinuz-6.1.0-9-x', 'vmlinuz', 'vmlinuz-5.10.0-28-amd64', 'vmlinuz-6.10.0-1-x'];
    expect([...names].sort(compareVersions)).toEqual([
      'vmlinuz',
      'vmlinuz-5.10.0-28-amd64',
      'vmlinuz-6.1.0-1-x',
      'vmlinuz-6.1.0-9-x',
      'vmlinuz-6.1.0-10-x',
      'vmlinuz-6.10.0-1-x',
    ]);
    expect(compareVersions('Image-6.1.007', 'Image-6.1.7')).toBe(0);
  });
});
