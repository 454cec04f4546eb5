// Output paths through the CLI, as users meet them: `-o -` (the archive on stdout, the result lines on
// stderr, refused on a terminal), a FIFO, a link to /dev/null, a link to the process's own stdout (what
// /dev/stdout is) with stdout a pipe or a regular file, a symlink to a file, a directory, missing parents,
// and the compression a suffix implies. Every case compares bytes with a plain file build of the same
// image, and checks that special files and links are still what they were. All paths are in a scratch
// directory: the machine's /dev/stdout is never the one tested.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOciLayout, type TestEntry } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { CLI_SRC, REPO, runCli } from '../helpers/cli.ts';
import { decodeNewc } from '../../src/initramfs/newc.ts';
import { gunzipSync } from 'node:zlib';
import { initToolsImage } from '../helpers/init-tools.ts';

const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

const entries: TestEntry[] = [
  { name: 'bin', type: 'dir' },
  { name: 'bin/sh', content: '#!fake shell\n', mode: 0o755 },
  { name: 'etc', type: 'dir' },
  { name: 'etc/os-release', content: 'ID=output-paths\n' },
];

let work: string;
let image: string;
let cache: string;
/** The archive a plain `-o file.cpio.gz` build writes. */
let reference: Buffer;

interface RawResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the CLI with stdout as bytes (or into `stdoutFd`), stdin closed. */
function runRaw(args: string[], stdoutFd?: number): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_SRC, ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', INITRAMFS_ACTION_INIT_TOOLS: initToolsImage() },
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

const buildArgs = (output: string, ...more: string[]): string[] => ['build', image, '-o', output, '--cache-dir', cache, ...more];
const resultLines = (archive: Buffer): string => `digest: ${sha256(archive)}\nsize: ${archive.length}\n`;

beforeAll(async () => {
  work = await scratchDir('output-paths-');
  const layout = join(work, 'layout');
  writeOciLayout(layout, [{ ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries }] } }]);
  image = `oci:${layout}:v1`;
  cache = join(work, 'cache');
  const file = join(work, 'reference.cpio.gz');
  const r = await runCli(buildArgs(file));
  expect(r.code, r.stderr).toBe(0);
  reference = readFileSync(file);
  expect(reference.subarray(0, 2)).toEqual(GZIP_MAGIC);
});
afterAll(removeScratchDirs);

describe('-o - (standard output)', () => {
  it('writes the archive to stdout; digest and size go to stderr, and --report still works', async () => {
    const report = join(work, 'stdout-report.json');
    const r = await runRaw(buildArgs('-', '--report', report));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.equals(reference)).toBe(true);
    expect(r.stderr.endsWith(resultLines(reference))).toBe(true);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ digest: sha256(reference), size: reference.length, output: '-' });
  });

  it('is refused on a terminal, as gzip refuses, before the image is even opened; so is a link to that stdout', async () => {
    // `script` gives the CLI a pseudo-terminal as stdout; the image does not exist, so any later check
    // would print another error.
    const link = join(await scratchDir(), 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    for (const output of ['-', link]) {
      const cmd = [process.execPath, CLI_SRC, 'build', `oci:${join(work, 'no-such-layout')}`, '-o', output, '--cache-dir', cache].map((a) => `'${a}'`).join(' ');
      const r = spawnSync('script', ['-q', '-e', '-c', cmd, '/dev/null'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      expect(r.status, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toContain(`error [USAGE]: output '${output}': standard output is a terminal; redirect it to a file or a pipe`);
      expect(r.stdout).not.toMatch(/IMAGE_NOT_FOUND/);
    }
    expect(readlinkSync(link)).toBe('/proc/self/fd/1');
  });

  it('--report - writes the report to stdout and moves the result lines to stderr', async () => {
    const file = join(work, 'report-stdout.cpio.gz');
    const r = await runRaw(buildArgs(file, '--report', '-'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.toString())).toMatchObject({ digest: sha256(reference), output: file });
    expect(r.stderr.endsWith(resultLines(reference))).toBe(true);
  });

  it('refuses the archive and the report both on stdout', async () => {
    const r = await runRaw(buildArgs('-', '--report', '-'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[USAGE\]: --report: the archive already goes to standard output/m);
    expect(r.stdout.length).toBe(0);
  });
});

describe('special files are written into, never replaced', () => {
  it('a FIFO receives the archive and stays a FIFO', async () => {
    const dir = await scratchDir();
    const fifo = join(dir, 'initramfs.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const received = new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      createReadStream(fifo).on('data', (d) => parts.push(d as Buffer)).on('end', () => resolve(Buffer.concat(parts))).on('error', reject);
    });
    const r = await runRaw(buildArgs(fifo));
    expect(r.code, r.stderr).toBe(0);
    expect((await received).equals(reference)).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['initramfs.fifo']);
    expect(r.stdout.toString()).toBe(resultLines(reference));
  });

  it('a link to /dev/null writes into the device; the link and /dev/null stay what they were', async () => {
    const dir = await scratchDir();
    const link = join(dir, 'null');
    symlinkSync('/dev/null', link);
    const before = statSync('/dev/null');
    const r = await runRaw(buildArgs(link));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe(resultLines(reference));
    expect(readlinkSync(link)).toBe('/dev/null');
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev, after.mode]).toEqual([before.ino, before.rdev, before.mode]);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('a link to the process\'s stdout (what /dev/stdout is) puts the archive on the pipe and the result lines on stderr', async () => {
    const dir = await scratchDir();
    const link = join(dir, 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    const r = await runRaw(buildArgs(link));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.equals(reference)).toBe(true);
    expect(r.stderr.endsWith(resultLines(reference))).toBe(true);
    expect(readlinkSync(link)).toBe('/proc/self/fd/1');
    expect(readdirSync(dir)).toEqual(['stdout']);
  });

  it('the same link with stdout redirected to a file writes into that file, which is not replaced', async () => {
    const dir = await scratchDir();
    const link = join(dir, 'stdout');
    symlinkSync('/proc/self/fd/1', link);
    const captured = join(dir, 'captured.cpio.gz');
    const fd = openSync(captured, 'w');
    const ino = statSync(captured).ino;
    let r: RawResult;
    try {
      r = await runRaw(buildArgs(link), fd);
    } finally {
      closeSync(fd);
    }
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(captured).equals(reference)).toBe(true);
    expect(statSync(captured).ino).toBe(ino);
    expect(r.stderr.endsWith(resultLines(reference))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['captured.cpio.gz', 'stdout']);
  });
});

