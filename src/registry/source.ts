// Images from a registry (`python:3.12-alpine`, `ghcr.io/o/r@sha256:…`): the third ImageSource. Manifests,
// configs and layers go through the blob cache, so a warm cache makes no blob request, and an image pulled
// by digest no manifest request either (tags move, so a tag is always asked for). Layer downloads start as
// soon as the image is resolved, a few at a time, while earlier layers are already being read.
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { InitramfsError } from '../errors.ts';
import { documentTooLarge, MAX_DOCUMENT } from '../image/document-limit.ts';
import { parseJson } from '../image/image-config.ts';
import { INDEX_TYPES, MANIFEST_TYPES } from '../image/media-types.ts';
import {
  choosePlatform,
  collectCandidates,
  resolveCandidate,
  type Candidate,
  type Descriptor,
  type DocumentStore,
} from '../image/manifest-walk.ts';
import type { ImageSource, Layer, LayerCompression, Platform, ResolvedImage } from '../image/types.ts';
import { verifyBytes } from '../image/verify.ts';
import type { Reporter } from '../log.ts';
import { BlobCache } from './blob-cache.ts';
import { RegistryClient, type RegistryClientOptions } from './client.ts';
import { parseReference, type Reference } from './reference.ts';
import type { SharedBlobCache } from './shared-cache.ts';

/** Parallel blob downloads: enough to fill a link, few enough to be polite to the registry. */
const DOWNLOAD_CONCURRENCY = 3;

export interface RegistrySourceOptions {
  cacheDir: string;
  reporter?: Reporter;
  client?: RegistryClientOptions;
  /** Asked for blobs the local cache lacks, before the registry is. */
  sharedCache?: SharedBlobCache;
}

/** Limits how many async jobs run at once, in the order they were asked for. */
class Limiter {
  #running = 0;
  #queue: (() => void)[] = [];
  readonly #max: number;
  constructor(max: number) {
    this.#max = max;
  }
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#max) await new Promise<void>((r) => this.#queue.push(r));
    this.#running++;
    try {
      return await job();
    } finally {
      this.#running--;
      this.#queue.shift()?.();
    }
  }
}

const mediaTypeOf = (doc: Record<string, unknown>): string => {
  if (typeof doc.mediaType === 'string') return doc.mediaType;
  // OCI documents may omit mediaType; the shape tells an index from a manifest.
  return Array.isArray(doc.manifests) ? 'application/vnd.oci.image.index.v1+json' : 'application/vnd.oci.image.manifest.v1+json';
};

export class RegistrySource implements ImageSource, DocumentStore {
  readonly reference: string;
  readonly ref: Reference;
  readonly client: RegistryClient;
  readonly #cache: BlobCache;
  readonly #reporter: Reporter | undefined;
  readonly #shared: SharedBlobCache | undefined;
  readonly #documents = new Map<string, Record<string, unknown>>();
  readonly #blobs = new Map<string, Promise<string>>();
  readonly #downloads = new Limiter(DOWNLOAD_CONCURRENCY);
  #candidates: Promise<Candidate[]> | undefined;

  constructor(reference: string, opts: RegistrySourceOptions) {
    this.reference = reference;
    this.ref = parseReference(reference);
    this.client = new RegistryClient({ ...opts.client, reporter: opts.reporter });
    this.#cache = new BlobCache(opts.cacheDir);
    this.#reporter = opts.reporter;
    this.#shared = opts.sharedCache;
  }

  /** Opens the reference and fetches its top manifest, so an unknown image fails here. */
  static async open(reference: string, opts: RegistrySourceOptions): Promise<RegistrySource> {
    const source = new RegistrySource(reference, opts);
    try {
      await source.platforms();
    } catch (e) {
      await source.close();
      throw e;
    }
    return source;
  }

  async platforms(): Promise<Platform[]> {
    return (await this.#resolveCandidates()).map((c) => c.platform);
  }

  async resolve(platform: Platform): Promise<ResolvedImage> {
    return resolveCandidate(this, choosePlatform(this, await this.#resolveCandidates(), platform));
  }

  async close(): Promise<void> {
    // Downloads still running (a failed build) are left to fail on their own; their errors are handled.
    await this.client.close();
  }

  #resolveCandidates(): Promise<Candidate[]> {
    this.#candidates ??= this.#top().then((top) => collectCandidates(this, [top]));
    return this.#candidates;
  }

  /** The descriptor of what the reference names: by digest from the cache if it is there, else asked. */
  async #top(): Promise<Descriptor> {
    const { digest } = this.ref;
    if (digest !== undefined) {
      const cached = await this.#cachedDocument(digest);
      if (cached) return { digest, size: cached.size, mediaType: mediaTypeOf(cached.doc) };
      const fetched = await this.client.getManifest(this.ref, digest);
      return this.#remember(fetched.bytes, fetched.digest, fetched.mediaType);
    }
    const fetched = await this.client.getManifest(this.ref, this.ref.tag ?? 'latest');
    return this.#remember(fetched.bytes, fetched.digest, fetched.mediaType);
  }

  async #remember(bytes: Buffer, digest: string, mediaType: string): Promise<Descriptor> {
    const doc = this.#parse(bytes, digest);
    this.#documents.set(digest, doc);
    await this.#cache.put(digest, bytes.length, (tmp) => writeFile(tmp, bytes));
    // The registry's Content-Type, else the document's own field.
    const type = INDEX_TYPES.has(mediaType) || MANIFEST_TYPES.has(mediaType) ? mediaType : mediaTypeOf(doc);
    return { digest, size: bytes.length, mediaType: type };
  }

