// normalisePath: the path policy of path.ts on raw names.
import { describe, expect, it } from 'vitest';
import { joinPath, normalisePath } from '../../src/rootfs/path.ts';

const components = (raw: string): string[] | string => {
  const p = normalisePath(raw);
  return p.ok ? p.components : p.reason;
};

describe('normalisePath', () => {
  it('strips leading "/" and "./": absolute names are confined to the root', () => {
    expect(components('/etc/passwd')).toEqual(['etc', 'passwd']);
    expect(components('./etc/passwd')).toEqual(['etc', 'passwd']);
    expect(components('///.//etc')).toEqual(['etc']);
  });

  it('removes repeated slashes, "." components and a trailing "/"', () => {
    expect(components('usr//lib/./x/')).toEqual(['usr', 'lib', 'x']);
  });

  it('an empty name and "." are the root', () => {
    expect(components('')).toEqual([]);
    expect(components('.')).toEqual([]);
    expect(components('./')).toEqual([]);
    expect(components('/')).toEqual([]);
  });

  it('refuses any ".." component, even one that would stay inside', () => {
    for (const raw of ['..', '../x', 'a/../b', 'a/..', '/a/b/../../..']) expect(components(raw)).toMatch(/"\.\."/);
  });

  it('keeps names that merely contain dots', () => {
    expect(components('...')).toEqual(['...']);
    expect(components('a/..b/.c')).toEqual(['a', '..b', '.c']);
  });

  it('refuses a NUL byte', () => {
    expect(components('a\0b')).toMatch(/NUL/);
  });

  it('keeps arbitrary bytes of non-UTF-8 names', () => {
    expect(components('\xff/\x80\xfe')).toEqual(['\xff', '\x80\xfe']);
  });

  it('joinPath gives the rootfs-absolute form', () => {
    expect(joinPath([])).toBe('/');
    expect(joinPath(['a', 'b'])).toBe('/a/b');
  });
});
