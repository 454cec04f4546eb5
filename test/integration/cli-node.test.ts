// The CLI where users meet it: `npx initramfs-action` on whatever Node the machine has, from the package as
// npm installs it. An old Node gets one line and exit 1 before any module that needs a newer one loads;
// --version is package.json's from the source, from dist/ and from the installed package.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, cliCommand, cliEnv, oldNode, REPO, CLI_DIST, type CliResult } from '../helpers/cli.ts';
import { writeOciLayout } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { isSupportedNode, MINIMUM_NODE_22 } from '../../src/cli/node-support.ts';
import { decodeNewc } from '../../src/initramfs/newc.ts';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string; license: string };

/** Runs an executable (the installed bin, through its `#!/usr/bin/env node`) with the CLI's node first on PATH. */
function runBin(bin: string, args: string[], node: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: REPO, env: cliEnv(node), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The outcome an unsupported Node must give: exit 1, nothing on stdout, one line on stderr, no stack. */
function expectRefused(r: CliResult, version: string): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`initramfs-action needs Node ${MINIMUM_NODE_22} or a newer Node 22, or Node 24 or newer; this is Node ${version}\n`);
}

let work: string;
let installedBin: string;
let installedDir: string;
let old: { node: string; version: string };

beforeAll(async () => {
  old = oldNode(isSupportedNode);
  work = await scratchDir();
  // The package exactly as published: `npm pack`, then installed from the tarball into a fresh prefix.
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as { filename: string }[];
  const prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', join(work, packed[0]!.filename)], { stdio: ['ignore', 'ignore', 'inherit'] });
  installedDir = join(prefix, 'node_modules', pkg.name);
  installedBin = join(prefix, 'node_modules', '.bin', pkg.name);
});
afterAll(removeScratchDirs);

describe('on a Node older than the CLI supports', () => {
  it('dist/cli.js --help, --version and build print which Node is needed in one line and exit 1', async () => {
    for (const args of [['--help'], ['--version'], ['build', 'oci:/nonexistent', '-o', join(work, 'never.cpio')]]) {
      expectRefused(await runCli(args, { node: old.node, script: CLI_DIST }), old.version);
    }
    expect(existsSync(join(work, 'never.cpio'))).toBe(false);
  });

  it('the installed bin, run through its shebang, refuses it the same way', async () => {
    expectRefused(await runBin(installedBin, ['--help'], old.node), old.version);
  });
});

describe('--version', () => {
  it('prints package.json version from the source', async () => {
    const r = await runCli(['--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('prints package.json version from dist/cli.js, and -V is the same', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag], { script: CLI_DIST });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('prints package.json version from the package installed out of npm pack', async () => {
    const r = await runBin(installedBin, ['--version'], cliCommand().node);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });
});

describe('the package as npm installs it', () => {
  it('carries the LICENSE package.json names, and its bin builds an image', async () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(installedDir, 'LICENSE'), 'utf8');
    expect(license).toBe(readFileSync(join(REPO, 'LICENSE'), 'utf8'));
    expect(license.split('\n').slice(0, 3)).toEqual(['MIT License', '', 'Copyright (c) 2026 The initramfs-action authors']);

    const layout = join(work, 'layout');
    writeOciLayout(layout, [{ ref: 'v1', image: { config: { Cmd: ['/bin/sh'] }, layers: [{ entries: [{ name: 'etc/hello', content: 'hi\n' }], compression: 'zstd' }] } }]);
    const out = join(work, 'installed.cpio.zst');
    const init = join(work, 'init');
    writeFileSync(init, '#!/bin/sh\n');
    const r = await runBin(installedBin, ['build', `oci:${layout}:v1`, '-o', out, '--init', init, '--cache-dir', join(work, 'cache')], cliCommand().node);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/digest: sha256:[0-9a-f]{64}\nsize: \d+\n$/);
    const zstd = execFileSync('zstd', ['-dc', out]);
    expect(decodeNewc(zstd).map((rec) => rec.name)).toContain('etc/hello');
  });
});
