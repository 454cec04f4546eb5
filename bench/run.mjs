// `npm run bench` (on demand, not in CI; needs root): builds or reuses a realistic two-layer OCI image
// under .bench/, then times our CLI against the classic pipeline (umoci unpack + find | cpio | gzip/zstd,
// with the unpack on disk and on tmpfs) at the same compression level, and prints wall times (median of
// several runs), output sizes, the CLI's peak RSS, and a table of sizes/times per level for the CLI.
// The registry run then pushes the image to a loopback registry (docker-registry, started and stopped
// here) and times a pull + build from it: classic (skopeo copy to a layout + the same unpack and pack)
// against the CLI with an empty cache (cold) and with a cache a previous run filled (warm), checks that
// warm and cold write the same bytes, and shows where the CLI's time went by stage. The many-files run
// builds an image of 1,000,000 small files in one layer (many-files.mjs) and reports the CLI's wall time
// and peak RSS against the 1 GiB target.
//
// Usage: node bench/run.mjs [flags]   (npm run bench -- [flags])
//   --rebuild-image     rebuild the image under .bench/image even if it is cached
//   --runs N            timed runs per pipeline, median reported (default 3)
//   --level-runs N      runs per level in the by-level table (default 2)
//   --gzip-level N      gzip level of the comparisons (default 6)
//   --zstd-level N      zstd level of the comparisons (default 3)
//   --skip-levels       no by-level table
//   --classic-only      time the classic pipelines only, not the CLI
//   --registry-only     only the registry run (no local-layout comparison, no by-level table)
//   --skip-registry     no registry run
//   --skip-many-files   no many-files run
//   --many-files-only   only the many-files run
//   -h, --help          print this usage
// Env: BENCH_CLI (default dist/cli.js; a .js/.mjs/.ts file runs with this node, anything else is executed),
// BENCH_MIRROR, BENCH_PACKAGES (see image.mjs).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchImage } from './image.mjs';
import { MANY_FILES, manyFilesImage } from './many-files.mjs';
import { log, mb, median, printTable, run, secs, sh } from './lib.mjs';
import { pushImage, startRegistry } from './registry.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const benchDir = join(root, '.bench');

