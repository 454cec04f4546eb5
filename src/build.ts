// The pipeline: image reference → resolved image → layers read (in parallel, bytes spooled) → rootfs model
// (layers applied oldest first) → overlay (excludes, injected files, /init, boot entries) → archive written
// atomically → report. Every local input is checked first (preflight.ts), before any byte is pulled. The
// shells (CLI, action) only turn their inputs into BuildOptions and render the Reporter's events. What the
// build keeps in the cache meanwhile is in this process's scratch directory (scratch.ts); the build first
// removes what dead builds left there.
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openSource } from './image/source.ts';
import { parsePlatform } from './image/platform.ts';
import { formatPlatform, type ImageSource, type Layer, type Platform, type ResolvedImage } from './image/types.ts';
import type { RegistryClientOptions } from './registry/client.ts';
import type { SharedBlobCache } from './registry/shared-cache.ts';
import type { LayerEntry } from './image/layer-entry.ts';
import { readLayer } from './image/read-layer.ts';
import { SpoolFile } from './image/spool.ts';
import { newDir, toBytePath, type DataRef, type Inode, type Node } from './rootfs/node.ts';
import { normalisePath } from './rootfs/path.ts';
import { applyLayer } from './rootfs/apply-layer.ts';
import { applyExcludes } from './rootfs/exclude.ts';
import { injectPath, setInit, ensureBootEntries, setGeneratedFile, type InjectSpec } from './rootfs/overlay.ts';
import { lookup, resolveDir } from './rootfs/tree.ts';
import { largestDirectories, spaceUse } from './rootfs/du.ts';
import { BUSYBOX_PATH, DEFAULT_HOSTNAME, generateInit, udhcpcScript, UDHCPC_SCRIPT_PATH, type NetworkMode, type OnExit } from './initramfs/init-script.ts';
import { installModules, selectModules, type ModuleSet } from './initramfs/modules.ts';
import { DEFAULT_INIT_TOOLS, loadInitTools } from './initramfs/init-tools.ts';
import { resolveUser } from './rootfs/user.ts';
import { readNodeBytes } from './rootfs/read-node.ts';
import { writeArchive } from './initramfs/write.ts';
import type { Compression } from './initramfs/compress.ts';
import { InitramfsError } from './errors.ts';
import { preflight } from './preflight.ts';
import { acquireScratch, sweepDeadScratch } from './scratch.ts';
import type { Reporter } from './log.ts';
import type { BuildReport, InitReport, SpaceReport } from './report.ts';

export interface BuildOptions {
  /** A registry reference (`python:3.12-alpine`), `oci:DIR[:REF]`, `oci-archive:FILE[:REF]` or `docker-archive:FILE[:REF]`. */
  image: string;
  /** Final path of the archive, or `-` for standard output; a FIFO or device is written into (output.ts). */
  output: string;
  /** `os/arch[/variant]`; default linux/amd64. */
  platform?: string;
  compression: Compression;
  /** Compression level; undefined = the compression's default. */
  level?: number;
  inject: InjectSpec[];
  /** Host file that becomes /init. */
  init?: string;
  /** The generated /init's network setup (default cmdline: what the kernel's `ip=` says, else loopback only). */
  network?: NetworkMode;
  /** What the generated /init does after the command (default poweroff). */
  onExit?: OnExit;
  /** The image whose static /bin/busybox the generated /init runs on (default DEFAULT_INIT_TOOLS). */
  initTools?: string;
  /** Kernel modules to copy (and, with a generated /init, load): a /lib/modules/VERSION directory and names. */
  modules?: { dir: string; names: string[] };
  /** Rootfs-absolute globs removed from the image before injecting. */
  exclude: string[];
  /** Clamp for every mtime (SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
  /** The tool's own cache; the only place besides the output it writes to. */
  cacheDir: string;
  /** Credentials, insecure hosts and environment for registry pulls. */
  registry?: RegistryClientOptions;
  /** A cache shared between machines, asked for registry blobs the local cache lacks. */
  sharedCache?: SharedBlobCache;
  reporter: Reporter;
}

/** Layers are read two at a time: decompression runs on the threadpool while the tar parses here. */
const LAYER_CONCURRENCY = 2;

export async function build(opts: BuildOptions): Promise<BuildReport> {
  const { reporter } = opts;
  await preflight(opts);
  // Local like the rest of preflight: a missing module is said before any byte is pulled.
  const modules = opts.modules && opts.modules.names.length > 0
    ? await selectModules(opts.modules.dir, opts.modules.names, parsePlatform(opts.platform).architecture)
    : undefined;
  await sweepDeadScratch(opts.cacheDir, (m) => reporter.info(m));
  reporter.stage('resolve', `resolving ${opts.image}`);
  const platform = parsePlatform(opts.platform);
  const source = await openSource(opts.image, { cacheDir: opts.cacheDir, reporter, client: opts.registry, sharedCache: opts.sharedCache });
  try {
    return await buildFrom(source, platform, opts, modules);
  } finally {
    await source.close?.();
  }
}

