// Images from an OCI image layout directory (`oci:DIR[:REF]`, image-spec image-layout.md): index.json →
// (nested) index → platform manifest → config + layers. Every JSON blob is verified against its descriptor
// before it is parsed; layer blobs are verified as they are streamed.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { checkDigest, digestHex } from './digest.ts';
import { parseImageConfig, parseJson } from './image-config.ts';
import { CONFIG_TYPES, INDEX_TYPES, LAYER_COMPRESSION, MANIFEST_TYPES } from './media-types.ts';
import { listPlatforms, platformMatches } from './platform.ts';
import type { ImageSource, Layer, Platform, ResolvedImage } from './types.ts';
import { openVerifiedFile, verifyBytes } from './verify.ts';

const REF_NAME = 'org.opencontainers.image.ref.name';
/** Manifests and configs are small; refusing huge ones keeps a hostile descriptor from exhausting memory. */
const MAX_JSON_BLOB = 16 << 20;
/** Indexes may nest; content addressing rules out cycles, this rules out absurd depth. */
const MAX_INDEX_DEPTH = 8;

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

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** A platform manifest reachable from the chosen top-level descriptor, with the platform it serves. */
interface Candidate {
  platform: Platform;
  manifest: Descriptor;
}

function parseDescriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null) throw new InitramfsError('BAD_IMAGE', `${where}: not a descriptor object`);
  const d = value as Record<string, unknown>;
  const digest = checkDigest(d.digest, where);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw new InitramfsError('BAD_IMAGE', `${where}: size ${JSON.stringify(d.size)} is not a byte count`);
  }
  if (typeof d.mediaType !== 'string') throw new InitramfsError('BAD_IMAGE', `${where}: no mediaType`);
  const desc: Descriptor = { mediaType: d.mediaType, digest, size: d.size };
  const p = d.platform as Record<string, unknown> | undefined;
  if (p && typeof p === 'object' && typeof p.os === 'string' && typeof p.architecture === 'string') {
    desc.platform = { os: p.os, architecture: p.architecture };
    if (typeof p.variant === 'string' && p.variant !== '') desc.platform.variant = p.variant;
  }
  if (d.annotations && typeof d.annotations === 'object') {
    const ann: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.annotations as Record<string, unknown>)) if (typeof v === 'string') ann[k] = v;
    desc.annotations = ann;
  }
  return desc;
}

function descriptorList(doc: Record<string, unknown>, key: string, where: string): Descriptor[] {
  const list = doc[key];
  if (!Array.isArray(list)) throw new InitramfsError('BAD_IMAGE', `${where}: "${key}" is not a list`);
  return list.map((d, i) => parseDescriptor(d, `${where} ${key}[${i}]`));
}

const sortedNames = (names: Iterable<string>): string => {
  const list = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return list.length > 0 ? list.join(', ') : '(none)';
};

export class OciLayoutSource implements ImageSource {
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
    const candidates = await this.#resolveCandidates();
    // Index order decides between equal matches, so the choice does not depend on anything but the layout.
    const chosen = candidates.find((c) => platformMatches(platform, c.platform));
    if (!chosen) {
      const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
      throw new InitramfsError(
        'PLATFORM_NOT_FOUND',
        `${this.reference}: no image for platform ${want}; available: ${listPlatforms(candidates.map((c) => c.platform))}`,
      );
    }
    return this.#resolveManifest(chosen);
  }

  #resolveCandidates(): Promise<Candidate[]> {
    this.#candidates ??= Promise.resolve().then(() => {
      const top = this.#topDescriptors();
      const out: Candidate[] = [];
      for (const d of top) this.#collect(d, 0, out);
      return out;
    });
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

  /** What a descriptor points at: its media type, or the document's own when the descriptor's is generic. */
  #kind(desc: Descriptor): 'index' | 'manifest' {
    if (INDEX_TYPES.has(desc.mediaType)) return 'index';
    if (MANIFEST_TYPES.has(desc.mediaType)) return 'manifest';
    throw new InitramfsError(
      'UNSUPPORTED',
      `${this.reference}: ${desc.digest} has media type ${desc.mediaType}, which is neither an image manifest nor an index`,
    );
  }

  #collect(desc: Descriptor, depth: number, out: Candidate[]): void {
    if (this.#kind(desc) === 'manifest') {
      out.push({ platform: desc.platform ?? this.#manifestPlatform(desc), manifest: desc });
      return;
    }
    if (depth >= MAX_INDEX_DEPTH) throw new InitramfsError('BAD_IMAGE', `${desc.digest}: indexes nest deeper than ${MAX_INDEX_DEPTH}`);
    const index = this.#readJson(desc, 'index');
    for (const child of descriptorList(index, 'manifests', `index ${desc.digest}`)) {
      // Indexes may also list non-image artifacts (attestations, signatures): not candidates.
      if (!INDEX_TYPES.has(child.mediaType) && !MANIFEST_TYPES.has(child.mediaType)) continue;
      if (child.platform && child.platform.os === 'unknown') continue;
      this.#collect(child, depth + 1, out);
    }
  }

  /** A manifest listed without a platform serves the one its config declares. */
  #manifestPlatform(desc: Descriptor): Platform {
    const { config } = this.#readManifest(desc);
    const parsed = parseImageConfig(this.#readJson(config, 'config'), `config ${config.digest}`);
    return parsed.platform ?? { os: 'unknown', architecture: 'unknown' };
  }

  #readManifest(desc: Descriptor): { config: Descriptor; layers: Descriptor[] } {
    const m = this.#readJson(desc, 'manifest');
    if (m.schemaVersion !== 2) {
      throw new InitramfsError('UNSUPPORTED', `manifest ${desc.digest}: schemaVersion ${JSON.stringify(m.schemaVersion)} (only 2 is read)`);
    }
    const config = parseDescriptor(m.config, `manifest ${desc.digest} config`);
    if (!CONFIG_TYPES.has(config.mediaType)) {
      throw new InitramfsError(
        'UNSUPPORTED',
        `manifest ${desc.digest}: config media type ${config.mediaType} is not a container image config`,
      );
    }
    return { config, layers: descriptorList(m, 'layers', `manifest ${desc.digest}`) };
  }

  #resolveManifest(chosen: Candidate): ResolvedImage {
    const { config, layers } = this.#readManifest(chosen.manifest);
    const parsed = parseImageConfig(this.#readJson(config, 'config'), `config ${config.digest}`);
    if (parsed.diffIds !== undefined && parsed.diffIds.length !== layers.length) {
      throw new InitramfsError(
        'BAD_IMAGE',
        `manifest ${chosen.manifest.digest}: ${layers.length} layers but the config lists ${parsed.diffIds.length} diff_ids`,
      );
    }
    return {
      reference: this.reference,
      digest: chosen.manifest.digest,
      platform: parsed.platform ?? chosen.platform,
      config: parsed.config,
      layers: layers.map((d, i) => this.#layer(d, parsed.diffIds?.[i])),
    };
  }

  #layer(desc: Descriptor, diffId: string | undefined): Layer {
    const compression = LAYER_COMPRESSION.get(desc.mediaType);
    if (compression === undefined) {
      throw new InitramfsError('UNSUPPORTED', `layer ${desc.digest}: media type ${desc.mediaType} is not a layer type this tool reads`);
    }
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