const { values: flags } = parseArgs({
  options: {
    'rebuild-image': { type: 'boolean', default: false },
    runs: { type: 'string', default: '3' },
    'level-runs': { type: 'string', default: '2' },
    'gzip-level': { type: 'string', default: '6' },
    'zstd-level': { type: 'string', default: '3' },
    'skip-levels': { type: 'boolean', default: false },
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
  const usage = text.slice(text.indexOf('// Usage:'), text.indexOf('\nimport '));
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
const RUNS = Number(flags.runs);
const LEVEL_RUNS = Number(flags['level-runs']);
const LEVELS = { gzip: Number(flags['gzip-level']), zstd: Number(flags['zstd-level']) };
const TARGET = { ratio: 0.5, rssMiB: 300 };
/** The registry run's targets, as fractions of the classic pull + build. */
const REGISTRY_TARGET = { cold: 0.5, warm: 0.2 };
/** The many-files run's target: peak RSS of a build of a million entries. */
const MANY_FILES_TARGET_MIB = 1024;

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

const COMPRESSOR = { gzip: (l) => `gzip -${l}`, zstd: (l) => `zstd -q -${l}` };

/**
 * One classic build under `scratchParent`: with `pullRef`, first skopeo copy from the registry into a
 * layout there; then umoci unpack, then find | cpio | compressor to disk.
 */
async function classicOnce(image, compression, level, scratchParent, pullRef) {
  const scratch = mkdtempSync(join(scratchParent, 'initramfs-bench-'));
  const bundle = join(scratch, 'bundle');
  const out = join(outDir, `classic${pullRef ? '-registry' : ''}.${compression}${level}.cpio`);
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
    log(`${label} run ${i + 1}/${n}: ${secs(r.ms)} s, ${mb(r.size)} MB${r.peakKiB ? `, RSS ${(r.peakKiB / 1024).toFixed(0)} MiB` : ''}`);
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
    ms: pick('ms'), cpuMs: pick('cpuMs'), pullMs: pick('pullMs'), unpackMs: pick('unpackMs'), packMs: pick('packMs'), peakKiB: pick('peakKiB'), size: pick('size'),
    segments: pick('segments'), reused: pick('reused'),
    digests: [...new Set(results.map((r) => r.digest).filter(Boolean))], stages, runs: results,
  };
}

const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/**
 * The registry run: push the image to a loopback registry, then per compression time the classic pull +
 * build against the CLI cold and warm. Fills `out.tables` rows and `out.verdicts`; returns what goes into
 * results.json. `local` holds the local-layout comparison's results, to check the registry build writes
 * the same bytes as the build from the layout.
 */
async function registryRun(image, local, out) {
  const registry = await startRegistry();
  const compare = {};
  try {
    const ref = await pushImage(image, registry.host, benchDir);
    for (const compression of ['gzip', 'zstd']) {
      const level = LEVELS[compression];
      const label = `${compression} -${level}`;
      const classic = await repeat(RUNS, `registry classic ${label}`, () => classicOnce(image, compression, level, benchDir, ref));
      let cold;
      let warm;
      let fresh;
      if (toolAvailable) {
        cold = await repeat(RUNS, `registry tool (cold cache) ${label}`, () => toolOnce(ref, 'registry-tool', compression, level));
        const warmCache = mkdtempSync(join(benchDir, 'cache-warm-'));
        try {
          const fill = await toolOnce(ref, 'registry-tool', compression, level, warmCache); // not timed
          cold.digests = [...new Set([...cold.digests, fill.digest])];
          warm = await repeat(RUNS, `registry tool (warm cache) ${label}`, () => toolOnce(ref, 'registry-tool', compression, level, warmCache));
          // The everyday warm build: the same image, a freshly built agent binary each time (another size
          // every time, as real builds give). Blobs come from the cache; segments are content-defined, so
          // only those around the new file are compressed again.
          let k = 0;
          fresh = await repeat(RUNS, `registry tool (warm cache, new agent) ${label}`, () => {
            const agent = join(benchDir, 'agent');
            writeFileSync(agent, randomBytes((8 << 20) + randomBytes(3).readUIntBE(0, 3) % (1 << 20)));
            k++;
            return toolOnce(ref, `registry-tool-agent${k}`, compression, level, warmCache, ['--inject', `${agent}:/usr/local/bin/agent`]);
          });
        } finally {
          rmSync(warmCache, { recursive: true, force: true });
        }
      }
      compare[label] = { classic, toolCold: cold, toolWarm: warm, toolWarmNewAgent: fresh };

      const ratio = (m) => m.ms / classic.ms;
      const row = (name, m) => [
        label, name, secs(m.ms), ...[m.pullMs, m.unpackMs, m.packMs].map((t) => (t !== undefined ? secs(t) : '')),
        mb(m.size), m.peakKiB !== undefined ? (m.peakKiB / 1024).toFixed(0) : '', ratio(m).toFixed(2),
      ];
      out.rows.push(row('classic: skopeo copy + umoci unpack + cpio', classic));
      if (!cold || !warm || !fresh) continue;
      out.rows.push(row('tool, cold cache', cold));
      out.rows.push(row('tool, warm cache', warm));
      out.rows.push(row('tool, warm cache, new ~8 MB agent each run', fresh));
      for (const [name, m] of [['cold', cold], ['warm', warm], ['agent', fresh]]) {
        const s = m.stages;
        const cells = s ? [s.start, ...STAGES.map((k) => s[k]), s.exit, s.download].map((t) => (t !== undefined ? secs(t) : '-')) : [];
        out.stageRows.push([label, name, secs(m.ms), secs(m.cpuMs), ...cells]);
      }
      out.verdicts.push(`${verdict(ratio(cold) <= REGISTRY_TARGET.cold)} ${label} registry: cold tool/classic ` +
        `${ratio(cold).toFixed(2)} (${secs(cold.ms)} s / ${secs(classic.ms)} s, target <= ${REGISTRY_TARGET.cold})`);
      out.verdicts.push(`${verdict(ratio(warm) <= REGISTRY_TARGET.warm)} ${label} registry: warm tool/classic ` +
        `${ratio(warm).toFixed(2)} (${secs(warm.ms)} s / ${secs(classic.ms)} s, target <= ${REGISTRY_TARGET.warm})`);
      if (fresh.segments !== undefined) {
        // One new file: only the segments around it are compressed again; every other one is reused.
        const recompressed = fresh.runs.map((r) => r.segments - r.reused);
        out.verdicts.push(`${verdict(Math.max(...recompressed) <= 3)} ${label} registry: a new agent reuses ` +
          `${fresh.runs.map((r) => `${r.reused}/${r.segments}`).join(', ')} segments (compressed again: ` +
          `${recompressed.join(', ')}; target <= 3)`);
      }
      const same = cold.digests.length === 1 && warm.digests.length === 1 && cold.digests[0] === warm.digests[0];
      out.verdicts.push(`${verdict(same)} ${label} registry: warm output ${warm.digests.join(', ')} ` +
        `${same ? 'equals' : 'differs from'} cold ${cold.digests.join(', ')}`);
      const fromLayout = local?.[label]?.toolCold?.digests;
      if (fromLayout?.length) {
        const sameAsLayout = fromLayout.length === 1 && fromLayout[0] === cold.digests[0] && cold.digests.length === 1;
        out.verdicts.push(`${verdict(sameAsLayout)} ${label} registry: output ${sameAsLayout ? 'equals' : 'differs from'} ` +
          `the build from the local layout (${fromLayout.join(', ')})`);
      }
    }
  } finally {
    await registry.stop();
  }
  return { compare };
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
  const image = await benchImage(benchDir, { rebuild: flags['rebuild-image'] });
  const { info } = image;
  log(`image: ${info.layers.length} layers (${info.layers.map((l) => `${mb(l.size)} MB`).join(' + ')} compressed), ` +
    `${mb(info.rootfsBytes)} MB unpacked, ${info.entries} entries`);
  // Warm the page cache with the blobs so the first timed run is not the only one reading from disk.
  await sh(`cat '${image.layout}'/blobs/sha256/* > /dev/null`);
  if (!toolAvailable) log(flags['classic-only'] ? 'classic half only (--classic-only)' : `no CLI at ${cli}: classic half only (set BENCH_CLI)`);

  const results = { image: info, runs: RUNS, cli: toolAvailable ? cli : null, compare: {}, levels: [] };
  const rows = [];
  const verdicts = [];
  const registryOut = { rows: [], stageRows: [], verdicts: [] };
  for (const compression of flags['registry-only'] ? [] : ['gzip', 'zstd']) {
    const level = LEVELS[compression];
    const label = `${compression} -${level}`;
    const disk = await repeat(RUNS, `classic (disk) ${label}`, () => classicOnce(image, compression, level, benchDir));
    const tmpfs = await repeat(RUNS, `classic (tmpfs) ${label}`, () => classicOnce(image, compression, level, '/dev/shm'));
    let cold;
    let warm;
    if (toolAvailable) {
      cold = await repeat(RUNS, `tool (cold cache) ${label}`, () => toolOnce(localSource(image), 'tool', compression, level));
      const warmCache = mkdtempSync(join(benchDir, 'cache-warm-'));
      try {
        await toolOnce(localSource(image), 'tool', compression, level, warmCache); // fills the cache, not timed
        warm = await repeat(RUNS, `tool (warm cache) ${label}`, () => toolOnce(localSource(image), 'tool', compression, level, warmCache));
      } finally {
        rmSync(warmCache, { recursive: true, force: true });
      }
    }
    results.compare[label] = { classicDisk: disk, classicTmpfs: tmpfs, toolCold: cold, toolWarm: warm };

    const ratio = (m) => (m.ms / disk.ms).toFixed(2);
    const row = (name, m, extra = '') => [
      label, name, secs(m.ms), m.unpackMs !== undefined ? secs(m.unpackMs) : '', mb(m.size),
      m.peakKiB !== undefined ? (m.peakKiB / 1024).toFixed(0) : '', ratio(m), extra,
    ];
    rows.push(row('classic, unpack on disk', disk));
    rows.push(row('classic, unpack on tmpfs', tmpfs));
    if (cold && warm) {
      rows.push(row('tool, cold cache', cold, `${(cold.ms / tmpfs.ms).toFixed(2)}x of tmpfs`));
      rows.push(row('tool, warm cache', warm, `${(warm.ms / tmpfs.ms).toFixed(2)}x of tmpfs`));
      verdicts.push(`${verdict(cold.ms / disk.ms <= TARGET.ratio)} ${label}: time tool/classic ${ratio(cold)} (target <= ${TARGET.ratio})`);
      verdicts.push(`${verdict(cold.size <= disk.size)} ${label}: size tool ${mb(cold.size)} MB vs classic ${mb(disk.size)} MB (target <=)`);
      verdicts.push(`${verdict(cold.peakKiB / 1024 <= TARGET.rssMiB)} ${label}: tool peak RSS ${(cold.peakKiB / 1024).toFixed(0)} MiB (target <= ${TARGET.rssMiB})`);
    }
  }

  if (!flags['skip-registry']) results.registry = await registryRun(image, results.compare, registryOut);

  if (toolAvailable && !flags['skip-many-files'] && !flags['registry-only']) results.manyFiles = await manyFilesRun(manyOut);

  if (toolAvailable && !flags['skip-levels'] && !flags['registry-only']) {
    for (const [compression, levels] of [['gzip', [1, 6, 9]], ['zstd', [1, 3, 9, 19]]]) {
      for (const level of levels) {
        const m = await repeat(LEVEL_RUNS, `tool levels ${compression} -${level}`, () => toolOnce(localSource(image), 'tool', compression, level));
        results.levels.push({ compression, level, ...m });
      }
    }
  }

  if (rows.length > 0) {
    printTable(
      `Build of ${mb(info.rootfsBytes)} MB / ${info.entries} entries (${info.layers.length} layers), median of ${RUNS} runs`,
      ['level', 'pipeline', 'wall s', 'unpack s', 'out MB', 'RSS MiB', 'x classic', 'note'],
      rows,
    );
  }
  if (registryOut.rows.length > 0) {
    printTable(
      `Pull from a loopback registry + build, median of ${RUNS} runs`,
      ['level', 'pipeline', 'wall s', 'pull s', 'unpack s', 'pack s', 'out MB', 'RSS MiB', 'x classic'],
      registryOut.rows,
    );
  }
  if (registryOut.stageRows.length > 0) {
    printTable(
      'Tool from the registry by stage, s (median; layers = fetch + decompress + parse; download = until every blob was cached)',
      ['level', 'cache', 'wall', 'cpu', 'start-up', ...STAGES, 'exit', 'download'],
      registryOut.stageRows,
    );
  }
  if (results.levels.length > 0) {
    printTable(
      `Tool by level (median of ${LEVEL_RUNS} runs)`,
      ['compression', 'level', 'wall s', 'out MB', 'RSS MiB', 'ratio to unpacked'],
      results.levels.map((l) => [l.compression, String(l.level), secs(l.ms), mb(l.size), (l.peakKiB / 1024).toFixed(0),
        (l.size / info.rootfsBytes).toFixed(3)]),
    );
  }
  printManyFiles(manyOut);
  verdicts.push(...registryOut.verdicts, ...manyOut.verdicts);
  if (verdicts.length > 0) console.log(`\nTargets\n${verdicts.join('\n')}`);
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`results written to ${join(benchDir, 'results.json')}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});
