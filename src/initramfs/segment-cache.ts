// Compressed segments kept from earlier builds, by a key that stands for their uncompressed cpio bytes
// (segmentKey in write.ts: the encoded headers and the identities of the file data): a rebuild whose
// segment is byte-for-byte the same as one built before (the same image with the same options, or the
// segments away from whatever changed) reuses its compressed bytes instead of compressing again, which is
// most of a warm build's time. An entry is used only for the same method, level and compressor build
// (Node's zlib and zstd versions), so it holds exactly what compressing now would give and the output
// stays byte-identical to a cold build. Each entry carries the sha256 of its compressed bytes, checked on
// every read; a bad entry is removed and the segment compressed again. Entries appear by rename only.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Compression } from './compress.ts';
import { acquireScratch } from '../scratch.ts';

const DIGEST_BYTES = 32;

/** The compressor build an entry was made with: a different zlib or zstd may give other bytes. */
const compressorBuild = (compression: Compression): string =>
  compression === 'gzip' ? `zlib${process.versions.zlib}` : `zstd${process.versions['zstd'] ?? 'unknown'}`;

/**
 * In place, on the main thread (some 10 ms per 8 MiB segment): SubtleCrypto would hash on the threadpool
 * but copies its input first, which costs a segment's worth of memory per segment in flight.
 */
const sha256 = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();

export class SegmentCache {
  readonly #dir: string;
  readonly #cacheDir: string;

  /** `cacheDir` is the tool's cache; entries live under `segments/<method>-<level>-<compressor build>/`. */
  constructor(cacheDir: string, compression: Exclude<Compression, 'none'>, level: number) {
    this.#dir = join(cacheDir, 'segments', `${compression}-${level}-${compressorBuild(compression)}`);
    this.#cacheDir = cacheDir;
  }

  /** The compressed bytes stored for `key`, or undefined when absent or damaged (then removed). */
  async get(key: string): Promise<Buffer | undefined> {
    const path = join(this.#dir, key);
    let entry: Buffer;
    try {
      entry = await readFile(path);
    } catch {
      return undefined;
    }
    const body = entry.subarray(DIGEST_BYTES);
    if (entry.length > DIGEST_BYTES && sha256(body).equals(entry.subarray(0, DIGEST_BYTES))) return body;
    await rm(path, { force: true });
    return undefined;
  }

  /** Stores `compressed` for `key`. Best effort: a full disk costs the next build time, not this one. */
  async put(key: string, compressed: Uint8Array): Promise<void> {
    let scratch;
    try {
      scratch = acquireScratch(this.#cacheDir);
    } catch {
      return;
    }
    // In this process's scratch directory, which a signal, or the next build after a kill, removes.
    const tmp = join(scratch.dir, `segment-${key}.${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      // Two writes rather than a concatenated copy of the segment.
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writev([sha256(compressed), compressed]);
      } finally {
        await fh.close();
      }
      await rename(tmp, join(this.#dir, key));
    } catch {
      await rm(tmp, { force: true }).catch(() => {});
    } finally {
      await scratch.release();
    }
  }
}
