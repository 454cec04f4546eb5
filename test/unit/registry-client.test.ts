import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestMismatchError, type InitramfsError } from '../../src/errors.ts';
import { sha256Digest } from '../../src/image/digest.ts';
import { CollectingReporter } from '../../src/log.ts';
import { RegistryClient, type RegistryClientOptions } from '../../src/registry/client.ts';
import type { RegistryError } from '../../src/registry/errors.ts';
import { parseReference, type Reference } from '../../src/registry/reference.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Server {
  /** host:port */
  host: string;
  seen: Seen[];
  close(): Promise<void>;
}

const servers: Server[] = [];
const clients: RegistryClient[] = [];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-client-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A loopback HTTP server recording every request (with its body) before `handler` answers it. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<Server> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      handler(req, res, s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const s: Server = {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, layers: [] }));
const blob = Buffer.alloc(300_000);
for (let i = 0; i < blob.length; i++) blob[i] = (i * 7 + (i >> 8)) & 0xff;
const blobDigest = sha256Digest(blob);

function client(opts: RegistryClientOptions = {}): { c: RegistryClient; reporter: CollectingReporter } {
  const reporter = new CollectingReporter();
  const c = new RegistryClient({
    env: { DOCKER_CONFIG: join(dir, 'no-config'), PATH: process.env['PATH'] ?? '' },
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    reporter,
    ...opts,
  });
  clients.push(c);
  return { c, reporter };
}

const ref = (s: Server, repo = 'o/r', tag = 't'): Reference => parseReference(`${s.host}/${repo}:${tag}`);
const caught = async (p: Promise<unknown>): Promise<RegistryError> =>
  (await p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  )) as RegistryError;

const sendManifest = (res: ServerResponse, bytes = manifest, type = OCI_MANIFEST): void => {
  res.writeHead(200, { 'content-type': type, 'docker-content-digest': sha256Digest(bytes) });
  res.end(bytes);
};
const registryError = (res: ServerResponse, status: number, code: string, message: string): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ code, message, detail: null }] }));
};
const tmp = (name: string): string => join(dir, name);

describe('manifests', () => {
  test('a manifest by tag: bytes, media type and digest; Accept names OCI and Docker v2 types', async () => {
    const s = await serve((_req, res) => sendManifest(res));
    const { c } = client();
    const m = await c.getManifest(ref(s), 't');
    expect(m).toEqual({ bytes: manifest, mediaType: OCI_MANIFEST, digest: sha256Digest(manifest) });
    expect(s.seen[0]!.url).toBe('/v2/o/r/manifests/t');
    const accept = s.seen[0]!.headers.accept ?? '';
    for (const t of [
      'application/vnd.oci.image.index.v1+json',
      OCI_MANIFEST,
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
    ]) {
      expect(accept).toContain(t);
    }
    expect(c.stats).toEqual({ manifest: 1, blob: 0, token: 0 });
  });

  test('a manifest by digest whose bytes do not match fails with DIGEST_MISMATCH, without retrying', async () => {
    const other = Buffer.from('{"schemaVersion":2}');
    const s = await serve((_req, res) => sendManifest(res, other));
    const { c } = client();
    const err = await caught(c.getManifest(ref(s), sha256Digest(manifest)));
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect(err.message).toContain(sha256Digest(manifest));
    expect(c.stats.manifest).toBe(1);
  });

  test('by tag, a Docker-Content-Digest that disagrees with the bytes is a DIGEST_MISMATCH', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': sha256Digest(Buffer.from('x')) });
      res.end(manifest);
    });
    const err = await caught(client().c.getManifest(ref(s), 't'));
    expect(err.code).toBe('DIGEST_MISMATCH');
  });

  test('404 with the registry error JSON is IMAGE_NOT_FOUND naming the reference and the code, not retried', async () => {
    const s = await serve((_req, res) => registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown'));
    const { c } = client();
    const err = await caught(c.getManifest(ref(s, 'o/r', 'nope'), 'nope'));
    expect(err.code).toBe('IMAGE_NOT_FOUND');
    expect(err.message).toContain(`${s.host}/o/r:nope`);
    expect(err.message).toContain('MANIFEST_UNKNOWN: manifest unknown');
    expect(err.status).toBe(404);
    expect(err.registryCodes).toEqual(['MANIFEST_UNKNOWN']);
    expect(c.stats.manifest).toBe(1);
  });

  test('a schema 1 manifest is UNSUPPORTED, deprecated', async () => {
    const v1 = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'o/r', tag: 't', fsLayers: [] }));
    const s = await serve((_req, res) => sendManifest(res, v1, 'application/vnd.docker.distribution.manifest.v1+prettyjws'));
    const err = await caught(client().c.getManifest(ref(s), 't'));
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.message).toContain('schema 1 manifests are deprecated and not supported');
  });

  test('a 400 is a REGISTRY error at once, with the status and codes', async () => {
    const s = await serve((_req, res) => registryError(res, 400, 'TAG_INVALID', 'manifest tag did not match URI'));
    const { c } = client();
    const err = await caught(c.getManifest(ref(s), 't'));
    expect(err.code).toBe('REGISTRY');
    expect(err.message).toContain('HTTP 400 (TAG_INVALID: manifest tag did not match URI)');
    expect(c.stats.manifest).toBe(1);
  });
});

