// Images from a `docker save` tar (`docker-archive:FILE[:REF]`): manifest.json names each image's config
// and layer tars inside the archive, either `<id>/layer.tar` (Docker < 25) or `blobs/sha256/<hex>` (Docker
// ≥ 25, OCI layout inside). Layers are streamed straight out of the archive by byte range, never copied;
// a gzip or zstd archive (`docker save img | gzip`) is decompressed once into the cache's tmp/ first.
import { posix } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { openArchive, parseArchiveReference, type ArchiveReference, type ArchiveSourceOptions, type OpenedArchive } from './archive-file.ts';
import { isDigest } from './digest.ts';
import { MAX_DOCUMENT } from './document-limit.ts';
import { parseImageConfig, parseJson } from './image-config.ts';
import { layerMediaType } from './media-types.ts';
import { listPlatforms, platformMatches } from './platform.ts';
import { quote, shown } from '../quote.ts';
import type { TarArchive } from './tar-archive.ts';
import type { ImageSource, Layer, LayerCompression, Platform, ResolvedImage } from './types.ts';
import { verifyBytes } from './verify.ts';

const BLOB_NAME = /^blobs\/sha256\/([0-9a-f]{64})$/;
const CONFIG_NAME = /^([0-9a-f]{64})\.json$/;

export type DockerArchiveReference = ArchiveReference;

/**
 * Splits `docker-archive:FILE[:REF]`. A RepoTag REF contains ':' itself (`busybox:latest`), so the FILE is
 * the shortest prefix ending before a ':' that is an existing file; with none, the whole rest is the FILE.
 */
export const parseDockerArchiveReference = (reference: string): DockerArchiveReference =>
  parseArchiveReference('docker-archive', reference);

interface ManifestItem {
  Config: string;
  RepoTags: string[];
  Layers: string[];
}

/**
 * A RepoTag in Docker's fully qualified form, so `box`, `box:latest` and `docker.io/library/box:latest`
 * (as skopeo writes it) are one name: a first component without '.' or ':' (and not localhost) is a Docker
 * Hub path, a one-component Hub path is under library/, and a missing tag is latest.
 */
export function normalizeRepoTag(tag: string): string {
  const slash = tag.indexOf('/');
  const first = slash === -1 ? '' : tag.slice(0, slash);
  let name = tag;
  if (slash === -1) name = `docker.io/library/${tag}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${tag}`;
  if (name.startsWith('docker.io/') && name.split('/').length === 2) name = name.replace('docker.io/', 'docker.io/library/');
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? name : `${name}:latest`;
}

const matchesTag = (tags: string[], ref: string): boolean => {
  const want = normalizeRepoTag(ref);
  return tags.some((t) => normalizeRepoTag(t) === want);
};

/**
 * Sniffs a layer's compression from its first bytes (docker-archive has no media types); a leading
 * skippable frame (pzstd writes one) is zstd.
 */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  if ((head[0]! & 0xf0) === 0x50 && head[1] === 0x2a && head[2] === 0x4d && head[3] === 0x18) return 'zstd';
  return 'none';
}

export class DockerArchiveSource implements ImageSource {
  readonly reference: string;
  /** The archive as the user named it. */
  readonly file: string;
  readonly ref: string | undefined;
  readonly #archive: OpenedArchive;
  readonly #tar: TarArchive;
  #item: ManifestItem | undefined;
  #config: ReturnType<typeof parseImageConfig> | undefined;

  private constructor(reference: string, archive: OpenedArchive) {
    this.reference = reference;
    this.file = archive.file;
    this.ref = archive.ref;
    this.#archive = archive;
    this.#tar = archive.tar;
  }

  /**
   * Opens the archive (decompressing it into the cache's tmp/ when it is gzip or zstd) and reads its
   * manifest and config, so a missing file, an OCI archive, or an unknown REF fails here.
   */
  static async open(reference: string, opts: ArchiveSourceOptions = {}): Promise<DockerArchiveSource> {
    const archive = await openArchive(reference, { ...opts, transport: 'docker-archive' });
    try {
      const source = new DockerArchiveSource(reference, archive);
      await source.platforms();
      return source;
    } catch (e) {
      await archive.close();
      throw e;
    }
  }

  /** Removes the decompressed copy of the archive, if one was made. */
  async close(): Promise<void> {
    await this.#archive.close();
  }

  async platforms(): Promise<Platform[]> {
    const { platform } = this.#imageConfig();
    return platform ? [platform] : [];
  }

  async resolve(platform: Platform): Promise<ResolvedImage> {
    const item = this.#chosenItem();
    const config = this.#imageConfig();
    // An archive's image serves one platform; one that does not say which is taken as asked for.
    if (config.platform && !platformMatches(platform, config.platform)) {
      const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
      throw new InitramfsError(
        'PLATFORM_NOT_FOUND',
        `${this.reference}: no image for platform ${want}; available: ${listPlatforms([config.platform])}`,
      );
    }
    if (config.diffIds !== undefined && config.diffIds.length !== item.Layers.length) {
      throw new InitramfsError(
        'BAD_IMAGE',
        `${this.reference}: manifest.json lists ${item.Layers.length} layers but the config lists ${config.diffIds.length} diff_ids`,
      );
    }
    return {
      reference: this.reference,
      platform: config.platform ?? platform,
      config: config.config,
      layers: item.Layers.map((name, i) => this.#layer(name, config.diffIds?.[i])),
    };
  }

  #read(name: string, what: string): Buffer {
    return this.#tar.read(this.#tar.member(name, what), what, MAX_DOCUMENT);
  }

