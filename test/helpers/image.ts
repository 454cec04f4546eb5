// Test helper: builds container images in code, byte for byte deterministic — layer tars (raw-byte names,
// long names, devices, big ids), their compressed blobs (gzip, zstd, multi-frame zstd), OCI image layouts
// and `docker save` archives. Names are byte strings (one char per byte, as the rootfs model uses).
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { constants as zc, gzipSync, zstdCompressSync } from 'node:zlib';
import { Readable } from 'node:stream';
import type { ImageConfig, Layer, LayerCompression, Platform } from '../../src/image/types.ts';
import { verifyStream } from '../../src/image/verify.ts';

export type TestEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/** One tar entry. Defaults: type file, mode 0o644 (dirs 0o755), uid/gid 0, mtime 0, no content. */
export interface TestEntry {
  /** Byte string (latin1): chars ≥ 0x80 are written as single raw bytes. */
  name: string;
  type?: TestEntryType;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch. */
  mtime?: number;
  content?: string | Uint8Array;
  /** Symlink target or hardlink target (byte string). */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  /** Extra pax records written before the entry (e.g. `{ uid: '70000', mtime: '1.5' }`); values as bytes. */
  pax?: Record<string, string>;
}

export interface BuildTarOptions {
  /** How names and link targets over 100 bytes are stored: a pax 'x' record (default) or GNU 'L'/'K'. */
  longNames?: 'pax' | 'gnu';
}

const TYPEFLAG: Record<TestEntryType, string> = {
  file: '0',
  hardlink: '1',
  symlink: '2',
  char: '3',
  block: '4',
  dir: '5',
  fifo: '6',
};

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

