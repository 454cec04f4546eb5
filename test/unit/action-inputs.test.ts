import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageSlug, parseInputs } from '../../src/action/inputs.ts';
import { usageError } from '../helpers/errors.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'action-inputs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WS = '/home/runner/work/repo/repo';
const parse = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  parseInputs((name) => inputs[name] ?? '', { GITHUB_WORKSPACE: WS, ...env });


describe('parseInputs', () => {
  it('gives the documented defaults for an image alone', () => {
    expect(parse({ image: 'python:3.12-alpine' })).toEqual({
      image: 'python:3.12-alpine',
      inject: [],
      compression: 'gzip',
      level: 6,
      platform: 'linux/amd64',
      exclude: [],
      output: `${WS}/python-3.12-alpine-linux-amd64.cpio.gz`,
      cache: true,
      upload: 'artifact',
      artifactName: 'python-3.12-alpine-linux-amd64.cpio.gz',
      overwrite: false,
      checksums: false,
    });
  });

  it('resolves relative host paths against the workspace and keeps inject modes', () => {
    const i = parse({
      image: 'alpine',
      inject: './target/release/agent:/usr/bin/agent\n/abs/conf:/etc/agent.conf:0640\n\n  # a comment\n',
      init: 'init.sh',
      exclude: '/usr/share/doc/**\n/var/cache/apk/*',
      output: 'out/initrd.img',
    });
    expect(i.inject).toEqual([
      { source: `${WS}/target/release/agent`, dest: '/usr/bin/agent' },
      { source: '/abs/conf', dest: '/etc/agent.conf', mode: 0o640 },
    ]);
    expect(i.init).toBe(`${WS}/init.sh`);
    expect(i.exclude).toEqual(['/usr/share/doc/**', '/var/cache/apk/*']);
    expect(i.output).toBe(`${WS}/out/initrd.img`);
  });

  it('names the default output and artifact after the image, platform and compression', () => {
    const i = parse({ image: 'ghcr.io/acme/runtimes/node:22-slim', platform: 'linux/arm64', compression: 'zstd' });
    expect(i.platform).toBe('linux/arm64/v8');
    expect(i.level).toBe(3);
    expect(i.output).toBe(`${WS}/node-22-slim-linux-arm64-v8.cpio.zst`);
    expect(i.artifactName).toBe('node-22-slim-linux-arm64-v8.cpio.zst');
    expect(parse({ image: 'alpine', compression: 'none' }).output).toBe(`${WS}/alpine-latest-linux-amd64.cpio`);
  });

  it('takes the release tag from the input, else from the release event, else from a tag push', () => {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ release: { tag_name: 'v2.0.0' } }));
    const base = { image: 'alpine', upload: 'release', 'github-token': 'tok' };
    expect(parse({ ...base, 'release-tag': 'v9' }, { GITHUB_REF: 'refs/tags/v1.0.0' }).releaseTag).toBe('v9');
    expect(parse(base, { GITHUB_EVENT_NAME: 'release', GITHUB_EVENT_PATH: event, GITHUB_REF: 'refs/tags/x' }).releaseTag).toBe('v2.0.0');
    expect(parse(base, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.0.0' }).releaseTag).toBe('v1.0.0');
    expect(usageError(() => parse(base, { GITHUB_REF: 'refs/heads/main' }))).toMatch(/input 'release-tag': empty: expected a tag/);
    // A tag is only needed for release uploads.
    expect(parse({ image: 'alpine' }, { GITHUB_REF: 'refs/heads/main' }).releaseTag).toBeUndefined();
  });

  it('rejects each malformed input with a message naming it and the expected form', () => {
    expect(usageError(() => parse({ image: '  ' }))).toMatch(/^input 'image': empty: expected an image reference/);
    expect(usageError(() => parse({ image: 'Alpine:UPPER' }))).toMatch(/^input 'image': /);
    expect(usageError(() => parse({ image: 'alpine', platform: 'linux' }))).toMatch(/^input 'platform': .*os\/arch/);
    expect(usageError(() => parse({ image: 'alpine', compression: 'gzip', 'compression-level': '12' }))).toMatch(/^input 'compression-level': gzip level must be an integer from 1 to 9/);
    expect(usageError(() => parse({ image: 'alpine', inject: '/a:/b:999' }))).toMatch(/^input 'inject': .*octal/);
    expect(usageError(() => parse({ image: 'alpine', 'retention-days': '0' }))).toMatch(/^input 'retention-days': "0": expected a whole number of days/);
    expect(usageError(() => parse({ image: 'alpine', 'artifact-name': 'a/b' }))).toMatch(/^input 'artifact-name': "a\/b"/);
    expect(usageError(() => parse({ image: 'alpine', overwrite: 'True!' }))).toMatch(/^input 'overwrite': "True!": expected true or false/);
    expect(usageError(() => parse({ image: 'alpine', 'registry-username': 'me' }))).toMatch(/^input 'registry-password': empty/);
    expect(usageError(() => parse({ image: 'alpine', 'registry-password': 'pw' }))).toMatch(/^input 'registry-username': empty/);
    expect(usageError(() => parse({ image: 'alpine', upload: 'release', 'release-tag': 'v1' }))).toMatch(/^input 'github-token': empty/);
    expect(usageError(() => parse({ image: 'alpine' }, { SOURCE_DATE_EPOCH: 'yesterday' }))).toMatch(/SOURCE_DATE_EPOCH 'yesterday'/);
  });

  it('takes the compression from the output suffix when compression is empty, as the CLI does', () => {
    expect(parse({ image: 'alpine', output: 'dist/initramfs.cpio.zst' })).toMatchObject({ compression: 'zstd', level: 3 });
    expect(parse({ image: 'alpine', output: 'dist/initramfs.cpio' }).compression).toBe('none');
    expect(parse({ image: 'alpine', output: 'dist/initramfs.cpio.zst', compression: 'zstd' }).compression).toBe('zstd');
    expect(parse({ image: 'alpine', output: 'initrd.img' }).compression).toBe('gzip');
    expect(parse({ image: 'alpine', output: 'initrd.img', compression: 'zstd' }).compression).toBe('zstd');
  });

  it('refuses a compression that contradicts the output suffix, naming both inputs', () => {
    expect(usageError(() => parse({ image: 'alpine', output: 'dist/initramfs.cpio.gz', compression: 'zstd' }))).toBe(
      "input 'compression': \"zstd\" contradicts input 'output' 'dist/initramfs.cpio.gz' (.gz means gzip): leave compression empty, or name a file ending in .zst",
    );
  });

  it('refuses - as the output: the action\'s standard output is the job log', () => {
    expect(usageError(() => parse({ image: 'alpine', output: '-' }))).toMatch(/^input 'output': "-": expected a file path/);
  });

  it('refuses an inject line whose MODE is not octal, and takes a Windows runner path as SRC', () => {
    expect(usageError(() => parse({ image: 'alpine', inject: './agent:/usr/bin/agent:rwx' }))).toMatch(/^input 'inject': Invalid inject '.\/agent:\/usr\/bin\/agent:rwx': MODE 'rwx' is not an octal mode/);
    expect(parse({ image: 'alpine', inject: 'C:\\agent.exe:/usr/bin/agent' }).inject[0]!.dest).toBe('/usr/bin/agent');
  });

  it('accepts the booleans and numbers the way workflows write them', () => {
    const i = parse({ image: 'alpine', cache: 'FALSE', overwrite: ' true ', 'retention-days': '7', 'compression-level': '9' }, { SOURCE_DATE_EPOCH: '1700000000' });
    expect(i).toMatchObject({ cache: false, overwrite: true, retentionDays: 7, level: 9, sourceDateEpoch: 1700000000 });
  });
});

