// Finding names in the rootfs model the way a chrooted process would: symlinks are followed INSIDE the
// root (absolute targets start at the root, ".." stops at it, at most 40 hops), never on the host.
// See path.ts for the policy this implements.
import { newDir, ownName, type Node } from './node.ts';
import { joinPath, normalisePath, type PathComponents } from './path.ts';

/** Linux's limit (MAXSYMLINKS): past it, resolution fails with "too many levels of symbolic links". */
export const MAX_SYMLINK_HOPS = 40;

export type Resolution =
  /** `node` is what the path names; `path` its canonical components (no symlinks, no dots). */
  | { ok: true; node: Node; path: PathComponents }
  /** `missing`: a component does not exist (and was not to be created); else the path is unusable. */
  | { ok: false; reason: string; missing: boolean };

export interface WalkOptions {
  /** Follow a symlink in the last component (parents are always followed). */
  followLast: boolean;
  /** Create missing components as directories (0755, root, mtime 0) instead of failing. */
  create: boolean;
  /** The result must be a directory. */
  dir?: boolean;
}

/**
 * Walk `components` from the root. Every component but the last must end up a directory (symlinks are
 * expanded in place, chroot-style); the last is returned whatever its type.
 */
export function walk(root: Node, components: readonly string[], opts: WalkOptions): Resolution {
  const created: Array<[Node, string]> = [];
  let r = walkInner(root, components, opts, created);
  if (r.ok && opts.dir === true && r.node.inode.type !== 'dir') {
    r = { ok: false, reason: `${joinPath(r.path)} is not a directory`, missing: false };
  }
  // A failed walk leaves the tree as it found it: a dropped entry must not leave directories behind.
  if (!r.ok) for (const [dir, name] of created.reverse()) dir.children!.delete(name);
  return r;
}

function walkInner(root: Node, components: readonly string[], opts: WalkOptions, created: Array<[Node, string]>): Resolution {
  const dirs: Node[] = [root];
  const names: string[] = [];
  // Components still to visit, the next one at the end; a symlink's target is pushed on in its place, so
  // "last" always means "nothing left", also when the last component was a symlink that got expanded.
  // (A stack: a target of a million components is pushed one by one, never spread into a call.)
  const pending = components.slice().reverse();
  let hops = 0;
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      // Stops at the root, like ".." of "/" on Linux: a link cannot climb out of the image.
      if (dirs.length > 1) {
        dirs.pop();
        names.pop();
      }
      continue;
    }
    const last = pending.length === 0;
    const dir = dirs[dirs.length - 1]!;
    let child = dir.children!.get(name);
    if (child === undefined) {
      if (!opts.create) return { ok: false, reason: `${joinPath([...names, name])} does not exist`, missing: true };
      child = newDir();
      dir.children!.set(ownName(name), child);
      created.push([dir, name]);
    }
    if (child.inode.type === 'symlink' && (!last || opts.followLast)) {
      if (++hops > MAX_SYMLINK_HOPS) {
        return { ok: false, reason: `${joinPath([...names, name])}: too many levels of symbolic links`, missing: false };
      }
      const target = child.inode.target ?? '';
      // An empty target names nothing (ENOENT on Linux); treating it as "." would invent a meaning.
      if (target === '') return { ok: false, reason: `${joinPath([...names, name])} is a symlink with an empty target`, missing: true };
      if (target.startsWith('/')) {
        dirs.length = 1;
        names.length = 0;
      }
      const parts = target.split('/');
      for (let k = parts.length - 1; k >= 0; k--) pending.push(parts[k]!);
      continue;
    }
    if (last) return { ok: true, node: child, path: [...names, name] };
    if (child.inode.type !== 'dir') {
      return { ok: false, reason: `${joinPath([...names, name])} is not a directory`, missing: false };
    }
    dirs.push(child);
    names.push(name);
  }
  return { ok: true, node: dirs[dirs.length - 1]!, path: names };
}

/**
 * The directory `components` names, following every symlink inside the root; with `create`, missing
 * directories are made on the way. Fails when something on the way (or the result) is not a directory.
 */
export function resolveDir(root: Node, components: readonly string[], create: boolean): Resolution {
  return walk(root, components, { followLast: true, create, dir: true });
}

/**
 * The node at a rootfs path (byte string, e.g. "/bin/sh"; leading "/" optional), resolving symlinks
 * inside the root; `follow` also follows a symlink in the last component. Undefined when the path does not
 * resolve, or has a ".." component (never resolved, see path.ts).
 */
export function lookup(root: Node, path: string, opts: { follow: boolean }): Node | undefined {
  const p = normalisePath(path);
  if (!p.ok) return undefined;
  const r = walk(root, p.components, { followLast: opts.follow, create: false });
  return r.ok ? r.node : undefined;
}

/** Whether `path` resolves (symlinks followed inside the root) to a regular file: `/bin -> usr/bin` counts. */
export const hasFile = (root: Node, path: string): boolean => lookup(root, path, { follow: true })?.inode.type === 'file';
