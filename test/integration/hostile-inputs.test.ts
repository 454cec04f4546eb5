// Hostile inputs, generated in code, one row each: a name (the behaviour pinned), an input builder and what
// must come of it — one `error [CODE]: …` line, or a correct build checked on the extracted archive (and
// against umoci where that is the reference). Every row is also held to what the tool promises whatever the
// input (helpers/hostile.ts): exit 0, 1 or 2 and never 70, no stack trace, short lines, nothing left in the
// cache's tmp/ or at a failed output, nothing outside the cache and the output touched (inputs, a canary
// directory the image aims at, HOME, TMPDIR, cwd), a bounded time; its time, peak RSS and bytes written are
// measured and printed at the end. A new class of hostile input is one more row.
import { afterAll, describe, expect, it } from 'vitest';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync, constants as zc } from 'node:zlib';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { blobPath, buildTar, writeOciLayout, type TestEntry, type TestLayer } from '../helpers/image.ts';
import { formatMeasured, runHostileCase, SECRET, stopHostileRegistry, type HostileCase, type HostileContext } from '../helpers/hostile.ts';
import { END, fixChecksum, gzipWithZeros, headerOf, patchHeader, paxRecord, rawPaxEntry, setBase256Size } from '../helpers/tar-craft.ts';
import { removeScratchDirs, type Tree } from '../helpers/tree.ts';

afterAll(async () => {
  console.log(`hostile inputs, what each run cost:\n${formatMeasured()}`);
  await stopHostileRegistry();
  await removeScratchDirs();
});

/** A FIFO at `path` (Node has no mkfifo). */
const mkfifo = (path: string): void => void execFileSync('mkfifo', [path]);

const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** An OCI layout of one image (`v1`) with these layers, under ctx.dir; returns its reference. */
function layout(ctx: HostileContext, layers: TestLayer[]): string {
  const dir = join(ctx.dir, 'layout');
  writeOciLayout(dir, [{ ref: 'v1', image: { layers } }]);
  return `oci:${dir}:v1`;
}

/** A layout whose only layer is `tar` as it is (uncompressed), or `blob` stored as given. */
const rawLayer = (ctx: HostileContext, tar: Buffer, compression: TestLayer['compression'] = 'none', blob?: Buffer): string =>
  layout(ctx, [{ entries: [], tar, compression, ...(blob && { blob }) }]);

const f = (name: string, content = name, extra: Partial<TestEntry> = {}): TestEntry => ({ name, content, ...extra });
const d = (name: string): TestEntry => ({ name, type: 'dir' });
const link = (name: string, linkname: string): TestEntry => ({ name, type: 'symlink', linkname });
const hard = (name: string, linkname: string): TestEntry => ({ name, type: 'hardlink', linkname });

/** Bytes that do not compress, the same every run (sha256 in counter mode). */
function noise(n: number, seed = 1): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i * 32 < n; i++) blocks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, n);
}

/** The first half of a compressed stream: cut in the middle of its data. */
const half = (blob: Buffer): Buffer => blob.subarray(0, blob.length >> 1);

const flipBit = (blob: Buffer, at: number): Buffer => {
  const out = Buffer.from(blob);
  out[at]! ^= 0x10;
  return out;
};

/** The layout's files (oci-layout, index.json, blobs) as tar entries, index.json left out. */
function layoutEntries(dir: string): TestEntry[] {
  const entries: TestEntry[] = [d('blobs/'), d('blobs/sha256/'), f('oci-layout', readFileSync(join(dir, 'oci-layout'), 'latin1'))];
  for (const hex of readdirSync(join(dir, 'blobs', 'sha256'))) entries.push({ name: `blobs/sha256/${hex}`, content: readFileSync(join(dir, 'blobs', 'sha256', hex)) });
  return entries;
}

/**
 * A tar of `entries`, then a member `name` of `size` bytes that begins with `head` and is otherwise a hole:
 * written sparse, so a document of hundreds of megabytes costs a few kilobytes of disk and none of memory.
 */
function tarWithHugeMember(file: string, entries: TestEntry[], name: string, size: number, head: Buffer): void {
  const before = buildTar(entries).subarray(0, -END.length);
  const header = headerOf({ name });
  header.write(size.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
  fixChecksum(header);
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, before);
    writeSync(fd, header);
    writeSync(fd, head);
    writeSync(fd, END, 0, END.length, before.length + 512 + Math.ceil(size / 512) * 512);
  } finally {
    closeSync(fd);
  }
}