describe('retries', () => {
  test('503 twice, then success: two warnings, three requests', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      if (++n <= 2) registryError(res, 503, 'UNAVAILABLE', 'try later');
      else sendManifest(res);
    });
    const { c, reporter } = client();
    expect((await c.getManifest(ref(s), 't')).bytes).toEqual(manifest);
    expect(c.stats.manifest).toBe(3);
    expect(reporter.warnings).toHaveLength(2);
    expect(reporter.warnings[0]).toMatch(/manifest .*\/o\/r:t: .*HTTP 503 \(UNAVAILABLE: try later\); retrying in \d+ ms \(attempt 2 of 4\)/);
  });

  test('a registry that keeps failing gives NETWORK after the bounded attempts, naming the last cause', async () => {
    const s = await serve((_req, res) => registryError(res, 502, 'BAD_GATEWAY', 'upstream'));
    const { c } = client();
    const err = await caught(c.getManifest(ref(s), 't'));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain('failed after 4 attempts');
    expect(err.message).toContain('HTTP 502 (BAD_GATEWAY: upstream)');
    expect(err.attempts).toBe(4);
    expect(c.stats.manifest).toBe(4);
  });

  test('429 with Retry-After: 1 waits about a second before the next attempt', async () => {
    const times: number[] = [];
    const s = await serve((_req, res) => {
      times.push(performance.now());
      if (times.length === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        res.end();
      } else sendManifest(res);
    });
    const { c, reporter } = client();
    await c.getManifest(ref(s), 't');
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(times[1]! - times[0]!).toBeLessThan(3000);
    expect(reporter.warnings[0]).toContain('retrying in 1000 ms');
  });

  test('a refused connection is retried, then NETWORK', async () => {
    const s = await serve(() => {});
    const r = ref(s);
    await servers.pop()!.close(); // nothing listens on the port any more
    const { c, reporter } = client();
    const err = await caught(c.getManifest(r, 't'));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toMatch(/failed after 4 attempts; last: .*ECONNREFUSED/);
    expect(reporter.warnings).toHaveLength(3);
  });

  test('an unreachable registry is not retried when the host cannot be resolved', async () => {
    const { c } = client({ insecureRegistries: ['no-such-host.invalid'] });
    const err = await caught(c.getManifest(parseReference('no-such-host.invalid/o/r:t'), 't'));
    expect(err.code).toBe('NETWORK');
    expect(err.message).toContain('cannot resolve host no-such-host.invalid');
    expect(c.stats.manifest).toBe(1);
  });
});

/** Serves the blob honouring (or ignoring) Range; the first answer is cut after `cutAt` bytes. */
async function blobServer(opts: { cutAt?: number; range: boolean; bytes?: Buffer }): Promise<Server> {
  const bytes = opts.bytes ?? blob;
  let first = true;
  return serve((req, res) => {
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = opts.range && m ? Number(m[1]) : 0;
    const headers: Record<string, string | number> = { 'content-length': bytes.length - start };
    if (start > 0) headers['content-range'] = `bytes ${start}-${bytes.length - 1}/${bytes.length}`;
    res.writeHead(start > 0 ? 206 : 200, headers);
    if (first && opts.cutAt !== undefined) {
      first = false;
      res.write(bytes.subarray(0, opts.cutAt), () => res.socket?.destroy());
      return;
    }
    res.end(bytes.subarray(start));
  });
}

