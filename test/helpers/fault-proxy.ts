// Test helper: a loopback HTTP proxy that a registry client talks to as if it were the registry. Requests
// are forwarded unchanged (Host rewritten to the target, absolute URLs in Location and WWW-Authenticate
// rewritten back to the proxy) and responses streamed back; every request is logged. Programmable faults
// hit the Nth (or next K) matching requests: a connection cut or a stall mid-body, a status (503, 429 with
// Retry-After, ...), a delay, a flipped byte. A redirect mode answers blob GETs with 307 to a second
// loopback server (`startBlobHost`, the object storage behind Docker Hub and ghcr.io), which serves the
// blob and records whether any request reached it with an Authorization header.
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which requests a fault considers. 'blob' = GET of `/v2/NAME/blobs/sha256:…`; 'manifest' = GET/HEAD of `/v2/NAME/manifests/REF`. */
export type FaultMatch = 'blob' | 'manifest' | 'any' | ((req: { method: string; path: string }) => boolean);

export type FaultKind =
  /** Send the headers and `afterBytes` bytes of the body, then destroy the socket. */
  | { kind: 'cut'; afterBytes: number }
  /** Send the headers and `afterBytes` bytes, then nothing more: the connection stays open until the client gives up. */
  | { kind: 'stall'; afterBytes: number }
  /** Answer `status` without asking the registry, with a registry-style JSON error; `retryAfter` sets Retry-After. */
  | { kind: 'status'; status: number; retryAfter?: number | string }
  /** Wait `ms` before forwarding the request (a slow registry). */
  | { kind: 'delay'; ms: number }
  /** Flip (XOR 0xff) the body byte at `offset` (default: the middle of the body) so its digest no longer matches. */
  | { kind: 'corrupt'; offset?: number };

export type FaultSpec = FaultKind & {
  /** Default 'blob'. */
  match?: FaultMatch;
  /** The first matching request the fault applies to, counted from 1 since the fault was added. Default 1. */
  nth?: number;
  /** How many consecutive matching requests from the nth on are hit. Default 1; Infinity for all. */
  times?: number;
};

/** A fault that was added, with its counters. */
export interface Fault {
  readonly spec: FaultSpec;
  /** Matching requests seen since the fault was added (body faults: matching requests answered 2xx). */
  seen: number;
  /** Requests the fault was applied to. */
  applied: number;
}

/** One request the proxy received. */
export interface ProxyRequest {
  method: string;
  /** Path without the query. */
  path: string;
  /** The registry's status (or the fault's); undefined until the response head is sent. */
  status?: number;
  authorization: boolean;
  range?: string;
  /** Kinds of the faults applied to this request. */
  faults: FaultKind['kind'][];
  /** Answered 307 to the blob host instead of with the blob. */
  redirected: boolean;
}

export interface BlobHostRequest {
  method: string;
  path: string;
  status?: number;
  authorization: boolean;
  range?: string;
}

export interface BlobHostHandle {
  /** `127.0.0.1:PORT`. */
  host: string;
  url: string;
  requests: BlobHostRequest[];
  /** Whether any request so far carried an Authorization header. */
  readonly sawAuthorization: boolean;
  /**
   * A one-off URL (like a presigned object-storage URL) that serves `registryPath` (a blob path on the
   * registry). The blob host fetches it from the registry with `authorization`, which never appears in
   * the URL, so a client following the redirect needs no credentials.
   */
  presign(registryPath: string, authorization?: string): string;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** Start in redirect mode (see `setRedirectBlobs`). */
  redirectBlobs?: boolean;
}

