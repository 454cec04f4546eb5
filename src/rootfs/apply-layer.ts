// Applying one layer's tar entries to the rootfs model, as OCI image-spec layer.md defines a changeset:
// whiteouts hide lower layers, other entries are added or replace what is there. Metadata only; hostile
// names are confined or dropped with a warning (policy in path.ts). Warnings show what the image says
// quoted and shortened (quote.ts): a name of a megabyte or a terminal escape in it stays one short line.
import type { LayerEntry } from '../image/layer-entry.ts';
import type { Reporter } from '../log.ts';
import { escaped, quote as quoteText } from '../quote.ts';
import { fromBytePath, ownName, type Inode, type Node } from './node.ts';
import { joinPath, normalisePath, type PathComponents } from './path.ts';
import { resolveDir, walk } from './tree.ts';
import { classifyWhiteout } from './whiteout.ts';

export interface ApplyContext {
  /** The layer's digest, named in every warning. */
  layer: string;
  reporter: Reporter;
}

interface Named {
  entry: LayerEntry;
  components: PathComponents;
}

/**
 * Apply one layer (its entries in tar order) to `root`, mutating it.
 *
 * Whiteouts hide only LOWER layers, wherever they stand in the tar (layer.md: "files that are present in
 * the same layer as a whiteout file can only be hidden by whiteout files in subsequent layers"), so all of
 * the layer's whiteouts are applied first, to the tree as it was before the layer, then every other entry
 * in tar order.
 */
export function applyLayer(root: Node, entries: readonly LayerEntry[], ctx: ApplyContext): void {
  // Three passes that normalise each name again rather than keep its components: a layer of a million
  // entries would otherwise hold a million arrays of strings while it is applied.
  for (const entry of entries) {
    const p = normalisePath(entry.name);
    if (!p.ok) drop(ctx, entry, p.reason);
  }
  const whiteout = new Uint8Array(entries.length);
  entries.forEach((entry, i) => {
    const p = normalisePath(entry.name);
    if (p.ok && applyWhiteout(root, { entry, components: p.components }, ctx)) whiteout[i] = 1;
  });
  entries.forEach((entry, i) => {
    const p = normalisePath(entry.name);
    if (p.ok && whiteout[i] === 0) applyEntry(root, { entry, components: p.components }, ctx);
  });
  reportXattrs(entries, ctx);
}

/** Examples named in the xattr warning; the count covers the rest. */
const XATTR_EXAMPLES = 3;
/** Attribute names listed in the xattr warning; the count covers the rest. */
const XATTR_NAMES = 8;

/**
 * newc has no field for extended attributes, so file capabilities (`security.capability`, e.g. on ping)
 * and SELinux labels are lost; one warning per layer says which and where, so the user can grant them
 * from /init (setcap) or choose another image.
 */
function reportXattrs(entries: readonly LayerEntry[], ctx: ApplyContext): void {
  const carrying = entries.filter((e) => e.xattrs !== undefined);
  if (carrying.length === 0) return;
  const all = [...new Set(carrying.flatMap((e) => e.xattrs!))].sort();
  const listed = (list: readonly string[]): string => {
    const shownNames = list.slice(0, XATTR_NAMES).map((n) => escaped(fromBytePath(n), 64));
    return list.length > XATTR_NAMES ? `${shownNames.join(', ')} and ${list.length - XATTR_NAMES} more` : shownNames.join(', ');
  };
  const examples = carrying.slice(0, XATTR_EXAMPLES).map((e) => `${quote(e.name)} (${listed(e.xattrs!)})`);
  const more = carrying.length > XATTR_EXAMPLES ? ` and ${carrying.length - XATTR_EXAMPLES} more` : '';
  ctx.reporter.warn(
    `layer ${ctx.layer}: ${carrying.length} entr${carrying.length === 1 ? 'y carries' : 'ies carry'} extended attributes ` +
      `(${listed(all)}) that a newc archive cannot hold; they are left out: ${examples.join(', ')}${more}`,
  );
}

