// Digest strings (`sha256:<64 lowercase hex>`): the only form this tool accepts, checked before a digest
// ever becomes part of a file path, so a hostile index.json cannot name a file outside the layout.
import { createHash } from 'node:crypto';
import { InitramfsError } from '../errors.ts';

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** True when `s` is `sha256:` followed by exactly 64 lowercase hex digits. */
export const isDigest = (s: unknown): s is string => typeof s === 'string' && DIGEST.test(s);

/**
 * Returns `value` when it is a valid digest; otherwise throws BAD_IMAGE naming `where` (e.g. "index.json
 * manifests[0]"), because a malformed digest means the image metadata is not what the spec allows.
 */
export function checkDigest(value: unknown, where: string): string {
  if (isDigest(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : String(value);
  throw new InitramfsError('BAD_IMAGE', `${where}: digest ${shown} is not sha256:<64 lowercase hex>`);
}

/** The hex part of a valid digest. */
export const digestHex = (digest: string): string => digest.slice('sha256:'.length);

/** `sha256:<hex>` of some bytes. */
export const sha256Digest = (bytes: Uint8Array): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A digest shortened for messages where the full value is given elsewhere (`sha256:0123456789ab…`). */
export const shortDigest = (digest: string): string =>
  digest.length > 'sha256:'.length + 12 ? `${digest.slice(0, 'sha256:'.length + 12)}…` : digest;
