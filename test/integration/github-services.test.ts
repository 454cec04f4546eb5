// Proves the fake GitHub services (test/helpers/github-services.ts) against the real clients: the
// `@actions/cache` 6.3 and `@actions/artifact` 6.2 packages run unchanged (tar, zstd, the Azure SDK and
// all), and the releases REST/upload endpoints answer as GitHub does, errors included. What these tests
// pin is what the action's own tests may rely on.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READ_ONLY_TOKEN, startGitHubServices, type GitHubServices, type ServiceRequest } from '../helpers/github-services.ts';
import { diffTrees, listTree, removeScratchDirs, scratchDir } from '../helpers/tree.ts';

type CacheModule = typeof import('@actions/cache');
type ArtifactModule = typeof import('@actions/artifact');

const RUN_ID = '7';
const TOKEN = 'ghs_test-token';

let services: GitHubServices;
let cache: CacheModule;
let artifact: ArtifactModule;
let workspace: string;
const savedEnv = new Map<string, string | undefined>();

/** Deterministic incompressible bytes (SHA-256 in counter mode). */
function noise(size: number, seed: string): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0, n = 0; i < size; i += 32, n++) createHash('sha256').update(`${seed}:${n}`).digest().copy(out, i);
  return out;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * Runs `fn` with the process's stdout captured: @actions/core reports there (`::warning::…` for
 * warnings, plain lines for info). Captured lines are kept out of the test output.
 */
async function captureStdout<T>(fn: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const original = process.stdout.write.bind(process.stdout);
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await fn();
    return { result, lines: text.split(/\r?\n/) };
  } finally {
    process.stdout.write = original;
  }
}

const since = (n: number): ServiceRequest[] => services.requests.slice(n);

beforeAll(async () => {
  services = await startGitHubServices();
  workspace = await scratchDir('gh-services-ws-');
  const env = { ...services.env(RUN_ID), GITHUB_WORKSPACE: workspace, RUNNER_TEMP: await scratchDir('gh-services-tmp-') };
  for (const [k, v] of Object.entries(env)) {
    savedEnv.set(k, process.env[k]);
    process.env[k] = v;
  }
  for (const k of ['ACTIONS_CACHE_URL', 'ACTIONS_CACHE_MODE', 'RUNNER_DEBUG']) {
    savedEnv.set(k, process.env[k]);
    delete process.env[k];
  }
  // After the environment: @actions/artifact imports @actions/github, which reads GITHUB_API_URL on load.
  cache = await import('@actions/cache');
  artifact = await import('@actions/artifact');
});

afterAll(async () => {
  await services?.close();
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await removeScratchDirs();
});

