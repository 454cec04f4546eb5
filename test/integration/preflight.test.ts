// Every local input is checked before the first byte is pulled. A real registry (CNCF distribution on
// loopback) sits behind the counting proxy; each bad input — in the CLI and in the bundled action — must
// fail with its one-line message and stable code while the proxy has seen no request at all, and leave the
// output directory empty. A good build through the same proxy is the control: it does make requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { startRegistry, type RegistryHandle } from '../helpers/registry.ts';
import { startFaultProxy, type ProxyHandle } from '../helpers/fault-proxy.ts';
import { pushLayout } from '../helpers/push.ts';
import { REPO, runCli } from '../helpers/cli.ts';
import { runAction } from '../helpers/action.ts';
import { decodeNewc } from '../../src/initramfs/newc.ts';
import { parse as parseYaml } from 'yaml';

let work: string;
let registry: RegistryHandle;
let proxy: ProxyHandle;
let image: string;
/** Host files the cases refer to, by name. */
const f: Record<string, string> = {};

const entries: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake\n', mode: 0o755 },
];

/** An ELF header for `machine` (62 x86-64, 183 AArch64): all the kernel reads to decide. */
const elf = (machine: number): Buffer => {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1;
  b[6] = 1;
  b.writeUInt16LE(2, 16);
  b.writeUInt16LE(machine, 18);
  return b;
};

beforeAll(async () => {
  work = await scratchDir('preflight-');
  const layout = join(work, 'layout');
  writeOciLayout(layout, [{ ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries }] } }]);
  registry = await startRegistry({ auth: 'none' });
  await pushLayout(layout, 'v1', registry.host, 'demo/app:v1');
  proxy = await startFaultProxy(registry.host);
  image = `${proxy.host}/demo/app:v1`;

  const host = (name: string, content: string | Buffer): string => (f[name] = join(work, name)) && (writeFileSync(f[name]!, content), f[name]!);
  host('agent', 'agent binary');
  host('init.sh', '#!/bin/sh\nexec /bin/sh\n');
  host('init.txt', 'mount -t proc proc /proc\n');
  host('init-crlf.sh', '#!/bin/sh\r\nexec /bin/sh\r\n');
  host('init-arm64', elf(183));
  host('init-amd64', elf(62));
  host('a-file', '');
  f['tree'] = join(work, 'tree');
  mkdirSync(join(f['tree'], 'sub'), { recursive: true });
  writeFileSync(join(f['tree'], 'ok'), 'ok');
  expect(spawnSync('mkfifo', [join(f['tree'], 'sub', 'fifo')]).status).toBe(0);
  f['outdir'] = join(work, 'an-existing-dir');
  mkdirSync(f['outdir']);
}, 60_000);
afterAll(async () => {
  await proxy?.stop();
  await registry?.stop();
  await removeScratchDirs();
});

