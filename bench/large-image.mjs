// Builds (once, cached under .bench/large/) the benchmark's larger image, to show how time and memory
// scale with the image: the python image's two layers, then three that override each other, as real
// images' later layers do:
//   3. apt-get install of a C toolchain, Python headers and kernel headers (BENCH_LARGE_PACKAGES; the kernel
//      headers are some 18,000 small files, so the entries grow more than the bytes);
//   4. rewrites and deletions: apt-get install --reinstall of Python and numpy, then every .pyc compiled
//      again with hash-based invalidation and numpy's shared objects stripped (new bytes shadowing layer
//      2's copies: a reinstall alone rewrites little, dpkg keeps the packages' mtimes and umoci diffs by
//      content and mtime), and numpy's test suites deleted (umoci's per-path whiteouts);
//   5. a hand-written layer (umoci writes no opaque directories): /usr/share/doc and /usr/share/man made
//      opaque (emptied, one new file) and pip's directory whited out.
// All layers are gzip: umoci 0.4.7, which the classic pipeline unpacks with, refuses zstd layers. The
// python image is built first when absent. Needs root and Debian's mirror (BENCH_MIRROR).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TAG, benchImage, chrootScript, describe } from './image.mjs';
import { log, sh } from './lib.mjs';

const PACKAGES = process.env.BENCH_LARGE_PACKAGES ?? 'build-essential python3-dev linux-headers-amd64';
/** Reinstalled in layer 4: the Python standard library and numpy, which layer 2 installed. */
const REINSTALL = 'python3.11-minimal libpython3.11-minimal libpython3.11-stdlib python3-numpy';

const LAYERS = [
  'debootstrap --variant=minbase bookworm (python image)',
  'apt-get install python3 python3-pip python3-numpy (python image)',
  `apt-get install ${PACKAGES}`,
  `apt-get install --reinstall ${REINSTALL}; compileall --invalidation-mode unchecked-hash; strip numpy; rm -rf numpy's tests`,
  'opaque /usr/share/doc and /usr/share/man, whiteout of pip',
];

/**
 * Returns { layout, tag, info } for the larger image under `benchDir`, building it when absent or when
 * `rebuild` is set; `info` is as for the python image, each layer with what it does.
 */
export async function largeImage(benchDir, { rebuild = false } = {}) {
  const dir = join(benchDir, 'large');
  const layout = join(dir, 'layout');
  const infoFile = join(dir, 'info.json');
  if (!rebuild && existsSync(infoFile)) {
    log(`reusing cached image ${layout}:${TAG} (--rebuild-image to rebuild)`);
    return { layout, tag: TAG, info: JSON.parse(readFileSync(infoFile, 'utf8')) };
  }
  if (process.getuid?.() !== 0) throw new Error('building the large benchmark image needs root (chroot, umoci unpack)');
  const base = await benchImage(benchDir);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The python image's blobs are the first two layers; a copy, so rebuilding one image leaves the other.
  cpSync(base.layout, layout, { recursive: true });
  const bundle = join(dir, 'bundle');
  const rootfs = join(bundle, 'rootfs');

  log(`large image, layer 3: apt-get install ${PACKAGES}`);
  const t3 = await sh(`
    umoci unpack --image '${layout}:${TAG}' '${bundle}'
    ${chrootScript(rootfs, `apt-get update && apt-get install -y --no-install-recommends ${PACKAGES} && apt-get clean`, join(dir, 'apt-install.log'))}
    # --refresh-bundle: the next repack then holds only what changes after this one.
    umoci repack --refresh-bundle --image '${layout}:${TAG}' '${bundle}'
  `);
  log(`  ${(t3.ms / 1000).toFixed(1)} s`);

  log(`large image, layer 4: apt-get install --reinstall ${REINSTALL}, .pyc compiled again, numpy stripped, its tests deleted`);
  const rewrite = [
    `apt-get update && apt-get install -y --no-install-recommends --reinstall ${REINSTALL} && apt-get clean`,
    'python3 -m compileall -q -f -j0 --invalidation-mode unchecked-hash /usr/lib/python3.11 /usr/lib/python3/dist-packages',
    'find /usr/lib/python3/dist-packages/numpy -name "*.so" -exec strip --strip-unneeded {} +',
  ].join(' && ');
  const t4 = await sh(`
    ${chrootScript(rootfs, rewrite, join(dir, 'apt-reinstall.log'))}
    find '${rootfs}/usr/lib/python3/dist-packages/numpy' -depth -type d -name tests -exec rm -rf {} +
    umoci repack --image '${layout}:${TAG}' '${bundle}'
  `);
  log(`  ${(t4.ms / 1000).toFixed(1)} s`);

  // umoci diffs a bundle into per-path whiteouts only; opaque directories (.wh..wh..opq) need a tar of
  // our own. Its directories are root-owned 0755 like the image's.
  log('large image, layer 5: opaque /usr/share/doc and /usr/share/man, whiteout of pip');
  const staging = join(dir, 'layer5');
  const t5 = await sh(`
    mkdir -p '${staging}/usr/share/doc' '${staging}/usr/share/man' '${staging}/usr/lib/python3/dist-packages'
    chmod -R 0755 '${staging}/usr'
    : > '${staging}/usr/share/doc/.wh..wh..opq'
    : > '${staging}/usr/share/man/.wh..wh..opq'
    : > '${staging}/usr/lib/python3/dist-packages/.wh.pip'
    echo 'Documentation removed to save space.' > '${staging}/usr/share/doc/README'
    chmod 0644 '${staging}/usr/share/doc/README'
    tar --numeric-owner --owner=0 --group=0 -C '${staging}' -cf '${dir}/layer5.tar' usr
    umoci raw add-layer --image '${layout}:${TAG}' --history.comment '${LAYERS[4]}' '${dir}/layer5.tar'
    umoci gc --layout '${layout}'
  `);
  log(`  ${(t5.ms / 1000).toFixed(1)} s`);

  // Counted from a fresh unpack of the finished image, which also shows umoci applies every layer.
  rmSync(bundle, { recursive: true, force: true });
  await sh(`umoci unpack --image '${layout}:${TAG}' '${bundle}'`, { quiet: true });
  const info = await describe(layout, rootfs);
  info.layers = info.layers.map((l, i) => ({ ...l, what: LAYERS[i] }));
  rmSync(bundle, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
  rmSync(join(dir, 'layer5.tar'), { force: true });
  const [entries, bytes] = [info.entries / base.info.entries, info.rootfsBytes / base.info.rootfsBytes];
  log(`large image: ${info.entries} entries (${entries.toFixed(1)}x the python image's), ` +
    `${(info.rootfsBytes / 1e6).toFixed(1)} MB (${bytes.toFixed(1)}x)`);
  // The image is there to show scaling; too small an image would show little.
  if (entries < 2 || bytes < 2) log('WARNING: the large image is less than twice the python image; set BENCH_LARGE_PACKAGES');
  writeFileSync(infoFile, JSON.stringify(info, null, 2) + '\n');
  return { layout, tag: TAG, info };
}
