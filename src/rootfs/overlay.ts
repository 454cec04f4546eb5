// What goes on top of the image's layers, in the model: injected host files and directories, /init, and
// the device nodes and mount points a kernel and init need. Host files are only stat'ed and listed here;
// their bytes are read when the archive is written. Owners are 0:0 and mtimes 0: host metadata would make
// the archive depend on the machine it was built on.
//
// Replacement rule: a destination is resolved like a layer entry (parent symlinks followed inside the root,
// missing parents created 0755), and whatever is AT the destination is replaced, never followed: a
// destination that is a symlink to a directory becomes the injected file (or directory). A host directory
// injected onto an existing directory merges into it, as Dockerfile COPY does (existing directories keep
// their metadata, files with the same name are replaced).
import { lstat, open, readdir, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { InitramfsError } from '../errors.ts';
import { separatorsFrom } from '../host-path.ts';
import { quote } from '../quote.ts';
import { newDir, toBytePath, type Node } from './node.ts';
import { normalisePath } from './path.ts';
import { resolveDir } from './tree.ts';

/** One --inject: a host file or directory copied to an absolute path in the image. */
export interface InjectSpec {
  /** Host path (file or directory). */
  source: string;
  /** Absolute path in the image (UTF-8). */
  dest: string;
  /** Permission bits for injected files (default 0o755); directories are always 0o755. */
  mode?: number;
}

const DEFAULT_FILE_MODE = 0o755;
const SPEC_FORM = 'SRC:DEST[:MODE] with DEST absolute and MODE octal, e.g. ./agent:/usr/bin/agent:0755';

/**
 * Parse `SRC:DEST[:MODE]`, strictly. DEST is absolute and holds no ":", so it begins at the LAST ":/" of
 * the spec: SRC may contain ":" freely (`dir:x/f`, a Windows runner path such as `C:\agent.exe`,
 * `C:/tools/agent` or `\\server\share\agent`), and everything after DEST's first ":" is MODE, which must
 * be octal (`:rwx` is an error, never part of the name). On Windows the colon of a drive (`C:/agent` with
 * no DEST) belongs to SRC: it is not read as SRC `C` and DEST `/agent`.
 */
export function parseInjectSpec(spec: string, platform: NodeJS.Platform = process.platform): InjectSpec {
  const invalid = (why: string): InitramfsError => new InitramfsError('USAGE', `Invalid inject ${quote(spec)}: ${why}. Expected ${SPEC_FORM}.`);
  const split = spec.lastIndexOf(':/');
  if (split < 0) throw invalid('no absolute DEST after a ":"');
  if (split === 0) throw invalid('SRC is empty');
  if (split < separatorsFrom(spec, platform)) throw invalid(`no absolute DEST after SRC (the ":" of the drive ${spec.slice(0, 2)} is part of SRC)`);
  const source = spec.slice(0, split);
  const rest = spec.slice(split + 1);
  const colon = rest.indexOf(':');
  const dest = colon < 0 ? rest : rest.slice(0, colon);
  let mode: number | undefined;
  if (colon >= 0) {
    const modeText = rest.slice(colon + 1);
    if (!/^[0-7]+$/.test(modeText)) {
      throw invalid(`MODE ${quote(modeText)} is not an octal mode such as 0644 (DEST cannot contain ":")`);
    }
    mode = parseInt(modeText, 8);
    if (mode > 0o7777) throw invalid(`MODE ${modeText} is not a permission mode (at most 7777)`);
  }
  checkDest(dest, `inject ${quote(spec)}`);
  return mode === undefined ? { source, dest } : { source, dest, mode };
}

/** Inject a host file or directory (recursively, in sorted order) at `spec.dest`. */
export async function injectPath(root: Node, spec: InjectSpec): Promise<void> {
  const what = `--inject ${quote(`${spec.source}:${spec.dest}`)}`;
  checkDest(spec.dest, what);
  const fileMode = (spec.mode ?? DEFAULT_FILE_MODE) & 0o7777;
  const st = await statSource(spec.source, what);
  if (st.isDirectory()) {
    const { parent, name } = destParent(root, spec.dest, what);
    const existing = parent.children!.get(name);
    const dir = existing?.inode.type === 'dir' ? existing : newDir();
    parent.children!.set(name, dir);
    await copyDir(spec.source, dir, fileMode, what);
  } else if (st.isFile()) {
    await checkReadable(spec.source, what);
    const { parent, name } = destParent(root, spec.dest, what);
    parent.children!.set(name, hostFile(spec.source, st.size, fileMode));
  } else {
    throw new InitramfsError('INJECT_SOURCE', `${what}: ${quote(spec.source)} is not a regular file or a directory`);
  }
}

/** Make the host file `hostPath` the image's /init (mode 0755), replacing whatever /init was. */
export async function setInit(root: Node, hostPath: string): Promise<void> {
  const what = `--init ${quote(hostPath)}`;
  const st = await statSource(hostPath, what);
  // The kernel execs /init; a directory or device there cannot boot.
  if (!st.isFile()) throw new InitramfsError('INJECT_SOURCE', `${what}: ${quote(hostPath)} is not a regular file`);
  await checkReadable(hostPath, what);
  const { parent, name } = destParent(root, '/init', what);
  parent.children!.set(name, hostFile(hostPath, st.size, 0o755));
}

/** Put a file with in-memory content (e.g. the generated /init) at `dest`, replacing whatever was there. */
export function setGeneratedFile(root: Node, dest: string, bytes: Uint8Array, mode: number): void {
  const { parent, name } = destParent(root, dest, dest);
  parent.children!.set(name, {
    inode: { type: 'file', mode: mode & 0o7777, uid: 0, gid: 0, mtime: 0, size: bytes.length, data: { kind: 'bytes', bytes } },
  });
}

/**
 * Make sure the kernel and init find what they need: /dev/console (the kernel opens it for init's stdio
 * before anything is mounted), /dev/null, /dev/tty (programs that open their controlling terminal before
 * devtmpfs is mounted, and user inits that never mount it), and the /dev, /proc and /sys mount points. An existing entry of
 * the right type (and device numbers) keeps its metadata; anything else at those names is replaced.
 */
export function ensureBootEntries(root: Node): void {
  const dev = ensureDir(root, 'dev', 0o755);
  ensureCharDevice(dev, 'console', 5, 1, 0o600);
  ensureCharDevice(dev, 'null', 1, 3, 0o666);
  ensureCharDevice(dev, 'tty', 5, 0, 0o666);
  ensureDir(root, 'proc', 0o555);
  ensureDir(root, 'sys', 0o555);
}

function ensureDir(parent: Node, name: string, mode: number): Node {
  const existing = parent.children!.get(name);
  if (existing?.inode.type === 'dir') return existing;
  const dir = newDir(mode);
  parent.children!.set(name, dir);
  return dir;
}

function ensureCharDevice(dir: Node, name: string, major: number, minor: number, mode: number): void {
  const i = dir.children!.get(name)?.inode;
  if (i?.type === 'char' && i.devMajor === major && i.devMinor === minor) return;
  dir.children!.set(name, {
    inode: { type: 'char', mode, uid: 0, gid: 0, mtime: 0, size: 0, devMajor: major, devMinor: minor },
  });
}

function hostFile(path: string, size: number, mode: number): Node {
  return { inode: { type: 'file', mode, uid: 0, gid: 0, mtime: 0, size, data: { kind: 'host', path } } };
}

/** A host directory's names, sorted by byte order so the walk never depends on the host. */
async function listDir(hostDir: string, what: string): Promise<Array<{ host: string; bytes: string }>> {
  let names: string[];
  try {
    names = await readdir(hostDir);
  } catch (e) {
    throw sourceError(what, hostDir, e);
  }
  // Byte strings compare by byte under `<`, unlike UTF-16 strings (astral characters).
  return names.map((n) => ({ host: n, bytes: toBytePath(n) })).sort((a, b) => (a.bytes < b.bytes ? -1 : a.bytes > b.bytes ? 1 : 0));
}

/**
 * Copy a host directory's entries into `dir`, depth-first in sorted order. An explicit stack of the
 * directories being copied rather than recursion: no depth of host tree exhausts the call stack (the
 * host's own PATH_MAX ends a deeper one with ENAMETOOLONG, an INJECT_SOURCE error).
 */
async function copyDir(hostDir: string, dir: Node, fileMode: number, what: string): Promise<void> {
  const stack = [{ hostDir, dir, names: await listDir(hostDir, what), next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.names.length) {
      stack.pop();
      continue;
    }
    const { host, bytes } = top.names[top.next++]!;
    const path = join(top.hostDir, host);
    let st: Stats;
    try {
      st = await lstat(path);
    } catch (e) {
      throw sourceError(what, path, e);
    }
    if (st.isDirectory()) {
      const existing = top.dir.children!.get(bytes);
      const sub = existing?.inode.type === 'dir' ? existing : newDir();
      top.dir.children!.set(bytes, sub);
      stack.push({ hostDir: path, dir: sub, names: await listDir(path, what), next: 0 });
    } else if (st.isFile()) {
      await checkReadable(path, what);
      top.dir.children!.set(bytes, hostFile(path, st.size, fileMode));
    } else if (st.isSymbolicLink()) {
      let target: Buffer;
      try {
        target = await readlink(path, { encoding: 'buffer' });
      } catch (e) {
        throw sourceError(what, path, e);
      }
      const guest = guestLinkTarget(target.toString('latin1'));
      if (guest === undefined) {
        throw new InitramfsError(
          'INJECT_SOURCE',
          `${what}: ${quote(path)} is a link to ${quote(target.toString('utf8'))}, a Windows path that means nothing in the image; ` +
            'make it a relative link, or put the file itself there',
        );
      }
      top.dir.children!.set(bytes, {
        inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: guest },
      });
    } else {
      throw new InitramfsError('INJECT_SOURCE', `${what}: ${quote(path)} is not a regular file, directory or symlink`);
    }
  }
}

