// The bounds every registry conversation is held to, so that a registry or a link that stops delivering
// ends the build in bounded time instead of hanging it: how long to wait for an answer or the next byte,
// the slowest transfer worth waiting for, the longest Retry-After worth honouring, and the build's own
// deadline (--timeout). The defaults are chosen for a CI runner on a slow link: a healthy transfer at a
// few KB/s never trips them; a dead one fails in about a minute. Each can be changed through the
// environment (named in the message of the failure it causes), which is also how tests make them short.
import { InitramfsError } from '../errors.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { quote } from '../quote.ts';

export interface NetworkLimits {
  /** Longest wait for a connection, for a complete response head once connected, and for each next byte of a body. */
  idleMs: number;
  /** Bytes per second a body must average over `lowSpeedWindowMs` once it has run that long; 0 turns the check off. */
  lowSpeedBytesPerSecond: number;
  lowSpeedWindowMs: number;
  /** The longest Retry-After a build waits; a registry asking for more fails the build at once. */
  maxRetryWaitMs: number;
}

export const DEFAULT_LIMITS: NetworkLimits = {
  idleMs: 30_000,
  lowSpeedBytesPerSecond: 1024,
  lowSpeedWindowMs: 30_000,
  maxRetryWaitMs: 60_000,
};

/** The environment variable that sets each bound (git's GIT_HTTP_LOW_SPEED_LIMIT/_TIME are the model). */
export const LIMIT_VARIABLES: Record<keyof NetworkLimits, string> = {
  idleMs: 'INITRAMFS_ACTION_IDLE_TIMEOUT',
  lowSpeedBytesPerSecond: 'INITRAMFS_ACTION_LOW_SPEED_LIMIT',
  lowSpeedWindowMs: 'INITRAMFS_ACTION_LOW_SPEED_TIME',
  maxRetryWaitMs: 'INITRAMFS_ACTION_MAX_RETRY_WAIT',
};

/** The build's deadline: a monotonic instant (performance.now() ms) and the timeout it came from. */
export interface Deadline {
  at: number;
  timeoutMs: number;
}

/** A deadline `timeoutMs` from now. */
export const deadlineIn = (timeoutMs: number): Deadline => ({ at: performance.now() + timeoutMs, timeoutMs });

/** `the build's timeout of 10m`, as every deadline message starts. */
export const describeDeadline = (d: Deadline): string => `the build's timeout of ${formatDuration(d.timeoutMs)}`;

/** The bounds the environment sets (unset or empty variables keep the defaults); USAGE naming a bad one. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Partial<NetworkLimits> {
  const out: Partial<NetworkLimits> = {};
  for (const key of Object.keys(LIMIT_VARIABLES) as (keyof NetworkLimits)[]) {
    const name = LIMIT_VARIABLES[key];
    const text = env[name]?.trim();
    if (text === undefined || text === '') continue;
    if (key === 'lowSpeedBytesPerSecond') {
      if (!/^\d{1,12}$/.test(text)) {
        throw new InitramfsError('USAGE', `${name}=${quote(text)}: expected bytes per second, a whole number (0 turns the check off)`);
      }
      out[key] = Number(text);
      continue;
    }
    const ms = parseDuration(text);
    if (ms === undefined) {
      throw new InitramfsError('USAGE', `${name}=${quote(text)}: expected a duration such as 30s, 2m or 500ms (at most 7d)`);
    }
    out[key] = ms;
  }
  return out;
}
