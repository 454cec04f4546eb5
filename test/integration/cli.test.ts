// The CLI as users meet it: reproducible bytes whatever the environment, the report, inspect, and bad
// input that ends in one clear line, a stable exit code, no stack trace and no output file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, truncateSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { writeOciLayout, writeDockerArchive, blobPath, type TestEntry, type WrittenImage } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { runCli, CLI_DIST } from '../helpers/cli.ts';
import { listCpio } from '../helpers/cpio.ts';
import { decodeNewc } from '../../src/initramfs/newc.ts';

const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

const entries: TestEntry[] = [
  { name: 'bin', type: 'dir', mtime: 1_700_000_000 },
  { name: 'bin/sh', content: '#!fake shell\n', mode: 0o755, mtime: 1_700_000_000 },
  { name: 'etc', type: 'dir', mtime: 1_800_000_000 },
  { name: 'etc/os-release', content: 'ID=test\n', mtime: 1_800_000_000 },
  { name: 'etc/link', type: 'hardlink', linkname: 'etc/os-release' },
];

let work: string;
let layout: string;
let written: WrittenImage[];
let injectFile: string;

beforeAll(async () => {
  work = await scratchDir();
  layout = join(work, 'layout');
  written = writeOciLayout(layout, [
    { ref: 'v1', image: { config: { Entrypoint: ['/bin/sh', '-c', 'echo hi'] }, layers: [{ entries }, { entries: [{ name: 'etc/extra', content: 'x' }], compression: 'zstd' }] } },
  ]);
  injectFile = join(work, 'agent');
  writeFileSync(injectFile, 'agent binary');
});
afterAll(removeScratchDirs);

describe('reproducible output', () => {
  it('two builds under different TZ, umask, cwd and cache state are byte-identical', async () => {
    const a = join(work, 'repro-a.cpio.gz');
    const b = join(work, 'repro-b.cpio.gz');
    const cwdA = join(work, 'cwd-a');
    const cwdB = join(work, 'cwd-b');
    mkdirSync(cwdA);
    mkdirSync(cwdB);
    const warmCache = join(work, 'warm-cache');
    const common = ['build', `oci:${layout}:v1`, '--inject', `${injectFile}:/usr/bin/agent`];
    // warm the second cache first, so one build runs cold and the other warm
    expect((await runCli([...common, '-o', join(work, 'warmup.gz'), '--cache-dir', warmCache])).code).toBe(0);
    const ra = await runCli([...common, '-o', a, '--cache-dir', join(work, 'cold-cache')], { cwd: cwdA, env: { TZ: 'UTC' }, umask: '022' });
    const rb = await runCli([...common, '-o', b, '--cache-dir', warmCache], { cwd: cwdB, env: { TZ: 'Pacific/Kiritimati' }, umask: '077' });
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(sha256(readFileSync(a))).toBe(sha256(readFileSync(b)));
    expect(ra.stdout).toBe(rb.stdout);
  });

  it('SOURCE_DATE_EPOCH clamps every later mtime and leaves earlier ones', async () => {
    const mtimes = async (epoch?: string): Promise<Map<string, number>> => {
      const out = join(work, `epoch-${epoch ?? 'none'}.cpio`);
      const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--cache-dir', join(work, 'c')], { env: epoch ? { SOURCE_DATE_EPOCH: epoch } : {} });
      expect(r.code, r.stderr).toBe(0);
      return new Map(decodeNewc(readFileSync(out)).map((rec) => [rec.name, rec.mtime]));
    };
    const unclamped = await mtimes();
    const clamped = await mtimes('1750000000');
    expect(unclamped.get('etc/os-release')).toBe(1_800_000_000);
    expect(clamped.get('etc/os-release')).toBe(1_750_000_000);
    expect(clamped.get('bin/sh')).toBe(1_700_000_000);
    expect(Math.max(...clamped.values())).toBe(1_750_000_000);
  });
});

