// Walking from a top descriptor to one platform's image, the same for every source: an index (OCI index
// or Docker manifest list, possibly nested) lists platform manifests; a manifest names a config and
// layers. Where the documents come from (a layout's files, a registry's API) is the `DocumentStore`'s
// business; every document it returns is already verified against its descriptor.
import { InitramfsError } from '../errors.ts';
import { shown } from '../quote.ts';
import { checkDigest } from './digest.ts';
import { parseImageConfig } from './image-config.ts';
import { CONFIG_TYPES, INDEX_TYPES, LAYER_COMPRESSION, MANIFEST_TYPES, SCHEMA1_TYPES } from './media-types.ts';
import { listPlatforms, platformMatches } from './platform.ts';
import { schema1Error, schema1Type } from './schema1.ts';
import type { Layer, LayerCompression, Platform, ResolvedImage } from './types.ts';

/** Indexes may nest; content addressing rules out cycles, this rules out absurd depth. */
const MAX_INDEX_DEPTH = 8;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** A platform manifest reachable from the top descriptor, with the platform it serves. */
export interface Candidate {
  platform: Platform;
  manifest: Descriptor;
}

/** Where a source's documents and layers come from. */
export interface DocumentStore {
  /** The reference as the user wrote it, for messages. */
  readonly reference: string;
  /** A manifest or index, verified against `desc`, parsed. */
  manifest(desc: Descriptor): Promise<Record<string, unknown>>;
  /** A config blob, verified against `desc`, parsed. */
  config(desc: Descriptor): Promise<Record<string, unknown>>;
  /** The layer behind `desc` (its bytes verified as they stream). */
  layer(desc: Descriptor, compression: LayerCompression, diffId: string | undefined): Layer;
}

/** A JSON value from a document, for a message: as JSON, shortened. */
const valueOf = (v: unknown): string => shown(String(JSON.stringify(v)), 40);

