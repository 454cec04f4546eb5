import { afterAll, describe, expect, test, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_INIT_TOOLS, INIT_TOOLS_ENV, loadInitTools } from '../../src/initramfs/init-tools.ts';
import type { Platform } from '../../src/image/types.ts';
import { failure } from '../helpers/errors.ts';
import { writeOciLayout, type TestEntry, type TestImage } from '../helpers/image.ts';

const tmp = mkdtempSync(join(tmpdir(), 'init-tools-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;

// This host's busybox is a static x86-64 executable; its ls is dynamically linked.
const BUSYBOX = readFileSync('/bin/busybox');
const LS = readFileSync('/bin/ls');
const amd64: Platform = { os: 'linux', architecture: 'amd64' };
const arm64: Platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };

const image = (entries: TestEntry[], platform?: Platform): TestImage => ({
  ...(platform ? { platform } : {}),
  layers: [{ entries: [{ name: 'bin/', type: 'dir' }, ...entries], compression: 'none' }],
});
const busyboxImage = (platform?: Platform, bytes: Buffer = BUSYBOX): TestImage =>
  image([{ name: 'bin/busybox', content: bytes, mode: 0o755 }], platform);

/** A fresh OCI layout holding `img`; returns its reference, the digest written and a work directory. */
function layout(img: TestImage | TestImage[]): { reference: string; digest: string; work: string } {
  const dir = join(tmp, `layout-${n}`);
  const work = join(tmp, `work-${n++}`);
  mkdirSync(work);
  const [written] = writeOciLayout(dir, [{ image: img }]);
  return { reference: `oci:${dir}`, digest: written!.digest, work };
}
const load = (l: { reference: string; work: string }, platform = amd64): ReturnType<typeof loadInitTools> =>
  loadInitTools(l.reference, platform, { source: { cacheDir: join(tmp, 'cache') }, work: l.work });

const CHOOSE = 'choose another with --init-tools IMAGE (or the environment variable INITRAMFS_ACTION_INIT_TOOLS)';

describe('loadInitTools', () => {
  test('returns the image\'s /bin/busybox byte for byte, with the digest and platform resolved', async () => {
    const l = layout(busyboxImage());
    const tools = await load(l);
    expect(tools.reference).toBe(l.reference);
    expect(tools.digest).toBe(l.digest);
    expect(tools.platform).toBe('linux/amd64');
    expect(Buffer.from(tools.busybox).equals(BUSYBOX)).toBe(true);
    // Spools and their directory are gone once it returns.
    expect(readdirSync(l.work)).toEqual([]);
  });

  test('/bin/busybox as a symlink to /usr/bin/busybox is followed inside the image', async () => {
    const l = layout(
      image([
        { name: 'usr/', type: 'dir' },
        { name: 'usr/bin/', type: 'dir' },
        { name: 'usr/bin/busybox', content: BUSYBOX, mode: 0o755 },
        { name: 'bin/busybox', type: 'symlink', linkname: '/usr/bin/busybox' },
      ]),
    );
    expect(Buffer.from((await load(l)).busybox).equals(BUSYBOX)).toBe(true);
  });

  test('the platform of a multi-platform index is chosen; a missing one is PLATFORM_NOT_FOUND about the tools image', async () => {
    const l = layout([busyboxImage(amd64), image([{ name: 'bin/other', content: 'x' }], { os: 'linux', architecture: 's390x' })]);
    const tools = await load(l);
    expect(tools.platform).toBe('linux/amd64');
    expect(Buffer.from(tools.busybox).equals(BUSYBOX)).toBe(true);
    const e = await failure(load(l, arm64));
    expect(e.code).toBe('PLATFORM_NOT_FOUND');
    expect(e.message).toBe(`init-tools image ${l.reference}: no image for platform linux/arm64/v8; available: linux/amd64, linux/s390x; ${CHOOSE}`);
    expect(readdirSync(l.work)).toEqual([]);
  });

  test('a missing tools image is IMAGE_NOT_FOUND about the tools image', async () => {
    const reference = `oci:${join(tmp, 'no-such-layout')}`;
    const e = await failure(loadInitTools(reference, amd64, { source: { cacheDir: join(tmp, 'cache') }, work: tmp }));
    expect(e.code).toBe('IMAGE_NOT_FOUND');
    expect(e.message).toMatch(/^init-tools image /);
    expect(e.message).toContain(join(tmp, 'no-such-layout'));
    expect(e.message.endsWith(`; ${CHOOSE}`)).toBe(true);
  });

  test('an unreachable registry (an air-gapped runner and the default image) is NETWORK about the tools image, saying how to choose a mirror', async () => {
    // A port nothing listens on: every connection is refused at once.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const reference = `127.0.0.1:${port}/library/busybox:1`;
    const e = await failure(loadInitTools(reference, amd64, { source: { cacheDir: join(tmp, 'cache') }, work: tmp }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(new RegExp(`^init-tools image ${reference.replaceAll('.', '\\.')}: `));
    expect(e.message.endsWith(`; ${CHOOSE}`)).toBe(true);
  }, 60_000);
});

describe('loadInitTools: a busybox that cannot run the generated /init', () => {
  const expectedFile = `expected a static busybox at /bin/busybox, such as ${DEFAULT_INIT_TOOLS} has; ${CHOOSE}`;
  const STATIC = 'a static busybox is needed, e.g. the busybox:musl or busybox:uclibc images';

  test('no /bin/busybox', async () => {
    const l = layout(image([{ name: 'bin/sh', content: BUSYBOX, mode: 0o755 }]));
    const e = await failure(load(l));
    expect(e.code).toBe('INIT_TOOLS');
    expect(e.message).toBe(`init-tools image ${l.reference} (linux/amd64) has no /bin/busybox; ${expectedFile}`);
    expect(readdirSync(l.work)).toEqual([]);
  });

  test('a symlink that names nothing', async () => {
    const l = layout(image([{ name: 'bin/busybox', type: 'symlink', linkname: '../usr/bin/busybox' }]));
    const e = await failure(load(l));
    expect(e.code).toBe('INIT_TOOLS');
    expect(e.message).toBe(
      `init-tools image ${l.reference} (linux/amd64) has /bin/busybox as a symlink to '../usr/bin/busybox', which names nothing in the image; ${expectedFile}`,
    );
  });

  test('not a regular file', async () => {
    const l = layout(image([{ name: 'bin/busybox/', type: 'dir' }]));
    const e = await failure(load(l));
    expect(e.code).toBe('INIT_TOOLS');
    expect(e.message).toBe(`init-tools image ${l.reference} (linux/amd64) has /bin/busybox as a directory, not a regular file; ${expectedFile}`);
  });

  test('not ELF', async () => {
    const l = layout(busyboxImage(undefined, Buffer.from('#!/bin/sh\necho busybox\n')));
    const e = await failure(load(l));
    expect(e.code).toBe('INIT_TOOLS');
    expect(e.message).toBe(`init-tools image ${l.reference} (linux/amd64): /bin/busybox is not an ELF executable (or is cut short); ${STATIC}; ${CHOOSE}`);
  });

  test('dynamically linked (this host\'s /bin/ls as busybox)', async () => {
    const l = layout(busyboxImage(undefined, LS));
    const e = await failure(load(l));
    expect(e.code).toBe('INIT_TOOLS');
    expect(e.message).toBe(
      `init-tools image ${l.reference} (linux/amd64): /bin/busybox is dynamically linked (it names a program interpreter, PT_INTERP), but it runs before anything of the image is there; ${STATIC}; ${CHOOSE}`,
    );
  });

  test('built for another machine than the platform', async () => {
    // An index whose arm64 entry carries an x86-64 busybox, as a mislabelled push would.
    const l = layout([busyboxImage(amd64), busyboxImage(arm64)]);
    const e = await failure(load(l, arm64));
    expect(e.code).toBe('INIT_TOOLS');
    expect(e.message).toBe(
      `init-tools image ${l.reference} (linux/arm64/v8): /bin/busybox is for x86-64, 64-bit little-endian but the platform is linux/arm64/v8 (AArch64, 64-bit little-endian); expected a busybox built for the target platform; ${CHOOSE}`,
    );
    expect(readdirSync(l.work)).toEqual([]);
  });

  test('the environment variable named in messages is the one exported', () => {
    expect(INIT_TOOLS_ENV).toBe('INITRAMFS_ACTION_INIT_TOOLS');
    expect(DEFAULT_INIT_TOOLS).toBe('docker.io/library/busybox:1.37.0-musl');
  });
});

describe('loadInitTools: the source is closed', () => {
  test('after success and after every failure', async () => {
    let opened = 0;
    let closed = 0;
    vi.resetModules();
    vi.doMock('../../src/image/source.ts', async (importOriginal) => {
      const real = await importOriginal<typeof import('../../src/image/source.ts')>();
      return {
        ...real,
        openSource: async (...args: Parameters<typeof real.openSource>) => {
          const source = await real.openSource(...args);
          opened++;
          const close = source.close?.bind(source);
          // An own property over the class's method: the instance keeps its private fields.
          source.close = async () => {
            closed++;
            await close?.();
          };
          return source;
        },
      };
    });
    try {
      const { loadInitTools: load2 } = await import('../../src/initramfs/init-tools.ts');
      const run = (l: { reference: string; work: string }, platform = amd64): Promise<unknown> =>
        load2(l.reference, platform, { source: { cacheDir: join(tmp, 'cache') }, work: l.work });
      // The modules were loaded afresh: errors are of that copy's InitramfsError class, so only codes are compared.
      const code = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (e: { code?: string }) => e.code);
      await run(layout(busyboxImage()));
      expect(await code(run(layout(busyboxImage(undefined, LS))))).toBe('INIT_TOOLS');
      expect(await code(run(layout(busyboxImage()), arm64))).toBe('PLATFORM_NOT_FOUND');
      expect(opened).toBe(3);
      expect(closed).toBe(3);
    } finally {
      vi.doUnmock('../../src/image/source.ts');
      vi.resetModules();
    }
  });
});
