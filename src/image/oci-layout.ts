// Images from an OCI image layout directory (`oci:DIR[:REF]`, image-spec image-layout.md): index.json →
// (nested) index → platform manifest → config + layers. Every JSON blob is verified against its descriptor
// before it is parsed; layer blobs are verified as they are streamed.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { digestHex } from './digest.ts';
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
import type { ImageSource, Layer, LayerCompression, Platform, ResolvedImage } from './types.ts';
import { openVerifiedFile, verifyBytes } from './verify.ts';

const REF_NAME = 'org.opencontainers.image.ref.name';
/** Manifests and configs are small; refusing huge ones keeps a hostile descriptor from exhausting memory. */
const MAX_JSON_BLOB = 16 << 20;

export interface OciReference {
  dir: string;
  ref?: string;
}

/**
 * Splits `oci:DIR[:REF]`. When everything after `oci:` is an existing directory it is the DIR (so a
 * directory whose name contains ':' works); otherwise the REF is what follows the last ':'.
 */
export function parseOciReference(reference: string): OciReference {
  if (!reference.startsWith('oci:')) {
    throw new InitramfsError('USAGE', `image reference "${reference}": expected oci:DIR[:REF]`);
  }
  const rest = reference.slice('oci:'.length);
  if (rest === '') throw new InitramfsError('USAGE', `image reference "${reference}": no directory after oci:`);
  if (isDirectory(rest)) return { dir: rest };
  const colon = rest.lastIndexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return { dir: rest };
  return { dir: rest.slice(0, colon), ref: rest.slice(colon + 1) };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const sortedNames = (names: Iterable<string>): string => {
  const list = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return list.length > 0 ? list.join(', ') : '(none)';
};

export class OciLayoutSource implements ImageSource, DocumentStore {
  readonly reference: string;
  readonly dir: string;
  readonly ref: string | undefined;
  #candidates: Promise<Candidate[]> | undefined;

  /** `reference` is `oci:DIR[:REF]` as the user wrote it. Nothing is read until platforms()/resolve(). */
  constructor(reference: string) {
    this.reference = reference;
    const parsed = parseOciReference(reference);
    this.dir = parsed.dir;
    this.ref = parsed.ref;
  }

  /** Opens `oci:DIR[:REF]` and reads its index, so a missing directory or unknown REF fails here. */
  static async open(reference: string): Promise<OciLayoutSource> {
    const source = new OciLayoutSource(reference);
    await source.platforms();
    return source;
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

  /** The index.json descriptors the reference selects: all with the REF, or the single one there is. */
  #topDescriptors(): Descriptor[] {
    if (!isDirectory(this.dir)) {
      throw new InitramfsError('IMAGE_NOT_FOUND', `${this.reference}: directory ${this.dir} does not exist`);
    }
    let layoutText: string;
    try {
      layoutText = readFileSync(join(this.dir, 'oci-layout'), 'utf8');
    } catch {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${this.dir} is not an OCI image layout (no oci-layout file)`);
    }
    const layout = parseJson(layoutText, `${this.dir}/oci-layout`) as Record<string, unknown> | null;
    if (typeof layout?.imageLayoutVersion !== 'string') {
      throw new InitramfsError('BAD_IMAGE', `${this.dir}/oci-layout: no imageLayoutVersion`);
    }
    let indexText: string;
    try {
      indexText = readFileSync(join(this.dir, 'index.json'), 'utf8');
    } catch {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${this.dir} has no index.json`);
    }
    const index = parseJson(indexText, `${this.dir}/index.json`);
    if (typeof index !== 'object' || index === null) throw new InitramfsError('BAD_IMAGE', `${this.dir}/index.json: not an object`);
    const all = descriptorList(index as Record<string, unknown>, 'manifests', `${this.dir}/index.json`);
    const refs = all.map((d) => d.annotations?.[REF_NAME]).filter((r): r is string => r !== undefined);
    if (this.ref === undefined) {
      if (all.length !== 1) {
        throw new InitramfsError(
          'IMAGE_NOT_FOUND',
          `${this.reference}: the layout holds ${all.length} images; name one as oci:${this.dir}:REF (refs: ${sortedNames(refs)})`,
        );
      }
      return all;
    }
    const selected = all.filter((d) => d.annotations?.[REF_NAME] === this.ref);
    if (selected.length === 0) {
      throw new InitramfsError('IMAGE_NOT_FOUND', `${this.reference}: no image tagged "${this.ref}"; refs: ${sortedNames(refs)}`);
    }
    return selected;
  }

  #blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  /** Reads, verifies and parses a JSON blob. */
  #readJson(desc: Descriptor, what: string): Record<string, unknown> {
    if (desc.size > MAX_JSON_BLOB) {
      throw new InitramfsError('BAD_IMAGE', `${what} ${desc.digest}: ${desc.size} bytes is too large for a ${what}`);
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.#blobPath(desc.digest));
    } catch {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} blob ${desc.digest} is missing from the layout`);
    }
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
    const path = this.#blobPath(desc.digest);
    try {
      statSync(path);
    } catch {
      throw new InitramfsError('BAD_IMAGE', `${this.reference}: layer blob ${desc.digest} is missing from the layout`);
    }
    const layer: Layer = {
      digest: desc.digest,
      size: desc.size,
      mediaType: desc.mediaType,
      compression,
      open: () => openVerifiedFile(path, { digest: desc.digest, size: desc.size, what: 'layer' }),
    };
    if (diffId !== undefined) layer.diffId = diffId;
    return layer;
  }
}
