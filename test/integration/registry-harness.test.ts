// Proves the real-registry test harness against real tools: images built in code are pushed with skopeo
// and read back unchanged, Basic and bearer-token auth behave as Docker Hub / ghcr.io do, every fault the
// proxy can inject is observable on the wire, the blob redirect never carries credentials, and nothing
// started here outlives its stop().
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { writeOciLayout, type TestEntry, type WrittenImage } from '../helpers/image.ts';
import { pushLayout } from '../helpers/push.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startTokenServer } from '../helpers/token-server.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

const exec = promisify(execFile);

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const ACCEPT = [OCI_MANIFEST, OCI_INDEX].join(', ');

const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Deterministic incompressible bytes (SHA-256 in counter mode). */
function noise(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0, n = 0; i < size; i += 32, n++) createHash('sha256').update(`${seed}:${n}`).digest().copy(out, i);
  return out;
}

const files = (tag: string): TestEntry[] => [
  { name: 'etc', type: 'dir' },
  { name: 'etc/os-release', content: `ID=test-${tag}\n` },
  { name: 'bin', type: 'dir' },
  { name: 'bin/tool', mode: 0o755, content: `#!/bin/sh\necho ${tag}\n`.repeat(200) },
];

/** Reads a response body to its end or its first error, keeping what arrived. */
async function drain(res: Response): Promise<{ bytes: Buffer; error?: unknown }> {
  const chunks: Uint8Array[] = [];
  const reader = res.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    return { bytes: Buffer.concat(chunks) };
  } catch (error) {
    return { bytes: Buffer.concat(chunks), error };
  }
}

async function inspectRaw(host: string, image: string, creds?: string): Promise<{ mediaType?: string; manifests?: { digest: string; platform?: { architecture: string } }[]; layers?: { digest: string; mediaType: string }[] }> {
  const { stdout } = await exec('skopeo', [
    'inspect', '--raw', '--tls-verify=false', ...(creds !== undefined ? ['--creds', creds] : ['--no-creds']), `docker://${host}/${image}`,
  ]);
  return JSON.parse(stdout) as never;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let open: RegistryHandle;
let basic: RegistryHandle;
let token: RegistryHandle;
let layout: string;
let single: WrittenImage;
let multi: WrittenImage;
let big: WrittenImage;
let gzipOnly: WrittenImage;
const USER = { username: 'alice', password: 's3cret pass' };

beforeAll(async () => {
  // Three registries at once: starting and stopping them together keeps the file fast.
  [open, basic, token] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'basic', users: [USER] }),
    startRegistry({ auth: 'token', users: [USER] }),
  ]);
  layout = await scratchDir('harness-layout-');
  [single, multi, big, gzipOnly] = writeOciLayout(layout, [
    {
      ref: 'single',
      image: {
        layers: [
          { entries: files('gzip'), compression: 'gzip' },
          { entries: files('zstd'), compression: 'zstd-frames' },
          { entries: files('plain'), compression: 'none' },
        ],
      },
    },
    {
      ref: 'multi',
      image: [
        { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ entries: files('amd64') }] },
        { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ entries: files('arm64'), compression: 'zstd' }] },
      ],
    },
    // One uncompressed layer large enough to cut, stall and corrupt in the middle.
    { ref: 'big', image: { layers: [{ entries: [{ name: 'blob.bin', content: noise(256 << 10, 'big') }], compression: 'none' }] } },
    { ref: 'gzip', image: { layers: [{ entries: files('docker'), compression: 'gzip' }] } },
  ]) as [WrittenImage, WrittenImage, WrittenImage, WrittenImage];
});

afterAll(async () => {
  await Promise.all([open?.stop(), basic?.stop(), token?.stop()]);
  await removeScratchDirs();
});

