// Image references parsed the way Docker parses them (`alpine` → docker.io/library/alpine:latest), with
// USAGE errors that name the part that is wrong, plus the host facts the transport needs (API host, loopback).
import { BlockList, isIP } from 'node:net';
import { InitramfsError } from '../errors.ts';
import { isDigest } from '../image/digest.ts';

export interface Reference {
  /** Registry as written/normalised: 'docker.io' for Docker Hub, else host[:port]. */
  registry: string;
  /** Repository path, e.g. 'library/alpine', 'o/r'. */
  repository: string;
  /** Absent when only a digest is given; 'latest' when neither is. */
  tag?: string;
  /** 'sha256:<hex>'; wins over the tag for fetching. */
  digest?: string;
  /** Canonical string: registry/repository[:tag][@digest] */
  canonical: string;
}

export const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_API = 'registry-1.docker.io';

// The grammar of github.com/distribution/reference, piece by piece.
const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = new RegExp(`^${ALNUM}(?:${SEPARATOR}${ALNUM})*$`);
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*`;
const IPV6 = '\\[[a-fA-F0-9:]+\\]';
const DOMAIN = new RegExp(`^(?:${DOMAIN_NAME}|${IPV6})(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST_FORM = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const NAME_MAX = 255;

const usage = (ref: string, what: string): InitramfsError =>
  new InitramfsError('USAGE', `invalid image reference ${JSON.stringify(ref)}: ${what}`);

/** Docker's rule: the first path component is a registry only when it looks like a host. */
function splitRegistry(name: string): { registry: string; remote: string } {
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const looksLikeHost =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!looksLikeHost) return { registry: DOCKER_HUB, remote: name };
  return { registry: first === 'index.docker.io' ? DOCKER_HUB : first, remote: name.slice(slash + 1) };
}

/**
 * Parses `[registry/]repository[:tag][@digest]` as Docker does: no registry means Docker Hub, a single
 * Hub component gets `library/`, neither tag nor digest means `:latest`. Only sha256 digests are accepted.
 * Throws USAGE naming the malformed part.
 */
export function parseReference(s: string): Reference {
  if (s === '') throw usage(s, 'it is empty');
  if (s.includes('://')) throw usage(s, 'a reference has no scheme (write host[:port]/repository[:tag])');
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const d = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_FORM.test(d)) throw usage(s, `digest ${JSON.stringify(d)} is not ALGORITHM:HEX`);
    if (!d.startsWith('sha256:')) throw usage(s, `digest ${JSON.stringify(d)}: only sha256 digests are supported`);
    if (!isDigest(d)) throw usage(s, `digest ${JSON.stringify(d)} is not sha256:<64 lowercase hex>`);
    digest = d;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) {
      throw usage(s, `tag ${JSON.stringify(tag)} is invalid (1-128 of letters, digits, _ . -, not starting with . or -)`);
    }
  }
  if (rest === '') throw usage(s, 'the repository name is missing');
  const { registry, remote } = splitRegistry(rest);
  if (!DOMAIN.test(registry)) throw usage(s, `registry ${JSON.stringify(registry)} is not a valid host[:port]`);
  const repository = registry === DOCKER_HUB && !remote.includes('/') ? `library/${remote}` : remote;
  if (repository.toLowerCase() !== repository) {
    throw usage(s, `repository name ${JSON.stringify(repository)} must be lowercase`);
  }
  if (repository === '' || !repository.split('/').every((c) => PATH_COMPONENT.test(c))) {
    throw usage(
      s,
      `repository name ${JSON.stringify(repository)} is invalid (slash-separated components of a-z 0-9 joined by . _ __ -)`,
    );
  }
  if (registry.length + 1 + repository.length > NAME_MAX) throw usage(s, `the name is longer than ${NAME_MAX} characters`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  const canonical =
    `${registry}/${repository}` + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
  const ref: Reference = { registry, repository, canonical };
  if (tag !== undefined) ref.tag = tag;
  if (digest !== undefined) ref.digest = digest;
  return ref;
}

/** The host[:port] that serves the registry API: Docker Hub's is registry-1.docker.io. */
export const apiHost = (registry: string): string => (registry === DOCKER_HUB ? DOCKER_HUB_API : registry);

/** The host of `host[:port]`, `[v6]:port`, `[v6]` or a bare IPv6 address, without brackets. */
export function hostOnly(hostPort: string): string {
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    return end === -1 ? hostPort : hostPort.slice(1, end);
  }
  const colons = hostPort.split(':').length - 1;
  return colons === 1 ? hostPort.slice(0, hostPort.indexOf(':')) : hostPort;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for localhost, 127.0.0.0/8 and ::1 (any spelling), with or without a port or brackets. */
export function isLoopback(host: string): boolean {
  const h = hostOnly(host).toLowerCase();
  if (h === 'localhost') return true;
  const family = isIP(h);
  if (family === 0) return false;
  return LOOPBACK.check(h, family === 4 ? 'ipv4' : 'ipv6');
}
