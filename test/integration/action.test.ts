// The bundled action (dist/index.js) run as a GitHub runner runs it: INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, against the real registry on loopback (basic auth). Its outputs describe the
// file it wrote, the file equals the CLI's build of the same inputs, secrets are masked before anything
// else, and bad inputs end as one failure line naming the input. The job summary: one section per build,
// charts Mermaid's parser reads whose parts add up to the archive's file data, and a section for a failure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { startRegistry, DEFAULT_USER, type RegistryHandle } from '../helpers/registry.ts';
import { pushLayout } from '../helpers/push.ts';
import { CLI_NODE, runCli } from '../helpers/cli.ts';
import { runAction } from '../helpers/action.ts';
import { listCpio, readInitramfs } from '../helpers/cpio.ts';
import { summaryPies } from '../helpers/summary.ts';
import type { BuildReport } from '../../src/report.ts';

let work: string;
let workspace: string;
let registry: RegistryHandle;
let manifestDigest: string;

const sha256 = (file: string): string => 'sha256:' + createHash('sha256').update(readFileSync(file)).digest('hex');
const creds = `${DEFAULT_USER.username}:${DEFAULT_USER.password}`;

/** Bytes of regular-file data in an archive, read from its newc headers: each inode (hardlinks) once. */
async function cpioFileData(file: string): Promise<number> {
  const sizes = new Map<number, number>();
  for (const m of await readInitramfs(file)) {
    for (const e of m.entries) if ((e.mode & 0o170000) === 0o100000) sizes.set(e.ino, Math.max(sizes.get(e.ino) ?? 0, e.filesize));
  }
  return [...sizes.values()].reduce((a, b) => a + b, 0);
}

const entries: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake shell\n', mode: 0o755 },
  { name: 'usr', type: 'dir' },
  { name: 'usr/lib', type: 'dir' },
  { name: 'usr/lib/big.so', content: Buffer.alloc(200_000, 7), mode: 0o755 },
];

beforeAll(async () => {
  work = await scratchDir('action-');
  workspace = join(work, 'workspace');
  const layout = join(work, 'layout');
  writeOciLayout(layout, [{ ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries }, { entries: [{ name: 'etc', type: 'dir' }, { name: 'etc/motd', content: 'hi\n' }] }] } }]);
  registry = await startRegistry({ auth: 'basic' });
  manifestDigest = await pushLayout(layout, 'v1', registry.host, 'demo/app:v1', { creds });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(workspace, 'bin'), { recursive: true });
  writeFileSync(join(workspace, 'bin', 'agent'), '#!/bin/sh\necho agent\n');
}, 60_000);
afterAll(async () => {
  await registry?.stop();
  await removeScratchDirs();
});

