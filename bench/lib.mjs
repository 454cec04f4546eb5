// Small process and formatting helpers shared by the benchmark scripts: run a command (optionally under
// /usr/bin/time for peak RSS) and measure its wall time, take medians, print aligned tables.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `cmd args` and resolves with its wall time in ms; rejects on a non-zero exit. `quiet` drops
 * stdout (stderr is kept for diagnosis); `rss` runs it under GNU time and also returns peak RSS in KiB
 * and CPU time (user + system) in ms;
 * `stamps` also returns `lines`, each stderr line with the ms after the start at which it arrived (the
 * CLI's plain progress lines, to tell where a run spent its time).
 */
export function run(cmd, args, { cwd, quiet = false, rss = false, stamps = false, env } = {}) {
  const rssFile = join(tmpdir(), `bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const [file, argv] = rss ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'],
    });
    let stderr = '';
    const lines = [];
    let partial = '';
    child.stderr.on('data', (c) => {
      stderr += c;
      if (!quiet) process.stderr.write(c);
      if (stamps) {
        const at = performance.now() - started;
        const parts = (partial + c).split('\n');
        partial = parts.pop();
        for (const text of parts) lines.push({ ms: at, text });
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let peakKiB;
      let cpuMs;
      if (rss && existsSync(rssFile)) {
        // GNU time prints "Command exited with non-zero status N" before the values on failure.
        const [kib, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        peakKiB = kib;
        cpuMs = (user + sys) * 1000;
        rmSync(rssFile, { force: true });
      }
      if (code === 0) resolve({ ms, peakKiB, cpuMs, ...(stamps ? { lines } : {}) });
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${stderr.slice(-4000)}`));
    });
  });
}

/** Runs a bash script with `set -euo pipefail`; resolves with its wall time. */
export const sh = (script, opts = {}) => run('bash', ['-euo', 'pipefail', '-c', script], opts);

/** Runs a command and resolves with its stdout (for queries like `du`). */
export function capture(cmd, args, { cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

export const mb = (bytes) => (bytes / 1e6).toFixed(1);
export const secs = (ms) => (ms / 1000).toFixed(2);

/** Prints rows (arrays of strings) as a table with a header row, right-aligning numeric-looking cells. */
export function printTable(title, header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i] ?? '').length)));
  const numeric = /^[-+]?[\d.]+[%x]?$/;
  const line = (r) =>
    r.map((c, i) => (numeric.test(String(c)) ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export const log = (msg) => console.log(`[bench] ${msg}`);
