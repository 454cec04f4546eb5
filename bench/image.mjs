// Builds (once, cached under .bench/) the benchmark's realistic two-layer OCI image: layer 1 is a
// debootstrap --variant=minbase bookworm, layer 2 the true diff of `apt-get install python3` in a chroot
// of it (umoci repack of the same bundle). Needs root and Debian's mirror.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { capture, log, sh } from './lib.mjs';

export const TAG = 'bench';
export const MIRROR = process.env.BENCH_MIRROR ?? 'http://deb.debian.org/debian';
// python3 alone gives ~165 MB unpacked; pip and numpy bring the image to the ~250 MB of a typical
// application image (and add many small .py/.pyc files and a few large shared objects).
const PACKAGES = process.env.BENCH_PACKAGES ?? 'python3 python3-pip python3-numpy';

/**
 * A bash fragment that runs `script` (sh, apt-get allowed) in a chroot of `rootfs` with network (the host's
 * resolv.conf), /proc and no service starts (policy-rc.d), its output in `logFile` (tail shown on failure),
 * and leaves the rootfs as it was apart from what `script` changed: no resolv.conf, no policy-rc.d, no apt
 * lists, /proc unmounted.
 */
export function chrootScript(rootfs, script, logFile) {
  return `
    cleanup() {
      umount '${rootfs}/proc' 2>/dev/null || true
      rm -f '${rootfs}/usr/sbin/policy-rc.d' '${rootfs}/etc/resolv.conf'
    }
    trap cleanup EXIT
    cp /etc/resolv.conf '${rootfs}/etc/resolv.conf'
    printf '#!/bin/sh\\nexit 101\\n' > '${rootfs}/usr/sbin/policy-rc.d'; chmod 755 '${rootfs}/usr/sbin/policy-rc.d'
    mount -t proc proc '${rootfs}/proc'
    chroot '${rootfs}' /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \\
      sh -c '${script}' </dev/null >'${logFile}' 2>&1 || { tail -30 '${logFile}'; exit 1; }
    rm -rf '${rootfs}'/var/lib/apt/lists/*
    cleanup
    trap - EXIT`;
}

/** Facts about the built image, stored next to it so a cached image reports them too. */
export function describe(layout, rootfs) {
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const blob = (d) => join(layout, 'blobs', ...d.digest.split(':'));
  const desc = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === TAG);
  const manifest = JSON.parse(readFileSync(blob(desc), 'utf8'));
  return capture('du', ['-sb', '--apparent-size', rootfs]).then(async (du) => ({
    layers: manifest.layers.map((l) => ({ mediaType: l.mediaType, size: l.size })),
    rootfsBytes: Number(du.split('\t')[0]),
    entries: Number((await capture('bash', ['-c', `find '${rootfs}' | wc -l`])).trim()) - 1,
  }));
}

/**
 * Returns { layout, tag, info } for the benchmark image under `benchDir`, building it when absent or when
 * `rebuild` is set. `info` has the layer sizes, unpacked size and entry count.
 */
export async function benchImage(benchDir, { rebuild = false } = {}) {
  const dir = join(benchDir, 'image');
  const layout = join(dir, 'layout');
  const infoFile = join(dir, 'info.json');
  if (!rebuild && existsSync(infoFile)) {
    log(`reusing cached image ${layout}:${TAG} (--rebuild-image to rebuild)`);
    return { layout, tag: TAG, info: JSON.parse(readFileSync(infoFile, 'utf8')) };
  }
  if (process.getuid?.() !== 0) throw new Error('building the benchmark image needs root (debootstrap, chroot, mknod)');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, 'bundle');
  const rootfs = join(bundle, 'rootfs');

  log('layer 1: debootstrap --variant=minbase bookworm');
  const t1 = await sh(`
    umoci init --layout '${layout}'
    umoci new --image '${layout}:${TAG}'
    umoci unpack --image '${layout}:${TAG}' '${bundle}'
    debootstrap --variant=minbase bookworm '${rootfs}' '${MIRROR}' >'${dir}/debootstrap.log' 2>&1 \\
      || { tail -30 '${dir}/debootstrap.log'; exit 1; }
    rm -rf '${rootfs}'/var/cache/apt/archives/*.deb '${rootfs}'/var/lib/apt/lists/* '${rootfs}/etc/resolv.conf'
    # --refresh-bundle: the next repack then holds only what changes after this one.
    umoci repack --refresh-bundle --image '${layout}:${TAG}' '${bundle}'
  `);
  log(`  ${(t1.ms / 1000).toFixed(1)} s`);

  log(`layer 2: apt-get install ${PACKAGES} in a chroot`);
  const t2 = await sh(`
    ${chrootScript(rootfs, `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES} && apt-get clean`, join(dir, 'apt.log'))}
    umoci repack --image '${layout}:${TAG}' '${bundle}'
    umoci config --image '${layout}:${TAG}' --config.cmd /usr/bin/python3
    umoci gc --layout '${layout}'
  `);
  log(`  ${(t2.ms / 1000).toFixed(1)} s`);

  const info = await describe(layout, rootfs);
  rmSync(bundle, { recursive: true, force: true });
  writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n');
  return { layout, tag: TAG, info };
}
