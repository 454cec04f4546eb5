// Test helper that runs the CLI as users do — a separate Node process with its own argv, env and cwd. By
// default it runs the source (src/cli/entry.ts under the test runner's Node 24, which runs TypeScript
// directly), so tests exercise the current code. With INITRAMFS_TEST_CLI_NODE set to another node binary,
// every CLI process runs the bundle, dist/cli.js, under that Node instead: .ci/run does so with Node 22 to
// prove the CLI works where `npx` users run it (vitest itself stays on Node 24).
import { spawn, spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initToolsImage } from './init-tools.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_SRC = fileURLToPath(new URL('../../src/cli/entry.ts', import.meta.url));
export const CLI_DIST = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** The node binary the CLI's processes run under when not the test runner's own (see the header). */
export const CLI_NODE: string | undefined = process.env.INITRAMFS_TEST_CLI_NODE || undefined;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean environment (PATH, HOME only, see cliEnv): nothing from the test runner leaks in. */
  env?: Record<string, string>;
  /** Shell umask for the child (applied through `sh -c 'umask X; exec …'`). */
  umask?: string;
  /** The script to run; default: src/cli/entry.ts, or dist/cli.js under INITRAMFS_TEST_CLI_NODE. */
  script?: string;
  /** The node binary to run it with; default: INITRAMFS_TEST_CLI_NODE, else the test runner's. */
  node?: string;
  /** Written to the child's standard input (e.g. a password for --password-stdin). */
  input?: string;
}

/** The node binary and script a CLI process runs with, as runCli chooses them (for tests that spawn it otherwise). */
export function cliCommand(opts: Pick<CliOptions, 'node' | 'script'> = {}): { node: string; script: string } {
  return { node: opts.node ?? CLI_NODE ?? process.execPath, script: opts.script ?? (CLI_NODE !== undefined ? CLI_DIST : CLI_SRC) };
}

/** The clean environment a CLI process gets: PATH (with the CLI's node first, for `#!/usr/bin/env node`), HOME and the init-tools image. */
export function cliEnv(node: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: `${dirname(node)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: process.env.HOME ?? '/root',
    // The default init-tools image is on Docker Hub, out of reach here: the local stand-in, as a mirror.
    INITRAMFS_ACTION_INIT_TOOLS: initToolsImage(),
    ...extra,
  };
}

/** Runs `node src/cli/entry.ts ...args` (or `script`, or dist/cli.js under CLI_NODE) and collects its output. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const { node, script } = cliCommand(opts);
  const env = cliEnv(node, opts.env);
  const [cmd, argv] =
    opts.umask === undefined
      ? [node, [script, ...args]]
      : ['/bin/sh', ['-c', `umask ${opts.umask}; exec "$0" "$@"`, node, script, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: opts.cwd ?? REPO, env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A Node older than the CLI supports, to try its version gate on for real: INITRAMFS_TEST_OLD_NODE (.ci/run
 * sets it), else the machine's /usr/bin/node. Throws, naming what it found, when that Node is not old enough.
 */
export function oldNode(isSupported: (version: string) => boolean): { node: string; version: string } {
  const node = process.env.INITRAMFS_TEST_OLD_NODE || '/usr/bin/node';
  const r = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  const version = r.status === 0 ? r.stdout.trim() : '';
  if (version === '' || isSupported(version)) {
    throw new Error(`${node} (${version || r.error?.message || r.stderr.trim()}) is not a Node the CLI refuses: set INITRAMFS_TEST_OLD_NODE to an older one`);
  }
  return { node, version };
}
