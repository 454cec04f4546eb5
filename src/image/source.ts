// Chooses the ImageSource for a reference by its transport prefix, the way skopeo names them. A
// registry reference (no prefix) is a third implementation of the same interface (issue 3).
import { OciLayoutSource } from './oci-layout.ts';
import { DockerArchiveSource } from './docker-archive.ts';
import type { ImageSource } from './types.ts';
import { InitramfsError } from '../errors.ts';

export async function openSource(reference: string): Promise<ImageSource> {
  if (reference.startsWith('oci:')) return OciLayoutSource.open(reference);
  if (reference.startsWith('docker-archive:')) return DockerArchiveSource.open(reference);
  throw new InitramfsError(
    'USAGE',
    `image '${reference}': expected oci:DIR[:REF] (an OCI image layout) or docker-archive:FILE (a docker save tar); pulling from a registry is not supported yet`,
  );
}
