import { describe, expect, test } from 'vitest';
import type { InitramfsError } from '../../src/errors.ts';
import { apiHost, isLoopback, parseReference } from '../../src/registry/reference.ts';

const D = `sha256:${'ab'.repeat(32)}`;

const failure = (s: string): InitramfsError => {
  try {
    parseReference(s);
  } catch (e) {
    return e as InitramfsError;
  }
  throw new Error(`${s} parsed`);
};

describe('parseReference', () => {
  test.each([
    ['alpine', 'docker.io', 'library/alpine', 'latest', undefined, 'docker.io/library/alpine:latest'],
    ['python:3.12-alpine', 'docker.io', 'library/python', '3.12-alpine', undefined, 'docker.io/library/python:3.12-alpine'],
    ['user/app', 'docker.io', 'user/app', 'latest', undefined, 'docker.io/user/app:latest'],
    ['index.docker.io/library/busybox:1', 'docker.io', 'library/busybox', '1', undefined, 'docker.io/library/busybox:1'],
    ['localhost:5000/a/b:t', 'localhost:5000', 'a/b', 't', undefined, 'localhost:5000/a/b:t'],
    ['localhost/a', 'localhost', 'a', 'latest', undefined, 'localhost/a:latest'],
    ['ghcr.io:443/o/r', 'ghcr.io:443', 'o/r', 'latest', undefined, 'ghcr.io:443/o/r:latest'],
    ['127.0.0.1:5000/o/r', '127.0.0.1:5000', 'o/r', 'latest', undefined, '127.0.0.1:5000/o/r:latest'],
    ['[::1]:5000/o/r:v1', '[::1]:5000', 'o/r', 'v1', undefined, '[::1]:5000/o/r:v1'],
    [`ghcr.io/o/r@${D}`, 'ghcr.io', 'o/r', undefined, D, `ghcr.io/o/r@${D}`],
    [`alpine:3.20@${D}`, 'docker.io', 'library/alpine', '3.20', D, `docker.io/library/alpine:3.20@${D}`],
    ['quay.io/a-b/c__d.e:x_Y.1', 'quay.io', 'a-b/c__d.e', 'x_Y.1', undefined, 'quay.io/a-b/c__d.e:x_Y.1'],
  ])('%s', (input, registry, repository, tag, digest, canonical) => {
    const ref = parseReference(input);
    expect(ref).toEqual({
      registry,
      repository,
      canonical,
      ...(tag !== undefined && { tag }),
      ...(digest !== undefined && { digest }),
    });
  });

  test('a single name with a colon is a Docker Hub repository and tag, as in docker', () => {
    expect(parseReference('localhost:5000').canonical).toBe('docker.io/library/localhost:5000');
  });

  test.each([
    ['Alpine', /repository name "library\/Alpine" must be lowercase/],
    ['ghcr.io/Owner/repo', /repository name "Owner\/repo" must be lowercase/],
    ['alpine:-bad', /tag "-bad" is invalid/],
    ['alpine:', /tag "" is invalid/],
    [`alpine:${'x'.repeat(129)}`, /tag "x+" is invalid/],
    ['alpine@sha256:abc', /digest "sha256:abc" is not sha256:<64 lowercase hex>/],
    [`alpine@sha256:${'AB'.repeat(32)}`, /digest "sha256:(AB)+" is not sha256/],
    [`alpine@sha512:${'ab'.repeat(64)}`, /only sha256 digests are supported/],
    ['alpine@latest', /digest "latest" is not ALGORITHM:HEX/],
    ['my_host.com:/repo', /registry "my_host.com:" is not a valid host\[:port\]/],
    ['ghcr.io/o//r', /repository name "o\/\/r" is invalid/],
    ['ghcr.io/-o/r', /repository name "-o\/r" is invalid/],
    ['https://ghcr.io/o/r', /no scheme/],
    ['', /empty/],
    ['ghcr.io/', /repository name "" is invalid/],
  ])('%j is rejected naming the bad part', (input, message) => {
    const err = failure(input);
    expect(err.code).toBe('USAGE');
    expect(err.message).toMatch(message);
    expect(err.message).toContain(JSON.stringify(input));
  });

  test('a name longer than 255 characters is rejected', () => {
    expect(failure(`ghcr.io/${'a'.repeat(250)}`).message).toMatch(/longer than 255/);
  });
});

describe('hosts', () => {
  test('Docker Hub is served by registry-1.docker.io; other registries by their own host', () => {
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
    expect(apiHost('localhost:5000')).toBe('localhost:5000');
  });

  test.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['LOCALHOST:1', true],
    ['127.0.0.1', true],
    ['127.1.2.3:5000', true],
    ['::1', true],
    ['[::1]', true],
    ['[::1]:5000', true],
    ['[0:0:0:0:0:0:0:1]:80', true],
    ['128.0.0.1', false],
    ['10.0.0.1:5000', false],
    ['localhost.example.com', false],
    ['ghcr.io', false],
    ['[::2]:5000', false],
  ])('isLoopback(%s) is %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
