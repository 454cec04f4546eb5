// A build from a real registry (the CNCF docker-registry on loopback) gives the same bytes as the build
// of the same image from its OCI layout, and a second build with a warm cache asks for no blob.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { pushLayout } from '../helpers/push.ts';
import { runCli } from '../helpers/cli.ts';

let work: string;
let layout: string;
let registry: RegistryHandle;
let proxy: ProxyHandle;

const entries: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake\n', mode: 0o755 },
  { name: 'etc', type: 'dir' },
  { name: 'etc/motd', content: 'hello from the registry\n' },
];

beforeAll(async () => {
  work = await scratchDir();
  layout = join(work, 'layout');
  writeOciLayout(layout, [
    { ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries }, { entries: [{ name: 'etc/z', content: 'z' }], compression: 'zstd-frames' }] } },
  ]);
  registry = await startRegistry({ auth: 'none' });
  await pushLayout(layout, 'v1', registry.host, 'demo/app:v1');
  proxy = await startFaultProxy(registry.host);
});
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  await removeScratchDirs();
});

it('a registry pull gives the bytes of the OCI layout build, and a warm cache makes no blob request', async () => {
  const fromLayout = join(work, 'layout.cpio.gz');
  const fromRegistry = join(work, 'registry.cpio.gz');
  const again = join(work, 'again.cpio.gz');
  const cache = join(work, 'cache');
  expect((await runCli(['build', `oci:${layout}:v1`, '-o', fromLayout, '--cache-dir', join(work, 'c0')])).code).toBe(0);
  const r1 = await runCli(['build', `${proxy.host}/demo/app:v1`, '-o', fromRegistry, '--cache-dir', cache]);
  expect(r1.code, r1.stderr).toBe(0);
  expect(readFileSync(fromRegistry).equals(readFileSync(fromLayout))).toBe(true);
  expect(proxy.blobGets).toBeGreaterThan(0);
  proxy.resetLog();
  const r2 = await runCli(['build', `${proxy.host}/demo/app:v1`, '-o', again, '--cache-dir', cache]);
  expect(r2.code, r2.stderr).toBe(0);
  expect(proxy.blobGets).toBe(0);
  expect(readFileSync(again).equals(readFileSync(fromLayout))).toBe(true);
});

it('an unknown tag is one clear IMAGE_NOT_FOUND error', async () => {
  const r = await runCli(['build', `${proxy.host}/demo/app:nope`, '-o', join(work, 'x.gz'), '--cache-dir', join(work, 'c1')]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/error \[IMAGE_NOT_FOUND\]: .*demo\/app/);
});

it('a connection cut mid-blob, a 503 and a 429 are retried and the build gives the same bytes', async () => {
  const clean = join(work, 'clean.cpio.gz');
  const faulty = join(work, 'faulty.cpio.gz');
  expect((await runCli(['build', `oci:${layout}:v1`, '-o', clean, '--cache-dir', join(work, 'c2')])).code).toBe(0);
  proxy.clearFaults();
  proxy.addFault({ kind: 'cut', afterBytes: 100 });
  proxy.addFault({ kind: 'status', status: 503, nth: 2 });
  proxy.addFault({ kind: 'status', status: 429, retryAfter: 1, match: 'manifest' });
  const r = await runCli(['build', `${proxy.host}/demo/app:v1`, '-o', faulty, '--cache-dir', join(work, 'c3')]);
  proxy.clearFaults();
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/warning: .*retry/i);
  expect(readFileSync(faulty).equals(readFileSync(clean))).toBe(true);
});

it('basic auth: the password from stdin works, a wrong one is one AUTH error that never shows the secret', async () => {
  const basic = await startRegistry({ auth: 'basic' });
  try {
    const { username, password } = basic.users[0]!;
    await pushLayout(layout, 'v1', basic.host, 'private/app:v1', { creds: `${username}:${password}` });
    const ok = await runCli(['build', `${basic.host}/private/app:v1`, '-o', join(work, 'basic.gz'), '--cache-dir', join(work, 'c4'), '-u', username, '--password-stdin'], { input: `${password}\n` });
    expect(ok.code, ok.stderr).toBe(0);
    const secret = 'wrong-secret-xyz';
    const bad = await runCli(['build', `${basic.host}/private/app:v1`, '-o', join(work, 'bad.gz'), '--cache-dir', join(work, 'c5'), '-u', username, '--password-stdin'], { input: secret });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[AUTH\]: /m);
    expect(bad.stderr + bad.stdout).not.toContain(secret);
    expect(bad.stderr + bad.stdout).not.toContain(Buffer.from(`${username}:${secret}`).toString('base64'));
  } finally {
    await basic.stop();
  }
});

it('token auth with a blob redirect: the build succeeds and the redirect host never sees Authorization', async () => {
  const tokenReg = await startRegistry({ auth: 'token' });
  const redirecting = await startFaultProxy(tokenReg.host, { redirectBlobs: true });
  try {
    const { username, password } = tokenReg.users[0]!;
    await pushLayout(layout, 'v1', tokenReg.host, 'secure/app:v1', { creds: `${username}:${password}` });
    const out = join(work, 'token.cpio.gz');
    const clean = join(work, 'token-clean.cpio.gz');
    expect((await runCli(['build', `oci:${layout}:v1`, '-o', clean, '--cache-dir', join(work, 'c6')])).code).toBe(0);
    const r = await runCli(['build', `${redirecting.host}/secure/app:v1`, '-o', out, '--cache-dir', join(work, 'c7'), '-u', username, '--password-stdin'], { input: password });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).equals(readFileSync(clean))).toBe(true);
    expect(redirecting.blobHost!.requests.length).toBeGreaterThan(0);
    expect(redirecting.blobHost!.sawAuthorization).toBe(false);
    expect(tokenReg.tokenServer!.requests.some((q) => q.authorization && q.username === username)).toBe(true);
  } finally {
    await redirecting.stop();
    await tokenReg.stop();
  }
});
