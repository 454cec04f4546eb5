// `npm run bench` (on demand, not in CI; needs root): builds or reuses a realistic two-layer OCI image
// under .bench/, then times our CLI against the classic pipeline (umoci unpack + find | cpio | gzip/zstd,
// with the unpack on disk and on tmpfs) at the same compression level, and prints wall times (median of
// several runs), output sizes, the CLI's peak RSS, and a table of sizes/times per level for the CLI.
//
// Flags: --rebuild-image, --runs N (default 3), --level-runs N (default 2), --gzip-level N (6),
// --zstd-level N (3), --skip-levels, --classic-only. Env: BENCH_CLI (default dist/cli.js; a .js/.mjs file
// runs with this node, anything else is executed), BENCH_MIRROR, BENCH_PACKAGES (see image.mjs).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchImage } from './image.mjs';
import { log, mb, median, printTable, run, secs, sh } from './lib.mjs';

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
  },
});
const RUNS = Number(flags.runs);
const LEVEL_RUNS = Number(flags['level-runs']);
const LEVELS = { gzip: Number(flags['gzip-level']), zstd: Number(flags['zstd-level']) };
const TARGET = { ratio: 0.5, rssMiB: 300 };

const cli = resolve(root, process.env.BENCH_CLI ?? 'dist/cli.js');
const cliCommand = /\.[cm]?js$/.test(cli) ? [process.execPath, cli] : [cli];
const toolAvailable = !flags['classic-only'] && existsSync(cli);

const outDir = join(benchDir, 'out');

/** GNU time gives the CLI's peak RSS; Debian's package is `time`. */
function ensureGnuTime() {
  if (existsSync('/usr/bin/time')) return;
  log('installing package `time` for peak-RSS measurement');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'time'], { stdio: 'inherit' });
}

/** One build with our CLI; a fresh cache dir unless `cacheDir` is given. */
async function toolOnce(image, compression, level, cacheDir) {
  const out = join(outDir, `tool.${compression}${level}.cpio`);
  const report = join(outDir, `tool.${compression}${level}.json`);
  const cache = cacheDir ?? mkdtempSync(join(benchDir, 'cache-'));
  rmSync(out, { force: true });
  rmSync(report, { force: true });
  try {
    const [cmd, ...pre] = cliCommand;
    const args = [...pre, 'build', `oci:${image.layout}:${image.tag}`, '-o', out, '--compression', compression,
      '--level', String(level), '--cache-dir', cache, '--report', report];
    const { ms, peakKiB } = await run(cmd, args, { quiet: true, rss: true });
    const reported = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')).size : undefined;
    return { ms, peakKiB, size: reported ?? statSync(out).size };
  } finally {
    if (!cacheDir) rmSync(cache, { recursive: true, force: true });
  }
}

const COMPRESSOR = { gzip: (l) => `gzip -${l}`, zstd: (l) => `zstd -q -${l}` };