export function parseDescriptor(value: unknown, where: string): Descriptor {
  if (typeof value !== 'object' || value === null) throw new InitramfsError('BAD_IMAGE', `${where}: not a descriptor object`);
  const d = value as Record<string, unknown>;
  const digest = checkDigest(d.digest, where);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw new InitramfsError('BAD_IMAGE', `${where}: size ${valueOf(d.size)} is not a byte count`);
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

export function descriptorList(doc: Record<string, unknown>, key: string, where: string): Descriptor[] {
  const list = doc[key];
  if (!Array.isArray(list)) throw new InitramfsError('BAD_IMAGE', `${where}: "${key}" is not a list`);
  return list.map((d, i) => parseDescriptor(d, `${where} ${key}[${i}]`));
}

/** Image manifests, including Docker schema 1 ones: candidates that fail with a clear message when used. */
const isManifestType = (mediaType: string): boolean => MANIFEST_TYPES.has(mediaType) || SCHEMA1_TYPES.has(mediaType);

/** What a descriptor points at, by its media type. */
function kind(store: DocumentStore, desc: Descriptor): 'index' | 'manifest' {
  if (INDEX_TYPES.has(desc.mediaType)) return 'index';
  if (isManifestType(desc.mediaType)) return 'manifest';
  throw new InitramfsError(
    'UNSUPPORTED',
    `${store.reference}: ${desc.digest} has media type ${shown(desc.mediaType, 100)}, which is neither an image manifest nor an index`,
  );
}

/**
 * Every platform manifest under `top`, in index order. The walk recurses at most MAX_INDEX_DEPTH deep and
 * reads each index once: an index listed again (at any depth) adds nothing new, and without that an
 * index naming one nested index a hundred times, eight levels down, would be walked 100^8 times.
 */
export async function collectCandidates(store: DocumentStore, top: Descriptor[]): Promise<Candidate[]> {
  const out: Candidate[] = [];
  const walked = new Set<string>();
  const visit = async (desc: Descriptor, depth: number): Promise<void> => {
    if (kind(store, desc) === 'manifest') {
      out.push({ platform: desc.platform ?? (await manifestPlatform(store, desc)), manifest: desc });
      return;
    }
    if (walked.has(desc.digest)) return;
    walked.add(desc.digest);
    if (depth >= MAX_INDEX_DEPTH) throw new InitramfsError('BAD_IMAGE', `${desc.digest}: indexes nest deeper than ${MAX_INDEX_DEPTH}`);
    const index = await store.manifest(desc);
    for (const child of descriptorList(index, 'manifests', `index ${desc.digest}`)) {
      // Indexes may also list non-image artifacts (attestations, signatures): not candidates.
      if (!INDEX_TYPES.has(child.mediaType) && !isManifestType(child.mediaType)) continue;
      if (child.platform && child.platform.os === 'unknown') continue;
      await visit(child, depth + 1);
    }
  };
  for (const d of top) await visit(d, 0);
  return out;
}

/** The first candidate (index order) serving `platform`, or PLATFORM_NOT_FOUND listing those there are. */
export function choosePlatform(store: DocumentStore, candidates: Candidate[], platform: Platform): Candidate {
  const chosen = candidates.find((c) => platformMatches(platform, c.platform));
  if (chosen) return chosen;
  const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
  throw new InitramfsError(
    'PLATFORM_NOT_FOUND',
    `${store.reference}: no image for platform ${want}; available: ${listPlatforms(candidates.map((c) => c.platform))}`,
  );
}

/** A manifest listed without a platform serves the one its config declares. */
async function manifestPlatform(store: DocumentStore, desc: Descriptor): Promise<Platform> {
  const { config } = await readManifest(store, desc);
  const parsed = parseImageConfig(await store.config(config), `config ${config.digest}`);
  return parsed.platform ?? { os: 'unknown', architecture: 'unknown' };
}

async function readManifest(store: DocumentStore, desc: Descriptor): Promise<{ config: Descriptor; layers: Descriptor[] }> {
  const m = await store.manifest(desc);
  const schema1 = schema1Type(desc.mediaType, m);
  if (schema1 !== undefined) throw schema1Error(store.reference, `manifest ${desc.digest}`, schema1);
  if (m.schemaVersion !== 2) {
    throw new InitramfsError('UNSUPPORTED', `manifest ${desc.digest}: schemaVersion ${valueOf(m.schemaVersion)} (only 2 is read)`);
  }
  const config = parseDescriptor(m.config, `manifest ${desc.digest} config`);
  if (!CONFIG_TYPES.has(config.mediaType)) {
    throw new InitramfsError('UNSUPPORTED', `manifest ${desc.digest}: config media type ${shown(config.mediaType, 100)} is not a container image config`);
  }
  return { config, layers: descriptorList(m, 'layers', `manifest ${desc.digest}`) };
}

/** The chosen manifest's config and layers. */
export async function resolveCandidate(store: DocumentStore, chosen: Candidate): Promise<ResolvedImage> {
  const { config, layers } = await readManifest(store, chosen.manifest);
  const parsed = parseImageConfig(await store.config(config), `config ${config.digest}`);
  if (parsed.diffIds !== undefined && parsed.diffIds.length !== layers.length) {
    throw new InitramfsError(
      'BAD_IMAGE',
      `manifest ${chosen.manifest.digest}: ${layers.length} layers but the config lists ${parsed.diffIds.length} diff_ids`,
    );
  }
  return {
    reference: store.reference,
    digest: chosen.manifest.digest,
    platform: parsed.platform ?? chosen.platform,
    config: parsed.config,
    layers: layers.map((d, i) => {
      const compression = LAYER_COMPRESSION.get(d.mediaType);
      if (compression === undefined) {
        throw new InitramfsError('UNSUPPORTED', `layer ${d.digest}: media type ${shown(d.mediaType, 100)} is not a layer type this tool reads`);
      }
      return store.layer(d, compression, parsed.diffIds?.[i]);
    }),
  };
}
