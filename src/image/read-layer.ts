// Reads one layer into LayerEntry records, in tar order, spooling regular files' bytes. Names and link
// targets stay byte strings. Entry types a rootfs cannot hold (GNU sparse files, volume labels, …) fail
// with UNSUPPORTED rather than being dropped: a silently missing file makes a broken initramfs.
//
// The layer is what its tar holds up to the end-of-archive marker, as umoci, Docker and every tar reader
// see it; anything after the marker is ignored (with a warning when it is not zeros). A file newc cannot
// hold is refused at its header, before a byte of it is decompressed or spooled.
import { InitramfsError, isInitramfsError } from '../errors.ts';
import type { Reporter } from '../log.ts';
import { quote } from '../quote.ts';
import { openLayerTar } from './decompress.ts';
import { shortDigest } from './digest.ts';
import type { LayerEntry, LayerEntryType } from './layer-entry.ts';
import type { SpoolFile } from './spool.ts';
import { TarReader, type TarEntry } from './tar-reader.ts';
import type { Layer } from './types.ts';

const TYPES: Readonly<Record<string, LayerEntryType>> = {
  '0': 'file',
  '7': 'file', // contiguous file: a regular file everywhere but on a few old Unixes
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
};

/** newc stores a file's size in 32 bits: a file of 4 GiB or more can never be in the archive. */
const MAX_FILE_SIZE = 0xffff_ffff;

/**
 * Zeros after the end-of-archive marker that are decoded to make sure they are only padding (tar writers
 * pad to their record size, 10 KiB for GNU tar). Past this, or at the first byte that is not zero, the rest
 * is hashed but no longer decompressed: it is not part of the layer, and could inflate without end.
 */
const TRAILING_CHECKED = 1 << 20;

/** A name from a tar (byte string) in a message: as UTF-8, quoted, shortened. */
const named = (name: string): string => quote(Buffer.from(name, 'latin1').toString('utf8'));

const PAX_NUMBER = /^-?\d+(\.\d*)?$/;

/** A pax numeric record (uid, gid, mtime) as an integer, fractions truncated toward zero. */
function paxInteger(value: string, key: string, name: string, layer: Layer): number {
  const n = PAX_NUMBER.test(value) ? Number.parseInt(value, 10) : Number.NaN;
  if (!Number.isSafeInteger(n)) {
    throw new InitramfsError(
      'BAD_LAYER',
      `layer ${shortDigest(layer.digest)}: entry ${named(name)} has pax ${key}=${quote(Buffer.from(value, 'latin1').toString('utf8'), 40)}, not a number`,
    );
  }
  return Object.is(n, -0) ? 0 : n;
}

function toEntry(t: TarEntry, layer: Layer): LayerEntry {
  const type = TYPES[t.typeflag];
  if (type === undefined) {
    throw new InitramfsError(
      'UNSUPPORTED',
      `layer ${shortDigest(layer.digest)}: entry ${named(t.name)} has a tar entry type this tool does not read (GNU sparse file, volume label or similar)`,
    );
  }
  if (type === 'file' && t.size > MAX_FILE_SIZE) {
    throw new InitramfsError(
      'ARCHIVE_LIMIT',
      `layer ${shortDigest(layer.digest)}: file ${named(t.name)} is ${t.size} bytes; newc cannot store a file of 4 GiB or more`,
    );
  }
  const pax = t.pax;
  const paxValue = (key: string): string | undefined => {
    const v = pax.get(key);
    return v === undefined || v === '' ? undefined : v;
  };
  const paxUid = paxValue('uid');
  const paxGid = paxValue('gid');
  const paxMtime = paxValue('mtime');
  const name = t.name;
  const mode = t.mode & 0o7777;
  const uid = paxUid !== undefined ? paxInteger(paxUid, 'uid', name, layer) : t.uid;
  const gid = paxGid !== undefined ? paxInteger(paxGid, 'gid', name, layer) : t.gid;
  const mtime = paxMtime !== undefined ? paxInteger(paxMtime, 'mtime', name, layer) : t.mtime;
  // One object literal per kind with every property it gets (a file's `data` comes with its bytes): a
  // property added later takes a second allocation, some 40 bytes for each entry of a big layer.
  let entry: LayerEntry;
  if (type === 'file') {
    entry = { name, type, mode, uid, gid, mtime, size: t.size, data: undefined };
  } else if (type === 'symlink' || type === 'hardlink') {
    entry = { name, type, mode, uid, gid, mtime, size: 0, linkname: t.linkname };
  } else if (type === 'char' || type === 'block') {
    entry = { name, type, mode, uid, gid, mtime, size: 0, devMajor: t.devmajor, devMinor: t.devminor };
  } else {
    entry = { name, type, mode, uid, gid, mtime, size: 0 };
  }
  const xattrs = [...pax.keys()]
    .filter((k) => k.startsWith('SCHILY.xattr.') || k.startsWith('LIBARCHIVE.xattr.'))
    .map((k) => k.slice(k.indexOf('.xattr.') + '.xattr.'.length));
  if (xattrs.length > 0) entry.xattrs = [...new Set(xattrs)].sort();
  return entry;
}

const badLayer = (layer: Layer, err: unknown): InitramfsError =>
  isInitramfsError(err)
    ? err
    : new InitramfsError('BAD_LAYER', `layer ${shortDigest(layer.digest)}: tar is corrupt or truncated (${(err as Error).message})`, {
        cause: err,
      });

/**
 * All entries of `layer`'s tar up to its end-of-archive marker, in tar order (whiteouts included as
 * ordinary entries), with regular files' bytes appended to `spool`. Rejects with the layer's
 * DigestMismatchError when its bytes fail verification (that wins over any other error, since the stored
 * bytes are always read to their end first), ARCHIVE_LIMIT for a file of 4 GiB or more, BAD_LAYER for a
 * corrupt or truncated stream, UNSUPPORTED for an entry type outside LayerEntryType. Content after the
 * marker that is not zeros is warned about on `reporter`.
 */
export async function readLayer(layer: Layer, spool: SpoolFile, reporter?: Pick<Reporter, 'warn'>): Promise<LayerEntry[]> {
  const stream = openLayerTar(layer);
  const entries: LayerEntry[] = [];
  let current: LayerEntry | undefined;
  const reader = new TarReader({
    entry(t) {
      current = toEntry(t, layer);
      entries.push(current);
    },
    data(bytes) {
      // Only a regular file's bytes are content; other types a tar gives data to are refused in toEntry.
      const entry = current!;
      const at = spool.append(bytes);
      entry.data ??= { kind: 'spool', spool, offset: at };
    },
  });
  let failure: unknown;
  let decoding = true;
  // A stream error (the digest check, or a decoder error after the stored bytes verified) ends the loop
  // by throwing: it is the error to report.
  for await (const chunk of stream) {
    if (!decoding) continue;
    try {
      reader.push(chunk as Buffer);
    } catch (e) {
      failure = e;
    }
    const { bytes, nonZero } = reader.trailing;
    if (failure !== undefined || nonZero || bytes > TRAILING_CHECKED) {
      decoding = false;
      stream.discardRest();
    }
  }
  if (failure === undefined) {
    try {
      reader.end();
    } catch (e) {
      failure = e;
    }
  }
  if (failure !== undefined) throw badLayer(layer, failure);
  if (reader.trailing.nonZero) {
    reporter?.warn(
      `layer ${layer.digest}: its tar ends at byte ${reader.endOffset}, and the data after that is not part of the layer: ignored, as tar readers ignore it`,
    );
  }
  return entries;
}
