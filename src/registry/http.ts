// The registry transport: one undici Agent (keep-alive pools, connect and idle timeouts), redirects followed
// by hand so Authorization reaches only the origin it was meant for, the scheme policy (HTTPS unless loopback
// or --insecure-registry), and bounded retries with exponential backoff, full jitter and Retry-After.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { InitramfsError } from '../errors.ts';
import type { Reporter } from '../log.ts';
import { RegistryError } from './errors.ts';
import { hostOnly, isLoopback } from './reference.ts';

export type Response = Dispatcher.ResponseData;

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest Retry-After honoured; a registry asking for more waits this long. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

export interface Timeouts {
  connectMs: number;
  /** Longest wait for response headers, and between two chunks of a body. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 30_000, idleMs: 60_000 };

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A failure that another attempt may cure: a dropped connection, a timeout, 5xx, 429. */
export class TransientError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly registryCodes: string[];
  constructor(
    message: string,
    info: { retryAfterMs?: number | undefined; status?: number; registryCodes?: string[]; cause?: unknown } = {},
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'TransientError';
    this.retryAfterMs = info.retryAfterMs;
    this.status = info.status;
    this.registryCodes = info.registryCodes ?? [];
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

const BUG_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_INVALID_URL']);

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects fail as an AggregateError of one error per address.
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return cause === undefined ? undefined : errorCode(cause);
}

/**
 * A thrown value from undici or a body stream as this module's vocabulary: TransientError for what a retry
 * may cure, NETWORK for what it cannot (unknown host, TLS failure); typed errors pass through.
 */
export function classifyFailure(e: unknown, host: string): unknown {
  if (e instanceof TransientError || e instanceof InitramfsError) return e;
  const code = errorCode(e);
  if (code === undefined) return e; // not a network failure: a bug, let it surface
  const text = `${(e as Error).message || code} (${code}) talking to ${host}`;
  if (TRANSIENT_CODES.has(code)) return new TransientError(text, { cause: e });
  if (code === 'ENOTFOUND') {
    return new RegistryError('NETWORK', `cannot resolve host ${hostOnly(host)} (ENOTFOUND)`, { cause: e });
  }
  if (BUG_CODES.has(code)) return e; // we called undici wrongly: a bug, not the network
  // TLS failures, unknown hosts' other errors: another attempt would fail the same way.
  return new RegistryError('NETWORK', `cannot talk to ${host}: ${text}`, { cause: e });
}

/** Which hosts may be spoken to over plain HTTP: loopback ones, and those the user listed. */
export class SchemePolicy {
  private readonly insecure: ReadonlySet<string>;
  constructor(insecureRegistries: readonly string[] = []) {
    this.insecure = new Set(insecureRegistries.map((h) => h.toLowerCase()));
  }
  /** True when `hostPort` may use http://. A listed host without a port covers every port. */
  plainHttpAllowed(hostPort: string): boolean {
    const h = hostPort.toLowerCase();
    return isLoopback(h) || this.insecure.has(h) || this.insecure.has(hostOnly(h));
  }
}

/** A header's single value (the first, when repeated). */
export function headerValue(headers: Response['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface SendOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Sent only to the origin of the first URL, never to a host a redirect leads to. */
  authorization?: string;
  /** Called once per HTTP request made (redirect hops included), for counting. */
  onRequest?: () => void;
}

/** One keep-alive Agent shared by every request of a client. */
export class Http {
  private readonly agent: Agent;
  private readonly scheme: SchemePolicy;
  constructor(timeouts: Timeouts, scheme: SchemePolicy) {
    this.scheme = scheme;
    this.agent = new Agent({
      connect: { timeout: timeouts.connectMs },
      headersTimeout: timeouts.idleMs,
      bodyTimeout: timeouts.idleMs,
      keepAliveTimeout: 30_000,
    });
  }

  /**
   * Sends a request and follows redirects itself (undici is never asked to), so `authorization` goes to
   * `url`'s origin only. A redirect that would downgrade to plain HTTP on a host not allowed it is refused.
   * Network failures come out classified (TransientError or NETWORK).
   */
  async send(url: URL, opts: SendOptions = {}): Promise<Response> {
    let current = url;
    let method = opts.method ?? 'GET';
    let body = opts.body;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.authorization !== undefined && current.origin === url.origin) headers['authorization'] = opts.authorization;
      if (body === undefined) delete headers['content-type'];
      opts.onRequest?.();
      let res: Response;
      try {
        res = await request(current, { dispatcher: this.agent, method, headers, body });
      } catch (e) {
        throw classifyFailure(e, current.host);
      }
      if (!REDIRECTS.has(res.statusCode)) return res;
      const location = headerValue(res.headers, 'location');
      await res.body.dump().catch(() => {});
      if (location === undefined) {
        throw new RegistryError('REGISTRY', `${current.host} answered HTTP ${res.statusCode} without a Location`, {
          status: res.statusCode,
        });
      }
      if (hop >= MAX_REDIRECTS) {
        throw new RegistryError('REGISTRY', `more than ${MAX_REDIRECTS} redirects starting at ${url.host}`, {
          status: res.statusCode,
        });
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new RegistryError('REGISTRY', `${current.host} redirected to an invalid URL`, { status: res.statusCode });
      }
      // Only the host is named: redirect URLs to object storage carry signatures in their query.
      if (next.protocol !== 'https:' && !(next.protocol === 'http:' && this.scheme.plainHttpAllowed(next.host))) {
        throw new RegistryError(
          'REGISTRY',
          `${current.host} redirected to ${next.protocol}//${next.host}, which is not HTTPS ` +
            `(allow it with --insecure-registry ${next.host})`,
          { status: res.statusCode },
        );
      }
      if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
      }
      current = next;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * Reads a whole body, at most `limit` bytes (a registry must not make us buffer without bound). A body
 * cut short is a TransientError.
 */
export async function readBody(body: Response['body'], limit: number, what: string, host: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of body) {
      n += (chunk as Buffer).length;
      if (n > limit) {
        body.destroy();
        throw new RegistryError('REGISTRY', `${what}: the registry's answer is larger than ${limit} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    throw classifyFailure(e, host);
  }
  return Buffer.concat(chunks);
}

/** Milliseconds to wait from a Retry-After value (delta-seconds or an HTTP date); undefined when absent or bad. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const when = Date.parse(v);
  return Number.isNaN(when) ? undefined : Math.max(0, when - nowMs);
}

/** Full jitter: a uniform delay in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

/**
 * Runs `fn` until it succeeds, fails with something other than a TransientError, or `policy.attempts` are
 * spent; then NETWORK naming `what`, the number of attempts and the last cause. Each retry is reported.
 */
export async function withRetries<T>(
  what: string,
  policy: RetryPolicy,
  reporter: Pick<Reporter, 'warn'> | undefined,
  fn: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (!(e instanceof TransientError)) throw e;
      if (attempt >= policy.attempts) {
        throw new RegistryError('NETWORK', `${what}: failed after ${attempt} attempts; last: ${e.message}`, {
          ...(e.status !== undefined && { status: e.status }),
          registryCodes: e.registryCodes,
          attempts: attempt,
          cause: e,
        });
      }
      const delay =
        e.retryAfterMs !== undefined ? Math.min(e.retryAfterMs, policy.maxRetryAfterMs) : backoffDelay(attempt, policy);
      reporter?.warn(`${what}: ${e.message}; retrying in ${delay} ms (attempt ${attempt + 1} of ${policy.attempts})`);
      await sleep(delay);
    }
  }
}
