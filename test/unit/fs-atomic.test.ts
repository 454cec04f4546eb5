// fs-atomic.ts: temporary names beside a target, and the rename that puts the finished file in place.
// Windows' refusal to replace a file another program holds open cannot happen on Linux, so the tests of
// the retry give renameOnto a rename that fails the way Windows' does; the plain case renames real files.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTempName, renameOnto, tempNameFor, WINDOWS_RENAME_PAUSES } from '../../src/fs-atomic.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: rename`), { code });

/** A rename that fails with `codes` in turn, then succeeds; and the pauses renameOnto took. */
function flaky(...codes: string[]) {
  const calls: string[][] = [];
  const pauses: number[] = [];
  return {
    calls,
    pauses,
    rename: async (from: string, to: string): Promise<void> => {
      calls.push([from, to]);
      const code = codes.shift();
      if (code !== undefined) throw errno(code);
    },
    sleep: async (ms: number): Promise<void> => {
      pauses.push(ms);
    },
  };
}

describe('tempNameFor', () => {
  it('is a hidden name beside the target that isTempName recognises, with a Windows-valid name', () => {
    const t = tempNameFor('/out/initrd.cpio.gz');
    expect(t).toMatch(/^\/out\/\.initrd\.cpio\.gz\.tmp-[0-9a-f]{12}$/);
    expect(isTempName(t.slice('/out/'.length))).toBe(true);
    // Nothing Windows refuses in a file name: < > : " | ? * or a trailing dot or space.
    expect(t.slice('/out/'.length)).not.toMatch(/[<>:"|?*]|[. ]$/);
  });
});

describe('renameOnto', () => {
  it('replaces the target with the file, atomically, on this machine', async () => {
    const dir = await scratchDir();
    writeFileSync(join(dir, 'out'), 'old');
    writeFileSync(join(dir, 'new'), 'new');
    await renameOnto(join(dir, 'new'), join(dir, 'out'));
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('new');
  });

  it('on Windows tries again while the file is held open elsewhere (EPERM, EACCES, EBUSY), pausing longer each time', async () => {
    const f = flaky('EPERM', 'EACCES', 'EBUSY', 'EPERM');
    await renameOnto('C:\\out\\.x.tmp-0123456789ab', 'C:\\out\\x', { platform: 'win32', rename: f.rename, sleep: f.sleep });
    expect(f.calls).toHaveLength(5);
    expect(f.calls[4]).toEqual(['C:\\out\\.x.tmp-0123456789ab', 'C:\\out\\x']);
    expect(f.pauses).toEqual([10, 20, 40, 80]);
  });

  it('on Windows gives up after some ten seconds of pauses with the last error', async () => {
    const f = flaky(...Array<string>(100).fill('EPERM'));
    const e = await renameOnto('a', 'b', { platform: 'win32', rename: f.rename, sleep: f.sleep }).catch((x: unknown) => x);
    expect((e as NodeJS.ErrnoException).code).toBe('EPERM');
    expect(f.calls).toHaveLength(WINDOWS_RENAME_PAUSES.length + 1);
    const total = f.pauses.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(total).toBeLessThan(15_000);
  });

  it('fails at once on any other error, and on any error elsewhere than Windows', async () => {
    for (const [platform, code] of [['win32', 'ENOENT'], ['win32', 'EXDEV'], ['linux', 'EPERM'], ['darwin', 'EBUSY']] as const) {
      const f = flaky(code);
      const e = await renameOnto('a', 'b', { platform, rename: f.rename, sleep: f.sleep }).catch((x: unknown) => x);
      expect((e as NodeJS.ErrnoException).code, `${platform} ${code}`).toBe(code);
      expect(f.calls, `${platform} ${code}`).toHaveLength(1);
      expect(f.pauses).toEqual([]);
    }
  });
});