/** One classic build: umoci unpack under `scratchParent`, then find | cpio | compressor to disk. */
async function classicOnce(image, compression, level, scratchParent) {
  const scratch = mkdtempSync(join(scratchParent, 'initramfs-bench-'));
  const bundle = join(scratch, 'bundle');
  const out = join(outDir, `classic.${compression}${level}.cpio`);
  try {
    const unpack = await run('umoci', ['unpack', '--image', `${image.layout}:${image.tag}`, bundle], { quiet: true });
    const pack = await sh(
      `cd '${bundle}/rootfs' && find . | cpio --quiet -o -H newc | ${COMPRESSOR[compression](level)} > '${out}'`,
      { quiet: true },
    );
    return { ms: unpack.ms + pack.ms, unpackMs: unpack.ms, size: statSync(out).size };
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
  return { ms: pick('ms'), unpackMs: pick('unpackMs'), peakKiB: pick('peakKiB'), size: pick('size'), runs: results };
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('run the benchmark as root (umoci unpack needs it for owners and devices)');
  mkdirSync(outDir, { recursive: true });
  const image = await benchImage(benchDir, { rebuild: flags['rebuild-image'] });
  const { info } = image;
  log(`image: ${info.layers.length} layers (${info.layers.map((l) => `${mb(l.size)} MB`).join(' + ')} compressed), ` +
    `${mb(info.rootfsBytes)} MB unpacked, ${info.entries} entries`);
  // Warm the page cache with the blobs so the first timed run is not the only one reading from disk.
  await sh(`cat '${image.layout}'/blobs/sha256/* > /dev/null`);
  ensureGnuTime();
  if (!toolAvailable) log(flags['classic-only'] ? 'classic half only (--classic-only)' : `no CLI at ${cli}: classic half only (set BENCH_CLI)`);

  const results = { image: info, runs: RUNS, cli: toolAvailable ? cli : null, compare: {}, levels: [] };
  const rows = [];
  const verdicts = [];
  for (const compression of ['gzip', 'zstd']) {
    const level = LEVELS[compression];
    const label = `${compression} -${level}`;
    const disk = await repeat(RUNS, `classic (disk) ${label}`, () => classicOnce(image, compression, level, benchDir));
    const tmpfs = await repeat(RUNS, `classic (tmpfs) ${label}`, () => classicOnce(image, compression, level, '/dev/shm'));
    let cold;
    let warm;
    if (toolAvailable) {
      cold = await repeat(RUNS, `tool (cold cache) ${label}`, () => toolOnce(image, compression, level));
      const warmCache = mkdtempSync(join(benchDir, 'cache-warm-'));
      try {
        await toolOnce(image, compression, level, warmCache); // fills the cache, not timed
        warm = await repeat(RUNS, `tool (warm cache) ${label}`, () => toolOnce(image, compression, level, warmCache));
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
      const ok = (b) => (b ? 'ok  ' : 'MISS');
      verdicts.push(`${ok(cold.ms / disk.ms <= TARGET.ratio)} ${label}: time tool/classic ${ratio(cold)} (target <= ${TARGET.ratio})`);
      verdicts.push(`${ok(cold.size <= disk.size)} ${label}: size tool ${mb(cold.size)} MB vs classic ${mb(disk.size)} MB (target <=)`);
      verdicts.push(`${ok(cold.peakKiB / 1024 <= TARGET.rssMiB)} ${label}: tool peak RSS ${(cold.peakKiB / 1024).toFixed(0)} MiB (target <= ${TARGET.rssMiB})`);
    }
  }

  if (toolAvailable && !flags['skip-levels']) {
    for (const [compression, levels] of [['gzip', [1, 6, 9]], ['zstd', [1, 3, 9, 19]]]) {
      for (const level of levels) {
        const m = await repeat(LEVEL_RUNS, `tool levels ${compression} -${level}`, () => toolOnce(image, compression, level));
        results.levels.push({ compression, level, ...m });
      }
    }
  }

  printTable(
    `Build of ${mb(info.rootfsBytes)} MB / ${info.entries} entries (${info.layers.length} layers), median of ${RUNS} runs`,
    ['level', 'pipeline', 'wall s', 'unpack s', 'out MB', 'RSS MiB', 'x classic', 'note'],
    rows,
  );
  if (results.levels.length > 0) {
    printTable(
      `Tool by level (median of ${LEVEL_RUNS} runs)`,
      ['compression', 'level', 'wall s', 'out MB', 'RSS MiB', 'ratio to unpacked'],
      results.levels.map((l) => [l.compression, String(l.level), secs(l.ms), mb(l.size), (l.peakKiB / 1024).toFixed(0),
        (l.size / info.rootfsBytes).toFixed(3)]),
    );
  }
  if (verdicts.length > 0) console.log(`\nTargets\n${verdicts.join('\n')}`);
  writeFileSync(join(benchDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`results written to ${join(benchDir, 'results.json')}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});
