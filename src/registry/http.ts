// The registry transport: one undici Agent (keep-alive pools) whose every request runs under the
// watchdog (idle, low-speed and deadline bounds, see limits.ts), redirects followed by hand so
// Authorization reaches only the origin it was meant for, the scheme policy (HTTPS unless loopback or
// --insecure-registry), and bounded retries with exponential backoff, full jitter and Retry-After. Whatever
// undici throws leaves here as TransientError or NETWORK: a malformed answer is the registry's fault, never
// a crash of this tool.
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { formatDuration } from '../duration.ts';
import { InitramfsError } from '../errors.ts';
import type { Reporter } from '../log.ts';
import { quote, shown } from '../quote.ts';
import { DeadlineError, RegistryError, TransientError, TransportError } from './errors.ts';
import { describeDeadline, LIMIT_VARIABLES, type Deadline, type NetworkLimits } from './limits.ts';
import { hostOnly, isLoopback } from './reference.ts';
import { watchdog } from './watchdog.ts';

export type Response = Dispatcher.ResponseData;

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  /** Attempts that may end in a stall (no answer, no bytes, too slow) before the operation fails. */
  stalledAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, stalledAttempts: 2, baseDelayMs: 200, maxDelayMs: 10_000 };

const MAX_REDIRECTS = 10;
/** undici's default limit on a response head; a registry's is a few hundred bytes. */
const MAX_HEADER_BYTES = 16 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

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

/** `Invalid header value char near '\x01y"\r\n…'`: what llhttp objected to, and where. */
function parserComplaint(e: Error & { data?: unknown }): string {
  const reason = /\(([^)]*)\)\s*$/.exec(e.message)?.[1] ?? e.message;
  return typeof e.data === 'string' && e.data !== '' ? `${reason} near ${quote(e.data, 40)}` : reason;
}

/**
 * A thrown value from undici or a body stream as this module's vocabulary: TransientError for what a retry
 * may cure, NETWORK for what it cannot (unknown host, TLS failure, an answer that is not HTTP); typed
 * errors pass through.
 */
export function classifyFailure(e: unknown, host: string, connectMs?: number): unknown {
  if (e instanceof TransientError || e instanceof InitramfsError) return e;
  // undici's parser errors carry no code (it looks the numeric llhttp error up by name): told by class.
  if (e instanceof undiciErrors.HTTPParserError) {
    return new TransportError(`${host} answered with something that is not HTTP/1.1: ${parserComplaint(e)}`, e);
  }
  const code = errorCode(e);
  if (code === undefined) return e; // not a network failure: a bug, let it surface
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    const within = connectMs === undefined ? '' : ` within ${formatDuration(connectMs)}`;
    return new TransientError(`${host} did not accept a connection${within} (${code}, ${LIMIT_VARIABLES.idleMs})`, {
      stalled: true,
      cause: e,
    });
  }
  const text = `${shown((e as Error).message || code)} (${code}) talking to ${host}`;
  if (TRANSIENT_CODES.has(code)) return new TransientError(text, { cause: e });
  if (code === 'ENOTFOUND') {
    return new TransportError(`cannot resolve host ${hostOnly(host)} (ENOTFOUND)`, e);
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW') {
    return new TransportError(`${host} answered with response headers larger than ${MAX_HEADER_BYTES / 1024} KiB (${code})`, e);
  }
  if (BUG_CODES.has(code)) return e; // we called undici wrongly: a bug, not the network
  // TLS failures, unknown hosts' other errors: another attempt would fail the same way.
  return new TransportError(`cannot talk to ${host}: ${text}`, e);
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