describe('the CLI', () => {
  it('control: a good build through the proxy makes requests, and a Windows-style SRC with ":" works', async () => {
    // On Linux `C:\agent.exe` is a relative name with a colon and a backslash in it: the spec is split
    // where DEST begins, so it is the SRC.
    const cwd = await scratchDir();
    writeFileSync(join(cwd, 'C:\\agent.exe'), 'windows-built agent');
    const out = join(cwd, 'ok.cpio');
    proxy.resetLog();
    const r = await runCli(['build', image, '-o', out, '--cache-dir', join(work, 'cache-ok'), '--inject', 'C:\\agent.exe:/usr/bin/agent:0700', '--init', f['init-amd64']!], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(0);
    const recs = new Map(decodeNewc(readFileSync(out)).map((rec) => [rec.name, rec]));
    expect(recs.get('usr/bin/agent')?.mode).toBe(0o100700);
    expect(recs.get('init')?.filesize).toBe(64);
  });

  const cases: [string, () => string[], number, RegExp][] = [
    ['a missing inject source', () => ['--inject', `${join(work, 'missing-agent')}:/usr/bin/agent`], 1, /^error \[INJECT_SOURCE\]: --inject '.*missing-agent:\/usr\/bin\/agent': '.*missing-agent' does not exist$/],
    ['an unreadable file deep inside an injected directory', () => ['--inject', `${f['tree']}:/opt/tree`], 1, /^error \[INJECT_SOURCE\]: --inject '.*tree:\/opt\/tree': '.*\/sub\/fifo' is not a regular file, directory or symlink$/],
    ['an inject MODE that is not octal (:rwx)', () => ['--inject', `${f['agent']}:/usr/bin/agent:rwx`], 2, /^error \[USAGE\]: Invalid inject '.*agent:\/usr\/bin\/agent:rwx': MODE 'rwx' is not an octal mode/],
    ['--level 42', () => ['--level', '42'], 2, /^error \[USAGE\]: --level '42': gzip level must be an integer from 1 to 9, got 42/],
    ['a zstd level out of range', () => ['-c', 'zstd', '--level', '20'], 2, /^error \[USAGE\]: --level '20': zstd level must be an integer from 1 to 19/],
    ['an output that is a directory', () => ['-o', f['outdir']!], 1, /^error \[IO\]: output '.*an-existing-dir': is a directory/],
    ['an output below a regular file', () => ['-o', join(f['a-file']!, 'initramfs.cpio.gz')], 1, /^error \[IO\]: output '.*a-file\/initramfs.cpio.gz': .*a-file is not a directory$/],
    ['an output directory that takes no file, even for root (/proc)', () => ['-o', '/proc/initramfs.cpio.gz'], 1, /^error \[IO\]: output '\/proc\/initramfs.cpio.gz': cannot create files in \/proc: /],
    ['a --report in a directory that takes no file', () => ['--report', '/proc/report.json'], 1, /^error \[IO\]: report '\/proc\/report.json': cannot create files in \/proc: /],
    ['an --init that is text', () => ['--init', f['init.txt']!], 1, /^error \[INJECT_SOURCE\]: --init '.*init.txt': the kernel cannot execute it: expected an ELF executable for linux\/amd64 or a script starting with #!, and it starts with 'mount -t proc pr'$/],
    ['an --init with Windows line endings', () => ['--init', f['init-crlf.sh']!], 1, /^error \[INJECT_SOURCE\]: --init '.*init-crlf.sh': the kernel cannot execute it: its #! line ends in a carriage return/],
    ['an --init built for another architecture', () => ['--init', f['init-arm64']!], 1, /^error \[INJECT_SOURCE\]: --init '.*init-arm64': the kernel cannot execute it: it is an ELF executable for AArch64, and the platform is linux\/amd64/],
    ['a missing --init', () => ['--init', join(work, 'no-init')], 1, /^error \[INJECT_SOURCE\]: --init '.*no-init': '.*no-init' does not exist$/],
    ['an exclude that is not absolute', () => ['--exclude', 'usr/share/doc'], 2, /^error \[USAGE\]: Invalid exclude 'usr\/share\/doc'/],
    ['a cache directory that cannot be created', () => ['--cache-dir', join(f['a-file']!, 'cache')], 1, /^error \[IO\]: cache directory '.*a-file\/cache': cannot be written/],
  ];
  for (const [what, args, code, message] of cases) {
    it(`fails before any registry request: ${what}`, async () => {
      const dir = await scratchDir();
      proxy.resetLog();
      const r = await runCli(['build', image, '-o', join(dir, 'initrd.img'), '--cache-dir', join(dir, 'cache'), ...args()]);
      expect(r.code, r.stderr).toBe(code);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(proxy.requests).toEqual([]);
      expect(readdirSync(dir).filter((n) => n !== 'cache')).toEqual([]);
    });
  }
});

describe('the action', () => {
  const run = async (inputs: Record<string, string>) => {
    const base = await scratchDir('action-preflight-');
    const workspace = join(base, 'workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(join(workspace, 'agent'), 'agent binary');
    writeFileSync(join(workspace, 'init.txt'), 'not a script\n');
    mkdirSync(join(workspace, 'dist'));
    proxy.resetLog();
    const result = await runAction({ image, upload: 'none', cache: 'false', ...inputs }, { workspace, runnerTemp: join(base, 'temp') });
    return { ...result, workspace };
  };

  it('control: a good run through the proxy makes requests and writes the output in a new directory', async () => {
    const r = await run({ inject: 'agent:/usr/bin/agent', output: 'out/sub/initramfs.cpio.zst' });
    expect(r.code, r.stdout).toBe(0);
    expect(proxy.requests.length).toBeGreaterThan(0);
    expect(r.outputs['path']).toBe(join(r.workspace, 'out', 'sub', 'initramfs.cpio.zst'));
    expect(readFileSync(r.outputs['path']!).subarray(0, 4)).toEqual(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  });

  it('an output ending in .cpio.zst with compression left at its action.yml default builds zstd', async () => {
    // The runner fills every input the workflow leaves out with its action.yml default, so that default
    // must leave the suffix free to decide.
    const action = parseYaml(readFileSync(join(REPO, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const r = await run({ output: 'dist/initramfs.cpio.zst', compression: action.inputs['compression']!.default ?? '' });
    expect(r.code, r.stdout).toBe(0);
    expect(readFileSync(join(r.workspace, 'dist', 'initramfs.cpio.zst')).subarray(0, 4)).toEqual(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    ['a missing inject source', { inject: 'missing-agent:/usr/bin/agent' }, /^--inject '.*\/workspace\/missing-agent:\/usr\/bin\/agent': '.*missing-agent' does not exist \[INJECT_SOURCE\]$/],
    ['an inject MODE that is not octal', { inject: 'agent:/usr/bin/agent:rwx' }, /^input 'inject': Invalid inject 'agent:\/usr\/bin\/agent:rwx': MODE 'rwx' .* \[USAGE\]$/],
    ['an init that is not executable', { init: 'init.txt' }, /^--init '.*init.txt': the kernel cannot execute it: .* \[INJECT_SOURCE\]$/],
    ['an output that is a directory', { output: 'dist' }, /^output '.*\/workspace\/dist': is a directory; .* \[IO\]$/],
    ['a compression that contradicts the output suffix', { output: 'initramfs.cpio.gz', compression: 'zstd' }, /^input 'compression': "zstd" contradicts input 'output' 'initramfs.cpio.gz' .* \[USAGE\]$/],
    ['a level out of range', { compression: 'zstd', 'compression-level': '42' }, /^input 'compression-level': zstd level must be an integer from 1 to 19, got 42 \[USAGE\]$/],
  ];
  for (const [what, inputs, message] of cases) {
    it(`fails before any registry request: ${what}`, async () => {
      const r = await run(inputs);
      expect(r.code).toBe(1);
      expect(r.errors, r.stdout).toHaveLength(1);
      expect(r.errors[0]).toMatch(message);
      expect(proxy.requests).toEqual([]);
      expect(r.stdout).not.toMatch(/::group::/);
      expect(readdirSync(r.workspace).sort()).toEqual(['agent', 'dist', 'init.txt']);
      expect(readdirSync(join(r.workspace, 'dist'))).toEqual([]);
    });
  }
});
