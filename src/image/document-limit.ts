// The size limit of an image's JSON documents: index.json and oci-layout, manifests and indexes, configs,
// a docker save manifest.json. Each is read whole and parsed in memory, so each is refused above this size
// before any of it is read. 4 MiB is what registries must accept for a manifest (distribution spec) and
// what skopeo allows for manifests and configs; real documents are kilobytes. Parsing 4 MiB of the most
// expensive JSON costs about 250 MB and 2 s; a 300 MB document took 670 MB before it was refused.
import { InitramfsError } from '../errors.ts';

export const MAX_DOCUMENT = 4 << 20;

/**
 * BAD_IMAGE for a document over MAX_DOCUMENT; `what` names it with where it is (`oci:DIR: index.json`,
 * `config sha256:…`), `size` is its size when known (else it only grew past the limit).
 */
export const documentTooLarge = (what: string, size?: number): InitramfsError =>
  new InitramfsError(
    'BAD_IMAGE',
    `${what} is too large: ${size === undefined ? `more than ${MAX_DOCUMENT}` : size} bytes, where an image document may have at most 4 MiB (${MAX_DOCUMENT} bytes)`,
  );