describe('a build with upload none', () => {
  it('sets outputs that describe the file, equal to the CLI build, and writes the job summary', async () => {
    const run = await runAction(
      {
        image: `${registry.host}/demo/app:v1`,
        inject: 'bin/agent:/usr/bin/agent\n\n# comment lines are skipped\n',
        compression: 'zstd',
        'compression-level': '5',
        network: 'dhcp',
        'on-exit': 'reboot',
        cache: 'false',
        upload: 'none',
        'registry-username': DEFAULT_USER.username,
        'registry-password': DEFAULT_USER.password,
      },
      { workspace, runnerTemp: join(work, 'temp-1') },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const file = join(workspace, 'app-v1-linux-amd64.cpio.zst');
    expect(run.outputs['path']).toBe(file);
    expect(run.outputs['digest']).toBe(sha256(file));
    expect(run.outputs['size']).toBe(String(readFileSync(file).length));
    expect(run.outputs['image-digest']).toBe(manifestDigest);
    expect(run.outputs['cache-hit']).toBe('false');
    expect(run.outputs['artifact-id']).toBeUndefined();
    // The build report, for later steps: in RUNNER_TEMP, named after the archive, agreeing with the outputs.
    expect(run.outputs['report']).toBe(join(work, 'temp-1', 'app-v1-linux-amd64.cpio.zst.report.json'));
    const json = JSON.parse(readFileSync(run.outputs['report']!, 'utf8')) as { digest: string; size: number; entries: number; output: string };
    expect(json).toMatchObject({ digest: run.outputs['digest'], size: Number(run.outputs['size']), output: file });
    expect(run.outputs['entries']).toBe(String(json.entries));
    expect(json.entries).toBeGreaterThan(0);

    const cliOut = join(work, 'cli.cpio.zst');
    const cli = await runCli(
      ['build', `${registry.host}/demo/app:v1`, '-o', cliOut, '-c', 'zstd', '-l', '5', '-i', `${join(workspace, 'bin/agent')}:/usr/bin/agent`, '--network', 'dhcp', '--on-exit', 'reboot', '-u', DEFAULT_USER.username, '--password-stdin', '--cache-dir', join(work, 'cli-cache')],
      { input: DEFAULT_USER.password },
    );
    expect(cli.code, cli.stderr).toBe(0);
    // The same cpio; the same compressed bytes when both run on one Node (another Node may bundle another
    // zstd: Node 22.15's 1.5.6 and Node 24's 1.5.7 compress this archive differently).
    expect(zstdDecompressSync(readFileSync(file)).equals(zstdDecompressSync(readFileSync(cliOut)))).toBe(true);
    if (CLI_NODE === undefined) expect(readFileSync(file).equals(readFileSync(cliOut))).toBe(true);
    expect(await listCpio(file)).toMatch(/usr\/bin\/agent/);

    // Log groups per stage, each closed.
    for (const stage of ['pull', 'layers', 'assemble', 'compress', 'publish']) expect(run.stdout).toMatch(new RegExp(`^::group::${stage}`, 'm'));
    expect(run.stdout.match(/^::group::/gm)!.length).toBe(run.stdout.match(/^::endgroup::/gm)!.length);

    expect(run.summary.split('\n')[0]).toBe(`## initramfs: app-v1-linux-amd64.cpio.zst from ${registry.host}/demo/app:v1`);
    expect(run.summary).toContain(manifestDigest);
    expect(run.summary).toContain(run.outputs['digest']);
    expect(run.summary).toMatch(/### Layers \(2, 0 from cache\)/);
    // /usr holds less than a fifth of the data (the busybox of the generated /init is most of it): whole.
    expect(run.summary).toMatch(/^\| `\/usr` \| 195\.3 KiB \| 9\.\d% \|$/m);
    expect(run.summary).toContain('Compressed (zstd -5)');
    expect(run.summary).toMatch(/^\| \/init \| generated: network dhcp, on exit reboot, busybox from `oci:.*init-tools.*` \|$/m);

    // Where the bytes are: every byte of the archive's file data once, by place and by origin.
    const space = (JSON.parse(readFileSync(run.outputs['report']!, 'utf8')) as BuildReport).space;
    expect(space.fileBytes).toBe(await cpioFileData(file));
    expect(space.directories.reduce((n, d) => n + d.bytes, 0)).toBe(space.fileBytes);
    // Layer 1: bin/sh and big.so; layer 2: etc/motd; injected: bin/agent; the rest is the generated /init's.
    expect(space.layers).toEqual([13 + 200_000, 3]);
    expect(space.injected).toBe(readFileSync(join(workspace, 'bin', 'agent')).length);
    expect(space.layers[0]! + space.layers[1]! + space.injected + space.generated).toBe(space.fileBytes);
    const [layers, dirs] = await summaryPies(run.summary);
    expect(layers!.sections.map((x) => x.value)).toEqual([...space.layers, space.injected, space.generated]);
    expect(dirs!.sections.map((x) => x.value)).toEqual(space.directories.map((d) => d.bytes));
  });

  it('masks the registry password before anything else and never prints it', async () => {
    const secret = 'not-the-password-' + 'x9q';
    const run = await runAction(
      { image: `${registry.host}/demo/app:v1`, cache: 'false', upload: 'none', 'registry-username': DEFAULT_USER.username, 'registry-password': secret },
      { workspace, runnerTemp: join(work, 'temp-2') },
    );
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${secret}`);
    expect(run.stdout.split(secret).length - 1).toBe(1);
    expect(run.stderr).not.toContain(secret);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatch(/demo\/app:v1/);
    expect(run.errors[0]).toMatch(/\[AUTH\]$/);
    // The summary says what was asked and where it failed, and holds no secret either.
    expect(run.summary.split('\n')[0]).toBe(`## initramfs: app-v1-linux-amd64.cpio.gz from ${registry.host}/demo/app:v1 (failed)`);
    expect(run.summary).toContain(`| Failed at | pull: resolving ${registry.host}/demo/app:v1 |`);
    expect(run.summary).toContain('| Code | `AUTH` |');
    expect(run.summary).toContain('Nothing had been done before the failure.');
    expect(run.summary).not.toContain(secret);
  });

  it('upload: artifact outside a runner fails after the build, saying where the action runs; the summary keeps the build', async () => {
    // runAction's environment is a runner's without the Actions runtime, as a local `node dist/index.js` is.
    const run = await runAction(
      { image: `${registry.host}/demo/app:v1`, output: 'local.cpio.gz', cache: 'false', 'registry-username': DEFAULT_USER.username, 'registry-password': DEFAULT_USER.password },
      { workspace, runnerTemp: join(work, 'temp-local') },
    );
    expect(run.code).toBe(1);
    expect(run.errors).toEqual([
      "upload: artifact needs the GitHub Actions runtime (ACTIONS_RUNTIME_TOKEN is not set): a runner sets it only for the actions a step uses (uses:), " +
        "not for run: scripts nor for runs outside GitHub Actions. Use 'upload: none' there: the archive stays at its path (the 'path' output) [USAGE]",
    ]);
    const file = join(workspace, 'local.cpio.gz');
    expect(run.outputs['path']).toBe(file);
    expect(run.outputs['digest']).toBe(sha256(file));
    expect(run.summary.split('\n')[0]).toBe(`## initramfs: local.cpio.gz from ${registry.host}/demo/app:v1 (failed)`);
    expect(run.summary).toContain('| Failed at | publish: artifact |');
    expect(run.summary).toContain('| Code | `USAGE` |');
    expect(run.summary).toContain(`- build: \`${file}\`, `);
    expect(run.summary).toContain(`digest \`${run.outputs['digest']}\``);
    expect(run.summary).toContain('| Published | not published: the upload failed |');
    expect(await summaryPies(run.summary)).toHaveLength(2);
  });

  it('two builds in one job append two sections to its summary, each headed by its file and image, each with valid charts', async () => {
    const summaryFile = join(work, 'job-summary.md');
    const inputs = { image: `${registry.host}/demo/app:v1`, cache: 'false', upload: 'none', 'registry-username': DEFAULT_USER.username, 'registry-password': DEFAULT_USER.password };
    const first = await runAction({ ...inputs, output: 'one.cpio.gz' }, { workspace, runnerTemp: join(work, 'temp-two'), summaryFile });
    expect(first.code, first.stdout).toBe(0);
    const second = await runAction({ ...inputs, output: 'two.cpio.zst', exclude: '/usr/lib' }, { workspace, runnerTemp: join(work, 'temp-two'), summaryFile });
    expect(second.code, second.stdout).toBe(0);
    const page = second.summary;
    const headings = page.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([`## initramfs: one.cpio.gz from ${registry.host}/demo/app:v1`, `## initramfs: two.cpio.zst from ${registry.host}/demo/app:v1`]);
    const at = page.indexOf(headings[1]!);
    for (const [section, reportFile] of [[page.slice(0, at), first.outputs['report']!], [page.slice(at), second.outputs['report']!]] as const) {
      const space = (JSON.parse(readFileSync(reportFile, 'utf8')) as BuildReport).space;
      const pies = await summaryPies(section);
      expect(pies.map((p) => p.title)).toEqual(['File data by layer', 'File data by directory']);
      for (const pie of pies) expect(pie.sections.reduce((n, x) => n + x.value, 0)).toBe(space.fileBytes);
    }
    // The second build excluded /usr/lib: layer 1 keeps only bin/sh.
    expect((JSON.parse(readFileSync(second.outputs['report']!, 'utf8')) as BuildReport).space.layers).toEqual([13, 3]);
  });
});

describe('bad inputs are one failure line naming the input', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['missing image', { upload: 'none' }, /input 'image': empty: expected an image reference/],
    ['unknown compression', { image: 'alpine', compression: 'brotli' }, /input 'compression': .*"brotli".*gzip, zstd, none/],
    ['a level that is not a number', { image: 'alpine', 'compression-level': 'max' }, /input 'compression-level': "max": expected an integer/],
    ['upload release without a tag', { image: 'alpine', upload: 'release', 'github-token': 't0ken' }, /input 'release-tag': empty: expected a tag when upload is 'release'/],
    ['malformed inject line', { image: 'alpine', inject: './agent /usr/bin/agent' }, /input 'inject': Invalid inject '.\/agent \/usr\/bin\/agent'/],
    ['unknown upload mode', { image: 'alpine', upload: 's3' }, /input 'upload': "s3": expected artifact, release, none/],
    ['cache that is not a boolean', { image: 'alpine', cache: 'yes' }, /input 'cache': "yes": expected true or false/],
  ];
  for (const [what, inputs, message] of cases) {
    it(what, async () => {
      const temp = join(work, `temp-bad-${what.replace(/\W+/g, '-')}`);
      const run = await runAction(inputs, { workspace, runnerTemp: temp });
      expect(run.code).toBe(1);
      expect(run.errors, run.stdout).toHaveLength(1);
      expect(run.errors[0]).toMatch(message);
      expect(run.errors[0]).toMatch(/\[USAGE\]$/);
      // The summary says it too, with the inputs as given.
      expect(run.summary).toMatch(/^## initramfs: .* \(failed\)$/m);
      expect(run.summary).toContain('| Failed at | inputs |');
      expect(run.summary).toContain('| Code | `USAGE` |');
      expect(run.summary).toContain(run.errors[0]!.replace(/ \[USAGE\]$/, ''));
      expect(run.summary).toContain('Nothing had been done before the failure.');
      // Nothing was pulled or written: the failure came before any work.
      expect(run.stdout).not.toMatch(/::group::/);
      expect(existsSync(join(temp, 'initramfs-action-cache'))).toBe(false);
    });
  }
});