describe('a mistyped value of an input that takes a few words', () => {
  it('names the nearest word, as the CLI does for its options', () => {
    expect(usageError(() => parse({ image: 'a', compression: 'gzp' }))).toBe(
      'input \'compression\': compression "gzp": expected one of gzip, zstd, none; did you mean gzip?',
    );
    expect(usageError(() => parse({ image: 'a', upload: 'artefact' }))).toBe(
      'input \'upload\': "artefact": expected artifact, release, none; did you mean artifact?',
    );
    expect(usageError(() => parse({ image: 'a', network: 'dchp' }))).toContain('; did you mean dhcp?');
    expect(usageError(() => parse({ image: 'a', 'on-exit': 'shel' }))).toContain('; did you mean shell?');
    expect(usageError(() => parse({ image: 'a', cache: 'ture' }))).toBe('input \'cache\': "ture": expected true or false; did you mean true?');
  });

  it('suggests nothing for a word far from every choice', () => {
    expect(usageError(() => parse({ image: 'a', upload: 's3' }))).toBe('input \'upload\': "s3": expected artifact, release, none');
  });
});

describe("the 'timeout' input", () => {
  it('is a duration, absent when empty', () => {
    expect(parse({ image: 'alpine' }).timeoutMs).toBeUndefined();
    expect(parse({ image: 'alpine', timeout: ' 15m ' }).timeoutMs).toBe(900_000);
  });
  it('anything else is a usage error naming the input and the form', () => {
    expect(usageError(() => parse({ image: 'alpine', timeout: '15 minutes' }))).toBe(
      `input 'timeout': "15 minutes": expected a duration such as 90s, 10m or 1h30m (at most 7d)`,
    );
  });
});

