// Writes the initramfs: plan → newc records with their file data → segments of one cpio archive (whole
// entries; the last ends with the trailer) → each compressed on its own, concurrently → appended in order
// to the output target (see output.ts: a temporary file fsynced and renamed onto a regular file; a FIFO,
// device or standard output written straight into), hashed as written. On any error the target is
// aborted, so a file output either holds a complete archive or is untouched. Memory stays at a few
// segments, whatever the image size.
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { InitramfsError } from '../errors.ts';
import { openOutput, type OutputTarget } from '../output.ts';
import type { Reporter } from '../log.ts';
import { SPOOL_LAYOUT } from '../image/spool.ts';
import { fromBytePath, type DataRef, type Node } from '../rootfs/node.ts';
import { compressSegment, compressStream, resolveLevel, type Compression } from './compress.ts';
import { encodeHeader, encodeTrailer, pad4 } from './newc.ts';
import { planArchive, SEGMENT_TARGET, type PlannedRecord, type Segment } from './plan.ts';
import { SegmentCache } from './segment-cache.ts';

export interface WriteOptions {
  /** Final path of the archive, or `-` for standard output (see output.ts). */
  output: string;
  compression: Compression;
  /** Defaults to the method's default level. */
  level?: number | undefined;
  /** Clamp every mtime to this (seconds since the epoch). */
  sourceDateEpoch?: number | undefined;
  reporter?: Reporter | undefined;
  /** Segment size target; defaults to SEGMENT_TARGET. For tests and benchmarks: it changes the bytes. */
  segmentTarget?: number | undefined;
  /** Segments compressed at once; defaults to cores + 1. Never changes the bytes. */
  concurrency?: number | undefined;
  /** The tool's cache: compressed segments of earlier builds are reused from it and added to it. Never
   * changes the bytes. */
  cacheDir?: string | undefined;
}

export interface ArchiveResult {
  /** sha256 of the written file, `sha256:<hex>`. */
  digest: string;
  /** Bytes written (compressed). */
  size: number;
  /** The compression level used (the default when none was given); null for 'none'. */
  level: number | null;
  /** Records, the trailer excluded. */
  entries: number;
  /** Total cpio bytes before compression. */
  uncompressedSize: number;
}

/** Read and write size for streamed segments (memory per streamed segment; the bytes do not depend on it). */
const STREAM_CHUNK = 1 << 20;

/**
 * A segment bigger than this many segment targets (it holds a huge file) is streamed through the
 * compressor instead of being assembled in memory, so memory stays at a few segments. Both paths give
 * the same bytes (see compressStream); this only bounds memory.
 */
const IN_MEMORY_FACTOR = 2;

const ZERO_PAD = Buffer.alloc(4);

/** Reads a regular file's bytes from wherever the model says they are, in pieces at any position. */
interface DataReader {
  read(target: Buffer, targetOffset: number, position: number, length: number): Promise<void>;
  close(): Promise<void>;
}

const openHost = async (path: string, hostPath: string, size: number): Promise<DataReader> => {
  const fail = (why: string, cause?: unknown): InitramfsError =>
    new InitramfsError('INJECT_SOURCE', `${fromBytePath(path)}: cannot read ${hostPath}: ${why}`, { cause });
  let fh: FileHandle;
  try {
    fh = await open(hostPath, 'r');
  } catch (e) {
    throw fail((e as Error).message, e);
  }
  const checkSize = async (): Promise<void> => {
    const now = (await fh.stat()).size;
    if (now !== size) throw fail(`its size changed from ${size} to ${now} bytes since it was planned`);
  };
  try {
    await checkSize();
  } catch (e) {
    await fh.close();
    throw e;
  }
  return {
    async read(target, targetOffset, position, length) {
      let done = 0;
      while (done < length) {
        let bytesRead: number;
        try {
          ({ bytesRead } = await fh.read(target, targetOffset + done, length - done, position + done));
        } catch (e) {
          throw fail((e as Error).message, e);
        }
        if (bytesRead === 0) throw fail(`it ended at ${position + done} bytes, expected ${size}`);
        done += bytesRead;
      }
    },
    async close() {
      try {
        // A file that grew while being read would otherwise be silently cut.
        await checkSize();
      } finally {
        await fh.close();
      }
    },
  };
};