  /** manifest.json, or a message that says what the archive is instead. */
  #manifestJson(): Buffer {
    const tar = this.#tar;
    if (tar.find('manifest.json', 'manifest.json') !== undefined) return this.#read('manifest.json', 'manifest.json');
    const file = quote(this.file);
    if (tar.has('oci-layout') || tar.has('index.json')) {
      const oci = `oci-archive:${this.file}${this.ref !== undefined ? `:${this.ref}` : ''}`;
      throw new InitramfsError('USAGE', `${this.reference}: ${file} is an OCI archive (oci-layout, no manifest.json); use ${shown(oci)}`);
    }
    if (tar.has('repositories')) {
      throw new InitramfsError(
        'UNSUPPORTED',
        `${this.reference}: ${file} has no manifest.json: it was written by docker save before Docker 1.10, which this tool does not read; save the image again with a current Docker`,
      );
    }
    throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${file} is not a docker save archive (no manifest.json)`);
  }

  /** The manifest.json item the reference selects. */
  #chosenItem(): ManifestItem {
    if (this.#item) return this.#item;
    const doc = parseJson(this.#manifestJson().toString('utf8'), `${this.reference} manifest.json`);
    if (!Array.isArray(doc)) throw new InitramfsError('BAD_IMAGE', `${this.reference}: manifest.json is not a list`);
    const items = doc.map((raw, i): ManifestItem => {
      const r = raw as Record<string, unknown> | null;
      const where = `${this.reference}: manifest.json[${i}]`;
      if (typeof r?.Config !== 'string') throw new InitramfsError('BAD_IMAGE', `${where}: no Config`);
      if (!Array.isArray(r.Layers) || !r.Layers.every((l) => typeof l === 'string')) {
        throw new InitramfsError('BAD_IMAGE', `${where}: Layers is not a list of names`);
      }
      const tags = Array.isArray(r.RepoTags) ? r.RepoTags.filter((t): t is string => typeof t === 'string') : [];
      return { Config: r.Config, RepoTags: tags, Layers: r.Layers as string[] };
    });
    const allTags = [...new Set(items.flatMap((it) => it.RepoTags))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const tagList = allTags.length > 0 ? allTags.map((t) => shown(t, 128)).join(', ') : '(none)';
    let chosen: ManifestItem | undefined;
    if (this.ref === undefined) {
      if (items.length !== 1) {
        throw new InitramfsError(
          'IMAGE_NOT_FOUND',
          `${this.reference}: the archive holds ${items.length} images; name one as ${shown(`docker-archive:${this.file}`)}:TAG (tags: ${tagList})`,
        );
      }
      chosen = items[0];
    } else {
      const ref = this.ref;
      chosen = items.find((it) => matchesTag(it.RepoTags, ref));
      if (!chosen) throw new InitramfsError('IMAGE_NOT_FOUND', `${this.reference}: no image tagged ${quote(ref)}; tags: ${tagList}`);
    }
    this.#item = chosen!;
    return this.#item;
  }

  /** The chosen image's config, verified against the digest its name carries. */
  #imageConfig(): ReturnType<typeof parseImageConfig> {
    if (this.#config) return this.#config;
    const item = this.#chosenItem();
    const bytes = this.#read(item.Config, 'config');
    const base = posix.normalize(item.Config);
    const named = BLOB_NAME.exec(base)?.[1] ?? CONFIG_NAME.exec(base)?.[1];
    // A hand-made archive may name its config freely; then there is no digest to check it against.
    if (named !== undefined) verifyBytes(bytes, `sha256:${named}`, bytes.length, 'config');
    this.#config = parseImageConfig(parseJson(bytes.toString('utf8'), `${this.reference} config`), `${this.reference} config`);
    return this.#config;
  }

  #layer(name: string, diffId: string | undefined): Layer {
    const tar = this.#tar;
    const m = tar.member(name, 'layer');
    const compression = sniffCompression(tar.head(m, 4));
    // The blob's digest: its blobs/sha256 name; else, for a plain tar, its DiffID (the digest of the
    // uncompressed tar is the digest of the stored bytes); else hashed here, which verifies nothing but
    // keeps Layer.digest honest.
    const blobHex = BLOB_NAME.exec(posix.normalize(name))?.[1] ?? BLOB_NAME.exec(m.name)?.[1];
    let digest: string;
    if (blobHex !== undefined) digest = `sha256:${blobHex}`;
    else if (compression === 'none' && diffId !== undefined && isDigest(diffId)) digest = diffId;
    else digest = tar.hash(m);
    const layer: Layer = {
      digest,
      size: m.size,
      mediaType: layerMediaType(compression),
      compression,
      open: () => tar.open(m, { digest, size: m.size, what: `layer ${quote(name)}` }),
    };
    if (diffId !== undefined) layer.diffId = diffId;
    return layer;
  }
}