/** Octal with NUL, or GNU base-256 when the value does not fit the field. */
function writeNumber(h: Buffer, at: number, len: number, value: number): void {
  const octal = value.toString(8);
  if (octal.length <= len - 1) {
    h.write(octal.padStart(len - 1, '0'), at, 'latin1');
    h[at + len - 1] = 0;
    return;
  }
  let v = value;
  for (let i = len - 1; i > 0; i--) {
    h[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
  h[at] = 0x80;
}

function header(name: Buffer, typeflag: string, size: number, e: Partial<TestEntry>, linkname: Buffer): Buffer {
  const h = Buffer.alloc(512);
  name.copy(h, 0, 0, Math.min(100, name.length));
  writeNumber(h, 100, 8, e.mode ?? 0o644);
  writeNumber(h, 108, 8, e.uid ?? 0);
  writeNumber(h, 116, 8, e.gid ?? 0);
  writeNumber(h, 124, 12, size);
  writeNumber(h, 136, 12, e.mtime ?? 0);
  h.write(typeflag, 156, 'latin1');
  linkname.copy(h, 157, 0, Math.min(100, linkname.length));
  h.write('ustar\x0000', 257, 'latin1');
  writeNumber(h, 329, 8, e.devmajor ?? 0);
  writeNumber(h, 337, 8, e.devminor ?? 0);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return h;
}

const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512);

function paxData(records: [string, Buffer][]): Buffer {
  const parts = records.map(([k, v]) => {
    const body = Buffer.concat([bytes(` ${k}=`), v, bytes('\n')]);
    let len = body.length + 1;
    while (String(len).length + body.length !== len) len = String(len).length + body.length;
    return Buffer.concat([bytes(String(len)), body]);
  });
  return Buffer.concat(parts);
}

/** A tar archive (POSIX ustar, plus pax or GNU records where needed) of `entries`, in order. */
export function buildTar(entries: TestEntry[], opts: BuildTarOptions = {}): Buffer {
  const out: Buffer[] = [];
  const push = (b: Buffer): void => {
    out.push(b, pad(b.length));
  };
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = e.content === undefined ? Buffer.alloc(0) : Buffer.from(typeof e.content === 'string' ? bytes(e.content) : e.content);
    const name = bytes(e.name);
    const link = bytes(e.linkname ?? '');
    const pax: [string, Buffer][] = Object.entries(e.pax ?? {}).map(([k, v]) => [k, bytes(v)]);
    if (opts.longNames === 'gnu') {
      if (link.length > 100) push(Buffer.concat([header(bytes('././@LongLink'), 'K', link.length + 1, {}, Buffer.alloc(0)), link, Buffer.alloc(1)]));
      if (name.length > 100) push(Buffer.concat([header(bytes('././@LongLink'), 'L', name.length + 1, {}, Buffer.alloc(0)), name, Buffer.alloc(1)]));
    } else {
      if (name.length > 100) pax.push(['path', name]);
      if (link.length > 100) pax.push(['linkpath', link]);
    }
    if (pax.length > 0) {
      const data = paxData(pax);
      push(Buffer.concat([header(bytes('PaxHeaders/entry'), 'x', data.length, {}, Buffer.alloc(0)), data]));
    }
    const defaults = { mode: type === 'dir' ? 0o755 : 0o644 };
    push(Buffer.concat([header(name, TYPEFLAG[type], content.length, { ...defaults, ...e }, link), content]));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}

/** `zstd-frames`: the tar cut in `frames` pieces, each its own zstd frame, a skippable frame between each. */
export type TestCompression = 'none' | 'gzip' | 'zstd' | 'zstd-frames';

/** A skippable zstd frame (magic 0x184D2A5n) with `payload`. */
export function skippableFrame(payload: Uint8Array, n = 0): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(0x184d2a50 + n, 0);
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

/** Compresses a layer tar. Multi-frame zstd alternates frames with and without a content checksum. */
export function compress(tar: Buffer, compression: TestCompression, frames = 3): Buffer {
  switch (compression) {
    case 'none':
      return tar;
    case 'gzip':
      return gzipSync(tar);
    case 'zstd':
      return zstdCompressSync(tar);
    case 'zstd-frames': {
      const parts: Buffer[] = [];
      const step = Math.ceil(tar.length / frames);
      for (let i = 0; i < frames; i++) {
        const piece = tar.subarray(i * step, Math.min(tar.length, (i + 1) * step));
        if (i > 0) parts.push(skippableFrame(bytes(`skip ${i}`), i % 16));
        parts.push(zstdCompressSync(piece, { params: { [zc.ZSTD_c_checksumFlag]: i % 2 } }));
      }
      return Buffer.concat(parts);
    }
  }
}

const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface TestLayer {
  entries: TestEntry[];
  compression?: TestCompression;
  tarOptions?: BuildTarOptions;
  /** Overrides the media type written in the manifest (defaults from the compression). */
  mediaType?: string;
  /** The uncompressed tar as bytes, instead of one built from `entries` (hostile or hand-cut tars). */
  tar?: Buffer;
  /** The stored bytes as they are, instead of `tar` compressed (streams cut short or corrupted). */
  blob?: Buffer;
}

export interface TestImage {
  /** Default linux/amd64. */
  platform?: Platform;
  config?: ImageConfig;
  layers: TestLayer[];
}

export interface BuiltLayer {
  /** Stored bytes (compressed). */
  blob: Buffer;
  digest: string;
  diffId: string;
  mediaType: string;
}

const LAYER_MEDIA: Record<TestCompression, string> = {
  none: 'application/vnd.oci.image.layer.v1.tar',
  gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  'zstd-frames': 'application/vnd.oci.image.layer.v1.tar+zstd',
};

/** Builds and compresses one layer. */
export function buildLayer(layer: TestLayer): BuiltLayer {
  const tar = layer.tar ?? buildTar(layer.entries, layer.tarOptions);
  const compression = layer.compression ?? 'gzip';
  const blob = layer.blob ?? compress(tar, compression);
  return { blob, digest: sha256(blob), diffId: sha256(tar), mediaType: layer.mediaType ?? LAYER_MEDIA[compression] };
}

/** The config JSON of an image (canonical key order, so its digest is stable). */
export function buildConfig(image: TestImage, layers: BuiltLayer[]): Buffer {
  const p = image.platform ?? { os: 'linux', architecture: 'amd64' };
  const doc = {
    architecture: p.architecture,
    os: p.os,
    ...(p.variant ? { variant: p.variant } : {}),
    config: image.config ?? {},
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map(() => ({ created_by: 'test', created: '1970-01-01T00:00:00Z' })),
    created: '1970-01-01T00:00:00Z',
  };
  return Buffer.from(JSON.stringify(doc));
}

export interface WrittenManifest {
  digest: string;
  platform: Platform;
  config: string;
  layers: BuiltLayer[];
}

export interface WrittenImage {
  /** Digest of the descriptor in index.json (an index for multi-platform images). */
  digest: string;
  manifests: WrittenManifest[];
}

export interface LayoutImage {
  /** `org.opencontainers.image.ref.name`; none → untagged. */
  ref?: string;
  /** An array → an image index with one manifest per element. */
  image: TestImage | TestImage[];
  /** Docker media types for manifest/index/config instead of OCI ones. */
  docker?: boolean;
}

/** Path of a blob inside a layout. */
export const blobPath = (layoutDir: string, digest: string): string =>
  join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));

function writeBlob(dir: string, blob: Buffer): string {
  const digest = sha256(blob);
  writeFileSync(blobPath(dir, digest), blob);
  return digest;
}

/** A layout at `dir` holding `image` alone as `v1`, and the `oci:` reference a build takes it by. */
export function writeOciLayoutRef(dir: string, image: LayoutImage['image']): string {
  writeOciLayout(dir, [{ ref: 'v1', image }]);
  return `oci:${dir}:v1`;
}

