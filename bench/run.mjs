// `npm run bench` (on demand, not in CI; needs root): builds or reuses the benchmark images under .bench/
// and, per image and compression, prints one table of:
//   - the floor: the unavoidable work done by the best standard tools one after the other, measured in
//     the same run: decompressing every layer (`pigz -dc` for gzip layers, `zstd -dc` for zstd, `cat` for
//     uncompressed, to /dev/null) plus compressing the classic pipeline's cpio (held on tmpfs) on all cores
//     (`pigz -pN -6`, `zstd -T0 -3`, to /dev/null); both parts and their sum;
//   - the classic pipeline: umoci unpack + find | cpio | gzip/zstd, from the OCI layout (unpack on disk)
//     and after skopeo copy from a loopback registry (docker-registry, started and stopped here);
//   - our CLI cold (empty cache dir each run) from the `oci:` layout and from the registry, warm (cache
//     filled by a previous run), and warm with a new ~8 MB agent injected each run, at the same levels;
//   - wall time (median of --runs), ratio to the floor and to the classic pipeline, peak RSS, output size
//     and its difference from the classic pipeline's (GNU gzip / zstd of the same image's cpio), and the
//     targets: cold <= 1.0x floor, warm <= 0.2x classic, peak RSS <= 300 MiB (python image), size <= classic.
// Then a scaling table (one row per image), the CLI's time by stage from the registry, a table of sizes
// and times per level (first image only), and the many-files run: an image of 1,000,000 small files in one
// layer (many-files.mjs), the CLI's wall time and peak RSS against the 1 GiB target. A PASS/MISS list of
// the targets ends the output; everything measured goes to .bench/results.json.
// Images: `python` (image.mjs: debootstrap minbase bookworm + python3, pip, numpy; 2 layers, 244 MB, 12,680
// entries) and `large` (large-image.mjs: the python image + a toolchain and kernel headers, a layer of
// rewrites and whiteouts, a layer of opaque directories; 5 layers, ~2.4x the entries and bytes).
//
// Usage: node bench/run.mjs [flags]   (npm run bench -- [flags])
//   --images LIST       comma-separated images to bench: python, large (default python,large)
//   --rebuild-image     rebuild the selected images under .bench/ even if they are cached
//   --runs N            timed runs per measurement, median reported (default 3)
//   --level-runs N      runs per level in the by-level table (default 2)
//   --gzip-level N      gzip level of the comparisons and the floor (default 6)
//   --zstd-level N      zstd level of the comparisons and the floor (default 3)
//   --skip-levels       no by-level table
//   --classic-tmpfs     also time the classic pipeline with its unpack on tmpfs
//   --classic-only      the floor and the classic pipelines only, not the CLI
//   --registry-only     only the registry builds (no builds from the local layout, no by-level table)
//   --skip-registry     no registry builds
//   --skip-many-files   no many-files run
//   --many-files-only   only the many-files run
//   -h, --help          print this usage
// Env: BENCH_CLI (default dist/cli.js; a .js/.mjs/.ts file runs with this node, anything else is executed),
// INITRAMFS_ACTION_INIT_TOOLS (passed on to the CLI: where it takes busybox from when Docker Hub is out of
// reach), BENCH_MIRROR, BENCH_PACKAGES (see image.mjs), BENCH_LARGE_PACKAGES (see large-image.mjs).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchImage } from './image.mjs';
import { largeImage } from './large-image.mjs';
import { MANY_FILES, manyFilesImage } from './many-files.mjs';
import { log, mb, median, printTable, run, secs, sh } from './lib.mjs';
import { pushImage, startRegistry } from './registry.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const benchDir = join(root, '.bench');

