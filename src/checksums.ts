// `<archive>.sha256` beside the archive, in the format `sha256sum` writes and `sha256sum -c` checks: the hex
// digest, two spaces (text mode, as GNU writes by default), the file's name. The name is the basename, so
// the pair can be downloaded together anywhere and checked there: `x.cpio.gz` for `C:\out\x.cpio.gz` on
// a Windows runner too, never the Windows path. Written atomically like the archive.
import { join } from 'node:path';
import { pathFor } from './host-path.ts';
import { writeOutputFile } from './output.ts';

/** The checksum file's name for an archive path. */
export const checksumPath = (archive: string): string => `${archive}.sha256`;

/**
 * The `sha256sum` line for `file` (a path on `platform`) with `digest` (`sha256:<hex>`). GNU escapes a
 * name holding a backslash or a newline: the line then starts with a backslash, and those characters are
 * written `\\` and `\n` (a base name on Windows holds neither).
 */
export function checksumLine(digest: string, file: string, platform: NodeJS.Platform = process.platform): string {
  const hex = digest.replace(/^sha256:/, '');
  const name = pathFor(platform).basename(file);
  if (!/[\\\n]/.test(name)) return `${hex}  ${name}\n`;
  return `\\${hex}  ${name.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}\n`;
}

/**
 * Writes `<archive>.sha256` for `archive` (whose sha256 is `digest`) and returns its path. `as` names the
 * archive as it will be downloaded when that is another name (an artifact carries the artifact's name):
 * the file is then `<dir>/<as>.sha256` and its line names `as`.
 */
export async function writeChecksumFile(archive: string, digest: string, as?: { name: string; dir: string }): Promise<string> {
  const named = as === undefined ? archive : join(as.dir, as.name);
  const path = checksumPath(named);
  await writeOutputFile(path, checksumLine(digest, named), { label: 'checksums', text: true });
  return path;
}
