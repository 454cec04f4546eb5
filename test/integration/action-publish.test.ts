// The bundled action against the real @actions/cache and @actions/artifact clients and a release API, all
// talking to the loopback fake of GitHub's services (test/helpers/github-services.ts), with the image in
// the real registry behind a counting proxy. A new runner restores every layer from the cache and asks the
// registry for no blob; artifacts and release assets carry exactly the output's bytes; overwrite and two
// jobs racing for one asset name behave as documented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { pushLayout } from '../helpers/push.ts';
import { runAction, type ActionRun } from '../helpers/action.ts';
import { READ_ONLY_TOKEN, startGitHubServices, type GitHubServices } from '../helpers/github-services.ts';

let work: string;
let workspace: string;
let registry: RegistryHandle;
let proxy: ProxyHandle;
let services: GitHubServices;
let image: string;
let layerDigests: string[];

const sha256 = (b: Uint8Array): string => 'sha256:' + createHash('sha256').update(b).digest('hex');
const TOKEN = 'ghs_publish-test-token';

const base: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake shell\n', mode: 0o755 },
  { name: 'lib', type: 'dir' },
  { name: 'lib/libc.so', content: Buffer.alloc(300_000, 1), mode: 0o755 },
];

beforeAll(async () => {
  work = await scratchDir('action-publish-');
  workspace = join(work, 'workspace');
  const layout = join(work, 'layout');
  const [written] = writeOciLayout(layout, [
    { ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries: base }, { entries: [{ name: 'app', content: 'app\n' }], compression: 'zstd' }] } },
  ]);
  layerDigests = written!.manifests[0]!.layers.map((l) => l.digest);
  registry = await startRegistry({ auth: 'none' });
  await pushLayout(layout, 'v1', registry.host, 'demo/publish:v1');
  proxy = await startFaultProxy(registry.host);
  services = await startGitHubServices();
  image = `${proxy.host}/demo/publish:v1`;
  mkdirSync(workspace, { recursive: true });
}, 60_000);
afterAll(async () => {
  await services?.close();
  await proxy?.stop();
  await registry?.stop();
  await removeScratchDirs();
});

/**
 * A cache entry (a zstd tar of the blob's absolute path, as @actions/cache writes it) with the same path
 * holding other bytes: what a bad entry saved under a good key looks like.
 */
function corruptCacheEntry(entry: Buffer): Buffer {
  const dir = join(work, `poison-${Date.now()}`);
  mkdirSync(join(dir, 'x'), { recursive: true });
  writeFileSync(join(dir, 'entry.tar'), execFileSync('zstd', ['-d', '-q', '-c'], { input: entry }));
  const [member] = execFileSync('tar', ['-t', '-P', '-f', join(dir, 'entry.tar')], { encoding: 'utf8' }).split('\n');
  expect(member).toMatch(/blobs\/sha256\/[0-9a-f]{64}$/);
  // Re-create the member path under x/ and pack it with the same name as before.
  const file = join(dir, 'x', 'blob');
  writeFileSync(file, 'corrupt');
  const tar = execFileSync('tar', ['-c', '-P', '-C', join(dir, 'x'), `--transform=s,^blob$,${member},`, 'blob']);
  return execFileSync('zstd', ['-q', '-c'], { input: tar });
}

/** Runs the action on a runner whose temp directory starts empty (a new machine), in run `runId`. */
async function runOnNewRunner(inputs: Record<string, string>, opts: { runId?: string; env?: Record<string, string> } = {}): Promise<ActionRun> {
  const runnerTemp = join(work, 'runner-temp');
  rmSync(runnerTemp, { recursive: true, force: true });
  return runAction(inputs, { workspace, runnerTemp, env: { ...services.env(opts.runId ?? '1'), ...opts.env } });
}