async function buildFrom(source: ImageSource, platform: Platform, opts: BuildOptions, modules: ModuleSet | undefined): Promise<BuildReport> {
  const { reporter } = opts;
  const image = await source.resolve(platform);
  const layerCount = `${image.layers.length} layer${image.layers.length === 1 ? '' : 's'}`;
  reporter.done('resolve', `${image.reference} ${formatPlatform(image.platform)}${image.digest ? ' ' + image.digest : ''}, ${layerCount}`);

  const scratch = acquireScratch(opts.cacheDir);
  const work = await mkdtemp(join(scratch.dir, 'build-'));
  const spools: SpoolFile[] = [];
  try {
    const root = newDir();
    await readLayers(image, root, work, spools, reporter);

    reporter.stage('rootfs', 'assembling the rootfs');
    applyExcludes(root, opts.exclude);
    for (const spec of opts.inject) await injectPath(root, spec);
    if (modules) installModules(root, modules);
    const init = await installInit(root, image, opts, modules, work);
    ensureBootEntries(root);
    const largest = largestDirectories(root, { depth: 2, count: 8 });
    const space = measureSpace(root, spools, modules);
    reporter.done('rootfs', 'rootfs assembled');

    const written = await writeArchive(root, {
      output: opts.output,
      compression: opts.compression,
      level: opts.level,
      sourceDateEpoch: opts.sourceDateEpoch,
      cacheDir: opts.cacheDir,
      reporter,
    });
    return {
      digest: written.digest,
      size: written.size,
      output: opts.output,
      compression: opts.compression,
      level: written.level,
      image: { reference: image.reference, digest: image.digest ?? null, platform: formatPlatform(image.platform) },
      layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
      entries: written.entries,
      uncompressedSize: written.uncompressedSize,
      largestDirectories: largest,
      space,
      init,
    };
  } finally {
    for (const s of spools) s.dispose();
    await rm(work, { recursive: true, force: true });
    await scratch.release();
  }
}

/**
 * Reads the layers into `root`, applying each as soon as it and every older one are read: a layer's
 * entries are let go once applied, so memory holds the tree and at most LAYER_CONCURRENCY layers' entry
 * lists, not every entry of every layer. A layer is not started before the one LAYER_CONCURRENCY places
 * older is applied, which bounds the lists a slow old layer makes the newer ones wait with.
 */
async function readLayers(image: ResolvedImage, root: Node, work: string, spools: SpoolFile[], reporter: Reporter): Promise<void> {
  const total = image.layers.reduce((n, l) => n + l.size, 0);
  const count = `${image.layers.length} layer${image.layers.length === 1 ? '' : 's'}`;
  reporter.stage('layers', `reading ${count}`, total);
  let done = 0;
  const reading = new Map<number, Promise<LayerEntry[]>>();
  let next = 0;
  const start = (i: number): void => {
    const layer: Layer = image.layers[i]!;
    const spool = new SpoolFile(join(work, `layer-${i}.spool`), layer.digest);
    // In layer order: layers start oldest first, so a spool's index is its layer's (measureSpace).
    spools.push(spool);
    const entries = readLayer(layer, spool, reporter).then((e) => {
      spool.flush();
      done += layer.size;
      reporter.progress('layers', done);
      return e;
    });
    // Awaited in layer order below; this keeps a later layer's failure from being "unhandled" meanwhile.
    entries.catch(() => {});
    reading.set(i, entries);
  };
  try {
    for (let i = 0; i < image.layers.length; i++) {
      while (next < image.layers.length && next < i + LAYER_CONCURRENCY) start(next++);
      const entries = await reading.get(i)!;
      reading.delete(i);
      // Oldest first, as the OCI spec applies them.
      applyLayer(root, entries, { layer: image.layers[i]!.digest, reporter });
    }
  } catch (e) {
    // Every read still going is waited for: the caller disposes the spools next, and a read still writing
    // would then write through a closed (perhaps reused) file descriptor.
    await Promise.allSettled(reading.values());
    throw e;
  }
  reporter.done('layers', `read ${count}`);
}

