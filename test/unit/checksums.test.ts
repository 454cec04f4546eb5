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

  it('names the base name of a Windows path, so the pair checks anywhere: never the drive, the directories or a backslash', () => {
    const digest = digestOf(Buffer.from('archive'));
    const hex = digest.slice('sha256:'.length);
    expect(checksumLine(digest, 'C:\\out\\initrd.cpio.gz', 'win32')).toBe(`${hex}  initrd.cpio.gz\n`);
    expect(checksumLine(digest, 'D:/a/repo/dist/initrd.cpio.zst', 'win32')).toBe(`${hex}  initrd.cpio.zst\n`);
    expect(checksumLine(digest, '\\\\server\\share\\out\\x.cpio', 'win32')).toBe(`${hex}  x.cpio\n`);
    expect(checksumPath('C:\\out\\initrd.cpio.gz')).toBe('C:\\out\\initrd.cpio.gz.sha256');
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
