// generateInit: the generated /init run for real with /bin/sh (dash) on this host, with the mount command,
// console and power-off replaced by harmless hooks, so every argument and Env value is checked byte for
// byte as the command receives it.
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import type { ImageConfig } from '../../src/image/types.ts';
import { DEFAULT_PATH, generateInit, shellQuote, STATUS_PREFIX, type InitHooks } from '../../src/initramfs/init-script.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);

const NASTY = ['', ' ', 'a b', "it's", "'", "''", '"dq"', '$HOME', '${PATH}', '`id`', '$(id)', 'back\\slash', '\\n', 'new\nline', '\n', '*', '?', '[a]', '-n', '--', '-e', 'tab\t', 'ünï ☃', '; rm -rf /', '|&<>', '#not a comment', '~'];

let work: string;
let printer: string;

beforeAll(async () => {
  work = await scratchDir();
  // Records exactly what the command got, then exits 7 so the reported status can be checked.
  printer = join(work, 'printer.mjs');
  await writeFile(
    printer,
    `import { writeFileSync } from 'node:fs';
writeFileSync(process.env.OUT, JSON.stringify({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd() }));
process.exit(7);
`,
  );
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  console: string;
  seen?: { argv: string[]; env: Record<string, string>; cwd: string };
}

let runs = 0;
async function run(config: ImageConfig, hooks: Partial<InitHooks> = {}): Promise<Run> {
  const dir = join(work, `run-${runs++}`);
  await mkdir(dir);
  const consoleFile = join(dir, 'console');
  const out = join(dir, 'out.json');
  const script = join(dir, 'init');
  const withOut: ImageConfig = { ...config, Env: [...(config.Env ?? []), `OUT=${out}`] };
  await writeFile(script, generateInit(withOut, { mount: 'echo mount', console: consoleFile, poweroff: 'echo poweroff-reached', ...hooks }));
  // The kernel starts init with only HOME and TERM (plus unknown command-line words).
  const r = spawnSync('/bin/sh', [script], { env: { HOME: '/', TERM: 'linux' }, encoding: 'utf8', timeout: 20_000 });
  const read = async (p: string) => readFile(p, 'utf8').catch(() => '');
  const seen = await read(out);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, console: await read(consoleFile), seen: seen ? JSON.parse(seen) : undefined };
}