  #parse(bytes: Buffer, digest: string): Record<string, unknown> {
    const json = parseJson(bytes.toString('utf8'), `${this.ref.canonical} ${digest}`);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${digest} is not a JSON object`);
    }
    return json as Record<string, unknown>;
  }

  async #cachedDocument(digest: string, size?: number): Promise<{ doc: Record<string, unknown>; size: number } | undefined> {
    const memo = this.#documents.get(digest);
    if (memo && size !== undefined) return { doc: memo, size };
    const path = size === undefined ? await this.#lookupAnySize(digest) : await this.#cache.lookup(digest, size);
    if (!path) return undefined;
    const bytes = await readFile(path);
    const doc = this.#parse(bytes, digest);
    this.#documents.set(digest, doc);
    return { doc, size: bytes.length };
  }

  /** A by-digest reference carries no size: the digest alone proves the cached bytes. */
  async #lookupAnySize(digest: string): Promise<string | undefined> {
    try {
      const st = await stat(this.#cache.path(digest));
      // Documents are cached no larger than this; a larger blob (a layer's digest as the reference) is none.
      if (st.size > MAX_DOCUMENT) return undefined;
      return this.#cache.lookup(digest, st.size);
    } catch {
      return undefined;
    }
  }

  async manifest(desc: Descriptor): Promise<Record<string, unknown>> {
    if (desc.size > MAX_DOCUMENT) throw documentTooLarge(`${this.reference}: manifest ${desc.digest}`, desc.size);
    const cached = await this.#cachedDocument(desc.digest, desc.size);
    if (cached) return cached.doc;
    const fetched = await this.client.getManifest(this.ref, desc.digest);
    verifyBytes(fetched.bytes, desc.digest, desc.size, 'manifest');
    await this.#remember(fetched.bytes, desc.digest, fetched.mediaType);
    return this.#documents.get(desc.digest)!;
  }

  async config(desc: Descriptor): Promise<Record<string, unknown>> {
    // Refused on the manifest's word, before a byte is downloaded: a config is read whole into memory.
    if (desc.size > MAX_DOCUMENT) throw documentTooLarge(`${this.reference}: config ${desc.digest}`, desc.size);
    const path = await this.#blob(desc);
    const bytes = await readFile(path);
    verifyBytes(bytes, desc.digest, desc.size, 'config');
    return this.#parse(bytes, desc.digest);
  }

  layer(desc: Descriptor, compression: LayerCompression, diffId: string | undefined): Layer {
    const ready = this.#blob(desc);
    // Started now, awaited when the layer is opened; until then a failure must not go unhandled.
    ready.catch(() => {});
    const layer: Layer = {
      digest: desc.digest,
      size: desc.size,
      mediaType: desc.mediaType,
      compression,
      open: (): Readable => {
        const out = new PassThrough();
        // #blob() only yields bytes this process has just verified (lookup hashed them, or the download
        // did while writing), and the cache is private to the user: hashing them a second time here would
        // cost a full pass over every layer on each warm build and prove nothing new.
        ready.then(
          (path) => pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), out, () => {}),
          (e: unknown) => out.destroy(e as Error),
        );
        return out;
      },
    };
    if (diffId !== undefined) layer.diffId = diffId;
    return layer;
  }

  /** The cache path of a blob, downloading it (once per build, a few at a time) when absent. */
  #blob(desc: Descriptor): Promise<string> {
    let p = this.#blobs.get(desc.digest);
    if (!p) {
      p = this.#downloads.run(async () => {
        const hit = await this.#cache.lookup(desc.digest, desc.size);
        if (hit) return hit;
        if (this.#shared && (await this.#shared.restore(desc.digest, desc.size, this.#cache.path(desc.digest)))) {
          // lookup verifies the restored bytes and removes them when they do not match.
          const restored = await this.#cache.lookup(desc.digest, desc.size);
          if (restored) return restored;
          this.#reporter?.warn(`shared cache entry for ${desc.digest} did not match its digest; downloading it`);
        }
        const started = performance.now();
        const path = await this.#cache.put(desc.digest, desc.size, (tmp) => this.client.downloadBlob(this.ref, desc.digest, desc.size, tmp));
        this.#shared?.downloaded(desc.digest, path);
        const secs = ((performance.now() - started) / 1000).toFixed(1);
        this.#reporter?.info(`pulled ${desc.digest.slice(0, 19)} (${(desc.size / 1e6).toFixed(1)} MB) in ${secs}s`);
        return path;
      });
      this.#blobs.set(desc.digest, p);
    }
    return p;
  }
}
