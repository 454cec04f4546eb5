// host-path.ts: the rules a host path follows on each platform, run here on Linux with path.win32.
import { describe, expect, it } from 'vitest';
import { pathFor, resolveOn, separatorsFrom, thisHost } from '../../src/host-path.ts';

describe('separatorsFrom', () => {
  it("on Windows skips a drive's colon, with either separator after it or none", () => {
    expect(separatorsFrom('C:\\layouts\\app:latest', 'win32')).toBe(2);
    expect(separatorsFrom('d:/x:1', 'win32')).toBe(2);
    expect(separatorsFrom('C:relative', 'win32')).toBe(2);
  });

  it('is 0 for what is no drive: a UNC share, a relative path, a longer name before the colon, any other platform', () => {
    expect(separatorsFrom('\\\\server\\share\\x:1', 'win32')).toBe(0);
    expect(separatorsFrom('layouts\\app:1', 'win32')).toBe(0);
    expect(separatorsFrom('ab:/x', 'win32')).toBe(0);
    expect(separatorsFrom('1:/x', 'win32')).toBe(0);
    expect(separatorsFrom('C:\\x:1', 'linux')).toBe(0);
    expect(separatorsFrom('C:/x:1', 'darwin')).toBe(0);
  });
});

describe('resolveOn', () => {
  it("anchors a relative path at the host's cwd by the host's rules", () => {
    const windows = { platform: 'win32' as const, cwd: 'D:\\a\\repo' };
    expect(resolveOn(windows, 'dist\\x.gz')).toBe('D:\\a\\repo\\dist\\x.gz');
    expect(resolveOn(windows, 'dist/x.gz')).toBe('D:\\a\\repo\\dist\\x.gz');
    expect(resolveOn(windows, 'C:\\out\\x.gz')).toBe('C:\\out\\x.gz');
    expect(resolveOn(windows, '\\\\server\\share\\x.gz')).toBe('\\\\server\\share\\x.gz');
    expect(resolveOn({ platform: 'linux', cwd: '/w' }, 'dist\\x.gz')).toBe('/w/dist\\x.gz');
    expect(resolveOn({ platform: 'darwin', cwd: '/w' }, '../x')).toBe('/x');
  });

  it('is this process by default', () => {
    expect(thisHost()).toEqual({ platform: process.platform, cwd: process.cwd() });
    expect(pathFor(process.platform).sep).toBe(process.platform === 'win32' ? '\\' : '/');
  });
});
