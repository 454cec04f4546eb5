// Interrupted builds leave nothing behind. The real CLI builds a 64 MiB image from the real registry on
// loopback, behind the fault proxy, which holds a blob mid-body to keep a build in the stage a test wants:
// - SIGINT, SIGTERM or SIGHUP in the pull, layers or archive stage: the process removes its temporary
//   output and its scratch directory in the cache, prints one line, and dies of the signal (the shell
//   around it reports 130, 143, 129);
// - SIGKILL in each of those stages leaves files no handler removed; the next build in the same cache
//   removes them all, and leaves alone those of a build that is alive (stopped with SIGSTOP for the time of
//   the sweep, then continued: it completes with the same bytes as an untouched build);
// - Ctrl-C typed in a real terminal (tmux), and the action (dist/index.js) cancelled as a runner cancels it.
// Each case records the time from the signal to the exit, the peak RSS and the disk used at that moment.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createCipheriv } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { cliCommand, cliEnv } from '../helpers/cli.ts';
import { ACTION_DIST, inputVariable } from '../helpers/action.ts';
import { writeDockerArchive, writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { pushLayout } from '../helpers/push.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';
import { initToolsImage } from '../helpers/init-tools.ts';

const MiB = 1 << 20;
type Stage = 'pull' | 'layers' | 'archive';
type Signal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

let work: string;
let registry: RegistryHandle;
let proxy: ProxyHandle;
let image: string;
/** Layer digests: the big one (first) and the second. */
let layerA: string;
let layerB: string;
/** Bytes of file data in the first layer: its spool's size once read. */
let layerAData: number;
let dockerArchive: string;
const figures: string[] = [];

/**
 * Text-like bytes (base64 of an AES-CTR keystream): deterministic, and compressible about as much as
 * binaries are, so that gzip takes a second or two on them, which the archive stage needs.
 */
const filler = (seed: number, size: number): Buffer => {
  const key = Buffer.alloc(16, seed);
  const stream = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(Math.ceil((size * 3) / 4)));
  return Buffer.from(stream.toString('base64').slice(0, size), 'latin1');
};

const files = (layer: number, count: number): TestEntry[] => [
  { name: `data${layer}`, type: 'dir' },
  ...Array.from({ length: count }, (_, i): TestEntry => ({ name: `data${layer}/f${i}`, content: filler(layer * 100 + i, 4 * MiB) })),
];

beforeAll(async () => {
  work = await scratchDir('interrupt-');
  const layout = join(work, 'layout');
  const layers = [
    { entries: [{ name: 'bin', type: 'dir' as const }, { name: 'bin/sh', content: '#!fake\n', mode: 0o755 }, ...files(1, 12)], compression: 'none' as const },
    { entries: files(2, 4), compression: 'none' as const },
  ];
  const [written] = writeOciLayout(layout, [{ ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers } }]);
  [layerA, layerB] = written!.manifests[0]!.layers.map((l) => l.digest) as [string, string];
  layerAData = 12 * 4 * MiB + '#!fake\n'.length;
  registry = await startRegistry({ auth: 'none' });
  await pushLayout(layout, 'v1', registry.host, 'big/app:v1');
  proxy = await startFaultProxy(registry.host);
  image = `${proxy.host}/big/app:v1`;
  dockerArchive = join(work, 'image.tar');
  writeDockerArchive(dockerArchive, [{ tags: ['big:v1'], image: { config: { Cmd: ['/bin/sh'] }, layers } }]);
}, 120_000);