/**
 * The report's `space`: where the file data is, and which layer (by the spool its bytes are in; the same
 * digest can be two layers of one image, so by position) or which part of the build it came from. Kernel
 * modules are the host's even when the build decompressed them into memory: their DataRefs are the
 * module set's own objects, which installModules puts in the tree as they are.
 */
function measureSpace(root: Node, spools: readonly SpoolFile[], modules: ModuleSet | undefined): SpaceReport {
  const layerOf = new Map(spools.map((spool, i) => [spool, i]));
  const fromModules = new Set<DataRef>(modules?.files.map((f) => f.data) ?? []);
  const origin = (inode: Inode): number | 'injected' | 'generated' => {
    const data = inode.data;
    if (data?.kind === 'spool') {
      const layer = layerOf.get(data.spool);
      if (layer !== undefined) return layer;
    }
    if (data?.kind === 'host' || (data !== undefined && fromModules.has(data))) return 'injected';
    return 'generated';
  };
  const use = spaceUse(root, origin);
  return {
    fileBytes: use.fileBytes,
    directories: use.slices,
    layers: spools.map((_, i) => use.origins.get(i) ?? 0),
    injected: use.origins.get('injected') ?? 0,
    generated: use.origins.get('generated') ?? 0,
  };
}

/**
 * `/init`: the user's file, else the image's own, else one generated from the image config. The generated
 * one runs on a static busybox from the init-tools image, always (not only when the image lacks a shell):
 * the same init then behaves the same on every image, needs nothing from it, and stays out of its PATH.
 */
async function installInit(root: Node, image: ResolvedImage, opts: BuildOptions, modules: ModuleSet | undefined, work: string): Promise<InitReport> {
  const moduleReport = modules ? { version: modules.version, names: modules.names, builtin: modules.builtin } : null;
  const given = (kind: 'given' | 'image'): InitReport => {
    if (modules) opts.reporter.info(`kernel modules copied to /lib/modules/${modules.version}; the ${kind === 'given' ? '--init given' : "image's own /init"} loads them, not the tool`);
    return { kind, network: null, onExit: null, user: null, modules: moduleReport, tools: null };
  };
  if (opts.init !== undefined) {
    await setInit(root, opts.init);
    return given('given');
  }
  if (lookup(root, '/init', { follow: true })?.inode.type === 'file') {
    // Not --init-tools: it also comes from the environment, as a default for whichever builds need it.
    const options = [opts.network && '--network', opts.onExit && '--on-exit'].filter(Boolean);
    if (options.length > 0) {
      throw new InitramfsError(
        'USAGE',
        `image ${image.reference} has its own /init, which ${options.join(' and ')} cannot reach (they shape a generated /init): ` +
          'drop them, or add --exclude /init to replace the image\'s /init with a generated one',
      );
    }
    opts.reporter.info("using the image's own /init");
    return given('image');
  }
  const network = opts.network ?? 'cmdline';
  const onExit = opts.onExit ?? 'poweroff';
  const user = resolveUser(root, image.config.User, readNodeBytes);
  const script = generateInit(image.config, {
    hostname: DEFAULT_HOSTNAME,
    network,
    onExit,
    modules: modules?.loadOrder ?? [],
    ...(user ? { user } : {}),
  });
  const { reporter } = opts;
  // The tools image reports what it pulls and warns like the main image, without a progress stage of its own.
  const quiet: Reporter = { stage() {}, progress() {}, done() {}, warn: (m) => reporter.warn(m), info: (m) => reporter.info(m) };
  const tools = await loadInitTools(opts.initTools ?? DEFAULT_INIT_TOOLS, image.platform, {
    source: { cacheDir: opts.cacheDir, reporter: quiet, client: opts.registry, sharedCache: opts.sharedCache },
    work,
  });
  setGeneratedFile(root, BUSYBOX_PATH, tools.busybox, 0o755);
  setGeneratedFile(root, UDHCPC_SCRIPT_PATH, Buffer.from(udhcpcScript(), 'utf8'), 0o755);
  setGeneratedFile(root, '/init', Buffer.from(script, 'utf8'), 0o755);
  // Docker creates a missing WorkingDir before it starts the command; so does the archive.
  if (image.config.WorkingDir) {
    const wd = normalisePath(toBytePath(image.config.WorkingDir));
    if (wd.ok) resolveDir(root, wd.components, true);
  }
  // Short: a progress line on an 60-column terminal. The tools image and its digest are in the report.
  reporter.info(`generated /init: network ${network}, on exit ${onExit}`);
  return {
    kind: 'generated',
    network,
    onExit,
    user: user ? `${user.uid}:${user.gid}` : null,
    modules: moduleReport,
    tools: { reference: tools.reference, digest: tools.digest },
  };
}
