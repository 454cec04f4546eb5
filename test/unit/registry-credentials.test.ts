import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InitramfsError } from '../../src/errors.ts';
import { configKeyRegistry, lookupCredentials } from '../../src/registry/credentials.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-credentials-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');
let n = 0;

/** A fresh DOCKER_CONFIG dir holding `config`, and a bin dir (first on PATH) for helper scripts. */
async function setup(config: unknown): Promise<{ env: NodeJS.ProcessEnv; bin: string }> {
  const home = join(dir, `case-${n++}`);
  const bin = join(home, 'bin');
  await mkdir(bin, { recursive: true });
  await writeFile(join(home, 'config.json'), JSON.stringify(config));
  return { env: { DOCKER_CONFIG: home, PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: home }, bin };
}

/** A docker-credential-NAME script that logs the server URL it was asked about and answers for one. */
async function helper(bin: string, name: string, server: string, answer: string): Promise<string> {
  const log = join(bin, `${name}.log`);
  const script = `#!/bin/sh
[ "$1" = get ] || exit 3
read -r url
printf '%s\\n' "$url" >> '${log}'
if [ "$url" = '${server}' ]; then
  printf '%s' '${answer}'
else
  echo 'credentials not found in native keychain'
  exit 1
fi
`;
  const path = join(bin, `docker-credential-${name}`);
  await writeFile(path, script);
  await chmod(path, 0o755);
  return log;
}

