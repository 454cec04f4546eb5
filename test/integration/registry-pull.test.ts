// Registry pulls beyond the basics of registry-build.test.ts, against the real CNCF registry on loopback:
// credentials from $DOCKER_CONFIG/config.json (`auths`, a credential helper), by-digest pulls served from
// the cache alone, multi-platform indexes, every layer compression, a corrupt blob kept out of the cache,
// two processes filling one cache at once, and an unknown repository.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { writeOciLayout, type TestEntry, type WrittenImage } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { pushLayout } from '../helpers/push.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';

let work: string;
let layout: string;
/** 'v1': one layer per compression; 'multi': an index of linux/amd64 and linux/arm64/v8. */
let written: { v1: WrittenImage; multi: WrittenImage };
let open: RegistryHandle;
let basic: RegistryHandle;
let token: RegistryHandle;
let proxy: ProxyHandle;
let dirs = 0;

/** A fresh directory under the file's scratch dir (cache dirs, docker config dirs). */
const fresh = (name: string): string => {
  const dir = join(work, `${name}-${dirs++}`);
  mkdirSync(dir);
  return dir;
};

/** Content big enough that every layer's compressed form has real work to do (and zstd several frames). */
const text = (seed: string, lines: number): string =>
  Array.from({ length: lines }, (_, i) => `${seed} line ${i} ${createHash('sha256').update(`${seed}${i}`).digest('hex')}\n`).join('');

const base: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake\n', mode: 0o755 },
  { name: 'etc', type: 'dir' },
];

const COMPRESSIONS = ['gzip', 'zstd-frames', 'none', 'zstd'] as const;

const LAYER_MEDIA_TYPES = [
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+zstd',
];

/** The one `error [CODE]: …` line a failed build prints, and that it is the only one. */
function errorLine(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('error ['));
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0]!;
}

const digestOf = (r: CliResult): string => /^digest: (sha256:[0-9a-f]{64})$/m.exec(r.stdout)?.[1] ?? `no digest in: ${r.stdout}`;

const layoutBuilds = new Map<string, Promise<Buffer>>();
/** The bytes of the build of `oci:layout:ref` for `platform` (built once per file). */
function layoutBuild(ref: string, platform = 'linux/amd64'): Promise<Buffer> {
  const key = `${ref} ${platform}`;
  let p = layoutBuilds.get(key);
  if (!p) {
    p = (async () => {
      const out = join(work, `layout-${ref}-${platform.replaceAll('/', '-')}.cpio.gz`);
      const r = await runCli(['build', `oci:${layout}:${ref}`, '-o', out, '--platform', platform, '--cache-dir', fresh('layout-cache')]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(out);
    })();
    layoutBuilds.set(key, p);
  }
  return p;
}

/** A registry build with its own output path; the output's bytes when it succeeded. */
async function pull(image: string, cacheDir: string, extra: string[] = [], opts: Parameters<typeof runCli>[1] = {}): Promise<CliResult & { out: string }> {
  const out = join(work, `pull-${dirs++}.cpio.gz`);
  const r = await runCli(['build', image, '-o', out, '--cache-dir', cacheDir, ...extra], opts);
  return { ...r, out };
}

interface CacheState {
  /** Entry names (hex) under blobs/sha256. */
  entries: string[];
  /** Entries whose sha256 is not their name, and segment entries whose stored sha256 does not match. */
  broken: string[];
  /** Compressed-segment entries (segments/<method-level-build>/<hex>). */
  segments: string[];
  /** Any other file in the cache dir (temporary files, partial downloads, spools), relative paths. */
  strays: string[];
}

function cacheState(dir: string): CacheState {
  const state: CacheState = { entries: [], broken: [], segments: [], strays: [] };
  if (!existsSync(dir)) return state;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isDirectory()) continue;
    const path = join(e.parentPath, e.name);
    const rel = relative(dir, path);
    if (e.isFile() && relative(dir, e.parentPath) === join('blobs', 'sha256')) {
      state.entries.push(e.name);
      if (createHash('sha256').update(readFileSync(path)).digest('hex') !== e.name) state.broken.push(e.name);
    } else if (e.isFile() && relative(dir, e.parentPath).split(sep)[0] === 'segments' && /^[0-9a-f]{64}$/.test(e.name)) {
      state.segments.push(rel);
      const bytes = readFileSync(path);
      if (!createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32))) state.broken.push(rel);
    } else state.strays.push(rel);
  }
  return state;
}