describe('blobs', () => {
  test('a blob is written to the file and verified; progress is reported', async () => {
    const s = await blobServer({ range: true });
    const { c } = client();
    const progress: number[] = [];
    await c.downloadBlob(ref(s), blobDigest, blob.length, tmp('plain'), (n) => progress.push(n));
    expect(await readFile(tmp('plain'))).toEqual(blob);
    expect(progress.at(-1)).toBe(blob.length);
    expect(s.seen[0]!.url).toBe(`/v2/o/r/blobs/${blobDigest}`);
    expect(c.stats.blob).toBe(1);
  });

  test('a connection cut mid-blob resumes with Range from the bytes already written', async () => {
    const s = await blobServer({ range: true, cutAt: 100_000 });
    const { c, reporter } = client();
    await c.downloadBlob(ref(s), blobDigest, blob.length, tmp('resumed'));
    expect(await readFile(tmp('resumed'))).toEqual(blob);
    expect(s.seen).toHaveLength(2);
    expect(s.seen[0]!.headers.range).toBeUndefined();
    expect(s.seen[1]!.headers.range).toBe('bytes=100000-');
    expect(reporter.warnings).toHaveLength(1);
  });

  test('a registry that ignores Range (200) makes the download start over', async () => {
    const s = await blobServer({ range: false, cutAt: 100_000 });
    const { c, reporter } = client();
    await c.downloadBlob(ref(s), blobDigest, blob.length, tmp('restarted'));
    expect(await readFile(tmp('restarted'))).toEqual(blob);
    expect(s.seen[1]!.headers.range).toBe('bytes=100000-');
    expect(reporter.warnings.some((w) => w.includes('starting over'))).toBe(true);
  });

  test('bytes that do not match the digest fail with DigestMismatchError naming the blob, not retried', async () => {
    const bad = Buffer.from(blob);
    bad[1234]! ^= 1;
    const s = await blobServer({ range: true, bytes: bad });
    const { c } = client();
    const err = await caught(c.downloadBlob(ref(s), blobDigest, blob.length, tmp('bad')));
    expect(err).toBeInstanceOf(DigestMismatchError);
    expect((err as unknown as DigestMismatchError).blob).toBe(blobDigest);
    expect(err.message).toContain(`${s.host}/o/r`);
    expect(err.message).toContain(sha256Digest(bad));
    expect(c.stats.blob).toBe(1);
  });

  test('a blob larger than its descriptor says fails without being retried', async () => {
    const s = await blobServer({ range: true, bytes: Buffer.concat([blob, Buffer.from('extra')]) });
    const { c } = client();
    const err = await caught(c.downloadBlob(ref(s), blobDigest, blob.length, tmp('big')));
    expect(err.code).toBe('DIGEST_MISMATCH');
    expect(err.message).toContain('blob too large');
    expect(c.stats.blob).toBe(1);
  });

  test('a 404 blob is IMAGE_NOT_FOUND naming the blob and the code', async () => {
    const s = await serve((_req, res) => registryError(res, 404, 'BLOB_UNKNOWN', 'blob unknown to registry'));
    const err = await caught(client().c.downloadBlob(ref(s), blobDigest, blob.length, tmp('missing')));
    expect(err.code).toBe('IMAGE_NOT_FOUND');
    expect(err.message).toContain(`blob ${blobDigest} of ${s.host}/o/r`);
    expect(err.message).toContain('BLOB_UNKNOWN');
  });
});

describe('scheme', () => {
  test('HTTPS unless loopback or listed as insecure (with or without its port)', () => {
    const { c } = client({ insecureRegistries: ['myreg.lan:5000', 'other.lan'] });
    expect(c.baseUrl(parseReference('ghcr.io/o/r')).href).toBe('https://ghcr.io/');
    expect(c.baseUrl(parseReference('alpine')).href).toBe('https://registry-1.docker.io/');
    expect(c.baseUrl(parseReference('localhost:5000/o/r')).href).toBe('http://localhost:5000/');
    expect(c.baseUrl(parseReference('[::1]:5000/o/r')).href).toBe('http://[::1]:5000/');
    expect(c.baseUrl(parseReference('myreg.lan:5000/o/r')).href).toBe('http://myreg.lan:5000/');
    expect(c.baseUrl(parseReference('myreg.lan:5001/o/r')).href).toBe('https://myreg.lan:5001/');
    expect(c.baseUrl(parseReference('other.lan:8080/o/r')).href).toBe('http://other.lan:8080/');
  });
});

const basic = (u: string, p: string): string => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/**
 * A token server (realm) and a registry that wants its tokens. The server issues tok-1, tok-2, …; the
 * registry accepts only tokens issued since the last `revoke()`.
 */
