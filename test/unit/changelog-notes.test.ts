// scripts/changelog-notes.ts: the release notes release.yml takes from CHANGELOG.md, on the real changelog
// and on the shapes Keep a Changelog allows, and run as the workflow runs it.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { changelogNotes } from '../../scripts/changelog-notes.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../scripts/changelog-notes.ts', import.meta.url));
const CHANGELOG = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const log = (...lines: string[]): string => lines.join('\n') + '\n';

describe('changelogNotes on the real CHANGELOG.md', () => {
  it("gives the package.json version's section, from its first line to the link definitions", () => {
    const notes = changelogNotes(CHANGELOG, pkg.version);
    const heading = CHANGELOG.split('\n').findIndex((l) => l.startsWith(`## [${pkg.version}]`));
    const firstLine = CHANGELOG.split('\n').slice(heading + 1).find((l) => l.trim() !== '');
    expect(notes.startsWith(`${firstLine}\n`)).toBe(true);
    expect(notes).toContain('### Added');
    expect(notes).not.toMatch(/^## /m);
    expect(notes).not.toMatch(/^\[[^\]]+\]: https:/m);
    expect(notes.endsWith('\n')).toBe(true);
    expect(notes.endsWith('\n\n')).toBe(false);
  });

  it('gives the Unreleased section up to the next version, not into it', () => {
    const notes = changelogNotes(CHANGELOG, 'Unreleased');
    expect(notes).toMatch(/^### /);
    expect(CHANGELOG).toContain(`## [Unreleased]\n\n${notes}\n## [`);
  });
});

describe('changelogNotes on edge cases', () => {
  it('reads a heading with a date after the bracket, and CRLF line endings', () => {
    const text = log('# Changelog', '', '## [1.2.0] - 2026-08-01', '', '### Fixed', '- a thing', '', '## [1.1.0] - 2026-07-01', '- older').replaceAll('\n', '\r\n');
    expect(changelogNotes(text, '1.2.0')).toBe('### Fixed\n- a thing\n');
  });

  it('tells a version from another that starts like it, and dots from any character', () => {
    const text = log('## [1.2.0-rc.1]', '- candidate', '## [1.2.0]', '- final', '## [1x2y0]', '- not a version');
    expect(changelogNotes(text, '1.2.0')).toBe('- final\n');
    expect(changelogNotes(text, '1.2.0-rc.1')).toBe('- candidate\n');
  });

  it("drops the trailing definitions of the changelog's headings but keeps one the section itself uses", () => {
    const text = log(
      '## [Unreleased]',
      '',
      '## [1.0.0]',
      '- fixes [CVE-2026-1]',
      '',
      '[CVE-2026-1]: https://example.invalid/cve',
      '',
      '[Unreleased]: https://example.invalid/compare/v1.0.0...HEAD',
      '[1.0.0]: https://example.invalid/releases/tag/v1.0.0',
    );
    expect(changelogNotes(text, '1.0.0')).toBe('- fixes [CVE-2026-1]\n\n[CVE-2026-1]: https://example.invalid/cve\n');
  });

  it('does not end a section at a ## line inside a fenced code block', () => {
    const text = log('## [2.0.0]', '- new default:', '```sh', '## [not a heading]', 'echo hi', '```', '## [1.0.0]', '- old');
    expect(changelogNotes(text, '2.0.0')).toBe(log('- new default:', '```sh', '## [not a heading]', 'echo hi', '```'));
    expect(() => changelogNotes(text, 'not a heading')).toThrow("no section '## [not a heading]'");
  });

  it('fails on a missing section, naming the version and the sections there are', () => {
    expect(() => changelogNotes(CHANGELOG, '9.9.9')).toThrow(`CHANGELOG.md has no section '## [9.9.9]' (sections: Unreleased, ${pkg.version}`);
    expect(() => changelogNotes('# Changelog\n', '1.0.0')).toThrow('(sections: none)');
  });

  it('fails on an empty section, and on a version with two sections', () => {
    expect(() => changelogNotes(log('## [1.1.0]', '', '## [1.0.0]', '- x'), '1.1.0')).toThrow("section '## [1.1.0]' is empty");
    expect(() => changelogNotes(log('## [1.0.0]', '', '[1.0.0]: https://example.invalid'), '1.0.0')).toThrow('is empty');
    expect(() => changelogNotes(log('## [1.0.0]', '- a', '## [1.0.0]', '- b'), '1.0.0')).toThrow("has 2 sections '## [1.0.0]'");
  });
});

describe('node scripts/changelog-notes.ts, as release.yml runs it', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: REPO, encoding: 'utf8' });

  it("prints the version's notes from ./CHANGELOG.md", () => {
    const r = run(pkg.version);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(changelogNotes(CHANGELOG, pkg.version));
  });

  it('exits 1 with one error line for a version without a section, and 2 without a version', () => {
    const missing = run('9.9.9');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^error: CHANGELOG.md has no section '## \[9\.9\.9\]'.*\n$/);
    const usage = run();
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: node scripts/changelog-notes.ts VERSION');
  });
});