beforeAll(async () => {
  work = await scratchDir('registry-pull-');
  layout = join(work, 'layout');
  const [v1, multi] = writeOciLayout(layout, [
    {
      ref: 'v1',
      image: {
        config: { Cmd: ['/bin/sh'] },
        layers: [
          { entries: base, compression: COMPRESSIONS[0] },
          ...COMPRESSIONS.slice(1).map((compression) => ({ entries: [{ name: `etc/${compression}.txt`, content: text(compression, 300) }], compression })),
        ],
      },
    },
    {
      ref: 'multi',
      image: (['amd64', 'arm64'] as const).map((arch) => ({
        platform: arch === 'arm64' ? { os: 'linux', architecture: 'arm64', variant: 'v8' } : { os: 'linux', architecture: 'amd64' },
        config: { Cmd: ['/bin/sh'] },
        layers: [{ entries: [...base, { name: 'etc/arch', content: `${arch}\n${text(arch, 50)}` }] }],
      })),
    },
  ]);
  written = { v1: v1!, multi: multi! };
  [open, basic, token] = await Promise.all([startRegistry({ auth: 'none' }), startRegistry({ auth: 'basic' }), startRegistry({ auth: 'token' })]);
  const creds = (r: RegistryHandle): string => `${r.users[0]!.username}:${r.users[0]!.password}`;
  await Promise.all([
    pushLayout(layout, 'v1', open.host, 'demo/app:v1'),
    pushLayout(layout, 'multi', open.host, 'demo/multi:latest', { all: true }),
    pushLayout(layout, 'v1', basic.host, 'private/app:v1', { creds: creds(basic) }),
    pushLayout(layout, 'v1', token.host, 'secure/app:v1', { creds: creds(token) }),
  ]);
  proxy = await startFaultProxy(open.host);
});

afterAll(async () => {
  await proxy?.stop();
  await Promise.all([open?.stop(), basic?.stop(), token?.stop()]);
  await removeScratchDirs();
});