/** Writes an OCI image layout at `dir` (created) holding `images` in index.json order. */
export function writeOciLayout(dir: string, images: LayoutImage[]): WrittenImage[] {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const written: WrittenImage[] = [];
  const topDescriptors: object[] = [];
  for (const entry of images) {
    const media = entry.docker
      ? {
          index: 'application/vnd.docker.distribution.manifest.list.v2+json',
          manifest: 'application/vnd.docker.distribution.manifest.v2+json',
          config: 'application/vnd.docker.container.image.v1+json',
        }
      : {
          index: 'application/vnd.oci.image.index.v1+json',
          manifest: 'application/vnd.oci.image.manifest.v1+json',
          config: 'application/vnd.oci.image.config.v1+json',
        };
    const list = Array.isArray(entry.image) ? entry.image : [entry.image];
    const manifests: WrittenManifest[] = [];
    const manifestDescs: { mediaType: string; digest: string; size: number; platform: Platform }[] = [];
    for (const image of list) {
      const layers = image.layers.map(buildLayer);
      for (const l of layers) writeBlob(dir, l.blob);
      const config = buildConfig(image, layers);
      const configDigest = writeBlob(dir, config);
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: media.manifest,
          config: { mediaType: media.config, digest: configDigest, size: config.length },
          layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
        }),
      );
      const digest = writeBlob(dir, manifest);
      const platform = image.platform ?? { os: 'linux', architecture: 'amd64' };
      manifests.push({ digest, platform, config: configDigest, layers });
      manifestDescs.push({ mediaType: media.manifest, digest, size: manifest.length, platform });
    }
    const annotations = entry.ref !== undefined ? { annotations: { 'org.opencontainers.image.ref.name': entry.ref } } : {};
    if (Array.isArray(entry.image)) {
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: media.index, manifests: manifestDescs }));
      const digest = writeBlob(dir, index);
      topDescriptors.push({ mediaType: media.index, digest, size: index.length, ...annotations });
      written.push({ digest, manifests });
    } else {
      const d = manifestDescs[0]!;
      topDescriptors.push({ mediaType: d.mediaType, digest: d.digest, size: d.size, ...annotations });
      written.push({ digest: d.digest, manifests });
    }
  }
  writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: topDescriptors }));
  return written;
}

export interface ArchiveImage {
  /** RepoTags, e.g. `['busybox:latest']`. */
  tags?: string[];
  image: TestImage;
}

export interface DockerArchiveOptions {
  /** `legacy` (default): `<id>/layer.tar`, duplicates as symlinks, as Docker < 25; `oci`: blobs/sha256/. */
  style?: 'legacy' | 'oci';
  /** How the outer tar stores long names. */
  tarOptions?: BuildTarOptions;
}

/** Writes a `docker save`-style archive at `file`; returns the built layers per image. */
export function writeDockerArchive(file: string, images: ArchiveImage[], opts: DockerArchiveOptions = {}): BuiltLayer[][] {
  const entries: TestEntry[] = [];
  const seen = new Map<string, string>();
  const manifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
  const built: BuiltLayer[][] = [];
  const addFile = (name: string, content: Buffer): void => {
    if (seen.has(name)) return;
    seen.set(name, name);
    entries.push({ name, content });
  };
  for (const { tags, image } of images) {
    // docker save stores layers as they are in the image store; callers pick 'none' to get real ones.
    const layers = image.layers.map((l) => buildLayer({ ...l, compression: l.compression ?? 'none' }));
    built.push(layers);
    const config = buildConfig(image, layers);
    const configHex = sha256(config).slice(7);
    const layerNames: string[] = [];
    if (opts.style === 'oci') {
      addFile(`blobs/sha256/${configHex}`, config);
      for (const l of layers) {
        addFile(`blobs/sha256/${l.digest.slice(7)}`, l.blob);
        layerNames.push(`blobs/sha256/${l.digest.slice(7)}`);
      }
      manifest.push({ Config: `blobs/sha256/${configHex}`, RepoTags: tags ?? [], Layers: layerNames });
    } else {
      addFile(`${configHex}.json`, config);
      let parent = '';
      for (const l of layers) {
        // v1-style ids chain the parent, so one blob at two positions gets two ids; docker links the second.
        const id = createHash('sha256').update(`${parent}\n${l.digest}`).digest('hex');
        parent = id;
        const name = `${id}/layer.tar`;
        const first = seen.get(`blob:${l.digest}`);
        if (first === undefined) {
          seen.set(`blob:${l.digest}`, name);
          seen.set(name, name);
          entries.push({ name: `${id}`, type: 'dir' }, { name, content: l.blob });
        } else if (!seen.has(name)) {
          seen.set(name, name);
          entries.push({ name: `${id}`, type: 'dir' }, { name, type: 'symlink', linkname: `../${first}` });
        }
        layerNames.push(name);
      }
      manifest.push({ Config: `${configHex}.json`, RepoTags: tags ?? [], Layers: layerNames });
    }
  }
  entries.push({ name: 'manifest.json', content: Buffer.from(JSON.stringify(manifest)) });
  writeFileSync(file, buildTar(entries, opts.tarOptions));
  return built;
}