/**
 * The target an injected symlink gets in the image, from its target on the host (a byte string), or
 * undefined when it has none. On POSIX hosts the target is kept byte for byte. Windows links hold
 * backslashes (Git for Windows checks a repository's `../lib/x` out as `..\lib\x`), which in the image
 * would be one name with backslashes in it: they become '/', and a rooted `\usr\lib\x` is `/usr/lib/x`.
 * A target on a drive or a share (`C:\...`, `\\server\...`; a junction always points to one) names the
 * host's disk, not anything in the image: none.
 */
export function guestLinkTarget(target: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') return target;
  if (/^[A-Za-z]:/.test(target) || /^[\\/]{2}/.test(target)) return undefined;
  return target.replaceAll('\\', '/');
}

function checkDest(dest: string, what: string): void {
  if (!dest.startsWith('/')) {
    throw new InitramfsError('USAGE', `Invalid ${what}: destination ${quote(dest)} must be an absolute path in the image. Expected ${SPEC_FORM}.`);
  }
  const p = normalisePath(toBytePath(dest));
  if (!p.ok) throw new InitramfsError('USAGE', `Invalid ${what}: destination ${quote(dest)}: ${p.reason}.`);
  if (p.components.length === 0) {
    throw new InitramfsError('USAGE', `Invalid ${what}: destination ${quote(dest)} is the root; name a path under it.`);
  }
}

/** The directory that will hold `dest` (parents created, symlinks followed inside the root) and the name. */
function destParent(root: Node, dest: string, what: string): { parent: Node; name: string } {
  const p = normalisePath(toBytePath(dest));
  const name = p.ok ? p.components[p.components.length - 1] : undefined;
  if (!p.ok || name === undefined) {
    throw new InitramfsError('USAGE', `Invalid ${what}: destination ${quote(dest)} is not a path under the root.`);
  }
  const parent = resolveDir(root, p.components.slice(0, -1), true);
  if (!parent.ok) throw new InitramfsError('USAGE', `Invalid ${what}: destination ${quote(dest)}: ${parent.reason} in the image.`);
  return { parent: parent.node, name };
}

async function statSource(path: string, what: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (e) {
    throw sourceError(what, path, e);
  }
}

async function checkReadable(path: string, what: string): Promise<void> {
  try {
    await (await open(path, 'r')).close();
  } catch (e) {
    throw sourceError(what, path, e);
  }
}

function sourceError(what: string, path: string, cause: unknown): InitramfsError {
  const code = (cause as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? String(cause)})`;
  return new InitramfsError('INJECT_SOURCE', `${what}: ${quote(path)} ${why}`, { cause });
}
