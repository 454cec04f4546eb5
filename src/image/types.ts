// The image model every source produces (OCI layout, docker archive, and later a registry): one platform's
// manifest resolved to its config and its layers, oldest first. Shaped after go-containerregistry: a layer's
// compressed digest is kept apart from its uncompressed DiffID, and blobs are opened as verified streams.
import type { Readable } from 'node:stream';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** The parts of the OCI image config (`config` object) the tool uses. */
export interface ImageConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
}

/** How a layer's bytes are compressed, decided from its media type (or sniffed when a source has none). */
export type LayerCompression = 'none' | 'gzip' | 'zstd';

export interface Layer {
  /** Digest of the blob as stored (compressed), `sha256:<hex>`. */
  digest: string;
  /** Size in bytes of the blob as stored. */
  size: number;
  mediaType: string;
  compression: LayerCompression;
  /** DiffID from the config (`rootfs.diff_ids`), the digest of the uncompressed tar, when known. */
  diffId?: string;
  /**
   * The stored (compressed) bytes. The stream errors with DigestMismatchError at its end if the bytes do
   * not match digest and size, so a consumer must read it to the end for the check to run.
   */
  open(): Readable;
}

export interface ResolvedImage {
  /** The reference as the user wrote it. */
  reference: string;
  /** Digest of the platform manifest used, when the source has one (`sha256:<hex>`). */
  digest?: string;
  platform: Platform;
  config: ImageConfig;
  /** Oldest first. */
  layers: Layer[];
}

/** What `inspect` shows about a reference before a platform is chosen. */
export interface ImageSummary {
  reference: string;
  /** Platforms an index offers; a single manifest lists its own. */
  platforms: Platform[];
}

/** One way of getting images (oci: layout, docker-archive:, registry). */
export interface ImageSource {
  readonly reference: string;
  /** Platforms available under this reference. */
  platforms(): Promise<Platform[]>;
  /** The image for one platform; fails with PLATFORM_NOT_FOUND listing the platforms there are. */
  resolve(platform: Platform): Promise<ResolvedImage>;
  /** Releases connections and files; the source is not used afterwards. */
  close?(): Promise<void>;
}

export const formatPlatform = (p: Platform): string =>
  p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;