/**
 * A Layer over bytes in memory, verified like a real source's (a DigestMismatchError at the end when the
 * bytes do not match). `claim` overrides the digest/size the layer promises, to test mismatches.
 */
export function memoryLayer(
  blob: Uint8Array,
  compression: LayerCompression,
  claim: { digest?: string; size?: number } = {},
): Layer {
  const digest = claim.digest ?? sha256(blob);
  const size = claim.size ?? blob.length;
  return {
    digest,
    size,
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    compression,
    // Small chunks so parsers see their input split at awkward places.
    open: () => {
      const chunks: Buffer[] = [];
      for (let i = 0; i < blob.length; i += 1000) chunks.push(Buffer.from(blob.subarray(i, i + 1000)));
      return Readable.from(chunks).pipe(verifyStream(digest, size, 'layer'));
    },
  };
}

/** Every file of a directory tree as tar entries (directories first in each directory, names sorted). */
function treeEntries(root: string, prefix: string): TestEntry[] {
  const out: TestEntry[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (statSync(join(root, path)).isDirectory()) {
        out.push({ name: `${prefix}${path}/`, type: 'dir' });
        walk(path);
      } else {
        out.push({ name: `${prefix}${path}`, content: readFileSync(join(root, path)) });
      }
    }
  };
  walk('');
  return out;
}

export interface OciArchiveOptions {
  /** How the archive file itself is compressed (default none). */
  compression?: TestCompression;
  /** Prefix of every member name, e.g. './' as `tar -C DIR .` writes them. */
  prefix?: string;
}

/**
 * Writes an OCI archive (a tar of an OCI image layout, as `skopeo copy … oci-archive:` and buildx's
 * `type=oci,dest=` write) at `file` holding `images`; the layout itself is built by writeOciLayout.
 */
export function writeOciArchive(file: string, images: LayoutImage[], opts: OciArchiveOptions = {}): WrittenImage[] {
  const dir = mkdtempSync(join(tmpdir(), 'oci-archive-'));
  try {
    const written = writeOciLayout(dir, images);
    writeFileSync(file, compress(buildTar(treeEntries(dir, opts.prefix ?? '')), opts.compression ?? 'none'));
    return written;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Schema1Image {
  /** The manifest bytes (unsigned: `application/vnd.docker.distribution.manifest.v1+json`). */
  manifest: Buffer;
  /** Its gzip layers, oldest first (schema 1 lists them newest first). */
  layers: BuiltLayer[];
}

/**
 * A Docker schema 1 manifest of `image` (gzip layers, v1Compatibility history chained by id, the newest
 * entry carrying the config), as old registries still serve them.
 */
export function buildSchema1Image(image: TestImage, name: string, tag: string): Schema1Image {
  const layers = image.layers.map((l) => buildLayer({ ...l, compression: 'gzip' }));
  const p = image.platform ?? { os: 'linux', architecture: 'amd64' };
  const ids = layers.map((l, i) => createHash('sha256').update(`${i}\n${l.digest}`).digest('hex'));
  const history = layers.map((_l, i) => {
    const v1: Record<string, unknown> = { id: ids[i], created: '1970-01-01T00:00:00Z', container_config: { Cmd: ['test'] } };
    if (i > 0) v1.parent = ids[i - 1];
    if (i === layers.length - 1) Object.assign(v1, { config: image.config ?? {}, os: p.os, architecture: p.architecture });
    return { v1Compatibility: JSON.stringify(v1) };
  });
  const manifest = {
    schemaVersion: 1,
    name,
    tag,
    architecture: p.architecture,
    fsLayers: layers.map((l) => ({ blobSum: l.digest })).reverse(),
    history: history.reverse(),
  };
  return { manifest: Buffer.from(JSON.stringify(manifest, null, 3)), layers };
}

/**
 * "scratch + one static binary": this host's static busybox at /busybox and nothing else (no /bin/sh),
 * running `script` with it (`/busybox sh -c SCRIPT`); `config` and `extra` entries add to that.
 */
export function busyboxOnlyImage(script: string, config: ImageConfig = {}, extra: TestEntry[] = []): TestImage {
  return {
    config: { Entrypoint: ['/busybox', 'sh', '-c', script], ...config },
    layers: [{ entries: [{ name: 'busybox', content: readFileSync('/bin/busybox'), mode: 0o755 }, ...extra] }],
  };
}
