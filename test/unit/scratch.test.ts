// A process's scratch directory in a cache (src/scratch.ts): leases share it and the last removes it; a
// sweep removes what a killed process left there, and the temporary outputs its journal names, and
// nothing else: not a live process's directory, not what it cannot prove is a dead process's.
import { afterAll, describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registeredPaths } from '../../src/cleanup.ts';
import { tempNameFor } from '../../src/fs-atomic.ts';
import { parseOwner } from '../../src/owner.ts';
import { acquireScratch, sweepDeadScratch } from '../../src/scratch.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

const SCRATCH = fileURLToPath(new URL('../../src/scratch.ts', import.meta.url));

afterAll(removeScratchDirs);

const runDirs = (cache: string): string[] => (existsSync(join(cache, 'tmp')) ? readdirSync(join(cache, 'tmp')).filter((n) => n.startsWith('run-')) : []);

/**
 * A separate Node process that takes a lease in `cache`, journals and creates the temporary output
 * `temp`, writes a file into its scratch directory, prints the directory, then either dies of SIGKILL
 * (running no handler, as after `kill -9`) or stays alive until killed.
 */
async function owner(cache: string, temp: string, fate: 'killed' | 'alive'): Promise<{ dir: string; child: ReturnType<typeof spawn> }> {
  const script = `
    const { acquireScratch, recordOutsideTemp } = await import(${JSON.stringify(SCRATCH)});
    const { writeFileSync } = await import('node:fs');
    const lease = acquireScratch(${JSON.stringify(cache)});
    recordOutsideTemp(${JSON.stringify(temp)});
    writeFileSync(${JSON.stringify(temp)}, 'half an archive');
    writeFileSync(lease.dir + '/blob-0123.abcd', Buffer.alloc(4096));
    process.stdout.write(lease.dir + '\\n');
    ${fate === 'killed' ? "process.kill(process.pid, 'SIGKILL');" : 'setInterval(() => {}, 1000);'}
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  if (fate === 'killed') {
    const [, signal] = await once(child, 'exit');
    expect(signal).toBe('SIGKILL');
  } else {
    while (!out.endsWith('\n')) await once(child.stdout!, 'data');
  }
  return { dir: out.trim(), child };
}

describe('leases', () => {
  test('leases in one cache share one directory, owned by this process, registered for signals, and the last release removes it', async () => {
    const cache = await scratchDir();
    const a = acquireScratch(cache);
    const b = acquireScratch(cache);
    expect(b.dir).toBe(a.dir);
    expect(runDirs(cache)).toHaveLength(1);
    expect(parseOwner(readFileSync(join(a.dir, 'owner'), 'utf8'))).toMatchObject({ pid: process.pid });
    expect(registeredPaths()).toContain(a.dir);
    await a.release();
    await a.release(); // twice is once
    expect(existsSync(b.dir)).toBe(true);
    await b.release();
    expect(existsSync(b.dir)).toBe(false);
    expect(registeredPaths()).not.toContain(b.dir);
    const c = acquireScratch(cache);
    expect(c.dir).not.toBe(a.dir);
    await c.release();
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);
  });

  test('a cache that cannot hold a scratch directory is one IO error naming it', async () => {
    const cache = join(await scratchDir(), 'cache');
    writeFileSync(cache, 'a file, not a directory');
    expect(() => acquireScratch(cache)).toThrow(expect.objectContaining({ code: 'IO', message: expect.stringContaining(cache) }));
  });
});

describe.runIf(process.platform === 'linux')('sweeps', () => {
  test("a killed process's directory and journalled temporary output are removed, and nothing else", async () => {
    const cache = await scratchDir();
    const outDir = await scratchDir();
    const temp = tempNameFor(join(outDir, 'initrd.cpio.gz'));
    const dead = await owner(cache, temp, 'killed');
    expect(existsSync(temp)).toBe(true);
    expect(readdirSync(dead.dir).sort()).toEqual(['blob-0123.abcd', 'outputs', 'owner']);

    // What the journal names but does not look like one of our temporary files, or is not a file, stays.
    const victim = join(outDir, 'precious.txt');
    writeFileSync(victim, 'not ours');
    const link = tempNameFor(join(outDir, 'other.cpio.gz'));
    symlinkSync(victim, link);
    appendFileSync(join(dead.dir, 'outputs'), `${JSON.stringify(victim)}\n${JSON.stringify(link)}\n"relative/.x.tmp-0123456789ab"\n{"cut`);
    // Directories of earlier versions, one being created (no owner file yet) and a foreign owner file stay.
    const tmp = join(cache, 'tmp');
    mkdirSync(join(tmp, 'build-AbC123'));
    mkdirSync(join(tmp, 'run-creating'));
    mkdirSync(join(tmp, 'run-foreign'));
    writeFileSync(join(tmp, 'run-foreign', 'owner'), '{"v":2}');

    const messages: string[] = [];
    const swept = await sweepDeadScratch(cache, (m) => messages.push(m));
    expect(swept.directories).toBe(1);
    expect(swept.outputs).toBe(1);
    // The output, the blob, and the owner file and journal (some hundred bytes).
    expect(swept.bytes).toBeGreaterThan(4096 + 'half an archive'.length);
    expect(swept.bytes).toBeLessThan(4096 + 'half an archive'.length + 2000);
    expect(messages).toEqual([expect.stringMatching(/^removed the scratch files of 1 build that died in this cache and 1 temporary output \(0\.0 MB\)$/)]);
    expect(existsSync(dead.dir)).toBe(false);
    expect(existsSync(temp)).toBe(false);
    expect(readFileSync(victim, 'utf8')).toBe('not ours');
    expect(readdirSync(outDir).sort()).toEqual([link.slice(outDir.length + 1), 'precious.txt'].sort());
    expect(readdirSync(tmp).sort()).toEqual(['build-AbC123', 'run-creating', 'run-foreign']);
    // Nothing left to prove dead: a second sweep removes nothing and says nothing.
    expect(await sweepDeadScratch(cache, (m) => messages.push(m))).toEqual({ directories: 0, outputs: 0, bytes: 0 });
    expect(messages).toHaveLength(1);
  }, 20_000);

  test('a directory a sweep proved dead and was interrupted removing (dead-*, its owner file gone) is finished by the next', async () => {
    const cache = await scratchDir();
    const outDir = await scratchDir();
    const temp = tempNameFor(join(outDir, 'initrd.cpio'));
    const dead = await owner(cache, temp, 'killed');
    // What `rm -r` interrupted half-way may leave: the owner file gone, the journal and a spool still there.
    const claimed = join(cache, 'tmp', `dead-${dead.dir.slice(dead.dir.lastIndexOf('run-') + 4)}`);
    renameSync(dead.dir, claimed);
    rmSync(join(claimed, 'owner'));
    expect(await sweepDeadScratch(cache)).toMatchObject({ directories: 1, outputs: 1 });
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);
    expect(existsSync(temp)).toBe(false);
  }, 20_000);

  test("a live process's directory and temporary output survive a sweep, and go once it is killed", async () => {
    const cache = await scratchDir();
    const outDir = await scratchDir();
    const temp = tempNameFor(join(outDir, 'initrd.cpio.zst'));
    const live = await owner(cache, temp, 'alive');
    try {
      expect(await sweepDeadScratch(cache)).toMatchObject({ directories: 0 });
      expect(existsSync(join(live.dir, 'blob-0123.abcd'))).toBe(true);
      expect(existsSync(temp)).toBe(true);
    } finally {
      live.child.kill('SIGKILL');
      await once(live.child, 'exit');
    }
    expect(await sweepDeadScratch(cache)).toMatchObject({ directories: 1, outputs: 1 });
    expect(runDirs(cache)).toEqual([]);
    expect(existsSync(temp)).toBe(false);
  }, 20_000);
});