/** Apply `n` if it is a whiteout (of any kind); false when it is an ordinary entry. */
function applyWhiteout(root: Node, { entry, components }: Named, ctx: ApplyContext): boolean {
  const base = components[components.length - 1];
  if (base === undefined) return false;
  const w = classifyWhiteout(base);
  if (w.kind === 'none') return false;
  if (w.kind === 'ignored') return true;
  if (w.kind === 'delete' && w.name === '..') {
    drop(ctx, entry, 'whiteout of ".."');
    return true;
  }
  const dir = resolveDir(root, components.slice(0, -1), false);
  if (!dir.ok) {
    // Whiting out something no lower layer has is normal; a path that cannot be a directory is not.
    if (!dir.missing) drop(ctx, entry, said(dir.reason));
    return true;
  }
  if (w.kind === 'opaque') dir.node.children!.clear();
  else dir.node.children!.delete(w.name);
  return true;
}

function applyEntry(root: Node, { entry, components }: Named, ctx: ApplyContext): void {
  const last = components[components.length - 1];
  if (last === undefined) {
    if (entry.type !== 'dir') drop(ctx, entry, `the root can only be a directory, not a ${entry.type}`);
    else root.inode = inodeOf(entry);
    return;
  }
  const name = ownName(last);

  // Resolved before the new name's parents are made, so a dropped link leaves no directories behind.
  let linked: Node | undefined;
  if (entry.type === 'hardlink') {
    linked = resolveHardlinkTarget(root, entry, ctx);
    if (linked === undefined) return;
  }

  const parent = resolveDir(root, components.slice(0, -1), true);
  if (!parent.ok) {
    drop(ctx, entry, said(parent.reason));
    return;
  }
  const children = parent.node.children!;
  const existing = children.get(name);

  if (linked !== undefined) {
    // The same Inode object: a true hardlink. Overwriting either name later puts a new Node there and
    // never touches this inode, so the other name keeps its content.
    children.set(name, { inode: linked.inode });
  } else if (entry.type === 'dir') {
    // Directory over directory merges: new metadata, lower children kept (dir inodes are never shared).
    if (existing?.inode.type === 'dir') existing.inode = inodeOf(entry);
    else children.set(name, { inode: inodeOf(entry), children: new Map() });
  } else {
    // Any other type replaces whatever was there, subtree included.
    children.set(name, { inode: inodeOf(entry) });
  }
}

function resolveHardlinkTarget(root: Node, entry: LayerEntry, ctx: ApplyContext): Node | undefined {
  const target = normalisePath(entry.linkname ?? '');
  if (!target.ok) {
    drop(ctx, entry, `hardlink target ${quote(entry.linkname ?? '')}: ${target.reason}`);
    return undefined;
  }
  // The last component is not followed: link(2) without AT_SYMLINK_FOLLOW, as tar does.
  const r = walk(root, target.components, { followLast: false, create: false });
  if (!r.ok) {
    drop(ctx, entry, `hardlink target ${quote(joinPath(target.components))}: ${said(r.reason)}`);
    return undefined;
  }
  if (r.node.inode.type === 'dir') {
    drop(ctx, entry, `hardlink target ${quote(joinPath(r.path))} is a directory`);
    return undefined;
  }
  return r.node;
}

/**
 * One object literal per kind, with every property the kind has: a property added after the literal
 * takes a second allocation (some 40 bytes for each of a million files).
 */
function inodeOf(e: LayerEntry): Inode {
  const { uid, gid, mtime } = e;
  const mode = e.mode & 0o7777;
  switch (e.type) {
    case 'file':
      return { type: 'file', mode, uid, gid, mtime, size: e.size, data: e.data };
    case 'hardlink':
      return { type: 'file', mode, uid, gid, mtime, size: 0 };
    case 'symlink':
      return { type: 'symlink', mode, uid, gid, mtime, size: 0, target: e.linkname ?? '' };
    case 'char':
    case 'block':
      return { type: e.type, mode, uid, gid, mtime, size: 0, devMajor: e.devMajor ?? 0, devMinor: e.devMinor ?? 0 };
    case 'dir':
    case 'fifo':
      return { type: e.type, mode, uid, gid, mtime, size: 0 };
  }
}

/** A name or path from the image (byte string), quoted and shortened for a message. */
const quote = (bytePath: string): string => quoteText(fromBytePath(bytePath));

/** A reason from the tree (it names paths of the image inside a phrase), escaped and shortened. */
const said = (reason: string): string => escaped(fromBytePath(reason));

/** Warns that `entry` is left out; `reason` must already show image data quoted (quote, said). */
function drop(ctx: ApplyContext, entry: LayerEntry, reason: string): void {
  ctx.reporter.warn(`layer ${ctx.layer}: dropped entry ${quote(entry.name)}: ${reason}`);
}
