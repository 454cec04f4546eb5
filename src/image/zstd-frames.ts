// A streaming splitter for the zstd frame format (RFC 8878 §3.1): finds where each frame starts and ends
// so every frame can go to its own decoder, and drops skippable frames. Whether Node's decoder goes on past
// the first frame differs between releases (24.22 does, earlier 24.x stopped), so nothing relies on it.
// It only walks headers and block sizes; it never decodes block contents.

/** Little-endian magic of a zstd frame (bytes 28 b5 2f fd). */
export const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames use any magic 0x184D2A50..0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

// Frame_Header_Descriptor bits.
const FHD_FCS_FLAG_SHIFT = 6;
const FHD_SINGLE_SEGMENT = 0x20;
const FHD_RESERVED = 0x08;
const FHD_CHECKSUM = 0x04;
const FHD_DICT_ID_FLAG = 0x03;
const DICT_ID_SIZES = [0, 1, 2, 4] as const;
const FCS_SIZES = [0, 2, 4, 8] as const;

const BLOCK_HEADER_SIZE = 3;
const BLOCK_TYPE_RAW = 0;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_COMPRESSED = 2;
const CHECKSUM_SIZE = 4;
/** The largest block the format allows (Block_Maximum_Size ≤ 128 KiB). */
const BLOCK_MAX = 128 << 10;

/** What the splitter found in the bytes pushed so far, in order. */
export type ZstdEvent =
  | { type: 'frame-start' }
  /** Bytes of the current (non-skippable) frame, headers included: feed them to its decoder as is. */
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'frame-end' };

/** Thrown for bytes that are not a sequence of zstd frames; `offset` is where in the stream. */
export class ZstdFormatError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'ZstdFormatError';
    this.offset = offset;
  }
}

type State =
  | { s: 'magic' }
  | { s: 'skip-size' }
  | { s: 'skip-payload'; left: number }
  | { s: 'fhd' }
  | { s: 'header-rest'; fhd: number }
  | { s: 'block-header' }
  | { s: 'block-body'; left: number; last: boolean }
  | { s: 'checksum' };

/**
 * Incremental splitter: push() chunks as they arrive, get back the events they complete; end() when the
 * input ends (throws if it ends inside a frame). Data events reference the pushed chunk where possible.
 */
export class ZstdFrameSplitter {
  #state: State = { s: 'magic' };
  /** Bytes of a fixed-size field collected across chunk boundaries. */
  #field = new Uint8Array(16);
  #fieldHave = 0;
  #fieldNeed = 4;
  #checksum = false;
  #offset = 0;

  push(chunk: Uint8Array): ZstdEvent[] {
    const events: ZstdEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      const st = this.#state;
      if (st.s === 'skip-payload' || st.s === 'block-body') {
        const n = Math.min(st.left, chunk.length - i);
        if (st.s === 'block-body') events.push({ type: 'data', bytes: chunk.subarray(i, i + n) });
        i += n;
        this.#offset += n;
        st.left -= n;
        if (st.left === 0) this.#afterBody(st, events);
        continue;
      }
      const n = Math.min(this.#fieldNeed - this.#fieldHave, chunk.length - i);
      this.#field.set(chunk.subarray(i, i + n), this.#fieldHave);
      this.#fieldHave += n;
      i += n;
      this.#offset += n;
      if (this.#fieldHave === this.#fieldNeed) this.#onField(events);
    }
    return events;
  }

  /** The input ended: throws ZstdFormatError unless it ended between frames. */
  end(): void {
    if (this.#state.s !== 'magic' || this.#fieldHave !== 0) {
      throw new ZstdFormatError('zstd stream truncated inside a frame', this.#offset);
    }
  }

  #expect(state: State, need: number): void {
    this.#state = state;
    this.#fieldHave = 0;
    this.#fieldNeed = need;
  }

  #fieldBytes(): Uint8Array {
    return this.#field.slice(0, this.#fieldNeed);
  }

