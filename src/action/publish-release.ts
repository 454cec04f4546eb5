// Publishing the archive as a release asset through GitHub's REST API: find the release by tag, replace an
// asset of the same name when asked, upload. Matrix jobs upload to one release at once, so the upload is
// written for the race: a 422 `already_exists` means another job got there first (replaced when `overwrite`
// is set, reported otherwise), and a failed upload's half-made asset (state `starter`) is removed before
// the retry. Tokens only ever go to the API and upload hosts GitHub names.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { request } from 'undici';
import { InitramfsError } from '../errors.ts';
import type { Compression } from '../initramfs/compress.ts';

export interface ReleasePublish {
  file: string;
  tag: string;
  compression: Compression;
  /** The asset's content type when it is not the archive (its checksum file); default from `compression`. */
  contentType?: string;
  overwrite: boolean;
  token: string;
  /** owner/name */
  repository: string;
  /** GITHUB_API_URL (https://api.github.com, or a GHES or test server). */
  apiUrl: string;
  info(message: string): void;
}

export interface PublishedAsset {
  id: number;
  name: string;
  url: string;
}

interface Asset {
  id: number;
  name: string;
  state?: string;
  browser_download_url: string;
}

const CONTENT_TYPES: Record<Compression, string> = {
  gzip: 'application/gzip',
  zstd: 'application/zstd',
  none: 'application/x-cpio',
};

/** Attempts for an upload that fails for a temporary reason (5xx, connection trouble). */
const UPLOAD_ATTEMPTS = 3;

const PERMISSION_HINT = "the workflow's token needs 'permissions: contents: write' to add release assets";

export async function publishRelease(p: ReleasePublish): Promise<PublishedAsset> {
  const api = new GitHubApi(p.apiUrl, p.token, p.repository);
  const name = basename(p.file);
  const release = await api.releaseByTag(p.tag);
  const uploadUrl = release.upload_url.replace(/\{[^}]*\}$/, '');

  let replaced = false;
  const clearName = async (why: 'exists' | 'race' | 'leftover'): Promise<void> => {
    const existing = (await api.assets(release.id)).find((a) => a.name === name);
    if (!existing) return;
    const leftover = existing.state === 'starter';
    if (!leftover && !p.overwrite) {
      const when = why === 'race' ? 'was uploaded by another job at the same time' : 'exists already';
      throw new InitramfsError('USAGE', `release ${p.tag}: an asset named ${name} ${when}; set 'overwrite: true' to replace it`);
    }
    await api.deleteAsset(existing.id);
    if (!leftover) replaced = true;
  };

  await clearName('exists');
  const size = (await stat(p.file)).size;
  for (let attempt = 1; ; attempt++) {
    const res = await api.upload(uploadUrl, name, p.file, size, p.contentType ?? CONTENT_TYPES[p.compression]);
    if (res.status === 201) {
      const asset = res.body as Asset;
      p.info(`${replaced ? 'replaced' : 'uploaded'} release asset ${name} on ${p.tag}`);
      return { id: asset.id, name: asset.name, url: asset.browser_download_url };
    }
    if (res.status === 422 && hasErrorCode(res.body, 'already_exists') && attempt < UPLOAD_ATTEMPTS) {
      await clearName('race');
      continue;
    }
    if (res.status >= 500 && attempt < UPLOAD_ATTEMPTS) {
      p.info(`release upload of ${name} answered ${res.status}; retrying`);
      await clearName('leftover');
      continue;
    }
    throw api.failure(`uploading ${name} to release ${p.tag}`, res.status, res.body);
  }
}

const hasErrorCode = (body: unknown, code: string): boolean =>
  Array.isArray((body as { errors?: unknown })?.errors) &&
  ((body as { errors: unknown[] }).errors).some((e) => (e as { code?: unknown })?.code === code);

interface Answer {
  status: number;
  body: unknown;
}

class GitHubApi {
  readonly #api: string;
  readonly #token: string;
  readonly #repo: string;

  constructor(apiUrl: string, token: string, repository: string) {
    this.#api = apiUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#repo = repository;
  }

  async releaseByTag(tag: string): Promise<{ id: number; upload_url: string }> {
    const res = await this.#call('GET', `/repos/${this.#repo}/releases/tags/${encodeURIComponent(tag)}`);
    if (res.status === 404) {
      throw new InitramfsError(
        'USAGE',
        `release-tag '${tag}': no published release with this tag in ${this.#repo}; create the release first ` +
          `(e.g. 'gh release create ${tag}'), or run the workflow on 'release: published'`,
      );
    }
    if (res.status !== 200) throw this.failure(`looking up release ${tag}`, res.status, res.body);
    return res.body as { id: number; upload_url: string };
  }

  async assets(releaseId: number): Promise<Asset[]> {
    const all: Asset[] = [];
    for (let page = 1; ; page++) {
      const res = await this.#call('GET', `/repos/${this.#repo}/releases/${releaseId}/assets?per_page=100&page=${page}`);
      if (res.status !== 200) throw this.failure('listing release assets', res.status, res.body);
      const batch = res.body as Asset[];
      all.push(...batch);
      if (batch.length < 100) return all;
    }
  }

  async deleteAsset(id: number): Promise<void> {
    const res = await this.#call('DELETE', `/repos/${this.#repo}/releases/assets/${id}`);
    // 404: someone else removed it meanwhile, which is what we wanted.
    if (res.status !== 204 && res.status !== 404) throw this.failure('deleting a release asset', res.status, res.body);
  }

  async upload(uploadUrl: string, name: string, file: string, size: number, contentType: string): Promise<Answer> {
    const url = `${uploadUrl}?name=${encodeURIComponent(name)}`;
    try {
      return await this.#send('POST', url, createReadStream(file), { 'content-type': contentType, 'content-length': String(size) });
    } catch (e) {
      // A connection that broke mid-upload is a temporary failure like a 502.
      return { status: 599, body: { message: (e as Error).message } };
    }
  }

  failure(what: string, status: number, body: unknown): InitramfsError {
    const said = typeof (body as { message?: unknown })?.message === 'string' ? (body as { message: string }).message : '';
    if (status === 401) return new InitramfsError('AUTH', `${what}: GitHub refused the token (401 ${said}); check the github-token input`);
    if (status === 403) return new InitramfsError('AUTH', `${what}: forbidden (403 ${said}): ${PERMISSION_HINT}`);
    if (status === 422) {
      return new InitramfsError('IO', `${what}: GitHub refused it (422 ${said}${detail(body)}); a published immutable release takes no new assets`);
    }
    return new InitramfsError('IO', `${what}: GitHub answered ${status}${said ? ' ' + said : ''}`);
  }

  #call(method: string, path: string): Promise<Answer> {
    return this.#send(method, this.#api + path);
  }

  async #send(method: string, url: string, body?: NodeJS.ReadableStream, headers: Record<string, string> = {}): Promise<Answer> {
    const res = await request(url, {
      method: method as 'GET',
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${this.#token}`,
        'user-agent': 'initramfs-action',
        'x-github-api-version': '2022-11-28',
        ...headers,
      },
      ...(body && { body: body as unknown as import('node:stream').Readable }),
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): kept as text for the message.
    }
    return { status: res.statusCode, body: parsed };
  }
}

const detail = (body: unknown): string => {
  const errors = (body as { errors?: unknown })?.errors;
  if (!Array.isArray(errors)) return '';
  const parts = errors.map((e) => (e as { code?: string; message?: string }).message ?? (e as { code?: string }).code).filter(Boolean);
  return parts.length > 0 ? `: ${parts.join(', ')}` : '';
};
