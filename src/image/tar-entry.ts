// What one tar entry is once the meta entries before it are applied: pax 'x' records (for the next entry),
// pax 'g' records (for every later one), GNU 'L'/'K' long names and link names. The layer reader (a
// stream) and the archive index (a file) both assemble entries here, so a name means the same to both.
// Precedence and limits follow Go's archive/tar, which Docker, containerd and umoci read layers with: pax
// records over the header's fields (an empty value keeps the field), GNU long names over both, meta data
// of at most 1 MiB, and no data for links, devices, directories and FIFOs whatever their size says.
import { quoteBytes } from '../quote.ts';
import { TarFormatError, type TarHeader } from './tar-header.ts';

/** Typeflags of meta entries, whose data describes the next entry. */
export const META_TYPES: ReadonlySet<string> = new Set(['x', 'g', 'L', 'K']);

/** The most data a meta entry may have (Go's maxSpecialFileSize): names and records, never file content. */
export const MAX_META = 1 << 20;

/** Typeflags whose entries carry no data (Go's isHeaderOnlyType). */
const HEADER_ONLY: ReadonlySet<string> = new Set(['1', '2', '3', '4', '5', '6']);

export interface TarEntry {
  /** The entry's name (byte string): a GNU long name, else pax `path`, else the header's. */
  name: string;
  /** The typeflag; the pre-POSIX NUL typeflag becomes '5' for a name ending in '/', else '0' (as in Go). */
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Bytes of data that follow the header (pax `size` applied; 0 for header-only types). */
  size: number;
  /** Link target (byte string): a GNU long link name, else pax `linkpath`, else the header's. */
  linkname: string;
  devmajor: number;
  devminor: number;
  /** The pax records in force for this entry (global ones included), values as byte strings. */
  pax: ReadonlyMap<string, string>;
}

/** The pax records of an 'x'/'g' entry's data (`<len> key=value\n` …), values as byte strings. */
export function decodePaxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    let sp = i;
    while (sp < data.length && sp - i < 20 && data[sp] !== 0x20) sp++;
    const digits = Buffer.from(data.subarray(i, sp)).toString('latin1');
    const len = /^[0-9]+$/.test(digits) ? Number(digits) : Number.NaN;
    // The smallest record is "5 k=\n"; its length counts itself, the key, the value and the newline.
    if (data[sp] !== 0x20 || !Number.isSafeInteger(len) || len < 5 || i + len > data.length || data[i + len - 1] !== 0x0a) {
      throw new TarFormatError(`malformed pax record at byte ${i} of its header`);
    }
    const record = Buffer.from(data.subarray(sp + 1, i + len - 1)).toString('latin1');
    const eq = record.indexOf('=');
    if (eq <= 0) throw new TarFormatError(`malformed pax record at byte ${i} of its header (no key=value)`);
    out.set(record.slice(0, eq), record.slice(eq + 1));
    i += len;
  }
  return out;
}

/** Collects meta entries and applies them to the entry they precede. */
export class TarEntryAssembler {
  #pax = new Map<string, string>();
  #global = new Map<string, string>();
  #longName: string | undefined;
  #longLink: string | undefined;

  /** Whether meta entries are waiting for the entry they describe (a tar must not end here). */
  get pending(): boolean {
    return this.#pax.size > 0 || this.#longName !== undefined || this.#longLink !== undefined;
  }

  /**
   * How many bytes of data follow the meta entry `h`: refused above MAX_META, since a meta entry is held
   * in memory.
   */
  metaSize(h: TarHeader): number {
    if (h.size > MAX_META) throw new TarFormatError(`a '${h.typeflag}' meta entry of ${h.size} bytes (at most ${MAX_META})`);
    return h.size;
  }

  /** Takes in a meta entry's data. */
  meta(h: TarHeader, data: Uint8Array): void {
    switch (h.typeflag) {
      case 'x':
        this.#pax = decodePaxRecords(data);
        break;
      case 'g':
        this.#global = new Map([...this.#global, ...decodePaxRecords(data)]);
        break;
      case 'L':
        this.#longName = cstringOf(data);
        break;
      case 'K':
        this.#longLink = cstringOf(data);
        break;
    }
  }

  /** The entry `h` describes, with the meta entries before it applied (they are used up). */
  entry(h: TarHeader): TarEntry {
    const pax = this.#merged();
    const value = (key: string): string | undefined => {
      const v = pax.get(key);
      return v === undefined || v === '' ? undefined : v;
    };
    const name = this.#longName ?? value('path') ?? h.name;
    const linkname = this.#longLink ?? value('linkpath') ?? h.linkname;
    let typeflag = h.typeflag;
    if (typeflag === '\0') typeflag = name.endsWith('/') ? '5' : '0';
    const size = this.#entrySize({ ...h, typeflag }, pax);
    this.#pax = new Map();
    this.#longName = undefined;
    this.#longLink = undefined;
    return { name, typeflag, mode: h.mode, uid: h.uid, gid: h.gid, mtime: h.mtime, size, linkname, devmajor: h.devmajor, devminor: h.devminor, pax };
  }

  #merged(): Map<string, string> {
    return this.#global.size === 0 ? this.#pax : new Map([...this.#global, ...this.#pax]);
  }

  #entrySize(h: TarHeader, pax: ReadonlyMap<string, string>): number {
    if (HEADER_ONLY.has(h.typeflag)) return 0;
    const size = pax.get('size');
    if (size === undefined || size === '') return h.size;
    if (!/^[0-9]+$/.test(size) || !Number.isSafeInteger(Number(size))) {
      throw new TarFormatError(`pax size ${quoteBytes(size, 24)} is not a byte count`);
    }
    return Number(size);
  }
}

const cstringOf = (data: Uint8Array): string => {
  const nul = data.indexOf(0);
  return Buffer.from(nul === -1 ? data : data.subarray(0, nul)).toString('latin1');
};
