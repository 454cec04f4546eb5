// The package's version for --version, read from the package.json of initramfs-action itself: the first
// one above the running file whose name is ours. That is the repository's from src/cli/ and from dist/,
// and the installed package's under node_modules (dist/package.json, which only sets the module type, is
// skipped by its name). Read at run time rather than bundled, so dist/ does not change with the version.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'initramfs-action';

/** The version of the package that `fileUrl` (default: this module) belongs to. */
export function packageVersion(fileUrl: string = import.meta.url): string {
  const start = dirname(fileURLToPath(fileUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    let pkg: { name?: unknown; version?: unknown } | undefined;
    try {
      pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
    } catch {
      // no package.json here (or not JSON): keep looking
    }
    if (pkg?.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    if (dirname(dir) === dir) throw new Error(`no package.json of ${PACKAGE_NAME} in ${start} or above`);
  }
}
