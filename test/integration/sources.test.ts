// Image sources against real tools: skopeo must accept the layouts the test helper writes (so they are
// spec-valid), and our readers must accept what skopeo, GNU tar and the zstd CLI write.
import { afterAll, describe, expect, test } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, linkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DockerArchiveSource } from '../../src/image/docker-archive.ts';
import { OciLayoutSource } from '../../src/image/oci-layout.ts';
import { readLayer } from '../../src/image/read-layer.ts';
import { SpoolFile } from '../../src/image/spool.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import type { ImageSource } from '../../src/image/types.ts';
import { memoryLayer, skippableFrame, writeOciLayout, type TestImage } from '../helpers/image.ts';

const exec = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), 'sources-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const amd64 = { os: 'linux', architecture: 'amd64' };
let n = 0;

const image = (marker: string, compression: 'none' | 'gzip' | 'zstd' = 'gzip'): TestImage => ({
  config: { Entrypoint: ['/bin/sh'], Cmd: ['-c', marker], Env: ['A=1'], WorkingDir: '/w' },
  layers: [
    { entries: [{ name: 'bin/', type: 'dir' }, { name: 'bin/marker', content: marker, mode: 0o4755 }], compression },
    { entries: [{ name: 'bin/.wh.old' }, { name: 'bin/link', type: 'symlink', linkname: 'marker' }], compression },
  ],
});

async function entriesOf(source: ImageSource): Promise<LayerEntry[][]> {
  const img = await source.resolve(amd64);
  const spool = new SpoolFile(join(root, `spool${n++}`), 'sha256:test');
  try {
    const out: LayerEntry[][] = [];
    for (const l of img.layers) out.push((await readLayer(l, spool)).map(({ data: _data, ...rest }) => rest));
    return out;
  } finally {
    spool.dispose();
  }
}