/** CLI processes started and not yet ended: a test that fails half-way must not leave one running. */
const started = new Set<Running>();
afterEach(() => {
  for (const r of started) {
    try {
      process.kill(r.pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  started.clear();
});

afterAll(async () => {
  if (figures.length > 0) console.log(`time to fail, peak RSS, disk used at the signal:\n${figures.join('\n')}`);
  await proxy?.stop();
  await registry?.stop();
  await removeScratchDirs();
});

/** A layer blob GET of one of `digests`. */
const blobOf =
  (...digests: string[]) =>
  (req: { method: string; path: string }): boolean =>
    req.method === 'GET' && digests.some((d) => req.path.endsWith(`/blobs/${d}`));

interface Running {
  /** The shell around the CLI: it prints `status N`, N being what a shell sees of the CLI's end. */
  shell: ChildProcess;
  /** The CLI's own process id (the shell's child). */
  pid: number;
  stdout(): string;
  stderr(): string;
  /** The status the shell reports once the CLI ended. */
  ended: Promise<number>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds; fails naming `what` after `ms`. */
async function until(what: string, check: () => boolean, ms = 60_000, running?: Running): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${running ? `; stderr so far:\n${running.stderr()}` : ''}`);
    await sleep(10);
  }
}

/** Starts `initramfs-action ARGS` under `sh -c '"$@"; echo status $?'`, as a script runs it. */
async function startCli(args: string[]): Promise<Running> {
  const { node, script } = cliCommand();
  const shell = spawn('sh', ['-c', '"$@"; echo "status $?"', 'sh', node, script, ...args], { env: cliEnv(node), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  shell.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  shell.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<number>((resolve, reject) => {
    shell.on('error', reject);
    shell.on('close', () => {
      const m = /status (\d+)\n$/.exec(out);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`no status from the shell; stdout ${JSON.stringify(out)}, stderr ${JSON.stringify(err)}`));
    });
  });
  let pid = 0;
  await until('the CLI process', () => {
    const children = readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim();
    pid = Number(children.split(' ')[0]);
    return pid > 0;
  }, 10_000);
  const running: Running = { shell, pid, stdout: () => out, stderr: () => err, ended };
  started.add(running);
  shell.on('close', () => started.delete(running));
  return running;
}

/**
 * Every path under `dir` (relative), directories included; none when it does not exist. While a build
 * runs, a directory may go in the middle of the walk (a blob download's scratch directory, removed once
 * the blob is in place): the walk is then tried again.
 */
function contents(dir: string): string[] {
  for (let attempt = 0; ; attempt++) {
    try {
      return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 20) throw e;
    }
  }
}

/** Bytes of the regular files under each directory. */
const diskUsed = (...dirs: string[]): number =>
  dirs
    .flatMap((d) => contents(d).map((p) => lstatSync(join(d, p), { throwIfNoEntry: false })))
    .reduce((n, st) => n + (st?.isFile() ? st.size : 0), 0);

/** The largest file under `dir` whose path matches `re`, with its size; undefined when there is none. */
function largest(dir: string, re: RegExp): { path: string; size: number } | undefined {
  let best: { path: string; size: number } | undefined;
  for (const p of contents(dir)) {
    if (!re.test(p)) continue;
    const size = statSync(join(dir, p), { throwIfNoEntry: false })?.size ?? 0;
    if (best === undefined || size > best.size) best = { path: join(dir, p), size };
  }
  return best;
}

/** Peak resident set of a live process, from /proc. */
const peakRss = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/** Holds `r` in `stage` (see the top of the file) and resolves once it is well inside it. */
async function reach(stage: Stage, r: Running, cache: string, outDir: string): Promise<void> {
  switch (stage) {
    case 'pull':
      // Both layers held after 4 MiB: the build waits on its downloads, with partial blobs in the cache
      // (written a MiB at a time).
      await until('partial blob downloads', () => (largest(join(cache, 'tmp'), /\/blob-/)?.size ?? 0) >= 2 * MiB, 60_000, r);
      return;
    case 'layers':
      // The second layer held: the first is downloaded and read, its file data spooled in the cache.
      await until('the first layer spooled', () => (largest(join(cache, 'tmp'), /\/layer-0\.spool$/)?.size ?? 0) >= layerAData, 60_000, r);
      return;
    case 'archive':
      // The first compressed segments written into the temporary output; more to come.
      await until('the temporary output', () => (largest(outDir, /^\.initrd\.cpio\.gz\.tmp-/)?.size ?? 0) > 0, 60_000, r);
      return;
  }
}

/** Faults that hold a build through `through` (the shared proxy by default) in `stage`. */
function holdIn(stage: Stage, through: ProxyHandle = proxy): void {
  through.clearFaults();
  if (stage === 'pull') through.addFault({ kind: 'stall', afterBytes: 4 * MiB, match: blobOf(layerA, layerB), times: Infinity });
  if (stage === 'layers') through.addFault({ kind: 'stall', afterBytes: MiB, match: blobOf(layerB), times: Infinity });
}

/** Sends `signal` to the CLI and waits for its end; returns the status and the figures of the case. */
async function interrupt(r: Running, signal: NodeJS.Signals, dirs: string[]): Promise<{ status: number; ms: number; rss: number; disk: number }> {
  const rss = peakRss(r.pid);
  const disk = diskUsed(...dirs);
  const sent = performance.now();
  process.kill(r.pid, signal);
  const status = await r.ended;
  return { status, ms: performance.now() - sent, rss, disk };
}

/** What a signal must never print: a stack, an internal error. */
const expectNoStack = (stderr: string): void => {
  expect(stderr).not.toMatch(/internal error|\n\s+at |Error:/);
};

describe('SIGINT, SIGTERM, SIGHUP: the temporary output and every scratch file removed, the process dies of the signal', () => {
  const cases: [Stage, Signal][] = [];
  for (const stage of ['pull', 'layers', 'archive'] as const) for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) cases.push([stage, signal]);
  for (const [stage, signal] of cases) {
    const status = 128 + constants.signals[signal];
    it(`${signal} in the ${stage} stage: exit ${status}, one line, nothing beside the output or in the cache's tmp/`, async () => {
      const cache = await scratchDir('cache-');
      const outDir = await scratchDir('out-');
      holdIn(stage);
      try {
        const r = await startCli(['build', image, '-o', join(outDir, 'initrd.cpio.gz'), '--cache-dir', cache]);
        await reach(stage, r, cache, outDir);
        const f = await interrupt(r, signal, [join(cache, 'tmp'), outDir]);
        figures.push(`${signal.padEnd(7)} ${stage.padEnd(7)} ${f.ms.toFixed(0).padStart(4)} ms  ${mb(f.rss).padStart(9)}  ${mb(f.disk).padStart(9)}`);
        expect(f.status, r.stderr()).toBe(status);
        expect(f.disk).toBeGreaterThan(MiB); // there was something to remove
        expect(f.ms).toBeLessThan(5_000);
        expect(r.stderr()).toMatch(new RegExp(`^interrupted by ${signal}; temporary files removed$`, 'm'));
        expectNoStack(r.stderr());
        expect(contents(join(cache, 'tmp'))).toEqual([]);
        expect(contents(outDir)).toEqual([]);
        // The blobs that were complete stay in the cache: they are verified, and the next build uses them.
        expect(contents(join(cache, 'blobs', 'sha256')).length).toBeGreaterThan(0);
      } finally {
        proxy.clearFaults();
      }
    });
  }

  it('SIGINT while an image archive from a pipe is copied into the cache: the copy goes too', async () => {
    const cache = await scratchDir('cache-');
    const outDir = await scratchDir('out-');
    const fifo = join(work, 'image.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = await startCli(['build', `docker-archive:${fifo}`, '-o', join(outDir, 'initrd.cpio.gz'), '--cache-dir', cache]);
    const writer = await open(fifo, 'w');
    try {
      // Half the archive, and the pipe kept open: the CLI waits for the rest, copying into its scratch dir.
      const half = readFileSync(dockerArchive).subarray(0, 32 * MiB);
      const written = writer.write(half).catch(() => {});
      await until('the copy of the piped archive', () => (largest(join(cache, 'tmp'), /\/archive-[^/]+\/input$/)?.size ?? 0) >= 16 * MiB, 60_000, r);
      const f = await interrupt(r, 'SIGINT', [join(cache, 'tmp'), outDir]);
      figures.push(`SIGINT  pipe    ${f.ms.toFixed(0).padStart(4)} ms  ${mb(f.rss).padStart(9)}  ${mb(f.disk).padStart(9)}`);
      await written;
      expect(f.status, r.stderr()).toBe(130);
      expectNoStack(r.stderr());
      expect(contents(join(cache, 'tmp'))).toEqual([]);
      expect(contents(outDir)).toEqual([]);
    } finally {
      await writer.close().catch(() => {});
    }
  });
});