describe('open registry', () => {
  it('receives gzip, multi-frame zstd and uncompressed layers exactly as built', async () => {
    const digest = await pushLayout(layout, 'single', open.host, 'test/single:v1');
    expect(digest).toBe(single.digest);
    const manifest = await inspectRaw(open.host, 'test/single:v1');
    const built = single.manifests[0]!.layers;
    expect(manifest.mediaType).toBe(OCI_MANIFEST);
    expect(manifest.layers?.map((l) => [l.digest, l.mediaType])).toEqual(built.map((l) => [l.digest, l.mediaType]));
    // The multi-frame zstd blob, with its skippable frames, as served.
    const zstd = built[1]!;
    const res = await fetch(`${open.url}/v2/test/single/blobs/${zstd.digest}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(zstd.blob)).toBe(true);
  });

  it('receives both platforms of an index with --all', async () => {
    const digest = await pushLayout(layout, 'multi', open.host, 'test/multi:v1', { all: true });
    expect(digest).toBe(multi.digest);
    const index = await inspectRaw(open.host, 'test/multi:v1');
    expect(index.mediaType).toBe(OCI_INDEX);
    expect(index.manifests?.map((m) => [m.digest, m.platform?.architecture])).toEqual([
      [multi.manifests[0]!.digest, 'amd64'],
      [multi.manifests[1]!.digest, 'arm64'],
    ]);
  });

  it('serves an OCI manifest only to a client that accepts it', async () => {
    await pushLayout(layout, 'single', open.host, 'test/accept:v1');
    const without = await fetch(`${open.url}/v2/test/accept/manifests/v1`);
    expect(without.status).toBe(404);
    const withAccept = await fetch(`${open.url}/v2/test/accept/manifests/v1`, { headers: { accept: ACCEPT } });
    expect(withAccept.status).toBe(200);
    expect(withAccept.headers.get('docker-content-digest')).toBe(single.digest);
  });

  it('refuses a push whose conversion would change the layers', async () => {
    // Docker schema 2 has no zstd media type, and skopeo gzips uncompressed layers for it.
    await expect(pushLayout(layout, 'single', open.host, 'test/v2s2:zstd', { format: 'v2s2' })).rejects.toThrow(/zstd/);
    await expect(pushLayout(layout, 'big', open.host, 'test/v2s2:plain', { format: 'v2s2' })).rejects.toThrow(/differ from the layout/);
  });

  it('converts a gzip image to Docker schema 2 without touching its layers', async () => {
    const digest = await pushLayout(layout, 'gzip', open.host, 'test/docker:v1', { format: 'v2s2' });
    expect(digest).not.toBe(gzipOnly.digest);
    const manifest = await inspectRaw(open.host, 'test/docker:v1');
    expect(manifest.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
    expect(manifest.layers?.map((l) => [l.digest, l.mediaType])).toEqual(
      gzipOnly.manifests[0]!.layers.map((l) => [l.digest, 'application/vnd.docker.image.rootfs.diff.tar.gzip']),
    );
  });
});

describe('basic auth registry', () => {
  it('challenges anonymous clients with Basic', async () => {
    const res = await fetch(`${basic.url}/v2/`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="test-registry"/);
  });

  it('accepts the right credentials and refuses wrong ones', async () => {
    const right = `${USER.username}:${USER.password}`;
    await pushLayout(layout, 'single', basic.host, 'private/app:1', { creds: right });
    expect((await inspectRaw(basic.host, 'private/app:1', right)).layers).toHaveLength(3);
    await expect(inspectRaw(basic.host, 'private/app:1', `${USER.username}:wrong`)).rejects.toThrow(/unauthorized|401/i);
    await expect(inspectRaw(basic.host, 'private/app:1')).rejects.toThrow(/unauthorized|401|authentication/i);
    await expect(pushLayout(layout, 'single', basic.host, 'private/app:2', { creds: `${USER.username}:wrong` })).rejects.toThrow(/unauthorized|401/i);
    const auth = `Basic ${Buffer.from(right).toString('base64')}`;
    const res = await fetch(`${basic.url}/v2/private/app/manifests/1`, { headers: { accept: ACCEPT, authorization: auth } });
    expect(res.status).toBe(200);
  });
});

describe('token auth registry', () => {
  const creds = `${USER.username}:${USER.password}`;
  const basicAuth = `Basic ${Buffer.from(creds).toString('base64')}`;
  const tokenFor = async (scope: string, authorization?: string): Promise<Response> => {
    const ts = token.tokenServer!;
    return fetch(`${ts.realm}?service=${ts.service}&scope=${encodeURIComponent(scope)}`, authorization ? { headers: { authorization } } : {});
  };

  beforeAll(async () => {
    await pushLayout(layout, 'single', token.host, 'org/app:v1', { creds });
  });

  it('records the push: skopeo asked for pull,push as the user', () => {
    const pushes = token.tokenServer!.requests.filter((r) => r.scopes.some((s) => s === 'repository:org/app:pull,push'));
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.every((r) => r.username === USER.username && r.authorization && r.status === 200)).toBe(true);
  });

  it('challenges with Bearer realm, service and scope', async () => {
    const res = await fetch(`${token.url}/v2/org/app/manifests/v1`, { headers: { accept: ACCEPT } });
    expect(res.status).toBe(401);
    const challenge = res.headers.get('www-authenticate') ?? '';
    expect(challenge).toContain(`Bearer realm="${token.tokenServer!.realm}"`);
    expect(challenge).toContain('service="test-registry"');
    expect(challenge).toContain('scope="repository:org/app:pull"');
  });

  it('serves the manifest with a token fetched by hand', async () => {
    const res = await tokenFor('repository:org/app:pull', basicAuth);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; access_token: string; expires_in: number; issued_at: string };
    expect(body.access_token).toBe(body.token);
    expect(body.expires_in).toBeGreaterThan(0);
    const m = await fetch(`${token.url}/v2/org/app/manifests/v1`, { headers: { accept: ACCEPT, authorization: `Bearer ${body.token}` } });
    expect(m.status).toBe(200);
    expect(m.headers.get('docker-content-digest')).toBe(single.digest);
  });

  it('refuses wrong credentials and anonymous callers at the token server', async () => {
    expect((await tokenFor('repository:org/app:pull', `Basic ${Buffer.from(`${USER.username}:nope`).toString('base64')}`)).status).toBe(401);
    expect((await tokenFor('repository:org/app:pull')).status).toBe(401);
  });

  it('rejects a token whose scope does not cover the repository', async () => {
    const { token: t } = (await (await tokenFor('repository:other/repo:pull', basicAuth)).json()) as { token: string };
    const m = await fetch(`${token.url}/v2/org/app/manifests/v1`, { headers: { accept: ACCEPT, authorization: `Bearer ${t}` } });
    expect(m.status).toBe(401);
  });

  it('issues tokens through the OAuth2 password and refresh_token grants', async () => {
    const post = (form: Record<string, string>): Promise<Response> =>
      fetch(token.tokenServer!.realm, { method: 'POST', body: new URLSearchParams({ service: 'test-registry', scope: 'repository:org/app:pull', client_id: 'test', ...form }) });
    const first = (await (await post({ grant_type: 'password', username: USER.username, password: USER.password })).json()) as { access_token: string; refresh_token: string };
    const again = (await (await post({ grant_type: 'refresh_token', refresh_token: first.refresh_token })).json()) as { access_token: string };
    for (const t of [first.access_token, again.access_token]) {
      const m = await fetch(`${token.url}/v2/org/app/manifests/v1`, { headers: { accept: ACCEPT, authorization: `Bearer ${t}` } });
      expect(m.status).toBe(200);
    }
    expect((await post({ grant_type: 'password', username: USER.username, password: 'bad' })).status).toBe(401);
    expect((await post({ grant_type: 'refresh_token', refresh_token: 'unknown' })).status).toBe(401);
  });

  it('can hand out already-expired tokens, which the registry refuses', async () => {
    token.tokenServer!.issueExpiredTokens(1);
    const stale = ((await (await tokenFor('repository:org/app:pull', basicAuth)).json()) as { token: string }).token;
    const fresh = ((await (await tokenFor('repository:org/app:pull', basicAuth)).json()) as { token: string }).token;
    const get = (t: string): Promise<Response> => fetch(`${token.url}/v2/org/app/manifests/v1`, { headers: { accept: ACCEPT, authorization: `Bearer ${t}` } });
    expect((await get(stale)).status).toBe(401);
    expect((await get(fresh)).status).toBe(200);
  });

  it('works with skopeo --creds and refuses skopeo without them', async () => {
    expect((await inspectRaw(token.host, 'org/app:v1', creds)).layers).toHaveLength(3);
    await expect(inspectRaw(token.host, 'org/app:v1')).rejects.toThrow(/unauthorized|401|authentication/i);
  });

  it('grants anonymous pull when the token server allows it', async () => {
    const ts = await startTokenServer({ anonymousPull: true });
    try {
      const res = await fetch(`${ts.realm}?service=${ts.service}&scope=${encodeURIComponent('repository:x/y:pull,push')}`);
      expect(res.status).toBe(200);
      expect(ts.issued.at(-1)?.access).toEqual([{ type: 'repository', name: 'x/y', actions: ['pull'] }]);
      expect(ts.requests.at(-1)).toMatchObject({ authorization: false, scopes: ['repository:x/y:pull,push'], status: 200 });
    } finally {
      await ts.stop();
    }
  });

  it('redirects a bearer-authorised blob GET to the blob host, which never sees the token', async () => {
    const proxy = await startFaultProxy(token.host, { redirectBlobs: true });
    try {
      const { token: t } = (await (await tokenFor('repository:org/app:pull', basicAuth)).json()) as { token: string };
      const layer = single.manifests[0]!.layers[0]!;
      // fetch drops Authorization when a redirect leaves the origin, as a careful client must.
      const res = await fetch(`${proxy.url}/v2/org/app/blobs/${layer.digest}`, { headers: { authorization: `Bearer ${t}` } });
      expect(res.status).toBe(200);
      expect(res.url.startsWith(proxy.blobHost!.url)).toBe(true);
      expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(layer.digest);
      expect(proxy.requests.at(-1)).toMatchObject({ status: 307, redirected: true, authorization: true });
      expect(proxy.blobHost!.requests).toHaveLength(1);
      expect(proxy.blobHost!.sawAuthorization).toBe(false);
      // Without a token the registry's challenge comes back, not a redirect.
      expect((await fetch(`${proxy.url}/v2/org/app/blobs/${layer.digest}`, { redirect: 'manual' })).status).toBe(401);
    } finally {
      await proxy.stop();
    }
  });
});

describe('fault proxy', () => {
  let proxy: ProxyHandle;
  let blobUrl: string;
  let blob: Buffer;
  let digest: string;

  beforeAll(async () => {
    await pushLayout(layout, 'big', open.host, 'faults/big:v1');
    proxy = await startFaultProxy(open.host);
    const layer = big.manifests[0]!.layers[0]!;
    ({ blob, digest } = layer);
    blobUrl = `${proxy.url}/v2/faults/big/blobs/${digest}`;
  });
  afterAll(async () => {
    await proxy?.stop();
  });

  it('forwards unchanged and logs and counts blob GETs', async () => {
    proxy.resetLog();
    const res = await fetch(blobUrl);
    expect(Buffer.from(await res.arrayBuffer()).equals(blob)).toBe(true);
    const m = await fetch(`${proxy.url}/v2/faults/big/manifests/v1`, { method: 'HEAD', headers: { accept: ACCEPT } });
    expect(m.headers.get('docker-content-digest')).toBe(big.digest);
    expect(proxy.blobGets).toBe(1);
    expect(proxy.blobGetsOf(digest)).toBe(1);
    expect(proxy.requests).toEqual([
      { method: 'GET', path: `/v2/faults/big/blobs/${digest}`, status: 200, authorization: false, faults: [], redirected: false },
      { method: 'HEAD', path: '/v2/faults/big/manifests/v1', status: 200, authorization: false, faults: [], redirected: false },
    ]);
  });

  it('points the registry\'s absolute Location URLs at the proxy', async () => {
    const res = await fetch(`${proxy.url}/v2/faults/upload/blobs/uploads/`, { method: 'POST' });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toMatch(new RegExp(`^${proxy.url}/v2/faults/upload/blobs/uploads/`));
  });

  it('cuts the connection after N body bytes, and a Range request fetches the rest', async () => {
    const fault = proxy.addFault({ kind: 'cut', afterBytes: 100_000 });
    const cut = await drain(await fetch(blobUrl));
    expect(cut.error).toBeDefined();
    expect(cut.bytes.length).toBe(100_000);
    expect(fault.applied).toBe(1);
    const rest = await fetch(blobUrl, { headers: { range: `bytes=${cut.bytes.length}-` } });
    expect(rest.status).toBe(206);
    const whole = Buffer.concat([cut.bytes, Buffer.from(await rest.arrayBuffer())]);
    expect(sha256(whole)).toBe(digest);
    expect(proxy.requests.at(-1)).toMatchObject({ range: 'bytes=100000-', status: 206, faults: [] });
    proxy.clearFaults();
  });

  it('answers 503, then 429 with Retry-After, only to the requests chosen', async () => {
    proxy.addFault({ kind: 'status', status: 503, match: 'manifest', nth: 2, times: 2 });
    proxy.addFault({ kind: 'status', status: 429, retryAfter: 7, match: 'manifest', nth: 4 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${proxy.url}/v2/faults/big/manifests/v1`, { headers: { accept: ACCEPT } });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      if (res.status === 503) expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('UNAVAILABLE');
      else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 503, 503, 429, 200]);
    expect(retryAfter).toBe('7');
    proxy.clearFaults();
  });

  it('delays a response', async () => {
    proxy.addFault({ kind: 'delay', ms: 400, match: 'any' });
    const t0 = performance.now();
    await (await fetch(`${proxy.url}/v2/`)).arrayBuffer();
    const slow = performance.now() - t0;
    const t1 = performance.now();
    await (await fetch(`${proxy.url}/v2/`)).arrayBuffer();
    const fast = performance.now() - t1;
    expect(slow).toBeGreaterThanOrEqual(390);
    expect(fast).toBeLessThan(300);
    proxy.clearFaults();
  });

  it('corrupts one byte of a blob body, so its digest no longer matches', async () => {
    proxy.addFault({ kind: 'corrupt', offset: 5000 });
    const bad = Buffer.from(await (await fetch(blobUrl)).arrayBuffer());
    expect(bad.length).toBe(blob.length);
    expect(sha256(bad)).not.toBe(digest);
    const differing = [...bad.keys()].filter((i) => bad[i] !== blob[i]);
    expect(differing).toEqual([5000]);
    const good = Buffer.from(await (await fetch(blobUrl)).arrayBuffer());
    expect(sha256(good)).toBe(digest);
    proxy.clearFaults();
  });

  it('stalls a body mid-stream until the client gives up', async () => {
    proxy.addFault({ kind: 'stall', afterBytes: 70_000 });
    const t0 = performance.now();
    const stalled = await drain(await fetch(blobUrl, { signal: AbortSignal.timeout(500) }));
    expect(stalled.error).toBeDefined();
    expect(stalled.bytes.length).toBe(70_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(450);
    proxy.clearFaults();
  });

  it('redirects blob GETs to a blob host that serves the right bytes without credentials', async () => {
    await proxy.setRedirectBlobs(true);
    try {
      const res = await fetch(blobUrl, { redirect: 'manual' });
      expect(res.status).toBe(307);
      const location = res.headers.get('location') ?? '';
      expect(location.startsWith(proxy.blobHost!.url)).toBe(true);
      const served = await fetch(location);
      expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(digest);
      const ranged = await fetch(location, { headers: { range: 'bytes=10-19' } });
      expect(ranged.status).toBe(206);
      expect(Buffer.from(await ranged.arrayBuffer()).equals(blob.subarray(10, 20))).toBe(true);
      expect(proxy.blobHost!.sawAuthorization).toBe(false);
      expect((await fetch(`${proxy.blobHost!.url}/objects/sha256/${digest.slice(7)}`)).status).toBe(403);
      // The same check can fail: a client that sends credentials to the blob host is seen.
      await (await fetch(location, { headers: { authorization: 'Bearer leaked' } })).arrayBuffer();
      expect(proxy.blobHost!.sawAuthorization).toBe(true);
    } finally {
      await proxy.setRedirectBlobs(false);
    }
    expect((await fetch(blobUrl, { redirect: 'manual' })).status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('leaves no process, port or storage behind after stop', async () => {
    const reg = await startRegistry();
    expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
    expect(isAlive(reg.pid)).toBe(true);
    await reg.stop();
    expect(isAlive(reg.pid)).toBe(false);
    expect(existsSync(reg.rootDir)).toBe(false);
    await expect(fetch(`${reg.url}/v2/`)).rejects.toThrow();
    await reg.stop(); // idempotent
    const pids = (await exec('pgrep', ['-x', 'docker-registry']).catch(() => ({ stdout: '' }))).stdout.split('\n').filter(Boolean).map(Number);
    expect(pids).not.toContain(reg.pid);
  });

  it('ignores REGISTRY_* variables of the test environment, which would override its config', async () => {
    // REGISTRY_STORAGE=bogus makes docker-registry panic at start when it reaches the child.
    process.env.REGISTRY_STORAGE = 'bogus';
    let reg: RegistryHandle | undefined;
    try {
      reg = await startRegistry();
      expect((await fetch(`${reg.url}/v2/`)).status).toBe(200);
    } finally {
      delete process.env.REGISTRY_STORAGE;
      await reg?.stop();
    }
  });
});
