// Test helper that runs the CLI as users do — a separate Node process with its own argv, env and cwd — from
// src/ (Node 24 runs the TypeScript directly), so tests always exercise the current source. dist/ is
// checked against src/ by .ci/run, and one test runs dist/cli.js itself.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI_SRC = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const CLI_DIST = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a clean environment (PATH, HOME only): nothing from the test runner leaks in. */
  env?: Record<string, string>;
  /** Shell umask for the child (applied through `sh -c 'umask X; exec …'`). */
  umask?: string;
  script?: string;
  /** Written to the child's standard input (e.g. a password for --password-stdin). */
  input?: string;
}

/** Runs `node src/cli/main.ts ...args` (or `script`) and collects its output. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const script = opts.script ?? CLI_SRC;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...opts.env };
  const [cmd, argv] =
    opts.umask === undefined
      ? [process.execPath, [script, ...args]]
      : ['/bin/sh', ['-c', `umask ${opts.umask}; exec "$0" "$@"`, process.execPath, script, ...args]];
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
