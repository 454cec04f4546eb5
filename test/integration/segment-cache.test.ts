// The compressed-segment cache: a rebuild reuses the compressed bytes of every segment whose cpio bytes it
// has compressed before, and the archive stays byte-identical to a build without any cache, also when an
// entry is damaged or the tree changed. Keys name spooled layer data by its layer's digest and offset, so
// a warm build reads none of it; host files are keyed by their content. Archives are written by
// writeArchive with small segments.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reporter, Stage } from '../../src/log.ts';
import { writeArchive } from '../../src/initramfs/write.ts';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { SpoolFile } from '../../src/image/spool.ts';

const SEGMENT = 64 << 10;
let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'segment-cache-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Incompressible, deterministic bytes. */
const noise = (n: number, seed: string): Buffer => {
  const out = Buffer.alloc(n);
  for (let i = 0, k = 0; i < n; i += 32, k++) createHash('sha256').update(`${seed}:${k}`).digest().copy(out, i);
  return out;
};

/** /data/f00 … /data/f39 of 5 to 29 KiB (f20 grows to 50 KiB when changed): some 15 segments of 64 KiB. */
function tree(changed?: { index: number; seed: string }): Node {
  const root = newDir();
  const data = newDir();
  root.children!.set('data', data);
  for (let i = 0; i < 40; i++) {
    const size = (changed?.index === i ? 50 : 5 + ((i * 7) % 25)) << 10;
    const bytes = noise(size, changed?.index === i ? changed.seed : `f${i}`);
    data.children!.set(`f${String(i).padStart(2, '0')}`, { inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1, size: bytes.length, data: { kind: 'bytes', bytes } } });
  }
  return root;
}

/** The same files as `tree()`, their bytes in a spool of layer `source` (as layers are read). */
function spooledTree(spool: SpoolFile): Node {
  const root = tree();
  for (const node of root.children!.get('data')!.children!.values()) {
    const inode = node.inode;
    if (inode.data?.kind !== 'bytes') throw new Error('tree() gives bytes');
    inode.data = { kind: 'spool', spool, offset: spool.append(inode.data.bytes) };
  }
  spool.flush();
  return root;
}

/** Keeps the archive stage's done message, which says how many segments were reused. */
class DoneReporter implements Reporter {
  message = '';
  stage(): void {}
  progress(): void {}
  done(stage: Stage, message: string): void {
    if (stage === 'archive') this.message = message;
  }
  warn(): void {}
  info(): void {}
}

let n = 0;
async function write(root: Node, compression: 'gzip' | 'zstd', cacheDir: string | undefined, level?: number) {
  const output = join(work, `out-${n++}.cpio`);
  const reporter = new DoneReporter();
  const result = await writeArchive(root, { output, compression, level, segmentTarget: SEGMENT, reporter, cacheDir });
  const reused = /, (\d+) of (\d+) segment\(s\) reused/.exec(reporter.message);
  return { bytes: readFileSync(output), result, reused: reused ? Number(reused[1]) : 0, segments: reused ? Number(reused[2]) : undefined };
}

const entriesIn = (cacheDir: string): string[] => {
  const dir = join(cacheDir, 'segments');
  return readdirSync(dir).flatMap((sub) => readdirSync(join(dir, sub)).map((f) => join(dir, sub, f)));
};

