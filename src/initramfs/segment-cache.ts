// Compressed segments kept from earlier builds, by the sha256 of their uncompressed cpio bytes: a rebuild
// whose segment is byte-for-byte the same as one built before (the same image with the same options, or
// the segments before whatever changed) reuses its compressed bytes instead of compressing again, which
// is most of a warm build's time. An entry is used only for the same method, level and compressor build
// (Node's zlib and zstd versions), so it holds exactly what compressing now would give and the output
// stays byte-identical to a cold build. Each entry carries the sha256 of its compressed bytes, checked on
// every read; a bad entry is removed and the segment compressed again. Entries appear by rename only.
import { randomBytes, subtle } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Compression } from './compress.ts';

const DIGEST_BYTES = 32;

/** The compressor build an entry was made with: a different zlib or zstd may give other bytes. */
const compressorBuild = (compression: Compression): string =>
  compression === 'gzip' ? `zlib${process.versions.zlib}` : `zstd${process.versions['zstd'] ?? 'unknown'}`;

/** SubtleCrypto hashes on the threadpool, so a 16 MiB segment does not hold up the main thread. */
const sha256 = async (b: Uint8Array): Promise<Buffer> => Buffer.from(await subtle.digest('SHA-256', b));

export class SegmentCache {
  readonly #dir: string;
  readonly #tmp: string;

  /** `cacheDir` is the tool's cache; entries live under `segments/<method>-<level>-<compressor build>/`. */
  constructor(cacheDir: string, compression: Exclude<Compression, 'none'>, level: number) {
    this.#dir = join(cacheDir, 'segments', `${compression}-${level}-${compressorBuild(compression)}`);
    this.#tmp = join(cacheDir, 'tmp');
  }

  /** The key of an uncompressed segment. */
  async key(raw: Uint8Array): Promise<string> {
    return (await sha256(raw)).toString('hex');
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
    if (entry.length > DIGEST_BYTES && (await sha256(body)).equals(entry.subarray(0, DIGEST_BYTES))) return body;
    await rm(path, { force: true });
    return undefined;
  }

  /** Stores `compressed` for `key`. Best effort: a full disk costs the next build time, not this one. */
  async put(key: string, compressed: Uint8Array): Promise<void> {
    const tmp = join(this.#tmp, `segment-${key}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(this.#dir, { recursive: true, mode: 0o700 });
      await mkdir(this.#tmp, { recursive: true, mode: 0o700 });
      await writeFile(tmp, Buffer.concat([await sha256(compressed), compressed]));
      await rename(tmp, join(this.#dir, key));
    } catch {
      await rm(tmp, { force: true }).catch(() => {});
    }
  }
}