/** The small image the document rows start from. */
const plainImage = (ctx: HostileContext): { dir: string; ref: string } => {
  const dir = join(ctx.dir, 'layout');
  writeOciLayout(dir, [{ ref: 'v1', image: { layers: [{ entries: [f('etc/hostname', 'box\n')] }] } }]);
  return { dir, ref: `oci:${dir}:v1` };
};

/** The config descriptor of a layout's single image, and a function to rewrite its manifest. */
function configOf(dir: string): { digest: string; rewrite: (change: (m: { config: { size: number; digest: string } }) => void) => void } {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; size: number }[] };
  const top = index.manifests[0]!;
  const manifest = JSON.parse(readFileSync(blobPath(dir, top.digest), 'utf8')) as { config: { size: number; digest: string } };
  return {
    digest: manifest.config.digest,
    rewrite: (change) => {
      change(manifest);
      const bytes = Buffer.from(JSON.stringify(manifest));
      writeFileSync(blobPath(dir, sha256(bytes)), bytes);
      top.digest = sha256(bytes);
      top.size = bytes.length;
      writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    },
  };
}

/** Pushes blobs and a manifest to the registry as they are (no tool in between to fix them up). */
async function pushRaw(host: string, repo: string, tag: string, blobs: Buffer[], manifest: Buffer, mediaType: string): Promise<void> {
  for (const blob of blobs) {
    const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
    if (start.status !== 202) throw new Error(`upload start: HTTP ${start.status}`);
    const location = new URL(start.headers.get('location')!, `http://${host}`);
    location.searchParams.set('digest', sha256(blob));
    const put = await fetch(location, { method: 'PUT', body: blob, headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob upload: HTTP ${put.status} ${await put.text()}`);
  }
  const put = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': mediaType } });
  if (put.status !== 201) throw new Error(`manifest upload: HTTP ${put.status} ${await put.text()}`);
}

const paths = (tree: Tree): string[] => [...tree.keys()];
const has = (tree: Tree, p: string): boolean => tree.has(p);
/** A file's content as the archive holds it, by size and hash. */
const fileIs = (tree: Tree, p: string, content: string): void =>
  expect(tree.get(p), p).toMatchObject({ type: 'file', size: content.length, sha256: createHash('sha256').update(content, 'latin1').digest('hex') });

const GiB = 1 << 30;
const MB = 1_000_000;
/** Where a hostile name aims on the host: the canary directory, as a path relative to "/". */
const hostRel = (ctx: HostileContext): string => ctx.canary.slice(1);
const UP = '../'.repeat(20);

const compressionCases: HostileCase[] = [
  {
    name: 'a gzip layer cut short (its digest matching the cut bytes) fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.alloc(0), 'gzip', half(gzipSync(buildTar([f('big', noise(200_000).toString('latin1'))])))),
    expect: { error: 'BAD_LAYER', message: /gzip stream is corrupt or truncated|tar is corrupt or truncated/ },
  },
  {
    name: 'a zstd layer cut short fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.alloc(0), 'zstd', half(zstdCompressSync(buildTar([f('big', noise(200_000).toString('latin1'))])))),
    expect: { error: 'BAD_LAYER', message: /zstd stream is corrupt or truncated|tar is corrupt or truncated/ },
  },
  {
    name: 'a gzip layer with one bit flipped fails with BAD_LAYER',
    input: (ctx) => {
      const blob = gzipSync(buildTar([f('a', noise(100_000, 7).toString('latin1')), f('b', 'text '.repeat(20_000))]));
      return rawLayer(ctx, Buffer.alloc(0), 'gzip', flipBit(blob, blob.length >> 1));
    },
    expect: { error: 'BAD_LAYER', message: /corrupt or truncated/ },
  },
  {
    name: 'a zstd layer with one bit flipped fails with BAD_LAYER',
    input: (ctx) => {
      const tar = buildTar([f('a', noise(100_000, 9).toString('latin1')), f('b', 'text '.repeat(20_000))]);
      const blob = zstdCompressSync(tar, { params: { [zc.ZSTD_c_checksumFlag]: 1 } });
      return rawLayer(ctx, Buffer.alloc(0), 'zstd', flipBit(blob, blob.length >> 1));
    },
    expect: { error: 'BAD_LAYER', message: /corrupt or truncated/ },
  },
  {
    name: 'a layer that is no compressed stream at all fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.alloc(0), 'gzip', noise(5000, 3)),
    expect: { error: 'BAD_LAYER', message: /gzip stream is corrupt/ },
  },
];

const headerCases: HostileCase[] = [
  {
    name: 'a tar header with a wrong checksum fails with BAD_LAYER naming its place',
    input: (ctx) => {
      const tar = buildTar([f('a'), f('b')]);
      tar[1024 + 3]! ^= 0x01; // the second header's name
      return rawLayer(ctx, tar);
    },
    expect: { error: 'BAD_LAYER', message: /bad tar header checksum at byte 1024/ },
  },
  {
    name: 'a file of 8 GiB of zeros (8 MB of gzip) is refused at its header: nothing inflated, nothing spooled',
    input: (ctx) => {
      const header = setBase256Size(headerOf({ name: 'var/lib/disk.img' }), 8n * BigInt(GiB));
      return rawLayer(ctx, Buffer.alloc(0), 'gzip', gzipWithZeros(Buffer.concat([buildTar([f('etc/hostname')]).subarray(0, -1024), header]), 8 * GiB, END));
    },
    expect: { error: 'ARCHIVE_LIMIT', message: /file 'var\/lib\/disk\.img' is 8589934592 bytes; newc cannot store a file of 4 GiB or more/ },
    limits: { seconds: 20, writtenMiB: 1 },
  },
  {
    name: 'a header claiming a 1 TiB file with no data behind it is refused at the header',
    input: (ctx) => rawLayer(ctx, Buffer.concat([setBase256Size(headerOf({ name: 'huge' }), 1n << 40n), END])),
    expect: { error: 'ARCHIVE_LIMIT', message: /'huge' is 1099511627776 bytes/ },
    limits: { seconds: 20, writtenMiB: 1 },
  },
  {
    name: 'a negative size (base-256) fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.concat([setBase256Size(headerOf({ name: 'neg' }), -4096n), END])),
    expect: { error: 'BAD_LAYER', message: /negative size -4096/ },
  },
  {
    name: 'a size field that is not a number fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.concat([patchHeader(headerOf({ name: 'x' }), 124, '000000\x1b[2J\0'), END])),
    expect: { error: 'BAD_LAYER', message: /bad number '000000\\x1b\[2J/ },
  },
  {
    name: 'a GNU long-name entry of 1 TiB is refused before any of it is held',
    input: (ctx) => {
      const h = patchHeader(headerOf({ name: '././@LongLink' }), 156, 'L');
      return rawLayer(ctx, Buffer.concat([setBase256Size(h, 1n << 40n), END]));
    },
    expect: { error: 'BAD_LAYER', message: /'L' meta entry of 1099511627776 bytes/ },
    limits: { seconds: 20, rssMiB: 300 },
  },
  {
    name: 'a malformed pax record fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.concat([rawPaxEntry('99 path=short\n'), buildTar([f('a')])])),
    expect: { error: 'BAD_LAYER', message: /malformed pax record/ },
  },
  {
    name: 'a pax size that is not a byte count fails with BAD_LAYER',
    input: (ctx) => rawLayer(ctx, Buffer.concat([rawPaxEntry(paxRecord('size', '-1')), buildTar([f('a')])])),
    expect: { error: 'BAD_LAYER', message: /pax size '-1' is not a byte count/ },
  },
  {
    name: 'a pax mtime that is not a number fails with BAD_LAYER naming the entry',
    input: (ctx) => layout(ctx, [{ entries: [f('etc/a', 'a', { pax: { mtime: 'yesterday' } })] }]),
    expect: { error: 'BAD_LAYER', message: /entry 'etc\/a' has pax mtime='yesterday', not a number/ },
  },
  {
    name: 'GNU long names of 3,000 bytes build, the name kept whole',
    input: (ctx) => layout(ctx, [{ entries: [f(`${'long-dir/'.repeat(333)}file`, 'deep')], tarOptions: { longNames: 'gnu' } }]),
    expect: { build: (tree) => fileIs(tree, `/${'long-dir/'.repeat(333)}file`, 'deep') },
  },
  {
    name: 'links, devices, directories and FIFOs carry no data whatever their size says: the next header follows',
    input: (ctx) => {
      const sized = (e: TestEntry): Buffer => patchHeader(headerOf(e), 124, '00000001750\0');
      return rawLayer(ctx, Buffer.concat([sized(d('dir/')), sized(link('sym', 'dir')), sized({ name: 'fifo', type: 'fifo' }), buildTar([f('after', 'after')])]));
    },
    expect: { build: (tree) => {
      expect(tree.get('/sym')).toMatchObject({ type: 'symlink', target: 'dir' });
      expect(tree.get('/fifo')?.type).toBe('fifo');
      fileIs(tree, '/after', 'after');
    } },
  },
];

const endCases: HostileCase[] = [
  {
    name: 'an eStargz-like layer: the index after the end of its tar is not in the initramfs, as umoci sees it',
    input: (ctx) => {
      const tar = buildTar([d('app/'), f('app/main', 'main')]);
      const index = buildTar([f('stargz.index.json', '{"version":1,"entries":[]}')]);
      return rawLayer(ctx, Buffer.concat([tar, index]), 'gzip', Buffer.concat([gzipSync(tar), gzipSync(index)]));
    },
    expect: { build: (tree) => {
      fileIs(tree, '/app/main', 'main');
      expect(has(tree, '/stargz.index.json')).toBe(false);
    }, sameAsUmoci: true },
    warnings: [/its tar ends at byte 1536, and the data after that is not part of the layer/],
  },
  {
    name: 'an /etc/passwd hidden after the end of the tar does not replace the real one, as umoci sees it',
    input: (ctx) =>
      rawLayer(ctx, Buffer.concat([buildTar([d('etc/'), f('etc/passwd', 'root:x:0:0::/root:/bin/sh\n')]), buildTar([f('etc/passwd', 'evil::0:0::/:/bin/sh\n'), f('etc/shadow', 'evil')])])),
    expect: { build: (tree) => {
      fileIs(tree, '/etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
      expect(has(tree, '/etc/shadow')).toBe(false);
    }, sameAsUmoci: true },
    warnings: [/its tar ends at byte 1536, and the data after that is not part of the layer/],
  },
  {
    name: 'one zero block ends the tar: a header after it is not read',
    input: (ctx) => rawLayer(ctx, Buffer.concat([buildTar([f('kept', 'kept')]).subarray(0, 1024), Buffer.alloc(512), buildTar([f('hidden', 'hidden')])])),
    expect: { build: (tree) => {
      fileIs(tree, '/kept', 'kept');
      expect(has(tree, '/hidden')).toBe(false);
    } },
    warnings: [/its tar ends at byte 1024/],
  },
  {
    name: 'megabytes of zeros after the end of the tar are padding: a build without a warning',
    input: (ctx) => rawLayer(ctx, Buffer.concat([buildTar([f('kept', 'kept')]), Buffer.alloc(3 << 20)]), 'gzip'),
    expect: { build: (tree) => fileIs(tree, '/kept', 'kept'), sameAsUmoci: true },
    warnings: [],
  },
];

const linkCases: HostileCase[] = [
  {
    name: 'a hardlink cycle (a → b, b → a) is dropped, both names, with warnings',
    input: (ctx) => layout(ctx, [{ entries: [f('keep'), hard('a', 'b'), hard('b', 'a'), hard('self', 'self')] }]),
    expect: { build: (tree) => expect(paths(tree).filter((p) => ['/a', '/b', '/self'].includes(p))).toEqual([]) },
    warnings: [/dropped entry 'a': hardlink target '\/b': \/b does not exist/, /dropped entry 'b': hardlink target '\/a'/, /dropped entry 'self'/],
  },
  {
    name: 'a hardlink to a directory is dropped with a warning',
    input: (ctx) => layout(ctx, [{ entries: [d('etc/'), f('etc/x'), hard('l', 'etc')] }]),
    expect: { build: (tree) => expect(has(tree, '/l')).toBe(false) },
    warnings: [/dropped entry 'l': hardlink target '\/etc' is a directory/],
  },
  {
    name: 'a hardlink through a symlink loop is dropped with a warning',
    input: (ctx) => layout(ctx, [{ entries: [link('x', 'y'), link('y', 'x'), hard('l', 'x/f')] }]),
    expect: { build: (tree) => expect(has(tree, '/l')).toBe(false) },
    warnings: [/dropped entry 'l': .*too many levels of symbolic links/],
  },
  {
    name: 'a write through a symlink loop is dropped with a warning',
    input: (ctx) => layout(ctx, [{ entries: [link('loop1', 'loop2'), link('loop2', 'loop1'), link('self', 'self'), f('loop1/x'), f('self/y')] }]),
    expect: { build: (tree) => expect(paths(tree).filter((p) => p.startsWith('/loop1/') || p.startsWith('/self/'))).toEqual([]) },
    warnings: [/dropped entry 'loop1\/x': .*too many levels of symbolic links/, /dropped entry 'self\/y': .*too many levels/],
  },
  {
    name: 'a chain of 40 symlinks resolves; one of 41 is dropped',
    input: (ctx) => {
      const chain = (p: string, n: number): TestEntry[] => [
        d(`${p}0/`),
        ...Array.from({ length: n }, (_, i) => link(`${p}${i + 1}`, `${p}${i}`)),
        f(`${p}${n}/file`, p),
      ];
      return layout(ctx, [{ entries: [...chain('ok', 40), ...chain('long', 41)] }]);
    },
    expect: { build: (tree) => {
      fileIs(tree, '/ok0/file', 'ok');
      expect(has(tree, '/long0/file')).toBe(false);
    } },
    warnings: [/dropped entry 'long41\/file': .*too many levels of symbolic links/],
  },
  {
    name: 'a write through a symlink whose target is 200,000 "./" components costs linear time',
    input: (ctx) => layout(ctx, [{ entries: [d('real/'), link('wide', `${'./'.repeat(200_000)}real`), f('wide/x', 'x'), { name: 'wide', type: 'dir' }] }]),
    expect: { build: (tree) => fileIs(tree, '/real/x', 'x') },
    limits: { seconds: 30 },
  },
  {
    name: 'a symlink whose target is most of a MiB cannot be in newc: ARCHIVE_LIMIT, the message short',
    input: (ctx) => layout(ctx, [{ entries: [link('big-target', `/${'t'.repeat(900_000)}`)] }]),
    expect: { error: 'ARCHIVE_LIMIT', message: /^error \[ARCHIVE_LIMIT\]: big-target: symlink target is 900001 bytes/ },
  },
];

const whiteoutCases: HostileCase[] = [
  {
    name: 'a whiteout of ".." (.wh...) is dropped with a warning and deletes nothing',
    input: (ctx) => layout(ctx, [{ entries: [d('a/'), f('a/x'), f('y')] }, { entries: [f('a/.wh...', ''), f('.wh...', '')] }]),
    expect: { build: (tree) => {
      fileIs(tree, '/a/x', 'a/x');
      fileIs(tree, '/y', 'y');
    } },
    warnings: [/dropped entry 'a\/\.wh\.\.\.': whiteout of "\.\."/, /dropped entry '\.wh\.\.\.': whiteout of "\.\."/],
  },
  {
    name: 'whiteouts of "." and of nothing (.wh.., .wh.) are ignored and delete nothing',
    input: (ctx) => layout(ctx, [{ entries: [d('a/'), f('a/x')] }, { entries: [f('a/.wh..', ''), f('a/.wh.', ''), f('.wh..', '')] }]),
    expect: { build: (tree) => fileIs(tree, '/a/x', 'a/x') },
    warnings: [],
  },
  {
    name: 'an opaque whiteout of "/" empties the lower layers and keeps its own layer',
    input: (ctx) => layout(ctx, [{ entries: [d('old/'), f('old/x'), f('gone')] }, { entries: [f('.wh..wh..opq', ''), f('new')] }]),
    expect: { build: (tree) => {
      expect(paths(tree).filter((p) => p.startsWith('/old') || p === '/gone')).toEqual([]);
      fileIs(tree, '/new', 'new');
    }, sameAsUmoci: true },
  },
  {
    name: 'a whiteout climbing out with ".." to the host is dropped and deletes nothing there',
    input: (ctx) => layout(ctx, [{ entries: [f('victim')] }, { entries: [f(`${UP}${hostRel(ctx)}/.wh.secret`, ''), f('../.wh.victim', '')] }]),
    expect: { build: (tree) => fileIs(tree, '/victim', 'victim') },
    warnings: [/dropped entry '(\.\.\/)+.*\.wh\.secret': name has a "\.\." component/, /dropped entry '\.\.\/\.wh\.victim'/],
  },
  {
    name: 'a whiteout through a symlink to the host deletes nothing there',
    input: (ctx) => layout(ctx, [{ entries: [link('hostdir', ctx.canary)] }, { entries: [f('hostdir/.wh.secret', '')] }]),
    expect: { build: (tree, _run, ctx) => expect(tree.get('/hostdir')).toMatchObject({ type: 'symlink', target: ctx.canary }) },
  },
];

const nameCases: HostileCase[] = [
  {
    name: 'a name climbing out with ".." is dropped with a warning naming it',
    input: (ctx) => layout(ctx, [{ entries: [f(`${UP}${hostRel(ctx)}/dotdot-write`, 'escaped?'), f('a/../../dotdot-inner', 'escaped?')] }]),
    expect: { build: (tree) => expect(paths(tree).filter((p) => p.includes('dotdot'))).toEqual([]) },
    warnings: [/dropped entry '.*dotdot-write': name has a "\.\." component/, /dropped entry 'a\/\.\.\/\.\.\/dotdot-inner'/],
  },
  {
    name: 'an absolute name is confined to the root',
    input: (ctx) => layout(ctx, [{ entries: [f(`${ctx.canary}/absolute-write`, 'confined')] }]),
    expect: { build: (tree, _run, ctx) => fileIs(tree, `${ctx.canary}/absolute-write`, 'confined') },
  },
  {
    name: 'a write through an absolute symlink lands inside the root',
    input: (ctx) => layout(ctx, [{ entries: [d('etc/'), f('etc/passwd', 'image passwd'), link('evil', '/etc')] }, { entries: [f('evil/passwd', 'through evil')] }]),
    expect: { build: (tree) => {
      fileIs(tree, '/etc/passwd', 'through evil');
      expect(tree.get('/evil')).toMatchObject({ type: 'symlink', target: '/etc' });
    }, sameAsUmoci: true },
  },
  {
    name: 'a write through a ".." symlink stops at the root',
    input: (ctx) => layout(ctx, [{ entries: [link('up', UP.slice(0, -1))] }, { entries: [f('up/through-up', 'through up')] }]),
    expect: { build: (tree) => fileIs(tree, '/through-up', 'through up'), sameAsUmoci: true },
  },
  {
    name: 'a write through a symlink to a host directory stays in the image',
    input: (ctx) => layout(ctx, [{ entries: [link('hostdir', ctx.canary)] }, { entries: [f('hostdir/through-hostdir', 'in the image')] }]),
    expect: { build: (tree, _run, ctx) => fileIs(tree, `${ctx.canary}/through-hostdir`, 'in the image') },
  },
  {
    name: 'an entry under a regular file is dropped with a warning',
    input: (ctx) => layout(ctx, [{ entries: [f('plain', 'a file'), f('plain/child')] }]),
    expect: { build: (tree) => fileIs(tree, '/plain', 'a file') },
    warnings: [/dropped entry 'plain\/child': \/plain is not a directory/],
  },
  {
    name: 'hardlinks to host files (by "..", absolute, or through a symlink) never reach them',
    input: (ctx) =>
      layout(ctx, [
        { entries: [link('hostdir', ctx.canary)] },
        { entries: [hard('link-dotdot', `${UP}${hostRel(ctx)}/secret`), hard('link-absolute', `${ctx.canary}/secret`), hard('link-through-symlink', 'hostdir/secret')] },
      ]),
    expect: { build: (tree) => {
      expect(paths(tree).filter((p) => p.startsWith('/link-'))).toEqual([]);
      for (const [, e] of tree) if (e.type === 'file') expect(e.size).not.toBe(SECRET.length);
    } },
    warnings: [/dropped entry 'link-dotdot'/, /dropped entry 'link-absolute': .*does not exist/, /dropped entry 'link-through-symlink': .*does not exist/],
  },
  {
    name: 'a name with terminal escapes is shown escaped in its warning',
    input: (ctx) => layout(ctx, [{ entries: [f('../\x1b]0;pwned\x07\x1b[2J', 'x')] }]),
    expect: { build: () => {} },
    warnings: [/dropped entry '\.\.\/\\x1b\]0;pwned\\x07\\x1b\[2J'/],
  },
  {
    name: 'a dropped name of most of a MiB makes a warning of one short line',
    input: (ctx) => layout(ctx, [{ entries: [f(`../${'n'.repeat(900_000)}`, 'x')] }]),
    expect: { build: () => {} },
    warnings: [/dropped entry '\.\.\/n+…n+': name has a "\.\." component$/],
  },
  {
    name: 'a kept name of most of a MiB cannot be in newc: ARCHIVE_LIMIT in one short line',
    input: (ctx) => layout(ctx, [{ entries: [f('n'.repeat(900_000), 'x')] }]),
    expect: { error: 'ARCHIVE_LIMIT', message: /'n+…n+': the path is 900000 bytes/ },
  },
  {
    name: 'a tree 4,500 directories deep builds, or fails with ARCHIVE_LIMIT for names beyond PATH_MAX',
    input: (ctx) => layout(ctx, [{ entries: [f(`${'d/'.repeat(4500)}leaf`, 'deep')] }]),
    // 4,500 levels of "d/" is 9,004 bytes: over PATH_MAX, decided on the final tree without recursion.
    expect: { error: 'ARCHIVE_LIMIT', message: /'d\/d\/.*….*': the path is 4097 bytes, 2049 names deep/ },
  },
];

const documentCases: HostileCase[] = [
  {
    name: 'an index.json of 600 MB in a layout is refused as too large before it is read',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      truncateSync(join(dir, 'index.json'), 600 * MB);
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /index\.json is too large: 600000000 bytes, where an image document may have at most 4 MiB/ },
    limits: { seconds: 20, rssMiB: 200 },
  },
  {
    name: 'an index.json of 600 MB in an oci-archive is refused as too large before it is read',
    input: (ctx) => {
      const { dir } = plainImage(ctx);
      const file = join(ctx.dir, 'image.tar');
      tarWithHugeMember(file, layoutEntries(dir), 'index.json', 600 * MB, readFileSync(join(dir, 'index.json')));
      rmSync(dir, { recursive: true });
      return `oci-archive:${file}:v1`;
    },
    expect: { error: 'BAD_IMAGE', message: /index\.json is too large: 600000000 bytes/ },
    limits: { seconds: 20, rssMiB: 200 },
  },
  {
    name: 'a manifest.json of 300 MB in a docker-archive is refused as too large before it is read',
    input: (ctx) => {
      const file = join(ctx.dir, 'image.tar');
      tarWithHugeMember(file, [], 'manifest.json', 300 * MB, Buffer.from('[{"Config":"c.json","Layers":[]}]'));
      return `docker-archive:${file}`;
    },
    expect: { error: 'BAD_IMAGE', message: /manifest\.json is too large: 300000000 bytes/ },
    limits: { seconds: 20, rssMiB: 200 },
  },
  {
    name: 'a config of 300 MB in a layout is refused on its descriptor, before it is read',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      const big = `sha256:${'e'.repeat(64)}`;
      // A blob of that size, sparse (its digest is made up: it is refused before it could be checked).
      writeFileSync(blobPath(dir, big), '{');
      truncateSync(blobPath(dir, big), 300 * MB);
      configOf(dir).rewrite((m) => {
        m.config.size = 300 * MB;
        m.config.digest = big;
      });
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /config sha256:e{64} is too large: 300000000 bytes/ },
    limits: { seconds: 20, rssMiB: 200 },
  },
  {
    name: 'a config of 300 MB named by a registry manifest is refused before a byte of it is downloaded',
    input: async (ctx) => {
      const registry = await ctx.registry();
      const layer = gzipSync(buildTar([f('etc/hostname', 'box\n')]));
      const config = Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}');
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: 300 * MB },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
        }),
      );
      await pushRaw(registry.host, 'hostile/big-config', 'v1', [layer, config], manifest, 'application/vnd.oci.image.manifest.v1+json');
      return `${registry.host}/hostile/big-config:v1`;
    },
    expect: { error: 'BAD_IMAGE', message: /config sha256:[0-9a-f]{64} is too large: 300000000 bytes/ },
    limits: { seconds: 30, rssMiB: 250 },
  },
  {
    name: 'an index.json of 4 MiB of "[" (the costliest JSON under the limit) fails as invalid JSON in bounded memory',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      writeFileSync(join(dir, 'index.json'), '['.repeat((4 << 20) - 1));
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /index\.json: not valid JSON/ },
    limits: { seconds: 30, rssMiB: 500 },
  },
  {
    name: 'a media type of a MiB of terminal escapes is shown escaped and short',
    input: (ctx) => {
      const { dir } = plainImage(ctx);
      const mediaType = `\x1b[31m${'m'.repeat(1 << 20)}`;
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType, digest: `sha256:${'0'.repeat(64)}`, size: 1 }] }));
      return `oci:${dir}`;
    },
    expect: { error: 'UNSUPPORTED', message: /has media type '\\x1b\[31mm+…m+', which is neither an image manifest nor an index/ },
  },
  {
    name: 'an index of 5,000 platforms is not listed whole when none matches',
    input: (ctx) => {
      const { dir } = plainImage(ctx);
      const manifests = Array.from({ length: 5000 }, (_, i) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${'1'.repeat(64)}`,
        size: 1,
        platform: { os: 'linux', architecture: `arch${String(i).padStart(4, '0')}` },
      }));
      const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }));
      writeFileSync(blobPath(dir, sha256(index)), index);
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(index), size: index.length }] }));
      return `oci:${dir}`;
    },
    expect: { error: 'PLATFORM_NOT_FOUND', message: /available: linux\/arch0000, .*linux\/arch0019 and 4980 more$/ },
  },
  {
    name: 'a document with terminal escapes in it is quoted escaped in the JSON error',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      writeFileSync(join(dir, 'index.json'), '\x1b]0;pwned\x07\x1b[2J');
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /not valid JSON \(Unexpected token '\\x1b', "\\x1b\]0;pwned\\x07\\x1b\[2J"/ },
  },
];

