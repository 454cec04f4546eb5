// The CLI against a misbehaving registry (test/helpers/rogue-registry.ts in front of the real CNCF registry
// on loopback): every answer that is not HTTP, every stall, every trickle, every Retry-After too long to
// wait and every reset ends as one `error [NETWORK]` line within a bounded time, exit 1, no stack trace,
// nothing left in the cache but verified entries and no output; and a link that is slow but healthy, or
// that misbehaves once, still gives the bytes of the OCI layout build. The bounds are made short through
// the environment (1 s instead of 30 s), and each case's time, peak RSS and disk use are measured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { pushLayout } from '../helpers/push.ts';
import { cliCommand, cliEnv, REPO, runCli } from '../helpers/cli.ts';
import { runAction } from '../helpers/action.ts';
import { httpAnswer, startDeafListener, startRogueRegistry, type DeafListener, type RogueHandle, type RogueRule } from '../helpers/rogue-registry.ts';

let work: string;
let layout: string;
let registry: RegistryHandle;
let rogue: RogueHandle;
let deaf: DeafListener;
let expected: Buffer;
let runs = 0;
/** How long a run that fails as soon as it reaches the registry client takes here: the CLI's own cost. */
let startupMs = 0;
/** The image's big layer (the only blob over 100 KB); its requests are the ones a blob rule targets. */
let bigDigest = '';
const bigBlob = (path: string): boolean => bigDigest !== '' && path.endsWith(`/blobs/${bigDigest}`);
const figures: string[] = [];

/** The bounds the failing cases run with: 1 s where the defaults say 30 s. */
const SHORT: Record<string, string> = {
  INITRAMFS_ACTION_IDLE_TIMEOUT: '1s',
  INITRAMFS_ACTION_LOW_SPEED_LIMIT: '4096',
  INITRAMFS_ACTION_LOW_SPEED_TIME: '1s',
};
/** A run that outlives this was hung: the test fails instead of the suite timing out. */
const KILL_AFTER_MS = 60_000;
const IMAGE = 'net/app:v1';

/** Incompressible bytes that are the same on every run, so the big layer's blob is ~its size. */
function noise(seed: string, size: number): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

const base: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake\n', mode: 0o755 },
  { name: 'etc', type: 'dir' },
  { name: 'etc/motd', content: 'through a misbehaving registry\n' },
];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
  ms: number;
  /** Peak resident set of the CLI process, MiB. */
  rssMiB: number;
  /** Bytes in files under the cache directory after the run. */
  cacheBytes: number;
  cache: string;
  out: string;
}

/** Files under the cache that are not verified blob or segment entries: partial downloads, temporary files. */
function strays(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) continue;
    const path = join(e.parentPath, e.name);
    const where = relative(dir, e.parentPath);
    if (where === join('blobs', 'sha256') && createHash('sha256').update(readFileSync(path)).digest('hex') === e.name) continue;
    if (where.split(sep)[0] === 'segments' && /^[0-9a-f]{64}$/.test(e.name)) continue;
    out.push(relative(dir, path));
  }
  return out;
}

function bytesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name)).size;
  return n;
}

/**
 * Builds IMAGE from `host` (the rogue registry unless told) with the CLI, as a separate process with a
 * clean environment plus `env`; measures its wall time and peak RSS (written by a preload at exit) and
 * kills it if it hangs.
 */