describe('@actions/cache (service v2) against the fake', () => {
  let dir: string;
  const key = 'initramfs-blobs-linux-x64-abc123';

  beforeAll(async () => {
    dir = join(workspace, 'blob-cache');
    await mkdir(join(dir, 'sha256'), { recursive: true });
    await writeFile(join(dir, 'sha256', 'aa'), noise(300_000, 'layer-a'));
    await writeFile(join(dir, 'sha256', 'bb'), 'small text\n');
    await writeFile(join(dir, 'index.json'), '{"blobs":2}\n', { mode: 0o600 });
    await symlink('sha256/aa', join(dir, 'latest'));
  });

  it('saveCache then restoreCache round-trips a directory, every byte and mode, through a zstd archive', async () => {
    const before = await listTree(dir);
    const n = services.requests.length;
    const { result: id } = await captureStdout(() => cache.saveCache([dir], key));
    const entry = services.cacheEntry(key);
    expect(entry).toBeDefined();
    expect(id).toBe(entry?.id);
    // zstd frame magic: the client found the system zstd and compressed with it.
    expect(entry?.bytes.subarray(0, 4).toString('hex')).toBe('28b52ffd');

    await rm(dir, { recursive: true });
    const { result: hit } = await captureStdout(() => cache.restoreCache([dir], key));
    expect(hit).toBe(key);
    expect(diffTrees(before, await listTree(dir))).toEqual([]);

    const calls = since(n).map((r) => `${r.kind} ${r.method} ${r.path.replace(/^.*\//, '')} ${r.status}`);
    expect(calls[0]).toBe('cache POST CreateCacheEntry 200');
    expect(calls).toContain('cache POST FinalizeCacheEntryUpload 200');
    expect(calls).toContain('cache POST GetCacheEntryDownloadURL 200');
    expect(since(n).filter((r) => r.kind === 'blob').map((r) => `${r.method} ${r.status}`)).toEqual(['PUT 201', 'GET 200']);
    // Twirp calls carry the runtime token; blob URLs are signed and must not leak it.
    expect(since(n).every((r) => r.authorization === (r.kind === 'cache'))).toBe(true);
  });

  it('the signed download URL serves byte ranges, and refuses writes and a forged signature as Azure does', async () => {
    const read = services.requests.filter((r) => r.kind === 'blob' && r.method === 'GET').at(-1);
    expect(read).toBeDefined();
    const url = new URL(`${services.apiUrl}${read?.path}${read?.search}`);
    const bytes = services.cacheEntry(key)?.bytes ?? Buffer.alloc(0);
    const part = await fetch(url, { headers: { range: 'bytes=4-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 4-99/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(4, 100))).toBe(true);

    const write = await fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'overwritten' });
    expect(write.status).toBe(403);
    expect(write.headers.get('x-ms-error-code')).toBe('AuthorizationPermissionMismatch');
    const forged = new URL(url);
    forged.searchParams.set('sig', 'forged');
    const denied = await fetch(forged);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('x-ms-error-code')).toBe('AuthenticationFailed');
    expect(services.cacheEntry(key)?.bytes.equals(bytes)).toBe(true);
  });

  it('a second saveCache of the same key and paths is refused (409 already_exists): logged as info, returns -1, nothing stored', async () => {
    const entries = services.cacheEntries().length;
    const { result, lines } = await captureStdout(() => cache.saveCache([dir], key));
    expect(result).toBe(-1);
    expect(services.cacheEntries()).toHaveLength(entries);
    expect(lines.some((l) => l.startsWith('Failed to save: Unable to reserve cache with key'))).toBe(true);
    expect(lines.filter((l) => l.startsWith('::warning::') || l.startsWith('::error::'))).toEqual([]);
    expect(services.requests.at(-1)).toMatchObject({ kind: 'cache', path: expect.stringMatching(/CreateCacheEntry$/), status: 409 });
  });

  it('restore keys match by prefix and report the key that matched', async () => {
    const { result } = await captureStdout(() => cache.restoreCache([dir], 'initramfs-blobs-linux-x64-other', ['initramfs-blobs-linux-x64-']));
    expect(result).toBe(key);
  });

  it('a miss resolves undefined and touches no file', async () => {
    const before = await listTree(dir);
    const { result } = await captureStdout(() => cache.restoreCache([dir], 'no-such-key', ['no-such-prefix-']));
    expect(result).toBeUndefined();
    expect(diffTrees(before, await listTree(dir), { ignoreFields: [] })).toEqual([]);
  });

  it('a different path list is a different version: the same key misses', async () => {
    const { result } = await captureStdout(() => cache.restoreCache([join(dir, 'sha256')], key));
    expect(result).toBeUndefined();
  });

  it("with failCache 'down' (503) restoreCache warns and resolves undefined after the client's 5 attempts", async () => {
    services.failCache = 'down';
    const n = services.requests.length;
    try {
      const { result, lines } = await captureStdout(() => cache.restoreCache([dir], key));
      expect(result).toBeUndefined();
      expect(lines.some((l) => l.startsWith('::warning::Failed to restore: ') && l.includes('503'))).toBe(true);
    } finally {
      services.failCache = undefined;
    }
    expect(since(n).map((r) => r.status)).toEqual([503, 503, 503, 503, 503]);
  });

  it("with failCache 'unreachable' saveCache gives up at once, returns -1 and stores nothing", async () => {
    services.failCache = 'unreachable';
    const n = services.requests.length;
    const entries = services.cacheEntries().length;
    try {
      const { result } = await captureStdout(() => cache.saveCache([dir], 'fresh-key'));
      expect(result).toBe(-1);
    } finally {
      services.failCache = undefined;
    }
    expect(services.cacheEntries()).toHaveLength(entries);
    expect(since(n).map((r) => `${r.kind} ${r.status}`)).toEqual(['cache 0']);
  });
});

