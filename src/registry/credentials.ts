// Where a registry's credentials come from, in the order Docker users expect: the command line, then
// docker's config.json (credential helper, then `auths`), then none (anonymous). Secrets never leave
// these objects except as an Authorization header for the registry or the realm its challenge names.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { DOCKER_HUB } from './reference.ts';

export type Credentials =
  | { kind: 'basic'; username: string; password: string; source: string }
  /** An OAuth2 refresh token (`identitytoken`), exchanged at the token realm with grant_type=refresh_token. */
  | { kind: 'identityToken'; username: string; token: string; source: string };

export interface CredentialLookup {
  /** Explicit credentials (--username/--password-stdin); they win. */
  credentials?: { username: string; password: string };
  env?: NodeJS.ProcessEnv;
  /**
   * Credentials for one registry used only when nothing else names it (the action's github-token for
   * ghcr.io): a docker login earlier in the job must win over them.
   */
  fallback?: FallbackCredentials;
  /** Told about a config.json or credential helper that could not be used (lookup goes on). */
  warn?: (message: string) => void;
}

export interface FallbackCredentials {
  registry: string;
  username: string;
  password: string;
  /** Named in messages instead of the secret (e.g. 'the github-token input'). */
  source: string;
}

/** Docker Hub's keys in config.json, as different docker versions wrote them. */
const HUB_ALIASES = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io']);
/** What Docker passes a credential helper for Docker Hub. */
const HUB_SERVER_URL = 'https://index.docker.io/v1/';
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HELPER_TIMEOUT_MS = 60_000;

/** A config.json key (`https://ghcr.io`, `ghcr.io/v2/`, `https://index.docker.io/v1/`) as a registry name. */
export function configKeyRegistry(key: string): string {
  const host = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('/')[0] ?? '';
  return HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}

/** The server URL a credential helper is asked about for `registry`. */
export const helperServerUrl = (registry: string): string => (registry === DOCKER_HUB ? HUB_SERVER_URL : registry);

interface DockerConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

/** The config.json path: $DOCKER_CONFIG/config.json, else ~/.docker/config.json. */
export function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  const dir = env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker');
  return join(dir, 'config.json');
}

async function readDockerConfig(path: string, warn: (m: string) => void): Promise<DockerConfig | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read ${path}: ${(e as Error).message}`);
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as DockerConfig;
  } catch {
    // Reported below: the JSON error text could quote a secret from the file.
  }
  warn(`${path} is not a JSON object; ignoring it`);
  return undefined;
}

/** The entry of `map` whose key names `registry`, by Docker's key normalisation. */
function entryFor<T>(map: Record<string, T> | undefined, registry: string): T | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  if (Object.hasOwn(map, registry)) return map[registry];
  for (const [key, value] of Object.entries(map)) if (configKeyRegistry(key) === registry) return value;
  return undefined;
}

interface HelperOutput {
  Username?: unknown;
  Secret?: unknown;
}

/**
 * Runs `docker-credential-<name> get` with the server URL on stdin. Undefined when the helper is not
 * installed or has no credentials for the server; AUTH when it fails otherwise.
 */
export async function runCredentialHelper(
  name: string,
  registry: string,
  env: NodeJS.ProcessEnv,
): Promise<Credentials | undefined> {
  const program = `docker-credential-${name}`;
  if (!HELPER_NAME.test(name)) {
    throw new InitramfsError('AUTH', `credential helper name ${JSON.stringify(name)} in docker config is not valid`);
  }
  const result = await new Promise<{ error: (Error & { code?: unknown }) | null; stdout: string; stderr: string }>(
    (resolve) => {
      const child = execFile(
        program,
        ['get'],
        { env, timeout: HELPER_TIMEOUT_MS, maxBuffer: 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => resolve({ error, stdout, stderr }),
      );
      child.stdin?.on('error', () => {}); // a helper that exits without reading stdin must not crash us
      child.stdin?.end(helperServerUrl(registry));
    },
  );
  if (result.error) {
    if (result.error.code === 'ENOENT') return undefined;
    const said = `${result.stdout}\n${result.stderr}`;
    if (/credentials not found/i.test(said)) return undefined;
    // The first line of stderr only: helpers print reasons there, not secrets.
    const reason = result.stderr.trim().split('\n')[0] || result.error.message;
    throw new InitramfsError('AUTH', `credential helper ${program} failed for ${registry}: ${reason}`);
  }
  let out: HelperOutput;
  try {
    out = JSON.parse(result.stdout) as HelperOutput;
  } catch {
    throw new InitramfsError('AUTH', `credential helper ${program} printed something other than JSON for ${registry}`);
  }
  if (typeof out !== 'object' || out === null || typeof out.Secret !== 'string' || out.Secret === '') return undefined;
  const username = typeof out.Username === 'string' ? out.Username : '';
  const source = `credential helper ${program}`;
  // Docker's convention: a helper that stores an identity token reports the user name "<token>".
  if (username === '<token>') return { kind: 'identityToken', username: '', token: out.Secret, source };
  return { kind: 'basic', username, password: out.Secret, source };
}

function fromAuthEntry(
  entry: NonNullable<DockerConfig['auths']>[string] | undefined,
  path: string,
  registry: string,
): Credentials | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const source = `${path} auths`;
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) {
      throw new InitramfsError('AUTH', `${path}: the auth entry for ${registry} is not base64 of user:password`);
    }
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  if (typeof entry.identitytoken === 'string' && entry.identitytoken !== '') {
    return { kind: 'identityToken', username, token: entry.identitytoken, source };
  }
  if (username === '' && password === '') return undefined;
  return { kind: 'basic', username, password, source };
}

/**
 * The credentials to use for `registry` ('docker.io' or host[:port]), or undefined for anonymous access:
 * explicit ones, then config.json's credHelpers[registry] or credsStore, then auths[registry].
 */
export async function lookupCredentials(registry: string, opts: CredentialLookup = {}): Promise<Credentials | undefined> {
  if (opts.credentials) return { kind: 'basic', ...opts.credentials, source: '--username/--password-stdin' };
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? (() => {});
  const path = dockerConfigPath(env);
  const config = await readDockerConfig(path, warn);
  const found = config && (await fromConfig(config, path, registry, env));
  if (found) return found;
  const fb = opts.fallback;
  return fb && fb.registry === registry ? { kind: 'basic', username: fb.username, password: fb.password, source: fb.source } : undefined;
}

async function fromConfig(config: DockerConfig, path: string, registry: string, env: NodeJS.ProcessEnv): Promise<Credentials | undefined> {
  const helper = entryFor(config.credHelpers, registry) ?? config.credsStore;
  if (typeof helper === 'string' && helper !== '') {
    const found = await runCredentialHelper(helper, registry, env);
    if (found) return found;
  }
  return fromAuthEntry(entryFor(config.auths, registry), path, registry);
}

/** Every secret in `creds`, for scrubbing text that is about to be shown. */
export function secretsOf(creds: Credentials | undefined): string[] {
  if (!creds) return [];
  const secrets = creds.kind === 'basic' ? [creds.password] : [creds.token];
  return secrets.filter((s) => s.length >= 4);
}
