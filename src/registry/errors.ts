// Registry failures as typed errors: the HTTP status and the registry's own error codes
// (`{"errors":[{"code","message"}]}`) travel with the error, and the message names the reference.
import { InitramfsError, type ErrorCode } from '../errors.ts';

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
  const shown = details.map((d) => {
    const m = d.message.length > MAX_SHOWN ? `${d.message.slice(0, MAX_SHOWN)}…` : d.message;
    return m === '' ? d.code : `${d.code}: ${m}`;
  });
  return `HTTP ${status} (${shown.join('; ')})`;
}
