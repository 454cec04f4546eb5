// Chooses the ImageSource for a reference by its transport prefix, the way skopeo names them: `oci:` and
// `docker-archive:` read local files; anything else is a registry reference (`alpine`, `ghcr.io/o/r:tag`).
import { OciLayoutSource } from './oci-layout.ts';
import { DockerArchiveSource } from './docker-archive.ts';
import type { ImageSource } from './types.ts';
import { RegistrySource, type RegistrySourceOptions } from '../registry/source.ts';

export type SourceOptions = RegistrySourceOptions;

export async function openSource(reference: string, opts: SourceOptions): Promise<ImageSource> {
  if (reference.startsWith('oci:')) return OciLayoutSource.open(reference);
  if (reference.startsWith('docker-archive:')) return DockerArchiveSource.open(reference);
  return RegistrySource.open(reference, opts);
}