export interface ProxyHandle {
  /** `127.0.0.1:PORT`: use it as the registry host. */
  host: string;
  url: string;
  /** The registry behind the proxy. */
  target: string;
  requests: ProxyRequest[];
  /** GET requests of blobs so far (faulted and redirected ones included). */
  readonly blobGets: number;
  /** GET requests of one blob so far. */
  blobGetsOf(digest: string): number;
  /** GET requests of manifests (by tag or digest) so far, faulted ones included. */
  readonly manifestGets: number;
  /** The blob host of redirect mode, once started. */
  readonly blobHost: BlobHostHandle | undefined;
  addFault(spec: FaultSpec): Fault;
  /** Removes every fault (their counters stay readable on the objects addFault returned). */
  clearFaults(): void;
  /** Turns redirect mode on (starting the blob host on first use) or off. */
  setRedirectBlobs(on: boolean): Promise<void>;
  /** Empties `requests` (and the blob host's), so a test phase can count from zero. */
  resetLog(): void;
  /** Closes every connection and server, the blob host's too. */
  stop(): Promise<void>;
}

const BLOB_PATH = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/;
const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
// Hop-by-hop headers belong to one connection; Node sets its own.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);
const BLOB_HOST_HEADERS = new Set(['content-length', 'content-type', 'content-range', 'accept-ranges', 'etag']);
const STATUS_CODES: Record<number, string> = { 429: 'TOOMANYREQUESTS', 500: 'UNKNOWN', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE' };

const isBodyFault = (k: FaultKind['kind']): boolean => k === 'cut' || k === 'stall' || k === 'corrupt';

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (typeof match === 'function') return match({ method, path });
  if (match === 'any') return true;
  if (match === 'blob') return method === 'GET' && BLOB_PATH.test(path);
  return (method === 'GET' || method === 'HEAD') && MANIFEST_PATH.test(path);
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function splitHost(hostPort: string): { hostname: string; port: number } {
  const i = hostPort.lastIndexOf(':');
  return { hostname: hostPort.slice(0, i), port: Number(hostPort.slice(i + 1)) };
}

/** Raw header pairs without hop-by-hop ones, values passed through `rewrite`. Keeps repeated headers apart. */
function forwardHeaders(raw: string[], rewrite: (name: string, value: string) => string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (HOP_BY_HOP.has(name.toLowerCase())) continue;
    out.push(name, rewrite(name.toLowerCase(), raw[i + 1]!));
  }
  return out;
}

/**
 * Starts a blob host that serves presigned URLs by fetching the blob from the registry at `target`
 * (`host:port`). Requests without a known signature get 403, as object storage answers.
 */
export async function startBlobHost(target: string): Promise<BlobHostHandle> {
  const { hostname, port } = splitHost(target);
  const agent = new Agent({ keepAlive: true });
  const signed = new Map<string, { path: string; authorization?: string }>();
  const requests: BlobHostRequest[] = [];
  let base = '';

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://blobhost.invalid');
    const entry: BlobHostRequest = { method: req.method ?? '', path: url.pathname, authorization: req.headers.authorization !== undefined };
    if (req.headers.range !== undefined) entry.range = req.headers.range;
    requests.push(entry);
    const grant = signed.get(url.searchParams.get('X-Signature') ?? '');
    if (grant === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      entry.status = 403;
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<Error><Code>AccessDenied</Code><Message>Request has expired or has no valid signature</Message></Error>');
      return;
    }
    const headers: OutgoingHttpHeaders = {};
    if (grant.authorization !== undefined) headers.authorization = grant.authorization;
    if (req.headers.range !== undefined) headers.range = req.headers.range;
    const up = request({ hostname, port, agent, method: req.method, path: grant.path, headers }, (upRes) => {
      entry.status = upRes.statusCode ?? 502;
      // Object storage answers with its own headers: only the ones that describe the bytes pass.
      const out: string[] = [];
      const raw = upRes.rawHeaders;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        if (BLOB_HOST_HEADERS.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
      }
      res.writeHead(entry.status, out);
      upRes.pipe(res);
      res.on('close', () => upRes.destroy());
    });
    up.on('error', () => {
      if (!res.headersSent) {
        entry.status = 502;
        res.writeHead(502).end();
      } else res.destroy();
    });
    up.end();
  });
  const host = await listen(server);
  base = `http://${host}`;

  return {
    host,
    url: base,
    requests,
    get sawAuthorization() {
      return requests.some((r) => r.authorization);
    },
    presign(registryPath: string, authorization?: string): string {
      const sig = randomBytes(16).toString('hex');
      signed.set(sig, { path: registryPath, ...(authorization !== undefined ? { authorization } : {}) });
      // A path unlike the registry's, as object storage has: the client must not be able to tell them apart by path.
      const digest = BLOB_PATH.exec(registryPath)?.[2] ?? 'blob';
      return `${base}/objects/${digest.replace(':', '/')}?X-Signature=${sig}`;
    },
    stop: async () => {
      await close(server);
      agent.destroy();
    },
  };
}