/** One keep-alive Agent shared by every request of a client, every request under the watchdog. */
export class Http {
  private readonly agent: Agent;
  private readonly dispatcher: Dispatcher;
  private readonly scheme: SchemePolicy;
  private readonly deadline: Deadline | undefined;
  private readonly connectMs: number;
  constructor(limits: NetworkLimits, scheme: SchemePolicy, deadline?: Deadline) {
    this.scheme = scheme;
    this.deadline = deadline;
    this.connectMs = limits.idleMs;
    this.agent = new Agent({
      // The watchdog owns the head and body bounds (its messages say what was awaited); only the connect
      // itself, before any request is on the wire, is undici's to time.
      connect: { timeout: this.connectMs },
      headersTimeout: 0,
      bodyTimeout: 0,
      maxHeaderSize: MAX_HEADER_BYTES,
      keepAliveTimeout: 30_000,
    });
    this.dispatcher = this.agent.compose(watchdog(limits, deadline));
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
      if (this.deadline !== undefined && performance.now() >= this.deadline.at) {
        throw new DeadlineError(`${describeDeadline(this.deadline)} ran out before a request to ${current.host}`);
      }
      opts.onRequest?.();
      let res: Response;
      try {
        res = await request(current, { dispatcher: this.dispatcher, method, headers, body });
      } catch (e) {
        throw classifyFailure(e, current.host, this.connectMs);
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

/** What withRetries needs besides the function: the policy, the build's deadline, where warnings go. */
export interface RetryContext {
  policy: RetryPolicy;
  limits: NetworkLimits;
  deadline?: Deadline | undefined;
  reporter?: Pick<Reporter, 'warn'> | undefined;
}

/**
 * Runs `fn` until it succeeds, fails with something other than a TransientError, or the attempts are spent
 * (`policy.attempts`, or `policy.stalledAttempts` of them ending in a stall); then NETWORK naming `what`, the
 * number of attempts and the last cause. A Retry-After longer than a build waits, or a wait that would
 * outlast the deadline, fails at once instead of waiting. Each retry is reported.
 */
export async function withRetries<T>(what: string, ctx: RetryContext, fn: (attempt: number) => Promise<T>): Promise<T> {
  const { policy, limits, deadline } = ctx;
  let stalls = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (e instanceof DeadlineError) throw new DeadlineError(`${what}: ${e.message}`);
      if (e instanceof TransportError) throw new TransportError(`${what}: ${e.message}`, e.cause);
      if (!(e instanceof TransientError)) throw e;
      const info = {
        ...(e.status !== undefined && { status: e.status }),
        registryCodes: e.registryCodes,
        attempts: attempt,
        cause: e,
      };
      if (e.stalled) stalls++;
      if (attempt >= policy.attempts || stalls >= policy.stalledAttempts) {
        throw new RegistryError('NETWORK', `${what}: failed after ${attempt} attempt${attempt === 1 ? '' : 's'}; last: ${e.message}`, info);
      }
      if (e.retryAfterMs !== undefined && e.retryAfterMs > limits.maxRetryWaitMs) {
        throw new RegistryError(
          'NETWORK',
          `${what}: ${e.message}, asking to retry in ${formatDuration(e.retryAfterMs)} (Retry-After); a build waits at most ` +
            `${formatDuration(limits.maxRetryWaitMs)} (${LIMIT_VARIABLES.maxRetryWaitMs}): try again later`,
          info,
        );
      }
      const delay = e.retryAfterMs ?? backoffDelay(attempt, policy);
      const left = deadline === undefined ? Infinity : deadline.at - performance.now();
      if (delay >= left) {
        const wait = e.retryAfterMs !== undefined ? `the ${formatDuration(delay)} it asks to wait (Retry-After)` : 'another attempt';
        throw new DeadlineError(
          `${what}: ${e.message}; ${describeDeadline(deadline!)} leaves ${formatDuration(Math.max(0, left))}, not enough for ${wait}`,
        );
      }
      // A stall costs a whole idle timeout, so stalls have their own, smaller budget: say when the next
      // attempt is the last one, or "attempt 2 of 5" reads as four more waits of 30 s to come.
      const lastIfStalls = stalls > 0 && stalls + 1 >= policy.stalledAttempts;
      ctx.reporter?.warn(
        `${what}: ${e.message}; retrying in ${delay} ms (attempt ${attempt + 1} of ${policy.attempts}` +
          `${lastIfStalls ? ', the last if it stalls too' : ''})`,
      );
      await sleep(delay);
    }
  }
}