const fileTypeCases: HostileCase[] = [
  {
    name: 'a FIFO where index.json should be is an error, not a block',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      rmSync(join(dir, 'index.json'));
      mkfifo(join(dir, 'index.json'));
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /index\.json' is a FIFO, where a regular file should be/ },
    limits: { seconds: 20 },
  },
  {
    name: 'a FIFO in blobs/ where the config should be is an error, not a block',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      const path = blobPath(dir, configOf(dir).digest);
      rmSync(path);
      mkfifo(path);
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /blobs\/sha256\/[0-9a-f]{64}' is a FIFO, where a regular file should be/ },
    limits: { seconds: 20 },
  },
  {
    name: 'a FIFO in blobs/ where a layer should be is an error, not a block',
    input: (ctx) => {
      const dir = join(ctx.dir, 'layout');
      const [image] = writeOciLayout(dir, [{ ref: 'v1', image: { layers: [{ entries: [f('a')] }] } }]);
      const path = blobPath(dir, image!.manifests[0]!.layers[0]!.digest);
      rmSync(path);
      mkfifo(path);
      return `oci:${dir}:v1`;
    },
    expect: { error: 'BAD_IMAGE', message: /is a FIFO, where a regular file should be/ },
    limits: { seconds: 20 },
  },
  {
    name: 'a directory where index.json should be says so',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      rmSync(join(dir, 'index.json'));
      mkdirSync(join(dir, 'index.json'));
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /index\.json' is a directory, where a regular file should be/ },
  },
  {
    name: 'a layer blob that is a symlink to /dev/zero is never read',
    input: (ctx) => {
      const dir = join(ctx.dir, 'layout');
      const [image] = writeOciLayout(dir, [{ ref: 'v1', image: { layers: [{ entries: [f('a')] }] } }]);
      const path = blobPath(dir, image!.manifests[0]!.layers[0]!.digest);
      rmSync(path);
      symlinkSync('/dev/zero', path);
      return `oci:${dir}:v1`;
    },
    expect: { error: 'BAD_IMAGE', message: /is a character device, where a regular file should be/ },
    limits: { seconds: 20, writtenMiB: 1 },
  },
  {
    name: 'a blob that is a symlink loop in the layout is BAD_IMAGE',
    input: (ctx) => {
      const { dir, ref } = plainImage(ctx);
      const path = blobPath(dir, configOf(dir).digest);
      rmSync(path);
      symlinkSync(`${path}.2`, path);
      symlinkSync(path, `${path}.2`);
      return ref;
    },
    expect: { error: 'BAD_IMAGE', message: /cannot read '.*' \(ELOOP\)/ },
  },
];

const table: [string, HostileCase[]][] = [
  ['compressed streams', compressionCases],
  ['tar headers', headerCases],
  ['the end of the tar', endCases],
  ['links and symlinks', linkCases],
  ['whiteouts', whiteoutCases],
  ['names', nameCases],
  ['documents', documentCases],
  ['files that are not regular', fileTypeCases],
];

for (const [group, cases] of table) {
  describe(group, () => {
    for (const c of cases) it(c.name, async () => void (await runHostileCase(c)), ((c.limits?.seconds ?? 60) + 60) * 1000);
  });
}
