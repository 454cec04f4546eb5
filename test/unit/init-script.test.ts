// generateInit and udhcpcScript: the generated scripts run for real by this host's static busybox
// (/bin/busybox, as the archive's /.initramfs-action/busybox runs them in the guest), with the files the
// script reads and writes moved under a scratch root and every applet that changes the machine (mount,
// hostname, ip, insmod, udhcpc, poweroff, …) replaced by a function that records its arguments. So every
// argument, Env value, kernel command line and network decision is checked as the guest would see it.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitramfsError } from '../../src/errors.ts';
import type { ImageConfig } from '../../src/image/types.ts';
import {
  BUSYBOX_PATH,
  DEFAULT_PATH,
  generateInit,
  shellQuote,
  SHELL_WORD,
  STATUS_PREFIX,
  TOOLS_DIR,
  UDHCPC_SCRIPT_PATH,
  udhcpcScript,
  type InitHooks,
  type InitPlan,
} from '../../src/initramfs/init-script.ts';
import { removeScratchDirs, scratchDir } from '../helpers/tree.ts';

afterAll(removeScratchDirs);

const BUSYBOX = '/bin/busybox';
const isRoot = process.getuid?.() === 0;

const NASTY = ['', ' ', 'a b', "it's", "'", "''", '"dq"', '$HOME', '${PATH}', '`id`', '$(id)', 'back\\slash', '\\n', 'new\nline', '\n', '*', '?', '[a]', '-n', '--', '-e', 'tab\t', 'ünï ☃', '; rm -rf /', '|&<>', '#not a comment', '~'];

const PLAN: InitPlan = { hostname: 'guest', network: 'none', onExit: 'poweroff', modules: [] };

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

interface Setup {
  /** /proc/cmdline (default: `console=ttyS0`). */
  cmdline?: string;
  /** Interfaces in /sys/class/net besides lo (default eth0). */
  interfaces?: string[];
  /** Names in /sys/module (built in or loaded). */
  loaded?: string[];
  /** IPv4 address an interface already has, as `ip -4 -o addr show` prints it. */
  addresses?: Record<string, string>;
  /** Shell `case` patterns of recorded commands that fail. */
  fail?: string[];
  /** Files to create under the root before the run. */
  files?: Record<string, string>;
  /** Symlinks to create under the root before the run: path → target. */
  links?: Record<string, string>;
  hooks?: Partial<InitHooks>;
  /** Text on init's stdin (the console). */
  input?: string;
  /** Run the script as PID 1 of a new PID namespace (root only). */
  pid1?: boolean;
  /** PATH points nowhere from the start, so a tool called through PATH fails. */
  pathNowhere?: boolean;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What init printed on its console. */
  console: string;
  /** The recorded machine commands, the scratch root removed from their arguments. */
  log: string[];
  root: string;
  dir: string;
  script: string;
  seen?: { argv: string[]; env: Record<string, string>; cwd: string };
}

let runs = 0;
async function run(config: ImageConfig, plan: Partial<InitPlan> = {}, setup: Setup = {}): Promise<Run> {
  const dir = join(work, `run-${runs++}`);
  const root = join(dir, 'root');
  await mkdir(join(root, 'proc'), { recursive: true });
  await mkdir(join(root, 'sys/class/net/lo'), { recursive: true });
  for (const i of setup.interfaces ?? ['eth0']) await mkdir(join(root, 'sys/class/net', i));
  for (const m of setup.loaded ?? []) await mkdir(join(root, 'sys/module', m), { recursive: true });
  await writeFile(join(root, 'proc/cmdline'), `${setup.cmdline ?? 'console=ttyS0'}\n`);
  for (const [path, text] of Object.entries(setup.files ?? {})) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const [path, target] of Object.entries(setup.links ?? {})) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await symlink(target, join(root, path));
  }
  // The command may run as another user: let it write its record here.
  await chmod(dir, 0o777);
  const consoleFile = join(dir, 'console');
  const logFile = join(dir, 'log');
  const out = join(dir, 'out.json');
  const script = join(dir, 'init');
  const answers = Object.entries(setup.addresses ?? {}).map(
    ([i, a]) => `\t'ip -4 -o addr show dev ${i}') printf '%s\\n' '2: ${i}    inet ${a} brd + scope global ${i}\\       valid_lft forever preferred_lft forever' ;;`,
  );
  const prelude = [
    `rec() {`,
    `\tprintf '%s\\n' "$*" >>${shellQuote(logFile)}`,
    `\tcase "$*" in`,
    ...answers,
    ...(setup.fail ?? []).map((p) => `\t${p}) return 1 ;;`),
    `\tesac`,
    `}`,
    ...(setup.pathNowhere ? ['PATH=/nonexistent', 'export PATH'] : []),
  ].join('\n');
  const withOut: ImageConfig = { ...config, Env: [...(config.Env ?? []), `OUT=${out}`] };
  const text = generateInit(withOut, { ...PLAN, ...plan }, {
    busybox: BUSYBOX,
    root: shellQuote(root),
    console: shellQuote(consoleFile),
    prelude,
    system: 'rec',
    // A new process: it records itself (the function rec is not there).
    shell: `"$BB" sh -c ${shellQuote(`printf '%s\n' "shell PATH=$PATH HOME=$HOME PWD=$PWD" >>${shellQuote(logFile)}`)}`,
    hang: 'rec hang; exit 0',
    ...setup.hooks,
  });
  await writeFile(script, text);
  // The kernel starts init with only HOME and TERM (plus unknown command-line words).
  const argv = setup.pid1 ? ['unshare', ['--pid', '--fork', '--mount-proc', BUSYBOX, 'sh', script]] as const : [BUSYBOX, ['sh', script]] as const;
  const r = spawnSync(argv[0], argv[1], { env: { HOME: '/', TERM: 'linux' }, encoding: 'utf8', timeout: 20_000, input: setup.input ?? '' });
  const read = async (p: string) => readFile(p, 'utf8').catch(() => '');
  const seen = await read(out);
  const parsed = (() => {
    try {
      return JSON.parse(seen) as Run['seen'];
    } catch {
      return undefined; // a test command that writes something else there
    }
  })();
  const log = (await read(logFile)).split('\n').filter((l) => l !== '').map((l) => l.replaceAll(root, ''));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, console: await read(consoleFile), log, root, dir, script: text, seen: parsed };
}

