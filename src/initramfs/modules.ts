// Kernel modules for the guest (--modules-dir DIR, --module NAME): each named module and everything
// modules.dep says it needs, copied to /lib/modules/VERSION/<same relative path> in load order
// (dependencies first), checked before the build goes on: a module the kernel would refuse (wrong
// architecture, not a module, compressed in a way busybox insmod cannot read) fails here, naming the
// option, rather than at boot with "Invalid module format".
//
// modules.dep (depmod's text form): one line per module, `PATH: DEP DEP …`, PATH relative to DIR, the deps
// the whole closure, nearest first (modprobe loads them last to first). Module names are file names
// without `.ko[.gz|.xz|.zst]`; the kernel treats `-` and `_` in them alike, and so does the lookup here.
//
// Compressed modules are decompressed here and stored as `.ko`: busybox insmod reads only plain ELF, and
// the kernel's own in-kernel decompression (CONFIG_MODULE_DECOMPRESS) is not there on every kernel. Node
// reads gzip and zstd; it has no xz, so `.ko.xz` (Debian's and Fedora's default on some releases) is an
// error that says how to decompress them first.
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { InitramfsError } from '../errors.ts';
import { quote, shown } from '../quote.ts';
import { toBytePath, type DataRef, type Node } from '../rootfs/node.ts';
import { normalisePath } from '../rootfs/path.ts';
import { resolveDir } from '../rootfs/tree.ts';
import { describeElf, elfMatches, elfTargetForPlatform, ET_REL, readElf } from './elf.ts';

export interface ModuleFile {
  /** Archive path (absolute, UTF-8), e.g. /lib/modules/6.1.0-57-cloud-amd64/kernel/net/core/failover.ko. */
  path: string;
  data: DataRef;
  size: number;
}

export interface ModuleSet {
  /** The kernel release: the name of DIR's real path (/lib/modules/VERSION). */
  version: string;
  /** Archive paths in load order (dependencies first). */
  loadOrder: string[];
  /** The requested modules that are loaded, by their file's module name (e.g. virtio_net), in load order. */
  names: string[];
  /** Every module file in load order, then /lib/modules/VERSION/modules.dep rewritten for the copied set. */
  files: ModuleFile[];
  /** Requested names that modules.builtin lists (built into the kernel: nothing to load), as it names them. */
  builtin: string[];
}

/** What a directory must be, said in every error about one. */
const EXPECTED_DIR = 'expected a /lib/modules/VERSION directory such as /lib/modules/$(uname -r) that holds modules.dep';

/**
 * The most bytes one module may decompress to. The largest modules of distribution kernels are tens of
 * MiB; past this a `.ko.gz` is a decompression bomb, not a module.
 */
export const MAX_MODULE_SIZE = 512 << 20;

/** A module file suffix, the compression it means. */
const SUFFIXES: ReadonlyArray<readonly [string, 'none' | 'gzip' | 'zstd' | 'xz']> = [
  ['.ko', 'none'],
  ['.ko.gz', 'gzip'],
  ['.ko.zst', 'zstd'],
  ['.ko.xz', 'xz'],
];

interface DepEntry {
  /** Path relative to DIR, as modules.dep writes it. */
  path: string;
  /** Dependencies' paths, nearest first. */
  deps: string[];
}

/** `kernel/net/core/failover.ko.zst` → `failover`; undefined when the name is no module file's. */
function moduleName(path: string): string | undefined {
  const file = path.slice(path.lastIndexOf('/') + 1);
  for (const [suffix] of SUFFIXES) if (file.endsWith(suffix) && file.length > suffix.length) return file.slice(0, -suffix.length);
  return undefined;
}

/** The form names are compared in: the kernel treats '-' and '_' in module names alike. */
const key = (name: string): string => name.replaceAll('-', '_');

/**
 * Resolve `names` against DIR's modules.dep for a kernel of `platformArch` (OCI architecture, e.g.
 * amd64): the modules and their dependencies in load order, read and checked, ready for installModules.
 */
