// The release notes of one version: the body of CHANGELOG.md's `## [VERSION]` section (Keep a Changelog),
// which the release workflow (.github/workflows/release.yml) gives `gh release create` as the notes.
//
//   node scripts/changelog-notes.ts 1.2.0 [CHANGELOG.md]   → the section's body on standard output
//
// A version without a section, with an empty one or with two is an error that names the version: a release
// must not go out with notes about something else, or none.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A `## [name]` heading, with whatever follows the bracket (Keep a Changelog's ` - 2026-08-01`). */
const HEADING = /^## \[([^\]]+)\]/;
/** A link reference definition, `[name]: https://…`, as Keep a Changelog puts one per heading at the end. */
const DEFINITION = /^\[([^\]]+)\]:\s/;
const FENCE = /^\s*(```|~~~)/;

/** The lines of `markdown` that are outside fenced code blocks are marked true. */
function outsideFences(lines: string[]): boolean[] {
  let fenced = false;
  return lines.map((line) => {
    if (FENCE.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/**
 * The body of the `## [version]` section of `changelog`: from the line after its heading to the next `## `
 * heading, without the link definitions of the changelog's own headings that end the file, and without
 * leading and trailing blank lines. Throws when the section is missing, empty, or there twice.
 */
export function changelogNotes(changelog: string, version: string): string {
  const lines = changelog.split(/\r?\n/);
  const outside = outsideFences(lines);
  const headings: { name: string; at: number }[] = [];
  lines.forEach((line, i) => {
    const m = outside[i] ? HEADING.exec(line) : null;
    if (m) headings.push({ name: m[1]!, at: i });
  });
  const matches = headings.filter((h) => h.name === version);
  if (matches.length === 0) {
    const known = headings.map((h) => h.name).join(', ') || 'none';
    throw new Error(`CHANGELOG.md has no section '## [${version}]' (sections: ${known}); move the release's entries from [Unreleased] into one`);
  }
  if (matches.length > 1) throw new Error(`CHANGELOG.md has ${matches.length} sections '## [${version}]'; keep one`);
  const start = matches[0]!.at + 1;
  const next = lines.findIndex((line, i) => i >= start && outside[i] && /^## /.test(line));
  let body = lines.slice(start, next === -1 ? lines.length : next);
  // The last section runs into the definitions of every heading's link ([1.2.0]: https://…compare/…):
  // those are dropped, a definition the section's own text uses is kept.
  const names = new Set(headings.map((h) => h.name));
  const isNoise = (line: string): boolean => line.trim() === '' || names.has(DEFINITION.exec(line)?.[1] ?? '\0');
  while (body.length > 0 && isNoise(body[body.length - 1]!)) body = body.slice(0, -1);
  while (body.length > 0 && body[0]!.trim() === '') body = body.slice(1);
  if (body.length === 0) throw new Error(`CHANGELOG.md's section '## [${version}]' is empty; write what the release changes`);
  return body.join('\n') + '\n';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [version, file = 'CHANGELOG.md'] = process.argv.slice(2);
  if (version === undefined || version.startsWith('-')) {
    process.stderr.write('usage: node scripts/changelog-notes.ts VERSION [CHANGELOG.md]\n');
    process.exit(2);
  }
  try {
    process.stdout.write(changelogNotes(readFileSync(file, 'utf8'), version));
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
