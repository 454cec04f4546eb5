// Test helper: one hostile input, built in code, run through the CLI as a user runs it, and held to what the
// tool promises whatever the input: one `error [CODE]: …` line (exit 1, 2 for USAGE) or a correct build
// (exit 0); never exit 70, never a stack trace, no line of output longer than MAX_LINE; nothing left in
// the cache's tmp/ and, after a failure, nothing at the output; and nothing outside the cache and the
// output touched — the case's inputs, a canary directory the image may aim at, and the process's HOME,
// TMPDIR and working directory are listed (content and metadata) before and after. Each run is bounded in
// time (killed past its limit, which fails the case) and measured: seconds, peak RSS (`/usr/bin/time -f
// %M`), bytes written (the file pages it dirtied, `%O` × 512, spool files deleted since included; and
// `wchar` of /proc/PID/io polled while it runs, which also counts pipes and tmpfs), so a resource bound is
// one more field of a row.
//
// A new class of hostile input is one more HostileCase in the table of hostile-inputs.test.ts.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ErrorCode } from '../../src/errors.ts';
import { cliCommand, cliEnv } from './cli.ts';
import { extractCpio } from './cpio.ts';
import { startRegistry, type RegistryHandle } from './registry.ts';
import { diffTrees, listTree, scratchDir, type Tree } from './tree.ts';
import { umociFlatten } from './umoci.ts';

/** No line the tool prints may be longer: user data in messages is quoted shortened. */
export const MAX_LINE = 1024;

/** What the tool adds on purpose and an image flattener does not: the boot entries and the /init we pass. */
const ADDED_BY_TOOL = ['/init', '/dev/console', '/dev/null', '/dev/tty', '/proc', '/sys'];

export interface HostileContext {
  /** An empty directory of this case's own, for its inputs. */
  dir: string;
  /** A host directory with a file `secret` (content SECRET): what an image must never read or change. */
  canary: string;
  /** A registry on loopback, shared by the file's cases, started on first use. */
  registry(): Promise<RegistryHandle>;
}

export const SECRET = 'host secret';

/** What a run says, with what it cost. */
export interface HostileRun {
  code: number | null;
  stderr: string;
  /** The text of each `warning: ` line. */
  warnings: string[];
  seconds: number;
  /** Peak resident set of the tool, in KiB (`/usr/bin/time -f %M`). */
  rssKiB: number;
  /**
   * Bytes the tool wrote: the larger of the file pages it dirtied (rusage, exact, files since deleted
   * included, but blind to tmpfs) and its write(2) bytes seen while polling (a lower bound).
   */
  written: number;
  /** The archive, extracted by bsdtar and listed (successful builds only). */
  tree?: Tree;
}

export type HostileExpectation =
  /** Exit 1 (2 for USAGE) with one `error [CODE]: …` line whose text matches `message`. */
  | { error: ErrorCode; message?: RegExp }
  /**
   * Exit 0; the extracted archive is checked by `check`, and when `sameAsUmoci` is set it must equal `umoci
   * unpack` of the same layout (the input must be `oci:DIR:REF`).
   */
  | { build: (tree: Tree, run: HostileRun, ctx: HostileContext) => void; sameAsUmoci?: boolean };

export interface HostileCase {
  /** The behaviour pinned: the test's name. */
  name: string;
  /** Builds the input under ctx.dir; returns the IMAGE argument. */
  input: (ctx: HostileContext) => string | Promise<string>;
  expect: HostileExpectation;
  /** Each must match one warning; with `warnings` given, there must be no other warnings. */
  warnings?: RegExp[];
  /** Bounds: wall time (default 60 s; the run is killed beyond it), peak RSS and bytes written. */
  limits?: { seconds?: number; rssMiB?: number; writtenMiB?: number };
}

/** Every figure measured in this file, for the summary printed at its end. */
export const measured: { name: string; run: HostileRun }[] = [];

let registry: Promise<RegistryHandle> | undefined;

/** Stops the shared registry, if a case started it (call in afterAll). */
export async function stopHostileRegistry(): Promise<void> {
  const r = registry;
  registry = undefined;
  if (r) await (await r).stop();
}

