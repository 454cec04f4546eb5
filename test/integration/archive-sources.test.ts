// The image sources users have, written by the real tools (skopeo, GNU tar, gzip, zstd, pzstd, xz, bzip2,
// lz4) and built through the CLI: one image must give the same initramfs bytes whichever way it arrives,
// a build must leave nothing in the cache's tmp/, and every message must name the way that works — which
// the tests then take, literally.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSchema1Image, writeOciLayout, type TestImage } from '../helpers/image.ts';
import { CLI_SRC, runCli, type CliResult } from '../helpers/cli.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';
import { initToolsImage } from '../helpers/init-tools.ts';

const exec = promisify(execFile);
const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
/** How a failure ends stderr (after the progress lines): one line of printable text. */
const ERROR_LINE = /^error \[[A-Z_]+\]: [\x20-\x7e\u00a0-\uffff]+$/;

const image: TestImage = {
  config: { Entrypoint: ['/bin/sh', '-c'], Cmd: ['echo hi'], Env: ['PATH=/bin'], WorkingDir: '/srv' },
  layers: [
    {
      entries: [
        { name: 'bin/', type: 'dir' },
        { name: 'bin/sh', content: '#!fake shell\n', mode: 0o755 },
        { name: 'etc/', type: 'dir' },
        { name: 'etc/os-release', content: 'ID=archive\n' },
        { name: 'etc/hard', type: 'hardlink', linkname: 'etc/os-release' },
        { name: 'usr/share/data', content: 'data '.repeat(5000) },
      ],
    },
    {
      entries: [
        { name: 'etc/.wh.hard' },
        { name: 'etc/motd', content: 'from the second layer\n' },
        { name: 'bin/link', type: 'symlink', linkname: 'sh' },
      ],
      compression: 'none',
    },
  ],
};

let work: string;
let cache: string;
let layout: string;
let ociTar: string;
let dockerTar: string;
let reference: string;

/** Files under the cache's tmp/: a build must leave none, whether it succeeded or failed. */
const tmpLeft = (): string[] => (existsSync(join(cache, 'tmp')) ? readdirSync(join(cache, 'tmp'), { recursive: true }).map(String) : []);

let outputs = 0;
/** Builds `ref` with the CLI; returns the result and the output's bytes (when there are any). */
async function build(ref: string, opts: { cwd?: string } = {}): Promise<CliResult & { out: string }> {
  const out = join(work, `out-${outputs++}.cpio.gz`);
  const r = await runCli(['build', ref, '-o', out, '--cache-dir', cache], opts.cwd ? { cwd: opts.cwd } : {});
  return { ...r, out };
}

/** The digest of a successful build of `ref`, with tmp/ checked empty afterwards. */
async function digestOf(ref: string, opts: { cwd?: string } = {}): Promise<string> {
  const r = await build(ref, opts);
  expect(r.code, `${ref}: ${r.stderr}`).toBe(0);
  expect(tmpLeft(), ref).toEqual([]);
  return sha256(readFileSync(r.out));
}

/** A failed build of `ref`: exit code, one printable line on stderr, no output, nothing in tmp/. */
async function failureOf(ref: string, code: number, opts: { cwd?: string } = {}): Promise<string> {
  const r = await build(ref, opts);
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.split('\n');
  expect(lines.pop()).toBe('');
  const message = lines.pop()!;
  expect(message).toMatch(ERROR_LINE);
  expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  expect(existsSync(r.out)).toBe(false);
  expect(tmpLeft()).toEqual([]);
  return message;
}