describe('layer cache', () => {
  it('a new runner restores every layer from the cache and asks the registry for no blob', async () => {
    proxy.resetLog();
    const first = await runOnNewRunner({ image, upload: 'none' }, { runId: '10' });
    expect(first.code, first.stdout).toBe(0);
    expect(first.outputs['cache-hit']).toBe('false');
    expect(proxy.blobGets).toBeGreaterThanOrEqual(3); // config and two layers
    for (const d of layerDigests) expect(services.cacheEntry(`initramfs-action-blob-v1-sha256-${d.slice(7)}`), d).toBeDefined();
    expect(first.summary).toContain('### Layers (2, 0 from cache)');

    proxy.resetLog();
    const second = await runOnNewRunner({ image, upload: 'none' }, { runId: '11' });
    expect(second.code, second.stdout).toBe(0);
    expect(second.outputs['cache-hit']).toBe('true');
    expect(proxy.blobGets).toBe(0);
    expect(second.outputs['digest']).toBe(first.outputs['digest']);
    expect(second.summary).toContain('### Layers (2, 2 from cache)');
    expect(second.stdout).toMatch(/saved 0 blobs to the cache/);
  });

  it('a cache entry whose bytes do not match its digest is pulled again, with a warning', async () => {
    // Poison the entry of the first layer: its key is right, its bytes are not.
    const key = `initramfs-action-blob-v1-sha256-${layerDigests[0]!.slice(7)}`;
    const entry = services.cacheEntry(key)!;
    expect(entry).toBeDefined();
    const good = entry.bytes;
    try {
      entry.bytes = corruptCacheEntry(good);
      proxy.resetLog();
      const run = await runOnNewRunner({ image, upload: 'none' }, { runId: '12' });
      expect(run.code, run.stdout).toBe(0);
      expect(run.warnings.some((w) => w.includes(layerDigests[0]!) && /did not match its digest/.test(w)), run.stdout).toBe(true);
      expect(proxy.blobGets).toBe(1);
      expect(run.outputs['cache-hit']).toBe('false');
    } finally {
      entry.bytes = good;
    }
  });

  it('an unreachable cache service is a warning, never a failed build', async () => {
    services.failCache = 'unreachable';
    try {
      const run = await runOnNewRunner({ image, upload: 'none' }, { runId: '13' });
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs['cache-hit']).toBe('false');
      expect(run.warnings.length).toBeGreaterThan(0);
      expect(run.errors).toEqual([]);
    } finally {
      services.failCache = undefined;
    }
  });

  it('ACTIONS_CACHE_MODE=read restores but saves nothing', async () => {
    const other = `${proxy.host}/demo/publish:v1`;
    const before = services.cacheEntries().length;
    const run = await runOnNewRunner({ image: other, upload: 'none', platform: 'linux/amd64' }, { runId: '14', env: { ACTIONS_CACHE_MODE: 'read' } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['cache-hit']).toBe('true');
    expect(services.cacheEntries().length).toBe(before);
  });

  it('cache: false neither reads nor writes the cache', async () => {
    const before = services.requests.filter((r) => r.kind === 'cache').length;
    const run = await runOnNewRunner({ image, upload: 'none', cache: 'false' }, { runId: '15' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['cache-hit']).toBe('false');
    expect(services.requests.filter((r) => r.kind === 'cache').length).toBe(before);
  });
});

describe('artifact upload', () => {
  it('uploads the file unarchived under the artifact name, with its digest, id and url as outputs', async () => {
    const run = await runOnNewRunner({ image, 'artifact-name': 'agent-initrd.cpio.gz', 'retention-days': '3' }, { runId: '20' });
    expect(run.code, run.stdout).toBe(0);
    const art = services.artifact('agent-initrd.cpio.gz', '20')!;
    expect(art).toBeDefined();
    const file = readFileSync(run.outputs['path']!);
    expect(art.bytes.equals(file)).toBe(true);
    expect(art.digest).toBe(run.outputs['digest']);
    expect(run.outputs['artifact-id']).toBe(String(art.id));
    expect(run.outputs['artifact-url']).toBe(`https://github.com/owner/repo/actions/runs/20/artifacts/${art.id}`);
    expect(run.summary).toContain(`artifact [agent-initrd.cpio.gz](${run.outputs['artifact-url']})`);
  });

  it('checksums: true uploads <name>.sha256 beside the archive; downloaded together, sha256sum -c checks them', async () => {
    const run = await runOnNewRunner({ image, 'artifact-name': 'summed.cpio.gz', checksums: 'true' }, { runId: '22' });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs['checksums']).toBe(`${run.outputs['path']}.sha256`);
    const art = services.artifact('summed.cpio.gz', '22')!;
    const sums = services.artifact('summed.cpio.gz.sha256', '22')!;
    expect(sums).toBeDefined();
    // What a user downloads: both artifacts into one directory.
    const dir = join(work, 'downloaded');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'summed.cpio.gz'), art.bytes);
    writeFileSync(join(dir, 'summed.cpio.gz.sha256'), sums.bytes);
    // It names the file as downloaded (the artifact's name), not the output's name on the runner.
    expect(sums.bytes.toString()).toBe(`${run.outputs['digest']!.slice(7)}  summed.cpio.gz\n`);
    expect(execFileSync('sha256sum', ['-c', 'summed.cpio.gz.sha256'], { cwd: dir, encoding: 'utf8' })).toBe('summed.cpio.gz: OK\n');
    // Beside the output on the runner, the file names the output.
    expect(readFileSync(run.outputs['checksums']!, 'utf8')).toBe(`${run.outputs['digest']!.slice(7)}  ${run.outputs['path']!.split('/').pop()}\n`);
    expect(run.summary).toMatch(/artifact \[summed\.cpio\.gz\]\(.*\), checksums \[summed\.cpio\.gz\.sha256\]\(/);
  });

  it('a second upload of the same name in one run fails unless overwrite is set, which replaces it', async () => {
    const first = await runOnNewRunner({ image }, { runId: '21' });
    expect(first.code, first.stdout).toBe(0);
    const name = 'publish-v1-linux-amd64.cpio.gz';
    expect(services.artifact(name, '21')).toBeDefined();

    const again = await runOnNewRunner({ image }, { runId: '21' });
    expect(again.code).toBe(1);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]).toMatch(new RegExp(`artifact '${name.replace(/\./g, '\\.')}' upload failed: .*set 'overwrite: true'`));
    // The failed upload's summary: where it failed, the error, and the build that had succeeded, in full.
    expect(again.summary.split('\n')[0]).toBe(`## initramfs: ${name} from ${image} (failed)`);
    expect(again.summary).toContain('| Failed at | publish: artifact |');
    expect(again.summary).toContain('| Code | `IO` |');
    expect(again.summary).toContain(again.errors[0]!.replace(/ \[IO\]$/, ''));
    expect(again.summary).toContain(`- build: \`${again.outputs['path']}\`, `);
    expect(again.summary).toContain(`digest \`${again.outputs['digest']}\``);
    const list = again.summary.slice(again.summary.indexOf('Done before the failure:\n\n') + 26).split('\n\n')[0]!;
    const done = list.split('\n').map((l) => l.slice(2, l.indexOf(':')));
    expect(done).toEqual(['build', 'report', 'cache']);
    expect(again.summary).toContain('| Published | not published: the upload failed |');
    expect(again.summary).toContain('### Layers (2, 2 from cache)');

    const replaced = await runOnNewRunner({ image, overwrite: 'true' }, { runId: '21' });
    expect(replaced.code, replaced.stdout).toBe(0);
    const left = services.artifacts().filter((a) => a.name === name && a.runId === '21');
    expect(left).toHaveLength(1);
    expect(String(left[0]!.id)).toBe(replaced.outputs['artifact-id']);
  });
});

