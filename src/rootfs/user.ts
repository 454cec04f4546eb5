// The image config's `User` as numbers, resolved at build time from the rootfs model's /etc/passwd and
// /etc/group the way Docker (runc's GetExecUser) resolves it at run time, so the generated /init can
// switch to it with busybox, which needs no passwd file and cannot read names.
//   uid | name [ : gid | group ]
// A name must exist in /etc/passwd (a group name in /etc/group); a number need not, and is never read as
// a name (a passwd entry named "1000" is not user 1000). A user without a group takes the passwd entry's
// gid, or 0 when the uid has no entry (Docker: `USER 1000` runs as 1000:0).
// Supplementary groups (the /etc/group entries listing the user) are kept only when no group is given,
// as runc does. Root (no User, `root`, `0`, `0:0`) is undefined: nothing to switch.
import { InitramfsError } from '../errors.ts';
import type { InitUser } from '../initramfs/init-script.ts';
import { quote } from '../quote.ts';
import { fromBytePath, toBytePath, type Node } from './node.ts';
import { lookup } from './tree.ts';

/** uid_t/gid_t values the kernel accepts: (uid_t)-1 means "unchanged" to setresuid. */
const ID_MAX = 2 ** 32 - 2;

const ROOT_FORMS = new Set(['', 'root', '0', '0:0']);

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}
interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/**
 * `User` of the image config → numbers, from the rootfs model's /etc/passwd and /etc/group (symlinks
 * followed inside the root). `readFile` gives a regular file node's bytes. Undefined for root. Throws
 * BAD_IMAGE naming the User value when a name is not in its file or a number is out of range.
 */
export function resolveUser(root: Node, user: string | undefined, readFile: (node: Node) => Uint8Array): InitUser | undefined {
  if (user === undefined || ROOT_FORMS.has(user)) return undefined;
  const what = `image config User ${quote(user)}`;
  const colon = user.indexOf(':');
  // Names in the model are byte strings (latin1); the config's JSON gave UTF-8.
  const userPart = toBytePath(colon === -1 ? user : user.slice(0, colon));
  const groupPart = toBytePath(colon === -1 ? '' : user.slice(colon + 1));

  const number = (s: string, kind: string): number | undefined => {
    if (!/^[0-9]+$/.test(s)) return undefined;
    const n = Number(s);
    if (n > ID_MAX) throw new InitramfsError('BAD_IMAGE', `${what}: ${kind} ${s} is out of range (0 to ${ID_MAX})`);
    return n;
  };

  // runc: an empty user part is the default user, root.
  const uidArg = userPart === '' ? 0 : number(userPart, 'uid');
  const passwd = readTable(root, '/etc/passwd', readFile);
  // A number is always a uid, never a name (runc); the first matching line wins.
  const entry = passwd?.lines.map(parsePasswd).find((e) => e !== undefined && (uidArg !== undefined ? e.uid === uidArg : e.name === userPart));
  let uid: number;
  let gid = 0;
  let home: string | undefined;
  if (entry) {
    ({ uid, gid } = entry);
    if (entry.home !== '') home = fromBytePath(entry.home);
  } else if (uidArg !== undefined) {
    uid = uidArg;
  } else {
    throw new InitramfsError('BAD_IMAGE', `${what}: ${missing(passwd, 'user', userPart, '/etc/passwd')}`);
  }

  const groupFile = readTable(root, '/etc/group', readFile);
  const groupEntries = groupFile?.lines.map(parseGroup).filter((g) => g !== undefined) ?? [];
  let groups: number[] = [];
  if (groupPart !== '') {
    const gidArg = number(groupPart, 'gid');
    const g = groupEntries.find((e) => (gidArg !== undefined ? e.gid === gidArg : e.name === groupPart));
    if (g) gid = g.gid;
    else if (gidArg !== undefined) gid = gidArg;
    else throw new InitramfsError('BAD_IMAGE', `${what}: ${missing(groupFile, 'group', groupPart, '/etc/group')}`);
  } else if (entry) {
    // The implicit form: the groups whose member list names the user (runc leaves them out otherwise).
    groups = [...new Set(groupEntries.filter((g) => g.members.includes(entry.name)).map((g) => g.gid))];
  }
  return { uid, gid, groups, ...(home !== undefined && { home }) };
}

const missing = (table: { lines: string[] } | undefined, kind: string, name: string, file: string): string =>
  table === undefined
    ? `the image has no ${file} to look ${kind} ${quote(fromBytePath(name))} up in`
    : `no ${kind} ${quote(fromBytePath(name))} in the image's ${file}`;

/** A file's lines (byte strings), or undefined when `path` does not resolve to a regular file. */
function readTable(root: Node, path: string, readFile: (node: Node) => Uint8Array): { lines: string[] } | undefined {
  const node = lookup(root, path, { follow: true });
  if (node?.inode.type !== 'file') return undefined;
  return { lines: Buffer.from(readFile(node)).toString('latin1').split('\n') };
}

/** An id field as libc reads it: decimal, in range; anything else makes the line unusable. */
function idField(s: string | undefined): number | undefined {
  if (s === undefined || !/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= ID_MAX ? n : undefined;
}

/** `name:password:uid:gid:gecos:home:shell`; comments, blank and malformed lines are skipped. */
function parsePasswd(line: string): PasswdEntry | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const f = line.replace(/\r$/, '').split(':');
  const uid = idField(f[2]);
  const gid = idField(f[3]);
  if (f[0] === '' || uid === undefined || gid === undefined) return undefined;
  return { name: f[0]!, uid, gid, home: f[5] ?? '' };
}

/** `name:password:gid:member,member`. */
function parseGroup(line: string): GroupEntry | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const f = line.replace(/\r$/, '').split(':');
  const gid = idField(f[2]);
  if (f[0] === '' || gid === undefined) return undefined;
  return { name: f[0]!, gid, members: (f[3] ?? '').split(',').filter((m) => m !== '') };
}
