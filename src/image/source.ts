// Chooses the ImageSource for a reference by its transport prefix, the way skopeo names them: `oci:`,
// `oci-archive:` and `docker-archive:` read local files; anything else is a registry reference
// (`alpine`, `ghcr.io/o/r:tag`, or skopeo's `docker://alpine`).
import { OciLayoutSource } from './oci-layout.ts';
import { OciArchiveSource } from './oci-archive.ts';
import { DockerArchiveSource } from './docker-archive.ts';
import { registryName, transportOf } from './transport.ts';
import type { ImageSource } from './types.ts';
import { RegistrySource, type RegistrySourceOptions } from '../registry/source.ts';

export { isLocalReference, registryName } from './transport.ts';

/** cacheDir is the build's cache: blobs pulled from a registry, and the copy of a compressed archive. */
export type SourceOptions = RegistrySourceOptions;

export async function openSource(reference: string, opts: SourceOptions): Promise<ImageSource> {
  const archive = { cacheDir: opts.cacheDir, ...(opts.reporter && { reporter: opts.reporter }) };
  switch (transportOf(reference)) {
    case 'oci':
      return OciLayoutSource.open(reference);
    case 'oci-archive':
      return OciArchiveSource.open(reference, archive);
    case 'docker-archive':
      return DockerArchiveSource.open(reference, archive);
    case 'registry':
      return RegistrySource.open(registryName(reference), opts);
  }
}
