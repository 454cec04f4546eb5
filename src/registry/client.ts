// The registry protocol client (OCI distribution spec, pull side): manifests by tag or digest, and blobs
// streamed to a file while hashing, resumed with Range after a cut, verified at the end. Auth, retries and
// redirects are handled here and below; typed errors name the reference and what the registry said.
import { open, type FileHandle } from 'node:fs/promises';
import type { Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { DigestMismatchError, InitramfsError } from '../errors.ts';
import { checkDigest, isDigest, sha256Digest } from '../image/digest.ts';
import { documentTooLarge, MAX_DOCUMENT } from '../image/document-limit.ts';
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  OCI_INDEX,
  OCI_MANIFEST,
  SCHEMA1_TYPES,
} from '../image/media-types.ts';
import { schema1Error, schema1Type } from '../image/schema1.ts';
import { verifyBytes, verifyStream } from '../image/verify.ts';
import type { Reporter } from '../log.ts';
import { Authenticator, pullScope, scrubError } from './auth.ts';
import { describeAnswer, parseRegistryErrors, RegistryError, TransientError } from './errors.ts';
import {
  classifyFailure,
  DEFAULT_RETRY,
  headerValue,
  Http,
  parseRetryAfter,
  readBody,
  SchemePolicy,
  withRetries,
  type Response,
  type RetryContext,
} from './http.ts';
import { DEFAULT_LIMITS, limitsFromEnv, type Deadline, type NetworkLimits } from './limits.ts';
import { apiHost, type Reference } from './reference.ts';
import type { FallbackCredentials } from './credentials.ts';

export interface RegistryClientOptions {
  /** From --username/--password-stdin; wins over docker config. */
  credentials?: { username: string; password: string };
  /** Credentials for one registry, used when neither `credentials` nor docker config name it. */
  fallbackCredentials?: FallbackCredentials;
  /** Environment for DOCKER_CONFIG / HOME / PATH (credential helpers) lookups (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Hosts (host[:port]) allowed over plain HTTP besides loopback ones. */
  insecureRegistries?: string[];
  reporter?: Reporter;
  /** Retry policy (default 5 attempts of which 2 may stall, 200 ms base, 10 s max delay). */
  retry?: { attempts?: number; stalledAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Network bounds; default DEFAULT_LIMITS, then what `env` sets (limits.ts), then these. */
  limits?: Partial<NetworkLimits>;
  /** The build's deadline (--timeout): no request runs and no retry waits past it. */
  deadline?: Deadline;
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  /** sha256 of `bytes`. */
  digest: string;
}

export interface RegistryStats {
  manifest: number;
  blob: number;
  token: number;
}

/** What a manifest request accepts: OCI and Docker v2, single-platform and multi-platform. */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(', ');
/** The distribution spec's limit (document-limit.ts); a bigger "manifest" is not one. */
const MANIFEST_LIMIT = MAX_DOCUMENT;
const ERROR_BODY_LIMIT = 64 * 1024;
/** Bytes gathered before one write to the blob file. */
const WRITE_BATCH = 1024 * 1024;
const NOT_FOUND_CODES: ReadonlySet<string> = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN', 'BLOB_UNKNOWN']);
const TAG = /^[\w][\w.-]{0,127}$/;

/** A pull-only client for OCI / Docker registries. One per build: it pools connections and caches tokens. */
export class RegistryClient {
  /** Number of HTTP requests made, per kind (retries and redirect hops included), for tests and the bench. */
  readonly stats: RegistryStats = { manifest: 0, blob: 0, token: 0 };
  private readonly http: Http;
  private readonly scheme: SchemePolicy;
  private readonly auth: Authenticator;
  private readonly retry: RetryContext;
  private readonly reporter: Reporter | undefined;

  constructor(opts: RegistryClientOptions = {}) {
    this.scheme = new SchemePolicy(opts.insecureRegistries);
    const limits = { ...DEFAULT_LIMITS, ...limitsFromEnv(opts.env ?? process.env), ...opts.limits };
    this.http = new Http(limits, this.scheme, opts.deadline);
    this.reporter = opts.reporter;
    this.retry = { policy: { ...DEFAULT_RETRY, ...opts.retry }, limits, deadline: opts.deadline, reporter: this.warner() };
    const reporter = opts.reporter;
    this.auth = new Authenticator({
      http: this.http,
      scheme: this.scheme,
      lookup: {
        ...(opts.credentials && { credentials: opts.credentials }),
        ...(opts.env && { env: opts.env }),
        ...(opts.fallbackCredentials && { fallback: opts.fallbackCredentials }),
        ...(reporter && { warn: (m: string) => reporter.warn(m) }),
      },
      onTokenRequest: () => this.stats.token++,
    });
  }