export async function selectModules(dir: string, names: string[], platformArch: string): Promise<ModuleSet> {
  const option = `--modules-dir ${quote(dir)}`;
  const realDir = await modulesDirectory(dir, option);
  const version = basename(realDir);
  const depFile = join(realDir, 'modules.dep');
  const { byName, byPath } = parseModulesDep(await readText(depFile, option, 'has no modules.dep', true), dir, option);
  const builtinText = await readText(join(realDir, 'modules.builtin'), option, '', false);
  const builtinNames = new Map<string, string>();
  for (const line of builtinText.split('\n')) {
    const name = moduleName(line.trim());
    if (name !== undefined && !builtinNames.has(key(name))) builtinNames.set(key(name), name);
  }

  // Which requested module first needed each file: errors about a dependency name what asked for it.
  const neededBy = new Map<DepEntry, string>();
  const order: DepEntry[] = [];
  const requested = new Set<DepEntry>();
  const builtin: string[] = [];
  const state = new Map<DepEntry, 'visiting' | 'done'>();
  const entryFor = (path: string): DepEntry => {
    let e = byPath.get(path);
    if (e === undefined) {
      // Listed as a dependency without a line of its own: still a file to load, with no dependencies known.
      e = { path, deps: [] };
      byPath.set(path, e);
    }
    return e;
  };
  for (const requestedName of names) {
    const entry = byName.get(key(requestedName));
    if (entry === undefined) {
      const b = builtinNames.get(key(requestedName));
      if (b !== undefined) {
        if (!builtin.includes(b)) builtin.push(b);
        continue;
      }
      throw unknownModule(requestedName, dir, [...[...byName.values()].map((e) => moduleName(e.path)!), ...builtinNames.values()]);
    }
    requested.add(entry);
    // Depth first, the deps of each module visited last to first as modprobe loads them; an explicit stack
    // so no chain of dependencies runs out of call stack, and a module met again (or in a cycle depmod
    // should have refused) is not visited twice.
    if (state.has(entry)) continue;
    const stack: Array<{ entry: DepEntry; next: number }> = [{ entry, next: entry.deps.length - 1 }];
    state.set(entry, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < 0) {
        stack.pop();
        state.set(top.entry, 'done');
        order.push(top.entry);
        if (!neededBy.has(top.entry)) neededBy.set(top.entry, requestedName);
        continue;
      }
      const dep = entryFor(top.entry.deps[top.next--]!);
      if (state.has(dep)) continue;
      state.set(dep, 'visiting');
      stack.push({ entry: dep, next: dep.deps.length - 1 });
    }
  }

  const target = elfTargetForPlatform(platformArch);
  const root = `/lib/modules/${version}`;
  const stored = new Map<string, string>(); // modules.dep path → stored (.ko) path
  const files: ModuleFile[] = [];
  for (const entry of order) {
    const what = `--module ${quote(neededBy.get(entry)!)}`;
    const read = await readModule(realDir, entry.path, what, dir);
    const elf = readElf(read.bytes);
    if (elf === undefined || elf.type !== ET_REL) {
      throw new InitramfsError(
        'MODULES',
        `${what}: ${quote(join(dir, read.file))} is not a kernel module (expected an ELF relocatable object, ET_REL${elf ? `; this is an ELF of type ${elf.type}` : ''})`,
      );
    }
    if (target !== undefined && !elfMatches(elf, target)) {
      throw new InitramfsError(
        'MODULES',
        `${what}: ${quote(join(dir, read.file))} is a module for ${describeElf(elf)} but the platform is ${shown(platformArch)} (${describeElf(target)}); expected the modules of a kernel built for the target platform`,
      );
    }
    const storedPath = read.compression === 'none' ? read.file : entry.path.slice(0, entry.path.lastIndexOf('.ko') + 3);
    stored.set(entry.path, storedPath);
    const data: DataRef = read.compression === 'none' ? { kind: 'host', path: join(realDir, read.file) } : { kind: 'bytes', bytes: read.bytes };
    files.push({ path: `${root}/${storedPath}`, data, size: read.bytes.length });
  }
  if (files.length > 0) {
    // Only the copied modules, by their stored names, so busybox modprobe in the guest finds the same set.
    const lines = order
      .map((e) => {
        const deps = e.deps.map((d) => stored.get(d)!);
        return `${stored.get(e.path)!}:${deps.length > 0 ? ' ' + deps.join(' ') : ''}\n`;
      })
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const bytes = Buffer.from(lines.join(''), 'utf8');
    files.push({ path: `${root}/modules.dep`, data: { kind: 'bytes', bytes }, size: bytes.length });
  }
  const loaded = order.filter((e) => requested.has(e));
  return {
    version,
    loadOrder: order.map((e) => `${root}/${stored.get(e.path)!}`),
    names: loaded.map((e) => moduleName(e.path)!),
    files,
    builtin,
  };
}