describe('release upload', () => {
  const release = (tag: string, extra: Record<string, string> = {}) =>
    runOnNewRunner({ image, upload: 'release', compression: 'zstd', 'github-token': TOKEN, ...extra }, { runId: '30', env: { GITHUB_REF: `refs/tags/${tag}`, GITHUB_EVENT_NAME: 'push' } });
  const assetName = 'publish-v1-linux-amd64.cpio.zst';

  it('attaches the file to the release of the pushed tag with its content type, and refuses to replace it without overwrite', async () => {
    services.createRelease('v1.0.0');
    const run = await release('v1.0.0');
    expect(run.code, run.stdout).toBe(0);
    const assets = services.release('v1.0.0')!.assets;
    expect(assets.map((a) => a.name)).toEqual([assetName]);
    expect(assets[0]!.bytes.equals(readFileSync(run.outputs['path']!))).toBe(true);
    expect(sha256(assets[0]!.bytes)).toBe(run.outputs['digest']);
    expect(assets[0]!.contentType).toBe('application/zstd');
    expect(run.outputs['asset-url']).toMatch(new RegExp(`/v1\\.0\\.0/${assetName.replace(/\./g, '\\.')}$`));

    const again = await release('v1.0.0');
    expect(again.code).toBe(1);
    expect(again.errors).toEqual([`release v1.0.0: an asset named ${assetName} exists already; set 'overwrite: true' to replace it [USAGE]`]);

    const replaced = await release('v1.0.0', { overwrite: 'true' });
    expect(replaced.code, replaced.stdout).toBe(0);
    expect(services.release('v1.0.0')!.assets).toHaveLength(1);
  });

  it('checksums: true attaches <asset>.sha256 as text/plain; sha256sum -c checks the pair as downloaded', async () => {
    services.createRelease('v1.4.0');
    const run = await release('v1.4.0', { checksums: 'true' });
    expect(run.code, run.stdout).toBe(0);
    const assets = services.release('v1.4.0')!.assets;
    expect(assets.map((a) => a.name)).toEqual([assetName, `${assetName}.sha256`]);
    expect(assets[1]!.contentType).toBe('text/plain');
    const dir = join(work, 'release-download');
    mkdirSync(dir, { recursive: true });
    for (const a of assets) writeFileSync(join(dir, a.name), a.bytes);
    expect(execFileSync('sha256sum', ['-c', `${assetName}.sha256`], { cwd: dir, encoding: 'utf8' })).toBe(`${assetName}: OK\n`);
  });

  it('two jobs racing for one asset name: the loser fails clearly, or replaces it with overwrite', async () => {
    services.createRelease('v1.1.0');
    services.raceOnNextUpload(assetName);
    const lost = await release('v1.1.0');
    expect(lost.code).toBe(1);
    expect(lost.errors[0]).toMatch(/was uploaded by another job at the same time; set 'overwrite: true'/);

    services.createRelease('v1.2.0');
    services.raceOnNextUpload(assetName, Buffer.from('the other job'));
    const won = await release('v1.2.0', { overwrite: 'true' });
    expect(won.code, won.stdout).toBe(0);
    const assets = services.release('v1.2.0')!.assets;
    expect(assets).toHaveLength(1);
    expect(sha256(assets[0]!.bytes)).toBe(won.outputs['digest']);
  });

  it('an upload that fails with a 502 is retried after removing the half-made asset', async () => {
    services.createRelease('v1.3.0');
    services.failNextUpload(assetName);
    const run = await release('v1.3.0');
    expect(run.code, run.stdout).toBe(0);
    const assets = services.release('v1.3.0')!.assets;
    expect(assets.map((a) => [a.name, a.state])).toEqual([[assetName, 'uploaded']]);
    expect(sha256(assets[0]!.bytes)).toBe(run.outputs['digest']);
  });

  it('a missing release, a read-only token and an immutable release are each one clear failure', async () => {
    const missing = await release('v9.9.9');
    expect(missing.code).toBe(1);
    expect(missing.errors).toHaveLength(1);
    expect(missing.errors[0]).toMatch(/release-tag 'v9\.9\.9': no published release with this tag in owner\/repo; create the release first/);
    expect(missing.summary).toContain('| Failed at | publish: release |');
    expect(missing.summary).toContain(`- build: \`${missing.outputs['path']}\`, `);

    services.createRelease('v2.0.0');
    const readOnly = await release('v2.0.0', { 'github-token': READ_ONLY_TOKEN });
    expect(readOnly.code).toBe(1);
    expect(readOnly.errors).toHaveLength(1);
    expect(readOnly.errors[0]).toMatch(/permissions: contents: write/);
    expect(readOnly.stdout.split('\n')[0]).toBe(`::add-mask::${READ_ONLY_TOKEN}`);
    expect(readOnly.errors[0]).not.toContain(READ_ONLY_TOKEN);

    services.createRelease('v2.1.0', { immutable: true });
    const immutable = await release('v2.1.0');
    expect(immutable.code).toBe(1);
    expect(immutable.errors[0]).toMatch(/immutable release/);
  });
});
