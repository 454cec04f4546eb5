// The kernel boots what we write. Each test builds an initramfs from an image made in code (busybox from
// Debian's busybox-static), boots it under QEMU with Debian's cloud kernel, and passes only when its marker
// appears on the serial console (a panic also ends QEMU with status 0, so the exit status proves nothing).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { writeOciLayoutRef, type TestEntry, type TestImage } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { bootInitramfs, killAllQemu } from '../helpers/qemu.ts';
import { readInitramfs } from '../helpers/cpio.ts';
import { runCli } from '../helpers/cli.ts';
import { STATUS_PREFIX } from '../../src/initramfs/init-script.ts';

const APPLETS = ['sh', 'mount', 'poweroff', 'echo', 'printf', 'cat', 'md5sum', 'sync', 'sleep', 'ls', 'pwd', 'env'];

/** A layer with a static busybox as /bin/busybox and its applets as symlinks (merged-/usr style: /bin → usr/bin). */
const busyboxLayer = (): TestEntry[] => [
  { name: 'usr', type: 'dir' },
  { name: 'usr/bin', type: 'dir' },
  { name: 'usr/bin/busybox', content: readFileSync('/bin/busybox'), mode: 0o755 },
  ...APPLETS.map((a): TestEntry => ({ name: `usr/bin/${a}`, type: 'symlink', linkname: 'busybox' })),
  { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
];

let work: string;
let counter = 0;

async function buildImage(image: TestImage, args: string[]): Promise<string> {
  const dir = join(work, `case-${counter++}`);
  const reference = writeOciLayoutRef(dir, image);
  const out = join(dir, args.find((a) => a.startsWith('name='))?.slice(5) ?? 'initramfs');
  const r = await runCli(['build', reference, '-o', out, '--cache-dir', join(work, 'cache'), ...args.filter((a) => !a.startsWith('name='))]);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

function initScript(body: string): string {
  const file = join(work, `init-${counter++}`);
  writeFileSync(file, `#!/bin/sh\n${body}\n/bin/busybox poweroff -f\n`);
  return file;
}

beforeAll(async () => {
  work = await scratchDir();
});
afterEach(killAllQemu);
afterAll(removeScratchDirs);

describe('the kernel boots archives in every compression', () => {
  for (const compression of ['gzip', 'zstd', 'none'] as const) {
    it(`boots a ${compression} archive and runs the --init given`, async () => {
      const marker = `MARKER-${compression}-${randomBytes(4).toString('hex')}`;
      // Printed in two pieces, so only a script that really ran can put the whole marker on the console.
      const init = initScript(`printf '%s-%s\\n' MARKER-${compression} ${marker.slice(-8)}`);
      const out = await buildImage({ layers: [{ entries: busyboxLayer() }] }, ['--compression', compression, '--init', init]);
      const res = await bootInitramfs(out, { marker });
      expect(res.found, res.console.slice(-2000)).toBe(true);
    });
  }
});

describe('the generated /init', () => {
  it('runs Entrypoint + Cmd with Env and WorkingDir, every argument exact, and reports the status', async () => {
    const out = await buildImage(
      {
        config: {
          Entrypoint: ['/bin/sh', '-c', 'cd_ok=$(pwd); printf "<%s>" "$@" "$cd_ok" "$GREETING"; echo; exit 3', 'sh'],
          Cmd: ['a  b', '$HOME', "it's", 'back\\slash', '*'],
          Env: ['GREETING=hello "world" $USER', 'PATH=/usr/bin:/bin'],
          WorkingDir: '/srv/app',
        },
        // /srv/app is not in any layer: Docker creates a missing WorkingDir, and so does the tool.
        layers: [{ entries: busyboxLayer() }],
      },
      [],
    );
    const res = await bootInitramfs(out, { marker: `${STATUS_PREFIX}3` });
    expect(res.found, res.console.slice(-2000)).toBe(true);
    expect(res.console).toContain(`<a  b><$HOME><it's><back\\slash><*></srv/app><hello "world" $USER>`);
  });
});

describe('one archive in several members', () => {
  // ~40 MiB of incompressible data spread over files, so the archive is cut into several segments.
  const blobs = Array.from({ length: 10 }, (_, i) => randomBytes(4 << 20).fill(i, 0, 16));
  const sums = blobs.map((b) => createHash('md5').update(b).digest('hex'));
  const entries: TestEntry[] = [
    { name: 'data', type: 'dir' },
    ...blobs.map((content, i): TestEntry => ({ name: `data/blob${i}`, content })),
    { name: 'data/zz-link', type: 'hardlink', linkname: 'data/blob9' },
  ];

  for (const compression of ['gzip', 'zstd', 'none'] as const) {
    it(`boots a ${compression} archive larger than one segment with every file intact, hardlinks included`, async () => {
      const init = initScript('cd /data && md5sum blob* zz-link && ls -1i blob9 zz-link && echo SEGMENTS-DONE');
      const out = await buildImage({ layers: [{ entries: busyboxLayer() }, { entries }] }, ['--compression', compression, '--init', init]);
      const members = await readInitramfs(out);
      // Compressed: several members (each ending on an entry boundary, or reading them would have thrown);
      // raw: the segments are simply consecutive. Either way one trailer, at the very end.
      if (compression === 'none') expect(members).toHaveLength(1);
      else expect(members.length).toBeGreaterThan(1);
      const names = members.flatMap((m) => m.entries.map((e) => e.name));
      expect(names.filter((n) => n === 'TRAILER!!!')).toHaveLength(1);
      expect(names.at(-1)).toBe('TRAILER!!!');

      const res = await bootInitramfs(out, { marker: 'SEGMENTS-DONE', memoryMiB: 1024 });
      expect(res.found, res.console.slice(-2000)).toBe(true);
      for (let i = 0; i < sums.length; i++) expect(res.console).toContain(`${sums[i]}  blob${i}`);
      expect(res.console).toContain(`${sums[9]}  zz-link`);
      // The kernel linked the two names: one inode in the guest.
      const inodes = [...res.console.matchAll(/^\s*(\d+) (blob9|zz-link)\s*$/gm)].map((m) => m[1]);
      expect(inodes).toHaveLength(2);
      expect(inodes[0]).toBe(inodes[1]);
    });
  }
});
