// A spool file holds the bytes of one layer's regular files, appended in tar order, so the archive writer
// can read them back in any order without decompressing the layer twice. It lives in the tool's cache
// (a private temporary directory) and is deleted when the build ends.
//
// What a spool holds is a function of its layer's verified digest: every regular file's data, in tar
// order, each exactly its header's size (read-layer.ts). So `source` (that digest) and an offset name the
// same bytes in every build, and the segment cache keys compressed segments by them instead of hashing the
// bytes (write.ts). Whoever changes what is appended, or in which order, must change SPOOL_LAYOUT.
import { openSync, writevSync, readSync, closeSync, unlinkSync } from 'node:fs';

const FLUSH_AT = 4 << 20;
/** The most buffers one writev takes (Linux's UIO_MAXIOV). */
const IOV_MAX = 1024;

/**
 * The version of the rule above; part of every segment cache key that names spooled bytes. 2: layers are
 * read by tar-reader.ts, which stops at the end-of-archive marker and gives data to regular files only.
 */
export const SPOOL_LAYOUT = 'regular-file-data-in-tar-order/2';

export class SpoolFile {
  readonly path: string;
  /** The verified digest of the layer whose file data this spool holds (see the top of this file). */
  readonly source: string;
  #fd: number;
  #size = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #closed = false;

  constructor(path: string, source: string) {
    this.path = path;
    this.source = source;
    // 0o600: the spool holds image content; nobody else on the machine needs to read it.
    this.#fd = openSync(path, 'wx+', 0o600);
  }

  /** Total bytes appended so far; the offset the next append starts at. */
  get size(): number {
    return this.#size;
  }

  /** Appends bytes and returns the offset they start at. */
  append(chunk: Uint8Array): number {
    const at = this.#size;
    this.#pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#pendingBytes += chunk.byteLength;
    this.#size += chunk.byteLength;
    // Also at IOV_MAX pieces: each piece is a view that keeps its whole decompressed chunk (1 MiB) alive,
    // so a million small files pinned hundreds of MiB before 4 MiB of their bytes had gathered.
    if (this.#pendingBytes >= FLUSH_AT || this.#pending.length >= IOV_MAX) this.flush();
    return at;
  }

  flush(): void {
    // One gathering write of the pieces as they are: concatenating them first would copy every byte into
    // fresh memory, which costs more than the write itself.
    let parts = this.#pending;
    while (parts.length > 0) {
      let written = writevSync(this.#fd, parts.slice(0, IOV_MAX));
      let whole = 0;
      while (whole < parts.length && written >= parts[whole]!.length) written -= parts[whole++]!.length;
      parts = parts.slice(whole);
      if (written > 0) parts[0] = parts[0]!.subarray(written);
    }
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** Reads exactly `length` bytes at `offset` into `target` (at `targetOffset`). */
  readInto(target: Uint8Array, targetOffset: number, offset: number, length: number): void {
    this.flush();
    let done = 0;
    while (done < length) {
      const n = readSync(this.#fd, target, targetOffset + done, length - done, offset + done);
      if (n === 0) throw new Error(`spool ${this.path}: short read at ${offset + done}`);
      done += n;
    }
  }

  /** Closes and deletes the spool. Safe to call twice. */
  dispose(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
    try {
      unlinkSync(this.path);
    } catch {
      // already gone with its directory
    }
  }
}