  /** The registry's API base URL: HTTPS, or HTTP for loopback and --insecure-registry hosts. */
  baseUrl(ref: Reference): URL {
    const host = apiHost(ref.registry);
    const plain = this.scheme.plainHttpAllowed(ref.registry) || this.scheme.plainHttpAllowed(host);
    return new URL(`${plain ? 'http' : 'https'}://${host}`);
  }

  /**
   * GET /v2/<repo>/manifests/<tagOrDigest>, accepting OCI and Docker v2 manifests and indexes. By digest,
   * the bytes are verified against it; by tag, against Docker-Content-Digest when the registry sends one.
   * Schema 1 → UNSUPPORTED; unknown repository or tag → IMAGE_NOT_FOUND with the registry's codes.
   */
  async getManifest(ref: Reference, tagOrDigest: string): Promise<FetchedManifest> {
    const byDigest = tagOrDigest.includes(':');
    if (byDigest) checkDigest(tagOrDigest, `manifest digest for ${ref.registry}/${ref.repository}`);
    else if (!TAG.test(tagOrDigest)) {
      throw new InitramfsError('USAGE', `tag ${JSON.stringify(tagOrDigest)} of ${ref.registry}/${ref.repository} is invalid`);
    }
    const name = `${ref.registry}/${ref.repository}${byDigest ? '@' : ':'}${tagOrDigest}`;
    const what = `manifest ${name}`;
    try {
      const { bytes, contentType, headerDigest } = await withRetries(what, this.retry, async () => {
        const url = new URL(`/v2/${ref.repository}/manifests/${tagOrDigest}`, this.baseUrl(ref));
        const res = await this.get(ref, url, { accept: MANIFEST_ACCEPT }, 'manifest', what);
        if (res.statusCode !== 200) throw await this.statusError(res, url.host, what, `image ${name}`, ref);
        const length = Number(headerValue(res.headers, 'content-length') ?? Number.NaN);
        if (length > MANIFEST_LIMIT) {
          res.body.destroy();
          throw documentTooLarge(what, length);
        }
        return {
          bytes: await readBody(res.body, MANIFEST_LIMIT, what, url.host),
          contentType: (headerValue(res.headers, 'content-type') ?? '').split(';')[0]!.trim(),
          headerDigest: headerValue(res.headers, 'docker-content-digest'),
        };
      });
      const mediaType = manifestMediaType(bytes, contentType);
      if (SCHEMA1_TYPES.has(mediaType)) throw schema1Error(name, 'the manifest', mediaType);
      const digest = sha256Digest(bytes);
      if (byDigest) {
        try {
          verifyBytes(bytes, tagOrDigest, bytes.length, 'manifest');
        } catch (e) {
          const m = e as DigestMismatchError;
          throw new DigestMismatchError(m.blob, `${ref.registry}/${ref.repository}: ${m.message}`);
        }
      } else if (isDigest(headerDigest) && headerDigest !== digest) {
        throw new DigestMismatchError(
          headerDigest,
          `manifest ${name}: the registry said its digest is ${headerDigest} (Docker-Content-Digest), the bytes have ${digest}`,
        );
      }
      return { bytes, mediaType, digest };
    } catch (e) {
      throw scrubError(e, this.auth);
    }
  }

