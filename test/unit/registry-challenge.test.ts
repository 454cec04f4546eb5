import { describe, expect, test } from 'vitest';
import { parseChallenges } from '../../src/registry/challenge.ts';

describe('parseChallenges', () => {
  test('a Bearer challenge with realm, service and a scope list containing commas', () => {
    const h =
      'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:o/r:pull,push repository:o/s:pull"';
    expect(parseChallenges(h)).toEqual([
      {
        scheme: 'bearer',
        params: {
          realm: 'https://auth.example.com/token',
          service: 'registry.example.com',
          scope: 'repository:o/r:pull,push repository:o/s:pull',
        },
      },
    ]);
  });

  test('Basic, with a quoted realm, scheme and parameter names case-insensitive', () => {
    expect(parseChallenges('BASIC Realm="Registry Realm"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
    ]);
  });

  test('several challenges in one header, spaces after commas, unquoted tokens and escapes', () => {
    const h = 'Basic realm="a, b", Bearer realm="https://t/x",  service=reg.io , error="invalid_token", x="q\\"uote"';
    expect(parseChallenges(h)).toEqual([
      { scheme: 'basic', params: { realm: 'a, b' } },
      { scheme: 'bearer', params: { realm: 'https://t/x', service: 'reg.io', error: 'invalid_token', x: 'q"uote' } },
    ]);
  });

  test('repeated WWW-Authenticate headers are read in order; a token68 is skipped', () => {
    expect(parseChallenges(['Negotiate abc123==', 'Bearer realm="r"'])).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'bearer', params: { realm: 'r' } },
    ]);
  });

  test('no header, or nothing usable, gives no challenges', () => {
    expect(parseChallenges(undefined)).toEqual([]);
    expect(parseChallenges('')).toEqual([]);
    expect(parseChallenges('  ,  ')).toEqual([]);
  });
});
