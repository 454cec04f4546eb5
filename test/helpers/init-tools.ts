// The init-tools image every test build with a generated /init uses: the default (Docker Hub's busybox) is
// out of reach here, so the CLI and the action get INITRAMFS_ACTION_INIT_TOOLS pointing at this local
// stand-in, the way a user points it at a mirror. It holds what the real one holds: a static busybox as
// /bin/busybox (with /bin/sh beside it) for linux/amd64 and linux/arm64, from Debian's busybox-static
// packages: this machine's /bin/busybox, and the arm64 package's, which .ci/run downloads and unpacks
// (dpkg --add-architecture arm64; apt-get download busybox-static:arm64) into ARM64_BUSYBOX.
//
// Written once per content into node_modules/.cache (renamed into place, so test workers racing to make it
// agree), never into TMPDIR or HOME, which the hostile-input checks watch.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeOciLayout, type TestEntry, type TestImage } from './image.ts';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

export const AMD64_BUSYBOX = '/bin/busybox';
export const ARM64_BUSYBOX = process.env.INITRAMFS_TEST_ARM64_BUSYBOX || join(homedir(), '.cache', 'initramfs-test', 'busybox-arm64');

/** The tag the layout's index carries. */
export const INIT_TOOLS_REF = 'busybox';

const readBusybox = (path: string, how: string): Buffer => {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new Error(`test fixture: no static busybox at ${path} (${(e as Error).message}); ${how}`);
  }
};

const toolsImage = (busybox: Buffer, architecture: string, variant?: string): TestImage => ({
  platform: { os: 'linux', architecture, ...(variant ? { variant } : {}) },
  config: { Cmd: ['sh'] },
  layers: [
    {
      entries: [
        { name: 'bin', type: 'dir' },
        { name: 'bin/busybox', content: busybox, mode: 0o755 },
        { name: 'bin/sh', type: 'hardlink', linkname: 'bin/busybox' },
      ] satisfies TestEntry[],
    },
  ],
});

let cached: string | undefined;

/** `oci:DIR:busybox`, the local init-tools image (made on first use). */
export function initToolsImage(): string {
  if (cached !== undefined) return cached;
  const amd64 = readBusybox(AMD64_BUSYBOX, 'install busybox-static');
  const arm64 = readBusybox(
    ARM64_BUSYBOX,
    'run .ci/run, or: dpkg --add-architecture arm64 && apt-get update && apt-get download busybox-static:arm64 && ' +
      `dpkg-deb --fsys-tarfile busybox-static_*_arm64.deb | tar -xO ./bin/busybox > ${ARM64_BUSYBOX}`,
  );
  const hash = createHash('sha256').update(amd64).update(arm64).digest('hex').slice(0, 16);
  const dir = join(REPO, 'node_modules', '.cache', 'initramfs-test', `init-tools-${hash}`);
  if (!existsSync(join(dir, 'index.json'))) {
    const tmp = `${dir}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    mkdirSync(tmp, { recursive: true });
    writeOciLayout(tmp, [{ ref: INIT_TOOLS_REF, image: [toolsImage(amd64, 'amd64'), toolsImage(arm64, 'arm64', 'v8')] }]);
    try {
      renameSync(tmp, dir);
    } catch {
      // Another worker was first: its layout is the same bytes.
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  cached = `oci:${dir}:${INIT_TOOLS_REF}`;
  return cached;
}