describe('SIGKILL: the next build in the same cache removes what killed builds left, and nothing of a live build', () => {
  it('builds killed in the pull, layers and archive stages leave files; the next build removes every one of them', async () => {
    // Three builds in one cache at once, each through a proxy of its own that holds it in its stage; each
    // sweeps at its start and must leave the others, alive, alone.
    const cache = await scratchDir('cache-');
    const held: { stage: Stage; outDir: string; proxy: ProxyHandle; run?: Running }[] = [];
    for (const stage of ['pull', 'layers', 'archive'] as const) held.push({ stage, outDir: await scratchDir('out-'), proxy: await startFaultProxy(registry.host) });
    const killed: string[] = [];
    try {
      for (const h of held) {
        holdIn(h.stage, h.proxy);
        h.run = await startCli(['build', `${h.proxy.host}/big/app:v1`, '-o', join(h.outDir, 'initrd.cpio.gz'), '--cache-dir', cache]);
        await reach(h.stage, h.run, cache, h.outDir);
      }
      const tmp = join(cache, 'tmp');
      expect(readdirSync(tmp).filter((n) => n.startsWith('run-'))).toHaveLength(3);
      for (const h of held) {
        const f = await interrupt(h.run!, 'SIGKILL', [tmp, h.outDir]);
        expect(f.status).toBe(137);
        killed.push(`SIGKILL ${h.stage.padEnd(7)} ${f.ms.toFixed(0).padStart(4)} ms  ${mb(f.rss).padStart(9)}  ${mb(f.disk).padStart(9)}`);
        // Killed outright: no handler ran, its files stay (the three run- directories and the temporary
        // output are checked below). Not compared byte for byte with a moment before the kill: a blob
        // finished meanwhile moves from the scratch directory into the blob cache.
        expect(diskUsed(tmp, h.outDir)).toBeGreaterThan(0);
      }
      expect(readdirSync(tmp).filter((n) => n.startsWith('run-'))).toHaveLength(3);
      expect(contents(held[2]!.outDir)).toEqual([expect.stringMatching(/^\.initrd\.cpio\.gz\.tmp-[0-9a-f]{12}$/)]);
      const leftover = diskUsed(tmp, ...held.map((h) => h.outDir));

      const next = await startCli(['build', image, '-o', join(await scratchDir('out-'), 'next.cpio.gz'), '--cache-dir', cache]);
      expect(await next.ended, next.stderr()).toBe(0);
      expect(next.stderr()).toMatch(/^removed the scratch files of 3 builds that died in this cache and 1 temporary output \(\d+\.\d MB\)$/m);
      expect(contents(tmp)).toEqual([]);
      for (const h of held) expect(contents(h.outDir)).toEqual([]);
      figures.push(...killed, `the next build removed ${mb(leftover)}`);
    } finally {
      for (const h of held) {
        if (h.run !== undefined && h.run.shell.exitCode === null) process.kill(h.run.pid, 'SIGKILL');
        await h.proxy.stop();
      }
    }
  });

  it('a build stopped (SIGSTOP) in the archive stage keeps its files through sweeps, and completes with the right bytes', async () => {
    const cache = await scratchDir('cache-');
    const reference = join(await scratchDir('out-'), 'reference.cpio.gz');
    const ref = await startCli(['build', image, '-o', reference, '--cache-dir', await scratchDir('cache-')]);
    expect(await ref.ended, ref.stderr()).toBe(0);

    const liveOut = await scratchDir('out-');
    const live = await startCli(['build', image, '-o', join(liveOut, 'initrd.cpio.gz'), '--cache-dir', cache]);
    await reach('archive', live, cache, liveOut);
    process.kill(live.pid, 'SIGSTOP');
    try {
      const liveFiles = contents(join(cache, 'tmp'));
      const liveTemp = contents(liveOut);
      expect(liveFiles.some((p) => /\/build-[^/]+\/layer-0\.spool$/.test(p))).toBe(true);
      expect(liveTemp).toHaveLength(1);

      // A build that dies in the same cache meanwhile (its own sweep at its start passes the stopped one)...
      const deadOut = await scratchDir('out-');
      const dead = await startCli(['build', image, '-o', join(deadOut, 'initrd.cpio.gz'), '--cache-dir', cache]);
      await reach('archive', dead, cache, deadOut);
      expect((await interrupt(dead, 'SIGKILL', [])).status).toBe(137);
      expect(readdirSync(join(cache, 'tmp'))).toHaveLength(2);
      expect(contents(deadOut)).toHaveLength(1);

      // ...and the build after it: it removes the dead build's files, and not one of the stopped build's.
      const sweeper = await startCli(['build', image, '-o', join(await scratchDir('out-'), 'other.cpio.gz'), '--cache-dir', cache]);
      expect(await sweeper.ended, sweeper.stderr()).toBe(0);
      expect(sweeper.stderr()).toMatch(/^removed the scratch files of 1 build that died in this cache and 1 temporary output \(\d+\.\d MB\)$/m);
      expect(contents(deadOut)).toEqual([]);
      expect(contents(join(cache, 'tmp'))).toEqual(liveFiles);
      expect(contents(liveOut)).toEqual(liveTemp);
    } finally {
      process.kill(live.pid, 'SIGCONT');
    }
    expect(await live.ended, live.stderr()).toBe(0);
    expect(readFileSync(join(liveOut, 'initrd.cpio.gz')).equals(readFileSync(reference))).toBe(true);
    expect(contents(join(cache, 'tmp'))).toEqual([]);
  });
});