  #afterBody(st: { s: 'skip-payload' } | { s: 'block-body'; last: boolean }, events: ZstdEvent[]): void {
    if (st.s === 'skip-payload') this.#expect({ s: 'magic' }, 4);
    else this.#afterBlock(st.last, events);
  }

  #afterBlock(last: boolean, events: ZstdEvent[]): void {
    if (!last) this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
    else if (this.#checksum) this.#expect({ s: 'checksum' }, CHECKSUM_SIZE);
    else this.#endFrame(events);
  }

  #endFrame(events: ZstdEvent[]): void {
    events.push({ type: 'frame-end' });
    this.#expect({ s: 'magic' }, 4);
  }

  #onField(events: ZstdEvent[]): void {
    const f = this.#field;
    const st = this.#state;
    const at = this.#offset - this.#fieldNeed;
    switch (st.s) {
      case 'magic': {
        const magic = (f[0]! | (f[1]! << 8) | (f[2]! << 16) | (f[3]! << 24)) >>> 0;
        if (magic === ZSTD_MAGIC) {
          events.push({ type: 'frame-start' }, { type: 'data', bytes: this.#fieldBytes() });
          this.#expect({ s: 'fhd' }, 1);
        } else if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
          this.#expect({ s: 'skip-size' }, 4);
        } else {
          throw new ZstdFormatError(`not a zstd frame (magic 0x${magic.toString(16).padStart(8, '0')})`, at);
        }
        return;
      }
      case 'skip-size': {
        const size = (f[0]! | (f[1]! << 8) | (f[2]! << 16) | (f[3]! << 24)) >>> 0;
        if (size === 0) this.#expect({ s: 'magic' }, 4);
        else this.#expect({ s: 'skip-payload', left: size }, 0);
        return;
      }
      case 'fhd': {
        const fhd = f[0]!;
        if (fhd & FHD_RESERVED) throw new ZstdFormatError('zstd frame header has the reserved bit set', at);
        events.push({ type: 'data', bytes: this.#fieldBytes() });
        this.#checksum = (fhd & FHD_CHECKSUM) !== 0;
        const single = (fhd & FHD_SINGLE_SEGMENT) !== 0;
        const fcsFlag = fhd >> FHD_FCS_FLAG_SHIFT;
        // With Single_Segment set and FCS flag 0 the content size still takes one byte.
        const fcsSize = fcsFlag === 0 && single ? 1 : FCS_SIZES[fcsFlag]!;
        const rest = (single ? 0 : 1) + DICT_ID_SIZES[fhd & FHD_DICT_ID_FLAG]! + fcsSize;
        if (rest === 0) this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
        else this.#expect({ s: 'header-rest', fhd }, rest);
        return;
      }
      case 'header-rest':
        events.push({ type: 'data', bytes: this.#fieldBytes() });
        this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
        return;
      case 'block-header': {
        events.push({ type: 'data', bytes: this.#fieldBytes() });
        const header = f[0]! | (f[1]! << 8) | (f[2]! << 16);
        const last = (header & 1) === 1;
        const type = (header >> 1) & 3;
        const size = header >>> 3;
        if (size > BLOCK_MAX) throw new ZstdFormatError(`zstd block of ${size} bytes exceeds 128 KiB`, at);
        let body: number;
        if (type === BLOCK_TYPE_RAW || type === BLOCK_TYPE_COMPRESSED) body = size;
        else if (type === BLOCK_TYPE_RLE) body = 1;
        else throw new ZstdFormatError('zstd block has the reserved block type', at);
        if (body === 0) this.#afterBlock(last, events);
        else this.#expect({ s: 'block-body', left: body, last }, 0);
        return;
      }
      case 'checksum':
        events.push({ type: 'data', bytes: this.#fieldBytes() });
        this.#endFrame(events);
        return;
      default:
        return;
    }
  }
}
