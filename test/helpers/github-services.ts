// Test helper: GitHub's hosted services on loopback, at the wire, so the real `@actions/cache` (6.3) and
// `@actions/artifact` (6.2) clients and our own release-upload code run unchanged and offline.
//
// One HTTP server answers four protocols, as github.com does across its hosts:
// - the Results service (Twirp, JSON over POST): `CacheService` and `ArtifactService`;
// - Azure Blob Storage, path-style for an IP host (`/devstoreaccount1/<container>/<blob>?<sas>`), which
//   the Results service hands out as signed URLs: whole-blob PUT, block PUT + block-list PUT, GET/HEAD
//   with ranges;
// - the REST API (GITHUB_API_URL) for releases and their assets;
// - the upload host (`uploads.github.com`), reached only through a release's `upload_url`.
//
// Where the clients read their environment (checked in their 6.x code): the cache and artifact clients
// read ACTIONS_* and GITHUB_* at call time, but `@actions/github` (imported by `@actions/artifact`) reads
// GITHUB_API_URL and the run context (GITHUB_REPOSITORY, GITHUB_RUN_ID, …) when the module loads, and the
// artifact client reads ACTIONS_ARTIFACT_MAX_ARTIFACT_COUNT then too. So set `process.env` from `env()`
// first, then `await import('@actions/artifact')` (or anything importing `@actions/github`): a static
// import would freeze the real github.com. The server's port is only known once it runs, hence dynamic.
//
// Behaviour copied from the real services (so tests pin what production will do):
// - CreateCacheEntry for a key+version that exists answers Twirp `already_exists` (HTTP 409); the client
//   logs it and saveCache returns -1. Cache lookups: the primary key matches exactly, then each restore
//   key exactly and then by prefix (newest entry), always with an equal version.
// - CreateArtifact for a name already finalized in the run answers 409; `overwrite` in upload-artifact is
//   the client's deleteArtifact(name) (Twirp ListArtifacts + DeleteArtifact) before uploading again.
// - Blob SAS URLs are checked: an unknown `sig` is 403 AuthenticationFailed, a write with a read-only URL
//   is 403 AuthorizationPermissionMismatch.
// - Releases: a draft is not found by tag (404, as GitHub does); an upload needs `Authorization` (401),
//   a token that may write (403 "Resource not accessible by integration" for READ_ONLY_TOKEN), a
//   `Content-Length`, a `name` not taken by any asset, uploaded or left in state `starter` (422
//   already_exists), and a release that is not published-immutable (422).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A token the REST fake accepts for reads and refuses (403) for writes, as a `contents: read` GITHUB_TOKEN. */
export const READ_ONLY_TOKEN = 'read-only-token';

/**
 * How the cache service fails: `down` answers 503 to every cache route (Twirp and cache blobs) — the
 * client retries a Twirp call 5 times with backoff, about 30 s, before it gives up; `unreachable` drops
 * each cache connection without an answer (ECONNRESET), which the client gives up on at once.
 */
export type CacheFailure = 'down' | 'unreachable';

export interface GitHubServicesOptions {
  /** GITHUB_REPOSITORY's owner; default 'owner'. */
  owner?: string;
  /** GITHUB_REPOSITORY's name; default 'repo'. */
  repo?: string;
  /** Start with the cache service failing (see `failCache`). */
  failCache?: CacheFailure;
}

/** Which of the faked services a request went to. */
export type ServiceKind = 'cache' | 'artifact' | 'blob' | 'rest' | 'upload' | 'download' | 'unknown';

/** One request the server received. */
export interface ServiceRequest {
  kind: ServiceKind;
  method: string;
  /** Path without the query (`/twirp/…/CreateCacheEntry`, `/repos/o/r/releases/tags/v1`). */
  path: string;
  /** The query string with its '?', or ''. */
  search: string;
  /** Whether an Authorization header was present (whatever its value). */
  authorization: boolean;
  /** The HTTP status answered; 0 while pending or when the connection was dropped on purpose. */
  status: number;
}

/** A finalized cache entry. */
export interface CacheEntryState {
  id: number;
  key: string;
  version: string;
  /** The archive exactly as uploaded (a zstd- or gzip-compressed tar). */
  bytes: Buffer;
  createdAt: Date;
}

/** A finalized artifact. */
export interface ArtifactState {
  id: number;
  name: string;
  /** GITHUB_RUN_ID of the `env(runId)` whose token uploaded it. */
  runId: string;
  /** The blob exactly as uploaded (the file itself with skipArchive, else a zip). */
  bytes: Buffer;
  /** `sha256:<hex>` of `bytes`. */
  digest: string;
  /** The `mime_type` CreateArtifact named; '' if none. */
  mimeType: string;
  createdAt: Date;
}

export interface AssetState {
  id: number;
  name: string;
  label: string;
  /** The Content-Type the upload sent. */
  contentType: string;
  /** `starter` is an asset whose upload broke off (a 502): listed, empty, not downloadable. */
  state: 'uploaded' | 'starter';
  bytes: Buffer;
  createdAt: Date;
}

export interface ReleaseState {
  id: number;
  tag: string;
  name: string;
  draft: boolean;
  /** Published immutable releases refuse new assets and asset deletion (422). */
  immutable: boolean;
  /** In creation order. */
  assets: AssetState[];
}

