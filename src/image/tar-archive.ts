// An uncompressed tar file read as a set of named members, each by its byte range: what `docker save`
// archives and OCI archives are. The headers are indexed once (tar-index.ts); a member's data is read or
// streamed straight out of the file, never extracted. Links between members are followed inside the
// archive only, as docker save uses them to store a layer once.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { InitramfsError } from '../errors.ts';
import { documentTooLarge } from './document-limit.ts';
import { quote } from '../quote.ts';
import { indexTar, TarFormatError, type TarMember } from './tar-index.ts';
import { verifyStream, type BlobCheck } from './verify.ts';

/** Symlink hops followed when a member is a link to an identical one (docker save dedups that way). */
const MAX_LINK_HOPS = 16;

/** A member's name as a lookup key: normalised, no leading "./", no trailing "/". */
const key = (name: string): string => posix.normalize(name).replace(/^(\.\/)+/, '').replace(/\/+$/, '');

export class TarArchive {
  /** The file read (a decompressed copy of the user's file, when that was compressed). */
  readonly path: string;
  /** What messages call the archive: the reference as the user wrote it. */
  readonly label: string;
  #members: Map<string, TarMember> | undefined;

  constructor(path: string, label: string) {
    this.path = path;
    this.label = label;
  }

  /**
   * The members by name (later ones replace earlier ones of the same name, as when the tar is extracted).
   * Throws TarFormatError when the file is not a tar.
   */
  members(): Map<string, TarMember> {
    this.#members ??= new Map(indexTar(this.path).map((m) => [key(m.name), m]));
    return this.#members;
  }

  /** Whether the archive has a member called `name` (links not followed). */
  has(name: string): boolean {
    return this.members().has(key(name));
  }

  /**
   * The regular-file member `name` refers to, links followed; undefined when there is none. A link that
   * leaves the archive, loops, or ends at something that is not a file is BAD_IMAGE naming `what`.
   */
  find(name: string, what: string): TarMember | undefined {
    const members = this.members();
    let current = key(name);
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const m = members.get(current);
      if (!m) return undefined;
      if (m.type === '0' || m.type === '7') return m;
      if (m.type !== '1' && m.type !== '2') {
        throw new InitramfsError('BAD_IMAGE', `${this.label}: ${what} ${quote(name)} is not a regular file in the archive`);
      }
      // Symlink targets are relative to the link's directory; hardlink targets name a member.
      const target = m.type === '2' ? posix.join(posix.dirname(current), m.linkname) : m.linkname;
      current = key(target);
      if (current === '..' || current.startsWith('../') || target.startsWith('/')) {
        throw new InitramfsError('BAD_IMAGE', `${this.label}: ${what} ${quote(name)} links outside the archive`);
      }
    }
    throw new InitramfsError('BAD_IMAGE', `${this.label}: ${what} ${quote(name)}: too many links`);
  }

  /** Like find(), but a missing member is BAD_IMAGE saying so. */
  member(name: string, what: string): TarMember {
    const m = this.find(name, what);
    if (!m) throw new InitramfsError('BAD_IMAGE', `${this.label}: ${what} ${quote(name)} is not in the archive`);
    return m;
  }

  /** A member's bytes, refused before any is read when larger than `max` (a document: document-limit.ts). */
  read(m: TarMember, what: string, max: number): Buffer {
    if (m.size > max) throw documentTooLarge(`${this.label}: ${what}`, m.size);
    return this.readRange(m.offset, m.size);
  }

  /** Up to `length` bytes from the start of a member (to sniff a layer's compression). */
  head(m: TarMember, length: number): Buffer {
    return this.readRange(m.offset, Math.min(length, m.size));
  }

  /**
   * A member's bytes as a stream checked against `check`: a member shorter or longer than the size
   * promised fails the check (truncated, too large) rather than reading into its neighbours.
   */
  open(m: TarMember, check: BlobCheck): Readable {
    const verify = verifyStream(check.digest, check.size, check.what);
    if (m.size === 0) return Readable.from([]).pipe(verify);
    // fs ranges are inclusive.
    const file = createReadStream(this.path, { start: m.offset, end: m.offset + m.size - 1, highWaterMark: 1 << 20 });
    file.on('error', (err) => verify.destroy(err));
    return file.pipe(verify);
  }

  /** `sha256:<hex>` of a member's bytes. */
  hash(m: TarMember): string {
    const hash = createHash('sha256');
    this.#eachChunk(m.offset, m.size, (chunk) => hash.update(chunk));
    return `sha256:${hash.digest('hex')}`;
  }

  readRange(offset: number, length: number): Buffer {
    const buf = Buffer.alloc(length);
    let done = 0;
    this.#eachChunk(offset, length, (chunk) => {
      chunk.copy(buf, done);
      done += chunk.length;
    });
    return buf;
  }

  #eachChunk(offset: number, length: number, f: (chunk: Buffer) => void): void {
    const fd = openSync(this.path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(length, 1 << 20));
      let done = 0;
      while (done < length) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, length - done), offset + done);
        if (n === 0) throw new InitramfsError('BAD_IMAGE', `${this.label}: the archive is truncated (a member at byte ${offset} ends early)`);
        f(buf.subarray(0, n));
        done += n;
      }
    } finally {
      closeSync(fd);
    }
  }
}

export { TarFormatError };
