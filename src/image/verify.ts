// Verification of a blob as its bytes stream past: a Transform that counts and hashes, failing with
// DigestMismatchError as soon as more bytes than promised arrive, or at the end when size or digest differ.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DigestMismatchError } from '../errors.ts';
import { sha256Digest } from './digest.ts';

const prefix = (what: string, digest: string): string => `${what} ${digest}: expected`;

/**
 * A pass-through that checks the bytes against `digest` (sha256) and `size`. `what` names the blob kind for
 * the message ("layer", "config"). Bytes beyond `size` are never passed on.
 */
export function verifyStream(digest: string, size: number, what: string): Transform {
  const hash = createHash('sha256');
  let count = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      count += chunk.length;
      if (count > size) {
        // Fail before passing anything beyond the promised size: an oversized blob is not to be trusted and
        // could be endless.
        callback(
          new DigestMismatchError(digest, `${prefix(what, digest)} ${size} bytes, got more (blob too large)`),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (count < size) {
        callback(
          new DigestMismatchError(
            digest,
            `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${count} bytes (truncated)`,
          ),
        );
        return;
      }
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== digest) {
        callback(
          new DigestMismatchError(
            digest,
            `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${count} bytes with digest ${actual}`,
          ),
        );
        return;
      }
      callback();
    },
  });
}

/** The same check for a blob already in memory (manifests, configs); throws DigestMismatchError. */
export function verifyBytes(bytes: Uint8Array, digest: string, size: number, what: string): void {
  if (bytes.length !== size) {
    const how = bytes.length < size ? 'truncated' : 'blob too large';
    throw new DigestMismatchError(
      digest,
      `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${bytes.length} bytes (${how})`,
    );
  }
  const actual = sha256Digest(bytes);
  if (actual !== digest) {
    throw new DigestMismatchError(
      digest,
      `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${bytes.length} bytes with digest ${actual}`,
    );
  }
}

export interface BlobCheck {
  digest: string;
  size: number;
  /** The blob kind for messages ("layer"). */
  what: string;
}
