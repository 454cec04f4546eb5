// resolveUser: the image config's User turned into numbers from the model's /etc/passwd and /etc/group,
// as Docker (runc) resolves it, with trees built in code.
import { describe, expect, it } from 'vitest';
import { newDir, type Node } from '../../src/rootfs/node.ts';
import { resolveUser } from '../../src/rootfs/user.ts';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  '# a comment line',
  '',
  'broken line without fields',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'app:x:1000:1000:App:/home/app:/bin/sh',
  'nohome:x:1001:1002::',
  '2000:x:2001:2001:numeric name:/home/num:/bin/sh',
  'crlf:x:1003:1003::/home/crlf:/bin/sh\r',
].join('\n');

const GROUP = [
  'root:x:0:',
  'wheel:x:10:root,app',
  'app:x:1000:',
  'audio:x:29:app,daemon',
  'staff:x:50:',
  'nohomegrp:x:1002:',
  'video:x:44:app',
].join('\n');

const file = (text: string): Node => {
  const bytes = Buffer.from(text, 'latin1');
  return { inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: bytes.length, data: { kind: 'bytes', bytes } } };
};
const symlink = (target: string): Node => ({ inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target } });

function tree(files: Record<string, Node>): Node {
  const root = newDir();
  for (const [path, node] of Object.entries(files)) {
    const parts = path.split('/').filter(Boolean);
    let dir = root;
    for (const p of parts.slice(0, -1)) {
      let next = dir.children!.get(p);
      if (!next) dir.children!.set(p, (next = newDir()));
      dir = next;
    }
    dir.children!.set(parts.at(-1)!, node);
  }
  return root;
}

const readFile = (node: Node): Uint8Array => {
  if (node.inode.data?.kind !== 'bytes') throw new Error('not a bytes node');
  return node.inode.data.bytes;
};

const image = tree({ '/etc/passwd': file(PASSWD), '/etc/group': file(GROUP) });
const resolve = (user: string | undefined, root = image) => resolveUser(root, user, readFile);