const openData = async (path: string, ref: DataRef, size: number): Promise<DataReader> => {
  switch (ref.kind) {
    case 'host':
      return openHost(path, ref.path, size);
    case 'spool':
      return {
        read: async (target, targetOffset, position, length) =>
          ref.spool.readInto(target, targetOffset, ref.offset + position, length),
        close: async () => {},
      };
    case 'bytes':
      return {
        read: async (target, targetOffset, position, length) => {
          target.set(ref.bytes.subarray(position, position + length), targetOffset);
        },
        close: async () => {},
      };
  }
};

/**
 * Assembles a whole segment in one buffer: its records with their data, and the archive's trailer when it
 * is the last segment. Every segment's bytes are whole newc entries, so each compressed member ends on an
 * entry boundary. `into` (at least `segment.size` bytes, any content) is used when given, else a new
 * buffer; every byte of the result is written here, padding included, so its old content never shows.
 */
export const assembleSegment = async (segment: Segment, into?: Buffer): Promise<Buffer> => {
  if (into !== undefined && into.length < segment.size) throw new Error(`archive: a ${into.length}-byte buffer for a ${segment.size}-byte segment`);
  const buf = (into ?? Buffer.allocUnsafeSlow(segment.size)).subarray(0, segment.size);
  let at = 0;
  for (const record of segment.records) {
    const header = encodeHeader(record.entry); // name, NUL and padding included
    header.copy(buf, at);
    at += header.length;
    const { data, entry } = record;
    if (data.kind === 'target') data.bytes.copy(buf, at);
    if (data.kind === 'file') {
      const reader = await openData(entry.name, data.ref, entry.filesize);
      try {
        await reader.read(buf, at, 0, entry.filesize);
      } finally {
        await reader.close();
      }
    }
    at += entry.filesize;
    // Zero padding: the bytes must not depend on what the buffer held before.
    const pad = pad4(entry.filesize);
    buf.fill(0, at, at + pad);
    at += pad;
  }
  if (segment.last) {
    const trailer = encodeTrailer();
    trailer.copy(buf, at);
    at += trailer.length;
  }
  if (at !== segment.size) throw new Error(`archive: segment assembled to ${at} bytes, planned ${segment.size}`);
  return buf;
};

/** Tags the preimage of segment keys: a change to what the key covers must change it. */
const SEGMENT_KEY_FORMAT = 'initramfs-action segment key/1';

/**
 * The segment cache's key for a segment: the sha256 of everything that decides its bytes, with the file
 * data named instead of read where its name is as good as its bytes. Headers (with their padding) and
 * symlink targets go in as they are encoded; spooled data as its layer's verified digest, the spool
 * layout and its offset there (a function of that digest, see spool.ts); injected host files and
 * generated files by their content. A warm build thus finds a segment's compressed bytes without reading
 * or hashing the megabytes it holds, and two segments with the same key have the same bytes.
 */
export const segmentKey = async (segment: Segment): Promise<string> => {
  const hash = createHash('sha256').update(`${SEGMENT_KEY_FORMAT}\0${SPOOL_LAYOUT}\0`);
  const field = (text: string): void => {
    hash.update(`${text.length}:${text}`);
  };
  for (const { entry, data } of segment.records) {
    hash.update(encodeHeader(entry));
    if (data.kind === 'target') hash.update(data.bytes);
    if (data.kind !== 'file') continue;
    const { ref } = data;
    if (ref.kind === 'spool') {
      field(`spool ${ref.spool.source} ${ref.offset} ${entry.filesize}`);
    } else {
      // A host file or generated bytes: by content, read in pieces (an injected file may be large).
      field(`content ${entry.filesize}`);
      const reader = await openData(entry.name, ref, entry.filesize);
      try {
        const chunk = Buffer.allocUnsafe(Math.min(STREAM_CHUNK, entry.filesize));
        for (let pos = 0; pos < entry.filesize; pos += chunk.length) {
          const n = Math.min(chunk.length, entry.filesize - pos);
          await reader.read(chunk, 0, pos, n);
          hash.update(chunk.subarray(0, n));
        }
      } finally {
        await reader.close();
      }
    }
  }
  if (segment.last) field('trailer');
  return hash.digest('hex');
};

