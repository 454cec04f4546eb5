// An OCI image layout's images (image-spec image-layout.md), wherever its files are: a directory for
// `oci:DIR[:REF]`, members of a tar for `oci-archive:FILE[:REF]`. index.json → the descriptors REF selects
// → the walk every source shares (manifest-walk.ts). Every JSON blob is verified against its descriptor
// before it is parsed; layer blobs are verified as they stream.
import type { Readable } from 'node:stream';
import { InitramfsError } from '../errors.ts';
import { digestHex } from './digest.ts';
import { documentTooLarge, MAX_DOCUMENT } from './document-limit.ts';
import { parseJson } from './image-config.ts';
import { INDEX_TYPES } from './media-types.ts';
import {
  choosePlatform,
  collectCandidates,
  descriptorList,
  resolveCandidate,
  type Candidate,
  type Descriptor,
  type DocumentStore,
} from './manifest-walk.ts';
import { quote, shown } from '../quote.ts';
import type { ImageSource, Layer, LayerCompression, Platform, ResolvedImage } from './types.ts';
import { verifyBytes, type BlobCheck } from './verify.ts';

export const REF_NAME = 'org.opencontainers.image.ref.name';

/** The files of a layout, by their path inside it (`oci-layout`, `index.json`, `blobs/sha256/<hex>`). */
export interface LayoutFiles {
  /** What messages call the layout's container: `the layout` / `the archive`. */
  readonly noun: string;
  /** The layout as the user named it (DIR or FILE), for messages and the `TRANSPORT:WHERE:REF` hint. */
  readonly where: string;
  /**
   * The size of the regular file at `path`; undefined when there is none. Something else there (a FIFO,
   * a directory) is BAD_IMAGE: it is never opened.
   */
  size(path: string): number | undefined;
  /** The first `max` bytes of the regular file at `path` (all of it when shorter). */
  read(path: string, max: number): Buffer;
  /** The file's bytes as a stream checked against `check` as it is read. */
  open(path: string, check: BlobCheck): Readable;
}

const sortedNames = (names: Iterable<string>): string => {
  const list = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => shown(n, 128));
  return list.length > 0 ? list.join(', ') : '(none)';
};

const blobPath = (digest: string): string => `blobs/sha256/${digestHex(digest)}`;

export class LayoutSource implements ImageSource, DocumentStore {
  readonly reference: string;
  readonly ref: string | undefined;
  readonly #files: LayoutFiles;
  readonly #transport: string;
  #candidates: Promise<Candidate[]> | undefined;

  /** `transport` is `oci` or `oci-archive`: how a message spells the reference that names one image. */
  constructor(reference: string, transport: string, files: LayoutFiles, ref: string | undefined) {
    this.reference = reference;
    this.ref = ref;
    this.#files = files;
    this.#transport = transport;
  }

  async platforms(): Promise<Platform[]> {
    return (await this.#resolveCandidates()).map((c) => c.platform);
  }

  async resolve(platform: Platform): Promise<ResolvedImage> {
    // Index order decides between equal matches, so the choice depends on nothing but the layout.
    return resolveCandidate(this, choosePlatform(this, await this.#resolveCandidates(), platform));
  }

  #resolveCandidates(): Promise<Candidate[]> {
    this.#candidates ??= Promise.resolve().then(() => collectCandidates(this, this.#topDescriptors()));
    return this.#candidates;
  }

  #readLayoutJson(path: string): Record<string, unknown> | undefined {
    const f = this.#files;
    const size = f.size(path);
    if (size === undefined) return undefined;
    if (size > MAX_DOCUMENT) throw documentTooLarge(`${this.reference}: ${path}`, size);
    // One byte more than the limit: a file that grew since its size was taken is still caught.
    const bytes = f.read(path, MAX_DOCUMENT + 1);
    if (bytes.length > MAX_DOCUMENT) throw documentTooLarge(`${this.reference}: ${path}`);
    const json = parseJson(bytes.toString('utf8'), `${this.reference}: ${path}`);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${path} is not a JSON object`);
    }
    return json as Record<string, unknown>;
  }

  /** The index.json descriptors the reference selects: all with the REF, or the single one there is. */
  #topDescriptors(): Descriptor[] {
    const f = this.#files;
    const layout = this.#readLayoutJson('oci-layout');
    if (layout === undefined) {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${quote(f.where)} is not an OCI image layout (no oci-layout file)`);
    }
    if (typeof layout.imageLayoutVersion !== 'string') {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: oci-layout has no imageLayoutVersion`);
    }
    const index = this.#readLayoutJson('index.json');
    if (index === undefined) throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${f.noun} has no index.json`);
    const all = descriptorList(index, 'manifests', `${this.reference}: index.json`);
    const refs = all.map((d) => d.annotations?.[REF_NAME]).filter((r): r is string => r !== undefined);
    if (this.ref === undefined) {
      if (all.length !== 1) {
        throw new InitramfsError(
          'IMAGE_NOT_FOUND',
          `${this.reference}: ${f.noun} holds ${all.length} images; name one as ${shown(`${this.#transport}:${f.where}`)}:REF (refs: ${sortedNames(refs)})`,
        );
      }
      return all;
    }
    const selected = all.filter((d) => d.annotations?.[REF_NAME] === this.ref);
    if (selected.length === 0) {
      throw new InitramfsError('IMAGE_NOT_FOUND', `${this.reference}: no image tagged ${quote(this.ref)}; refs: ${sortedNames(refs)}`);
    }
    return selected;
  }

  /** Reads, verifies and parses a JSON blob. */
  #readJson(desc: Descriptor, what: string): Record<string, unknown> {
    if (desc.size > MAX_DOCUMENT) throw documentTooLarge(`${this.reference}: ${what} ${desc.digest}`, desc.size);
    const path = blobPath(desc.digest);
    if (this.#files.size(path) === undefined) {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} blob ${desc.digest} is missing from ${this.#files.noun}`);
    }
    // One byte more than promised, so that a longer file fails its check as too large.
    const bytes = this.#files.read(path, desc.size + 1);
    verifyBytes(bytes, desc.digest, desc.size, what);
    const json = parseJson(bytes.toString('utf8'), `${what} ${desc.digest}`);
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new InitramfsError('BAD_IMAGE', `${what} ${desc.digest}: not a JSON object`);
    }
    return json as Record<string, unknown>;
  }

  async manifest(desc: Descriptor): Promise<Record<string, unknown>> {
    return this.#readJson(desc, INDEX_TYPES.has(desc.mediaType) ? 'index' : 'manifest');
  }

  async config(desc: Descriptor): Promise<Record<string, unknown>> {
    return this.#readJson(desc, 'config');
  }

  layer(desc: Descriptor, compression: LayerCompression, diffId: string | undefined): Layer {
    const path = blobPath(desc.digest);
    if (this.#files.size(path) === undefined) {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: layer blob ${desc.digest} is missing from ${this.#files.noun}`);
    }
    const files = this.#files;
    const layer: Layer = {
      digest: desc.digest,
      size: desc.size,
      mediaType: desc.mediaType,
      compression,
      open: () => files.open(path, { digest: desc.digest, size: desc.size, what: 'layer' }),
    };
    if (diffId !== undefined) layer.diffId = diffId;
    return layer;
  }
}
