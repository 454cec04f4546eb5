// writeArchive through the output targets: a failure in the middle of writing (a host file that vanished
// after planning, reached after several segments were written) leaves nothing beside the file a symlink
// points to, and closes a FIFO so its reader sees the end of the stream instead of waiting for ever.
import { spawnSync } from 'node:child_process';
import { createReadStream, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import { writeArchive } from '../../src/initramfs/write.ts';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);

const noise = (n: number, seed: number): Buffer => {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
  return b;
};
const file = (bytes: Uint8Array): Node => ({ inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: bytes.length, data: { kind: 'bytes', bytes } } });

/** 40 files of noise, then `zz`, a host file that is removed before writing: the write fails late. */
async function failingTree(): Promise<Node> {
  const root = newDir();
  for (let i = 0; i < 40; i++) root.children!.set(`f${String(i).padStart(2, '0')}`, file(noise(8000, i + 1)));
  const gone = join(await scratchDir(), 'gone.bin');
  writeFileSync(gone, 'soon gone');
  root.children!.set('zz', { inode: { type: 'file', mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 9, data: { kind: 'host', path: gone } } });
  rmSync(gone);
  return root;
}

describe('a failure while writing', () => {
  it('leaves nothing beside the file a symlink points to, and that file and the link untouched', async () => {
    const dir = await scratchDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'initrd.img'), 'previous build');
    symlinkSync('real/initrd.img', join(dir, 'initrd.img'));
    const err = await writeArchive(await failingTree(), { output: join(dir, 'initrd.img'), compression: 'gzip', segmentTarget: 16 << 10, concurrency: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InitramfsError);
    expect((err as InitramfsError).code).toBe('INJECT_SOURCE');
    expect(readdirSync(join(dir, 'real'))).toEqual(['initrd.img']);
    expect(readFileSync(join(dir, 'real', 'initrd.img'), 'utf8')).toBe('previous build');
    expect(lstatSync(join(dir, 'initrd.img')).isSymbolicLink()).toBe(true);
  });

  it('closes a FIFO, so its reader gets the end of the stream after the segments already written', async () => {
    const dir = await scratchDir();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      createReadStream(fifo).on('data', (d) => parts.push(d as Buffer)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
    });
    const err = await writeArchive(await failingTree(), { output: fifo, compression: 'none', segmentTarget: 16 << 10, concurrency: 1 }).catch((e: unknown) => e);
    expect((err as InitramfsError).code).toBe('INJECT_SOURCE');
    const bytes = await received;
    expect(bytes.length).toBeGreaterThan(16 << 10);
    expect(bytes.subarray(0, 6).toString()).toBe('070701');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });
});
