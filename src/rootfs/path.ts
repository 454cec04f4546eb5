// Path policy for names that come from layers, link targets and options: a raw byte-string path becomes a
// list of components relative to the rootfs root, or is refused. Metadata only: nothing here (or anywhere
// in rootfs/) touches the host filesystem because of what an image says.
//
// The policy, as a user sees it:
// - Names are normalised: leading "/" and "./" are stripped (absolute names are CONFINED to the root, as
//   tar does), repeated slashes and "." components are removed, a trailing "/" is removed. An empty name or
//   "." is the root itself (a root directory entry updates the root's metadata).
// - A name with a ".." component is DROPPED with a warning naming the layer and the entry: such names are
//   hostile, are never emitted and never resolved. The same holds for hardlink targets and whiteouts.
// - When a PARENT component of an entry's path is a symlink in the tree, it is resolved INSIDE the root,
//   like a chroot (umoci's securejoin, Docker's chrooted extraction): absolute targets start at the root,
//   ".." stops at the root, at most 40 symlinks are followed (more: the entry is dropped with a warning,
//   "too many levels of symbolic links"). So `evil -> /etc` + `evil/passwd` writes the model's
//   /etc/passwd and `up -> ../../../..` + `up/x` writes /x. The final component is never followed: an
//   entry replaces a symlink at its own name. A parent component that is a non-directory (file, device)
//   drops the entry with a warning, where tar would fail with ENOTDIR.
// - Hardlink targets are normalised and resolved the same way (a target that is missing or a directory
//   drops the link with a warning).

/** A path split into components; [] is the root. */
export type PathComponents = string[];

/** Result of normalising a raw name: its components, or why it is refused. */
export type NormalisedPath = { ok: true; components: PathComponents } | { ok: false; reason: string };

/**
 * Normalise a raw (byte-string) name from a tar entry, link target or option into components under the
 * root. Refuses names with a ".." component and names containing NUL.
 */
export function normalisePath(raw: string): NormalisedPath {
  // A NUL cannot be in a real path; a name carrying one was crafted to mean two things to two readers.
  if (raw.includes('\0')) return { ok: false, reason: 'name contains a NUL byte' };
  const components: PathComponents = [];
  for (const part of raw.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return { ok: false, reason: 'name has a ".." component' };
    components.push(part);
  }
  return { ok: true, components };
}

/** Components → the rootfs-absolute form used in messages and globs ("/" for the root). */
export const joinPath = (components: readonly string[]): string => '/' + components.join('/');
