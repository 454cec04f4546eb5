// An index of an uncompressed tar file's members (name → data offset and size), built by reading only the
// 512-byte headers and seeking past the data, so a multi-gigabyte `docker save` archive is never copied.
// Headers are decoded (tar-header.ts) and meta entries applied (tar-entry.ts) exactly as a layer's are.
import { closeSync, openSync, readSync } from 'node:fs';
import { BLOCK, decodeHeader, padding, TarFormatError } from './tar-header.ts';
import { META_TYPES, TarEntryAssembler } from './tar-entry.ts';

export { decodeNumber, isTarHeader, TarFormatError } from './tar-header.ts';

export interface TarMember {
  /** Name as stored (byte string), without a leading "./". */
  name: string;
  /** '0' regular, '1' hardlink, '2' symlink, '5' directory, … (the typeflag character). */
  type: string;
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
  linkname: string;
}

/** Reads the headers of the tar at `path` and returns its members in order (later duplicates included). */
export function indexTar(path: string): TarMember[] {
  const fd = openSync(path, 'r');
  try {
    return indexTarFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** `length` bytes at `position`, or undefined when the file ends first. */
function readAt(fd: number, length: number, position: number): Buffer | undefined {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) return undefined;
    done += n;
  }
  return buf;
}

function indexTarFd(fd: number): TarMember[] {
  const members: TarMember[] = [];
  const assembler = new TarEntryAssembler();
  let pos = 0;
  for (;;) {
    const block = readAt(fd, BLOCK, pos);
    if (block === undefined) {
      // A tar without its end-of-archive marker is common enough (some writers omit it) to accept at an
      // entry boundary.
      if (pos > 0 && !assembler.pending) return members;
      throw new TarFormatError(`tar truncated at byte ${pos}`);
    }
    // The end-of-archive marker: what follows is not part of the archive.
    const header = decodeHeader(block, pos);
    if (header === null) return members;
    const dataAt = pos + BLOCK;
    if (META_TYPES.has(header.typeflag)) {
      const size = assembler.metaSize(header);
      const data = readAt(fd, size, dataAt);
      if (data === undefined) throw new TarFormatError(`tar truncated in the meta entry at byte ${pos}`);
      assembler.meta(header, data);
      pos = dataAt + size + padding(size);
      continue;
    }
    const entry = assembler.entry(header);
    let name = entry.name;
    while (name.startsWith('./')) name = name.slice(2);
    members.push({ name, type: entry.typeflag, offset: dataAt, size: entry.size, linkname: entry.linkname });
    pos = dataAt + entry.size + padding(entry.size);
  }
}
