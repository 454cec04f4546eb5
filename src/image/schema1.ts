// Docker image manifest schema 1: superseded by schema 2 in Docker 1.10 (2016), still met in old registries and
// in layouts other tools wrote. Not read here; the message says how to convert the image with skopeo.
import { InitramfsError } from '../errors.ts';
import { shown } from '../quote.ts';
import { SCHEMA1_TYPES } from './media-types.ts';
import { transportOf } from './transport.ts';

const SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json';

/**
 * The schema 1 media type a document is, or undefined: by its descriptor's (or Content-Type's) media
 * type, or by `schemaVersion: 1` in the document whatever the type says.
 */
export function schema1Type(mediaType: string | undefined, doc?: Record<string, unknown>): string | undefined {
  if (mediaType !== undefined && SCHEMA1_TYPES.has(mediaType)) return mediaType;
  if (doc?.schemaVersion === 1) return SCHEMA1;
  return undefined;
}

/**
 * How to get the image that `reference` names in a form this tool reads. skopeo converts schema 1 when it
 * copies from a registry; it does not read schema 1 out of a layout, so a local copy is made again from
 * the registry it came from.
 */
function convertHint(reference: string): string {
  if (transportOf(reference) !== 'registry') {
    return 'copy it again from its registry with skopeo, which converts it: skopeo copy docker://IMAGE oci:DIR:TAG, then build oci:DIR:TAG';
  }
  const name = reference.startsWith('docker://') ? reference : `docker://${reference}`;
  return `convert it, e.g. skopeo copy --format v2s2 ${name} docker://NEW-NAME and build NEW-NAME, or skopeo copy ${name} oci:DIR:TAG and build oci:DIR:TAG`;
}

/** UNSUPPORTED: `what` (e.g. `manifest sha256:…`) of `reference` is Docker schema 1. */
export function schema1Error(reference: string, what: string, mediaType: string): InitramfsError {
  return new InitramfsError(
    'UNSUPPORTED',
    `${reference}: ${what} is Docker schema 1 (${shown(mediaType, 100)}); Docker schema 1 manifests are deprecated and not supported: ` +
      convertHint(reference),
  );
}
