// The checksum file's line: what GNU sha256sum writes and checks, escapes included.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumLine, checksumPath } from '../../src/checksums.ts';

const dir = mkdtempSync(join(tmpdir(), 'checksums-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const digestOf = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('checksumLine', () => {
  it('is the hex digest, two spaces and the base name, as sha256sum writes it', () => {
    const bytes = Buffer.from('archive');
    const file = join(dir, 'app.cpio.gz');
    writeFileSync(file, bytes);
    const line = checksumLine(digestOf(bytes), file);
    const gnu = spawnSync('sha256sum', ['app.cpio.gz'], { cwd: dir, encoding: 'utf8' }).stdout;
    expect(line).toBe(gnu);
    expect(checksumPath(file)).toBe(`${file}.sha256`);
  });

  it('escapes a name with a backslash or a newline the way sha256sum does, so sha256sum -c reads it back', () => {
    for (const name of ['back\\slash.cpio', 'new\nline.cpio']) {
      const bytes = Buffer.from(name);
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const line = checksumLine(digestOf(bytes), file);
      expect(line).toBe(spawnSync('sha256sum', [name], { cwd: dir, encoding: 'utf8' }).stdout);
      writeFileSync(join(dir, 'sums'), line);
      expect(spawnSync('sha256sum', ['-c', 'sums'], { cwd: dir }).status).toBe(0);
    }
  });
});