const cmd = (...args: string[]): ImageConfig => ({ Entrypoint: [process.execPath, printer], Cmd: args });
const say = (line: string): string => `initramfs-action: ${line}\n`;

describe('generateInit: the command', () => {
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

  it('exports each Env entry exactly, also one named like a variable of the script (BB, CONSOLE, ROOT)', async () => {
    const env = NASTY.map((v, i) => `V${i}=${v}`);
    env.push('EQ=a=b=c', 'PATH=/custom/bin:/bin', 'BB=/not/busybox', 'CONSOLE=/nowhere', 'ROOT=/elsewhere', 'CDPATH=/tmp');
    const r = await run({ Entrypoint: [process.execPath, printer], Env: env });
    NASTY.forEach((v, i) => expect(r.seen?.env[`V${i}`]).toBe(v));
    expect(r.seen?.env['EQ']).toBe('a=b=c');
    expect(r.seen?.env['PATH']).toBe('/custom/bin:/bin');
    expect(r.seen?.env['BB']).toBe('/not/busybox');
    expect(r.console).toBe(`${STATUS_PREFIX}7\n`);
  });

  it('looks a bare command name up in the image PATH from Env', async () => {
    const bin = join(work, 'image bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'mycmd'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(printer)} "$@"\n`, { mode: 0o755 });
    const r = await run({ Cmd: ['mycmd', 'arg'], Env: [`PATH=${bin}:/usr/bin:/bin`] });
    expect(r.seen?.argv).toEqual(['arg']);
  });

  it('sets the Docker default PATH and HOME=/ when Env has none, and busybox is not on that PATH', async () => {
    const r = await run({ Entrypoint: [process.execPath, printer], Env: ['A=1'] });
    expect(r.seen?.env['PATH']).toBe(DEFAULT_PATH);
    expect(r.seen?.env['HOME']).toBe('/');
    expect(DEFAULT_PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    const withHome = await run({ Entrypoint: [process.execPath, printer], Env: ['HOME=/data'] }, { user: { uid: 0, gid: 0, groups: [], home: '/root' } });
    expect(withHome.seen?.env['HOME']).toBe('/data');
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
    expect(r.console).toBe(say('cannot change to WorkingDir /nonexistent/dir') + `${STATUS_PREFIX}1\n`);
    expect(r.log.slice(-3)).toEqual(['sync', 'poweroff -f', 'hang']);
  });

  it('a command that is not found is reported with its status (127)', async () => {
    const r = await run({ Cmd: ['/no/such/binary', 'x'] });
    expect(r.console).toBe(`${STATUS_PREFIX}127\n`);
  });

  it('the command keeps the console as stdin and default SIGINT/SIGQUIT handling (it runs in the foreground)', async () => {
    const r = await run({ Cmd: [BUSYBOX, 'sh', '-c', 'read -r line; grep ^SigIgn: /proc/self/status > "$OUT.sig"; printf %s "$line" > "$OUT"'] }, {}, { input: 'typed on the console\n' });
    expect(await readFile(join(r.dir, 'out.json'), 'utf8')).toBe('typed on the console');
    const ignored = BigInt(`0x${(await readFile(join(r.dir, 'out.json.sig'), 'utf8')).split(/\s+/)[1]}`);
    expect(ignored & 0b110n).toBe(0n); // bit 1 = SIGINT, bit 2 = SIGQUIT
  });

  it('runs as plan.user with nsenter -S UID -G GID, HOME from the passwd entry when Env sets none', async () => {
    const user = { uid: 1234, gid: 2345, groups: [27], home: '/home/app' };
    await chmod(work, 0o711); // the user must reach its run directory
    const config = { Cmd: [BUSYBOX, 'sh', '-c', 'echo "$(id -u) $(id -g) $HOME $(grep ^Groups: /proc/self/status)" > "$OUT"; exit 5'] };
    const r = await run(config, { user });
    expect(r.script).toContain(`\t\tset -- "$BB" nsenter -F -S 1234 -G 2345 -- '${BUSYBOX}' 'sh' '-c'`);
    expect(r.script).toContain("\t\texport HOME='/home/app'");
    if (isRoot) {
      // Supplementary groups are not applied: busybox nsenter clears them.
      expect((await readFile(join(r.dir, 'out.json'), 'utf8')).replace(/\s+/g, ' ').trim()).toBe('1234 2345 /home/app Groups:');
      expect(r.console).toBe(`${STATUS_PREFIX}5\n`);
    }
    const noHome = await run({ Entrypoint: [process.execPath, printer] }, { user: { uid: 0, gid: 0, groups: [] } });
    expect(noHome.seen?.env['HOME']).toBe('/');
  });

  it('a command named like an option still runs as the user (nsenter stops at --)', async () => {
    const r = await run({ Cmd: ['-n'] }, { user: { uid: 1, gid: 1, groups: [] } });
    expect(r.script).toContain(`set -- "$BB" nsenter -F -S 1 -G 1 -- '-n'`);
    if (isRoot) expect(r.console).toBe(`${STATUS_PREFIX}127\n`);
  });

  it('as PID 1, reaps the orphans the command leaves while it runs', async () => {
    const probe = `( ${BUSYBOX} sleep 0.2 & ); ${BUSYBOX} sleep 1; ${BUSYBOX} ps -o pid,stat,args > "$OUT"`;
    const r = await run({ Cmd: [BUSYBOX, 'sh', '-c', probe] }, {}, { pid1: isRoot });
    const ps = (await readFile(join(r.dir, 'out.json'), 'utf8')).split('\n').slice(1).filter((l) => l.trim() !== '');
    expect(ps.length).toBeGreaterThan(1);
    if (isRoot) {
      expect(ps[0]).toMatch(new RegExp(`^\\s*1\\s+\\S+\\s+${BUSYBOX} sh `));
      expect(ps.filter((l) => /^\s*\d+\s+Z/.test(l))).toEqual([]);
    }
  });
});

describe('generateInit: the boot before the command', () => {
  it('mounts the kernel filesystems with their options, makes the missing /dev links, then hostname and loopback', async () => {
    const r = await run(cmd());
    expect(r.log.slice(0, 8)).toEqual([
      'mount -t proc proc /proc',
      'mount -t sysfs sysfs /sys',
      'mount -t devtmpfs devtmpfs /dev',
      'mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts',
      'mount -t tmpfs -o mode=1777 tmpfs /dev/shm',
      'mount -t tmpfs -o mode=755 tmpfs /run',
      'hostname guest',
      'ip link set lo up',
    ]);
    const links = Object.fromEntries(
      await Promise.all(['ptmx', 'fd', 'stdin', 'stdout', 'stderr'].map(async (n) => [n, await readlink(join(r.root, 'dev', n))] as const)),
    );
    expect(links).toEqual({ ptmx: 'pts/ptmx', fd: '/proc/self/fd', stdin: '/proc/self/fd/0', stdout: '/proc/self/fd/1', stderr: '/proc/self/fd/2' });
    for (const d of ['proc', 'sys', 'dev/pts', 'dev/shm', 'run']) expect((await lstat(join(r.root, d))).isDirectory()).toBe(true);
    expect(r.console).toBe(`${STATUS_PREFIX}7\n`);
  });

  it('keeps a /dev entry that is there (devtmpfs made it)', async () => {
    const r = await run(cmd(), {}, { files: { '/dev/ptmx': 'a device' } });
    expect(await readFile(join(r.root, 'dev/ptmx'), 'utf8')).toBe('a device');
  });

  it('a failed mount is one warning line each, and the boot goes on', async () => {
    const r = await run(cmd(), {}, { fail: ['"mount "*'] });
    expect(r.console).toBe(
      [
        say('warning: could not mount proc on /proc; going on'),
        say('warning: could not mount sysfs on /sys; going on'),
        say('warning: could not mount devtmpfs on /dev; going on'),
        say('warning: could not mount devpts on /dev/pts; going on'),
        say('warning: could not mount tmpfs on /dev/shm; going on'),
        say('warning: could not mount tmpfs on /run; going on'),
        `${STATUS_PREFIX}7\n`,
      ].join(''),
    );
    expect(r.seen?.argv).toEqual([]);
  });

  it('loads modules in plan order with insmod, skipping those /sys/module lists, warning by name on failure', async () => {
    const modules = ['/lib/modules/6.1.0/kernel/net/core/failover.ko', '/lib/modules/6.1.0/kernel/drivers/net/net_failover.ko', '/lib/modules/6.1.0/kernel/drivers/net/virtio-net.ko', '/lib/modules/6.1.0/extra/dummy.ko'];
    const r = await run(cmd(), { modules }, { loaded: ['net_failover'], fail: ['"insmod "*/dummy.ko'] });
    expect(r.log.filter((l) => l.startsWith('insmod'))).toEqual([
      'insmod /lib/modules/6.1.0/kernel/net/core/failover.ko',
      'insmod /lib/modules/6.1.0/kernel/drivers/net/virtio-net.ko',
      'insmod /lib/modules/6.1.0/extra/dummy.ko',
    ]);
    // Before the network, after loopback.
    expect(r.log.indexOf('ip link set lo up')).toBeLessThan(r.log.indexOf(`insmod ${modules[0]}`));
    expect(r.console).toBe(say('warning: could not load module dummy (/lib/modules/6.1.0/extra/dummy.ko); going on') + `${STATUS_PREFIX}7\n`);
    // virtio-net.ko is the kernel's virtio_net in /sys/module.
    const loaded = await run(cmd(), { modules }, { loaded: ['failover', 'net_failover', 'virtio_net', 'dummy'] });
    expect(loaded.log.filter((l) => l.startsWith('insmod'))).toEqual([]);
  });

  it("passes the command line's NAME.PARAM=VALUE words to that module's insmod, as modprobe does (Firecracker's virtio_mmio.device=)", async () => {
    const modules = ['/lib/modules/6.1.0/kernel/drivers/virtio/virtio_mmio.ko', '/lib/modules/6.1.0/kernel/drivers/net/virtio-net.ko'];
    const cmdline = 'console=ttyS0 virtio_mmio.device=4K@0xd0000000:5 virtio_mmio.device=4K@0xd0001000:6 virtio-net.napi_tx=1 virtio_mmiox.x=1 foo.bar=2 noval.';
    const r = await run(cmd(), { modules }, { cmdline });
    expect(r.log.filter((l) => l.startsWith('insmod'))).toEqual([
      'insmod /lib/modules/6.1.0/kernel/drivers/virtio/virtio_mmio.ko device=4K@0xd0000000:5 device=4K@0xd0001000:6',
      'insmod /lib/modules/6.1.0/kernel/drivers/net/virtio-net.ko napi_tx=1',
    ]);
  });

  it('calls no tool through PATH: with PATH pointing nowhere every step still runs', async () => {
    const cases: Array<[Partial<InitPlan>, string, string]> = [
      [{ network: 'cmdline', onExit: 'shell' }, 'ip=10.0.0.2::10.0.0.1:255.0.0.0:h::off:9.9.9.9', 'poweroff -f'],
      [{ network: 'cmdline', onExit: 'poweroff' }, 'ip=dhcp', 'poweroff -f'],
      [{ network: 'dhcp', onExit: 'reboot' }, SHELL_WORD, 'reboot -f'],
    ];
    for (const [plan, cmdline, last] of cases) {
      const r = await run({ ...cmd(), WorkingDir: '/' }, { modules: ['/lib/m.ko'], user: { uid: 0, gid: 0, groups: [] }, ...plan }, { cmdline, pathNowhere: true, addresses: { eth0: '10.0.0.2/8' }, files: { '/proc/net/pnp': 'nameserver 1.1.1.1\n' } });
      expect(r.stderr).toBe('');
      expect(r.log).toContain('insmod /lib/m.ko');
      expect(r.log.at(-2)).toBe(last);
    }
  });
});

describe('generateInit: the network', () => {
  const net = (cmdline: string | undefined, setup: Setup = {}, network: InitPlan['network'] = 'cmdline') =>
    run(cmd(), { network }, { ...(cmdline !== undefined && { cmdline }), ...setup });
  const netLog = (r: Run) => r.log.filter((l) => /^(ip |udhcpc |hostname )/.test(l) && l !== 'ip link set lo up' && l !== 'hostname guest');

  it('no ip= on the command line: loopback only, no DHCP, no wait', async () => {
    const r = await net('console=ttyS0 quiet', { interfaces: ['eth0', 'eth1'] });
    expect(netLog(r)).toEqual([]);
    expect(r.console).toBe(`${STATUS_PREFIX}7\n`);
    for (const off of ['ip=off', 'ip=none', 'ip=']) expect(netLog(await net(off))).toEqual([]);
  });

  it('the Firecracker form: a static address with a dotted netmask, default route, on the named device', async () => {
    const r = await net('console=ttyS0 reboot=k ip=172.16.0.2::172.16.0.1:255.255.255.252::eth1:off', { interfaces: ['eth0', 'eth1'] });
    expect(netLog(r)).toEqual(['ip -4 -o addr show dev eth1', 'ip link set eth1 up', 'ip addr add 172.16.0.2/30 dev eth1', 'ip route add default via 172.16.0.1 dev eth1']);
    expect(r.console).toBe(say('network eth1 172.16.0.2/30 via 172.16.0.1') + `${STATUS_PREFIX}7\n`);
    expect(existsSync(join(r.root, 'etc/resolv.conf'))).toBe(false);
  });

  it('the full static form: hostname and DNS0/DNS1 too; /etc/resolv.conf replaces a symlink by a file', async () => {
    const r = await net('ip=10.0.2.15:10.0.2.2:10.0.2.2:255.255.255.0:my-vm:eth0:none:1.1.1.1:8.8.8.8', {});
    expect(netLog(r)).toEqual(['hostname my-vm', 'ip -4 -o addr show dev eth0', 'ip link set eth0 up', 'ip addr add 10.0.2.15/24 dev eth0', 'ip route add default via 10.0.2.2 dev eth0']);
    expect(await readFile(join(r.root, 'etc/resolv.conf'), 'utf8')).toBe('nameserver 1.1.1.1\nnameserver 8.8.8.8\n');
    const viaLink = await net('ip=10.0.2.15::::::off:9.9.9.9', { links: { '/etc/resolv.conf': '/run/systemd/resolve/stub-resolv.conf' } });
    expect((await lstat(join(viaLink.root, 'etc/resolv.conf'))).isFile()).toBe(true);
    expect(await readFile(join(viaLink.root, 'etc/resolv.conf'), 'utf8')).toBe('nameserver 9.9.9.9\n');
    expect(viaLink.stderr).toBe('');
  });

  it('an empty DEVICE is the first interface but lo; an empty NETMASK is the address class; a prefix length is accepted', async () => {
    const r = await net('ip=10.1.2.3:::::', { interfaces: ['eth1', 'eth0'] });
    expect(netLog(r)).toContain('ip addr add 10.1.2.3/8 dev eth0');
    expect(netLog(await net('ip=172.16.5.5'))).toContain('ip addr add 172.16.5.5/16 dev eth0');
    expect(netLog(await net('ip=192.168.1.9::192.168.1.1:::eth0:off'))).toContain('ip addr add 192.168.1.9/24 dev eth0');
    expect(netLog(await net('ip=192.168.1.9:::20::eth0:off'))).toContain('ip addr add 192.168.1.9/20 dev eth0');
    expect(netLog(await net('ip=10.0.0.1:::255.255.128.0::eth0:off'))).toContain('ip addr add 10.0.0.1/17 dev eth0');
  });

  it('a netmask that is not one, or a missing interface, is a warning and the command still runs', async () => {
    const bad = await net('ip=10.0.0.1:::255.0.255.0::eth0:off');
    expect(netLog(bad).filter((l) => l.startsWith('ip addr add'))).toEqual([]);
    expect(bad.console).toBe(say('warning: ip=10.0.0.1:::255.0.255.0::eth0:off: netmask 255.0.255.0 is not a netmask; going on without network') + `${STATUS_PREFIX}7\n`);
    const missing = await net('ip=10.0.0.1:::255.0.0.0::eth9:off');
    expect(missing.console).toBe(say('warning: ip=10.0.0.1:::255.0.0.0::eth9:off: no network interface eth9; going on without network') + `${STATUS_PREFIX}7\n`);
    const none = await net('ip=10.0.0.1', { interfaces: [] });
    expect(none.console).toBe(say('warning: ip=10.0.0.1: no network interface but lo; going on without network') + `${STATUS_PREFIX}7\n`);
  });

  it('an interface that already has an IPv4 address (the kernel applied ip=) is left alone, with a line saying so', async () => {
    const r = await net('ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off', { addresses: { eth0: '10.0.2.15/24' } });
    expect(netLog(r)).toEqual(['ip -4 -o addr show dev eth0']);
    expect(r.console).toBe(say('network eth0 already has 10.0.2.15/24; left alone') + `${STATUS_PREFIX}7\n`);
    // The DNS servers the kernel got are copied from /proc/net/pnp when /etc/resolv.conf names none.
    const pnp = await net('ip=dhcp', { addresses: { eth0: '10.0.2.15/24' }, files: { '/proc/net/pnp': '#PROTO: DHCP\ndomain example.org\nnameserver 10.0.2.3\nbootserver 10.0.2.2\n' } });
    expect(netLog(pnp)).toEqual(['ip -4 -o addr show dev eth0']);
    expect(await readFile(join(pnp.root, 'etc/resolv.conf'), 'utf8')).toBe('search example.org\nnameserver 10.0.2.3\n');
    const kept = await net('ip=dhcp', { addresses: { eth0: '10.0.2.15/24' }, files: { '/proc/net/pnp': 'nameserver 10.0.2.3\n', '/etc/resolv.conf': 'nameserver 1.1.1.1\n' } });
    expect(await readFile(join(kept.root, 'etc/resolv.conf'), 'utf8')).toBe('nameserver 1.1.1.1\n');
  });

  it('ip=dhcp (and on, any, both, bootp): udhcpc on every interface but lo, bounded, with the hook', async () => {
    for (const word of ['dhcp', 'on', 'any', 'both', 'bootp']) {
      const r = await net(`ip=${word}`, { interfaces: ['eth0', 'eth1'], addresses: { eth1: '192.168.0.5/24' } });
      expect(netLog(r).sort()).toEqual(
        ['ip -4 -o addr show dev eth0', 'ip -4 -o addr show dev eth1', 'ip link set eth0 up', `udhcpc -i eth0 -s ${UDHCPC_SCRIPT_PATH} -n -q -f -t 3 -T 2`].sort(),
      );
      expect(r.console).toBe(say('network eth1 already has 192.168.0.5/24; left alone') + `${STATUS_PREFIX}7\n`);
    }
  });

  it('AUTOCONF dhcp in the long form runs DHCP on DEVICE only; an empty CLIENT and AUTOCONF is DHCP too', async () => {
    const r = await net('ip=:::::eth1:dhcp', { interfaces: ['eth0', 'eth1'] });
    expect(netLog(r).filter((l) => l.startsWith('udhcpc'))).toEqual([`udhcpc -i eth1 -s ${UDHCPC_SCRIPT_PATH} -n -q -f -t 3 -T 2`]);
    const empty = await net('ip=::::vmname::', { interfaces: ['eth0'] });
    expect(netLog(empty)).toContain(`udhcpc -i eth0 -s ${UDHCPC_SCRIPT_PATH} -n -q -f -t 3 -T 2`);
    expect(netLog(empty)).toContain('hostname vmname');
  });

  it('no DHCP lease is a warning per interface, and the command still runs', async () => {
    const r = await net('ip=dhcp', { interfaces: ['eth0', 'eth1'], fail: ['"udhcpc -i eth1 "*'] });
    expect(r.console).toBe(say('warning: no DHCP lease on eth1 (3 requests, 2 s apart); going on without it') + `${STATUS_PREFIX}7\n`);
    expect(r.seen?.argv).toEqual([]);
  });

  it('the last ip= counts; a word that only contains ip= does not', async () => {
    const r = await net('ip=dhcp ip=10.0.0.9::::::off xip=dhcp', {});
    expect(netLog(r).filter((l) => l.startsWith('udhcpc'))).toEqual([]);
    expect(netLog(r)).toContain('ip addr add 10.0.0.9/8 dev eth0');
    expect(netLog(await net('xip=dhcp ip.x=dhcp'))).toEqual([]);
  });

  it('--network none ignores ip=; --network dhcp runs DHCP without one', async () => {
    expect(netLog(await net('ip=dhcp', {}, 'none'))).toEqual([]);
    const dhcp = await net(undefined, { interfaces: ['eth0', 'eth1'] }, 'dhcp');
    expect(netLog(dhcp).filter((l) => l.startsWith('udhcpc')).sort()).toEqual([
      `udhcpc -i eth0 -s ${UDHCPC_SCRIPT_PATH} -n -q -f -t 3 -T 2`,
      `udhcpc -i eth1 -s ${UDHCPC_SCRIPT_PATH} -n -q -f -t 3 -T 2`,
    ]);
    const noIf = await net(undefined, { interfaces: [] }, 'dhcp');
    expect(noIf.console).toBe(say('warning: no network interface for DHCP; going on without network') + `${STATUS_PREFIX}7\n`);
  });

  it('the network comes before the command', async () => {
    const r = await net('ip=10.0.0.2::::::off', {});
    expect(r.log.indexOf('ip addr add 10.0.0.2/8 dev eth0')).toBeLessThan(r.log.indexOf('sync'));
    expect(r.seen?.argv).toEqual([]);
  });
});

describe('generateInit: the debug shell and the on-exit action', () => {
  it(`the word ${SHELL_WORD} starts a console shell instead of the command, with busybox applets on the image PATH`, async () => {
    const r = await run(cmd(), {}, { cmdline: `console=ttyS0 ${SHELL_WORD} quiet` });
    expect(r.seen).toBeUndefined();
    const shell = r.log.find((l) => l.startsWith('shell '));
    expect(shell).toBe(`shell PATH=${DEFAULT_PATH}:${TOOLS_DIR}/bin HOME=/ PWD=/`);
    expect(await readlink(join(r.root, TOOLS_DIR, 'bin/ls'))).toBe(realpathSync(BUSYBOX));
    expect(r.console).toBe(say(`${SHELL_WORD} on the kernel command line: a shell replaces the command`) + say('shell exited with status 0'));
    expect(r.log.slice(-3)).toEqual(['sync', 'poweroff -f', 'hang']);
    // The image Env, its PATH and WorkingDir.
    const wd = join(work, 'shell wd');
    await mkdir(wd, { recursive: true });
    const env = await run({ Cmd: ['/app'], Env: ['PATH=/app/bin', 'HOME=/home/x'], WorkingDir: wd }, {}, { cmdline: SHELL_WORD });
    expect(env.log.find((l) => l.startsWith('shell '))).toBe(`shell PATH=/app/bin:${TOOLS_DIR}/bin HOME=/home/x PWD=${wd}`);
  });

  it(`only the whole word counts: x${SHELL_WORD}, ${SHELL_WORD}=1, ${SHELL_WORD}x do not`, async () => {
    for (const word of [`x${SHELL_WORD}`, `${SHELL_WORD}=1`, `${SHELL_WORD}x`, 'initramfs', 'initramfs.*']) {
      const r = await run(cmd(), {}, { cmdline: `console=ttyS0 ${word}` });
      expect(r.seen?.argv).toEqual([]);
      expect(r.log.some((l) => l.startsWith('shell '))).toBe(false);
    }
  });

  it('poweroff: the status line, then sync, poweroff -f, sysrq o, and never exits', async () => {
    const r = await run(cmd());
    expect(r.console).toBe('initramfs-action: command exited with status 7\n');
    expect(r.log.slice(-3)).toEqual(['sync', 'poweroff -f', 'hang']);
    expect(await readFile(join(r.root, 'proc/sysrq-trigger'), 'utf8')).toBe('o\n');
  });

  it('reboot: sync, reboot -f, sysrq b', async () => {
    const r = await run(cmd(), { onExit: 'reboot' });
    expect(r.log.slice(-3)).toEqual(['sync', 'reboot -f', 'hang']);
    expect(await readFile(join(r.root, 'proc/sysrq-trigger'), 'utf8')).toBe('b\n');
    const shell = await run(cmd(), { onExit: 'reboot' }, { cmdline: SHELL_WORD });
    expect(shell.log.slice(-4)).toEqual([expect.stringMatching(/^shell /), 'sync', 'reboot -f', 'hang']);
  });

  it('shell: the status line, a console shell, then power off; with the debug shell too, only one shell', async () => {
    const r = await run(cmd(), { onExit: 'shell' });
    expect(r.console).toBe(`${STATUS_PREFIX}7\n` + say('the command ended: starting a shell (--on-exit shell); the machine powers off when it exits'));
    expect(r.log.slice(-4)).toEqual([expect.stringMatching(/^shell PATH=/), 'sync', 'poweroff -f', 'hang']);
    const debug = await run(cmd(), { onExit: 'shell' }, { cmdline: SHELL_WORD });
    expect(debug.log.filter((l) => l.startsWith('shell '))).toHaveLength(1);
    expect(debug.log.slice(-3)).toEqual(['sync', 'poweroff -f', 'hang']);
  });
});

describe('generateInit: the default script', () => {
  it('runs on the archive busybox, calls it as "$BB", mounts and powers off for real, parses', () => {
    const script = generateInit({ Cmd: ['/app'] }, { ...PLAN, network: 'cmdline', modules: ['/lib/modules/x/a.ko'], user: { uid: 1, gid: 2, groups: [] } });
    expect(script.startsWith(`#!${BUSYBOX_PATH} sh\n`)).toBe(true);
    expect(script).toContain(`\nBB=${BUSYBOX_PATH}\n`);
    expect(script).toContain('"$BB" mount -t "$1" "$1" "$ROOT$2"');
    expect(script).toContain('\nCONSOLE=/dev/console\n');
    expect(script).toContain('"$BB" poweroff -f');
    expect(script).toContain('"$BB" udhcpc -i "$1" -s \'/.initramfs-action/udhcpc.script\'');
    expect(script).toContain('"$BB" setsid "$BB" cttyhack "$BB" sh');
    expect(script).toContain('while :; do "$BB" sleep 3600 || read -r _; done');
    expect(script).not.toMatch(/^\s*exec '\/app'/m);
    // Parse only (-n): running it here would mount over the host's /proc and power it off.
    const r = spawnSync(BUSYBOX, ['sh', '-n'], { input: script, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('is deterministic', () => {
    const config: ImageConfig = { Entrypoint: ['/a'], Cmd: ['b'], Env: ['X=1'], WorkingDir: '/w' };
    expect(generateInit(config, PLAN)).toBe(generateInit(structuredClone(config), structuredClone(PLAN)));
  });

  it('a hook value with $ patterns is inserted verbatim', () => {
    const script = generateInit({ Cmd: ['/app'] }, PLAN, { system: "echo $' $& $$" });
    expect(script).toContain("echo $' $& $$ mount -t");
  });

  it('throws NO_INIT when the config has neither Entrypoint nor Cmd', () => {
    for (const config of [{}, { Entrypoint: null, Cmd: null }, { Entrypoint: [], Cmd: [] }] as ImageConfig[]) {
      expect(() => generateInit(config, PLAN)).toThrow(new InitramfsError('NO_INIT', 'image config has no Entrypoint or Cmd; pass --init'));
      expect(() => generateInit(config, PLAN)).toThrow(expect.objectContaining({ code: 'NO_INIT' }));
    }
  });

  it('throws BAD_IMAGE for a NUL in an argument, Env entry or WorkingDir, which exec cannot pass', () => {
    for (const config of [{ Cmd: ['a\0b'] }, { Cmd: ['/a'], Env: ['A=\0'] }, { Cmd: ['/a'], WorkingDir: '/\0' }]) {
      expect(() => generateInit(config, PLAN)).toThrow(expect.objectContaining({ code: 'BAD_IMAGE' }));
    }
  });

  it('throws USAGE for ids out of range or a NUL in the plan', () => {
    for (const user of [{ uid: -1, gid: 0 }, { uid: 0, gid: 2 ** 32 - 1 }, { uid: 1.5, gid: 0 }]) {
      expect(() => generateInit({ Cmd: ['/a'] }, { ...PLAN, user: { ...user, groups: [] } })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
    expect(() => generateInit({ Cmd: ['/a'] }, { ...PLAN, modules: ['/a\0.ko'] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it("shellQuote wraps in single quotes and turns ' into '\\''", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('udhcpcScript', () => {
  /** Runs the hook for `event` with udhcpc's variables; "$BB" records every call and runs file applets for real. */
  async function hook(event: string, vars: Record<string, string>, opts: { addr?: string; files?: (root: string) => Promise<void> } = {}) {
    const dir = join(work, `udhcpc-${runs++}`);
    const root = join(dir, 'root');
    await mkdir(root, { recursive: true });
    await opts.files?.(root);
    const log = join(dir, 'log');
    const bb = join(dir, 'bb');
    await writeFile(
      bb,
      `#!${BUSYBOX} sh
printf '%s\\n' "$*" >> ${shellQuote(log)}
case $1 in
ip) [ "$2 $3 $4" = '-4 -o addr' ] && printf '%s\\n' ${shellQuote(opts.addr ?? '')}; exit 0 ;;
esac
exec ${BUSYBOX} "$@"
`,
      { mode: 0o755 },
    );
    const script = join(dir, 'udhcpc.script');
    await writeFile(script, udhcpcScript(), { mode: 0o755 });
    const r = spawnSync(BUSYBOX, ['sh', script, event], { env: { ...vars, INITRAMFS_ACTION_BUSYBOX: bb, INITRAMFS_ACTION_ROOT: root }, encoding: 'utf8', timeout: 10_000 });
    const calls = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((l) => l.startsWith('ip '));
    const resolv = await readFile(join(root, 'etc/resolv.conf'), 'utf8').catch(() => undefined);
    return { status: r.status, stderr: r.stderr, calls, resolv, root };
  }

  const LEASE = { interface: 'eth0', ip: '10.0.2.15', subnet: '255.255.255.0', mask: '24', broadcast: '10.0.2.255', router: '10.0.2.2 10.0.2.3', dns: '10.0.2.3 1.1.1.1', domain: 'example.com' };

  it('bound: address, default route via the first router, resolv.conf, one console line', async () => {
    const r = await hook('bound', LEASE);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      'ip -4 -o addr show dev eth0',
      'ip -4 addr flush dev eth0',
      'ip addr add 10.0.2.15/24 broadcast 10.0.2.255 dev eth0',
      'ip route del default dev eth0',
      'ip route add default via 10.0.2.2 dev eth0',
    ]);
    expect(r.resolv).toBe('search example.com\nnameserver 10.0.2.3\nnameserver 1.1.1.1\n');
    expect(r.stderr).toBe('initramfs-action: network eth0 10.0.2.15/24 via 10.0.2.2 (dhcp)\n');
  });

  it('replaces a resolv.conf symlink by a file, makes /etc when missing, and leaves it alone when the lease has no DNS', async () => {
    const linked = await hook('bound', LEASE, {
      files: async (root) => {
        await mkdir(join(root, 'etc'));
        await symlink('/run/systemd/resolve/stub-resolv.conf', join(root, 'etc/resolv.conf'));
      },
    });
    expect((await lstat(join(linked.root, 'etc/resolv.conf'))).isFile()).toBe(true);
    expect(linked.resolv).toBe('search example.com\nnameserver 10.0.2.3\nnameserver 1.1.1.1\n');
    const { dns: _dns, domain: _domain, router: _router, broadcast: _b, ...bare } = LEASE;
    const noDns = await hook('bound', bare, {
      files: async (root) => {
        await mkdir(join(root, 'etc'));
        await writeFile(join(root, 'etc/resolv.conf'), 'nameserver 9.9.9.9\n');
      },
    });
    expect(noDns.resolv).toBe('nameserver 9.9.9.9\n');
    expect(noDns.calls).toEqual(['ip -4 -o addr show dev eth0', 'ip -4 addr flush dev eth0', 'ip addr add 10.0.2.15/24 dev eth0']);
    expect(noDns.stderr).toBe('initramfs-action: network eth0 10.0.2.15/24 (dhcp)\n');
  });

  it('without $mask the prefix comes from $subnet', async () => {
    const { mask: _mask, ...noMask } = LEASE;
    const r = await hook('bound', { ...noMask, subnet: '255.255.255.128' });
    expect(r.calls).toContain('ip addr add 10.0.2.15/25 broadcast 10.0.2.255 dev eth0');
  });

  it('renew with the same address keeps it; deconfig flushes and keeps the link up; leasefail does nothing', async () => {
    const renew = await hook('renew', LEASE, { addr: '2: eth0    inet 10.0.2.15/24 brd 10.0.2.255 scope global eth0' });
    expect(renew.calls.filter((c) => c.startsWith('ip addr') || c.includes('flush'))).toEqual([]);
    const deconfig = await hook('deconfig', { interface: 'eth0' });
    expect(deconfig.calls).toEqual(['ip -4 addr flush dev eth0', 'ip link set eth0 up']);
    const fail = await hook('leasefail', { interface: 'eth0' });
    expect(fail.calls).toEqual([]);
    expect(fail.status).toBe(0);
  });

  it('calls busybox by its absolute path by default', () => {
    expect(udhcpcScript()).toContain(`BB=\${INITRAMFS_ACTION_BUSYBOX:-${BUSYBOX_PATH}}`);
    expect(udhcpcScript().startsWith(`#!${BUSYBOX_PATH} sh\n`)).toBe(true);
  });
});
