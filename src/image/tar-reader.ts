// A tar read as its bytes arrive, in chunks of any size: each entry's header (meta entries applied,
// tar-entry.ts), then its data, up to the end-of-archive marker. The marker ends the archive: what follows
// it is not part of the tar — Go's archive/tar, GNU tar, bsdtar and umoci stop there — so it is only
// watched, to tell zeros (padding) from content someone hid there (an eStargz index, a second tar).
import { BLOCK, decodeHeader, padding, TarFormatError, type TarHeader } from './tar-header.ts';
import { META_TYPES, TarEntryAssembler, type TarEntry } from './tar-entry.ts';

export { TarFormatError } from './tar-header.ts';
export type { TarEntry } from './tar-entry.ts';

/** What a TarReader hands its entries to. */
export interface TarVisitor {
  /** An entry's header, before its data. Throwing stops the reader (the error leaves push()). */
  entry(entry: TarEntry): void;
  /** The next piece of the current entry's data (a view of the pushed chunk, not a copy). */
  data(bytes: Buffer): void;
}

type State = 'header' | 'meta' | 'data' | 'skip' | 'end';

export class TarReader {
  readonly #visitor: TarVisitor;
  readonly #assembler = new TarEntryAssembler();
  #state: State = 'header';
  /** Bytes of the tar consumed so far. */
  #pos = 0;
  readonly #block = Buffer.alloc(BLOCK);
  #filled = 0;
  /** Bytes still to come in the current state (meta, data, skip). */
  #remaining = 0;
  /** After data, the padding to skip. */
  #padAfter = 0;
  #meta: { header: TarHeader; data: Buffer; filled: number } | undefined;
  #endAt: number | undefined;
  #trailing = 0;
  #trailingNonZero = false;

  constructor(visitor: TarVisitor) {
    this.#visitor = visitor;
  }

  /** Where the end-of-archive marker starts, once it was read. */
  get endOffset(): number | undefined {
    return this.#endAt;
  }

  /** Bytes seen after the marker's first block (its second block included), and whether any was not zero. */
  get trailing(): { bytes: number; nonZero: boolean } {
    return { bytes: this.#trailing, nonZero: this.#trailingNonZero };
  }

  /** Reads the next bytes of the tar. Throws TarFormatError for bytes that are not a tar, or what the visitor threw. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const left = chunk.length - at;
      switch (this.#state) {
        case 'header': {
          const n = Math.min(BLOCK - this.#filled, left);
          chunk.copy(this.#block, this.#filled, at, at + n);
          this.#filled += n;
          at += n;
          this.#pos += n;
          if (this.#filled === BLOCK) {
            this.#filled = 0;
            this.#header(this.#pos - BLOCK);
          }
          break;
        }
        case 'meta': {
          const meta = this.#meta!;
          const n = Math.min(this.#remaining, left);
          chunk.copy(meta.data, meta.filled, at, at + n);
          meta.filled += n;
          this.#advance(n);
          at += n;
          if (this.#remaining === 0) {
            this.#meta = undefined;
            this.#assembler.meta(meta.header, meta.data);
            this.#skip(padding(meta.data.length));
          }
          break;
        }
        case 'data': {
          const n = Math.min(this.#remaining, left);
          this.#advance(n);
          this.#visitor.data(chunk.subarray(at, at + n));
          at += n;
          if (this.#remaining === 0) this.#skip(this.#padAfter);
          break;
        }
        case 'skip': {
          const n = Math.min(this.#remaining, left);
          this.#advance(n);
          at += n;
          if (this.#remaining === 0) this.#state = 'header';
          break;
        }
        case 'end': {
          this.#trailing += left;
          if (!this.#trailingNonZero) {
            for (let i = at; i < chunk.length; i++) {
              if (chunk[i] !== 0) {
                this.#trailingNonZero = true;
                break;
              }
            }
          }
          this.#pos += left;
          at = chunk.length;
          break;
        }
      }
    }
  }

  /**
   * The tar's bytes are over. A tar may lack its end-of-archive marker (Go accepts that too) but must not
   * stop inside an entry: TarFormatError says where it did.
   */
  end(): void {
    if (this.#state === 'end') return;
    if (this.#state === 'header' && this.#filled === 0 && !this.#assembler.pending) return;
    const where = this.#state === 'header' ? 'a header' : this.#state === 'meta' ? 'a meta entry' : "an entry's data";
    throw new TarFormatError(`the tar ends inside ${where} (at byte ${this.#pos})`);
  }

  #advance(n: number): void {
    this.#remaining -= n;
    this.#pos += n;
  }

  #skip(n: number): void {
    this.#remaining = n;
    this.#state = n > 0 ? 'skip' : 'header';
  }

  #header(offset: number): void {
    const header = decodeHeader(this.#block, offset);
    if (header === null) {
      this.#endAt = offset;
      this.#state = 'end';
      return;
    }
    if (META_TYPES.has(header.typeflag)) {
      const size = this.#assembler.metaSize(header);
      this.#meta = { header, data: Buffer.alloc(size), filled: 0 };
      this.#remaining = size;
      this.#state = 'meta';
      if (size === 0) {
        this.#meta = undefined;
        this.#assembler.meta(header, Buffer.alloc(0));
        this.#state = 'header';
      }
      return;
    }
    const entry = this.#assembler.entry(header);
    this.#visitor.entry(entry);
    this.#remaining = entry.size;
    this.#padAfter = padding(entry.size);
    if (entry.size > 0) this.#state = 'data';
    else this.#skip(0);
  }
}
