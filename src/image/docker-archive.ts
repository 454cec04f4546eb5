// Images from a `docker save` tar (`docker-archive:FILE[:REF]`): manifest.json names each image's config
// and layer tars inside the archive, either `<id>/layer.tar` (Docker < 25) or `blobs/sha256/<hex>` (Docker
// ≥ 25, OCI layout inside). Layers are streamed straight out of the archive by byte range, never copied.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { isDigest } from './digest.ts';
import { parseImageConfig, parseJson } from './image-config.ts';
import { layerMediaType } from './media-types.ts';
import { listPlatforms, platformMatches } from './platform.ts';
import { indexTar, TarFormatError, type TarMember } from './tar-index.ts';
import type { ImageSource, Layer, LayerCompression, Platform, ResolvedImage } from './types.ts';
import { openVerifiedFile, verifyBytes } from './verify.ts';

const MAX_JSON = 16 << 20;
/** Symlink hops followed when a layer.tar is a link to an identical layer (docker save dedups that way). */
const MAX_LINK_HOPS = 16;
const BLOB_NAME = /^blobs\/sha256\/([0-9a-f]{64})$/;
const CONFIG_NAME = /^([0-9a-f]{64})\.json$/;

export interface DockerArchiveReference {
  file: string;
  ref?: string;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Splits `docker-archive:FILE[:REF]`. A RepoTag REF contains ':' itself (`busybox:latest`), so the FILE is
 * the shortest prefix ending before a ':' that is an existing file; with none, the whole rest is the FILE.
 */
export function parseDockerArchiveReference(reference: string): DockerArchiveReference {
  if (!reference.startsWith('docker-archive:')) {
    throw new InitramfsError('USAGE', `image reference "${reference}": expected docker-archive:FILE[:REF]`);
  }
  const rest = reference.slice('docker-archive:'.length);
  if (rest === '') throw new InitramfsError('USAGE', `image reference "${reference}": no file after docker-archive:`);
  if (isFile(rest)) return { file: rest };
  for (let i = rest.indexOf(':'); i > 0; i = rest.indexOf(':', i + 1)) {
    if (isFile(rest.slice(0, i)) && i < rest.length - 1) return { file: rest.slice(0, i), ref: rest.slice(i + 1) };
  }
  return { file: rest };
}

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

/** Sniffs a layer's compression from its first bytes (docker-archive has no media types). */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

export class DockerArchiveSource implements ImageSource {
  readonly reference: string;
  readonly file: string;
  readonly ref: string | undefined;
  #members: Map<string, TarMember> | undefined;
  #item: ManifestItem | undefined;
  #config: ReturnType<typeof parseImageConfig> | undefined;

  /** `reference` is `docker-archive:FILE[:REF]` as the user wrote it. Nothing is read until used. */
  constructor(reference: string) {
    this.reference = reference;
    const parsed = parseDockerArchiveReference(reference);
    this.file = parsed.file;
    this.ref = parsed.ref;
  }