describe.each(['gzip', 'zstd'] as const)('%s', (compression) => {
  it('a rebuild reuses every segment and gives the bytes of a build without cache', async () => {
    const cache = join(work, `cache-${compression}-1`);
    const cold = await write(tree(), compression, undefined);
    const first = await write(tree(), compression, cache);
    expect(first.reused).toBe(0);
    expect(first.bytes.equals(cold.bytes)).toBe(true);
    const entries = entriesIn(cache);
    expect(entries.length).toBeGreaterThan(5);

    const second = await write(tree(), compression, cache);
    expect(second.reused).toBe(entries.length);
    expect(second.segments).toBe(entries.length);
    expect(second.bytes.equals(cold.bytes)).toBe(true);
  });

  it('after a file in the middle grew, every segment away from it is reused, and the bytes equal a cold build', async () => {
    const cache = join(work, `cache-${compression}-2`);
    await write(tree(), compression, cache);
    const total = entriesIn(cache).length;
    expect(total).toBeGreaterThan(8);
    const changed = tree({ index: 20, seed: 'a new, bigger f20' });
    const warm = await write(changed, compression, cache);
    const cold = await write(changed, compression, undefined);
    expect(warm.bytes.equals(cold.bytes)).toBe(true);
    // Content-defined segments: only the one or two around f20 differ, before and after it alike.
    expect(warm.segments! - warm.reused).toBeGreaterThanOrEqual(1);
    expect(warm.segments! - warm.reused).toBeLessThanOrEqual(2);
  });

  it('a damaged entry is not used: the segment is compressed again and the entry replaced', async () => {
    const cache = join(work, `cache-${compression}-3`);
    const cold = await write(tree(), compression, cache);
    const entries = entriesIn(cache);
    const victim = entries[0]!;
    const damaged = readFileSync(victim);
    damaged[damaged.length - 5]! ^= 0xff;
    writeFileSync(victim, damaged);
    const warm = await write(tree(), compression, cache);
    expect(warm.bytes.equals(cold.bytes)).toBe(true);
    expect(warm.reused).toBe(entries.length - 1);
    // Replaced by the recompressed segment: the next build reuses everything.
    expect((await write(tree(), compression, cache)).reused).toBe(entries.length);
  });

  it('entries of another level are never used', async () => {
    const cache = join(work, `cache-${compression}-4`);
    await write(tree(), compression, cache, 1);
    const other = await write(tree(), compression, cache, 2);
    expect(other.reused).toBe(0);
    expect(other.bytes.equals((await write(tree(), compression, undefined, 2)).bytes)).toBe(true);
  });

  it('a warm rebuild takes spooled layer data from the cache by its layer digest and offset, reading none of it', async () => {
    const cache = join(work, `cache-${compression}-5`);
    const spool = new SpoolFile(join(work, `spool-${compression}-a`), 'sha256:aaaa');
    const cold = await write(spooledTree(spool), compression, cache);
    expect(cold.bytes.equals((await write(tree(), compression, undefined)).bytes)).toBe(true);
    // The same layer read again into a new spool whose file is gone: any read of its data would fail.
    const again = new SpoolFile(join(work, `spool-${compression}-b`), 'sha256:aaaa');
    const root = spooledTree(again);
    again.dispose();
    const warm = await write(root, compression, cache);
    expect(warm.reused).toBe(warm.segments);
    expect(warm.bytes.equals(cold.bytes)).toBe(true);
    spool.dispose();
  });

  it('the same bytes spooled from another layer, or a host file whose content changed, are compressed again', async () => {
    const cache = join(work, `cache-${compression}-6`);
    const a = new SpoolFile(join(work, `spool-${compression}-c`), 'sha256:aaaa');
    await write(spooledTree(a), compression, cache);
    const first = entriesIn(cache).length;
    expect(first).toBeGreaterThan(5);
    const b = new SpoolFile(join(work, `spool-${compression}-d`), 'sha256:bbbb');
    const other = await write(spooledTree(b), compression, cache);
    // Every segment holds some file data, now of another layer: none is reused, each is stored again.
    expect(other.reused).toBe(0);
    expect(entriesIn(cache)).toHaveLength(2 * first);
    a.dispose();
    b.dispose();

    // A host file keeps its name and size but not its content: its segment is not reused.
    const host = join(work, `host-${compression}`);
    const withHost = (): Node => {
      const root = tree();
      root.children!.get('data')!.children!.set('f20', { inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 1, size: 4096, data: { kind: 'host', path: host } } });
      return root;
    };
    writeFileSync(host, noise(4096, 'first'));
    await write(withHost(), compression, cache);
    writeFileSync(host, noise(4096, 'second'));
    const changed = await write(withHost(), compression, cache);
    expect(changed.segments! - changed.reused).toBe(1);
    expect(changed.bytes.equals((await write(withHost(), compression, undefined)).bytes)).toBe(true);
  });
});
