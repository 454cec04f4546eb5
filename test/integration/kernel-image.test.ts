// --kernel-image REF against the real CNCF registry on loopback (behind the counting proxy): the kernel of
// a LinuxKit-style image (/kernel) and of a distro-style one (the newest /boot/vmlinuz-*, by version, through
// a symlink) comes out byte for byte into CACHE/kernels/<manifest hex>/kernel; a second boot of the same
// image asks for no blob and reads no layer; an image without a kernel says where it looked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveKernel, type KernelOptions } from '../../src/boot/kernel.ts';
import { CollectingReporter } from '../../src/log.ts';
import type { Platform } from '../../src/image/types.ts';
import { failure } from '../helpers/errors.ts';
import { blobPath, writeOciLayout, type TestEntry, type TestImage, type WrittenImage } from '../helpers/image.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { pushLayout } from '../helpers/push.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };

/** Debian's cloud kernel on this machine: a real bzImage. */
const KERNEL_PATH = join('/boot', readdirSync('/boot').find((n) => /^vmlinuz-.*-cloud-amd64$/.test(n)) ?? 'vmlinuz-missing');
const KERNEL = readFileSync(KERNEL_PATH);
/** Another bzImage (the same with its last byte changed): the older kernels of the /boot image. */
const older = (tag: number): Buffer => {
  const b = Buffer.from(KERNEL);
  b[b.length - 1] = tag;
  return b;
};

const dirs: TestEntry[] = [
  { name: 'etc', type: 'dir' },
  { name: 'etc/os-release', content: 'ID=test\n' },
];
const images: Record<string, TestImage> = {
  // LinuxKit's kernel images: FROM scratch with /kernel, the modules tarball and the config beside it.
  linuxkit: {
    layers: [{ compression: 'gzip', entries: [{ name: 'kernel', content: KERNEL }, { name: 'kernel.tar', content: 'modules\n' }] }],
  },
  // A distro image: several kernels in /boot, 6.1.0-10 newest although "-9" and "-1" sort after it as text;
  // the newest is a symlink into /usr/lib, as some distributions lay it out.
  distro: {
    layers: [
      { compression: 'zstd', entries: [...dirs, { name: 'boot', type: 'dir' }, { name: 'boot/vmlinuz-6.1.0-1-x', content: older(1) }] },
      {
        compression: 'gzip',
        entries: [
          { name: 'boot/vmlinuz-6.1.0-9-x', content: older(9) },
          { name: 'usr', type: 'dir' },
          { name: 'usr/lib', type: 'dir' },
          { name: 'usr/lib/vmlinuz-6.1.0-10-x', content: KERNEL },
          { name: 'boot/vmlinuz-6.1.0-10-x', type: 'symlink', linkname: '../usr/lib/vmlinuz-6.1.0-10-x' },
          { name: 'boot/config-6.1.0-10-x', content: 'CONFIG_X=y\n' },
        ],
      },
    ],
  },
  empty: { layers: [{ compression: 'gzip', entries: [...dirs, { name: 'boot', type: 'dir' }, { name: 'boot/grub', type: 'dir' }] }] },
};

let work: string;
let layout: string;
let written: Record<string, WrittenImage>;
let registry: RegistryHandle;
let proxy: ProxyHandle;
let n = 0;

const fresh = async (name: string): Promise<string> => {
  const dir = join(work, `${name}-${n++}`);
  await mkdir(dir);
  return dir;
};
const options = (cacheDir: string, platform = amd64): KernelOptions => ({ cacheDir, platform, source: { cacheDir, reporter: new CollectingReporter() } });

beforeAll(async () => {
  work = await scratchDir('kernel-image-');
  layout = join(work, 'layout');
  const names = Object.keys(images);
  const out = writeOciLayout(layout, names.map((ref) => ({ ref, image: images[ref]! })));
  written = Object.fromEntries(names.map((ref, i) => [ref, out[i]!]));
  registry = await startRegistry();
  await Promise.all(names.map((ref) => pushLayout(layout, ref, registry.host, `kernels/${ref}:1`)));
  proxy = await startFaultProxy(registry.host);
});

afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  await removeScratchDirs();
});