describe('lookupCredentials', () => {
  test('explicit credentials win over everything in config.json', async () => {
    const { env } = await setup({ auths: { 'ghcr.io': { auth: b64('cfg:cfgpass') } } });
    const c = await lookupCredentials('ghcr.io', { env, credentials: { username: 'u', password: 'p' } });
    expect(c).toEqual({ kind: 'basic', username: 'u', password: 'p', source: '--username/--password-stdin' });
  });

  test('fallback credentials are used only for their registry and only when config.json names nothing', async () => {
    const fallback = { registry: 'ghcr.io', username: 'x-access-token', password: 'gh-token-1', source: 'the github-token input' };
    const { env } = await setup({ auths: { 'quay.io': { auth: b64('q:qpass') } } });
    expect(await lookupCredentials('ghcr.io', { env, fallback })).toEqual({
      kind: 'basic',
      username: 'x-access-token',
      password: 'gh-token-1',
      source: 'the github-token input',
    });
    expect(await lookupCredentials('quay.io', { env, fallback })).toMatchObject({ username: 'q', password: 'qpass' });
    expect(await lookupCredentials('docker.io', { env, fallback })).toBeUndefined();
    // A docker login earlier in the job (config.json) wins over the fallback.
    const logged = await setup({ auths: { 'ghcr.io': { auth: b64('me:mine') } } });
    expect(await lookupCredentials('ghcr.io', { env: logged.env, fallback })).toMatchObject({ username: 'me', password: 'mine' });
    // With no config.json at all the fallback still applies.
    const none = { DOCKER_CONFIG: join(dir, 'absent'), HOME: join(dir, 'absent') };
    expect(await lookupCredentials('ghcr.io', { env: none, fallback })).toMatchObject({ password: 'gh-token-1' });
  });

  test('auths: base64 user:password, matched through a scheme and path in the key', async () => {
    const { env } = await setup({ auths: { 'https://ghcr.io/v2/': { auth: b64('me:pa:ss') } } });
    const c = await lookupCredentials('ghcr.io', { env });
    expect(c).toMatchObject({ kind: 'basic', username: 'me', password: 'pa:ss' });
    expect(await lookupCredentials('quay.io', { env })).toBeUndefined();
  });

  test.each(['https://index.docker.io/v1/', 'docker.io', 'index.docker.io', 'registry-1.docker.io'])(
    'Docker Hub credentials are found under the key %s',
    async (key) => {
      const { env } = await setup({ auths: { [key]: { auth: b64('hub:secret') } } });
      expect(await lookupCredentials('docker.io', { env })).toMatchObject({ username: 'hub', password: 'secret' });
    },
  );

  test('identitytoken becomes an identity token credential', async () => {
    const { env } = await setup({ auths: { 'localhost:5000': { auth: b64('u:'), identitytoken: 'refresh-me' } } });
    expect(await lookupCredentials('localhost:5000', { env })).toMatchObject({
      kind: 'identityToken',
      username: 'u',
      token: 'refresh-me',
    });
  });

  test('no config.json means anonymous; a broken one is warned about, not fatal', async () => {
    expect(await lookupCredentials('ghcr.io', { env: { DOCKER_CONFIG: join(dir, 'nowhere') } })).toBeUndefined();
    const home = join(dir, 'broken');
    await mkdir(home);
    await writeFile(join(home, 'config.json'), '{"auths": {"ghcr.io": {"auth": "c2VjcmV0"');
    const warnings: string[] = [];
    expect(await lookupCredentials('ghcr.io', { env: { DOCKER_CONFIG: home }, warn: (m) => warnings.push(m) })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('config.json is not a JSON object');
    expect(warnings[0]).not.toContain('c2VjcmV0');
  });

  test('HOME/.docker/config.json is used when DOCKER_CONFIG is not set', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, '.docker'), { recursive: true });
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: b64('h:p') } } }));
    expect(await lookupCredentials('ghcr.io', { env: { HOME: home } })).toMatchObject({ username: 'h' });
  });

  test('credHelpers runs docker-credential-NAME get with the registry on stdin', async () => {
    const { env, bin } = await setup({
      credHelpers: { 'localhost:5000': 'testhelper' },
      auths: { 'localhost:5000': { auth: b64('fallback:no') } },
    });
    const log = await helper(bin, 'testhelper', 'localhost:5000', '{"ServerURL":"localhost:5000","Username":"hu","Secret":"hs"}');
    const c = await lookupCredentials('localhost:5000', { env });
    expect(c).toEqual({ kind: 'basic', username: 'hu', password: 'hs', source: 'credential helper docker-credential-testhelper' });
    expect(await readFile(log, 'utf8')).toBe('localhost:5000\n');
  });

  test('credsStore is asked about Docker Hub as https://index.docker.io/v1/; "<token>" means an identity token', async () => {
    const { env, bin } = await setup({ credsStore: 'store' });
    await helper(bin, 'store', 'https://index.docker.io/v1/', '{"Username":"<token>","Secret":"idtok"}');
    expect(await lookupCredentials('docker.io', { env })).toMatchObject({ kind: 'identityToken', token: 'idtok' });
  });

  test('a helper without the credentials, or not installed, falls through to auths', async () => {
    const { env, bin } = await setup({
      credHelpers: { 'ghcr.io': 'testhelper', 'quay.io': 'not-installed' },
      auths: { 'ghcr.io': { auth: b64('a:b') }, 'quay.io': { auth: b64('c:d') } },
    });
    await helper(bin, 'testhelper', 'some-other-host', '{}');
    expect(await lookupCredentials('ghcr.io', { env })).toMatchObject({ username: 'a', password: 'b' });
    expect(await lookupCredentials('quay.io', { env })).toMatchObject({ username: 'c', password: 'd' });
  });

  test('a helper that fails for another reason is an AUTH error naming the helper', async () => {
    const { env, bin } = await setup({ credHelpers: { 'ghcr.io': 'broken' } });
    const path = join(bin, 'docker-credential-broken');
    await writeFile(path, '#!/bin/sh\necho "keychain locked" >&2\nexit 2\n');
    await chmod(path, 0o755);
    const err = (await lookupCredentials('ghcr.io', { env }).catch((e: unknown) => e)) as InitramfsError;
    expect(err.code).toBe('AUTH');
    expect(err.message).toBe('credential helper docker-credential-broken failed for ghcr.io: keychain locked');
  });
});

test('config.json keys are normalised the way docker does', () => {
  expect(configKeyRegistry('https://index.docker.io/v1/')).toBe('docker.io');
  expect(configKeyRegistry('http://localhost:5000')).toBe('localhost:5000');
  expect(configKeyRegistry('ghcr.io')).toBe('ghcr.io');
});
