// Registry failures as typed errors: the HTTP status and the registry's own error codes
// (`{"errors":[{"code","message"}]}`) travel with the error, and the message names the reference. What the
// registry wrote is shown only when printable, else quoted: its text must not split the one error line.
import { InitramfsError, type ErrorCode } from '../errors.ts';
import { shown } from '../quote.ts';

export interface RegistryErrorDetail {
  code: string;
  message: string;
}

/** An InitramfsError raised from a registry answer (or the lack of one). */
export class RegistryError extends InitramfsError {
  /** The HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  /** The registry's error codes, e.g. ['MANIFEST_UNKNOWN']. */
  readonly registryCodes: string[];
  /** How many attempts were made (1 for a permanent failure). */
  readonly attempts: number;
  constructor(
    code: ErrorCode,
    message: string,
    info: { status?: number; registryCodes?: string[]; attempts?: number; cause?: unknown } = {},
  ) {
    super(code, message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'RegistryError';
    this.status = info.status;
    this.registryCodes = info.registryCodes ?? [];
    this.attempts = info.attempts ?? 1;
  }
}

/** A failure that another attempt may cure: a dropped connection, a stall, 5xx, 429. Never leaves the client. */
export class TransientError extends Error {
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly registryCodes: string[];
  /** The peer stopped delivering (no answer, no bytes, too slow): retried fewer times than a cut. */
  readonly stalled: boolean;
  constructor(
    message: string,
    info: { retryAfterMs?: number | undefined; status?: number; registryCodes?: string[]; stalled?: boolean; cause?: unknown } = {},
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.name = 'TransientError';
    this.retryAfterMs = info.retryAfterMs;
    this.status = info.status;
    this.registryCodes = info.registryCodes ?? [];
    this.stalled = info.stalled ?? false;
  }
}

/**
 * A failure of the connection or the protocol that another attempt would not cure (an unknown host, TLS, an
 * answer that is not HTTP). Raised where the request is made; the retry loop names the operation it stopped.
 */
export class TransportError extends RegistryError {
  constructor(message: string, cause?: unknown) {
    super('NETWORK', message, cause === undefined ? {} : { cause });
    this.name = 'TransportError';
  }
}

/** The build's deadline (--timeout) passed while a request was under way or before the next one. */
export class DeadlineError extends TransportError {
  constructor(message: string) {
    super(message);
    this.name = 'DeadlineError';
  }
}

const MAX_SHOWN = 200;

/**
 * The `errors` array of a registry's JSON error body; empty when the body is something else (an HTML
 * page from a proxy, nothing at all). Token servers' `{"details": …}` / `{"error": …}` are read too.
 */
export function parseRegistryErrors(body: string): RegistryErrorDetail[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return [];
  }
  if (typeof json !== 'object' || json === null) return [];
  const o = json as { errors?: unknown; details?: unknown; error?: unknown; error_description?: unknown };
  if (Array.isArray(o.errors)) {
    return o.errors.flatMap((e: unknown) => {
      if (typeof e !== 'object' || e === null) return [];
      const { code, message } = e as { code?: unknown; message?: unknown };
      return [{ code: typeof code === 'string' ? code : 'UNKNOWN', message: typeof message === 'string' ? message : '' }];
    });
  }
  const text = [o.error, o.error_description, o.details].filter((v) => typeof v === 'string').join(': ');
  return text === '' ? [] : [{ code: typeof o.error === 'string' ? o.error : 'UNKNOWN', message: text }];
}

/** `HTTP 404 (MANIFEST_UNKNOWN: manifest unknown; …)`, each message shortened. */
export function describeAnswer(status: number, details: RegistryErrorDetail[]): string {
  if (details.length === 0) return `HTTP ${status}`;
  const parts = details.map((d) => {
    const m = d.message.length > MAX_SHOWN ? `${d.message.slice(0, MAX_SHOWN)}…` : d.message;
    const code = shown(d.code, 64);
    return m === '' ? code : `${code}: ${shown(m, MAX_SHOWN + 1)}`;
  });
  return `HTTP ${status} (${parts.join('; ')})`;
}