describe('generateInit', () => {
  it('passes every argument exactly: spaces, quotes, $, backticks, backslashes, newlines, globs, empty strings', async () => {
    const r = await run({ Entrypoint: [process.execPath, printer], Cmd: NASTY });
    expect(r.seen?.argv).toEqual(NASTY);
  });

  it('runs Entrypoint then Cmd, as Docker does', async () => {
    const r = await run({ Entrypoint: [process.execPath], Cmd: [printer, 'from-cmd'] });
    expect(r.seen?.argv).toEqual(['from-cmd']);
    const onlyEntry = await run({ Entrypoint: [process.execPath, printer, 'e'] });
    expect(onlyEntry.seen?.argv).toEqual(['e']);
    const onlyCmd = await run({ Cmd: [process.execPath, printer, 'c'], Entrypoint: null });
    expect(onlyCmd.seen?.argv).toEqual(['c']);
  });

  it('exports each Env entry exactly', async () => {
    const env = NASTY.map((v, i) => `V${i}=${v}`);
    env.push('EQ=a=b=c', 'PATH=/custom/bin:/bin');
    const r = await run({ Entrypoint: [process.execPath, printer], Env: env });
    NASTY.forEach((v, i) => expect(r.seen?.env[`V${i}`]).toBe(v));
    expect(r.seen?.env['EQ']).toBe('a=b=c');
    expect(r.seen?.env['PATH']).toBe('/custom/bin:/bin');
  });

  it('looks a bare command name up in the image PATH from Env', async () => {
    const bin = join(work, 'image bin');
    await mkdir(bin);
    await writeFile(join(bin, 'mycmd'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(printer)} "$@"\n`, { mode: 0o755 });
    const r = await run({ Cmd: ['mycmd', 'arg'], Env: [`PATH=${bin}:/usr/bin:/bin`] });
    expect(r.seen?.argv).toEqual(['arg']);
  });

  it('sets the Docker default PATH when Env has none', async () => {
    const r = await run({ Entrypoint: [process.execPath, printer], Env: ['A=1'] });
    expect(r.seen?.env['PATH']).toBe(DEFAULT_PATH);
    expect(DEFAULT_PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });

  it('skips Env entries whose name sh cannot export, and still runs the command', async () => {
    const r = await run({ Entrypoint: [process.execPath, printer], Env: ['a.b=1', 'a-b=2', '1X=3', 'NOEQ', 'OK=4'] });
    expect(r.seen?.env['OK']).toBe('4');
    expect(r.seen?.env['a.b']).toBeUndefined();
  });

  it('changes to WorkingDir', async () => {
    const wd = join(work, "work dir with 'quotes' and $x");
    await mkdir(wd);
    const r = await run({ Entrypoint: [process.execPath, printer], WorkingDir: wd });
    expect(r.seen?.cwd).toBe(wd);
  });

  it('a WorkingDir that cannot be entered is reported, the command does not run, a failure status is printed', async () => {
    const r = await run({ Entrypoint: [process.execPath, printer], WorkingDir: '/nonexistent/dir' });
    expect(r.seen).toBeUndefined();
    expect(r.stderr).toContain('cannot change to WorkingDir /nonexistent/dir');
    expect(r.console).toBe(`${STATUS_PREFIX}1\n`);
    expect(r.stdout).toContain('poweroff-reached');
  });

  it('prints the command exit status to the console, then powers off', async () => {
    const r = await run({ Entrypoint: [process.execPath, printer] });
    expect(r.console).toBe('initramfs-action: command exited with status 7\n');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('poweroff-reached');
  });

  it('mounts /proc, /sys and /dev before the command, tolerating each failure with a message', async () => {
    const ok = await run({ Entrypoint: [process.execPath, printer] });
    expect(ok.stdout.split('\n').slice(0, 3)).toEqual(['mount -t proc proc /proc', 'mount -t sysfs sysfs /sys', 'mount -t devtmpfs devtmpfs /dev']);
    const failing = await run({ Entrypoint: [process.execPath, printer] }, { mount: 'false' });
    for (const m of ['/proc', '/sys', '/dev']) expect(failing.stderr).toContain(`could not mount ${m}`);
    expect(failing.seen?.argv).toEqual([]);
    expect(failing.console).toBe(`${STATUS_PREFIX}7\n`);
  });

  it('a command that is not found is reported with its status (127)', async () => {
    const r = await run({ Cmd: ['/no/such/binary', 'x'] });
    expect(r.console).toBe(`${STATUS_PREFIX}127\n`);
  });

  it('the default script mounts for real, does not exec the command, and powers off with poweroff -f, sysrq, then sleeps', () => {
    const script = generateInit({ Cmd: ['/app'] });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain('mount -t proc proc /proc ||');
    expect(script).toContain('mount -t devtmpfs devtmpfs /dev ||');
    expect(script).not.toMatch(/^\s*exec /m);
    expect(script).toContain('> /dev/console');
    const tail = script.slice(script.indexOf('status=$?'));
    expect(tail.indexOf('poweroff -f')).toBeGreaterThan(0);
    expect(tail.indexOf('/proc/sysrq-trigger')).toBeGreaterThan(tail.indexOf('poweroff -f'));
    expect(tail.indexOf('sleep')).toBeGreaterThan(tail.indexOf('/proc/sysrq-trigger'));
    // Parse only (-n): running it here would mount over the host's /proc and power it off.
    const r = spawnSync('/bin/sh', ['-n'], { input: script, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('is deterministic', () => {
    const config: ImageConfig = { Entrypoint: ['/a'], Cmd: ['b'], Env: ['X=1'], WorkingDir: '/w' };
    expect(generateInit(config)).toBe(generateInit(structuredClone(config)));
  });

  it('throws NO_INIT when the config has neither Entrypoint nor Cmd', () => {
    for (const config of [{}, { Entrypoint: null, Cmd: null }, { Entrypoint: [], Cmd: [] }] as ImageConfig[]) {
      expect(() => generateInit(config)).toThrow(new InitramfsError('NO_INIT', 'image config has no Entrypoint or Cmd; pass --init'));
      try {
        generateInit(config);
      } catch (e) {
        expect((e as InitramfsError).code).toBe('NO_INIT');
      }
    }
  });

  it('throws BAD_IMAGE for a NUL in an argument, which exec cannot pass', () => {
    expect(() => generateInit({ Cmd: ['a\0b'] })).toThrow(expect.objectContaining({ code: 'BAD_IMAGE' }));
  });

  it("shellQuote wraps in single quotes and turns ' into '\\''", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});
