// output.ts: every kind of destination on real files in a scratch directory — regular files (atomic, links
// followed and kept, modes kept), FIFOs, a link to /dev/null, a process descriptor, standard output — and
// what is refused (directories, terminals, loops), with nothing left behind on abort.
import { spawnSync } from 'node:child_process';
import { createReadStream, fstatSync, openSync, closeSync, readFileSync, writeFileSync, mkdirSync, symlinkSync, lstatSync, statSync, readdirSync, readlinkSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutput, compressionFromName, isStandardOutput, openOutput, sameFile, writeOutputFile, type StandardOutput } from '../../src/output.ts';
import { failure } from '../helpers/errors.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);


const mkfifo = (path: string): void => {
  const r = spawnSync('mkfifo', [path]);
  if (r.status !== 0) throw new Error(`mkfifo: ${r.stderr}`);
};

/** Everything a reader of `fifo` receives until the writer closes. */
const readAll = (fifo: string): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    createReadStream(fifo)
      .on('data', (d) => parts.push(d as Buffer))
      .on('end', () => resolve(Buffer.concat(parts)))
      .on('error', reject);
  });

describe('regular files', () => {
  it('are written atomically: the final name holds the old bytes until commit, then all the new ones', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'out.cpio.gz');
    writeFileSync(file, 'old');
    const out = await openOutput(file);
    await out.write(Buffer.from('new '));
    await out.write(Buffer.from('bytes'));
    expect(readFileSync(file, 'utf8')).toBe('old');
    await out.commit();
    expect(readFileSync(file, 'utf8')).toBe('new bytes');
    expect(readdirSync(dir)).toEqual(['out.cpio.gz']);
  });

  it('abort leaves nothing beside the target and the target untouched', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'out.cpio');
    writeFileSync(file, 'old');
    const out = await openOutput(file);
    await out.write(Buffer.alloc(1000, 1));
    expect(readdirSync(dir)).toHaveLength(2);
    await out.abort();
    expect(readdirSync(dir)).toEqual(['out.cpio']);
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('keep the permission bits of the file they replace', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'secret.cpio');
    writeFileSync(file, 'old');
    chmodSync(file, 0o600);
    await writeOutputFile(file, 'new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('get their missing parent directories at open, and checkOutput creates none', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'a', 'b', 'c', 'out.cpio');
    await checkOutput(file);
    expect(readdirSync(dir)).toEqual([]);
    await writeOutputFile(file, 'x');
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('checkOutput leaves no probe behind in an existing directory', async () => {
    const dir = await scratchDir();
    await checkOutput(join(dir, 'out.cpio'));
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('symlinks', () => {
  it('are followed through a chain to the file, which is replaced while every link stays a link', async () => {
    const dir = await scratchDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'initrd.img'), 'old');
    symlinkSync('real/initrd.img', join(dir, 'second'));
    mkdirSync(join(dir, 'links'));
    symlinkSync('../second', join(dir, 'links', 'first'));
    await writeOutputFile(join(dir, 'links', 'first'), 'new');
    expect(lstatSync(join(dir, 'links', 'first')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'links', 'first'))).toBe('../second');
    expect(lstatSync(join(dir, 'second')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'initrd.img'), 'utf8')).toBe('new');
    expect(readdirSync(join(dir, 'real'))).toEqual(['initrd.img']);
    expect(readdirSync(join(dir, 'links'))).toEqual(['first']);
  });

  it('that dangle create the file they point to (as > does) and stay links', async () => {
    const dir = await scratchDir();
    symlinkSync('made/by/the/build.cpio', join(dir, 'link'));
    await writeOutputFile(join(dir, 'link'), 'x');
    expect(lstatSync(join(dir, 'link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made', 'by', 'the', 'build.cpio'), 'utf8')).toBe('x');
  });

  it('in a loop are one IO error before anything is written', async () => {
    const dir = await scratchDir();
    symlinkSync('b', join(dir, 'a'));
    symlinkSync('a', join(dir, 'b'));
    const e = await failure(checkOutput(join(dir, 'a')));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^output '.*\/a': too many levels of symbolic links$/);
    expect((await failure(openOutput(join(dir, 'a')))).code).toBe('IO');
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
  });

  it('to /dev/null write into the device: the link and the device stay what they were', async () => {
    const dir = await scratchDir();
    const link = join(dir, 'null');
    symlinkSync('/dev/null', link);
    const before = statSync('/dev/null');
    await checkOutput(link);
    await writeOutputFile(link, Buffer.alloc(100_000, 7));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
    expect(readdirSync(dir)).toEqual(['null']);
  });

  it('to a process descriptor (what /dev/stdout is) write into the open file instead of replacing it', async () => {
    const dir = await scratchDir();
    const file = join(dir, 'captured');
    writeFileSync(file, 'head|');
    const fd = openSync(file, 'a');
    try {
      const link = join(dir, 'stdout');
      symlinkSync(`/proc/self/fd/${fd}`, link);
      const ino = statSync(file).ino;
      await checkOutput(link);
      await writeOutputFile(link, 'archive');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(statSync(file).ino).toBe(ino);
      expect(readFileSync(file, 'utf8')).toBe('head|archive');
      expect(readdirSync(dir).sort()).toEqual(['captured', 'stdout']);
    } finally {
      closeSync(fd);
    }
  });
});

