// Test helper for directory trees on disk: scratch directories that tests remove in afterAll, a
// deterministic lstat-based listing of a tree (what a rootfs "is" for comparison), and a diff of two
// listings that names exactly what differs, so a failing assertion prints the differences.
//
// Paths are byte strings (every char code one byte, latin1), as in src/rootfs/node.ts, so names that are
// not UTF-8 survive; they start with "/" and the root itself is "/".
import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
import { lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InodeType } from '../../src/rootfs/node.ts';

export type TreeEntryType = InodeType | 'socket';

/** What one name in a tree is. Fields that depend on the host filesystem (directory sizes) are zeroed. */
export interface TreeEntry {
  type: TreeEntryType;
  /** Permission bits including setuid/setgid/sticky (mask 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Regular files: byte length; symlinks: target length; everything else 0 (directory sizes vary by fs). */
  size: number;
  /** Whole seconds. Not compared by default: most comparisons are between trees written at different times. */
  mtime: number;
  nlink: number;
  /** Regular files: hex SHA-256 of the content. */
  sha256?: string;
  /** Symlinks: the target, verbatim (byte string). */
  target?: string;
  /** Regular files with nlink > 1: the smallest path (byte order) sharing this inode inside the tree. */
  hardlinkGroup?: string;
  /** Character and block devices. */
  rdevMajor?: number;
  rdevMinor?: number;
}

export type Tree = Map<string, TreeEntry>;

const scratch = new Set<string>();

/** A new empty directory under os.tmpdir(), removed by `removeScratchDirs` (call it in afterAll). */
export async function scratchDir(prefix = 'initramfs-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.add(dir);
  return dir;
}

/** Removes every directory `scratchDir` made in this test file (including trees extracted into them). */
export async function removeScratchDirs(): Promise<void> {
  const dirs = [...scratch];
  scratch.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}

const typeOf = (st: BigIntStats): TreeEntryType => {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isCharacterDevice()) return 'char';
  if (st.isBlockDevice()) return 'block';
  if (st.isFIFO()) return 'fifo';
  return 'socket';
};

// Linux's dev_t encoding (glibc's gnu_dev_major/minor), which Node does not expose.
const devMajor = (rdev: bigint): number => Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn));
const devMinor = (rdev: bigint): number => Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn));

const sha256File = (path: Buffer): Promise<string> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });

// Byte order, never locale order: the listing must not depend on the machine.
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Lists every name under `dir` (symlinks are not followed), sorted by path in byte order. Hardlinked
 * files are recognised by (dev, ino) and tagged with a group name, so two trees with the same link
 * structure list identically wherever their inodes live.
 */
export async function listTree(dir: string): Promise<Tree> {
  const entries: [string, TreeEntry][] = [];
  const inodeKey = new Map<string, string[]>();
  const rootBytes = Buffer.from(dir);

  const visit = async (rel: string, abs: Buffer): Promise<void> => {
    // bigint: 64-bit inode numbers must not lose precision, or distinct inodes would look hardlinked.
    const st = await lstat(abs, { bigint: true });
    const type = typeOf(st);
    const entry: TreeEntry = {
      type,
      mode: Number(st.mode & 0o7777n),
      uid: Number(st.uid),
      gid: Number(st.gid),
      size: 0,
      mtime: Number(st.mtimeNs / 1_000_000_000n),
      nlink: Number(st.nlink),
    };
    if (type === 'file') {
      entry.size = Number(st.size);
      entry.sha256 = await sha256File(abs);
      if (st.nlink > 1n) {
        const key = `${st.dev}:${st.ino}`;
        const group = inodeKey.get(key) ?? [];
        group.push(rel);
        inodeKey.set(key, group);
      }
    } else if (type === 'symlink') {
      const target = (await readlink(abs, { encoding: 'buffer' })).toString('latin1');
      entry.target = target;
      entry.size = target.length;
    } else if (type === 'char' || type === 'block') {
      entry.rdevMajor = devMajor(st.rdev);
      entry.rdevMinor = devMinor(st.rdev);
    }
    entries.push([rel, entry]);
    if (type === 'dir') {
      const names = (await readdir(abs, { encoding: 'buffer' })).map((n) => n.toString('latin1')).sort(byteOrder);
      for (const name of names) {
        await visit(rel === '/' ? `/${name}` : `${rel}/${name}`, Buffer.concat([abs, Buffer.from(`/${name}`, 'latin1')]));
      }
    }
  };
  await visit('/', rootBytes);

  const leaderOf = new Map<string, string>();
  for (const group of inodeKey.values()) {
    const leader = [...group].sort(byteOrder)[0];
    if (leader !== undefined) for (const path of group) leaderOf.set(path, leader);
  }
  for (const [path, entry] of entries) {
    const leader = leaderOf.get(path);
    if (leader !== undefined) entry.hardlinkGroup = leader;
  }
  entries.sort((a, b) => byteOrder(a[0], b[0]));
  return new Map(entries);
}

export interface DiffOptions {
  /** Paths left out of the comparison, each with everything under it (e.g. "/etc/hostname", "/proc"). */
  ignore?: string[];
  /** Fields not compared. Default: ["mtime"]. */
  ignoreFields?: (keyof TreeEntry)[];
}

// Paths shown to humans: non-UTF-8 bytes become U+FFFD, which is fine for a message.
const show = (p: string): string => JSON.stringify(Buffer.from(p, 'latin1').toString('utf8'));

const fmt = (field: keyof TreeEntry, v: unknown): string =>
  v === undefined ? '(none)' : field === 'mode' && typeof v === 'number' ? `0${v.toString(8)}` : JSON.stringify(v);

/**
 * Compares two listings. Returns one human-readable line per difference ("only in a", "only in b", or
 * "field: a → b"); an empty array means the trees are equal.
 */
export function diffTrees(a: Tree, b: Tree, opts: DiffOptions = {}): string[] {
  const ignore = opts.ignore ?? [];
  const skipFields = new Set<keyof TreeEntry>(opts.ignoreFields ?? ['mtime']);
  const ignored = (p: string): boolean => ignore.some((i) => p === i || p.startsWith(i.endsWith('/') ? i : `${i}/`));
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => !ignored(p)).sort(byteOrder);
  const out: string[] = [];
  for (const p of paths) {
    const ea = a.get(p);
    const eb = b.get(p);
    if (!eb) {
      out.push(`${show(p)}: only in a (${ea?.type})`);
      continue;
    }
    if (!ea) {
      out.push(`${show(p)}: only in b (${eb.type})`);
      continue;
    }
    const fields = [...new Set([...Object.keys(ea), ...Object.keys(eb)])] as (keyof TreeEntry)[];
    const diffs = fields
      .filter((f) => !skipFields.has(f) && ea[f] !== eb[f])
      .map((f) => `${f}: ${fmt(f, ea[f])} → ${fmt(f, eb[f])}`);
    if (diffs.length > 0) out.push(`${show(p)}: ${diffs.join(', ')}`);
  }
  return out;
}
