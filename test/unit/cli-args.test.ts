import { describe, expect, it } from 'vitest';
import { parseCommand, defaultCacheDir } from '../../src/cli/args.ts';
import { parseSourceDateEpoch } from '../../src/source-date-epoch.ts';
import { usageError } from '../helpers/usage-error.ts';

const env = { HOME: '/home/u' };
const build = (...args: string[]) => {
  const c = parseCommand(['build', 'oci:/l', ...args], env);
  if (c.kind !== 'build') throw new Error('not a build');
  return c;
};

describe('compression', () => {
  it('is inferred from the output suffix when not given', () => {
    expect(build('-o', 'x.cpio.gz').compression).toBe('gzip');
    expect(build('-o', 'x.cpio.zst').compression).toBe('zstd');
    expect(build('-o', 'x.cpio').compression).toBe('none');
  });
  it('defaults to gzip for other names', () => {
    expect(build('-o', 'initrd.img').compression).toBe('gzip');
  });
  it('given explicitly wins over the suffix', () => {
    expect(build('-o', 'x.cpio.gz', '-c', 'zstd').compression).toBe('zstd');
  });
});

describe('options', () => {
  it('repeatable --inject and --exclude keep their order', () => {
    const c = build('-o', 'x', '-i', '/a:/x', '--inject', '/b:/y:0644', '-x', '/usr/share/doc/**', '--exclude', '/var/cache/*');
    expect(c.inject).toEqual([
      { source: '/a', dest: '/x', mode: undefined },
      { source: '/b', dest: '/y', mode: 0o644 },
    ].map((s) => expect.objectContaining({ source: s.source, dest: s.dest })));
    expect(c.inject[1]!.mode).toBe(0o644);
    expect(c.exclude).toEqual(['/usr/share/doc/**', '/var/cache/*']);
  });
  it('paths become absolute, so the build does not depend on a later cwd', () => {
    const c = build('-o', 'out.gz', '--report', 'r.json', '--cache-dir', 'cache');
    expect(c.output).toBe(`${process.cwd()}/out.gz`);
    expect(c.report).toBe(`${process.cwd()}/r.json`);
    expect(c.cacheDir).toBe(`${process.cwd()}/cache`);
  });
  it('the cache defaults to XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ HOME: '/h', XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/initramfs-action');
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/initramfs-action$/);
  });
});

describe('errors name the option and the expected form', () => {
  it('missing output', () => expect(usageError(() => parseCommand(['build', 'oci:/l'], env))).toMatch(/--output/));
  it('missing image', () => expect(usageError(() => parseCommand(['build'], env))).toMatch(/IMAGE/));
  it('unknown command', () => expect(usageError(() => parseCommand(['bild', 'x'], env))).toMatch(/'bild'.*build or inspect/));
  it('non-numeric level', () => expect(usageError(() => build('-o', 'x', '-l', 'fast'))).toMatch(/--level 'fast'/));
  it('stray argument', () => expect(usageError(() => build('-o', 'x', 'extra'))).toMatch(/'extra'/));
  it('SOURCE_DATE_EPOCH that is not whole seconds', () => {
    expect(usageError(() => parseSourceDateEpoch('yesterday'))).toMatch(/SOURCE_DATE_EPOCH 'yesterday'/);
    expect(usageError(() => parseSourceDateEpoch('1.5'))).toMatch(/whole seconds/);
    expect(usageError(() => parseSourceDateEpoch('4294967296'))).toMatch(/4294967295/);
    expect(parseSourceDateEpoch('1700000000')).toBe(1_700_000_000);
    expect(parseSourceDateEpoch('')).toBeUndefined();
  });
});