async function build(name: string, env: Record<string, string>, args: string[] = [], host = rogue.host): Promise<Run> {
  const n = runs++;
  const cache = join(work, `cache-${n}`);
  const out = join(work, `out-${n}.cpio.gz`);
  const rssFile = join(work, `rss-${n}`);
  const { node, script } = cliCommand();
  const preload = `data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;
  const started = performance.now();
  const child = spawn(node, ['--import', preload, script, 'build', `${host}/${IMAGE}`, '-o', out, '--cache-dir', cache, ...args], {
    cwd: REPO,
    env: cliEnv(node, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(killer);
  const ms = performance.now() - started;
  const rssMiB = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  const run = { code, signal, stderr, stdout, ms, rssMiB, cacheBytes: bytesUnder(cache), cache, out };
  figures.push(`${name}: exit ${code}, ${(ms / 1000).toFixed(1)} s, peak RSS ${rssMiB.toFixed(0)} MiB, cache ${(run.cacheBytes / 1024).toFixed(0)} KiB`);
  return run;
}

/** What every run must show: never a bug's exit or a stack, nothing half-written, no connection left open. */
async function expectClean(r: Run): Promise<void> {
  expect(r.signal, `killed after ${KILL_AFTER_MS} ms:\n${r.stderr}`).toBeNull();
  expect(r.code, r.stderr).not.toBe(70);
  expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  // A failure holds nothing it should not: the peak is the CLI's ordinary one (about 110-130 MiB here).
  expect(r.rssMiB).toBeGreaterThan(0);
  expect(r.rssMiB).toBeLessThan(256);
  expect(strays(r.cache), r.stderr).toEqual([]);
  // The CLI closed every connection it opened, stalled ones included.
  for (let i = 0; i < 50 && rogue.openConnections > 0; i++) await new Promise((res) => setTimeout(res, 20));
  expect(rogue.openConnections).toBe(0);
}

/** A failed run: exit 1, the one error line (returned), no output file. */
async function expectFailure(r: Run): Promise<string> {
  await expectClean(r);
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error ['));
  expect(lines, r.stderr).toHaveLength(1);
  expect(existsSync(r.out)).toBe(false);
  return lines[0]!;
}

beforeAll(async () => {
  work = await scratchDir();
  layout = join(work, 'layout');
  writeOciLayout(layout, [
    {
      ref: 'v1',
      image: {
        config: { Cmd: ['/bin/sh'] },
        layers: [{ entries: base }, { entries: [{ name: 'opt', type: 'dir' }, { name: 'opt/payload', content: noise('payload', 768 * 1024) }] }],
      },
    },
  ]);
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(join(layout, 'blobs', 'sha256', index.manifests[0]!.digest.slice(7)), 'utf8')) as {
    layers: { digest: string; size: number }[];
  };
  bigDigest = manifest.layers.find((l) => l.size > 100_000)?.digest ?? '';
  expect(bigDigest).toMatch(/^sha256:/);
  registry = await startRegistry({ auth: 'none' });
  await pushLayout(layout, 'v1', registry.host, IMAGE);
  rogue = await startRogueRegistry({ upstream: registry.host });
  deaf = await startDeafListener();
  const reference = join(work, 'layout.cpio.gz');
  const r = await runCli(['build', `oci:${layout}:v1`, '-o', reference, '--cache-dir', join(work, 'layout-cache')]);
  expect(r.code, r.stderr).toBe(0);
  expected = readFileSync(reference);
  startupMs = (await build('start-up (a bad bound, exit 2)', { INITRAMFS_ACTION_IDLE_TIMEOUT: 'soon' })).ms;
});
afterAll(async () => {
  await deaf?.stop();
  await rogue?.stop();
  await registry?.stop();
  await removeScratchDirs();
  if (figures.length > 0) console.log(`misbehaving registry, per case:\n  ${figures.join('\n  ')}`);
});

interface FailureCase {
  name: string;
  rules: () => RogueRule[];
  /** The error's code; default NETWORK. */
  code?: string;
  /** The error line, after `error [CODE]: `. */
  message: RegExp;
  /** Bounds on the run's wall time, ms: at least, and at most this beyond a run that fails at start-up. */
  atLeastMs?: number;
  beyondStartMs: number;
  args?: string[];
  /** The registry host to build from; default the rogue registry. */
  host?: () => string;
}

const on = (match: RogueRule['match'], answer: RogueRule['answer'], extra: Partial<RogueRule> = {}): RogueRule => ({ match, answer, ...extra });
const raw = (bytes: string | Buffer, extra: { rate?: number; then?: 'close' | 'hang' } = {}): RogueRule['answer'] => ({ kind: 'raw', bytes, ...extra });

const failures: FailureCase[] = [
  {
    name: 'a registry that never accepts the connection fails after two connect timeouts',
    rules: () => [],
    host: () => deaf.host,
    message: /^manifest .*: failed after 2 attempts; last: 127\.0\.0\.1:\d+ did not accept a connection within 1s \(UND_ERR_CONNECT_TIMEOUT, INITRAMFS_ACTION_IDLE_TIMEOUT\)$/,
    atLeastMs: 2000,
    beyondStartMs: 7000,
  },
  {
    name: 'a status line that is not HTTP fails at once',
    rules: () => [on('manifest', raw('HTTP/1.1 2OO OK\r\ncontent-length: 0\r\n\r\n'))],
    message: /^manifest .*net\/app:v1: .* answered with something that is not HTTP\/1\.1: Invalid status code near 'OO OK\\r\\n/,
    beyondStartMs: 4000,
  },
  {
    name: 'a server that does not speak HTTP at all fails at once',
    rules: () => [on('manifest', raw('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n', { then: 'hang' }))],
    message: /not HTTP\/1\.1: Expected HTTP\/, RTSP\/ or ICE\/ near 'SSH-2\.0-OpenSSH_9\.2p1 Debian-2\\r\\n'$/,
    beyondStartMs: 4000,
  },
  {
    name: 'a header line without a colon fails at once',
    rules: () => [on('manifest', raw('HTTP/1.1 200 OK\r\nthis is no header\r\ncontent-length: 0\r\n\r\n'))],
    message: /not HTTP\/1\.1: Invalid header token near/,
    beyondStartMs: 4000,
  },
  {
    name: 'a control character in WWW-Authenticate fails at once, shown escaped',
    rules: () => [on('manifest', raw(`HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm="http://${rogue.host}/token\x01\x1b[31m",service="x"\r\ncontent-length: 0\r\n\r\n`))],
    message: /not HTTP\/1\.1: Invalid header value char near '\\x01\\x1b\[31m"/,
    beyondStartMs: 4000,
  },
  {
    name: 'a token server that answers something that is not HTTP fails at once',
    rules: () => [
      on('manifest', raw(httpAnswer(401, { 'www-authenticate': `Bearer realm="http://${rogue.host}/token",service="rogue"` }))),
      on((r) => r.path === '/token', raw('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: nine\r\n\r\n{}')),
    ],
    message: /^manifest .*: .* answered with something that is not HTTP\/1\.1: Invalid character in Content-Length/,
    beyondStartMs: 4000,
  },
  {
    name: 'a token with a control character (which no header can carry) fails at once',
    rules: () => [
      on('manifest', raw(httpAnswer(401, { 'www-authenticate': `Bearer realm="http://${rogue.host}/token",service="rogue"` }))),
      on((r) => r.path === '/token', raw(httpAnswer(200, { 'content-type': 'application/json' }, JSON.stringify({ token: 'abc\r\nX-Injected: 1' })))),
    ],
    code: 'REGISTRY',
    message: /^manifest .*: token server 127\.0\.0\.1:\d+ for 127\.0\.0\.1:\d+ answered a token that an Authorization header cannot carry/,
    beyondStartMs: 4000,
  },
  {
    name: 'response headers over 16 KiB fail at once',
    rules: () => [on('manifest', raw(httpAnswer(200, { 'x-filler': 'a'.repeat(20_000) }, '{}')))],
    message: /answered with response headers larger than 16 KiB \(UND_ERR_HEADERS_OVERFLOW\)$/,
    beyondStartMs: 4000,
  },
  {
    name: 'headers that never come fail after two idle timeouts',
    rules: () => [on('manifest', { kind: 'silent' })],
    message: /: failed after 2 attempts; last: .* sent no complete response within 1s of the request \(INITRAMFS_ACTION_IDLE_TIMEOUT\)$/,
    atLeastMs: 2000,
    beyondStartMs: 7000,
  },
  {
    name: 'a head that trickles at 1 byte/s fails like one that never comes',
    rules: () => [on('manifest', raw(httpAnswer(200, { 'content-type': 'application/json' }, '{}'), { rate: 1 }))],
    message: /: failed after 2 attempts; last: .* sent no complete response within 1s of the request/,
    atLeastMs: 2000,
    beyondStartMs: 7000,
  },
  {
    name: '1xx interim answers forever do not count as an answer',
    rules: () => [on('manifest', { kind: 'interim', everyMs: 100 })],
    message: /: failed after 2 attempts; last: .* sent no complete response within 1s of the request/,
    atLeastMs: 2000,
    beyondStartMs: 7000,
  },
  {
    name: 'a blob body at 1 byte/s fails on the low-speed limit',
    rules: () => [on('blob', { kind: 'forward', rate: 1 })],
    message: /^blob sha256:[0-9a-f]{64} of .*\/net\/app: failed after 2 attempts; last: .* sent \d+ bytes in the last 1(\.\d)?s \(\d B\/s\), below the minimum of 4096 B\/s \(INITRAMFS_ACTION_LOW_SPEED_LIMIT, INITRAMFS_ACTION_LOW_SPEED_TIME\); \d+ bytes of [\d.]+ (bytes|MB) received$/,
    atLeastMs: 2000,
    beyondStartMs: 7000,
  },
  {
    name: 'a blob body that stops half way fails on the idle timeout, each attempt resuming',
    rules: () => [on((r) => bigBlob(r.path), { kind: 'forward', stallAfter: 100_000 })],
    message: /^blob sha256:[0-9a-f]{64} of .*: failed after 2 attempts; last: .* sent nothing for 1s in the middle of a body, after 0\.10 MB of 0\.\d+ MB \(INITRAMFS_ACTION_IDLE_TIMEOUT\)$/,
    atLeastMs: 2000,
    beyondStartMs: 7000,
  },
  {
    name: 'a Retry-After of an hour fails at once, naming the registry and the delay',
    rules: () => [on('manifest', raw(httpAnswer(429, { 'retry-after': '3600', 'content-type': 'application/json' }, '{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}')))],
    message: /^manifest .*: 127\.0\.0\.1:\d+ answered HTTP 429 \(TOOMANYREQUESTS: slow down\), asking to retry in 1h \(Retry-After\); a build waits at most 1m \(INITRAMFS_ACTION_MAX_RETRY_WAIT\): try again later$/,
    beyondStartMs: 4000,
  },
  {
    name: 'a Retry-After date a day away fails at once',
    rules: () => [on('manifest', raw(httpAnswer(503, { 'retry-after': new Date(Date.now() + 86_400_000).toUTCString() })))],
    message: /answered HTTP 503, asking to retry in (1d|23h59m\d+s) \(Retry-After\); a build waits at most 1m/,
    beyondStartMs: 4000,
  },
  {
    name: 'a Retry-After longer than what is left of --timeout fails at once, naming the timeout',
    rules: () => [on('manifest', raw(httpAnswer(429, { 'retry-after': '30' })))],
    args: ['--timeout', '20s'],
    message: /^manifest .*: 127\.0\.0\.1:\d+ answered HTTP 429; the build's timeout of 20s leaves (1\d(\.\d)?|20)s, not enough for the 30s it asks to wait \(Retry-After\)$/,
    beyondStartMs: 4000,
  },
  {
    name: 'a connection reset on every request fails after the bounded retries',
    rules: () => [on('manifest', { kind: 'reset' })],
    message: /^manifest .*: failed after 5 attempts; last: .*ECONNRESET.* talking to 127\.0\.0\.1:\d+$/,
    beyondStartMs: 8000,
  },
  {
    name: '--timeout ends a blob that is slow but above the low-speed limit',
    rules: () => [on((r) => bigBlob(r.path), { kind: 'forward', rate: 16 * 1024 })],
    args: ['--timeout', '4s'],
    message: /^blob sha256:[0-9a-f]{64} of .*: the build's timeout of 4s ran out receiving \([\d.]+ MB of 0\.\d+ MB\) from 127\.0\.0\.1:\d+$/,
    atLeastMs: 4000,
    beyondStartMs: 8000,
  },
];


describe('a misbehaving registry fails the build with one error line, in bounded time', () => {
  for (const c of failures) {
    it(c.name, async () => {
      rogue.clear();
      for (const rule of c.rules()) rogue.on(rule);
      const host = c.host?.() ?? rogue.host;
      const r = await build(c.name, SHORT, c.args, host);
      rogue.clear();
      const line = await expectFailure(r);
      const prefix = `error [${c.code ?? 'NETWORK'}]: `;
      expect(line.startsWith(prefix), line).toBe(true);
      expect(line.slice(prefix.length)).toMatch(c.message);
      expect(line).toContain(host);
      expect(r.ms).toBeLessThan(startupMs + c.beyondStartMs);
      if (c.atLeastMs !== undefined) expect(r.ms).toBeGreaterThanOrEqual(c.atLeastMs);
    });
  }
});

describe('a slow or briefly misbehaving registry still gives the layout build’s bytes', () => {
  const successes: { name: string; rules: () => RogueRule[]; env: Record<string, string>; warns?: RegExp }[] = [
    {
      name: 'a link at 256 KB/s under bounds of 1 s and 64 KB/s',
      rules: () => [on('any', { kind: 'forward', rate: 256 * 1024 })],
      env: { ...SHORT, INITRAMFS_ACTION_LOW_SPEED_LIMIT: String(64 * 1024) },
    },
    {
      name: 'a link at 300 KB/s under the default bounds',
      rules: () => [on('any', { kind: 'forward', rate: 300_000 })],
      env: {},
    },
    {
      name: 'a blob reset once half way is resumed',
      rules: () => [on((r) => bigBlob(r.path), { kind: 'forward', resetAfter: 200_000 }, { times: 1 })],
      env: SHORT,
      warns: /blob sha256:[0-9a-f]{64} of .*: .*; retrying in \d+ ms \(attempt 2 of 5\)/,
    },
    {
      name: 'a blob whose answer never comes once is asked for again',
      rules: () => [on((r) => bigBlob(r.path), { kind: 'silent' }, { times: 1 })],
      env: SHORT,
      warns: /sent no complete response within 1s of the request .*; retrying in \d+ ms \(attempt 2 of 5, the last if it stalls too\)/,
    },
  ];
  for (const c of successes) {
    it(c.name, async () => {
      rogue.clear();
      const added = c.rules().map((rule) => rogue.on(rule));
      const r = await build(c.name, c.env);
      rogue.clear();
      // The misbehaviour happened: a build that never met it would prove nothing.
      for (const a of added) expect(a.applied).toBeGreaterThan(0);
      await expectClean(r);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(r.out).equals(expected)).toBe(true);
      if (c.warns) expect(r.stderr).toMatch(c.warns);
      else expect(r.stderr).not.toMatch(/warning/i);
    });
  }
});

it("the action's timeout input ends a slow blob with one NETWORK error and leaves nothing behind", async () => {
  rogue.clear();
  rogue.on(on((r) => bigBlob(r.path), { kind: 'forward', rate: 16 * 1024 }));
  const workspace = join(work, 'action-ws');
  const runnerTemp = join(work, 'action-tmp');
  mkdirSync(workspace);
  const started = performance.now();
  const r = await runAction(
    { image: `${rogue.host}/${IMAGE}`, timeout: '4s', cache: 'false', upload: 'none', output: 'out.cpio.gz' },
    { workspace, runnerTemp, env: SHORT },
  );
  rogue.clear();
  const ms = performance.now() - started;
  figures.push(`the action's timeout input: exit ${r.code}, ${(ms / 1000).toFixed(1)} s`);
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.errors, r.stdout).toHaveLength(1);
  expect(r.errors[0]).toMatch(/^blob sha256:[0-9a-f]{64} of .*: the build's timeout of 4s ran out receiving \(.*\) from 127\.0\.0\.1:\d+ \[NETWORK\]$/);
  expect(ms).toBeGreaterThanOrEqual(4000);
  expect(ms).toBeLessThan(startupMs + 8000);
  expect(existsSync(join(workspace, 'out.cpio.gz'))).toBe(false);
  // cache: false builds in a directory of its own under RUNNER_TEMP, removed whatever the outcome.
  expect(readdirSync(runnerTemp).filter((n) => !n.startsWith('_runner_file_commands'))).toEqual([]);
});

it('a bad bound in the environment is a USAGE error naming the variable', async () => {
  const r = await build('a bad bound', { INITRAMFS_ACTION_IDLE_TIMEOUT: 'soon' });
  await expectClean(r);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^error \[USAGE\]: INITRAMFS_ACTION_IDLE_TIMEOUT='soon': expected a duration such as 30s, 2m or 500ms \(at most 7d\)$/m);
});