describe('layouts written by the test helper', () => {
  test('skopeo inspects them: tags, configs, layers and an arm64 entry of an index', async () => {
    const dir = join(root, 'layout');
    const [single, , multi] = writeOciLayout(dir, [
      { ref: 'v1', image: image('one') },
      { ref: 'docker', image: image('two', 'none'), docker: true },
      { ref: 'multi', image: [image('x86'), { ...image('arm'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }] },
    ]);
    const v1 = JSON.parse((await exec('skopeo', ['inspect', `oci:${dir}:v1`])).stdout) as Record<string, unknown>;
    expect(v1.Digest).toBe(single!.digest);
    expect(v1.Layers).toEqual(single!.manifests[0]!.layers.map((l) => l.digest));
    expect(v1.Architecture).toBe('amd64');
    const cfg = JSON.parse((await exec('skopeo', ['inspect', '--config', `oci:${dir}:v1`])).stdout) as { config: object };
    expect(cfg.config).toEqual({ Entrypoint: ['/bin/sh'], Cmd: ['-c', 'one'], Env: ['A=1'], WorkingDir: '/w' });
    // (skopeo 1.9 looks up only OCI media types in index.json, so the `docker` entry is checked by our reader.)
    const docker = await (await OciLayoutSource.open(`oci:${dir}:docker`)).resolve(amd64);
    expect(docker.config.Cmd).toEqual(['-c', 'two']);
    const arm = JSON.parse((await exec('skopeo', ['inspect', '--override-arch', 'arm64', `oci:${dir}:multi`])).stdout) as Record<string, unknown>;
    // skopeo reports the index's digest; the layers tell which manifest it chose.
    expect(arm.Digest).toBe(multi!.digest);
    expect(arm.Architecture).toBe('arm64');
    expect(arm.Layers).toEqual(multi!.manifests[1]!.layers.map((l) => l.digest));
    // And our reader agrees with skopeo on which manifest is arm64.
    const ours = await (await OciLayoutSource.open(`oci:${dir}:multi`)).resolve({ os: 'linux', architecture: 'arm64' });
    expect(ours.digest).toBe(multi!.manifests[1]!.digest);
    expect(ours.layers.map((l) => l.digest)).toEqual(arm.Layers);
  });
});

describe('images written by skopeo', () => {
  test('a docker-archive from skopeo copy reads the same entries as the layout it came from', async () => {
    const dir = join(root, 'for-archive');
    writeOciLayout(dir, [{ ref: 'v1', image: image('archived') }]);
    const file = join(root, 'skopeo.tar');
    await exec('skopeo', ['--insecure-policy', 'copy', `oci:${dir}:v1`, `docker-archive:${file}:box:v1`]);
    const fromArchive = await DockerArchiveSource.open(`docker-archive:${file}`);
    const img = await fromArchive.resolve(amd64);
    expect(img.config.Cmd).toEqual(['-c', 'archived']);
    expect(await entriesOf(fromArchive)).toEqual(await entriesOf(await OciLayoutSource.open(`oci:${dir}:v1`)));
    expect(await entriesOf(await DockerArchiveSource.open(`docker-archive:${file}:box:v1`))).toHaveLength(2);
  });

  test('a layout skopeo recompressed to zstd reads the same entries', async () => {
    const src = join(root, 'for-zstd');
    const dst = join(root, 'zstd-layout');
    writeOciLayout(src, [{ ref: 'v1', image: image('zstd') }]);
    await exec('skopeo', ['--insecure-policy', 'copy', '--dest-compress-format', 'zstd', '--dest-compress', `oci:${src}:v1`, `oci:${dst}:z`]);
    const layout = await OciLayoutSource.open(`oci:${dst}:z`);
    const img = await layout.resolve(amd64);
    expect(img.layers.map((l) => l.compression)).toEqual(['zstd', 'zstd']);
    expect(await entriesOf(layout)).toEqual(await entriesOf(await OciLayoutSource.open(`oci:${src}:v1`)));
  });
});

describe('layers written by GNU tar and the zstd CLI', () => {
  test('GNU tar entries come through with raw names, long names, modes, links and devices', async () => {
    const tree = join(root, 'tree');
    const rawName = Buffer.concat([Buffer.from(join(tree, 'caf')), Buffer.from([0xe9, 0xff])]);
    const long = `${'long-directory-name/'.repeat(6)}file`;
    mkdirSync(join(tree, long, '..'), { recursive: true });
    writeFileSync(join(tree, long), 'deep');
    writeFileSync(rawName, 'raw');
    writeFileSync(join(tree, 'suid'), 'x');
    chmodSync(join(tree, 'suid'), 0o4711);
    linkSync(join(tree, 'suid'), join(tree, 'suid-link'));
    symlinkSync(`../${long}`, join(tree, 'sym'));
    await exec('mknod', [join(tree, 'null'), 'c', '1', '3']);
    await exec('mkfifo', [join(tree, 'fifo')]);
    const results: Record<string, LayerEntry[]> = {};
    for (const format of ['gnu', 'posix']) {
      const tarFile = join(root, `gnu-${format}.tar`);
      await exec('tar', [`--format=${format}`, '--sort=name', '-C', tree, '-cf', tarFile, '.']);
      const spool = new SpoolFile(join(root, `spool${n++}`), 'sha256:test');
      results[format] = await readLayer(memoryLayer(readFileSync(tarFile), 'none'), spool);
      spool.dispose();
    }
    for (const entries of Object.values(results)) {
      const by = new Map(entries.map((e) => [e.name, e]));
      expect(by.get(`./${long}`)).toMatchObject({ type: 'file', size: 4 });
      expect(by.get('./suid')).toMatchObject({ type: 'file', mode: 0o4711 });
      expect(by.get('./suid-link')).toMatchObject({ type: 'hardlink', linkname: './suid' });
      expect(by.get('./sym')).toMatchObject({ type: 'symlink', linkname: `../${long}` });
      expect(by.get('./null')).toMatchObject({ type: 'char', devMajor: 1, devMinor: 3 });
      expect(by.get('./fifo')).toMatchObject({ type: 'fifo' });
    }
    // GNU format keeps the raw bytes; pax stores a non-UTF-8 name with hdrcharset=BINARY, raw as well.
    expect(results.gnu!.some((e) => e.name === './caf\xe9\xff')).toBe(true);
    expect(results.posix!.some((e) => e.name === './caf\xe9\xff')).toBe(true);
  });

  test('frames from the zstd CLI with skippable frames between them all arrive', async () => {
    const parts: Buffer[] = [];
    const expected: string[] = [];
    const tarFile = join(root, 'frames.tar');
    const tree = join(root, 'frames');
    mkdirSync(tree);
    for (let i = 0; i < 30; i++) {
      writeFileSync(join(tree, `f${String(i).padStart(2, '0')}`), `content ${i} `.repeat(1000 + i * 37));
      expected.push(`./f${String(i).padStart(2, '0')}`);
    }
    await exec('tar', ['--format=gnu', '--sort=name', '-C', tree, '-cf', tarFile, '.']);
    const tar = readFileSync(tarFile);
    const step = Math.ceil(tar.length / 4);
    const flags = [['--check'], ['--no-check', '--no-content-size'], ['-19'], ['--no-check']];
    for (let i = 0; i < 4; i++) {
      const piece = join(root, `piece${i}`);
      writeFileSync(piece, tar.subarray(i * step, (i + 1) * step));
      await exec('zstd', ['-q', '-f', ...flags[i]!, piece, '-o', `${piece}.zst`]);
      if (i > 0) parts.push(skippableFrame(Buffer.from(`between ${i}`), i));
      parts.push(readFileSync(`${piece}.zst`));
    }
    const spool = new SpoolFile(join(root, `spool${n++}`), 'sha256:test');
    const entries = await readLayer(memoryLayer(Buffer.concat(parts), 'zstd'), spool);
    expect(entries.filter((e) => e.type === 'file').map((e) => e.name)).toEqual(expected);
    const last = entries.at(-1)!;
    const out = Buffer.alloc(last.size);
    if (last.data?.kind === 'spool') spool.readInto(out, 0, last.data.offset, last.size);
    expect(out.toString()).toBe('content 29 '.repeat(1000 + 29 * 37));
    spool.dispose();
  });
});