describe('report and output', () => {
  it('--report writes the digest and size of the output, the image and its layers', async () => {
    const out = join(work, 'report.cpio.zst');
    const reportFile = join(work, 'report.json');
    const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--report', reportFile, '--cache-dir', join(work, 'c')]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(out);
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    const manifest = written[0]!.manifests[0]!;
    expect(report).toMatchObject({
      digest: sha256(bytes),
      size: bytes.length,
      output: out,
      compression: 'zstd',
      image: { reference: `oci:${layout}:v1`, digest: manifest.digest, platform: 'linux/amd64' },
      layers: manifest.layers.map((l) => ({ digest: l.digest, size: l.blob.length })),
    });
    expect(report.entries).toBeGreaterThan(8);
    expect(report.uncompressedSize).toBeGreaterThan(bytes.length);
    expect(r.stdout).toBe(`digest: ${sha256(bytes)}\nsize: ${bytes.length}\n`);
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  });

  it('--checksums writes FILE.sha256 beside the archive, which sha256sum -c checks where both are', async () => {
    const dir = join(work, 'sums');
    const out = join(dir, 'initrd.cpio.gz');
    const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--checksums', '--cache-dir', join(work, 'c')]);
    expect(r.code, r.stderr).toBe(0);
    const digest = sha256(readFileSync(out));
    expect(r.stdout).toBe(`digest: ${digest}\nsize: ${readFileSync(out).length}\nchecksums: ${out}.sha256\n`);
    expect(readFileSync(`${out}.sha256`, 'utf8')).toBe(`${digest.slice(7)}  initrd.cpio.gz\n`);
    expect(execFileSync('sha256sum', ['-c', 'initrd.cpio.gz.sha256'], { cwd: dir, encoding: 'utf8' })).toBe('initrd.cpio.gz: OK\n');
    // A changed byte is what it is there to catch.
    const bytes = readFileSync(out);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(out, bytes);
    expect(() => execFileSync('sha256sum', ['-c', 'initrd.cpio.gz.sha256'], { cwd: dir, stdio: 'pipe' })).toThrow();
    const stdout = await runCli(['build', `oci:${layout}:v1`, '-o', '-', '--checksums']);
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toMatch(/--checksums needs the archive in a file/);
  });

  it('inspect prints the platforms, the config and the layers', async () => {
    const r = await runCli(['inspect', `oci:${layout}:v1`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('linux/amd64');
    expect(r.stdout).toContain('["/bin/sh","-c","echo hi"]');
    for (const l of written[0]!.manifests[0]!.layers) expect(r.stdout).toContain(l.digest);
  });

  it('the bundled dist/cli.js runs', async () => {
    const out = join(work, 'dist.cpio');
    const r = await runCli(['build', `oci:${layout}:v1`, '-o', out, '--cache-dir', join(work, 'c')], { script: CLI_DIST });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digest: sha256:[0-9a-f]{64}\nsize: \d+\n$/);
  });
});

describe('sources and options', () => {
  it('a docker-archive and an OCI layout of the same image give the same bytes', async () => {
    const image = { config: { Cmd: ['/bin/sh'] }, layers: [{ entries, compression: 'none' as const }, { entries: [{ name: 'etc/extra', content: 'x' }], compression: 'none' as const }] };
    const dir = join(work, 'same-image');
    writeOciLayout(join(dir, 'layout'), [{ ref: 'v1', image }]);
    writeDockerArchive(join(dir, 'saved.tar'), [{ tags: ['demo:v1'], image }]);
    const a = join(dir, 'a.cpio.gz');
    const b = join(dir, 'b.cpio.gz');
    const ra = await runCli(['build', `oci:${join(dir, 'layout')}:v1`, '-o', a, '--cache-dir', join(work, 'c')]);
    const rb = await runCli(['build', `docker-archive:${join(dir, 'saved.tar')}:demo:v1`, '-o', b, '--cache-dir', join(work, 'c')]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });

  it('--platform picks one image of a multi-platform index, and a missing platform lists those there are', async () => {
    const dir = join(work, 'multi');
    const only = (name: string): TestEntry[] => [{ name, content: name }];
    writeOciLayout(dir, [
      {
        ref: 'v1',
        image: [
          { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ entries: only('amd64-file') }] },
          { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' }, layers: [{ entries: only('arm64-file') }] },
        ],
      },
    ]);
    const out = join(dir, 'arm.cpio');
    const report = join(dir, 'arm.json');
    const init = join(dir, 'init');
    writeFileSync(init, '#!/bin/sh\n');
    const r = await runCli(['build', `oci:${dir}:v1`, '-o', out, '--platform', 'linux/arm64', '--init', init, '--report', report, '--cache-dir', join(work, 'c')]);
    expect(r.code, r.stderr).toBe(0);
    const names = decodeNewc(readFileSync(out)).map((rec) => rec.name);
    expect(names).toContain('arm64-file');
    expect(names).not.toContain('amd64-file');
    expect(JSON.parse(readFileSync(report, 'utf8')).image.platform).toBe('linux/arm64/v8');
    const miss = await runCli(['build', `oci:${dir}:v1`, '-o', out + '2', '--platform', 'linux/s390x', '--init', init, '--cache-dir', join(work, 'c')]);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toMatch(/error \[PLATFORM_NOT_FOUND\]: .*linux\/s390x.*linux\/amd64.*linux\/arm64/);
  });

  it('--exclude drops image paths and --inject adds host files and directories with their modes', async () => {
    const dir = join(work, 'overlay');
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'tree', 'sub', 'conf'), 'conf');
    writeFileSync(join(dir, 'tool'), 'tool');
    const out = join(dir, 'out.cpio');
    const r = await runCli([
      'build', `oci:${layout}:v1`, '-o', out, '--cache-dir', join(work, 'c'),
      '--exclude', '/etc/**', '--inject', `${join(dir, 'tool')}:/usr/bin/tool`, '--inject', `${join(dir, 'tree')}:/opt/tree:0600`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const recs = new Map(decodeNewc(readFileSync(out)).map((rec) => [rec.name, rec]));
    expect([...recs.keys()].filter((n) => n.startsWith('etc/'))).toEqual([]);
    expect(recs.get('etc')?.mode! & 0o170000).toBe(0o040000);
    expect(recs.get('usr/bin/tool')).toMatchObject({ mode: 0o100755, uid: 0, gid: 0, mtime: 0 });
    expect(recs.get('opt/tree/sub/conf')).toMatchObject({ mode: 0o100600 });
    expect(recs.get('opt/tree/sub')?.mode).toBe(0o040755);
  });
});

describe('modes in the archive never come from the host', () => {
  it('files without an exec bit, read-only or not (all Windows stat shows), are 0755 or MODE as bsdtar lists them; directories 0755', async () => {
    // What Windows reports for every file is 0666, or 0444 with the read-only attribute, and no exec
    // bit ever: host modes like these must not reach the archive, where the kernel needs 0755 to exec.
    const dir = join(work, 'host-modes');
    mkdirSync(join(dir, 'tree', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'agent.exe'), 'agent');
    chmodSync(join(dir, 'agent.exe'), 0o444);
    writeFileSync(join(dir, 'conf'), 'conf');
    chmodSync(join(dir, 'conf'), 0o666);
    writeFileSync(join(dir, 'tree', 'sub', 'data'), 'data');
    chmodSync(join(dir, 'tree', 'sub', 'data'), 0o444);
    chmodSync(join(dir, 'tree', 'sub'), 0o555);
    writeFileSync(join(dir, 'init'), '#!/bin/sh\nexec /bin/sh\n');
    chmodSync(join(dir, 'init'), 0o644);
    const out = join(dir, 'out.cpio');
    const r = await runCli([
      'build', `oci:${layout}:v1`, '-o', out, '--cache-dir', join(work, 'c'), '--init', join(dir, 'init'),
      '-i', `${join(dir, 'agent.exe')}:/usr/bin/agent`, '-i', `${join(dir, 'conf')}:/etc/agent.conf:0640`, '-i', `${join(dir, 'tree')}:/opt/tree:0600`,
    ]);
    chmodSync(join(dir, 'tree', 'sub'), 0o755); // so that the scratch directory can be removed without root
    expect(r.code, r.stderr).toBe(0);
    const modes = new Map(
      (await listCpio(out))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => [l.split(/\s+/).pop()!, l.slice(0, 10)]),
    );
    expect(modes.get('usr/bin/agent')).toBe('-rwxr-xr-x');
    expect(modes.get('etc/agent.conf')).toBe('-rw-r-----');
    expect(modes.get('init')).toBe('-rwxr-xr-x');
    expect(modes.get('opt/tree')).toBe('drwxr-xr-x');
    expect(modes.get('opt/tree/sub')).toBe('drwxr-xr-x');
    expect(modes.get('opt/tree/sub/data')).toBe('-rw-------');
  });
});