const sh = (script: string, cwd: string): Promise<{ stdout: string; stderr: string }> =>
  exec('sh', ['-c', script], { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', INITRAMFS_ACTION_INIT_TOOLS: initToolsImage() }, maxBuffer: 64 << 20 });

beforeAll(async () => {
  work = await scratchDir();
  cache = join(work, 'cache');
  layout = join(work, 'layout');
  writeOciLayout(layout, [{ ref: 'v1', image }]);
  ociTar = join(work, 'oci.tar');
  dockerTar = join(work, 'docker.tar');
  await exec('skopeo', ['--insecure-policy', 'copy', `oci:${layout}:v1`, `oci-archive:${ociTar}:v1`]);
  await exec('skopeo', ['--insecure-policy', 'copy', `oci:${layout}:v1`, `docker-archive:${dockerTar}:box:v1`]);
  reference = await digestOf(`oci:${layout}:v1`);
});
afterAll(removeScratchDirs);

describe('one image, every way it arrives', () => {
  it('oci:, oci-archive: and docker-archive:, plain, gzip, zstd and multi-frame zstd, give byte-identical initramfs output', async () => {
    const files: Record<string, string> = {};
    for (const [name, tar] of [['oci', ociTar], ['docker', dockerTar]] as const) {
      // What users run: gzip and zstd as they come; pzstd, which puts a skippable frame before its frame;
      // and zstd frames concatenated (the archive compressed in two pieces, as a streaming writer may).
      const half = Math.floor(readFileSync(tar).length / 2);
      await sh(
        `gzip -c ${tar} > ${name}.tar.gz && zstd -q -c ${tar} > ${name}.tar.zst && pzstd -q -p 2 -c ${tar} > ${name}.tar.pzst && ` +
          `{ head -c ${half} ${tar} | zstd -q -c; tail -c +${half + 1} ${tar} | zstd -q -c --no-check; } > ${name}.tar.zst2`,
        work,
      );
      files[name] = tar;
      for (const ext of ['gz', 'zst', 'pzst', 'zst2']) files[`${name}.${ext}`] = join(work, `${name}.tar.${ext}`);
    }
    // pzstd's output starts with a skippable frame (magic 0x184D2A50); the two-piece file has two frames.
    expect(readFileSync(files['oci.pzst']!).readUInt32LE(0)).toBe(0x184d2a50);
    expect(readFileSync(files['oci.zst2']!).indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), 4)).toBeGreaterThan(0);
    // A layout tarred by GNU tar (member names ./oci-layout, ./blobs/…).
    await sh(`tar --format=posix -C ${layout} -cf gnu-layout.tar .`, work);

    const refs = [
      `oci-archive:${ociTar}:v1`,
      `oci-archive:${ociTar}`, // one image: REF not needed
      `oci-archive:${join(work, 'gnu-layout.tar')}:v1`,
      `docker-archive:${dockerTar}`,
      `docker-archive:${dockerTar}:box:v1`,
      ...['gz', 'zst', 'pzst', 'zst2'].flatMap((ext) => [`oci-archive:${files[`oci.${ext}`]}:v1`, `docker-archive:${files[`docker.${ext}`]}:box:v1`]),
    ];
    for (const ref of refs) expect(await digestOf(ref), ref).toBe(reference);
  });

  it('a docker save piped in (docker save img | gzip | … docker-archive:/dev/stdin) builds the same bytes', async () => {
    for (const source of [`cat ${dockerTar}`, `gzip -c ${dockerTar}`]) {
      const out = join(work, `piped-${outputs++}.cpio.gz`);
      const node = process.execPath;
      await sh(`${source} | "${node}" "${CLI_SRC}" build docker-archive:/dev/stdin -o ${out} --cache-dir ${cache}`, work);
      expect(sha256(readFileSync(out)), source).toBe(reference);
      expect(tmpLeft()).toEqual([]);
    }
  });

  it('inspect reads a compressed archive and removes its copy', async () => {
    await sh(`zstd -q -c ${dockerTar} > inspect.tar.zst`, work);
    const r = await runCli(['inspect', `docker-archive:${join(work, 'inspect.tar.zst')}`, '--cache-dir', cache]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Entrypoint: ["/bin/sh","-c"]');
    expect(r.stdout).toContain('Platforms:  linux/amd64');
    expect(tmpLeft()).toEqual([]);
  });
});

describe('archives this tool does not decompress', () => {
  for (const [tool, compress] of [
    ['xz', 'xz -c'],
    ['bzip2', 'bzip2 -c'],
    ['lz4', 'lz4 -q -c'],
  ] as const) {
    it(`${tool}: UNSUPPORTED, and the command in the message decompresses it into an archive that builds the same bytes`, async () => {
      const dir = join(work, `unsupported-${tool}`);
      mkdirSync(dir);
      await sh(`${compress} ${dockerTar} > image.tar.${tool}`, dir);
      const message = await failureOf(`docker-archive:image.tar.${tool}`, 1, { cwd: dir });
      expect(message).toMatch(new RegExp(`^error \\[UNSUPPORTED\\]: docker-archive:image\\.tar\\.${tool}: 'image\\.tar\\.${tool}' is compressed with ${tool}`));
      const command = /decompress it first \((.+?)\) and use (docker-archive:image\.tar)/.exec(message);
      expect(command, message).not.toBeNull();
      await sh(command![1]!, dir);
      expect(await digestOf(command![2]!, { cwd: dir })).toBe(reference);
    });
  }
});

describe('messages that help', () => {
  it('a gzip docker-archive cut short fails in one printable line, BAD_IMAGE, and leaves nothing behind', async () => {
    await sh(`gzip -c ${dockerTar} > whole.tar.gz`, work);
    const whole = readFileSync(join(work, 'whole.tar.gz'));
    const cut = join(work, 'cut.tar.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const message = await failureOf(`docker-archive:${cut}`, 1);
    expect(message).toBe(`error [BAD_IMAGE]: docker-archive:${cut}: the gzip stream is corrupt or truncated (unexpected end of file)`);
  });

  it('a layer that fails its digest inside a zstd archive fails the build and still removes the copy', async () => {
    // docker-archive's uncompressed layer: its bytes are in the tar as they are, so one can be flipped.
    const bytes = readFileSync(dockerTar);
    const at = bytes.indexOf(Buffer.from('from the second layer'));
    expect(at).toBeGreaterThan(0);
    bytes[at]! ^= 0x20;
    const flipped = join(work, 'flipped.tar');
    writeFileSync(flipped, bytes);
    await sh(`zstd -q -c ${flipped} > flipped.tar.zst`, work);
    const message = await failureOf(`docker-archive:${join(work, 'flipped.tar.zst')}`, 1);
    expect(message).toMatch(/^error \[DIGEST_MISMATCH\]: /);
  });

  it('oci:FILE.tar exits 2 naming oci-archive:FILE.tar, which builds', async () => {
    const message = await failureOf(`oci:${ociTar}:v1`, 2);
    expect(message).toContain(`error [USAGE]: oci:${ociTar}:v1: '${ociTar}' is a file, and oci: reads a layout directory`);
    const suggested = / use (\S+)$/.exec(message)![1]!;
    expect(suggested).toBe(`oci-archive:${ociTar}:v1`);
    expect(await digestOf(suggested)).toBe(reference);
  });

  it('docker-archive: on an OCI archive exits 2 naming oci-archive:, which builds', async () => {
    await sh(`gzip -c ${ociTar} > oci-for-docker.tar.gz`, work);
    const message = await failureOf(`docker-archive:${join(work, 'oci-for-docker.tar.gz')}`, 2);
    expect(message).toContain('is an OCI archive (oci-layout, no manifest.json); use oci-archive:');
    expect(await digestOf(/ use (\S+)$/.exec(message)![1]!)).toBe(reference);
  });

  it('oci-archive: on a docker save archive exits 2 naming docker-archive:, which builds', async () => {
    const message = await failureOf(`oci-archive:${dockerTar}:box:v1`, 2);
    expect(message).toContain('is a docker save archive (manifest.json, no oci-layout); use docker-archive:');
    expect(await digestOf(/ use (\S+)$/.exec(message)![1]!)).toBe(reference);
  });
});

describe('Docker schema 1 from a registry', () => {
  let server: Server | undefined;
  let registry: RegistryHandle | undefined;
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await registry?.stop();
  });

  it('is UNSUPPORTED naming "Docker schema 1"; both skopeo commands the message gives convert it into images that build', async () => {
    // An old registry on loopback serving a schema 1 image: its manifest, and its gzip layers as blobs.
    const gzipImage: TestImage = { ...image, layers: image.layers.map((l) => ({ ...l, compression: 'gzip' as const })) };
    const old = buildSchema1Image(gzipImage, 'old/app', 'v1');
    const blobs = new Map(old.layers.map((l) => [l.digest, l.blob]));
    server = createServer((req, res) => {
      const blob = /^\/v2\/old\/app\/blobs\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? '')?.[1];
      if (req.url === '/v2/') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else if (req.url === '/v2/old/app/manifests/v1') {
        res.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+json', 'content-length': old.manifest.length });
        res.end(req.method === 'HEAD' ? undefined : old.manifest);
      } else if (blob && blobs.has(blob)) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blobs.get(blob)!.length });
        res.end(req.method === 'HEAD' ? undefined : blobs.get(blob));
      } else res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"NOT_FOUND","message":"no"}]}');
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    registry = await startRegistry({ auth: 'none' });

    const message = await failureOf(`${host}/old/app:v1`, 1);
    expect(message).toContain(`error [UNSUPPORTED]: ${host}/old/app:v1: the manifest is Docker schema 1`);
    const pushed = /e\.g\. (skopeo copy --format v2s2 \S+ docker:\/\/)NEW-NAME and build NEW-NAME/.exec(message);
    const pulled = /or (skopeo copy \S+ )oci:DIR:TAG and build oci:DIR:TAG$/.exec(message);
    expect(pushed, message).not.toBeNull();
    expect(pulled, message).not.toBeNull();
    // The commands as given; only the placeholders are filled in, and TLS is off for the loopback registries.
    const insecure = (cmd: string, tls: string): string => cmd.replace('skopeo copy ', `skopeo --insecure-policy copy ${tls} `);
    await sh(insecure(`${pushed![1]}${registry.host}/new/app:v1`, '--src-tls-verify=false --dest-tls-verify=false'), work);
    await sh(insecure(`${pulled![1]}oci:${join(work, 'converted')}:v1`, '--src-tls-verify=false'), work);
    // The converted images carry the same layers: the same root filesystem, so the same bytes as the
    // image they came from (whose /init, generated from the same config, is the same too).
    const fromPush = await digestOf(`${registry.host}/new/app:v1`);
    const fromLayout = await digestOf(`oci:${join(work, 'converted')}:v1`);
    expect(fromPush).toBe(fromLayout);
    expect(fromPush).toBe(reference);
  });
});
