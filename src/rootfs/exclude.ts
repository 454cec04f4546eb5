// Excludes: rootfs-absolute globs whose matches are removed from the model, subtree included.
// `/x/**` removes everything UNDER /x and keeps /x itself (as gitignore and rsync read `dir/**`), so
// programs that expect the directory (e.g. /var/cache/apt/archives) still find it; exclude `/x` to remove
// the directory too. Matching is picomatch with dot: true against "/" + the UTF-8 form of the path.
import picomatch from 'picomatch';
import { InitramfsError } from '../errors.ts';
import { fromBytePath, type Node } from './node.ts';

type Matcher = (path: string) => boolean;

/** Parse and check globs; USAGE error for one that is not rootfs-absolute or is negated. */
export function compileExcludes(globs: readonly string[]): Matcher {
  const matchers = globs.map(compileOne);
  return (path) => matchers.some((m) => m(path));
}

function compileOne(glob: string): Matcher {
  if (glob.startsWith('!')) {
    throw new InitramfsError('USAGE', `Invalid exclude '${glob}'. Negated excludes are not supported; list what to remove, e.g. /usr/share/doc/**`);
  }
  if (!glob.startsWith('/') && !glob.startsWith('**/')) {
    throw new InitramfsError(
      'USAGE',
      `Invalid exclude '${glob}'. Excludes are absolute paths in the image (they start with "/", or "**/" to match at any depth), e.g. /${glob} or **/${glob}`,
    );
  }
  const options = { dot: true };
  const matches = picomatch(glob, options);
  if (!glob.endsWith('/**')) return matches;
  // picomatch lets `/x/**` match `/x` as well; the contract above keeps /x, so the directory itself (what
  // the glob minus its `/**` matches) is taken out again.
  const base = glob.slice(0, -3);
  const isBase = base === '' ? (p: string) => p === '/' : picomatch(base, options);
  return (p) => matches(p) && !isBase(p);
}

/**
 * Remove every entry matching one of `globs` (with its subtree) from `root`. Symlinks are matched by
 * their own path, never followed. The root itself is never removed. Returns how many names matched.
 */
export function applyExcludes(root: Node, globs: readonly string[]): number {
  if (globs.length === 0) return 0;
  const matches = compileExcludes(globs);
  let removed = 0;
  // Directories still to visit, with their paths: a stack rather than recursion, so a tree thousands of
  // directories deep cannot exhaust the call stack. Each path is matched once whatever the order.
  const pending: Array<[Node, string]> = [[root, '']];
  while (pending.length > 0) {
    const [dir, prefix] = pending.pop()!;
    for (const [name, child] of [...dir.children!]) {
      const path = prefix + '/' + name;
      if (matches(fromBytePath(path))) {
        dir.children!.delete(name);
        removed++;
      } else if (child.children !== undefined) {
        pending.push([child, path]);
      }
    }
  }
  return removed;
}