describe('@actions/artifact against the fake', () => {
  let file: string;
  let content: Buffer;

  beforeAll(async () => {
    // Over the client's 8 MiB chunk, so the upload is two staged blocks and a block list.
    content = noise(9 * 1024 * 1024 + 123, 'artifact');
    const dir = await scratchDir('gh-services-art-');
    file = join(dir, 'initramfs.cpio.gz');
    await writeFile(file, content);
  });

  it('uploadArtifact with skipArchive stores the file as is, names it after the file and returns its sha256', async () => {
    const client = new artifact.DefaultArtifactClient();
    const n = services.requests.length;
    const { result } = await captureStdout(() => client.uploadArtifact('name-is-ignored', [file], workspace, { skipArchive: true }));
    const stored = services.artifact('initramfs.cpio.gz', RUN_ID);
    expect(stored).toBeDefined();
    expect(result).toEqual({ id: stored?.id, size: content.length, digest: sha256(content) });
    expect(stored?.bytes.equals(content)).toBe(true);
    expect(stored?.digest).toBe(`sha256:${sha256(content)}`);
    expect(stored?.mimeType).toBe('application/gzip');
    expect(services.artifact('name-is-ignored')).toBeUndefined();
    const blobCalls = since(n).filter((r) => r.kind === 'blob').map((r) => new URLSearchParams(r.search).get('comp'));
    expect(blobCalls).toEqual(['block', 'block', 'blocklist']);
  });

  it('downloadArtifact fetches it back through GetSignedArtifactURL under its own name', async () => {
    const client = new artifact.DefaultArtifactClient();
    const id = services.artifact('initramfs.cpio.gz')?.id ?? -1;
    const out = await scratchDir('gh-services-dl-');
    const { result } = await captureStdout(() => client.downloadArtifact(id, { path: out, expectedHash: `sha256:${sha256(content)}` }));
    expect(result.digestMismatch).toBe(false);
    expect((await readFile(join(out, 'initramfs.cpio.gz'))).equals(content)).toBe(true);
  });

  it('uploading a name that exists in the run is refused with 409, and the stored artifact is kept', async () => {
    const client = new artifact.DefaultArtifactClient();
    const before = services.artifact('initramfs.cpio.gz');
    await expect(captureStdout(() => client.uploadArtifact('x', [file], workspace, { skipArchive: true }))).rejects.toThrow(/\(409\)/);
    expect(services.artifact('initramfs.cpio.gz')).toBe(before);
  });

  it('overwrite as upload-artifact does it: deleteArtifact(name) then uploadArtifact replaces the artifact', async () => {
    const client = new artifact.DefaultArtifactClient();
    const old = services.artifact('initramfs.cpio.gz');
    const replacement = noise(4096, 'replacement');
    await writeFile(file, replacement);
    const n = services.requests.length;
    const { result: deleted } = await captureStdout(() => client.deleteArtifact('initramfs.cpio.gz'));
    expect(deleted.id).toBe(old?.id);
    // v6 deletes through Twirp (ListArtifacts, DeleteArtifact), not the REST API.
    expect(since(n).map((r) => r.path.replace(/^.*\//, ''))).toEqual(['ListArtifacts', 'DeleteArtifact']);
    const { result } = await captureStdout(() => client.uploadArtifact('x', [file], workspace, { skipArchive: true }));
    const now = services.artifacts().filter((a) => a.name === 'initramfs.cpio.gz');
    expect(now).toHaveLength(1);
    expect(now[0]?.id).toBe(result.id);
    expect(result.id).not.toBe(old?.id);
    expect(now[0]?.bytes.equals(replacement)).toBe(true);
  });

  it('deleteArtifact of a name the run does not have throws ArtifactNotFoundError', async () => {
    const client = new artifact.DefaultArtifactClient();
    await expect(captureStdout(() => client.deleteArtifact('never-uploaded'))).rejects.toBeInstanceOf(artifact.ArtifactNotFoundError);
  });

  it('without skipArchive the files go up as one zip that downloadArtifact unpacks', async () => {
    const root = await scratchDir('gh-services-zip-');
    await writeFile(join(root, 'report.json'), '{"ok":true}\n');
    await mkdir(join(root, 'logs'));
    await writeFile(join(root, 'logs', 'build.log'), 'line\n'.repeat(1000));
    const client = new artifact.DefaultArtifactClient();
    const { result } = await captureStdout(() =>
      client.uploadArtifact('reports', [join(root, 'report.json'), join(root, 'logs', 'build.log')], root),
    );
    const stored = services.artifact('reports');
    expect(stored?.mimeType).toBe('application/zip');
    expect(stored?.bytes.subarray(0, 4).toString('hex')).toBe('504b0304');
    const out = await scratchDir('gh-services-unzip-');
    await captureStdout(() => client.downloadArtifact(result.id ?? -1, { path: out }));
    expect(await readFile(join(out, 'logs', 'build.log'), 'utf8')).toBe('line\n'.repeat(1000));
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe('{"ok":true}\n');
  });
});

describe('releases REST and uploads against the fake', () => {
  const repoUrl = (): string => `${services.apiUrl}/repos/${services.owner}/${services.repo}`;
  const auth = (token = TOKEN): Record<string, string> => ({ authorization: `token ${token}` });

  interface ReleaseJson {
    id: number;
    upload_url: string;
    assets: AssetJson[];
  }
  interface AssetJson {
    id: number;
    name: string;
    state: string;
    size: number;
    content_type: string;
    browser_download_url: string;
    digest: string | null;
  }

  const getRelease = async (tag: string): Promise<ReleaseJson> => {
    const res = await fetch(`${repoUrl()}/releases/tags/${encodeURIComponent(tag)}`, { headers: auth() });
    expect(res.status).toBe(200);
    return (await res.json()) as ReleaseJson;
  };

  /** Expands the RFC 6570 `{?name,label}` template as octokit does, and uploads. */
  const upload = (uploadUrl: string, name: string, bytes: Uint8Array, headers: Record<string, string> = auth()): Promise<Response> =>
    fetch(`${uploadUrl.replace(/\{\?name,label\}$/, '')}?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/gzip', 'content-length': String(bytes.length) },
      body: bytes,
    });

  it('a release found by tag names an upload_url on this server; an upload answers 201 and the asset downloads', async () => {
    services.createRelease('v1.0.0');
    const release = await getRelease('v1.0.0');
    expect(release.upload_url).toBe(`${services.apiUrl}/uploads/repos/owner/repo/releases/${release.id}/assets{?name,label}`);
    const bytes = noise(70_000, 'asset');
    const res = await upload(release.upload_url, 'initramfs.cpio.gz', bytes);
    expect(res.status).toBe(201);
    const asset = (await res.json()) as AssetJson;
    expect(asset).toMatchObject({ name: 'initramfs.cpio.gz', state: 'uploaded', size: bytes.length, content_type: 'application/gzip', digest: `sha256:${sha256(bytes)}` });
    const stored = services.release('v1.0.0')?.assets[0];
    expect(stored?.bytes.equals(bytes)).toBe(true);
    expect(stored?.contentType).toBe('application/gzip');
    const dl = await fetch(asset.browser_download_url);
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('uploading a name the release has is 422 with code already_exists', async () => {
    const release = await getRelease('v1.0.0');
    const res = await upload(release.upload_url, 'initramfs.cpio.gz', Buffer.from('again'));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'ReleaseAsset', code: 'already_exists', field: 'name' }] });
    expect(services.release('v1.0.0')?.assets).toHaveLength(1);
  });

  it("raceOnNextUpload: the upload meets the other job's asset of that name and gets 422 already_exists", async () => {
    const release = await getRelease('v1.0.0');
    services.raceOnNextUpload('report.json', Buffer.from('theirs'));
    const res = await upload(release.upload_url, 'report.json', Buffer.from('ours'));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe('already_exists');
    expect(services.release('v1.0.0')?.assets.find((a) => a.name === 'report.json')?.bytes.toString()).toBe('theirs');
    // Only the next upload races: once the name is free again, it uploads.
    const listed = (await getRelease('v1.0.0')).assets.find((a) => a.name === 'report.json');
    expect((await fetch(`${repoUrl()}/releases/assets/${listed?.id}`, { method: 'DELETE', headers: auth() })).status).toBe(204);
    expect((await upload(release.upload_url, 'report.json', Buffer.from('ours'))).status).toBe(201);
  });

  it('failNextUpload: a 502 leaves an empty starter asset that takes the name until it is deleted', async () => {
    const release = await getRelease('v1.0.0');
    services.failNextUpload('initramfs.cpio.zst');
    expect((await upload(release.upload_url, 'initramfs.cpio.zst', Buffer.from('zst bytes'))).status).toBe(502);
    const list = (await (await fetch(`${repoUrl()}/releases/${release.id}/assets?per_page=100`, { headers: auth() })).json()) as AssetJson[];
    const starter = list.find((a) => a.name === 'initramfs.cpio.zst');
    expect(starter).toMatchObject({ state: 'starter', size: 0 });
    expect((await fetch(starter?.browser_download_url ?? '')).status).toBe(404);
    expect((await upload(release.upload_url, 'initramfs.cpio.zst', Buffer.from('zst bytes'))).status).toBe(422);
    expect((await fetch(`${repoUrl()}/releases/assets/${starter?.id}`, { method: 'DELETE', headers: auth() })).status).toBe(204);
    expect((await upload(release.upload_url, 'initramfs.cpio.zst', Buffer.from('zst bytes'))).status).toBe(201);
  });

  it('a published immutable release refuses uploads with 422; a draft is not found by tag', async () => {
    services.createRelease('v2.0.0', { immutable: true });
    const release = await getRelease('v2.0.0');
    const res = await upload(release.upload_url, 'initramfs.cpio.gz', Buffer.from('late'));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toBe('Cannot upload assets to an immutable release.');
    services.createRelease('v3.0.0-draft', { draft: true });
    expect((await fetch(`${repoUrl()}/releases/tags/v3.0.0-draft`, { headers: auth() })).status).toBe(404);
  });

  it('a tag without a release is 404 with a JSON message', async () => {
    const res = await fetch(`${repoUrl()}/releases/tags/v9.9.9`, { headers: auth() });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: 'Not Found' });
  });

  it("no Authorization is 401; READ_ONLY_TOKEN reads but is refused writes with GitHub's 403 message", async () => {
    const n = services.requests.length;
    expect((await fetch(`${repoUrl()}/releases/tags/v1.0.0`)).status).toBe(401);
    const release = await getRelease('v1.0.0');
    expect((await upload(release.upload_url, 'new.bin', Buffer.from('x'), {})).status).toBe(401);
    expect((await fetch(`${repoUrl()}/releases/tags/v1.0.0`, { headers: { authorization: `Bearer ${READ_ONLY_TOKEN}` } })).status).toBe(200);
    const denied = await upload(release.upload_url, 'new.bin', Buffer.from('x'), auth(READ_ONLY_TOKEN));
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { message: string }).message).toBe('Resource not accessible by integration');
    const del = await fetch(`${repoUrl()}/releases/assets/${release.assets[0]?.id}`, { method: 'DELETE', headers: auth(READ_ONLY_TOKEN) });
    expect(del.status).toBe(403);
    expect(services.release('v1.0.0')?.assets.some((a) => a.name === 'new.bin')).toBe(false);
    expect(since(n).map((r) => `${r.authorization} ${r.status}`)).toEqual(['false 401', 'true 200', 'false 401', 'true 200', 'true 403', 'true 403']);
  });

  it('asset lists paginate with per_page, page and a Link header', async () => {
    services.createRelease('v4.0.0');
    for (const name of ['a.bin', 'b.bin', 'c.bin']) services.addAsset('v4.0.0', name, Buffer.from(name));
    const id = services.release('v4.0.0')?.id;
    const first = await fetch(`${repoUrl()}/releases/${id}/assets?per_page=2`, { headers: auth() });
    expect(((await first.json()) as AssetJson[]).map((a) => a.name)).toEqual(['a.bin', 'b.bin']);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBe(`${repoUrl()}/releases/${id}/assets?per_page=2&page=2`);
    const second = await fetch(next ?? '', { headers: auth() });
    expect(((await second.json()) as AssetJson[]).map((a) => a.name)).toEqual(['c.bin']);
    expect(second.headers.get('link')).not.toContain('rel="next"');
  });
});