  /**
   * Downloads blob `digest` (`size` bytes) of ref's repository into `tmpPath` (created or truncated), hashing
   * while writing. A body cut short resumes with `Range: bytes=N-` (206 with the matching Content-Range goes
   * on; 200 starts over). Size and digest are verified at the end: DigestMismatchError, not retried, and the
   * caller deletes the file. Redirects are followed without Authorization to other hosts.
   */
  async downloadBlob(
    ref: Reference,
    digest: string,
    size: number,
    tmpPath: string,
    onProgress?: (n: number) => void,
  ): Promise<void> {
    checkDigest(digest, `blob of ${ref.registry}/${ref.repository}`);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new InitramfsError(
        'BAD_IMAGE',
        `blob ${digest} of ${ref.registry}/${ref.repository}: size ${size} is not a byte count`,
      );
    }
    const what = `blob ${digest} of ${ref.registry}/${ref.repository}`;
    const file = await open(tmpPath, 'w').catch((e: unknown) => {
      throw new InitramfsError('IO', `cannot create ${tmpPath}: ${(e as Error).message}`);
    });
    const sink = new BlobSink(file, tmpPath, digest, size, onProgress);
    try {
      await withRetries(what, this.retry, async () => {
        // Everything arrived but the connection broke at the very end: nothing left to ask for.
        if (sink.written === size && sink.written > 0) return;
        const url = new URL(`/v2/${ref.repository}/blobs/${digest}`, this.baseUrl(ref));
        const headers: Record<string, string> = {};
        if (sink.written > 0) headers['range'] = `bytes=${sink.written}-`;
        const res = await this.get(ref, url, headers, 'blob', what);
        if (res.statusCode === 206 && sink.written > 0) {
          const range = parseContentRange(headerValue(res.headers, 'content-range'));
          if (!range || range.start !== sink.written || (range.total !== undefined && range.total !== size)) {
            await res.body.dump().catch(() => {});
            await sink.restart();
            throw new TransientError(`${url.host} answered a Range request with a different range; starting over`);
          }
        } else if (res.statusCode === 200) {
          if (sink.written > 0) {
            this.reporter?.warn(`${what}: the registry does not resume downloads; starting over`);
            await sink.restart();
          }
        } else if (res.statusCode === 416) {
          await res.body.dump().catch(() => {});
          await sink.restart();
          throw new TransientError(`${url.host} refused the Range request (HTTP 416); starting over`);
        } else {
          throw await this.statusError(res, url.host, what, what, ref);
        }
        await sink.consume(res.body, url.host);
        if (sink.written < size) {
          throw new TransientError(`${url.host} ended the body after ${sink.written} of ${size} bytes`);
        }
      });
      await sink.finish();
    } catch (e) {
      if (e instanceof DigestMismatchError) {
        throw scrubError(new DigestMismatchError(e.blob, `${ref.registry}/${ref.repository}: ${e.message}`), this.auth);
      }
      throw scrubError(e, this.auth);
    } finally {
      sink.abandon();
      await file.close().catch(() => {});
    }
  }

  /** Closes the connection pools. */
  async close(): Promise<void> {
    await this.http.close();
  }

  private warner(): Pick<Reporter, 'warn'> | undefined {
    const reporter = this.reporter;
    return reporter && { warn: (m: string) => reporter.warn(this.auth.scrub(m)) };
  }

  /** A GET with auth: the known challenge answered up front; one more try after a 401 with a fresh answer. */
  private async get(
    ref: Reference,
    url: URL,
    headers: Record<string, string>,
    kind: 'manifest' | 'blob',
    what: string,
  ): Promise<Response> {
    const scope = pullScope(ref.repository);
    // Auth failures (no credentials for Basic, a token server's refusal) are told with the request they stopped.
    // A new error each time: a failed token fetch is shared by every request that waited for it.
    const named = (e: unknown): unknown =>
      e instanceof RegistryError
        ? new RegistryError(e.code, `${what}: ${e.message}`, {
            ...(e.status !== undefined && { status: e.status }),
            registryCodes: e.registryCodes,
            attempts: e.attempts,
            cause: e,
          })
        : e;
    let authorization = await this.auth.authorization(ref.registry, scope).catch((e: unknown) => {
      throw named(e);
    });
    for (let tries = 0; ; tries++) {
      const res = await this.http.send(url, {
        headers,
        ...(authorization !== undefined && { authorization }),
        onRequest: () => this.stats[kind]++,
      });
      if (res.statusCode !== 401 || tries >= 1) return res;
      await res.body.dump().catch(() => {});
      authorization = await this.auth
        .answer(ref.registry, scope, res.headers['www-authenticate'], authorization)
        .catch((e: unknown) => {
          throw named(e);
        });
    }
  }