describe('Ctrl-C in a real terminal (tmux)', () => {
  it('Ctrl-C in the archive stage: the shell in the pane sees 130, one line below the progress, nothing left', async () => {
    const cache = await scratchDir('cache-');
    const outDir = await scratchDir('out-');
    const socket = join(work, 'tmux');
    const statusFile = join(work, 'tmux.status');
    const conf = join(work, 'tmux.conf');
    writeFileSync(conf, 'set-option -g remain-on-exit on\n');
    const { node, script } = cliCommand();
    const tmux = (...args: string[]): string => {
      const t = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', env: cliEnv(node) });
      if (t.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${t.stderr}`);
      return t.stdout;
    };
    // The shell in the pane ignores SIGINT, as an interactive one does, so that it lives to report the
    // CLI's status (Node restores the default action of every signal at its start).
    const line = 'trap "" INT; "$@"; echo $? > "$0"';
    tmux('-f', conf, 'new-session', '-d', '-x', '100', '-y', '30', '--', 'sh', '-c', line, statusFile, node, script, 'build', image, '-o', join(outDir, 'initrd.cpio.gz'), '--cache-dir', cache);
    try {
      const running: Running = { shell: undefined as never, pid: 0, stdout: () => '', stderr: () => tmux('capture-pane', '-p'), ended: undefined as never };
      await reach('archive', running, cache, outDir);
      tmux('send-keys', 'C-c');
      await until('the pane to end', () => tmux('display-message', '-p', '#{pane_dead}').trim() === '1', 10_000);
      const rows = tmux('capture-pane', '-p').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Pane is dead'));
      expect(readFileSync(statusFile, 'utf8').trim()).toBe('130');
      expect(rows.at(-1)).toBe('interrupted by SIGINT; temporary files removed');
      expect(rows.at(-2)).toMatch(/^\[archive\] /);
      expectNoStack(rows.join('\n'));
      expect(contents(join(cache, 'tmp'))).toEqual([]);
      expect(contents(outDir)).toEqual([]);
    } finally {
      spawnSync('tmux', ['-S', socket, 'kill-server']);
    }
  });
});

describe('the action, cancelled as a runner cancels a job', () => {
  it('SIGINT in the archive stage: the no-cache directory and the temporary output removed, the process dies of SIGINT', async () => {
    const workspace = await scratchDir('workspace-');
    const runnerTemp = await scratchDir('runner-temp-');
    const files = join(runnerTemp, '_runner_file_commands');
    mkdirSync(files);
    writeFileSync(join(files, 'output'), '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/root',
      INITRAMFS_ACTION_INIT_TOOLS: initToolsImage(),
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: join(files, 'output'),
      [inputVariable('image')]: image,
      [inputVariable('output')]: 'initrd.cpio.gz',
      [inputVariable('cache')]: 'false',
      [inputVariable('upload')]: 'none',
    };
    const child = spawn(process.execPath, [ACTION_DIST], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const running: Running = { shell: child, pid: child.pid!, stdout: () => log, stderr: () => log, ended: undefined as never };
    started.add(running);
    child.on('close', () => started.delete(running));
    await until('the no-cache directory', () => readdirSync(runnerTemp).some((n) => n.startsWith('initramfs-nocache-')), 60_000, running);
    await reach('archive', running, join(runnerTemp, readdirSync(runnerTemp).find((n) => n.startsWith('initramfs-nocache-'))!), workspace);
    const sent = performance.now();
    child.kill('SIGINT');
    const [code, signal] = await exited;
    figures.push(`SIGINT  action  ${(performance.now() - sent).toFixed(0).padStart(4)} ms (archive stage, no cache)`);
    expect({ code, signal }, log).toEqual({ code: null, signal: 'SIGINT' });
    expect(log).toMatch(/^interrupted by SIGINT; temporary files removed$/m);
    expectNoStack(log);
    expect(readdirSync(runnerTemp)).toEqual(['_runner_file_commands']);
    expect(contents(workspace)).toEqual([]);
  });
});