/** The bytes of one record in fixed-size pieces, for streamed segments. */
async function* recordChunks(record: PlannedRecord): AsyncGenerator<Buffer> {
  const { entry, data } = record;
  yield encodeHeader(entry);
  if (data.kind === 'target') yield data.bytes;
  if (data.kind === 'file') {
    const reader = await openData(entry.name, data.ref, entry.filesize);
    try {
      for (let pos = 0; pos < entry.filesize; pos += STREAM_CHUNK) {
        const chunk = Buffer.alloc(Math.min(STREAM_CHUNK, entry.filesize - pos));
        await reader.read(chunk, 0, pos, chunk.length);
        yield chunk;
      }
    } finally {
      await reader.close();
    }
  }
  const pad = pad4(entry.filesize);
  if (pad > 0) yield ZERO_PAD.subarray(0, pad);
}

async function* segmentChunks(segment: Segment): AsyncGenerator<Buffer> {
  for (const record of segment.records) yield* recordChunks(record);
  if (segment.last) yield encodeTrailer();
}

/** The output: appends in order, hashing and counting what it writes. */
class Sink {
  readonly #target: OutputTarget;
  readonly #hash = createHash('sha256');
  size = 0;

  constructor(target: OutputTarget) {
    this.#target = target;
  }

  async write(buf: Buffer): Promise<void> {
    this.#hash.update(buf);
    await this.#target.write(buf);
    this.size += buf.length;
  }

  digest(): string {
    return `sha256:${this.#hash.digest('hex')}`;
  }
}

/**
 * Joins small pieces (headers, padding, small files) into writes of about `size` bytes: fewer round trips
 * to the threadpool. The compressed bytes do not depend on how the input is split, so this is free.
 */
async function* coalesce(chunks: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let held = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    held += chunk.length;
    if (held >= size) {
      yield parts.length === 1 ? parts[0]! : Buffer.concat(parts, held);
      parts = [];
      held = 0;
    }
  }
  if (held > 0) yield Buffer.concat(parts, held);
}

/** Streams one oversized segment through its compressor straight into the sink, reporting input fed. */
const streamSegment = async (
  segment: Segment,
  compression: Compression,
  level: number,
  sink: Sink,
  onInput: (bytes: number) => void,
): Promise<void> => {
  async function* input(): AsyncGenerator<Buffer> {
    for await (const chunk of coalesce(segmentChunks(segment), STREAM_CHUNK)) {
      yield chunk;
      onInput(chunk.length);
    }
  }
  if (compression === 'none') {
    for await (const chunk of input()) await sink.write(chunk);
    return;
  }
  await compressStream(input(), compression, level, segment.size, (chunk) => sink.write(chunk));
};

/**
 * Writes the initramfs for `root` to `options.output` and returns its digest and sizes. The bytes depend
 * only on the tree and the options that shape them (compression, level, sourceDateEpoch, segmentTarget).
 */
