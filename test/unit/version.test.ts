// --version's source of truth: the package.json named initramfs-action above the running file.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageVersion } from '../../src/cli/version.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';

afterAll(removeScratchDirs);

describe('packageVersion', () => {
  it('from src/cli/ it is the repository package.json version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(packageVersion()).toBe(pkg.version);
  });

  it('skips dist/package.json and any package.json of another name on the way up', async () => {
    const root = await scratchDir();
    const pkgDir = join(root, 'node_modules', 'initramfs-action');
    mkdirSync(join(pkgDir, 'dist'), { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'the-user-project', version: '7.7.7' }));
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: 'initramfs-action', version: '3.2.1-rc.1' }));
    writeFileSync(join(pkgDir, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    expect(packageVersion(pathToFileURL(join(pkgDir, 'dist', '480.index.js')).href)).toBe('3.2.1-rc.1');
  });

  it('says where it looked when no package.json of initramfs-action is above the file', async () => {
    const root = await scratchDir();
    writeFileSync(join(root, 'package.json'), '{ not json');
    const from = join(root, 'dist', 'cli.js');
    expect(() => packageVersion(pathToFileURL(from).href)).toThrow(`no package.json of initramfs-action in ${join(root, 'dist')} or above`);
  });
});

describe('CHANGELOG.md', () => {
  it('has an Unreleased section and one for the package.json version, with their compare/tag links', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const log = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');
    const headings = [...log.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(headings[0]).toBe('Unreleased');
    expect(headings).toContain(pkg.version);
    for (const h of headings) expect(log).toMatch(new RegExp(`^\\[${h!.replaceAll('.', '\\.')}\\]: https://`, 'm'));
    expect(pkg.files).toContain('CHANGELOG.md');
  });
});

describe('README.md', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it("names package.json's version in every npx command it shows, and says the package name", () => {
    const versions = [...readme.matchAll(/npx (?:--yes )?initramfs-action@(\S+?)[\s`]/g)].map((m) => m[1]);
    expect(versions.length).toBeGreaterThanOrEqual(3);
    expect(new Set(versions)).toEqual(new Set([pkg.version]));
    // A command without a version would run whatever npx finds first.
    expect(readme).not.toMatch(/npx (?:--yes )?initramfs-action (?:build|inspect|boot)\b/);
    expect(readme).toContain(`published on npm as the package \`${pkg.name}\``);
  });

  it('pins the action by commit in its supply-chain example with the version as the comment', () => {
    const pins = [...readme.matchAll(/org\/initramfs-action@<[^>]+> # v([^\s`]+)/g)].map((m) => m[1]);
    expect(pins.length).toBeGreaterThanOrEqual(1);
    expect(new Set(pins)).toEqual(new Set([pkg.version]));
    expect(readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8')).toContain(`\`npx initramfs-action@${pkg.version} …\``);
  });
});