describe('credentials from $DOCKER_CONFIG/config.json', () => {
  it('an `auths` entry with base64 user:password opens a Basic-auth registry', async () => {
    const config = fresh('docker-auths');
    const { username, password } = basic.users[0]!;
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } } }));
    const r = await pull(`${basic.host}/private/app:v1`, fresh('cache'), [], { env: { DOCKER_CONFIG: config } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(r.out).equals(await layoutBuild('v1'))).toBe(true);
  });

  it('a `credHelpers` entry runs docker-credential-NAME with the server on stdin and opens a token-auth registry', async () => {
    const config = fresh('docker-helper');
    const bin = fresh('bin');
    const asked = join(bin, 'asked.log');
    const { username, password } = token.users[0]!;
    // Docker's helper protocol: `get`, the server URL on stdin (no newline), {"Username","Secret"} on stdout.
    writeFileSync(
      join(bin, 'docker-credential-testhelper'),
      [
        '#!/bin/sh',
        '[ "$1" = get ] || exit 3',
        'IFS= read -r server || true',
        `printf '%s\\n' "$server" >> '${asked}'`,
        `[ "$server" = '${token.host}' ] || { echo 'credentials not found in native keychain'; exit 1; }`,
        `printf '%s' '${JSON.stringify({ ServerURL: token.host, Username: username, Secret: password })}'`,
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'docker-credential-testhelper'), 0o755);
    writeFileSync(join(config, 'config.json'), JSON.stringify({ credHelpers: { [token.host]: 'testhelper' } }));
    const before = token.tokenServer!.requests.length;
    const r = await pull(`${token.host}/secure/app:v1`, fresh('cache'), [], { env: { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(r.out).equals(await layoutBuild('v1'))).toBe(true);
    expect(readFileSync(asked, 'utf8').trim().split('\n')).toContain(token.host);
    expect(token.tokenServer!.requests.slice(before).some((q) => q.status === 200 && q.username === username)).toBe(true);
  });

  it('a wrong password in config.json is one AUTH error naming the reference that never shows the secret', async () => {
    const config = fresh('docker-wrong');
    const { username } = basic.users[0]!;
    const secret = 'wrong-config-secret-7f3a';
    const encoded = Buffer.from(`${username}:${secret}`).toString('base64');
    writeFileSync(join(config, 'config.json'), JSON.stringify({ auths: { [`http://${basic.host}`]: { auth: encoded } } }));
    const report = join(work, 'wrong-report.json');
    const r = await pull(`${basic.host}/private/app:v1`, fresh('cache'), ['--report', report], { env: { DOCKER_CONFIG: config } });
    expect(r.code, r.stderr).toBe(1);
    const line = errorLine(r);
    expect(line).toMatch(/^error \[AUTH\]: /);
    expect(line).toContain(`${basic.host}/private/app:v1`);
    for (const leak of [secret, encoded]) expect(r.stdout + r.stderr).not.toContain(leak);
    // A failed build writes neither the archive nor the report, so neither can carry the secret.
    expect(existsSync(report)).toBe(false);
    expect(existsSync(r.out)).toBe(false);
  });

  it('a wrong secret from a credential helper is one AUTH error from the token server that never shows it', async () => {
    const config = fresh('docker-helper-wrong');
    const bin = fresh('bin');
    const secret = 'helper-wrong-secret-91c2';
    writeFileSync(
      join(bin, 'docker-credential-wronghelper'),
      `#!/bin/sh\ncat > /dev/null\nprintf '%s' '${JSON.stringify({ Username: token.users[0]!.username, Secret: secret })}'\n`,
    );
    chmodSync(join(bin, 'docker-credential-wronghelper'), 0o755);
    writeFileSync(join(config, 'config.json'), JSON.stringify({ credHelpers: { [token.host]: 'wronghelper' } }));
    const report = join(work, 'helper-wrong-report.json');
    const r = await pull(`${token.host}/secure/app:v1`, fresh('cache'), ['--report', report], {
      env: { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` },
    });
    expect(r.code, r.stderr).toBe(1);
    const line = errorLine(r);
    expect(line).toMatch(/^error \[AUTH\]: /);
    expect(line).toContain(`${token.host}/secure/app:v1`);
    expect(line).toContain('docker-credential-wronghelper');
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(existsSync(report)).toBe(false);
  });
});

it('pulled by digest, a second build with a warm cache asks for no manifest and no blob', async () => {
  const single = written.v1.digest;
  const index = written.multi.digest;
  const cache = fresh('cache');
  const cold = await pull(`${proxy.host}/demo/app@${single}`, cache);
  expect(cold.code, cold.stderr).toBe(0);
  const coldIndex = await pull(`${proxy.host}/demo/multi@${index}`, cache, ['--platform', 'linux/arm64']);
  expect(coldIndex.code, coldIndex.stderr).toBe(0);
  expect(proxy.manifestGets).toBeGreaterThan(0);
  expect(proxy.blobGets).toBeGreaterThan(0);

  proxy.resetLog();
  const warm = await pull(`${proxy.host}/demo/app@${single}`, cache);
  expect(warm.code, warm.stderr).toBe(0);
  const warmIndex = await pull(`${proxy.host}/demo/multi@${index}`, cache, ['--platform', 'linux/arm64']);
  expect(warmIndex.code, warmIndex.stderr).toBe(0);
  expect(proxy.requests.map((q) => `${q.method} ${q.path}`)).toEqual([]);
  expect(proxy.manifestGets).toBe(0);
  expect(proxy.blobGets).toBe(0);
  expect(readFileSync(warm.out).equals(await layoutBuild('v1'))).toBe(true);
  expect(readFileSync(warmIndex.out).equals(await layoutBuild('multi', 'linux/arm64'))).toBe(true);
});

describe('a multi-platform index', () => {
  it('--platform linux/arm64 and linux/arm64/v8 build the arm64 manifest, byte-equal to the OCI layout build', async () => {
    const arm64 = written.multi.manifests.find((m) => m.platform.architecture === 'arm64')!;
    const amd64 = written.multi.manifests.find((m) => m.platform.architecture === 'amd64')!;
    const expected = await layoutBuild('multi', 'linux/arm64');
    const cache = fresh('cache');
    for (const platform of ['linux/arm64', 'linux/arm64/v8', 'linux/aarch64']) {
      const report = join(work, `multi-${dirs++}.json`);
      const r = await pull(`${proxy.host}/demo/multi:latest`, cache, ['--platform', platform, '--report', report]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(r.out).equals(expected), platform).toBe(true);
      const json = JSON.parse(readFileSync(report, 'utf8')) as { image: { digest: string; platform: string }; layers: { digest: string }[] };
      expect(json.image.digest).toBe(arm64.digest);
      expect(json.image.platform).toBe('linux/arm64/v8');
      expect(json.layers.map((l) => l.digest)).toEqual(arm64.layers.map((l) => l.digest));
    }
    // The default platform picks the other manifest, whose content differs: the choice above was real.
    const report = join(work, 'multi-amd64.json');
    const r = await pull(`${proxy.host}/demo/multi:latest`, cache, ['--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(r.out).equals(await layoutBuild('multi', 'linux/amd64'))).toBe(true);
    expect(readFileSync(r.out).equals(expected)).toBe(false);
    expect((JSON.parse(readFileSync(report, 'utf8')) as { image: { digest: string } }).image.digest).toBe(amd64.digest);
  });

  it('an absent platform is one PLATFORM_NOT_FOUND error listing the platforms there are', async () => {
    const r = await pull(`${proxy.host}/demo/multi:latest`, fresh('cache'), ['--platform', 'linux/s390x']);
    expect(r.code, r.stderr).toBe(1);
    const line = errorLine(r);
    expect(line).toMatch(/^error \[PLATFORM_NOT_FOUND\]: .*linux\/s390x/);
    expect(line).toContain('demo/multi');
    expect(line).toContain('linux/amd64, linux/arm64/v8');
    expect(existsSync(r.out)).toBe(false);
  });
});

it('gzip, multi-frame zstd, zstd and uncompressed layers pulled from the registry build the OCI layout bytes', async () => {
  // The registry holds the layers as built (pushLayout checked their digests): check their media types too.
  const res = await fetch(`${open.url}/v2/demo/app/manifests/v1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
  const manifest = (await res.json()) as { layers: { mediaType: string; digest: string }[] };
  expect(manifest.layers.map((l) => l.mediaType)).toEqual(LAYER_MEDIA_TYPES);
  expect(manifest.layers.map((l) => l.digest)).toEqual(written.v1.manifests[0]!.layers.map((l) => l.digest));
  const framed = written.v1.manifests[0]!.layers[1]!.blob;
  // Several zstd frames (magic 28 b5 2f fd) with skippable frames between them, as pushed.
  expect(framed.toString('hex').split('28b52ffd').length - 1).toBeGreaterThanOrEqual(3);

  const r = await pull(`${proxy.host}/demo/app:v1`, fresh('cache'));
  expect(r.code, r.stderr).toBe(0);
  expect(readFileSync(r.out).equals(await layoutBuild('v1'))).toBe(true);
});

it('cache entries damaged on disk are detected, fetched again, and replaced by intact ones', async () => {
  const cache = fresh('cache');
  proxy.clearFaults();
  const first = await pull(`${proxy.host}/demo/app:v1`, cache);
  expect(first.code, first.stderr).toBe(0);
  const layers = written.v1.manifests[0]!.layers.map((l) => l.digest.slice('sha256:'.length));
  const entry = (hex: string): string => join(cache, 'blobs', 'sha256', hex);
  // One entry with a flipped byte (same size), one cut short.
  const flipped = readFileSync(entry(layers[0]!));
  flipped[flipped.length >> 1]! ^= 0x01;
  writeFileSync(entry(layers[0]!), flipped);
  writeFileSync(entry(layers[1]!), readFileSync(entry(layers[1]!)).subarray(0, 10));

  proxy.resetLog();
  const again = await pull(`${proxy.host}/demo/app:v1`, cache);
  expect(again.code, again.stderr).toBe(0);
  expect(digestOf(again)).toBe(digestOf(first));
  expect(proxy.blobGets).toBe(2);
  const state = cacheState(cache);
  for (const hex of layers) expect(state.entries).toContain(hex);
  expect(state.broken).toEqual([]);
  expect(state.strays).toEqual([]);
});

it('a blob whose bytes do not match its digest fails the build and leaves nothing of it in the cache', async () => {
  const victim = written.v1.manifests[0]!.layers[2]!.digest;
  const cache = fresh('cache');
  proxy.clearFaults();
  const fault = proxy.addFault({ kind: 'corrupt', times: Infinity, match: (q) => q.method === 'GET' && q.path.endsWith(`/blobs/${victim}`) });
  const bad = await pull(`${proxy.host}/demo/app:v1`, cache);
  proxy.clearFaults();
  expect(fault.applied).toBeGreaterThan(0);
  expect(bad.code, bad.stderr).toBe(1);
  const line = errorLine(bad);
  expect(line).toMatch(/^error \[DIGEST_MISMATCH\]: /);
  expect(line).toContain(victim);
  expect(existsSync(bad.out)).toBe(false);
  const after = cacheState(cache);
  expect(after.entries).not.toContain(victim.slice('sha256:'.length));
  expect(after.broken).toEqual([]);
  expect(after.strays).toEqual([]);

  const good = await pull(`${proxy.host}/demo/app:v1`, cache);
  expect(good.code, good.stderr).toBe(0);
  const expected = await layoutBuild('v1');
  expect(digestOf(good)).toBe(`sha256:${createHash('sha256').update(expected).digest('hex')}`);
  expect(cacheState(cache).entries).toContain(victim.slice('sha256:'.length));
});

it('two processes building the same image into one empty cache both succeed and leave only intact entries', async () => {
  const cache = fresh('cache');
  // Slow blob answers keep both processes' downloads of the same blobs in flight at the same time.
  proxy.clearFaults();
  proxy.addFault({ kind: 'delay', ms: 300, times: Infinity });
  const [a, b] = await Promise.all([pull(`${proxy.host}/demo/app:v1`, cache), pull(`${proxy.host}/demo/app:v1`, cache)]);
  proxy.clearFaults();
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  expect(digestOf(a)).toBe(digestOf(b));
  expect(readFileSync(a.out).equals(await layoutBuild('v1'))).toBe(true);
  const state = cacheState(cache);
  const image = written.v1.manifests[0]!;
  for (const digest of [image.digest, image.config, ...image.layers.map((l) => l.digest)]) {
    expect(state.entries).toContain(digest.slice('sha256:'.length));
  }
  expect(state.broken).toEqual([]);
  expect(state.strays).toEqual([]);
});

it('an unknown repository is one clear IMAGE_NOT_FOUND error naming the reference', async () => {
  const r = await pull(`${proxy.host}/no/such-repo:v1`, fresh('cache'));
  expect(r.code, r.stderr).toBe(1);
  const line = errorLine(r);
  expect(line).toMatch(/^error \[IMAGE_NOT_FOUND\]: /);
  expect(line).toContain(`${proxy.host}/no/such-repo:v1`);
  expect(existsSync(r.out)).toBe(false);
});