async function bearerPair(opts: { user?: string; password?: string; expiresIn?: number; blobRedirect?: string } = {}) {
  let issued = 0;
  let validFrom = 1;
  const token = await serve((req, res, seen) => {
    const ok =
      opts.user === undefined ||
      req.headers.authorization === basic(opts.user, opts.password ?? '') ||
      (req.method === 'POST' && new URLSearchParams(seen.body).get('refresh_token') === opts.password);
    if (!ok) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = `tok-${++issued}`;
    const body = opts.expiresIn === undefined ? { token: t } : { access_token: t, expires_in: opts.expiresIn };
    res.end(JSON.stringify(body));
  });
  const registry = await serve((req, res) => {
    const m = /^Bearer tok-(\d+)$/.exec(req.headers.authorization ?? '');
    if (!m || Number(m[1]) < validFrom) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': `Bearer realm="http://${token.host}/token",service="test-registry",scope="repository:o/r:pull"`,
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (req.url?.includes('/blobs/') && opts.blobRedirect) {
      res.writeHead(307, { location: `${opts.blobRedirect}/storage/blob?X-Signature=s3cr3t` });
      res.end();
      return;
    }
    if (req.url?.includes('/blobs/')) {
      res.writeHead(200);
      res.end(blob);
      return;
    }
    sendManifest(res);
  });
  return { token, registry, revoke: () => (validFrom = issued + 1) };
}