/**
 * Put a ModuleSet's files in the model (0644, root, mtime 0), replacing whatever is at their names;
 * missing parents are created 0755 and symlinked ones (/lib -> usr/lib) followed inside the root, as for
 * the generated /init.
 */
export function installModules(root: Node, set: ModuleSet): void {
  for (const f of set.files) {
    const p = normalisePath(toBytePath(f.path));
    const name = p.ok ? p.components[p.components.length - 1] : undefined;
    if (!p.ok || name === undefined) throw new InitramfsError('MODULES', `module path ${quote(f.path)} is not a path under the root`);
    const parent = resolveDir(root, p.components.slice(0, -1), true);
    if (!parent.ok) throw new InitramfsError('MODULES', `cannot install module ${quote(f.path)}: ${parent.reason} in the image`);
    parent.node.children!.set(name, {
      inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: f.size, data: f.data },
    });
  }
}

async function modulesDirectory(dir: string, option: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (e) {
    throw new InitramfsError('MODULES', `${option} ${errnoText(e)}; ${EXPECTED_DIR}`, { cause: e });
  }
  if (!(await stat(real)).isDirectory()) throw new InitramfsError('MODULES', `${option} is not a directory; ${EXPECTED_DIR}`);
  return real;
}

/** A text file of DIR; a missing one is `missing` (required) or empty (optional). */
async function readText(path: string, option: string, missing: string, required: boolean): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return '';
    const why = code === 'ENOENT' ? missing : `cannot read ${quote(basename(path))} (${errnoText(e)})`;
    throw new InitramfsError('MODULES', `${option} ${why}; ${EXPECTED_DIR}`, { cause: e });
  }
}

function parseModulesDep(text: string, dir: string, option: string): { byName: Map<string, DepEntry>; byPath: Map<string, DepEntry> } {
  const byName = new Map<string, DepEntry>();
  const byPath = new Map<string, DepEntry>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const bad = (why: string): InitramfsError =>
      new InitramfsError('MODULES', `${option}: modules.dep line ${i + 1} ${why}; expected "kernel/DIR/NAME.ko: DEPENDENCY.ko …" as depmod writes it`);
    if (colon < 0) throw bad(`(${quote(line, 80)}) has no ":"`);
    const paths = [line.slice(0, colon).trim(), ...line.slice(colon + 1).trim().split(/\s+/).filter((s) => s !== '')];
    for (const p of paths) {
      if (moduleName(p) === undefined) throw bad(`names ${quote(p, 80)}, not a .ko, .ko.gz, .ko.zst or .ko.xz file`);
      // The path is also where the module goes in the image: it must stay under /lib/modules/VERSION.
      if (p.startsWith('/') || p.split('/').some((c) => c === '..' || c === '.')) throw bad(`names ${quote(p, 80)}, not a path relative to ${quote(dir)}`);
    }
    const entry: DepEntry = { path: paths[0]!, deps: paths.slice(1) };
    if (byPath.has(entry.path)) return;
    byPath.set(entry.path, entry);
    // depmod lists one module per name; should two share one, the first wins as it does for modprobe.
    const k = key(moduleName(entry.path)!);
    if (!byName.has(k)) byName.set(k, entry);
  });
  return { byName, byPath };
}