  /** Opens the archive and reads its manifest and config, so a missing file or unknown REF fails here. */
  static async open(reference: string): Promise<DockerArchiveSource> {
    const source = new DockerArchiveSource(reference);
    await source.platforms();
    return source;
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

  #index(): Map<string, TarMember> {
    if (this.#members) return this.#members;
    if (!isFile(this.file)) {
      throw new InitramfsError('IMAGE_NOT_FOUND', `${this.reference}: file ${this.file} does not exist`);
    }
    let list: TarMember[];
    try {
      list = indexTar(this.file);
    } catch (e) {
      if (e instanceof TarFormatError) {
        throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${this.file} is not a docker save tar (${e.message})`);
      }
      throw e;
    }
    // Later members replace earlier ones of the same name, as when the tar is extracted.
    this.#members = new Map(list.map((m) => [m.name.replace(/\/+$/, ''), m]));
    return this.#members;
  }

  /** The member `name` refers to, links followed (relative to the archive root, never outside it). */
  #member(name: string, what: string): TarMember {
    const members = this.#index();
    let current = posix.normalize(name).replace(/^(\.\/)+/, '');
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const m = members.get(current);
      if (!m) throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)} is not in the archive`);
      if (m.type === '0' || m.type === '7') return m;
      if (m.type !== '1' && m.type !== '2') {
        throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)} is not a regular file`);
      }
      // Symlink targets are relative to the link's directory; hardlink targets name a member.
      const target = m.type === '2' ? posix.join(posix.dirname(current), m.linkname) : m.linkname;
      current = posix.normalize(target).replace(/^(\.\/)+/, '');
      if (current.startsWith('../') || current.startsWith('/')) {
        throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)} links outside the archive`);
      }
    }
    throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)}: too many links`);
  }

  #read(m: TarMember, what: string): Buffer {
    if (m.size > MAX_JSON) throw new InitramfsError('BAD_IMAGE', `${this.reference}: ${what} is ${m.size} bytes, too large`);
    return readRange(this.file, m.offset, m.size);
  }

  /** The manifest.json item the reference selects. */
  #chosenItem(): ManifestItem {
    if (this.#item) return this.#item;
    const doc = parseJson(this.#read(this.#member('manifest.json', 'manifest.json'), 'manifest.json').toString('utf8'), `${this.reference} manifest.json`);
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
    const tagList = allTags.length > 0 ? allTags.join(', ') : '(none)';
    let chosen: ManifestItem | undefined;
    if (this.ref === undefined) {
      if (items.length !== 1) {
        throw new InitramfsError(
          'IMAGE_NOT_FOUND',
          `${this.reference}: the archive holds ${items.length} images; name one as docker-archive:${this.file}:TAG (tags: ${tagList})`,
        );
      }
      chosen = items[0];
    } else {
      const ref = this.ref;
      chosen = items.find((it) => matchesTag(it.RepoTags, ref));
      if (!chosen) throw new InitramfsError('IMAGE_NOT_FOUND', `${this.reference}: no image tagged "${ref}"; tags: ${tagList}`);
    }
    this.#item = chosen!;
    return this.#item;
  }

  /** The chosen image's config, verified against the digest its name carries. */
  #imageConfig(): ReturnType<typeof parseImageConfig> {
    if (this.#config) return this.#config;
    const item = this.#chosenItem();
    const bytes = this.#read(this.#member(item.Config, 'config'), 'config');
    const base = posix.normalize(item.Config);
    const named = BLOB_NAME.exec(base)?.[1] ?? CONFIG_NAME.exec(base)?.[1];
    // A hand-made archive may name its config freely; then there is no digest to check it against.
    if (named !== undefined) verifyBytes(bytes, `sha256:${named}`, bytes.length, 'config');
    this.#config = parseImageConfig(parseJson(bytes.toString('utf8'), `${this.reference} config`), `${this.reference} config`);
    return this.#config;
  }

  #layer(name: string, diffId: string | undefined): Layer {
    const m = this.#member(name, 'layer');
    const compression = sniffCompression(readRange(this.file, m.offset, Math.min(4, m.size)));
    // The blob's digest: its blobs/sha256 name; else, for a plain tar, its DiffID (the digest of the
    // uncompressed tar is the digest of the stored bytes); else hashed here, which verifies nothing but
    // keeps Layer.digest honest.
    const blobHex = BLOB_NAME.exec(posix.normalize(name))?.[1] ?? BLOB_NAME.exec(m.name)?.[1];
    let digest: string;
    if (blobHex !== undefined) digest = `sha256:${blobHex}`;
    else if (compression === 'none' && diffId !== undefined && isDigest(diffId)) digest = diffId;
    else digest = hashRange(this.file, m.offset, m.size);
    const file = this.file;
    const layer: Layer = {
      digest,
      size: m.size,
      mediaType: layerMediaType(compression),
      compression,
      open: () => openVerifiedFile(file, { digest, size: m.size, what: `layer ${name}` }, m.offset),
    };
    if (diffId !== undefined) layer.diffId = diffId;
    return layer;
  }
}

function readRange(file: string, offset: number, length: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, done, length - done, offset + done);
      if (n === 0) throw new InitramfsError('BAD_IMAGE', `${file}: truncated (member at ${offset} ends early)`);
      done += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

function hashRange(file: string, offset: number, length: number): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, length - done), offset + done);
      if (n === 0) throw new InitramfsError('BAD_IMAGE', `${file}: truncated (member at ${offset} ends early)`);
      hash.update(buf.subarray(0, n));
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return `sha256:${hash.digest('hex')}`;
}