export interface CreateReleaseOptions {
  immutable?: boolean;
  draft?: boolean;
  /** The release's title; default the tag. */
  name?: string;
}

export interface AddAssetOptions {
  contentType?: string;
  label?: string;
  state?: AssetState['state'];
}

export interface GitHubServices {
  /** ACTIONS_RESULTS_URL: `http://127.0.0.1:PORT/` (with the trailing slash the runner gives it). */
  readonly url: string;
  /** GITHUB_API_URL: `http://127.0.0.1:PORT` (no trailing slash, as `https://api.github.com`). */
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  /**
   * Every variable the clients need for one job of run `runId` (default '1'): ACTIONS_CACHE_SERVICE_V2,
   * ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN (an unsigned JWT whose `scp` holds
   * `Actions.Results:<run>:<job>`), GITHUB_SERVER_URL=https://github.com, GITHUB_API_URL,
   * GITHUB_REPOSITORY, GITHUB_RUN_ID and the rest of a runner's GITHUB_* / RUNNER_* context. Not
   * included: GITHUB_WORKSPACE and RUNNER_TEMP (existing directories the caller makes), GITHUB_OUTPUT
   * and friends, and any token for the REST API (pass your own; READ_ONLY_TOKEN to be refused writes).
   */
  env(runId?: string): Record<string, string>;
  /** The cache service's failure mode; set it at any time, `undefined` heals it. */
  failCache: CacheFailure | undefined;
  /** Every request so far, in arrival order. */
  readonly requests: ServiceRequest[];
  /** Finalized cache entries, oldest first. */
  cacheEntries(): CacheEntryState[];
  /** The finalized entry with exactly this key (and version, when given; else the newest). */
  cacheEntry(key: string, version?: string): CacheEntryState | undefined;
  /** Finalized artifacts that were not deleted, oldest first. */
  artifacts(): ArtifactState[];
  /** The artifact named `name` in run `runId` (any run when omitted; the newest). */
  artifact(name: string, runId?: string): ArtifactState | undefined;
  releases(): ReleaseState[];
  release(tag: string): ReleaseState | undefined;
  /** Creates a release for `tag` (published unless `draft`); throws if the tag has one. */
  createRelease(tag: string, opts?: CreateReleaseOptions): ReleaseState;
  /** Puts an asset on the release of `tag` directly, as an earlier run would have left it. */
  addAsset(tag: string, name: string, bytes: Uint8Array, opts?: AddAssetOptions): AssetState;
  /**
   * The next upload named `name` finds that another job has just uploaded an asset of that name
   * (`bytes`, default a short text): the asset appears, and that upload is answered 422 already_exists.
   */
  raceOnNextUpload(name: string, bytes?: Uint8Array): void;
  /**
   * The next upload named `name` breaks off as uploads.github.com's 502s do: the body is read, an empty
   * asset in state `starter` is left behind, and the answer is 502. Until it is deleted, that name is
   * taken (422 already_exists).
   */
  failNextUpload(name: string): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// Wire helpers

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.';
const ACCOUNT = 'devstoreaccount1';
const CACHE_CONTAINER = 'actions-cache';
const ARTIFACT_CONTAINER = 'actions-results';
const AZURE_VERSION = '2025-01-05';
const DOCS = 'https://docs.github.com/rest';

/** Twirp error codes and the HTTP status Twirp maps each to. */
const TWIRP_STATUS = {
  invalid_argument: 400,
  malformed: 400,
  unauthenticated: 401,
  permission_denied: 403,
  bad_route: 404,
  not_found: 404,
  already_exists: 409,
  failed_precondition: 412,
  internal: 500,
  unavailable: 503,
} as const;
type TwirpCode = keyof typeof TWIRP_STATUS;

class TwirpError extends Error {
  readonly code: TwirpCode;
  constructor(code: TwirpCode, msg: string) {
    super(msg);
    this.code = code;
  }
}

/** A REST error answered as GitHub does: `{message, documentation_url, status}` plus extra fields. */
class RestError extends Error {
  readonly status: number;
  readonly extra: Record<string, unknown>;
  constructor(status: number, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** A UUID-shaped id derived from `seed`, so a run's backend ids are the same in every env() call. */
function stableUuid(seed: string): string {
  const h = sha256Hex(Buffer.from(seed));
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The runner's ACTIONS_RUNTIME_TOKEN shape; clients decode it without checking any signature. */
function runtimeToken(runBackendId: string, jobBackendId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    scp: `Actions.GenericRead:${runBackendId} Actions.Results:${runBackendId}:${jobBackendId}`,
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vstoken.actions.githubusercontent.com',
    nbf: now - 60,
    iat: now - 60,
    exp: now + 6 * 3600,
  };
  return `${b64url(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${b64url(JSON.stringify(claims))}.`;
}

/** The run and job backend ids of a Bearer runtime token, or undefined when there is none. */
function tokenIds(authorization: string | undefined): { run: string; job: string } | undefined {
  const m = /^Bearer\s+([^.\s]*)\.([^.\s]*)\.(\S*)$/i.exec(authorization ?? '');
  if (m?.[2] === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(m[2], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const scp = (claims as { scp?: unknown }).scp;
  if (typeof scp !== 'string') return undefined;
  for (const scope of scp.split(' ')) {
    const parts = scope.split(':');
    if (parts[0] === 'Actions.Results' && parts.length === 3 && parts[1] && parts[2]) return { run: parts[1], job: parts[2] };
  }
  return undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** protobuf JSON accepts the proto name or the lowerCamel json name; the clients send proto names. */
function field(body: Record<string, unknown>, protoName: string): unknown {
  if (protoName in body) return body[protoName];
  return body[protoName.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

// ---------------------------------------------------------------------------------------------------
// State

interface Blob {
  container: string;
  /** The SAS signatures issued for this blob, with the permissions each grants. */
  sigs: Map<string, string>;
  committed?: Buffer;
  contentType: string;
  /** Staged, uncommitted blocks by block id. */
  blocks: Map<string, Buffer>;
  etag: string;
  lastModified: Date;
}

interface PendingCache {
  key: string;
  version: string;
  blob: string;
}

interface PendingArtifact {
  name: string;
  runBackendId: string;
  jobBackendId: string;
  blob: string;
  mimeType: string;
}

interface StoredArtifact extends ArtifactState {
  runBackendId: string;
  jobBackendId: string;
  blob: string;
}

/** Starts the fake services on a free loopback port. */
export async function startGitHubServices(opts: GitHubServicesOptions = {}): Promise<GitHubServices> {
  const owner = opts.owner ?? 'owner';
  const repo = opts.repo ?? 'repo';
  let failCache: CacheFailure | undefined = opts.failCache;
  const requests: ServiceRequest[] = [];

  const blobs = new Map<string, Blob>();
  const pendingCache: PendingCache[] = [];
  const cacheEntries: CacheEntryState[] = [];
  const pendingArtifacts: PendingArtifact[] = [];
  const artifacts: StoredArtifact[] = [];
  const releases: ReleaseState[] = [];
  /** Run backend id → GITHUB_RUN_ID, filled by env(). */
  const runIds = new Map<string, string>();
  const racing = new Map<string, Buffer>();
  const breaking = new Set<string>();
  let nextId = 1;
  const newId = (): number => nextId++;

  let base = '';

  // --- blobs -------------------------------------------------------------------------------------

  /** A new blob and a SAS URL for it granting `perms` (Azure letters: r read, c create, w write). */
  const newBlob = (container: string, contentType = 'application/octet-stream'): string => {
    const name = randomBytes(12).toString('hex');
    blobs.set(`${container}/${name}`, {
      container,
      sigs: new Map(),
      contentType,
      blocks: new Map(),
      etag: '',
      lastModified: new Date(),
    });
    return `${container}/${name}`;
  };

  const sasUrl = (blobPath: string, perms: string, extra: Record<string, string> = {}): string => {
    const blob = blobs.get(blobPath);
    if (blob === undefined) throw new Error(`no blob ${blobPath}`);
    const sig = randomBytes(24).toString('base64');
    blob.sigs.set(sig, perms);
    const q = new URLSearchParams({
      sv: AZURE_VERSION,
      sr: 'b',
      sp: perms,
      se: new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      ...extra,
      sig,
    });
    return `${base}/${ACCOUNT}/${blobPath}?${q.toString()}`;
  };

  const azureHeaders = (): Record<string, string> => ({
    'x-ms-request-id': randomUUID(),
    'x-ms-version': AZURE_VERSION,
    date: new Date().toUTCString(),
  });

  const azureError = (res: ServerResponse, status: number, code: string, message: string): number => {
    res.writeHead(status, { ...azureHeaders(), 'x-ms-error-code': code, 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
    return status;
  };

  const commit = (blob: Blob, bytes: Buffer, contentType: string | undefined): void => {
    blob.committed = bytes;
    blob.blocks.clear();
    if (contentType) blob.contentType = contentType;
    blob.etag = `"0x${randomBytes(8).toString('hex').toUpperCase()}"`;
    blob.lastModified = new Date();
  };

  const handleBlob = async (req: IncomingMessage, res: ServerResponse, url: URL, segments: string[]): Promise<number> => {
    const body = await readBody(req);
    const blobPath = segments.slice(1).join('/');
    const blob = blobs.get(blobPath);
    if (blob?.container === CACHE_CONTAINER && failCache === 'down') return azureError(res, 503, 'ServerBusy', 'The server is busy.');
    if (blob === undefined) return azureError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
    const perms = blob.sigs.get(url.searchParams.get('sig') ?? '');
    if (perms === undefined) {
      return azureError(res, 403, 'AuthenticationFailed', 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.');
    }
    const method = req.method ?? '';
    if (method === 'PUT') {
      if (!perms.includes('w') && !perms.includes('c')) {
        return azureError(res, 403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.');
      }
      const comp = url.searchParams.get('comp');
      const contentType = req.headers['x-ms-blob-content-type'];
      const ct = typeof contentType === 'string' ? contentType : undefined;
      if (comp === 'block') {
        const id = url.searchParams.get('blockid');
        if (!id) return azureError(res, 400, 'InvalidQueryParameterValue', 'blockid is missing.');
        blob.blocks.set(id, body);
      } else if (comp === 'blocklist') {
        const parts: Buffer[] = [];
        for (const m of body.toString('utf8').matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
          const id = m[2] ?? '';
          const block = blob.blocks.get(id);
          if (block === undefined) return azureError(res, 400, 'InvalidBlockList', `The specified block list is invalid: no block ${id}.`);
          parts.push(block);
        }
        commit(blob, Buffer.concat(parts), ct);
      } else if (comp === null) {
        if (req.headers['x-ms-blob-type'] !== 'BlockBlob') return azureError(res, 400, 'MissingRequiredHeader', 'x-ms-blob-type is required.');
        commit(blob, body, ct);
      } else {
        return azureError(res, 400, 'InvalidQueryParameterValue', `comp=${comp} is not supported here.`);
      }
      res.writeHead(201, {
        ...azureHeaders(),
        'x-ms-request-server-encrypted': 'true',
        ...(blob.committed !== undefined && comp !== 'block' ? { etag: blob.etag, 'last-modified': blob.lastModified.toUTCString() } : {}),
      });
      res.end();
      return 201;
    }
    if (method === 'GET' || method === 'HEAD') {
      if (!perms.includes('r')) {
        return azureError(res, 403, 'AuthorizationPermissionMismatch', 'This request is not authorized to perform this operation using this permission.');
      }
      const bytes = blob.committed;
      if (bytes === undefined) return azureError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
      const headers: Record<string, string> = {
        ...azureHeaders(),
        etag: blob.etag,
        'last-modified': blob.lastModified.toUTCString(),
        'accept-ranges': 'bytes',
        'x-ms-blob-type': 'BlockBlob',
        // SAS `rsct` / `rscd` override the stored content type and disposition, as Azure does.
        'content-type': url.searchParams.get('rsct') ?? blob.contentType,
      };
      const rscd = url.searchParams.get('rscd');
      if (rscd !== null) headers['content-disposition'] = rscd;
      const rangeHeader = req.headers['x-ms-range'] ?? req.headers.range;
      const range = typeof rangeHeader === 'string' ? /^bytes=(\d+)-(\d*)$/.exec(rangeHeader) : null;
      let status = 200;
      let out = bytes;
      if (range) {
        const start = Number(range[1]);
        const end = range[2] ? Math.min(Number(range[2]), bytes.length - 1) : bytes.length - 1;
        if (start >= bytes.length || end < start) {
          return azureError(res, 416, 'InvalidRange', 'The range specified is invalid for the current size of the resource.');
        }
        status = 206;
        out = bytes.subarray(start, end + 1);
        headers['content-range'] = `bytes ${start}-${end}/${bytes.length}`;
      }
      headers['content-length'] = String(out.length);
      res.writeHead(status, headers);
      res.end(method === 'HEAD' ? undefined : out);
      return status;
    }
    return azureError(res, 405, 'UnsupportedHttpVerb', `${method} is not supported.`);
  };

  // --- Twirp: CacheService --------------------------------------------------------------------------

  const cacheLookup = (key: string, restoreKeys: string[], version: string): CacheEntryState | undefined => {
    const sameVersion = cacheEntries.filter((e) => e.version === version);
    const newest = (list: CacheEntryState[]): CacheEntryState | undefined => list.reduce<CacheEntryState | undefined>((a, e) => (a === undefined || e.id > a.id ? e : a), undefined);
    const exact = newest(sameVersion.filter((e) => e.key === key));
    if (exact) return exact;
    for (const rk of restoreKeys) {
      const hit = newest(sameVersion.filter((e) => e.key === rk)) ?? newest(sameVersion.filter((e) => e.key.startsWith(rk)));
      if (hit) return hit;
    }
    return undefined;
  };

  const cacheService = (method: string, body: Record<string, unknown>): object => {
    const key = str(field(body, 'key'));
    const version = str(field(body, 'version'));
    switch (method) {
      case 'CreateCacheEntry': {
        if (!key || !version) throw new TwirpError('invalid_argument', 'key and version are required');
        if (cacheEntries.some((e) => e.key === key && e.version === version) || pendingCache.some((p) => p.key === key && p.version === version)) {
          throw new TwirpError('already_exists', 'cache entry with the same key, version, and scope already exists');
        }
        const blob = newBlob(CACHE_CONTAINER);
        pendingCache.push({ key, version, blob });
        return { ok: true, signed_upload_url: sasUrl(blob, 'cw') };
      }
      case 'FinalizeCacheEntryUpload': {
        const i = pendingCache.findIndex((p) => p.key === key && p.version === version);
        const pending = pendingCache[i];
        if (pending === undefined) return { ok: false, message: `no cache entry is being created for key ${key}, version ${version}` };
        const bytes = blobs.get(pending.blob)?.committed;
        if (bytes === undefined) return { ok: false, message: `the archive for key ${key} was never uploaded` };
        const size = Number(field(body, 'size_bytes'));
        if (size !== bytes.length) return { ok: false, message: `size_bytes ${size} does not match the ${bytes.length} bytes uploaded` };
        pendingCache.splice(i, 1);
        const entry: CacheEntryState = { id: newId(), key, version, bytes, createdAt: new Date() };
        cacheEntries.push(entry);
        return { ok: true, entry_id: String(entry.id) };
      }
      case 'GetCacheEntryDownloadURL': {
        const restoreKeys = field(body, 'restore_keys');
        const hit = cacheLookup(key, Array.isArray(restoreKeys) ? restoreKeys.map(str) : [], version);
        if (hit === undefined) return { ok: false };
        const blob = newBlob(CACHE_CONTAINER);
        const stored = blobs.get(blob);
        if (stored) commit(stored, hit.bytes, undefined);
        return { ok: true, signed_download_url: sasUrl(blob, 'r'), matched_key: hit.key };
      }
      default:
        throw new TwirpError('bad_route', `no handler for CacheService/${method}`);
    }
  };

  // --- Twirp: ArtifactService -----------------------------------------------------------------------

  const listEntry = (a: StoredArtifact): object => ({
    workflow_run_backend_id: a.runBackendId,
    workflow_job_run_backend_id: a.jobBackendId,
    database_id: String(a.id),
    name: a.name,
    size: String(a.bytes.length),
    created_at: a.createdAt.toISOString(),
    digest: a.digest,
  });

  const artifactService = (method: string, body: Record<string, unknown>, ids: { run: string; job: string }): object => {
    const runBackendId = str(field(body, 'workflow_run_backend_id'));
    const jobBackendId = str(field(body, 'workflow_job_run_backend_id'));
    // The service trusts only the token: a request for another run than the token's is refused.
    if (runBackendId !== ids.run) throw new TwirpError('permission_denied', 'workflow_run_backend_id does not match the token');
    const name = str(field(body, 'name'));
    const inRun = artifacts.filter((a) => a.runBackendId === runBackendId);
    switch (method) {
      case 'CreateArtifact': {
        if (!name) throw new TwirpError('invalid_argument', 'name is required');
        if (inRun.some((a) => a.name === name)) {
          throw new TwirpError('already_exists', `an artifact with this name already exists on the workflow run`);
        }
        const pi = pendingArtifacts.findIndex((p) => p.runBackendId === runBackendId && p.name === name);
        if (pi >= 0) pendingArtifacts.splice(pi, 1);
        const mimeType = str(field(body, 'mime_type'));
        const blob = newBlob(ARTIFACT_CONTAINER, mimeType || 'application/octet-stream');
        pendingArtifacts.push({ name, runBackendId, jobBackendId, blob, mimeType });
        return { ok: true, signed_upload_url: sasUrl(blob, 'cw') };
      }
      case 'FinalizeArtifact': {
        const pi = pendingArtifacts.findIndex((p) => p.runBackendId === runBackendId && p.name === name);
        const pending = pendingArtifacts[pi];
        if (pending === undefined) throw new TwirpError('not_found', `no artifact named ${name} is being created`);
        const bytes = blobs.get(pending.blob)?.committed;
        if (bytes === undefined) throw new TwirpError('failed_precondition', `the content of artifact ${name} was never uploaded`);
        const size = Number(field(body, 'size'));
        if (size !== bytes.length) throw new TwirpError('invalid_argument', `size ${size} does not match the ${bytes.length} bytes uploaded`);
        const digest = `sha256:${sha256Hex(bytes)}`;
        const hash = str(field(body, 'hash'));
        if (hash && hash !== digest) throw new TwirpError('invalid_argument', `hash ${hash} does not match the uploaded content (${digest})`);
        pendingArtifacts.splice(pi, 1);
        const artifact: StoredArtifact = {
          id: newId(),
          name,
          runId: runIds.get(runBackendId) ?? '',
          bytes,
          digest,
          mimeType: pending.mimeType,
          createdAt: new Date(),
          runBackendId,
          jobBackendId: pending.jobBackendId,
          blob: pending.blob,
        };
        artifacts.push(artifact);
        return { ok: true, artifact_id: String(artifact.id) };
      }
      case 'ListArtifacts': {
        const nameFilter = field(body, 'name_filter');
        const idFilter = field(body, 'id_filter');
        const list = inRun.filter(
          (a) => (nameFilter === undefined || a.name === str(nameFilter)) && (idFilter === undefined || String(a.id) === String(idFilter)),
        );
        return { artifacts: list.map(listEntry) };
      }
      case 'GetSignedArtifactURL': {
        const a = inRun.find((x) => x.name === name);
        if (a === undefined) throw new TwirpError('not_found', `artifact ${name} not found`);
        const isZip = a.mimeType === 'application/zip' || a.mimeType === '';
        const fileName = isZip ? `${a.name}.zip` : a.name;
        const disposition = `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
        return { signed_url: sasUrl(a.blob, 'r', { rscd: disposition }) };
      }
      case 'DeleteArtifact': {
        const i = artifacts.findIndex((a) => a.runBackendId === runBackendId && a.name === name);
        const a = artifacts[i];
        if (a === undefined) throw new TwirpError('not_found', `artifact ${name} not found`);
        artifacts.splice(i, 1);
        blobs.delete(a.blob);
        return { ok: true, artifact_id: String(a.id) };
      }
      default:
        throw new TwirpError('bad_route', `no handler for ArtifactService/${method}`);
    }
  };

  const handleTwirp = async (req: IncomingMessage, res: ServerResponse, service: string, method: string): Promise<number> => {
    const raw = await readBody(req);
    const reply = (status: number, body: object): number => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return status;
    };
    try {
      if (req.method !== 'POST') throw new TwirpError('bad_route', 'Twirp methods are POST');
      if (service === 'CacheService' && failCache === 'down') throw new TwirpError('unavailable', 'service unavailable');
      const ids = tokenIds(req.headers.authorization);
      if (ids === undefined) throw new TwirpError('unauthenticated', 'a runtime token with an Actions.Results scope is required');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) throw new TwirpError('bad_route', 'only JSON is served here');
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new TwirpError('malformed', 'the body is not JSON');
      }
      if (typeof body !== 'object' || body === null) throw new TwirpError('malformed', 'the body is not a JSON object');
      const b = body as Record<string, unknown>;
      if (service === 'CacheService') return reply(200, cacheService(method, b));
      if (service === 'ArtifactService') return reply(200, artifactService(method, b, ids));
      throw new TwirpError('bad_route', `no service ${service}`);
    } catch (e) {
      if (e instanceof TwirpError) return reply(TWIRP_STATUS[e.code], { code: e.code, msg: e.message });
      throw e;
    }
  };

  // --- REST: releases -------------------------------------------------------------------------------

  const repoPath = `/repos/${owner}/${repo}`;

  const assetJson = (r: ReleaseState, a: AssetState): object => ({
    url: `${base}${repoPath}/releases/assets/${a.id}`,
    id: a.id,
    node_id: `RA_${Buffer.from(String(a.id)).toString('base64')}`,
    name: a.name,
    label: a.label,
    uploader: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    content_type: a.contentType,
    state: a.state,
    size: a.bytes.length,
    digest: a.state === 'uploaded' ? `sha256:${sha256Hex(a.bytes)}` : null,
    download_count: 0,
    created_at: a.createdAt.toISOString(),
    updated_at: a.createdAt.toISOString(),
    browser_download_url: `${base}/${owner}/${repo}/releases/download/${encodeURIComponent(r.tag)}/${encodeURIComponent(a.name)}`,
  });

  const releaseJson = (r: ReleaseState): object => ({
    url: `${base}${repoPath}/releases/${r.id}`,
    assets_url: `${base}${repoPath}/releases/${r.id}/assets`,
    upload_url: `${base}/uploads${repoPath}/releases/${r.id}/assets{?name,label}`,
    html_url: `https://github.com/${owner}/${repo}/releases/tag/${encodeURIComponent(r.tag)}`,
    id: r.id,
    node_id: `RE_${Buffer.from(String(r.id)).toString('base64')}`,
    tag_name: r.tag,
    target_commitish: 'main',
    name: r.name,
    draft: r.draft,
    prerelease: false,
    immutable: r.immutable,
    assets: r.assets.map((a) => assetJson(r, a)),
  });

  /** GitHub's pagination: `per_page` (default 30, at most 100), `page` from 1, and a Link header. */
  const paginate = <T>(url: URL, items: T[], headers: Record<string, string>): T[] => {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string): string => {
      const u = new URL(url.href);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${base}${u.pathname}${u.search}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (links.length > 0) headers.link = links.join(', ');
    return items.slice((page - 1) * perPage, page * perPage);
  };

  const authorize = (req: IncomingMessage, write: boolean, docs: string): void => {
    const m = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new RestError(401, 'Requires authentication', { documentation_url: docs });
    if (write && m[1] === READ_ONLY_TOKEN) throw new RestError(403, 'Resource not accessible by integration', { documentation_url: docs });
  };

  const releaseById = (id: string | undefined): ReleaseState => {
    const r = releases.find((x) => String(x.id) === id);
    if (r === undefined) throw new RestError(404, 'Not Found');
    return r;
  };

  const findAsset = (id: string | undefined): { release: ReleaseState; asset: AssetState } => {
    for (const release of releases) {
      const asset = release.assets.find((a) => String(a.id) === id);
      if (asset) return { release, asset };
    }
    throw new RestError(404, 'Not Found');
  };

  const newAsset = (name: string, bytes: Buffer, o: AddAssetOptions): AssetState => ({
    id: newId(),
    name,
    label: o.label ?? '',
    contentType: o.contentType ?? 'application/octet-stream',
    state: o.state ?? 'uploaded',
    bytes: o.state === 'starter' ? Buffer.alloc(0) : bytes,
    createdAt: new Date(),
  });

  const alreadyExists = (): RestError =>
    new RestError(422, 'Validation Failed', {
      errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }],
      documentation_url: `${DOCS}/releases/assets#upload-a-release-asset`,
    });

  type Json = { status: number; body?: unknown; headers?: Record<string, string> };

  /** REST on the API host; `segments` are the decoded path segments after `/repos/{owner}/{repo}`. */
  const rest = (req: IncomingMessage, url: URL, segments: string[]): Json => {
    const method = req.method ?? '';
    const [a, b, c] = segments;
    if (a !== 'releases') throw new RestError(404, 'Not Found');
    if (method === 'GET' && b === undefined) {
      authorize(req, false, `${DOCS}/releases/releases#list-releases`);
      const headers: Record<string, string> = {};
      return { status: 200, body: paginate(url, [...releases].reverse(), headers).map(releaseJson), headers };
    }
    if (method === 'GET' && b === 'tags' && segments.length >= 3) {
      authorize(req, false, `${DOCS}/releases/releases#get-a-release-by-tag-name`);
      const tag = segments.slice(2).join('/');
      const r = releases.find((x) => x.tag === tag && !x.draft);
      if (r === undefined) throw new RestError(404, 'Not Found', { documentation_url: `${DOCS}/releases/releases#get-a-release-by-tag-name` });
      return { status: 200, body: releaseJson(r) };
    }
    if (b === 'assets' && c !== undefined && segments.length === 3) {
      const { release, asset } = findAsset(c);
      if (method === 'GET') {
        authorize(req, false, `${DOCS}/releases/assets#get-a-release-asset`);
        if (String(req.headers.accept ?? '').includes('application/octet-stream')) {
          const json = assetJson(release, asset) as { browser_download_url: string };
          return { status: 302, headers: { location: json.browser_download_url } };
        }
        return { status: 200, body: assetJson(release, asset) };
      }
      if (method === 'DELETE') {
        authorize(req, true, `${DOCS}/releases/assets#delete-a-release-asset`);
        if (release.immutable && !release.draft) throw new RestError(422, 'Cannot delete assets from an immutable release.');
        release.assets.splice(release.assets.indexOf(asset), 1);
        return { status: 204 };
      }
    }
    if (method === 'GET' && b !== undefined && /^\d+$/.test(b) && segments.length === 2) {
      authorize(req, false, `${DOCS}/releases/releases#get-a-release`);
      return { status: 200, body: releaseJson(releaseById(b)) };
    }
    if (method === 'GET' && b !== undefined && c === 'assets' && segments.length === 3) {
      authorize(req, false, `${DOCS}/releases/assets#list-release-assets`);
      const r = releaseById(b);
      const headers: Record<string, string> = {};
      return { status: 200, body: paginate(url, r.assets, headers).map((x) => assetJson(r, x)), headers };
    }
    throw new RestError(404, 'Not Found');
  };

  /** POST on the upload host: `/uploads/repos/{owner}/{repo}/releases/{id}/assets?name=&label=`. */
  const upload = (req: IncomingMessage, url: URL, segments: string[], body: Buffer): Json => {
    const docs = `${DOCS}/releases/assets#upload-a-release-asset`;
    if (req.method !== 'POST' || segments[0] !== 'releases' || segments[2] !== 'assets' || segments.length !== 3) throw new RestError(404, 'Not Found');
    authorize(req, true, docs);
    const release = releaseById(segments[1]);
    const name = url.searchParams.get('name');
    if (!name) throw new RestError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }], documentation_url: docs });
    const contentType = req.headers['content-type'];
    if (!contentType) throw new RestError(422, 'Validation Failed', { errors: [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'content_type' }], documentation_url: docs });
    if (req.headers['content-length'] === undefined) throw new RestError(411, 'A Content-Length header is required', { documentation_url: docs });
    if (release.immutable && !release.draft) throw new RestError(422, 'Cannot upload assets to an immutable release.');
    const raced = racing.get(name);
    if (raced !== undefined) {
      racing.delete(name);
      release.assets.push(newAsset(name, raced, { contentType: 'application/octet-stream' }));
    }
    if (release.assets.some((a) => a.name === name)) throw alreadyExists();
    const opts: AddAssetOptions = { contentType, label: url.searchParams.get('label') ?? '' };
    if (breaking.delete(name)) {
      release.assets.push(newAsset(name, body, { ...opts, state: 'starter' }));
      return { status: 502, body: { message: 'Server Error' } };
    }
    const asset = newAsset(name, body, opts);
    release.assets.push(asset);
    return { status: 201, body: assetJson(release, asset) };
  };

  /** The public download a browser_download_url names: `/{owner}/{repo}/releases/download/{tag}/{name}`. */
  const download = (res: ServerResponse, tag: string, name: string): number => {
    const asset = releases.find((r) => r.tag === tag)?.assets.find((a) => a.name === name && a.state === 'uploaded');
    if (asset === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Not Found');
      return 404;
    }
    res.writeHead(200, {
      'content-type': asset.contentType,
      'content-length': String(asset.bytes.length),
      'content-disposition': `attachment; filename=${asset.name}`,
    });
    res.end(asset.bytes);
    return 200;
  };

  const sendJson = (res: ServerResponse, r: Json): number => {
    const headers: Record<string, string> = { 'x-github-request-id': randomUUID(), ...r.headers };
    if (r.body === undefined) {
      res.writeHead(r.status, headers);
      res.end();
    } else {
      res.writeHead(r.status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(r.body));
    }
    return r.status;
  };

  const restError = (e: RestError): Json => ({
    status: e.status,
    body: { message: e.message, documentation_url: DOCS, ...e.extra, status: String(e.status) },
  });

  // --- routing --------------------------------------------------------------------------------------

  const kindOf = (path: string): ServiceKind => {
    if (path.startsWith(`${TWIRP_PREFIX}CacheService/`)) return 'cache';
    if (path.startsWith(`${TWIRP_PREFIX}ArtifactService/`)) return 'artifact';
    if (path.startsWith(`/${ACCOUNT}/`)) return 'blob';
    if (path.startsWith('/uploads/')) return 'upload';
    if (path.startsWith('/repos/')) return 'rest';
    if (/^\/[^/]+\/[^/]+\/releases\/download\//.test(path)) return 'download';
    return 'unknown';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, record: ServiceRequest, url: URL): Promise<number> => {
    const segments = url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
    switch (record.kind) {
      case 'cache':
      case 'artifact': {
        const [service, method] = url.pathname.slice(TWIRP_PREFIX.length).split('/');
        return handleTwirp(req, res, service ?? '', method ?? '');
      }
      case 'blob':
        return handleBlob(req, res, url, segments);
      case 'rest':
      case 'upload': {
        const body = await readBody(req);
        const at = record.kind === 'upload' ? 1 : 0;
        try {
          if (segments[at] !== 'repos' || segments[at + 1] !== owner || segments[at + 2] !== repo) throw new RestError(404, 'Not Found');
          const rest3 = segments.slice(at + 3);
          return sendJson(res, record.kind === 'upload' ? upload(req, url, rest3, body) : rest(req, url, rest3));
        } catch (e) {
          if (e instanceof RestError) return sendJson(res, restError(e));
          throw e;
        }
      }
      case 'download': {
        await readBody(req);
        if (segments[0] !== owner || segments[1] !== repo || req.method !== 'GET') return sendJson(res, restError(new RestError(404, 'Not Found')));
        return download(res, segments[4] ?? '', segments.slice(5).join('/'));
      }
      default:
        await readBody(req);
        return sendJson(res, restError(new RestError(404, 'Not Found')));
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://services.invalid');
    const record: ServiceRequest = {
      kind: kindOf(url.pathname),
      method: req.method ?? '',
      path: url.pathname,
      search: url.search,
      authorization: req.headers.authorization !== undefined,
      status: 0,
    };
    requests.push(record);
    const cacheBlob = record.kind === 'blob' && url.pathname.startsWith(`/${ACCOUNT}/${CACHE_CONTAINER}/`);
    if (failCache === 'unreachable' && (record.kind === 'cache' || cacheBlob)) {
      // Drop the connection only once the request is read: the client then always sees ECONNRESET
      // (which it does not retry), never an EPIPE from a half-written body (which it would).
      req.resume();
      req.once('end', () => req.socket.destroy());
      return;
    }
    handle(req, res, record, url).then(
      (status) => {
        record.status = status;
      },
      (e: unknown) => {
        record.status = 500;
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: `fake GitHub services: ${String(e)}` }));
        } else res.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const findRelease = (tag: string): ReleaseState => {
    const r = releases.find((x) => x.tag === tag);
    if (r === undefined) throw new Error(`no release for tag ${tag}`);
    return r;
  };

  const services: GitHubServices = {
    url: `${base}/`,
    apiUrl: base,
    owner,
    repo,
    env: (runId = '1') => {
      const runBackendId = stableUuid(`run:${runId}`);
      const jobBackendId = stableUuid(`job:${runId}`);
      runIds.set(runBackendId, runId);
      return {
        ACTIONS_CACHE_SERVICE_V2: 'true',
        ACTIONS_RESULTS_URL: `${base}/`,
        ACTIONS_RUNTIME_TOKEN: runtimeToken(runBackendId, jobBackendId),
        GITHUB_ACTIONS: 'true',
        CI: 'true',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: base,
        GITHUB_REPOSITORY: `${owner}/${repo}`,
        GITHUB_REPOSITORY_OWNER: owner,
        GITHUB_RUN_ID: runId,
        GITHUB_RUN_NUMBER: runId,
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_JOB: 'build',
        GITHUB_WORKFLOW: 'test',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_SHA: sha256Hex(Buffer.from(`sha:${runId}`)).slice(0, 40),
        GITHUB_ACTOR: 'octocat',
        RUNNER_OS: 'Linux',
        RUNNER_ARCH: 'X64',
      };
    },
    get failCache() {
      return failCache;
    },
    set failCache(mode: CacheFailure | undefined) {
      failCache = mode;
    },
    requests,
    cacheEntries: () => [...cacheEntries],
    cacheEntry: (key, version) =>
      cacheEntries.filter((e) => e.key === key && (version === undefined || e.version === version)).at(-1),
    artifacts: () => [...artifacts],
    artifact: (name, runId) => artifacts.filter((a) => a.name === name && (runId === undefined || a.runId === runId)).at(-1),
    releases: () => [...releases],
    release: (tag) => releases.find((r) => r.tag === tag),
    createRelease: (tag, o = {}) => {
      if (releases.some((r) => r.tag === tag)) throw new Error(`tag ${tag} already has a release`);
      const r: ReleaseState = { id: newId(), tag, name: o.name ?? tag, draft: o.draft ?? false, immutable: o.immutable ?? false, assets: [] };
      releases.push(r);
      return r;
    },
    addAsset: (tag, name, bytes, o = {}) => {
      const r = findRelease(tag);
      if (r.assets.some((a) => a.name === name)) throw new Error(`release ${tag} already has an asset ${name}`);
      const asset = newAsset(name, Buffer.from(bytes), o);
      r.assets.push(asset);
      return asset;
    },
    raceOnNextUpload: (name, bytes = Buffer.from(`${name} uploaded by another job\n`)) => {
      racing.set(name, Buffer.from(bytes));
    },
    failNextUpload: (name) => {
      breaking.add(name);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return services;
}
