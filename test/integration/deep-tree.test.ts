// An image whose tree is 4,400 directories deep (what crashed the CLI with "Maximum call stack size
// exceeded", exit 70): the CLI fails in one line with ARCHIVE_LIMIT naming the first path the kernel cannot
// unpack, writes nothing, and builds once that part is excluded; an injected host tree 1,000 directories
// deep is copied whole. Images built in code; archives read back with GNU cpio.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { listCpioGnu } from '../helpers/cpio.ts';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

const DEPTH = 4_400;
/** The most directories named "x" whose path fits the kernel's PATH_MAX with a name below them. */
const KEPT = 2_000;

let work: string;
let layout: string;
beforeAll(async () => {
  work = await scratchDir('deep-tree-');
  const entries: TestEntry[] = [{ name: 'init', content: '#!/bin/sh\n', mode: 0o755 }];
  let path = '';
  for (let i = 0; i < DEPTH; i++) entries.push({ name: (path += 'x/'), type: 'dir' });
  entries.push({ name: `${path}bottom`, content: 'deep' });
  layout = join(work, 'layout');
  writeOciLayout(layout, [{ ref: 'deep', image: { layers: [{ entries }] } }]);
});
afterAll(removeScratchDirs);

describe(`an image ${DEPTH} directories deep`, () => {
  it('fails with one ARCHIVE_LIMIT line naming the first path over PATH_MAX, shortened, and writes nothing', async () => {
    const out = join(work, 'failed.cpio.gz');
    const cache = join(work, 'cache-failed');
    const r = await runCli(['build', `oci:${layout}:deep`, '-o', out, '--cache-dir', cache]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    const error = lines.at(-1)!;
    expect(error).toMatch(/^error \[ARCHIVE_LIMIT\]: 'x\/x\/x.*….*x\/x': the path is 4097 bytes, 2049 names deep; /);
    expect(error).toContain('--exclude');
    expect(error.length).toBeLessThan(400);
    // No stack trace, no call-stack overflow anywhere.
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('Maximum call stack');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).filter((n) => n.includes('failed.cpio'))).toEqual([]);
    expect(readdirSync(join(cache, 'tmp'))).toEqual([]);
  });

  describe('with the part past the limit excluded, and a host tree 1,000 deep injected', () => {
    let names: string[];
    beforeAll(async () => {
      let host = join(work, 'inject');
      for (let i = 0; i < 1_000; i++) host = join(host, 'i');
      mkdirSync(host, { recursive: true });
      writeFileSync(join(host, 'agent'), 'agent');
      const out = join(work, 'kept.cpio.gz');
      const r = await runCli([
        'build', `oci:${layout}:deep`, '-o', out, '--cache-dir', join(work, 'cache-kept'),
        '--exclude', `/${'x/'.repeat(KEPT)}**`, '--inject', `${join(work, 'inject')}:/opt/deep`,
      ]);
      expect(r.code, r.stderr).toBe(0);
      names = await listCpioGnu(out);
    });

    it(`builds, and GNU cpio reads back the ${KEPT} directories kept and nothing below them`, () => {
      const deepest = 'x/'.repeat(KEPT).slice(0, -1);
      expect(names).toContain(deepest);
      expect(names.filter((n) => n === 'x' || n.startsWith('x/'))).toHaveLength(KEPT);
      expect(names.some((n) => n.includes('bottom'))).toBe(false);
    });

    it('copies the injected host tree whole, to its deepest file', () => {
      expect(names).toContain(`opt/deep/${'i/'.repeat(1_000)}agent`);
      expect(names.filter((n) => n.startsWith('opt/deep/'))).toHaveLength(1_001);
    });
  });
});