describe('bad input ends in one clear message, a stable exit code and no output file', () => {
  /** Runs a failing build into a fresh directory and checks the outcome is clean. */
  async function failingBuild(args: (out: string) => string[], code: number, pattern: RegExp): Promise<void> {
    const dir = join(work, `fail-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    const out = join(dir, 'out.cpio.gz');
    const r = await runCli([...args(out), '--cache-dir', join(work, 'c')]);
    expect(r.code, r.stderr).toBe(code);
    const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('error'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(out)).toBe(false);
  }

  it('a missing image', () =>
    failingBuild((o) => ['build', `oci:${join(work, 'nope')}`, '-o', o], 1, /^error \[IMAGE_NOT_FOUND\]: .*nope/));

  it('an unknown tag in a layout names the tags there are', () =>
    failingBuild((o) => ['build', `oci:${layout}:v2`, '-o', o], 1, /^error \[IMAGE_NOT_FOUND\]: .*v2.*v1/));

  it('a corrupt layer names the blob', async () => {
    const bad = join(work, 'corrupt');
    const w = writeOciLayout(bad, [{ ref: 'v1', image: { layers: [{ entries }] } }]);
    const digest = w[0]!.manifests[0]!.layers[0]!.digest;
    const file = blobPath(bad, digest);
    const bytes = readFileSync(file);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(file, bytes);
    await failingBuild((o) => ['build', `oci:${bad}:v1`, '-o', o], 1, new RegExp(`^error \\[DIGEST_MISMATCH\\]: .*${digest.slice(7, 19)}`));
  });

  it('a truncated layer names the blob', async () => {
    const bad = join(work, 'truncated');
    const w = writeOciLayout(bad, [{ ref: 'v1', image: { layers: [{ entries }] } }]);
    const digest = w[0]!.manifests[0]!.layers[0]!.digest;
    truncateSync(blobPath(bad, digest), 40);
    await failingBuild((o) => ['build', `oci:${bad}:v1`, '-o', o], 1, new RegExp(`^error \\[DIGEST_MISMATCH\\]: .*${digest.slice(7, 19)}`));
  });

  it('an unknown compression', () =>
    failingBuild((o) => ['build', `oci:${layout}:v1`, '-o', o, '--compression', 'lzma'], 2, /^error \[USAGE\]: .*lzma.*gzip/));

  it('a level out of range', () =>
    failingBuild((o) => ['build', `oci:${layout}:v1`, '-o', o, '--compression', 'gzip', '--level', '12'], 2, /^error \[USAGE\]: .*12/));

  it('a missing inject source', () =>
    failingBuild((o) => ['build', `oci:${layout}:v1`, '-o', o, '--inject', `${join(work, 'missing')}:/x`], 1, /^error \[INJECT_SOURCE\]: .*missing/));

  it('a bad SRC:DEST', () =>
    failingBuild((o) => ['build', `oci:${layout}:v1`, '-o', o, '--inject', 'just-a-path'], 2, /^error \[USAGE\]: .*just-a-path.*SRC:DEST/));

  it('a missing --init file', () =>
    failingBuild((o) => ['build', `oci:${layout}:v1`, '-o', o, '--init', join(work, 'no-init')], 1, /^error \[INJECT_SOURCE\]: .*no-init/));

  it('an unknown option', () => failingBuild((o) => ['build', `oci:${layout}:v1`, '-o', o, '--frobnicate'], 2, /^error \[USAGE\]: .*frobnicate/));
});
