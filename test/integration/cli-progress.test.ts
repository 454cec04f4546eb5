// Progress as users see it. In a real terminal: the CLI builds in a tmux pane of 80, then 60 columns, its
// stdout sent to a file so the pane holds only the display, and the pane read back with capture-pane. Lines
// longer than the pane (a long layout path, the image digest) are cut to fit, so every redraw happens in
// place: one row per stage, no stacked copies and no wrapped fragments. Not in a terminal (a CI log): plain
// lines, each stage's end with its duration.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliCommand, cliEnv, runCli } from '../helpers/cli.ts';
import { writeOciLayout } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { width } from '../../src/cli/progress.ts';

let work: string;
let layout: string;
const servers: string[] = [];

beforeAll(async () => {
  // A long directory name, so that the image reference alone is wider than either pane.
  work = await scratchDir('initramfs-terminal-test-with-a-rather-long-directory-name-');
  layout = join(work, 'layout');
  // Incompressible bytes, so the archive stage takes long enough to draw its progress a few times.
  writeOciLayout(layout, [
    {
      ref: 'v1',
      image: {
        config: { Cmd: ['/bin/sh', '-c', 'echo hi'] },
        layers: [{ entries: [{ name: 'bin/sh', content: '#!fake\n', mode: 0o755 }, { name: 'data/blob', content: randomBytes(12 << 20) }], compression: 'none' }],
      },
    },
  ]);
});

afterAll(async () => {
  for (const socket of servers) spawnSync('tmux', ['-S', socket, 'kill-server']);
  await removeScratchDirs();
});

/** tmux against this test's own server (its socket in the scratch directory, no user configuration). */
function tmux(socket: string, args: string[], env?: Record<string, string>): string {
  const r = spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** Runs a build in a detached pane of `columns` columns and returns the pane's rows once the CLI has exited. */
async function buildInPane(columns: number): Promise<{ rows: string[]; status: string; stdout: string }> {
  const socket = join(work, `tmux-${columns}`);
  const conf = join(work, 'tmux.conf');
  // The pane stays (dead) after the CLI exits, so its status and screen can be read.
  writeFileSync(conf, 'set-option -g remain-on-exit on\n');
  const { node, script } = cliCommand();
  const stdoutFile = join(work, `stdout-${columns}`);
  const out = join(work, `out-${columns}.cpio.gz`);
  const cmd = [node, script, 'build', `oci:${layout}:v1`, '-o', out, '--cache-dir', join(work, `cache-${columns}`)];
  servers.push(socket);
  tmux(socket, ['-f', conf, 'new-session', '-d', '-x', String(columns), '-y', '40', '--', 'sh', '-c', '"$@" > "$0"; echo $? > "$0.status"', stdoutFile, ...cmd], cliEnv(node));
  const deadline = Date.now() + 120_000;
  let state = '';
  while (Date.now() < deadline) {
    state = tmux(socket, ['display-message', '-p', '#{pane_dead} #{pane_width}']).trim();
    if (state.startsWith('1 ')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const [dead, paneWidth] = state.split(' ');
  expect(dead, 'the CLI did not finish in time').toBe('1');
  expect(paneWidth).toBe(String(columns));
  // tmux's own note at the bottom of a dead pane is not the CLI's
  const rows = tmux(socket, ['capture-pane', '-p', '-S', '-', '-E', '-']).split('\n').filter((row) => !row.startsWith('Pane is dead'));
  tmux(socket, ['kill-server']);
  while (rows.length > 0 && rows.at(-1)!.trim() === '') rows.pop();
  return { rows, status: readFileSync(`${stdoutFile}.status`, 'utf8').trim(), stdout: readFileSync(stdoutFile, 'utf8') };
}

describe('the live progress display in a real terminal (tmux)', () => {
  for (const columns of [80, 60]) {
    it(`at ${columns} columns it redraws in place: one row per stage, each cut to fit, no stacked copies`, async () => {
      const { rows, status, stdout } = await buildInPane(columns);
      expect(status, rows.join('\n')).toBe('0');
      expect(stdout).toMatch(/digest: sha256:[0-9a-f]{64}\n/);
      const done = (stage: string): RegExp => new RegExp(`^\\[${stage}\\] ✓ .*\\(\\d+\\.\\d s\\)$`);
      expect(rows, JSON.stringify(rows)).toHaveLength(5);
      expect(rows[0]).toMatch(done('resolve'));
      expect(rows[0]).toMatch(/^\[resolve\] ✓ oci:\/.*initramfs-terminal-test-with-.*… \(\d+\.\d s\)$/); // cut to fit
      expect(rows[1]).toMatch(done('layers'));
      // printed while the rootfs stage's line was live: it cleared the line, which came back below it
      expect(rows[2]).toBe('generated /init: network cmdline, on exit poweroff');
      expect(rows[3]).toMatch(done('rootfs'));
      expect(rows[4]).toMatch(done('archive'));
      for (const row of rows) expect(width(row), row).toBeLessThan(columns);
    });
  }
});

describe('the plain log (stderr not a terminal)', () => {
  it("gives each stage's duration when it ends, and no escape codes", async () => {
    const r = await runCli(['build', `oci:${layout}:v1`, '-o', join(work, 'plain.cpio.gz'), '--cache-dir', join(work, 'cache-plain')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/\x1b|\r/);
    const lines = new Map<string, string[]>();
    for (const line of r.stderr.split('\n')) {
      const stage = /^\[(\w+)\] /.exec(line)?.[1];
      if (stage) lines.set(stage, [...(lines.get(stage) ?? []), line]);
    }
    expect([...lines.keys()]).toEqual(['resolve', 'layers', 'rootfs', 'archive']);
    for (const [stage, [start, end, ...more]] of lines) {
      expect(more, stage).toEqual([]);
      expect(start, stage).not.toMatch(/\(\d+\.\d s\)$/);
      expect(end, stage).toMatch(/ \(\d+\.\d s\)$/);
    }
    expect(lines.get('archive')![1]).toContain('plain.cpio.gz');
  });
});
