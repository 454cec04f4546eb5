// The action run from its sources by GitHub's @github/local-action, as the README's "Run the action locally"
// says: `npx local-action run . src/action/local-action.ts .env`, with the repository's .env.example as the
// .env (only the image, where files go, and the local init-tools mirror changed). local-action swaps
// @actions/core, @actions/artifact and @actions/cache for stand-ins, so the run proves that the action's
// module graph links against those stand-ins (they export less than the real packages), that the outputs
// reach local-action (its table, not "No outputs were set!"), and that the archive is real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOciLayout } from '../helpers/image.ts';
import { initToolsImage } from '../helpers/init-tools.ts';
import { listCpioGnu } from '../helpers/cpio.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = 'src/action/local-action.ts';

let work: string;
let image: string;

beforeAll(async () => {
  work = await scratchDir('local-action-');
  const layout = join(work, 'layout');
  writeOciLayout(layout, [
    {
      ref: 'v1',
      image: {
        config: { Cmd: ['/bin/app'] },
        layers: [{ entries: [{ name: 'bin', type: 'dir' }, { name: 'bin/app', content: '#!/bin/sh\necho app\n', mode: 0o755 }] }],
      },
    },
  ]);
  image = `oci:${layout}:v1`;
});
afterAll(removeScratchDirs);

/**
 * .env.example with INPUT_IMAGE set to `image`, its `.initramfs-action/` paths moved into `dir`, and `extra`
 * lines after it (dotenv keeps the last value of a key).
 */
function envFile(dir: string, extra: Record<string, string>): string {
  const example = readFileSync(join(REPO, '.env.example'), 'utf8');
  const set = (text: string, key: string, value: string): string => {
    const line = new RegExp(`^${key}=.*$`, 'm');
    expect(text, `.env.example sets ${key}`).toMatch(line);
    return text.replace(line, `${key}=${value}`);
  };
  let text = set(example, 'INPUT_IMAGE', image);
  expect(text).toContain('=.initramfs-action/');
  text = text.replaceAll('=.initramfs-action/', `=${dir}/`);
  text += Object.entries(extra).map(([k, v]) => `${k}=${v}\n`).join('');
  const file = join(dir, '.env');
  writeFileSync(file, text);
  return file;
}

interface LocalRun {
  code: number | null;
  stdout: string;
  /** The rows of the table local-action prints under "Action Outputs". */
  outputs: Record<string, string>;
}

/** `npx local-action run . src/action/local-action.ts ENV` in the repository, in a clean environment. */
function localAction(env: string): Promise<LocalRun> {
  // A node_modules reached through a symbolic link (a git worktree sharing another checkout's install)
  // makes Node load @actions/core from its real path while local-action swaps the path through the link,
  // and the stand-ins miss; --preserve-symlinks keeps the two the same path (README, the same note).
  const linked = lstatSync(join(REPO, 'node_modules')).isSymbolicLink();
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['local-action', 'run', '.', ENTRY, env], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        // npx and the npm that local-action runs tsx through: the test runner's Node 24.
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        HOME: process.env.HOME ?? '/root',
        NO_COLOR: '1',
        ...(linked && { NODE_OPTIONS: '--preserve-symlinks' }),
      },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const after = stdout.slice(stdout.lastIndexOf('Action Outputs'));
      const outputs: Record<string, string> = {};
      for (const m of after.matchAll(/^│ \d+\s+│ '([^']*)'\s+│ '([^']*)'\s+│$/gm)) outputs[m[1]!] = m[2]!;
      resolve({ code, stdout, outputs });
    });
  });
}

const sha256 = (b: Uint8Array): string => 'sha256:' + createHash('sha256').update(b).digest('hex');

describe('npx local-action run . src/action/local-action.ts .env', () => {
  it("documents .env.example in the README with the example's own lines", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const block = /`\.env\.example` is a working start[^\n]*\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README block after "`.env.example` is a working start"').toBeDefined();
    const example = readFileSync(join(REPO, '.env.example'), 'utf8').split('\n');
    for (const line of block!.split('\n').filter((l) => l !== '')) expect(example, line).toContain(line);
  });

  it('builds the image of the .env and hands local-action outputs that describe a valid archive', async () => {
    const dir = await scratchDir('local-action-run-');
    const run = await localAction(envFile(dir, { 'INPUT_INIT-TOOLS': initToolsImage(), RUNNER_TEMP: dir }));
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toContain('No outputs were set!');
    expect(run.stdout).not.toMatch(/^::error::/m);

    const file = join(dir, 'initramfs.cpio.gz');
    const bytes = readFileSync(file);
    expect(run.outputs).toMatchObject({ path: file, digest: sha256(bytes), size: String(bytes.length), 'boot-result': 'skipped' });
    // The layer cache input at its default (true): the stand-in for @actions/cache has no
    // isFeatureAvailable, which the action takes for "no cache service", as on a runner without one.
    expect(run.outputs['cache-hit']).toBe('true');
    const names = await listCpioGnu(file);
    // The image's file, and the generated /init with the init tools' busybox beside it.
    expect(names).toEqual(expect.arrayContaining(['bin/app', 'init', '.initramfs-action/busybox']));
    expect(names.length).toBe(Number(run.outputs['entries']));
    // The job summary went where the .env said.
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(`## initramfs: initramfs.cpio.gz from ${image}`);
  });

  it('publishes to the stand-in artifact service with overwrite on a first upload (no artifact to replace)', async () => {
    const dir = await scratchDir('local-action-artifact-');
    const artifacts = join(dir, 'artifacts');
    mkdirSync(artifacts);
    const run = await localAction(
      envFile(dir, {
        'INPUT_INIT-TOOLS': initToolsImage(),
        RUNNER_TEMP: dir,
        INPUT_UPLOAD: 'artifact',
        'INPUT_ARTIFACT-NAME': 'initrd.cpio.gz',
        INPUT_OVERWRITE: 'true',
        LOCAL_ACTION_WORKSPACE: dir,
        LOCAL_ACTION_ARTIFACT_PATH: artifacts,
      }),
    );
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).not.toMatch(/^::error::/m);
    expect(run.outputs['artifact-id']).toMatch(/^\d+$/);
    // The stand-in zips what it is given: the one member is the archive, under the artifact's name.
    const zip = join(artifacts, 'initrd.cpio.gz.zip');
    const member = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const child = spawn('bsdtar', ['-xOf', zip, 'initrd.cpio.gz'], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`bsdtar exited ${code}`))));
    });
    expect(sha256(member)).toBe(run.outputs['digest']);
  });
});