/** Starts a fault proxy in front of the registry at `target` (`host:port`). */
export async function startFaultProxy(target: string, opts: ProxyOptions = {}): Promise<ProxyHandle> {
  const { hostname, port } = splitHost(target);
  const agent = new Agent({ keepAlive: true });
  const requests: ProxyRequest[] = [];
  let faults: Fault[] = [];
  let blobGetCounts = new Map<string, number>();
  let manifestGetCount = 0;
  let blobHost: BlobHostHandle | undefined;
  let redirect = false;
  let self = '';
  const timers = new Set<NodeJS.Timeout>();

  /** Faults of the given stage whose window includes this request; counts it for every matching fault. */
  const pick = (method: string, path: string, body: boolean): Fault[] =>
    faults.filter((f) => {
      if (isBodyFault(f.spec.kind) !== body || !matches(f.spec.match ?? 'blob', method, path)) return false;
      f.seen++;
      const nth = f.spec.nth ?? 1;
      const hit = f.seen >= nth && f.seen < nth + (f.spec.times ?? 1);
      if (hit) f.applied++;
      return hit;
    });

  const rewrite = (name: string, value: string): string =>
    name === 'location' || name === 'www-authenticate' ? value.split(`http://${target}`).join(`http://${self}`) : value;

  const sendStatus = (res: ServerResponse, entry: ProxyRequest, fault: Extract<FaultKind, { kind: 'status' }>): void => {
    const headers: OutgoingHttpHeaders = { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const code = STATUS_CODES[fault.status] ?? 'UNKNOWN';
    entry.status = fault.status;
    res.writeHead(fault.status, headers);
    res.end(JSON.stringify({ errors: [{ code, message: `injected fault: status ${fault.status}`, detail: null }] }));
  };

  /** Streams the body with the body faults applied. */
  const relay = (upRes: IncomingMessage, res: ServerResponse, bodyFaults: FaultKind[]): void => {
    const length = Number(upRes.headers['content-length'] ?? NaN);
    const flips = bodyFaults.flatMap((f) => (f.kind === 'corrupt' ? [f.offset ?? (Number.isFinite(length) ? Math.floor(length / 2) : 0)] : []));
    const ends = bodyFaults.flatMap((f) => (f.kind === 'cut' || f.kind === 'stall' ? [f] : []));
    const end = ends.reduce<(typeof ends)[number] | undefined>((a, f) => (a === undefined || f.afterBytes < a.afterBytes ? f : a), undefined);
    let pos = 0;
    let done = false;
    const finish = (): void => {
      done = true;
      upRes.destroy();
      if (end?.kind === 'cut') res.socket?.destroy();
      // 'stall': leave the response open; stop() or the client closes it.
    };
    if (end !== undefined && end.afterBytes === 0) {
      res.flushHeaders();
      // Let the head reach the socket before the cut.
      setImmediate(finish);
      return;
    }
    upRes.on('data', (chunk: Buffer) => {
      if (done) return;
      let out = chunk;
      for (const at of flips) {
        if (at >= pos && at < pos + chunk.length) {
          if (out === chunk) out = Buffer.from(chunk);
          out[at - pos] = out[at - pos]! ^ 0xff;
        }
      }
      const limit = end?.afterBytes;
      if (limit !== undefined && pos + out.length >= limit) {
        const last = out.subarray(0, limit - pos);
        pos = limit;
        done = true;
        upRes.pause();
        res.write(last, () => finish());
        return;
      }
      pos += out.length;
      if (!res.write(out)) {
        upRes.pause();
        res.once('drain', () => upRes.resume());
      }
    });
    upRes.on('end', () => {
      if (!done) res.end();
    });
    upRes.on('error', () => res.destroy());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? '';
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const path = url.pathname;
    const entry: ProxyRequest = { method, path, authorization: req.headers.authorization !== undefined, faults: [], redirected: false };
    if (req.headers.range !== undefined) entry.range = req.headers.range;
    requests.push(entry);
    const blob = method === 'GET' ? BLOB_PATH.exec(path)?.[2] : undefined;
    if (blob !== undefined) blobGetCounts.set(blob, (blobGetCounts.get(blob) ?? 0) + 1);
    if (method === 'GET' && MANIFEST_PATH.test(path)) manifestGetCount++;

    const early = pick(method, path, false);
    const delay = early.reduce((ms, f) => ms + (f.spec.kind === 'delay' ? f.spec.ms : 0), 0);
    entry.faults.push(...early.map((f) => f.spec.kind));
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, delay);
        timers.add(t);
      });
      if (res.destroyed) return;
    }
    const status = early.find((f) => f.spec.kind === 'status')?.spec;
    if (status?.kind === 'status') {
      req.resume();
      sendStatus(res, entry, status);
      return;
    }

    const headers: OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    headers.host = target;
    // A client that goes away mid-request must not leave the upstream request (or its upload) hanging.
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    const up = request({ hostname, port, agent, method, path: req.url ?? '/', headers }, (upRes) => {
      const code = upRes.statusCode ?? 502;
      const ok = code >= 200 && code < 300;
      if (redirect && blobHost !== undefined && blob !== undefined && ok) {
        // The registry has the blob and the client may read it: send the client to "object storage" instead.
        upRes.destroy();
        entry.status = 307;
        entry.redirected = true;
        res.writeHead(307, { location: blobHost.presign(req.url ?? path, req.headers.authorization), 'content-length': '0' });
        res.end();
        return;
      }
      const late = ok && method !== 'HEAD' ? pick(method, path, true) : [];
      entry.faults.push(...late.map((f) => f.spec.kind));
      entry.status = code;
      res.writeHead(code, forwardHeaders(upRes.rawHeaders, rewrite));
      res.on('close', () => upRes.destroy());
      if (late.length === 0) upRes.pipe(res);
      else relay(upRes, res, late.map((f) => f.spec));
    });
    up.on('error', (e) => {
      if (!res.headersSent) {
        entry.status = 502;
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${e.message}`);
      } else res.destroy();
    });
    req.pipe(up);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  self = await listen(server);
  if (opts.redirectBlobs) {
    blobHost = await startBlobHost(target);
    redirect = true;
  }

  return {
    host: self,
    url: `http://${self}`,
    target,
    requests,
    get blobGets() {
      return [...blobGetCounts.values()].reduce((a, b) => a + b, 0);
    },
    blobGetsOf: (digest: string) => blobGetCounts.get(digest) ?? 0,
    get manifestGets() {
      return manifestGetCount;
    },
    get blobHost() {
      return blobHost;
    },
    addFault(spec: FaultSpec): Fault {
      const fault: Fault = { spec, seen: 0, applied: 0 };
      faults.push(fault);
      return fault;
    },
    clearFaults: () => {
      faults = [];
    },
    setRedirectBlobs: async (on: boolean) => {
      if (on && blobHost === undefined) blobHost = await startBlobHost(target);
      redirect = on;
    },
    resetLog: () => {
      requests.length = 0;
      blobGetCounts = new Map();
      manifestGetCount = 0;
      if (blobHost) blobHost.requests.length = 0;
    },
    stop: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await close(server);
      agent.destroy();
      await blobHost?.stop();
    },
  };
}
