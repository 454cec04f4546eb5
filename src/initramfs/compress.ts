// Compression of one archive segment into one self-contained gzip member or zstd frame (the kernel
// decompresses concatenated members/frames one after the other). Node's zlib work runs on the libuv
// threadpool, so segments compressed concurrently use every core with no worker threads. A segment held
// in memory and one streamed in pieces (too big for memory) compress to the same bytes: the bytes depend
// only on the input, the method and the level.
import { constants, createGzip, createZstdCompress, gzip, type ZlibOptions, type ZstdOptions } from 'node:zlib';
import type { Transform } from 'node:stream';
import { promisify } from 'node:util';
import { InitramfsError } from '../errors.ts';
import { didYouMean } from '../did-you-mean.ts';

export type Compression = 'gzip' | 'zstd' | 'none';

export const COMPRESSIONS: readonly Compression[] = ['gzip', 'zstd', 'none'];

/** Default level per method. */
export const DEFAULT_LEVEL: Record<Compression, number> = { gzip: 6, zstd: 3, none: 0 };

/** Accepted levels per method, inclusive. */
export const LEVEL_RANGE: Record<Compression, readonly [number, number]> = {
  gzip: [1, 9],
  zstd: [1, 19],
  none: [0, 0],
};

/** Offset of the OS byte in a gzip member header (RFC 1952). */
const GZIP_OS_OFFSET = 9;
/** RFC 1952 OS code for Unix, forced so the bytes do not depend on the platform zlib was built for. */
const GZIP_OS_UNIX = 3;

const gzipAsync = promisify(gzip);

/** Largest output piece a streaming compressor hands back at once (see compressStream). */
const ENCODE_CHUNK = 1 << 20;
/** zlib's own minimum chunk size. */
const MIN_ENCODE_CHUNK = 64;
/** The output piece size for `inputSize` bytes: no larger than needed for a small input. */
const encodeChunk = (inputSize: number): number => Math.max(MIN_ENCODE_CHUNK, Math.min(ENCODE_CHUNK, inputSize));

/** Parses a user-supplied compression name; InitramfsError('USAGE') for anything else. */
export const parseCompression = (value: string): Compression => {
  if ((COMPRESSIONS as readonly string[]).includes(value)) return value as Compression;
  throw new InitramfsError('USAGE', `compression ${JSON.stringify(value)}: expected one of ${COMPRESSIONS.join(', ')}${didYouMean(value, COMPRESSIONS)}`);
};

/**
 * The level to use: `level` when given and in range, the method's default when undefined. For 'none'
 * any given level is ignored. InitramfsError('USAGE') for an out-of-range or non-integer level.
 */
export const resolveLevel = (compression: Compression, level?: number): number => {
  if (!(COMPRESSIONS as readonly string[]).includes(compression)) parseCompression(compression);
  if (compression === 'none') return 0;
  if (level === undefined) return DEFAULT_LEVEL[compression];
  const [min, max] = LEVEL_RANGE[compression];
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new InitramfsError('USAGE', `${compression} level must be an integer from ${min} to ${max}, got ${level}`);
  }
  return level;
};

const zlibOptions = (level: number): ZlibOptions => ({ level });

const zstdOptions = (level: number, pledgedSrcSize?: number): ZstdOptions => ({
  // The one-shot call knows the input size; telling the streaming compressor the same size makes it pick
  // the same parameters and write the same frame header, so both paths give the same bytes.
  ...(pledgedSrcSize === undefined ? {} : { pledgedSrcSize }),
  // ZSTD_c_nbWorkers is deliberately not set: it crashes Node 24, and concurrency comes from segments.
  params: {
    [constants.ZSTD_c_compressionLevel]: level,
    [constants.ZSTD_c_checksumFlag]: 1,
  },
});

/** Makes a gzip member's header platform-independent (Node already writes mtime 0 and no name). */
export const normalizeGzipHeader = (member: Buffer): Buffer => {
  if (member.length > GZIP_OS_OFFSET) member[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
  return member;
};

/** Compresses one whole segment into one gzip member / zstd frame ('none' returns the input). */
export const compressSegment = async (raw: Buffer, compression: Compression, level: number): Promise<Buffer> => {
  switch (compression) {
    case 'none':
      return raw;
    case 'gzip':
      // Deflate's output does not depend on how its input was fed, so one-shot equals the streamed path.
      // One-shot gzip also runs as a stream inside Node: the same piece size as compressStream (a quarter
      // less time for the bench image's 242 MB), and the same bytes.
      return normalizeGzipHeader(await gzipAsync(raw, { ...zlibOptions(level), chunkSize: encodeChunk(raw.length) }));
    case 'zstd': {
      // Not zlib.zstdCompress: zstd's frame depends on whether the input arrives with the end-of-frame flag,
      // and oversized segments must stream; going through compressStream keeps both paths identical.
      const out: Buffer[] = [];
      await compressStream([raw], compression, level, raw.length, async (chunk) => {
        out.push(chunk);
      });
      return Buffer.concat(out);
    }
  }
};

const writeChunk = (compressor: Transform, chunk: Buffer): Promise<void> =>
  new Promise((resolve, reject) => compressor.write(chunk, (err) => (err ? reject(err) : resolve())));

/**
 * Compresses `inputSize` bytes arriving in pieces into one gzip member / zstd frame, handing each output
 * chunk to `output` in order (awaited, so a slow consumer holds the input back). Every piece is fully
 * processed before the stream is ended, so the end-of-frame flag always comes with no input: Node would
 * otherwise set it on whichever piece happens to be pending at end(), and zstd's bytes would depend on
 * that timing. Fed this way, the output does not depend on how the input is split.
 */
export const compressStream = async (
  input: Iterable<Buffer> | AsyncIterable<Buffer>,
  compression: Exclude<Compression, 'none'>,
  level: number,
  inputSize: number,
  output: (chunk: Buffer) => Promise<void>,
): Promise<void> => {
  // Output in pieces of up to ENCODE_CHUNK: each piece is one trip to the threadpool and back, and Node's
  // 16 KiB default made an 8 MiB segment hundreds of them (the main thread's largest cost in a zstd build).
  // The compressed bytes do not depend on the piece size.
  const chunkSize = encodeChunk(inputSize);
  const compressor =
    compression === 'gzip'
      ? createGzip({ ...zlibOptions(level), chunkSize })
      : createZstdCompress({ ...zstdOptions(level, inputSize), chunkSize });
  let at = 0;
  const consumed = (async () => {
    for await (const chunk of compressor as AsyncIterable<Buffer>) {
      if (compression === 'gzip' && at <= GZIP_OS_OFFSET && GZIP_OS_OFFSET < at + chunk.length) {
        chunk[GZIP_OS_OFFSET - at] = GZIP_OS_UNIX;
      }
      at += chunk.length;
      await output(chunk);
    }
  })();
  // Awaited below; handled here so a failure while input is still being fed is not reported as unhandled.
  consumed.catch(() => {});
  try {
    for await (const chunk of input) if (chunk.length > 0) await writeChunk(compressor, chunk);
    compressor.end();
  } catch (e) {
    compressor.destroy(e as Error);
    throw e;
  }
  await consumed;
};
