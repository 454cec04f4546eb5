// A spool file holds the bytes of one layer's regular files, appended in tar order, so the archive writer
// can read them back in any order without decompressing the layer twice. It lives in the tool's cache
// (a private temporary directory) and is deleted when the build ends.
import { openSync, writeSync, readSync, closeSync, unlinkSync } from 'node:fs';

const FLUSH_AT = 4 << 20;

export class SpoolFile {
  readonly path: string;
  #fd: number;
  #size = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #closed = false;

  constructor(path: string) {
    this.path = path;
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
    if (this.#pendingBytes >= FLUSH_AT) this.flush();
    return at;
  }

  flush(): void {
    if (this.#pendingBytes === 0) return;
    const buf = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#pendingBytes);
    let off = 0;
    while (off < buf.length) off += writeSync(this.#fd, buf, off, buf.length - off);
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
