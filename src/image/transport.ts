// Which kind of source an image reference names, by its prefix, the way skopeo names its transports:
// `oci:DIR[:REF]`, `oci-archive:FILE[:REF]`, `docker-archive:FILE[:REF]`, and a registry reference with or
// without `docker://`. skopeo's other transports are named so the message can say what to do instead.
import { InitramfsError } from '../errors.ts';
import { quote } from '../quote.ts';

export type Transport = 'oci' | 'oci-archive' | 'docker-archive' | 'registry';

const LOCAL: readonly Transport[] = ['oci', 'oci-archive', 'docker-archive'];

/** skopeo transports this tool does not read, and what to do instead. */
const OTHER_TRANSPORTS: Readonly<Record<string, string>> = {
  'docker-daemon': 'save the image first (docker save IMAGE -o image.tar) and use docker-archive:image.tar',
  'containers-storage': 'save the image first (podman save --format oci-archive IMAGE -o image.tar) and use oci-archive:image.tar',
  dir: 'copy it to an OCI layout first (skopeo copy dir:DIR oci:LAYOUT:TAG) and use oci:LAYOUT:TAG',
};

/** The transport `reference` names; a reference without a known prefix is a registry reference. */
export function transportOf(reference: string): Transport {
  for (const t of LOCAL) if (reference.startsWith(`${t}:`)) return t;
  return 'registry';
}

/** True for references read from local files (no registry, no credentials). */
export const isLocalReference = (reference: string): boolean => transportOf(reference) !== 'registry';

/**
 * The registry reference in `reference`: `docker://NAME` (skopeo's spelling) is NAME. skopeo transports
 * this tool does not read (`docker-daemon:`, `containers-storage:`, `dir:`) are USAGE errors that say what
 * to use instead, rather than being misread as a registry host.
 */
export function registryName(reference: string): string {
  if (reference.startsWith('docker://')) return reference.slice('docker://'.length);
  const colon = reference.indexOf(':');
  const prefix = colon === -1 ? '' : reference.slice(0, colon);
  const instead = OTHER_TRANSPORTS[prefix];
  if (instead !== undefined) {
    throw new InitramfsError('USAGE', `image reference ${quote(reference)}: the ${prefix}: transport is not supported; ${instead}`);
  }
  return reference;
}