describe('imageSlug', () => {
  it('is the last repository component and the tag, or a short digest', () => {
    expect(imageSlug('python:3.12-alpine')).toBe('python-3.12-alpine');
    expect(imageSlug('127.0.0.1:5000/a/b/c')).toBe('c-latest');
    expect(imageSlug(`alpine@sha256:${'ab'.repeat(32)}`)).toBe('alpine-abababababab');
    expect(imageSlug(`alpine:3.20@sha256:${'ab'.repeat(32)}`)).toBe('alpine-3.20');
    expect(imageSlug('oci:/tmp/layouts/my image:v1')).toBe('my-image-v1');
    expect(imageSlug('oci:layout')).toBe('layout');
    expect(imageSlug('docker-archive:/tmp/img.tar')).toBe('img');
    expect(imageSlug('docker-archive:/tmp/img.tar:app:v2')).toBe('img-app-v2');
  });
});

describe('the generated /init inputs', () => {
  it('network, on-exit, init-tools, modules-dir and modules, absent when empty', () => {
    const i = parse({ image: 'alpine', network: 'dhcp', 'on-exit': 'reboot', 'init-tools': 'busybox:musl', 'modules-dir': 'mods', modules: 'virtio_net\n# comment\n\nvsock\n' });
    expect(i).toMatchObject({ network: 'dhcp', onExit: 'reboot', initTools: 'busybox:musl', modules: { dir: `${WS}/mods`, names: ['virtio_net', 'vsock'] } });
    const plain = parse({ image: 'alpine' });
    expect([plain.network, plain.onExit, plain.initTools, plain.modules]).toEqual([undefined, undefined, undefined, undefined]);
    expect(parse({ image: 'alpine' }, { INITRAMFS_ACTION_INIT_TOOLS: 'mirror/busybox:1' }).initTools).toBe('mirror/busybox:1');
  });
  it('a wrong value names the input and the values it takes', () => {
    expect(usageError(() => parse({ image: 'alpine', network: 'DHCP' }))).toBe(`input 'network': "DHCP": expected cmdline, dhcp, none`);
    expect(usageError(() => parse({ image: 'alpine', 'on-exit': 'halt' }))).toBe(`input 'on-exit': "halt": expected poweroff, reboot, shell`);
    expect(usageError(() => parse({ image: 'alpine', init: 'i', network: 'dhcp' }))).toBe("input 'network' shapes the generated /init and cannot be used with input 'init'");
    expect(usageError(() => parse({ image: 'alpine', init: 'i', 'on-exit': 'shell', 'init-tools': 'b' }))).toBe(
      "inputs 'on-exit' and 'init-tools' shape the generated /init and cannot be used with input 'init'",
    );
    expect(usageError(() => parse({ image: 'alpine', modules: 'virtio_net' }))).toMatch(/^input 'modules-dir': empty: expected the guest kernel's/);
    expect(usageError(() => parse({ image: 'alpine', 'modules-dir': '/lib/modules/6' }))).toMatch(/^input 'modules': empty: expected module names/);
  });
});

describe('the boot-* inputs', () => {
  it('boot-test is false by default and leaves no boot settings', () => {
    expect(parse({ image: 'alpine' }).boot).toBeUndefined();
    expect(parse({ image: 'alpine', 'boot-test': 'false' }).boot).toBeUndefined();
  });

  it('boot-kernel is a file when the path exists (relative to the workspace), else an image reference', () => {
    writeFileSync(join(dir, 'vmlinuz'), 'a kernel, checked later');
    const env = { GITHUB_WORKSPACE: dir };
    const on = (kernel: string, more: Record<string, string> = {}) => parseInputs((n) => ({ image: 'alpine', 'boot-test': 'true', 'boot-kernel': kernel, ...more })[n] ?? '', env).boot;
    expect(on('vmlinuz')).toEqual({ kernel: { file: join(dir, 'vmlinuz') }, arch: 'amd64' });
    expect(on(join(dir, 'vmlinuz'))?.kernel).toEqual({ file: join(dir, 'vmlinuz') });
    expect(on('linuxkit/kernel:6.6.71')?.kernel).toEqual({ image: 'linuxkit/kernel:6.6.71' });
    expect(on('oci:/layouts/kernel:v1')?.kernel).toEqual({ image: 'oci:/layouts/kernel:v1' });
    expect(on('ghcr.io/acme/kernel@sha256:' + 'a'.repeat(64))?.kernel).toEqual({ image: 'ghcr.io/acme/kernel@sha256:' + 'a'.repeat(64) });
  });

  it('boot-expect, boot-timeout and boot-append are taken trimmed; arm64 boots as arm64', () => {
    const b = parse({ image: 'alpine', platform: 'linux/arm64', 'boot-test': ' TRUE ', 'boot-kernel': 'linuxkit/kernel:6.6.71', 'boot-expect': ' READY\n', 'boot-timeout': '3m', 'boot-append': ' ip=dhcp quiet ' }).boot;
    expect(b).toEqual({ kernel: { image: 'linuxkit/kernel:6.6.71' }, expect: 'READY', timeoutMs: 180_000, append: 'ip=dhcp quiet', arch: 'arm64' });
  });

  it('boot-test without boot-kernel says what to give', () => {
    expect(usageError(() => parse({ image: 'alpine', 'boot-test': 'true' }))).toMatch(
      /^input 'boot-kernel': empty: expected the kernel to boot when 'boot-test' is true: a kernel file in the workspace .* or an image holding one at \/kernel or \/boot\/vmlinuz\* \(a LinuxKit kernel image/,
    );
  });

  it('boot-* inputs without boot-test true are an error naming them', () => {
    expect(usageError(() => parse({ image: 'alpine', 'boot-kernel': 'linuxkit/kernel:6.6.71' }))).toBe("input 'boot-kernel' needs input 'boot-test' to be true");
    expect(usageError(() => parse({ image: 'alpine', 'boot-test': 'false', 'boot-expect': 'x', 'boot-append': 'y' }))).toBe(
      "inputs 'boot-expect' and 'boot-append' need input 'boot-test' to be true",
    );
  });

  it('a malformed value names the input and the expected form', () => {
    const base = { image: 'alpine', 'boot-test': 'true', 'boot-kernel': 'linuxkit/kernel:6.6.71' };
    expect(usageError(() => parse({ ...base, 'boot-test': 'yes' }))).toBe(`input 'boot-test': "yes": expected true or false`);
    expect(usageError(() => parse({ ...base, 'boot-timeout': 'two minutes' }))).toBe(`input 'boot-timeout': "two minutes": expected a duration such as 90s, 5m or 1m30s`);
    expect(usageError(() => parse({ ...base, 'boot-timeout': '0s' }))).toMatch(/^input 'boot-timeout': "0s"/);
    expect(usageError(() => parse({ ...base, 'boot-kernel': './build/bzImage' }))).toMatch(
      new RegExp(`^input 'boot-kernel': "\\./build/bzImage": expected a kernel file .*; there is no file '${WS}/build/bzImage'$`),
    );
    expect(usageError(() => parse({ ...base, 'boot-kernel': 'Not A Reference' }))).toMatch(/^input 'boot-kernel': "Not A Reference": .*neither a file in the workspace nor an image reference$/);
    expect(usageError(() => parse({ ...base, platform: 'linux/riscv64' }))).toBe(
      "input 'boot-test': platform linux/riscv64 cannot be booted; only linux/amd64 and linux/arm64 archives can",
    );
  });
});

describe("the 'checksums' input", () => {
  it('is a boolean, false when empty', () => {
    expect(parse({ image: 'alpine', checksums: 'true' }).checksums).toBe(true);
    expect(parse({ image: 'alpine' }).checksums).toBe(false);
    expect(usageError(() => parse({ image: 'alpine', checksums: 'yes' }))).toBe(`input 'checksums': "yes": expected true or false`);
  });
});

describe('on a Windows runner (paths with path.win32)', () => {
  const WIN_WS = 'D:\\a\\repo\\repo';
  const windows = { platform: 'win32' as const, cwd: 'D:\\a\\_temp' };
  const win = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    parseInputs((name) => inputs[name] ?? '', { GITHUB_WORKSPACE: WIN_WS, ...env }, windows);

  it('output: an absolute Windows path is kept, a relative one (either separator) starts at the workspace, the default is in it', () => {
    expect(win({ image: 'alpine', output: 'C:\\out\\initrd.cpio.gz' }).output).toBe('C:\\out\\initrd.cpio.gz');
    expect(win({ image: 'alpine', output: 'dist\\initrd.cpio.zst' })).toMatchObject({ output: `${WIN_WS}\\dist\\initrd.cpio.zst`, compression: 'zstd' });
    expect(win({ image: 'alpine', output: 'dist/initrd.cpio' })).toMatchObject({ output: `${WIN_WS}\\dist\\initrd.cpio`, compression: 'none' });
    expect(win({ image: 'alpine', output: '\\\\server\\share\\initrd.cpio.gz' }).output).toBe('\\\\server\\share\\initrd.cpio.gz');
    expect(win({ image: 'alpine' }).output).toBe(`${WIN_WS}\\alpine-latest-linux-amd64.cpio.gz`);
  });

  it('without GITHUB_WORKSPACE, relative paths start at the working directory', () => {
    expect(parseInputs((n) => ({ image: 'alpine', output: 'x.cpio.gz' })[n] ?? '', {}, windows).output).toBe('D:\\a\\_temp\\x.cpio.gz');
  });

  it('inject: drive, spaces, UNC and relative SRCs, one per line with CRLF endings; DEST stays a POSIX path', () => {
    const i = win({ image: 'alpine', inject: 'C:\\agent.exe:/usr/bin/agent\r\nC:\\dir with space\\x:/opt/x:0644\r\n\\\\server\\share\\f:/f\r\nbin\\tool:/usr/bin/tool:0700\r\nC:/x:/y\r\n' });
    expect(i.inject).toEqual([
      { source: 'C:\\agent.exe', dest: '/usr/bin/agent' },
      { source: 'C:\\dir with space\\x', dest: '/opt/x', mode: 0o644 },
      { source: '\\\\server\\share\\f', dest: '/f' },
      { source: `${WIN_WS}\\bin\\tool`, dest: '/usr/bin/tool', mode: 0o700 },
      { source: 'C:/x', dest: '/y' },
    ]);
    expect(usageError(() => win({ image: 'alpine', inject: 'C:/agent' }))).toMatch(/^input 'inject': Invalid inject 'C:\/agent': no absolute DEST after SRC \(the ":" of the drive C: is part of SRC\)/);
  });

  it('init and modules-dir are host paths like output', () => {
    expect(win({ image: 'alpine', init: 'C:\\init' }).init).toBe('C:\\init');
    expect(win({ image: 'alpine', init: 'guest\\init' }).init).toBe(`${WIN_WS}\\guest\\init`);
    expect(win({ image: 'alpine', 'modules-dir': 'kernel\\lib\\modules\\6.6.71', modules: 'virtio_net' }).modules).toEqual({ dir: `${WIN_WS}\\kernel\\lib\\modules\\6.6.71`, names: ['virtio_net'] });
  });

  it('a local source with a drive letter names the default output and artifact after its directory or file', () => {
    expect(win({ image: 'oci:C:\\layouts\\app:latest' })).toMatchObject({ output: `${WIN_WS}\\app-latest-linux-amd64.cpio.gz`, artifactName: 'app-latest-linux-amd64.cpio.gz' });
    expect(imageSlug('docker-archive:C:\\images\\img.tar.gz', 'win32')).toBe('img');
    expect(imageSlug('oci-archive:\\\\server\\share\\app.tar:v1', 'win32')).toBe('app-v1');
    expect(imageSlug('oci:layouts\\app', 'win32')).toBe('app');
  });

  it('a boot-kernel that can only be a Windows path, but names no file, is an error here rather than an image name', () => {
    const base = { image: 'alpine', 'boot-test': 'true' };
    for (const kernel of ['C:\\kernels\\bzImage', '.\\bzImage', '..\\kernels\\bzImage', '\\\\server\\share\\bzImage']) {
      expect(usageError(() => win({ ...base, 'boot-kernel': kernel })), kernel).toMatch(/expected a kernel file .*; there is no file '/);
    }
    expect(win({ ...base, 'boot-kernel': 'linuxkit/kernel:6.6.71' }).boot?.kernel).toEqual({ image: 'linuxkit/kernel:6.6.71' });
  });
});