describe('regular files', () => {
  it('a symlink is followed: the file it points to is replaced atomically and the link kept', async () => {
    const dir = await scratchDir();
    mkdirSync(join(dir, 'releases'));
    writeFileSync(join(dir, 'releases', 'initrd-v2.img'), 'previous build');
    symlinkSync('releases/initrd-v2.img', join(dir, 'initrd.img'));
    const r = await runRaw(buildArgs(join(dir, 'initrd.img')));
    expect(r.code, r.stderr).toBe(0);
    expect(readlinkSync(join(dir, 'initrd.img'))).toBe('releases/initrd-v2.img');
    expect(readFileSync(join(dir, 'releases', 'initrd-v2.img')).equals(reference)).toBe(true);
    expect(readdirSync(join(dir, 'releases'))).toEqual(['initrd-v2.img']);
    expect(readdirSync(dir).sort()).toEqual(['initrd.img', 'releases']);
  });

  it('missing parent directories are created', async () => {
    const dir = await scratchDir();
    const out = join(dir, 'dist', 'x86_64', 'initramfs.cpio.gz');
    const r = await runRaw(buildArgs(out));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out).equals(reference)).toBe(true);
  });

  it('a directory is one IO error, and nothing is written into it', async () => {
    const dir = await scratchDir();
    const r = await runRaw(buildArgs(dir));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[IO\]: output '.*': is a directory; expected a file name, a FIFO or a character device$/m);
    expect(r.stderr).not.toMatch(/resolving/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed build leaves nothing beside the file a link points to, and the file untouched', async () => {
    const dir = await scratchDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'out.cpio.gz'), 'previous build');
    symlinkSync('real/out.cpio.gz', join(dir, 'link.cpio.gz'));
    // Fails after the pull: the exclude is fine, the image has no such tag.
    const r = await runRaw(['build', image.replace(/:v1$/, ':v2'), '-o', join(dir, 'link.cpio.gz'), '--cache-dir', cache]);
    expect(r.code).toBe(1);
    expect(readdirSync(join(dir, 'real'))).toEqual(['out.cpio.gz']);
    expect(readFileSync(join(dir, 'real', 'out.cpio.gz'), 'utf8')).toBe('previous build');
    expect(lstatSync(join(dir, 'link.cpio.gz')).isSymbolicLink()).toBe(true);
  });
});

describe('compression and suffix', () => {
  it('.cpio, .zst and .gz imply their compression', async () => {
    const dir = await scratchDir();
    for (const [name, check] of [
      ['a.cpio', (b: Buffer) => expect(decodeNewc(b).map((r) => r.name)).toContain('etc/os-release')],
      ['a.cpio.zst', (b: Buffer) => expect(b.subarray(0, 4)).toEqual(ZSTD_MAGIC)],
      ['a.cpio.gz', (b: Buffer) => expect(b.equals(reference)).toBe(true)],
    ] as const) {
      const r = await runRaw(buildArgs(join(dir, name)));
      expect(r.code, r.stderr).toBe(0);
      check(readFileSync(join(dir, name)));
    }
  });

  it('an explicit --compression that contradicts the suffix is exit 2 naming both, with nothing written', async () => {
    const dir = await scratchDir();
    const r = await runRaw(buildArgs(join(dir, 'initramfs.cpio.gz'), '--compression', 'zstd'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \[USAGE\]: --compression zstd contradicts -o '.*initramfs.cpio.gz' \(.gz means gzip\)/m);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('another name (initrd.img) takes --compression, else gzip', async () => {
    const dir = await scratchDir();
    const plain = await runRaw(buildArgs(join(dir, 'initrd.img')));
    expect(plain.code, plain.stderr).toBe(0);
    expect(readFileSync(join(dir, 'initrd.img')).equals(reference)).toBe(true);
    const zstd = await runRaw(buildArgs(join(dir, 'initrd-zstd.img'), '-c', 'zstd'));
    expect(zstd.code, zstd.stderr).toBe(0);
    expect(readFileSync(join(dir, 'initrd-zstd.img')).subarray(0, 4)).toEqual(ZSTD_MAGIC);
    const none = await runRaw(buildArgs('-', '-c', 'none'));
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout.equals(gunzipSync(reference))).toBe(true);
  });
});