describe('resolveKernel --kernel-image', () => {
  it("takes a LinuxKit image's /kernel into the cache once; a second resolve asks for no blob", async () => {
    const cache = await fresh('cache');
    const ref = `${proxy.host}/kernels/linuxkit:1`;
    const digest = written.linuxkit!.digest;
    proxy.resetLog();
    const first = await resolveKernel({ image: ref }, options(cache));
    expect(first).toEqual({ path: join(cache, 'kernels', digest.slice('sha256:'.length), 'kernel'), from: ref, digest });
    expect(readFileSync(first.path).equals(KERNEL)).toBe(true);
    expect(proxy.blobGets).toBeGreaterThan(0);
    // Nothing left beside the entry: the temporary file was renamed, the spools removed.
    expect(readdirSync(join(cache, 'kernels'))).toEqual([digest.slice('sha256:'.length)]);
    expect(readdirSync(join(cache, 'kernels', digest.slice('sha256:'.length)))).toEqual(['kernel']);
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);

    const before = statSync(first.path);
    proxy.resetLog();
    const again = await resolveKernel({ image: ref }, options(cache));
    expect(again).toEqual(first);
    // The tag is asked for (tags move); no blob is.
    expect(proxy.blobGets).toBe(0);
    const after = statSync(first.path);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('takes the newest /boot/vmlinuz-* by version, following its symlink inside the image', async () => {
    const cache = await fresh('cache');
    const ref = `${proxy.host}/kernels/distro:1`;
    const k = await resolveKernel({ image: ref }, options(cache));
    expect(k.digest).toBe(written.distro!.digest);
    expect(k.from).toBe(ref);
    expect(readFileSync(k.path).equals(KERNEL)).toBe(true);
  });

  it('a cache hit reads no layer: the same image with its layer blob damaged still resolves from the cache', async () => {
    // A local layout, whose layers are read only when opened: a damaged blob fails any read of it.
    const dir = join(work, 'layout-damaged');
    const [w] = writeOciLayout(dir, [{ ref: 'k', image: images.linuxkit! }]);
    const cache = await fresh('cache');
    const first = await resolveKernel({ image: `oci:${dir}:k` }, options(cache));
    const layer = blobPath(dir, w!.manifests[0]!.layers[0]!.digest);
    writeFileSync(layer, Buffer.alloc(statSync(layer).size, 0x55));
    expect(await resolveKernel({ image: `oci:${dir}:k` }, options(cache))).toEqual(first);
    // Without the cache entry the damage is found, and said to be about the kernel image.
    const e = await failure(resolveKernel({ image: `oci:${dir}:k` }, options(await fresh('cache'))));
    expect(e.code).toBe('DIGEST_MISMATCH');
    expect(e.message).toMatch(/^kernel image oci:/);
  });

  it('an image without a kernel says where it looked', async () => {
    const ref = `${proxy.host}/kernels/empty:1`;
    const cache = await fresh('cache');
    const e = await failure(resolveKernel({ image: ref }, options(cache)));
    expect(e.code).toBe('BAD_IMAGE');
    expect(e.message).toBe(
      `kernel image ${ref} (linux/amd64) has no kernel: looked for /kernel (LinuxKit kernel images), the newest /boot/vmlinuz*, the newest /boot/Image*; expected an image holding a kernel, such as LinuxKit's linuxkit/kernel images`,
    );
    expect(readdirSync(cache)).not.toContain('kernels');
  });

  it('a kernel for another architecture, or a /kernel that is no kernel, is refused before it enters the cache', async () => {
    const dir = join(work, 'layout-wrong');
    writeOciLayout(dir, [
      { ref: 'x86-as-arm64', image: { platform: arm64, layers: [{ entries: [{ name: 'kernel', content: KERNEL }] }] } },
      { ref: 'text', image: { layers: [{ entries: [{ name: 'kernel', content: '#!/bin/sh\n'.repeat(200) }] }] } },
    ]);
    const cache = await fresh('cache');
    const wrong = await failure(resolveKernel({ image: `oci:${dir}:x86-as-arm64` }, options(cache, arm64)));
    expect(wrong.code).toBe('BAD_IMAGE');
    expect(wrong.message).toBe(
      `kernel image oci:${dir}:x86-as-arm64 (linux/arm64/v8): '/kernel' is an x86 kernel (bzImage) but the platform is linux/arm64/v8: give an arm64 Image (plain, gzip or zstd; such as /boot/vmlinuz-* of an arm64 Debian)`,
    );
    const text = await failure(resolveKernel({ image: `oci:${dir}:text` }, options(cache)));
    expect(text.code).toBe('BAD_IMAGE');
    expect(text.message).toMatch(/^kernel image oci:.*:text \(linux\/amd64\): '\/kernel' is not a Linux kernel QEMU can boot: neither a bzImage/);
    expect(readdirSync(cache)).not.toContain('kernels');
  });

  it("errors of the image keep their code and say they are about the kernel image", async () => {
    const missing = await failure(resolveKernel({ image: `${proxy.host}/kernels/nothing:1` }, options(await fresh('cache'))));
    expect(missing.code).toBe('IMAGE_NOT_FOUND');
    expect(missing.message).toMatch(new RegExp(`^kernel image ${proxy.host}/kernels/nothing:1: `));
    const platform = await failure(resolveKernel({ image: `${proxy.host}/kernels/linuxkit:1` }, options(await fresh('cache'), arm64)));
    expect(platform.code).toBe('PLATFORM_NOT_FOUND');
    expect(platform.message).toMatch(/^kernel image .*no image for platform linux\/arm64\/v8; available: linux\/amd64/);
  });
});
