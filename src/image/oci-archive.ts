// Images from a tar of an OCI image layout (`oci-archive:FILE[:REF]`), as `docker buildx build --output
// type=oci,dest=FILE`, `skopeo copy … oci-archive:FILE:REF` and `podman save --format oci-archive` write
// it, and as `docker save` writes it since Docker 25. The layout's files are the tar's members, read by
// byte range (never extracted); REF is the org.opencontainers.image.ref.name, as for oci:.
import type { Readable } from 'node:stream';
import { InitramfsError } from '../errors.ts';
import { openArchive, type ArchiveSourceOptions, type OpenedArchive } from './archive-file.ts';
import { LayoutSource, type LayoutFiles } from './layout-source.ts';
import { quote, shown } from '../quote.ts';
import type { TarArchive } from './tar-archive.ts';
import type { BlobCheck } from './verify.ts';

/** A layout's files as members of a tar. */
class ArchiveFiles implements LayoutFiles {
  readonly noun = 'the archive';
  readonly where: string;
  readonly #tar: TarArchive;
  constructor(tar: TarArchive, file: string) {
    this.#tar = tar;
    this.where = file;
  }

  size(path: string): number | undefined {
    return this.#tar.find(path, 'file')?.size;
  }

  read(path: string, max: number): Buffer {
    const m = this.#tar.member(path, 'file');
    return this.#tar.readRange(m.offset, Math.min(m.size, max));
  }

  open(path: string, check: BlobCheck): Readable {
    return this.#tar.open(this.#tar.member(path, 'blob'), check);
  }
}

export class OciArchiveSource extends LayoutSource {
  /** The archive as the user named it. */
  readonly file: string;
  readonly #archive: OpenedArchive;

  private constructor(reference: string, archive: OpenedArchive) {
    super(reference, 'oci-archive', new ArchiveFiles(archive.tar, archive.file), archive.ref);
    this.file = archive.file;
    this.#archive = archive;
  }

  /**
   * Opens `oci-archive:FILE[:REF]` (decompressing it into the cache's tmp/ when it is gzip or zstd) and
   * reads its index, so a missing file, a docker save tar of Docker < 25, or an unknown REF fails here.
   */
  static async open(reference: string, opts: ArchiveSourceOptions = {}): Promise<OciArchiveSource> {
    const archive = await openArchive(reference, { ...opts, transport: 'oci-archive' });
    try {
      const { tar } = archive;
      if (!tar.has('oci-layout') && tar.has('manifest.json')) {
        const docker = `docker-archive:${archive.file}${archive.ref !== undefined ? `:${archive.ref}` : ''}`;
        throw new InitramfsError(
          'USAGE',
          `${reference}: ${quote(archive.file)} is a docker save archive (manifest.json, no oci-layout); use ${shown(docker)}`,
        );
      }
      const source = new OciArchiveSource(reference, archive);
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
}