export const writeArchive = async (root: Node, options: WriteOptions): Promise<ArchiveResult> => {
  const { compression, reporter } = options;
  const level = resolveLevel(compression, options.level);
  const segmentTarget = options.segmentTarget ?? SEGMENT_TARGET;
  const concurrency = options.concurrency ?? availableParallelism() + 1;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new InitramfsError('USAGE', `concurrency must be a positive integer, got ${concurrency}`);
  }
  const plan = planArchive(root, { sourceDateEpoch: options.sourceDateEpoch, segmentTarget });
  const inMemoryLimit = IN_MEMORY_FACTOR * segmentTarget;

  reporter?.stage(
    'archive',
    `writing ${plan.entries} entries in ${plan.segments.length} segment(s), ${compression}${compression === 'none' ? '' : ` level ${level}`}`,
    plan.uncompressedSize,
  );

  let target: OutputTarget | undefined;
  try {
    target = await openOutput(options.output);
    const sink = new Sink(target);
    const cache = compression === 'none' || options.cacheDir === undefined ? undefined : new SegmentCache(options.cacheDir, compression, level);
    let reused = 0;
    let doneBytes = 0;
    // Segment buffers are reused once their segment is written: fresh memory costs a page fault per 4 KiB
    // on first touch, which on a virtual machine made filling new buffers take 25 times as long as
    // filling used ones (700 ms against 30 ms for the 240 MB of the benchmark image). At most `concurrency`
    // of them exist, each large enough for any segment held in memory.
    const spare: Buffer[] = [];
    interface InFlight {
      compressed: Promise<Buffer>;
      rawSize: number;
      /** The buffer the segment was assembled in, if it was (a cache hit needs none). */
      buffer?: Buffer;
    }
    const assemble = (segment: Segment, job: InFlight): Promise<Buffer> => {
      job.buffer = spare.pop() ?? Buffer.allocUnsafeSlow(inMemoryLimit);
      return assembleSegment(segment, job.buffer);
    };
    const compressCached = async (segment: Segment, job: InFlight, c: SegmentCache): Promise<Buffer> => {
      const key = await segmentKey(segment);
      const hit = await c.get(key);
      if (hit) {
        reused++;
        return hit;
      }
      const compressed = await compressSegment(await assemble(segment, job), compression, level);
      await c.put(key, compressed);
      return compressed;
    };
    const inflight: InFlight[] = [];
    const writeOldest = async (): Promise<void> => {
      const next = inflight.shift()!;
      await sink.write(await next.compressed);
      // Compressed (or, for 'none', written): the raw bytes are no longer needed.
      if (next.buffer) spare.push(next.buffer);
      doneBytes += next.rawSize;
      reporter?.progress('archive', doneBytes);
    };

    for (const segment of plan.segments) {
      if (segment.size > inMemoryLimit) {
        while (inflight.length > 0) await writeOldest();
        await streamSegment(segment, compression, level, sink, (bytes) => {
          doneBytes += bytes;
          reporter?.progress('archive', doneBytes);
        });
        continue;
      }
      const job: InFlight = { compressed: Promise.resolve(Buffer.alloc(0)), rawSize: segment.size };
      if (cache) {
        job.compressed = compressCached(segment, job, cache);
      } else {
        // Assembled here, one at a time: the main thread reads while earlier segments compress.
        const raw = await assemble(segment, job);
        job.compressed = compressSegment(raw, compression, level);
      }
      // Handled here so a failure is not "unhandled" while we wait on an older segment; awaited in order.
      job.compressed.catch(() => {});
      inflight.push(job);
      while (inflight.length >= concurrency) await writeOldest();
    }
    while (inflight.length > 0) await writeOldest();

    await target.commit();
    const result: ArchiveResult = {
      digest: sink.digest(),
      size: sink.size,
      level: compression === 'none' ? null : level,
      entries: plan.entries,
      uncompressedSize: plan.uncompressedSize,
    };
    const reuse = reused > 0 ? `, ${reused} of ${plan.segments.length} segment(s) reused from the cache` : '';
    reporter?.done('archive', `${target.display}: ${result.size} bytes (${plan.uncompressedSize} uncompressed)${reuse}, ${result.digest}`);
    return result;
  } catch (e) {
    await target?.abort();
    throw e;
  }
};
