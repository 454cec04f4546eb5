// Test helper that runs the bundled action the way a GitHub runner does: `node dist/index.js` in a clean
// environment with one INPUT_<NAME> variable per input (upper-cased, hyphens kept, as the runner spells
// them), files behind GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and RUNNER_TEMP / GITHUB_WORKSPACE
// directories. It returns the outputs parsed from the file the action wrote.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initToolsImage } from './init-tools.ts';

export const ACTION_DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The whole summary file after the step (with `summaryFile`, the earlier steps' sections too). */
  summary: string;
  /** `::error::` lines (what setFailed printed), without the prefix. */
  errors: string[];
  /** `::warning::` lines, without the prefix. */
  warnings: string[];
}

export interface ActionRunOptions {
  /** The workspace (cwd of the step, GITHUB_WORKSPACE). */
  workspace: string;
  /** RUNNER_TEMP: the action's cache lives under it, so a new one means a new runner. */
  runnerTemp: string;
  /** Added to the clean environment (e.g. the fake GitHub services' variables). */
  env?: Record<string, string>;
  /**
   * GITHUB_STEP_SUMMARY, appended to as it is: the runner gives each step a file of its own and shows a
   * job's files one after the other, so a file shared by several runs is that page. Default: a new empty
   * file.
   */
  summaryFile?: string;
}

/** The runner's name for an input's variable: INPUT_ + upper case, spaces to underscores, hyphens kept. */
export const inputVariable = (name: string): string => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;

/** Parses GITHUB_OUTPUT's `name<<DELIM\nvalue\nDELIM` records (and plain `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]!);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

const commandLines = (stdout: string, command: string): string[] =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith(`::${command}`))
    .map((l) => l.slice(l.indexOf('::', 2) + 2));

export function runAction(inputs: Record<string, string>, opts: ActionRunOptions): Promise<ActionRun> {
  mkdirSync(opts.runnerTemp, { recursive: true });
  const files = mkdtempSync(join(opts.runnerTemp, '_runner_file_commands-'));
  const outputFile = join(files, 'output');
  const summaryFile = opts.summaryFile ?? join(files, 'summary');
  writeFileSync(outputFile, '');
  if (opts.summaryFile === undefined || !existsSync(summaryFile)) writeFileSync(summaryFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/root',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: opts.workspace,
    RUNNER_TEMP: opts.runnerTemp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '1001',
    // Docker Hub's busybox (the default init tools) is out of reach here: the local stand-in, as a mirror.
    INITRAMFS_ACTION_INIT_TOOLS: initToolsImage(),
    ...opts.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACTION_DIST], { cwd: opts.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        summary: readFileSync(summaryFile, 'utf8'),
        errors: commandLines(stdout, 'error'),
        warnings: commandLines(stdout, 'warning'),
      }),
    );
  });
}