  /** The error for a non-success answer: TransientError for 408/429/5xx, a typed error otherwise. */
  private async statusError(res: Response, host: string, what: string, missing: string, ref: Reference): Promise<Error> {
    const status = res.statusCode;
    let text = '';
    try {
      text = (await readBody(res.body, ERROR_BODY_LIMIT, what, host)).toString('utf8');
    } catch {
      // An error body that is cut or huge does not change what the status says.
      res.body.destroy();
    }
    const details = parseRegistryErrors(text);
    const codes = details.map((d) => d.code);
    const answer = describeAnswer(status, details);
    const info = { status, registryCodes: codes };
    if (status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505)) {
      const retryAfterMs = parseRetryAfter(headerValue(res.headers, 'retry-after'), Date.now());
      return new TransientError(`${host} answered ${answer}`, { retryAfterMs, ...info });
    }
    if (status === 404 || codes.some((c) => NOT_FOUND_CODES.has(c))) {
      return new RegistryError('IMAGE_NOT_FOUND', `${missing} not found: ${ref.registry} answered ${answer}`, info);
    }
    if (status === 401 || status === 403) {
      const creds = await this.auth.credentialsFor(ref.registry).catch(() => undefined);
      const hint =
        status === 403
          ? 'access denied'
          : creds
            ? `the credentials from ${creds.source} were refused`
            : 'anonymous access was refused; the repository may not exist or may need credentials ' +
              '(--username with --password-stdin, or docker login)';
      return new RegistryError('AUTH', `${what}: ${hint}: ${ref.registry} answered ${answer}`, info);
    }
    return new RegistryError('REGISTRY', `${what}: ${ref.registry} answered ${answer}`, info);
  }
}

/**
 * The media type of a manifest: its own `mediaType` field when it has one (part of the digested bytes),
 * else the Content-Type; a `schemaVersion: 1` document is schema 1 whatever the header says.
 */
function manifestMediaType(bytes: Buffer, contentType: string): string {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return contentType;
  }
  if (typeof json !== 'object' || json === null) return contentType;
  const { mediaType, schemaVersion } = json as { mediaType?: unknown; schemaVersion?: unknown };
  if (schemaVersion === 1) return schema1Type(contentType, { schemaVersion })!;
  return typeof mediaType === 'string' && mediaType !== '' ? mediaType : contentType;
}

/** `bytes START-END/TOTAL` (TOTAL may be `*`). */
export function parseContentRange(value: string | undefined): { start: number; end: number; total?: number } | undefined {
  const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const range = { start: Number(m[1]), end: Number(m[2]) };
  return m[3] === '*' ? range : { ...range, total: Number(m[3]) };
}

/**
 * The blob file being written: bytes go to disk in batches and into verify.ts's stream check in the same
 * order, so the hash always covers exactly the file's first `written` bytes — what a Range request resumes.
 */
class BlobSink {
  written = 0;
  private verify: Transform;
  private readonly file: FileHandle;
  private readonly path: string;
  private readonly digest: string;
  private readonly size: number;
  private readonly onProgress: ((n: number) => void) | undefined;

  constructor(file: FileHandle, path: string, digest: string, size: number, onProgress?: (n: number) => void) {
    this.file = file;
    this.path = path;
    this.digest = digest;
    this.size = size;
    this.onProgress = onProgress;
    this.verify = this.freshVerify();
  }

  private freshVerify(): Transform {
    const v = verifyStream(this.digest, this.size, 'blob');
    v.on('error', () => {}); // read through finished() in finish()
    v.resume(); // the bytes are already on disk; only the check matters
    return v;
  }

  /** Streams a response body to the file; a cut body is a TransientError after what arrived is kept. */
  async consume(body: AsyncIterable<unknown> & { destroy(): unknown }, host: string): Promise<void> {
    let batch: Buffer[] = [];
    let batched = 0;
    const flush = async (): Promise<void> => {
      if (batched === 0) return;
      const chunks = batch;
      batch = [];
      batched = 0;
      try {
        await this.file.writev(chunks, this.written);
      } catch (e) {
        throw new InitramfsError('IO', `cannot write ${this.path}: ${(e as Error).message}`);
      }
      for (const c of chunks) {
        this.verify.write(c);
        this.written += c.length;
      }
      this.onProgress?.(this.written);
    };
    try {
      for await (const chunk of body) {
        const c = chunk as Buffer;
        batch.push(c);
        batched += c.length;
        if (this.written + batched > this.size) {
          // Too large: let the stream check say so (it stops before the excess).
          await flush();
          break;
        }
        if (batched >= WRITE_BATCH) await flush();
      }
    } catch (e) {
      await flush();
      throw classifyFailure(e, host);
    }
    await flush();
    if (this.written > this.size) await this.finish(); // throws the check's DigestMismatchError
  }

  /** Throws away what was written: the server sent the whole blob again. */
  async restart(): Promise<void> {
    await this.file.truncate(0);
    this.written = 0;
    this.verify.destroy();
    this.verify = this.freshVerify();
  }

  /** The size and digest check over everything written. */
  async finish(): Promise<void> {
    if (!this.verify.destroyed) this.verify.end();
    await finished(this.verify);
  }

  abandon(): void {
    if (!this.verify.destroyed) this.verify.destroy();
  }
}