interface ReadModule {
  /** The file read, relative to DIR (a listed .ko.xz may be read as its decompressed .ko). */
  file: string;
  compression: 'none' | 'gzip' | 'zstd';
  /** The module, decompressed. */
  bytes: Uint8Array;
}

async function readModule(realDir: string, path: string, what: string, dir: string): Promise<ReadModule> {
  const compression = SUFFIXES.find(([s]) => path.endsWith(s))![1];
  if (compression === 'xz') {
    // `xz -d` leaves modules.dep naming the .ko.xz; the .ko it wrote beside it is the module.
    const plain = path.slice(0, -'.xz'.length);
    const bytes = await readOptional(join(realDir, plain), what, dir, plain);
    if (bytes !== undefined) return { file: plain, compression: 'none', bytes };
    if ((await readOptional(join(realDir, path), what, dir, path)) === undefined) throw missingModule(what, dir, path);
    throw new InitramfsError(
      'MODULES',
      `${what}: ${quote(join(dir, path))} is xz-compressed, which this tool cannot decompress; decompress the modules first ` +
        `(find ${shown(dir)} -name '*.ko.xz' -exec xz -d {} +; a .ko beside a listed .ko.xz is used), ` +
        'or use a kernel whose modules are compressed with gzip or zstd, or not compressed',
    );
  }
  const raw = await readOptional(join(realDir, path), what, dir, path);
  if (raw === undefined) throw missingModule(what, dir, path);
  if (compression === 'none') return { file: path, compression, bytes: raw };
  try {
    const opts = { maxOutputLength: MAX_MODULE_SIZE };
    const bytes = compression === 'gzip' ? gunzipSync(raw, opts) : zstdDecompressSync(raw, opts);
    return { file: path, compression, bytes };
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || /too large|maxOutputLength/i.test(String(e))
      ? `decompresses to more than ${MAX_MODULE_SIZE >> 20} MiB`
      : `is not valid ${compression} data (${(e as Error).message})`;
    throw new InitramfsError('MODULES', `${what}: ${quote(join(dir, path))} ${why}`, { cause: e });
  }
}

async function readOptional(file: string, what: string, dir: string, path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InitramfsError('MODULES', `${what}: ${quote(join(dir, path))} cannot be read (${errnoText(e)})`, { cause: e });
  }
}

function missingModule(what: string, dir: string, path: string): InitramfsError {
  return new InitramfsError(
    'MODULES',
    `${what}: modules.dep lists ${quote(path)} but ${quote(join(dir, path))} does not exist; expected the modules directory as installed (run depmod after changing it)`,
  );
}

function unknownModule(name: string, dir: string, known: string[]): InitramfsError {
  const suggestion = closest(name, known);
  return new InitramfsError(
    'MODULES',
    `--module ${quote(name)}: no such module in ${quote(join(dir, 'modules.dep'))} or modules.builtin; ` +
      (suggestion !== undefined ? `did you mean ${quote(suggestion)}? ` : '') +
      'expected a module name as lsmod shows it, e.g. virtio_net',
  );
}

/**
 * The known name nearest to `name` ('-' and '_' alike; edit distance at most 2 and less than half its
 * length), if any; ties go to the first in sorted order.
 */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.ceil(name.length / 2) - 1);
  for (const k of [...new Set(known)].sort()) {
    const d = editDistance(key(name), key(k), bestDistance);
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, or more than `limit` as soon as that is certain. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]!);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'ENOTDIR') return 'is not a directory';
  if (code === 'EACCES') return 'is not readable';
  return `cannot be read (${code ?? String(e)})`;
}