describe('resolveUser', () => {
  it('root in every spelling is undefined: nothing to switch', () => {
    for (const u of [undefined, '', 'root', '0', '0:0']) expect(resolve(u)).toBeUndefined();
    // Also without any /etc/passwd.
    expect(resolve('root', newDir())).toBeUndefined();
  });

  it('a name takes uid, gid and home from /etc/passwd and the groups that list it', () => {
    expect(resolve('app')).toEqual({ uid: 1000, gid: 1000, groups: [10, 29, 44], home: '/home/app' });
  });

  it('a uid with a passwd entry is that entry', () => {
    expect(resolve('1')).toEqual({ uid: 1, gid: 1, groups: [29], home: '/usr/sbin' });
    expect(resolve('1000')).toEqual({ uid: 1000, gid: 1000, groups: [10, 29, 44], home: '/home/app' });
  });

  it('a uid without a passwd entry runs with gid 0 and no home, as Docker does', () => {
    expect(resolve('4242')).toEqual({ uid: 4242, gid: 0, groups: [] });
    expect(resolve('4242', newDir())).toEqual({ uid: 4242, gid: 0, groups: [] });
  });

  it('uid:gid needs no files at all', () => {
    expect(resolve('4242:4343', newDir())).toEqual({ uid: 4242, gid: 4343, groups: [] });
    expect(resolve('0:5')).toEqual({ uid: 0, gid: 5, groups: [], home: '/root' });
  });

  it('name:group, uid:group, name:gid: an explicit group replaces the passwd gid and drops supplementary groups', () => {
    expect(resolve('app:staff')).toEqual({ uid: 1000, gid: 50, groups: [], home: '/home/app' });
    expect(resolve('4242:staff')).toEqual({ uid: 4242, gid: 50, groups: [] });
    expect(resolve('app:7777')).toEqual({ uid: 1000, gid: 7777, groups: [], home: '/home/app' });
    expect(resolve('app:')).toEqual({ uid: 1000, gid: 1000, groups: [10, 29, 44], home: '/home/app' });
  });

  it('an empty home field leaves home unset; a CRLF file still parses', () => {
    expect(resolve('nohome')).toEqual({ uid: 1001, gid: 1002, groups: [] });
    expect(resolve('crlf')).toEqual({ uid: 1003, gid: 1003, groups: [], home: '/home/crlf' });
  });

  it('a number is always a uid, never a name (runc): an entry named "2000" is not user 2000', () => {
    expect(resolve('2000')).toEqual({ uid: 2000, gid: 0, groups: [] });
    expect(resolve('2001')).toEqual({ uid: 2001, gid: 2001, groups: [], home: '/home/num' });
    const numericGroup = tree({ '/etc/group': file('29:x:77:\n') });
    expect(resolve('5:29', numericGroup)).toEqual({ uid: 5, gid: 29, groups: [] });
  });

  it('a name missing from /etc/passwd is BAD_IMAGE naming the User value and the file', () => {
    expect(() => resolve('nobody')).toThrow(expect.objectContaining({ code: 'BAD_IMAGE', message: "image config User 'nobody': no user 'nobody' in the image's /etc/passwd" }));
    expect(() => resolve('nobody', newDir())).toThrow(
      expect.objectContaining({ code: 'BAD_IMAGE', message: "image config User 'nobody': the image has no /etc/passwd to look user 'nobody' up in" }),
    );
  });

  it('a group name missing from /etc/group is BAD_IMAGE naming the User value and the file', () => {
    expect(() => resolve('app:nogroup')).toThrow(expect.objectContaining({ code: 'BAD_IMAGE', message: "image config User 'app:nogroup': no group 'nogroup' in the image's /etc/group" }));
    const noGroupFile = tree({ '/etc/passwd': file(PASSWD) });
    expect(() => resolve('app:staff', noGroupFile)).toThrow(
      expect.objectContaining({ code: 'BAD_IMAGE', message: "image config User 'app:staff': the image has no /etc/group to look group 'staff' up in" }),
    );
    // Without /etc/group the name still resolves, with no supplementary groups.
    expect(resolve('app', noGroupFile)).toEqual({ uid: 1000, gid: 1000, groups: [], home: '/home/app' });
  });

  it('numbers must be 0 to 2^32-2', () => {
    expect(resolve('4294967294:4294967294', newDir())).toEqual({ uid: 4294967294, gid: 4294967294, groups: [] });
    expect(() => resolve('4294967295', newDir())).toThrow(expect.objectContaining({ code: 'BAD_IMAGE', message: expect.stringContaining('uid 4294967295 is out of range') }));
    expect(() => resolve('1:99999999999', newDir())).toThrow(expect.objectContaining({ code: 'BAD_IMAGE', message: expect.stringContaining('gid 99999999999 is out of range') }));
    // Not a number and not a name in the file.
    expect(() => resolve('-1')).toThrow(expect.objectContaining({ code: 'BAD_IMAGE' }));
  });

  it('follows symlinks inside the root: /etc/passwd -> ../usr/share/passwd, /etc -> /usr/etc', () => {
    const relative = tree({ '/usr/share/passwd': file(PASSWD), '/etc/passwd': symlink('../usr/share/passwd'), '/etc/group': file(GROUP) });
    expect(resolve('app', relative)).toEqual({ uid: 1000, gid: 1000, groups: [10, 29, 44], home: '/home/app' });
    const dirLink = tree({ '/usr/etc/passwd': file(PASSWD), '/usr/etc/group': file(GROUP), '/etc': symlink('/usr/etc') });
    expect(resolve('app:audio', dirLink)).toEqual({ uid: 1000, gid: 29, groups: [], home: '/home/app' });
    // A link that climbs out of the root stays inside it.
    const climbing = tree({ '/p/passwd': file(PASSWD), '/etc/passwd': symlink('../../../../p/passwd') });
    expect(resolve('daemon', climbing)).toEqual({ uid: 1, gid: 1, groups: [], home: '/usr/sbin' });
  });

  it('an /etc/passwd that is a directory or a dangling link counts as missing', () => {
    const dir = tree({ '/etc/passwd/x': file('') });
    expect(() => resolve('app', dir)).toThrow(expect.objectContaining({ message: expect.stringContaining('has no /etc/passwd') }));
    const dangling = tree({ '/etc/passwd': symlink('/nowhere') });
    expect(() => resolve('app', dangling)).toThrow(expect.objectContaining({ message: expect.stringContaining('has no /etc/passwd') }));
    expect(resolve('5', dangling)).toEqual({ uid: 5, gid: 0, groups: [] });
  });

  it('non-ASCII names compare as the bytes the file holds', () => {
    const root = tree({ '/etc/passwd': file(Buffer.from('jürgen:x:1500:1500::/home/jürgen:/bin/sh\n', 'utf8').toString('latin1')) });
    expect(resolve('jürgen', root)).toEqual({ uid: 1500, gid: 1500, groups: [], home: '/home/jürgen' });
  });
});
