// Reads one layer into LayerEntry records, in tar order, spooling regular files' bytes. Names and link
// targets stay byte strings. Entry types a rootfs cannot hold (GNU sparse files, volume labels, …) fail
// with UNSUPPORTED rather than being dropped: a silently missing file makes a broken initramfs.
import tar from 'tar-stream';
import type { Readable } from 'node:stream';
import { InitramfsError, isInitramfsError } from '../errors.ts';
import { openLayerTar } from './decompress.ts';
import { shortDigest } from './digest.ts';
import { decodePaxRecords } from './tar-index.ts';
import type { LayerEntry, LayerEntryType } from './layer-entry.ts';
import type { SpoolFile } from './spool.ts';
import type { Layer } from './types.ts';

const TYPES: Record<string, LayerEntryType> = {
  file: 'file',
  'contiguous-file': 'file',
  link: 'hardlink',
  symlink: 'symlink',
  directory: 'dir',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

/**
 * tar-stream decodes pax records as UTF-8, which turns a non-UTF-8 `path` (Go's archive/tar and GNU tar
 * with hdrcharset=BINARY write raw bytes there) into U+FFFD. Its extractor decodes long headers in one
 * overridable method; replacing it on our instance keeps every pax value as its bytes (a byte string).
 */
function keepPaxBytes(extract: object): void {
  const ex = extract as {
    _header?: { type?: string };
    _pax?: Record<string, string> | null;
    _paxGlobal?: Record<string, string> | null;
    _decodeLongHeader?: (buf: Buffer) => void;
  };
  const original = ex._decodeLongHeader;
  if (typeof original !== 'function') throw new Error('tar-stream internals changed: _decodeLongHeader is gone');
  ex._decodeLongHeader = function (this: typeof ex, buf: Buffer): void {
    const type = this._header?.type;
    if (type === 'pax-header') {
      this._pax = { ...(this._paxGlobal ?? {}), ...Object.fromEntries(decodePaxRecords(buf)) };
    } else if (type === 'pax-global-header') {
      this._paxGlobal = { ...(this._paxGlobal ?? {}), ...Object.fromEntries(decodePaxRecords(buf)) };
    } else {
      original.call(this, buf);
    }
  };
}

const PAX_NUMBER = /^-?\d+(\.\d*)?$/;

/** A pax numeric record (uid, gid, mtime) as an integer, fractions truncated toward zero. */
function paxInteger(value: string, key: string, name: string, layer: Layer): number {
  if (!PAX_NUMBER.test(value)) {
    throw new InitramfsError(
      'BAD_LAYER',
      `layer ${shortDigest(layer.digest)}: entry "${name}" has pax ${key}=${JSON.stringify(value)}, not a number`,
    );
  }
  const n = Number.parseInt(value, 10);
  return Object.is(n, -0) ? 0 : n;
}

interface TarHeader {
  name: string;
  type?: string | null;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  mtime?: Date;
  linkname?: string | null;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string> | null;
}

function toEntry(h: TarHeader, layer: Layer): LayerEntry {
  const pax = h.pax ?? {};
  const name = pax.path ?? h.name;
  const type = h.type ? TYPES[h.type] : undefined;
  if (type === undefined) {
    throw new InitramfsError(
      'UNSUPPORTED',
      `layer ${shortDigest(layer.digest)}: entry "${Buffer.from(name, 'latin1').toString('utf8')}" has a tar entry type this tool does not read (GNU sparse file, volume label or similar)`,
    );
  }
  const mode = (h.mode ?? 0) & 0o7777;
  const uid = pax.uid !== undefined ? paxInteger(pax.uid, 'uid', name, layer) : (h.uid ?? 0);
  const gid = pax.gid !== undefined ? paxInteger(pax.gid, 'gid', name, layer) : (h.gid ?? 0);
  const mtime = pax.mtime !== undefined ? paxInteger(pax.mtime, 'mtime', name, layer) : Math.trunc((h.mtime?.getTime() ?? 0) / 1000);
  // One object literal per kind with every property it gets (a file's `data` comes with its bytes): a
  // property added later takes a second allocation, some 40 bytes for each entry of a big layer.
  let entry: LayerEntry;
  if (type === 'file') {
    entry = { name, type, mode, uid, gid, mtime, size: h.size ?? 0, data: undefined };
  } else if (type === 'symlink' || type === 'hardlink') {
    entry = { name, type, mode, uid, gid, mtime, size: 0, linkname: pax.linkpath ?? h.linkname ?? '' };
  } else if (type === 'char' || type === 'block') {
    entry = { name, type, mode, uid, gid, mtime, size: 0, devMajor: h.devmajor ?? 0, devMinor: h.devminor ?? 0 };
  } else {
    entry = { name, type, mode, uid, gid, mtime, size: 0 };
  }
  const xattrs = Object.keys(pax)
    .filter((k) => k.startsWith('SCHILY.xattr.') || k.startsWith('LIBARCHIVE.xattr.'))
    .map((k) => k.slice(k.indexOf('.xattr.') + '.xattr.'.length));
  if (xattrs.length > 0) entry.xattrs = [...new Set(xattrs)].sort();
  return entry;
}

const badLayer = (layer: Layer, err: unknown): InitramfsError =>
  isInitramfsError(err)
    ? err
    : new InitramfsError(
        'BAD_LAYER',
        `layer ${shortDigest(layer.digest)}: tar is corrupt or truncated (${(err as Error).message})`,
        { cause: err },
      );

/**
 * All entries of `layer`'s tar, in tar order (whiteouts included as ordinary entries), with regular files'
 * bytes appended to `spool`. Rejects with the layer's DigestMismatchError when its bytes fail verification
 * (that wins over any tar error, since the stream is always read to its end first), BAD_LAYER for a corrupt
 * or truncated stream, UNSUPPORTED for an entry type outside LayerEntryType.
 */
export async function readLayer(layer: Layer, spool: SpoolFile): Promise<LayerEntry[]> {
  const stream: Readable = openLayerTar(layer);
  // latin1 keeps ustar and GNU long names as their bytes; allowUnknownFormat accepts pre-POSIX (v7) tars,
  // whose headers are still checksummed.
  // (tar-stream's own typings omit these two options, which its extractor reads.)
  const extract = tar.extract({ filenameEncoding: 'latin1', allowUnknownFormat: true } as Parameters<typeof tar.extract>[0]);
  keepPaxBytes(extract);
  const entries: LayerEntry[] = [];
  let tarError: unknown;

  extract.on('entry', (header, body, next) => {
    // The body is destroyed along with the extractor on any error; that error is reported via the extractor.
    body.on('error', () => {});
    let entry: LayerEntry;
    try {
      entry = toEntry(header as TarHeader, layer);
    } catch (e) {
      next(e as Error);
      return;
    }
    entries.push(entry);
    let remaining = entry.type === 'file' ? entry.size : 0;
    body.on('data', (data: unknown) => {
      const chunk = data as Buffer;
      // Only a regular file's bytes are content; anything else a header claims is skipped.
      if (remaining <= 0) return;
      const part = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
      const at = spool.append(part);
      if (entry.data === undefined) entry.data = { kind: 'spool', spool, offset: at };
      remaining -= part.length;
    });
    body.on('end', () => next());
  });
  extract.on('error', (e: Error) => {
    tarError ??= e;
  });

  const closed = new Promise<void>((resolve) => {
    extract.on('finish', () => resolve());
    extract.on('close', () => resolve());
  });

  for await (const chunk of stream) {
    // After a tar error, keep draining: the digest check at the end of the stream may have more to say.
    if (tarError !== undefined || extract.destroyed) continue;
    if (!extract.write(chunk as Buffer)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          extract.off('drain', done);
          extract.off('close', done);
          resolve();
        };
        // (streamx emits 'drain' and 'close' without arguments.)
        extract.on('drain', done);
        extract.on('close', done);
      });
    }
  }
  if (tarError === undefined && !extract.destroyed) extract.end(undefined);
  await closed;
  if (tarError !== undefined) throw badLayer(layer, tarError);
  return entries;
}