/** Files up to this size are also compared by content; the ctime of any file changes with any write. */
const HASHED = 16 << 20;

/**
 * A listing of everything under `dir` (symlinks not followed): type, mode, size, mtime, ctime, inode, and
 * for files of at most HASHED bytes the content's hash (huge sparse inputs are never read into memory).
 */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    const abs = join(dir, rel);
    const st = lstatSync(abs, { bigint: true });
    let what = `${st.mode.toString(8)} ${st.size} ${st.mtimeNs} ${st.ctimeNs} ${st.ino}`;
    if (st.isFile() && st.size <= HASHED) what += ` ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
    if (st.isSymbolicLink()) what += ` -> ${readlinkSync(abs)}`;
    out.set(rel || '.', what);
    if (st.isDirectory()) for (const name of readdirSync(abs).sort()) walk(rel ? `${rel}/${name}` : name);
  };
  walk('');
  return out;
}

const changes = (before: Map<string, string>, after: Map<string, string>): string[] =>
  [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k)).map((k) => `${k}: ${before.get(k) ?? '(none)'} → ${after.get(k) ?? '(none)'}`);

/** The pid of the first child of `pid` (the tool under /usr/bin/time), once there is one. */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

const wcharOf = (pid: number): number | undefined => {
  try {
    const m = /^wchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
};

/** Runs the CLI's `build` under /usr/bin/time in its own process group, killed after `seconds`. */
async function runMeasured(args: string[], opts: { cwd: string; env: Record<string, string>; seconds: number; timeFile: string }): Promise<Omit<HostileRun, 'warnings' | 'tree'> & { timedOut: boolean }> {
  const { node, script } = cliCommand();
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %O', '-o', opts.timeFile, node, script, ...args], {
    cwd: opts.cwd,
    env: cliEnv(node, opts.env),
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    // Enough to judge the lines; a runaway stream of output must not fill the test's memory.
    if (stderr.length < 8 << 20) stderr += d.toString('latin1');
  });
  let written = 0;
  let tool: number | undefined;
  const poll = setInterval(() => {
    tool ??= childOf(child.pid!);
    const w = tool === undefined ? undefined : wcharOf(tool);
    if (w !== undefined) written = w;
  }, 25);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    process.kill(-child.pid!, 'SIGKILL');
  }, opts.seconds * 1000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  // time's last line: "%M %O" (a line before it says when the tool died of a signal).
  const [rss, blocks] = timedOut ? [0, 0] : (await readFile(opts.timeFile, 'utf8')).trim().split('\n').pop()!.split(' ').map(Number);
  written = Math.max(written, blocks! * 512);
  return { code, stderr: Buffer.from(stderr, 'latin1').toString('utf8'), seconds, rssKiB: rss!, written, timedOut };
}

/** Runs one case and asserts everything the tool promises about it; returns the run for further checks. */
export async function runHostileCase(c: HostileCase): Promise<HostileRun> {
  const root = await scratchDir('hostile-');
  const ctx: HostileContext = {
    dir: join(root, 'input'),
    canary: join(root, 'canary'),
    registry: () => (registry ??= startRegistry()),
  };
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  const cwd = join(root, 'cwd');
  const cache = join(root, 'cache');
  const outDir = join(root, 'out');
  for (const d of [ctx.dir, ctx.canary, home, tmp, cwd, outDir]) await mkdir(d);
  writeFileSync(join(ctx.canary, 'secret'), SECRET);
  const init = join(root, 'init');
  writeFileSync(init, '#!/bin/sh\n', { mode: 0o755 });
  const image = await c.input(ctx);
  const watched = ['input', 'canary', 'home', 'tmp', 'cwd', 'init'];
  const before = new Map(watched.map((w) => [w, snapshot(join(root, w))]));
  const output = join(outDir, 'initramfs.cpio');

  const seconds = c.limits?.seconds ?? 60;
  const r = await runMeasured(['build', image, '-o', output, '--init', init, '--cache-dir', cache], {
    cwd,
    env: { HOME: home, TMPDIR: tmp },
    seconds,
    timeFile: join(root, 'time'),
  });
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  const run: HostileRun = { ...r, warnings: lines.filter((l) => l.startsWith('warning: ')).map((l) => l.slice('warning: '.length)) };
  measured.push({ name: c.name, run });
  const said = `stderr:\n${r.stderr.slice(0, 4000)}`;

  expect(r.timedOut, `killed after ${seconds} s; ${said}`).toBe(false);
  expect(r.stderr, said).not.toMatch(/internal error|^\s+at /m);
  // Image data reaches a message escaped: no control character but the newline ends up in the output.
  expect(r.stderr.replaceAll('\n', ''), said).not.toMatch(/[\p{Cc}]/u);
  for (const l of lines) expect(l.length, `a line of ${l.length} characters: ${l.slice(0, 200)}…`).toBeLessThanOrEqual(MAX_LINE);
  const errors = lines.filter((l) => l.startsWith('error ['));
  if ('error' in c.expect) {
    expect(r.code, said).toBe(c.expect.error === 'USAGE' ? 2 : 1);
    expect(errors, said).toHaveLength(1);
    expect(lines[lines.length - 1], said).toBe(errors[0]);
    expect(errors[0]!.slice(0, errors[0]!.indexOf(']') + 1)).toBe(`error [${c.expect.error}]`);
    if (c.expect.message) expect(errors[0]).toMatch(c.expect.message);
    expect(readdirSync(outDir), 'a failed build leaves nothing at the output').toEqual([]);
  } else {
    expect(r.code, said).toBe(0);
    expect(errors, said).toEqual([]);
  }
  if (c.warnings) {
    for (const w of c.warnings) expect(run.warnings.some((l) => w.test(l)), `no warning matches ${w}; ${said}`).toBe(true);
    expect(run.warnings.filter((l) => !c.warnings!.some((w) => w.test(l))), said).toEqual([]);
  }

  // Nothing outside the cache and the output touched; nothing left in the cache's tmp/.
  for (const w of watched) expect(changes(before.get(w)!, snapshot(join(root, w))), `${w} changed`).toEqual([]);
  expect(readdirSync(root).sort()).toEqual(['cache', 'canary', 'cwd', 'home', 'init', 'input', 'out', 'time', 'tmp'].filter((n) => n !== 'cache' || existsSync(cache)));
  if (existsSync(join(cache, 'tmp'))) expect(readdirSync(join(cache, 'tmp')), 'left in the cache tmp/').toEqual([]);

  const limits = c.limits ?? {};
  if (limits.rssMiB !== undefined) expect(r.rssKiB / 1024, 'peak RSS, MiB').toBeLessThan(limits.rssMiB);
  if (limits.writtenMiB !== undefined) expect(r.written / (1 << 20), 'bytes written, MiB').toBeLessThan(limits.writtenMiB);

  if ('build' in c.expect) {
    run.tree = await listTree(await extractCpio(output));
    c.expect.build(run.tree, run, ctx);
    if (c.expect.sameAsUmoci) {
      const m = /^oci:(.*):([^:]+)$/.exec(image);
      if (!m) throw new Error(`sameAsUmoci needs an oci:DIR:REF input, not ${image}`);
      const theirs = await listTree(await umociFlatten(m[1]!, m[2]!));
      // The root's own metadata is the extractor's; /dev is made for the boot entries when the image has none.
      const differences = diffTrees(run.tree, theirs, { ignore: ADDED_BY_TOOL, ignoreFields: ['mtime'] });
      expect(differences.filter((l) => !l.startsWith('"/":') && l !== '"/dev": only in a (dir)')).toEqual([]);
    }
  }
  return run;
}

/** The figures of every case run so far, one line each, for the end of the file's output. */
export function formatMeasured(): string {
  const rows = measured.map(({ name, run }) =>
    `${run.seconds.toFixed(2).padStart(7)} s ${(run.rssKiB / 1024).toFixed(0).padStart(5)} MiB ${(run.written / (1 << 20)).toFixed(2).padStart(9)} MiB written  exit ${run.code}  ${name}`,
  );
  return ['   time    peak RSS        written', ...rows].join('\n');
}