describe('FIFOs', () => {
  it('are written into and stay FIFOs', async () => {
    const dir = await scratchDir();
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    await checkOutput(fifo);
    const received = readAll(fifo);
    const data = Buffer.alloc(3 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    await writeOutputFile(fifo, data);
    expect((await received).equals(data)).toBe(true);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it('whose reader goes away give one IO error that says so', async () => {
    const dir = await scratchDir();
    const fifo = join(dir, 'pipe');
    mkfifo(fifo);
    // A reader that takes the first chunk and leaves.
    const reader = new Promise<void>((resolve) => {
      const s = createReadStream(fifo);
      s.once('data', () => {
        s.destroy();
        resolve();
      });
    });
    const out = await openOutput(fifo);
    const e = await failure(
      (async () => {
        for (let i = 0; i < 1000; i++) await out.write(Buffer.alloc(1 << 16));
      })(),
    );
    await reader;
    await out.abort();
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^output '.*pipe': cannot write: the reader went away \(broken pipe\)$/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('standard output', () => {
  const fakeStdout = (isTTY: boolean): StandardOutput & { bytes(): Buffer } => {
    const stream = new PassThrough();
    const parts: Buffer[] = [];
    stream.on('data', (d: Buffer) => parts.push(d));
    return { stream, isTTY, bytes: () => Buffer.concat(parts) };
  };

  it('- writes to standard output in order, creating no file', async () => {
    const stdout = fakeStdout(false);
    const out = await openOutput('-', { stdout });
    expect(out.display).toBe('standard output');
    await out.write(Buffer.from('cpio '));
    await out.write(Buffer.from('bytes'));
    await out.commit();
    expect(stdout.bytes().toString()).toBe('cpio bytes');
  });

  it('- is refused on a terminal, as gzip refuses, with a USAGE error; text such as a report is not', async () => {
    const e = await failure(checkOutput('-', { stdout: fakeStdout(true) }));
    expect(e.code).toBe('USAGE');
    expect(e.message).toMatch(/^output '-': standard output is a terminal; redirect it/);
    expect((await failure(openOutput('-', { stdout: fakeStdout(true) }))).code).toBe('USAGE');
    const tty = fakeStdout(true);
    await writeOutputFile('-', '{}\n', { stdout: tty, text: true, label: 'report' });
    expect(tty.bytes().toString()).toBe('{}\n');
  });

  it('a stream that fails is one IO error, not an unhandled error event', async () => {
    // What process.stdout does when the reader of its pipe has gone: the write fails, and the stream
    // emits 'error', which would end the process with a stack trace if nobody listened.
    const stream = new Writable({
      write: (_chunk, _encoding, callback) => callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    const out = await openOutput('-', { stdout: { stream, isTTY: false } });
    const e = await failure(out.write(Buffer.from('x')));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^output '-': cannot write: the reader went away/);
  });

  it('a path that names this process\'s standard output counts as standard output; other files do not', async () => {
    const dir = await scratchDir();
    expect(await isStandardOutput('-')).toBe(true);
    expect(await isStandardOutput('/proc/self/fd/1')).toBe(true);
    writeFileSync(join(dir, 'f'), '');
    expect(await isStandardOutput(join(dir, 'f'))).toBe(false);
    expect(await isStandardOutput(join(dir, 'missing'))).toBe(false);
  });
});

describe('refusals name the path and what was expected', () => {
  it('a directory, or a link to one', async () => {
    const dir = await scratchDir();
    symlinkSync('.', join(dir, 'here'));
    for (const path of [dir, join(dir, 'here')]) {
      const e = await failure(checkOutput(path));
      expect(e.code).toBe('IO');
      expect(e.message).toBe(`output '${path}': is a directory; expected a file name, a FIFO or a character device`);
    }
  });

  it('a parent that is a file', async () => {
    const dir = await scratchDir();
    writeFileSync(join(dir, 'file.txt'), '');
    for (const path of [join(dir, 'file.txt', 'sub', 'out.cpio'), join(dir, 'file.txt', 'out.cpio')]) {
      const e = await failure(checkOutput(path));
      expect(e.code).toBe('IO');
      expect(e.message).toBe(`output '${path}': ${join(dir, 'file.txt')} is not a directory`);
    }
  });

  it('a directory that takes no new file (even for root)', async () => {
    const e = await failure(checkOutput('/proc/initramfs.cpio.gz'));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/^output '\/proc\/initramfs.cpio.gz': cannot create files in \/proc: /);
    expect(existsSync('/proc/initramfs.cpio.gz')).toBe(false);
  });

  it('a long path is shortened in the message', async () => {
    const dir = await scratchDir();
    const long = join(dir, 'd'.repeat(250), 'x'.repeat(250));
    mkdirSync(long, { recursive: true });
    const e = await failure(checkOutput(long));
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).toMatch(/^output '.*…x+': is a directory/);
  });
});

describe('sameFile', () => {
  it('is the same device and inode, as for a path that names the file standard output is', () => {
    const dir = openSync('/', 'r');
    try {
      expect(sameFile(statSync('/'), fstatSync(dir))).toBe(true);
      expect(sameFile(statSync('/dev/null'), fstatSync(dir))).toBe(false);
    } finally {
      closeSync(dir);
    }
  });

  it('never holds for inode 0, which Windows reports for NUL (and older Node versions for pipes and consoles)', () => {
    expect(sameFile({ dev: 0, ino: 0 }, { dev: 0, ino: 0 })).toBe(false);
    expect(sameFile({ dev: 2_874_000_101, ino: 5_629_499_534_261_248 }, { dev: 2_874_000_101, ino: 5_629_499_534_261_248 })).toBe(true);
  });
});

describe('compressionFromName', () => {
  it('reads .gz/.tgz, .zst/.zstd and .cpio in any case, and nothing from other names', () => {
    expect(compressionFromName('/o/initramfs.cpio.gz')).toEqual({ compression: 'gzip', suffix: '.gz' });
    expect(compressionFromName('x.tgz')?.compression).toBe('gzip');
    expect(compressionFromName('x.cpio.zst')).toEqual({ compression: 'zstd', suffix: '.zst' });
    expect(compressionFromName('x.zstd')?.compression).toBe('zstd');
    expect(compressionFromName('X.CPIO')).toEqual({ compression: 'none', suffix: '.CPIO' });
    expect(compressionFromName('X.GZ')?.compression).toBe('gzip');
    for (const other of ['initrd.img', '-', '/dev/null', 'gz', 'x.gz/initrd']) expect(compressionFromName(other)).toBeUndefined();
  });

  it('reads the suffix of a Windows path on any host, and nothing from a directory name in it', () => {
    expect(compressionFromName('C:\\out\\initrd.cpio.gz')).toEqual({ compression: 'gzip', suffix: '.gz' });
    expect(compressionFromName('dist\\initrd.cpio.zst')?.compression).toBe('zstd');
    expect(compressionFromName('\\\\server\\share\\initrd.cpio')?.compression).toBe('none');
    expect(compressionFromName('C:\\x.gz\\initrd.img')).toBeUndefined();
  });
});
