import { describe, expect, test } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import { DEFAULT_PLATFORM, listPlatforms, normalizePlatform, parsePlatform, platformMatches } from '../../src/image/platform.ts';

describe('parsePlatform', () => {
  test('reads os/arch and os/arch/variant', () => {
    expect(parsePlatform('linux/amd64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux/arm/v6')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
  });

  test('defaults to linux/amd64 when no platform is given', () => {
    expect(parsePlatform(undefined)).toEqual(DEFAULT_PLATFORM);
    expect(DEFAULT_PLATFORM).toEqual({ os: 'linux', architecture: 'amd64' });
  });

  test('arm64 means arm64/v8 and arm means arm/v7', () => {
    expect(parsePlatform('linux/arm64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
    expect(parsePlatform('linux/arm')).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  test('resolves uname-style architecture names', () => {
    expect(parsePlatform('linux/x86_64')).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(parsePlatform('linux/aarch64')).toEqual({ os: 'linux', architecture: 'arm64', variant: 'v8' });
  });

  test.each(['linux', 'linux/', '/amd64', 'linux/amd64/v1/x', 'linux amd64', ''])('rejects %j with USAGE', (text) => {
    expect(() => parsePlatform(text)).toThrow(expect.objectContaining({ code: 'USAGE' }) as InitramfsError);
  });
});

describe('platformMatches', () => {
  test('arm64 and arm64/v8 match each other both ways', () => {
    const bare = { os: 'linux', architecture: 'arm64' };
    const v8 = { os: 'linux', architecture: 'arm64', variant: 'v8' };
    expect(platformMatches(bare, v8)).toBe(true);
    expect(platformMatches(v8, bare)).toBe(true);
  });

  test('different variants, architectures or oses do not match', () => {
    expect(platformMatches({ os: 'linux', architecture: 'arm' }, { os: 'linux', architecture: 'arm', variant: 'v6' })).toBe(false);
    expect(platformMatches({ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' })).toBe(false);
    expect(platformMatches({ os: 'linux', architecture: 'amd64' }, { os: 'windows', architecture: 'amd64' })).toBe(false);
  });

  test('normalizePlatform drops an empty variant and adds the v to a bare arm number', () => {
    expect(normalizePlatform({ os: 'linux', architecture: 'amd64', variant: '' })).toEqual({ os: 'linux', architecture: 'amd64' });
    expect(normalizePlatform({ os: 'linux', architecture: 'arm', variant: '7' })).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' });
  });

  test('listPlatforms sorts and de-duplicates by byte order', () => {
    expect(
      listPlatforms([
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'amd64' },
      ]),
    ).toBe('linux/amd64, linux/arm64/v8');
    expect(listPlatforms([])).toBe('(none)');
  });
});