describe('auth', () => {
  test('bearer: the token is fetched once per scope and reused; the realm gets the credentials, service and scope', async () => {
    const { token, registry } = await bearerPair({ user: 'alice', password: 'pw-alice-123' });
    const { c } = client({ credentials: { username: 'alice', password: 'pw-alice-123' } });
    await c.getManifest(ref(registry), 't');
    await c.getManifest(ref(registry), 't');
    await c.downloadBlob(ref(registry), blobDigest, blob.length, tmp('bearer'));
    expect(c.stats).toEqual({ manifest: 3, blob: 1, token: 1 }); // the first is an anonymous 401
    const q = new URL(token.seen[0]!.url, 'http://x').searchParams;
    expect(q.get('service')).toBe('test-registry');
    expect(q.getAll('scope')).toEqual(['repository:o/r:pull']);
    expect(token.seen[0]!.headers.authorization).toBe(basic('alice', 'pw-alice-123'));
    expect(registry.seen.every((s) => s.headers.authorization === undefined || s.headers.authorization === 'Bearer tok-1')).toBe(true);
  });

  test('requests in parallel share one token fetch', async () => {
    const { token, registry } = await bearerPair();
    const { c } = client();
    await c.getManifest(ref(registry), 't'); // learns the challenge
    await Promise.all([1, 2, 3].map((i) => c.downloadBlob(ref(registry), blobDigest, blob.length, tmp(`parallel-${i}`))));
    expect(token.seen).toHaveLength(1);
    await Promise.all([1, 2].map(() => c.getManifest(ref(registry, 'o/other'), 't')));
    expect(token.seen).toHaveLength(2); // another repository is another scope
    expect(new URL(token.seen[1]!.url, 'http://x').searchParams.getAll('scope')[0]).toBe('repository:o/other:pull');
  });

  test('bearer without credentials asks the realm anonymously', async () => {
    const { token, registry } = await bearerPair();
    const { c } = client();
    expect((await c.getManifest(ref(registry), 't')).digest).toBe(sha256Digest(manifest));
    expect(token.seen[0]!.headers.authorization).toBeUndefined();
  });

  test('a token is renewed after it expires', async () => {
    const { token, registry } = await bearerPair({ expiresIn: 0.2 });
    const { c } = client();
    await c.getManifest(ref(registry), 't');
    await c.getManifest(ref(registry), 't');
    expect(token.seen).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 250));
    await c.getManifest(ref(registry), 't');
    expect(token.seen).toHaveLength(2);
    expect(registry.seen.at(-1)!.headers.authorization).toBe('Bearer tok-2');
  });

  test('a token the registry stops accepting (401) is renewed once and the request succeeds', async () => {
    const { token, registry, revoke } = await bearerPair();
    const { c } = client();
    await c.getManifest(ref(registry), 't');
    revoke();
    await c.getManifest(ref(registry), 't');
    expect(token.seen).toHaveLength(2);
    expect(registry.seen.map((s) => s.headers.authorization ?? '-')).toEqual(['-', 'Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  test('an identity token is exchanged with the OAuth2 refresh_token grant', async () => {
    const { token, registry } = await bearerPair({ user: 'bob', password: 'refresh-secret-xyz' });
    const home = join(dir, 'idtoken');
    await mkdir(home);
    await writeFile(
      join(home, 'config.json'),
      JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('bob:').toString('base64'), identitytoken: 'refresh-secret-xyz' } } }),
    );
    const { c } = client({ env: { DOCKER_CONFIG: home } });
    await c.getManifest(ref(registry), 't');
    expect(token.seen[0]!.method).toBe('POST');
    const form = new URLSearchParams(token.seen[0]!.body);
    expect(form.get('grant_type')).toBe('refresh_token');
    expect(form.get('service')).toBe('test-registry');
    expect(form.get('scope')).toBe('repository:o/r:pull');
    expect(token.seen[0]!.headers.authorization).toBeUndefined();
  });

  test('wrong credentials at the token server: one AUTH error, the secret nowhere', async () => {
    const { registry } = await bearerPair({ user: 'alice', password: 'right-password' });
    const secret = 'wrong-password-987';
    const { c, reporter } = client({ credentials: { username: 'alice', password: secret } });
    const err = await caught(c.getManifest(ref(registry), 't'));
    expect(err.code).toBe('AUTH');
    expect(err.message).toContain(`${registry.host}/o/r:t`);
    expect(err.message).toContain('incorrect username or password');
    expect(err.message).toContain('--username/--password-stdin');
    const shown = err.message + reporter.warnings.join('\n');
    expect(shown).not.toContain(secret);
    expect(shown).not.toContain(Buffer.from(`alice:${secret}`).toString('base64'));
    expect(c.stats.token).toBe(1);
  });

  test('Basic auth: credentials answer the challenge and are then sent up front', async () => {
    const s = await serve((req, res) => {
      if (req.headers.authorization !== basic('u', 'basic-pass-1')) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="Registry Realm"' });
        res.end();
      } else sendManifest(res);
    });
    const { c } = client({ credentials: { username: 'u', password: 'basic-pass-1' } });
    await c.getManifest(ref(s), 't');
    await c.getManifest(ref(s), 't');
    expect(s.seen.map((x) => x.headers.authorization ?? '-')).toEqual(['-', basic('u', 'basic-pass-1'), basic('u', 'basic-pass-1')]);
  });

  test('Basic auth with wrong credentials: AUTH with the status, the secret nowhere', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="Registry Realm"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    });
    const secret = 'not-the-password';
    const { c } = client({ credentials: { username: 'u', password: secret } });
    const err = await caught(c.getManifest(ref(s), 't'));
    expect(err.code).toBe('AUTH');
    expect(err.status).toBe(401);
    expect(err.message).toContain('UNAUTHORIZED');
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain(Buffer.from(`u:${secret}`).toString('base64'));
    expect(c.stats.manifest).toBe(2);
  });

  test('Basic auth without credentials says how to give them', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="r"' });
      res.end();
    });
    const err = await caught(client().c.getManifest(ref(s), 't'));
    expect(err.code).toBe('AUTH');
    expect(err.message).toContain(`${s.host}/o/r:t`);
    expect(err.message).toContain('--password-stdin');
  });

  test('a blob redirected (307) to another host is fetched there without the Authorization header', async () => {
    const storage = await serve((_req, res) => {
      res.writeHead(200);
      res.end(blob);
    });
    const { registry } = await bearerPair({ user: 'alice', password: 'pw', blobRedirect: `http://localhost:${storage.host.split(':')[1]}` });
    const { c } = client({ credentials: { username: 'alice', password: 'pw' } });
    await c.downloadBlob(ref(registry), blobDigest, blob.length, tmp('redirected'));
    expect(await readFile(tmp('redirected'))).toEqual(blob);
    expect(storage.seen).toHaveLength(1);
    expect(storage.seen[0]!.url).toBe('/storage/blob?X-Signature=s3cr3t');
    expect(storage.seen[0]!.headers.authorization).toBeUndefined();
    expect(registry.seen.at(-1)!.headers.authorization).toBe('Bearer tok-1');
  });

  test('a 403 is AUTH at once, naming the reference', async () => {
    const s = await serve((_req, res) => registryError(res, 403, 'DENIED', 'requested access to the resource is denied'));
    const { c } = client();
    const err = (await caught(c.getManifest(ref(s), 't'))) as InitramfsError;
    expect(err.code).toBe('AUTH');
    expect(err.message).toContain('DENIED');
    expect(err.message).toContain(`${s.host}/o/r:t`);
    expect(c.stats.manifest).toBe(1);
  });
});