const { values: flags } = parseArgs({
  options: {
    images: { type: 'string', default: 'python,large' },
    'rebuild-image': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'level-runs': { type: 'string', default: '2' },
    'gzip-level': { type: 'string', default: '6' },
    'zstd-level': { type: 'string', default: '3' },
    'skip-levels': { type: 'boolean', default: false },
    'classic-tmpfs': { type: 'boolean', default: false },
    'classic-only': { type: 'boolean', default: false },
    'registry-only': { type: 'boolean', default: false },
    'skip-registry': { type: 'boolean', default: false },
    'skip-many-files': { type: 'boolean', default: false },
    'many-files-only': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  // The usage is the comment block at the top of this file.
  const text = readFileSync(new URL(import.meta.url), 'utf8');
  const usage = text.slice(0, text.indexOf('\nimport '));
  console.log(usage.replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
if (flags['registry-only'] && flags['skip-registry']) {
  console.error('bench: --registry-only and --skip-registry exclude each other');
  process.exit(2);
}
if (flags['many-files-only'] && (flags['skip-many-files'] || flags['registry-only'])) {
  console.error('bench: --many-files-only excludes --skip-many-files and --registry-only');
  process.exit(2);
}
/**
 * The images the bench knows; `rssMiB` is the peak-RSS target where the issue sets one (the python image
 * is "the bench image"; the large one is there to show how memory grows, so it has none).
 */
const IMAGES = {
  python: { load: benchImage, rssMiB: 300 },
  large: { load: largeImage },
};
const imageNames = flags.images.split(',').map((n) => n.trim()).filter(Boolean);
const unknown = imageNames.filter((n) => !IMAGES[n]);
if (unknown.length > 0 || imageNames.length === 0) {
  console.error(`bench: --images takes a comma-separated list of ${Object.keys(IMAGES).join(', ')}; got ${flags.images}`);
  process.exit(2);
}
const RUNS = Number(flags.runs);
const LEVEL_RUNS = Number(flags['level-runs']);
const LEVELS = { gzip: Number(flags['gzip-level']), zstd: Number(flags['zstd-level']) };
/**
 * Issue 13's targets: a cold build no slower than the floor, a warm one at most 0.2x the classic pipeline
 * (the layout's warm build against the classic from the layout, the registry's against skopeo + classic).
 */
const TARGET = { floor: 1.0, warm: 0.2 };
/** The many-files run's target: peak RSS of a build of a million entries. */
const MANY_FILES_TARGET_MIB = 1024;
const CORES = availableParallelism();

const cli = resolve(root, process.env.BENCH_CLI ?? 'dist/cli.js');
const cliCommand = /\.([cm]?js|ts)$/.test(cli) ? [process.execPath, cli] : [cli];
const toolAvailable = !flags['classic-only'] && existsSync(cli);

const outDir = join(benchDir, 'out');

/** GNU time gives the CLI's peak RSS; Debian's package is `time`. */
function ensureGnuTime() {
  if (existsSync('/usr/bin/time')) return;
  log('installing package `time` for peak-RSS measurement');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'time'], { stdio: 'inherit' });
}

const STAGES = ['resolve', 'layers', 'rootfs', 'archive'];

/**
 * Where one CLI run spent its time, from the arrival of its plain progress lines (`[stage] …` once when a
 * stage starts, once when it ends): `start` is process start-up until the first line, each stage runs
 * from its first line to its last, `exit` is after the last line. `download`, when the run fetched
 * blobs (a `pulled …` line each), runs from the first line until the last blob was in the cache; it
 * overlaps resolve and layers. Undefined when a stage is missing.
 */
function stageTimes(lines, totalMs) {
  const marks = new Map();
  let lastPull;
  for (const { ms, text } of lines) {
    if (text.startsWith('pulled ')) lastPull = ms;
    const stage = /^\[(\w+)\]/.exec(text)?.[1];
    if (!stage) continue;
    const m = marks.get(stage) ?? { from: ms, to: ms };
    m.to = ms;
    marks.set(stage, m);
  }
  if (!STAGES.every((s) => marks.has(s))) return undefined;
  const times = { start: marks.get(STAGES[0]).from };
  for (const s of STAGES) times[s] = marks.get(s).to - marks.get(s).from;
  times.exit = totalMs - marks.get(STAGES.at(-1)).to;
  if (lastPull !== undefined) times.download = lastPull - times.start;
  return times;
}

/**
 * How many of the archive's segments a run took from the segment cache, from the archive stage's closing
 * line ("…, R of N segment(s) reused from the cache, …"; no such phrase: none reused). The segment count
 * comes from the stage's opening line ("writing E entries in N segment(s)").
 */
function segmentReuse(lines) {
  const text = lines.map((l) => l.text).join('\n');
  const segments = /in (\d+) segment\(s\)/.exec(text)?.[1];
  if (segments === undefined) return {};
  return { segments: Number(segments), reused: Number(/(\d+) of \d+ segment\(s\) reused/.exec(text)?.[1] ?? 0) };
}

/**
 * One build of `source` with our CLI, into outDir/NAME.<compression><level>.cpio.gz (.zst); a fresh cache dir
 * unless `cacheDir` is given. Returns wall time, peak RSS, size and digest (from the report) and the
 * time per stage.
 */
async function toolOnce(source, name, compression, level, cacheDir, extraArgs = []) {
  // The suffix must agree with --compression (the CLI refuses a contradiction).
  const out = join(outDir, `${name}.${compression}${level}.cpio${{ gzip: '.gz', zstd: '.zst', none: '' }[compression]}`);
  const report = join(outDir, `${name}.${compression}${level}.json`);
  const cache = cacheDir ?? mkdtempSync(join(benchDir, 'cache-'));
  rmSync(out, { force: true });
  rmSync(report, { force: true });
  try {
    const [cmd, ...pre] = cliCommand;
    const args = [...pre, 'build', source, '-o', out, '--compression', compression,
      '--level', String(level), '--cache-dir', cache, '--report', report, ...extraArgs];
    const { ms, peakKiB, cpuMs, lines } = await run(cmd, args, { quiet: true, rss: true, stamps: true });
    const reported = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : {};
    return { ms, cpuMs, peakKiB, size: reported.size ?? statSync(out).size, digest: reported.digest, stages: stageTimes(lines, ms), ...segmentReuse(lines) };
  } finally {
    if (!cacheDir) rmSync(cache, { recursive: true, force: true });
  }
}

const localSource = (image) => `oci:${image.layout}:${image.tag}`;

/** The layers of the image's manifest in its layout: digest, media type and the blob's path. */
function layerBlobs(image) {
  const blob = (digest) => join(image.layout, 'blobs', ...digest.split(':'));
  const index = JSON.parse(readFileSync(join(image.layout, 'index.json'), 'utf8'));
  const desc = index.manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === image.tag);
  const manifest = JSON.parse(readFileSync(blob(desc.digest), 'utf8'));
  return manifest.layers.map((l) => ({ ...l, path: blob(l.digest) }));
}

/** The best standard tool to decompress a layer of this media type (OCI and Docker names). */
function decompressor(mediaType) {
  if (/gzip$/.test(mediaType)) return 'pigz -dc';
  if (/zstd$/.test(mediaType)) return 'zstd -dcq';
  if (/tar$/.test(mediaType)) return 'cat';
  throw new Error(`no decompressor for layer media type ${mediaType}`);
}

/** The floor's compressor: the standard tool on every core, at the comparison level. */
const FLOOR_COMPRESSOR = { gzip: (l) => `pigz -p${CORES} -${l}`, zstd: (l) => `zstd -q -T0 -${l}` };

/**
 * Writes the classic pipeline's cpio of the image (umoci unpack + find | cpio, both on tmpfs) to
 * /dev/shm, for the floor's compression part to read from memory; untimed. Returns its path and size.
 */
async function classicCpio(image) {
  const scratch = mkdtempSync(join('/dev/shm', 'initramfs-bench-floor-'));
  const bundle = join(scratch, 'bundle');
  const cpio = join(scratch, 'classic.cpio');
  try {
    await run('umoci', ['unpack', '--image', `${image.layout}:${image.tag}`, bundle], { quiet: true });
    await sh(`cd '${bundle}/rootfs' && find . | cpio --quiet -o -H newc > '${cpio}'`, { quiet: true });
    return { scratch, cpio, size: statSync(cpio).size };
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    throw e;
  } finally {
    rmSync(bundle, { recursive: true, force: true });
  }
}

/**
 * One measurement of the floor: every layer decompressed one after the other, then the classic cpio
 * compressed on all cores, each to /dev/null; the parts are timed separately.
 */
async function floorOnce(layers, cpio, compression, level) {
  const decompress = await sh(layers.map((l) => `${decompressor(l.mediaType)} '${l.path}' > /dev/null`).join('\n'), { quiet: true });
  const compress = await sh(`${FLOOR_COMPRESSOR[compression](level)} -c '${cpio}' > /dev/null`, { quiet: true });
  return { decompressMs: decompress.ms, compressMs: compress.ms, ms: decompress.ms + compress.ms };
}

const COMPRESSOR = { gzip: (l) => `gzip -${l}`, zstd: (l) => `zstd -q -${l}` };

/**
 * One classic build under `scratchParent`: with `pullRef`, first skopeo copy from the registry into a
 * layout there; then umoci unpack, then find | cpio | compressor to disk.
 */
async function classicOnce(image, compression, level, scratchParent, pullRef) {
  const scratch = mkdtempSync(join(scratchParent, 'initramfs-bench-'));
  const bundle = join(scratch, 'bundle');
  const out = join(outDir, `${image.name}.classic${pullRef ? '-registry' : ''}.${compression}${level}.cpio`);
  try {
    let from = `${image.layout}:${image.tag}`;
    let pull;
    if (pullRef) {
      from = `${join(scratch, 'layout')}:latest`;
      pull = await run('skopeo', ['copy', '--quiet', '--src-tls-verify=false', `docker://${pullRef}`, `oci:${from}`], { quiet: true });
    }
    const unpack = await run('umoci', ['unpack', '--image', from, bundle], { quiet: true });
    const pack = await sh(
      `cd '${bundle}/rootfs' && find . | cpio --quiet -o -H newc | ${COMPRESSOR[compression](level)} > '${out}'`,
      { quiet: true },
    );
    return { ms: (pull?.ms ?? 0) + unpack.ms + pack.ms, pullMs: pull?.ms, unpackMs: unpack.ms, packMs: pack.ms, size: statSync(out).size };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function repeat(n, label, fn) {
  const results = [];
  for (let i = 0; i < n; i++) {
    // Untimed: flush what earlier runs left dirty, so no run pays for another's writeback.
    await run('sync', [], { quiet: true });
    const r = await fn();
    log(`${label} run ${i + 1}/${n}: ${secs(r.ms)} s${r.size !== undefined ? `, ${mb(r.size)} MB` : ''}` +
      `${r.peakKiB ? `, RSS ${(r.peakKiB / 1024).toFixed(0)} MiB` : ''}`);
    results.push(r);
  }
  const pick = (k) => (results.every((r) => r[k] !== undefined) ? median(results.map((r) => r[k])) : undefined);
  // A time some run lacks (download in a run that fetched nothing) has no median.
  const stages = results.every((r) => r.stages)
    ? Object.fromEntries(Object.keys(results[0].stages)
      .filter((k) => results.every((r) => r.stages[k] !== undefined))
      .map((k) => [k, median(results.map((r) => r.stages[k]))]))
    : undefined;
  return {
    ms: pick('ms'), cpuMs: pick('cpuMs'), decompressMs: pick('decompressMs'), compressMs: pick('compressMs'), pullMs: pick('pullMs'), unpackMs: pick('unpackMs'), packMs: pick('packMs'), peakKiB: pick('peakKiB'), size: pick('size'),
    segments: pick('segments'), reused: pick('reused'),
    digests: [...new Set(results.map((r) => r.digest).filter(Boolean))], stages, runs: results,
  };
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');
const mib = (m) => (m.peakKiB !== undefined ? (m.peakKiB / 1024).toFixed(0) : '');
const pct = (size, ref) => `${size >= ref ? '+' : ''}${((size / ref - 1) * 100).toFixed(1)}%`;

/**
 * The builds from the local layout, per compression: the classic pipeline (unpack on disk; on tmpfs too
 * with --classic-tmpfs) and the CLI cold and warm. Results go into `per[label]`.
 */
async function layoutRun(image, per) {
  for (const compression of ['gzip', 'zstd']) {
    const level = LEVELS[compression];
    const label = `${compression} -${level}`;
    const m = per[label];
    m.classicDisk = await repeat(RUNS, `${image.name} classic (disk) ${label}`, () => classicOnce(image, compression, level, benchDir));
    if (flags['classic-tmpfs']) {
      m.classicTmpfs = await repeat(RUNS, `${image.name} classic (tmpfs) ${label}`, () => classicOnce(image, compression, level, '/dev/shm'));
    }
    if (!toolAvailable) continue;
    m.coldLayout = await repeat(RUNS, `${image.name} tool (cold cache, layout) ${label}`, () => toolOnce(localSource(image), `${image.name}.tool`, compression, level));
    const warmCache = mkdtempSync(join(benchDir, 'cache-warm-'));
    try {
      await toolOnce(localSource(image), `${image.name}.tool`, compression, level, warmCache); // fills the cache, not timed
      m.warmLayout = await repeat(RUNS, `${image.name} tool (warm cache, layout) ${label}`, () => toolOnce(localSource(image), `${image.name}.tool`, compression, level, warmCache));
    } finally {
      rmSync(warmCache, { recursive: true, force: true });
    }
  }
}

/**
 * The registry builds: push the image to a loopback registry, then per compression time the classic
 * pull + build against the CLI cold, warm, and warm with a new agent each run. Results go into
 * `per[label]`.
 */
async function registryRun(image, per) {
  const registry = await startRegistry();
  try {
    const ref = await pushImage(image, registry.host, benchDir, image.name);
    for (const compression of ['gzip', 'zstd']) {
      const level = LEVELS[compression];
      const label = `${compression} -${level}`;
      const m = per[label];
      m.classicRegistry = await repeat(RUNS, `${image.name} registry classic ${label}`, () => classicOnce(image, compression, level, benchDir, ref));
      if (!toolAvailable) continue;
      const name = `${image.name}.registry-tool`;
      m.coldRegistry = await repeat(RUNS, `${image.name} registry tool (cold cache) ${label}`, () => toolOnce(ref, name, compression, level));
      const warmCache = mkdtempSync(join(benchDir, 'cache-warm-'));
      try {
        const fill = await toolOnce(ref, name, compression, level, warmCache); // not timed
        m.coldRegistry.digests = [...new Set([...m.coldRegistry.digests, fill.digest])];
        m.warmRegistry = await repeat(RUNS, `${image.name} registry tool (warm cache) ${label}`, () => toolOnce(ref, name, compression, level, warmCache));
        // The everyday warm build: the same image, a freshly built agent binary each time (another size
        // every time, as real builds give). Blobs come from the cache; segments are content-defined, so
        // only those around the new file are compressed again.
        let k = 0;
        m.agent = await repeat(RUNS, `${image.name} registry tool (warm cache, new agent) ${label}`, () => {
          const agent = join(benchDir, 'agent');
          writeFileSync(agent, randomBytes((8 << 20) + randomBytes(3).readUIntBE(0, 3) % (1 << 20)));
          k++;
          return toolOnce(ref, `${name}-agent${k}`, compression, level, warmCache, ['--inject', `${agent}:/usr/local/bin/agent`]);
        });
      } finally {
        rmSync(warmCache, { recursive: true, force: true });
      }
    }
  } finally {
    await registry.stop();
  }
}

/**
 * Everything measured for one image: the floor, then the layout and registry builds. Returns
 * { info, per: { 'gzip -6': { floor, classicDisk, …, coldLayout, … }, … } }.
 */
async function imageRun(image) {
  const { info } = image;
  log(`image ${image.name}: ${info.layers.length} layers (${info.layers.map((l) => `${mb(l.size)} MB`).join(' + ')} compressed), ` +
    `${mb(info.rootfsBytes)} MB unpacked, ${info.entries} entries`);
  // Warm the page cache with the blobs so the first timed run is not the only one reading from disk.
  await sh(`cat '${image.layout}'/blobs/sha256/* > /dev/null`);
  const per = Object.fromEntries(['gzip', 'zstd'].map((c) => [`${c} -${LEVELS[c]}`, {}]));
  const layers = layerBlobs(image);
  const classic = await classicCpio(image);
  try {
    log(`${image.name}: classic cpio ${mb(classic.size)} MB on tmpfs for the floor`);
    for (const compression of ['gzip', 'zstd']) {
      const level = LEVELS[compression];
      const label = `${compression} -${level}`;
      per[label].floor = await repeat(RUNS, `${image.name} floor ${label}`, () => floorOnce(layers, classic.cpio, compression, level));
    }
  } finally {
    rmSync(classic.scratch, { recursive: true, force: true });
  }
  if (!flags['registry-only']) await layoutRun(image, per);
  if (!flags['skip-registry']) await registryRun(image, per);
  return { info, cpioBytes: classic.size, decompressors: [...new Set(layers.map((l) => decompressor(l.mediaType)))], per };
}

/**
 * The image's table rows and its PASS/MISS lines. The floor is the sum of its parts' medians; the
 * classic size, which tool sizes are set against, is that of the classic pipeline (GNU gzip / zstd of
 * find | cpio) of the same run.
 */
function imageReport(name, result, verdicts) {
  const rows = [];
  const rssTarget = IMAGES[name].rssMiB;
  for (const [label, m] of Object.entries(result.per)) {
    const compression = label.split(' ')[0];
    const floorMs = m.floor.decompressMs + m.floor.compressMs;
    const classicSize = (m.classicDisk ?? m.classicRegistry)?.size;
    const x = (ms) => (ms / floorMs).toFixed(2);
    // Sizes are set against the classic only for the tool's builds of the image as it is (not the
    // classic's own rows, not the builds that add an agent).
    const row = (what, r, classicRef, target = '', sizeVsClassic = false) => [
      label, what, secs(r.ms), x(r.ms), classicRef ? (r.ms / classicRef.ms).toFixed(2) : '', mib(r),
      r.size !== undefined ? mb(r.size) : '', sizeVsClassic && classicSize ? pct(r.size, classicSize) : '', target,
    ];
    rows.push([label, `floor: decompress ${result.info.layers.length} layers (${result.decompressors.join(', ')})`, secs(m.floor.decompressMs), '', '', '', '', '', '']);
    rows.push([label, `floor: compress the ${mb(result.cpioBytes)} MB cpio (${FLOOR_COMPRESSOR[compression](LEVELS[compression]).replace(' -q', '')})`, secs(m.floor.compressMs), '', '', '', '', '', '']);
    rows.push([label, 'floor: sum', secs(floorMs), '1.00', '', '', '', '', '']);
    if (m.classicDisk) rows.push(row('classic: umoci unpack (disk) + find | cpio | compressor', m.classicDisk, m.classicDisk));
    if (m.classicTmpfs) rows.push(row('classic: the same, unpack on tmpfs', m.classicTmpfs, m.classicDisk));
    if (m.classicRegistry) rows.push(row('classic: skopeo copy from the registry + the same', m.classicRegistry, m.classicRegistry));

    // Each tool build with the targets that apply to it; the target cell names each and its verdict.
    const builds = [
      ['tool cold, oci: layout', m.coldLayout, m.classicDisk, 'cold'],
      ['tool cold, registry', m.coldRegistry, m.classicRegistry, 'cold'],
      ['tool warm, oci: layout', m.warmLayout, m.classicDisk, 'warm'],
      ['tool warm, registry', m.warmRegistry, m.classicRegistry, 'warm'],
      ['tool warm + new ~8 MB agent, registry', m.agent, m.classicRegistry, 'agent'],
    ];
    for (const [what, r, classicRef, kind] of builds) {
      if (!r) continue;
      const checks = [];
      const where = `${name} ${label} ${what}`;
      if (kind === 'cold') {
        const ok = r.ms / floorMs <= TARGET.floor;
        checks.push(`time ${verdict(ok)}`);
        verdicts.push(`${verdict(ok)} ${where}: ${x(r.ms)}x the floor (${secs(r.ms)} s / ${secs(floorMs)} s, target <= ${TARGET.floor.toFixed(1)})`);
        if (classicSize) {
          const okSize = r.size <= classicSize;
          checks.push(`size ${verdict(okSize)}`);
          verdicts.push(`${verdict(okSize)} ${where}: ${mb(r.size)} MB vs classic ${mb(classicSize)} MB (${pct(r.size, classicSize)}, target <= classic)`);
        }
      }
      if (kind === 'warm' && classicRef) {
        const ratio = r.ms / classicRef.ms;
        checks.push(`time ${verdict(ratio <= TARGET.warm)}`);
        verdicts.push(`${verdict(ratio <= TARGET.warm)} ${where}: ${ratio.toFixed(2)}x the classic (${secs(r.ms)} s / ${secs(classicRef.ms)} s, target <= ${TARGET.warm})`);
      }
      if (kind === 'agent' && r.segments !== undefined) {
        // One new file: only the segments around it are compressed again; every other one is reused.
        const recompressed = r.runs.map((run) => run.segments - run.reused);
        const ok = Math.max(...recompressed) <= 3;
        checks.push(`reuse ${verdict(ok)}`);
        verdicts.push(`${verdict(ok)} ${where}: reuses ${r.runs.map((run) => `${run.reused}/${run.segments}`).join(', ')} segments ` +
          `(compressed again: ${recompressed.join(', ')}; target <= 3)`);
      }
      if (rssTarget !== undefined) {
        const ok = r.peakKiB / 1024 <= rssTarget;
        checks.push(`RSS ${verdict(ok)}`);
        if (!ok || kind === 'cold') verdicts.push(`${verdict(ok)} ${where}: peak RSS ${mib(r)} MiB (target <= ${rssTarget})`);
      }
      rows.push(row(what, r, classicRef, checks.join(', '), kind !== 'agent'));
    }
    // The same bytes whatever the cache and the source.
    const digests = [m.coldLayout, m.coldRegistry, m.warmLayout, m.warmRegistry].filter(Boolean).flatMap((r) => r.digests);
    if (digests.length > 0) {
      const unique = [...new Set(digests)];
      verdicts.push(`${verdict(unique.length === 1)} ${name} ${label}: cold and warm, layout and registry write ` +
        `${unique.length === 1 ? `the same bytes (${unique[0]})` : `different bytes: ${unique.join(', ')}`}`);
    }
  }
  return rows;
}

/**
 * The many-files run: cold builds (gzip, the comparison level) of an image of a million small files.
 * Fills `out` with a table row and a verdict; returns what goes into results.json.
 */
async function manyFilesRun(out) {
  const image = await manyFilesImage(benchDir);
  const level = LEVELS.gzip;
  const m = await repeat(RUNS, `many files (${MANY_FILES}) gzip -${level}`, () => toolOnce(localSource(image), 'many-files', 'gzip', level));
  const rssMiB = m.peakKiB / 1024;
  out.rows.push([`gzip -${level}`, String(MANY_FILES), secs(m.ms), secs(m.cpuMs), mb(m.size), rssMiB.toFixed(0)]);
  if (m.stages) out.stageRows.push([`gzip -${level}`, ...[m.stages.start, ...STAGES.map((k) => m.stages[k]), m.stages.exit].map(secs)]);
  out.verdicts.push(`${verdict(rssMiB <= MANY_FILES_TARGET_MIB)} ${MANY_FILES} small files: tool peak RSS ${rssMiB.toFixed(0)} MiB ` +
    `(target <= ${MANY_FILES_TARGET_MIB}), wall ${secs(m.ms)} s`);
  return { image: image.info, ...m };
}

function printManyFiles(out) {
  if (out.rows.length === 0) return;
  printTable(`Many small files: one layer, cold cache, median of ${RUNS} runs`,
    ['level', 'entries', 'wall s', 'cpu s', 'out MB', 'RSS MiB'], out.rows);
  if (out.stageRows.length > 0) printTable('Many small files by stage, s (median)', ['level', 'start-up', ...STAGES, 'exit'], out.stageRows);
}

/** One row per image: its size against the times and memory of the floor and the CLI, cold, gzip and zstd. */
function printScaling(results) {
  const names = Object.keys(results.images);
  const rows = [];
  for (const name of names) {
    const { info, per } = results.images[name];
    const cells = [name, String(info.layers.length), mb(info.layers.reduce((a, l) => a + l.size, 0)), mb(info.rootfsBytes), String(info.entries)];
    for (const m of Object.values(per)) {
      const cold = m.coldLayout ?? m.coldRegistry;
      cells.push(secs(m.floor.decompressMs + m.floor.compressMs), cold ? secs(cold.ms) : '', cold ? mib(cold) : '');
    }
    rows.push(cells);
  }
  if (names.length > 1) {
    // Each column of the last image against the first's: how time and memory grow with the image.
    const [a, b] = [rows[0], rows.at(-1)];
    rows.push([`${names.at(-1)} / ${names[0]}`, ...a.slice(1).map((_, i) => (Number(a[i + 1]) ? `${(Number(b[i + 1]) / Number(a[i + 1])).toFixed(2)}x` : ''))]);
  }
  const cols = Object.keys(results.images[names[0]].per).flatMap((label) => [`floor ${label}`, `cold ${label}`, `RSS MiB ${label}`]);
  printTable(`Scaling with the image (cold = from the layout, or the registry with --registry-only; medians of ${RUNS} runs)`,
    ['image', 'layers', 'layers MB', 'unpacked MB', 'entries', ...cols], rows);
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root (umoci unpack needs it for owners and devices)');
  mkdirSync(outDir, { recursive: true });
  ensureGnuTime();
  const manyOut = { rows: [], stageRows: [], verdicts: [] };
  if (flags['many-files-only']) {
    if (!toolAvailable) throw new Error(`no CLI at ${cli} (set BENCH_CLI)`);
    const manyFiles = await manyFilesRun(manyOut);
    printManyFiles(manyOut);
    console.log(`\nTargets\n${manyOut.verdicts.join('\n')}`);
    writeFileSync(join(benchDir, 'results-many-files.json'), JSON.stringify({ runs: RUNS, cli, manyFiles }, null, 2) + '\n');
    log(`results written to ${join(benchDir, 'results-many-files.json')}`);
    return;
  }
  if (!toolAvailable) log(flags['classic-only'] ? 'floor and classic only (--classic-only)' : `no CLI at ${cli}: floor and classic only (set BENCH_CLI)`);

  const results = { runs: RUNS, cores: CORES, cli: toolAvailable ? cli : null, images: {}, levels: [] };
  const loaded = {};
  // All images first: a build (minutes, network) should not sit between two images' measurements.
  for (const name of imageNames) {
    loaded[name] = { ...(await IMAGES[name].load(benchDir, { rebuild: flags['rebuild-image'] })), name };
  }
  for (const name of imageNames) results.images[name] = await imageRun(loaded[name]);

  if (toolAvailable && !flags['skip-many-files'] && !flags['registry-only']) results.manyFiles = await manyFilesRun(manyOut);

  const first = loaded[imageNames[0]];
  if (toolAvailable && !flags['skip-levels'] && !flags['registry-only']) {
    for (const [compression, levels] of [['gzip', [1, 6, 9]], ['zstd', [1, 3, 9, 19]]]) {
      for (const level of levels) {
        const m = await repeat(LEVEL_RUNS, `${first.name} tool levels ${compression} -${level}`, () => toolOnce(localSource(first), `${first.name}.tool`, compression, level));
        results.levels.push({ compression, level, ...m });
      }
    }
  }

  const verdicts = [];
  for (const name of imageNames) {
    const { info } = results.images[name];
    printTable(
      `${name}: ${mb(info.rootfsBytes)} MB, ${info.entries} entries, ${info.layers.length} layers (${mb(info.layers.reduce((a, l) => a + l.size, 0))} MB); ` +
        `median of ${RUNS} runs; ${CORES} cores`,
      ['level', 'run', 'wall s', 'x floor', 'x classic', 'RSS MiB', 'out MB', 'size vs classic', 'targets'],
      imageReport(name, results.images[name], verdicts),
    );
  }
  printScaling(results);
  const stageRows = [];
  for (const name of imageNames) {
    for (const [label, m] of Object.entries(results.images[name].per)) {
      for (const [cache, r] of [['cold', m.coldRegistry], ['warm', m.warmRegistry], ['agent', m.agent]]) {
        if (!r) continue;
        const s = r.stages;
        const cells = s ? [s.start, ...STAGES.map((k) => s[k]), s.exit, s.download].map((t) => (t !== undefined ? secs(t) : '-')) : [];
        stageRows.push([name, label, cache, secs(r.ms), secs(r.cpuMs), ...cells]);
      }
    }
  }
  if (stageRows.length > 0) {
    printTable(
      'Tool from the registry by stage, s (median; layers = fetch + decompress + parse; download = until every blob was cached)',
      ['image', 'level', 'cache', 'wall', 'cpu', 'start-up', ...STAGES, 'exit', 'download'],
      stageRows,
    );
  }
  if (results.levels.length > 0) {
    printTable(
      `Tool by level, ${first.name} image, cold cache (median of ${LEVEL_RUNS} runs)`,
      ['compression', 'level', 'wall s', 'out MB', 'RSS MiB', 'ratio to unpacked'],
      results.levels.map((l) => [l.compression, String(l.level), secs(l.ms), mb(l.size), mib(l), (l.size / first.info.rootfsBytes).toFixed(3)]),
    );
  }
  printManyFiles(manyOut);
  verdicts.push(...manyOut.verdicts);
  if (verdicts.length > 0) console.log(`\nTargets\n${verdicts.join('\n')}`);
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`results written to ${join(benchDir, 'results.json')}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});
