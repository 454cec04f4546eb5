// The generated /init, booted. Every image here is "scratch + one static binary": a busybox at /busybox and
// nothing else, no /bin/sh, so the init can only work through the busybox of the init-tools image
// (test/helpers/init-tools.ts). Each test passes only on a line the guest printed after doing the thing;
// the kernel's own "reboot: Power down" / "reboot: Restarting system" lines tell how the guest ended.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { busyboxOnlyImage, writeOciLayout, writeOciLayoutRef, type TestImage } from '../helpers/image.ts';
import { scratchDir, removeScratchDirs } from '../helpers/tree.ts';
import { bootInitramfs, killAllQemu } from '../helpers/qemu.ts';
import { extractCpio, listCpio, readInitramfs } from '../helpers/cpio.ts';
import { runCli } from '../helpers/cli.ts';
import { ARM64_BUSYBOX, initToolsImage } from '../helpers/init-tools.ts';
import { DEFAULT_HOSTNAME, SHELL_WORD, STATUS_PREFIX } from '../../src/initramfs/init-script.ts';

const POWER_DOWN = 'reboot: Power down';
const RESTART = 'reboot: Restarting system';
const MODULES_DIR = join('/lib/modules', readdirSync('/lib/modules').find((v) => v.endsWith('-cloud-amd64')) ?? 'none');
/** QEMU user-mode networking on a virtio-mmio NIC: the guest is 10.0.2.15, the host's loopback is 10.0.2.2. */
const USER_NET = ['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0'];
const NIC_MODULES = ['--modules-dir', MODULES_DIR, '--module', 'virtio_mmio', '--module', 'virtio_net'];

let work: string;
let counter = 0;
let server: Server;
let port: number;
const nonce = `nonce-${randomBytes(6).toString('hex')}`;

/** An image of one static busybox at /busybox, running `script` with it (as `sh -c`). */
const shellLess = (script: string, config: TestImage['config'] = {}, extra: TestImage['layers'][number]['entries'] = []): TestImage =>
  busyboxOnlyImage(script, { Env: ['PATH=/usr/bin:/bin'], ...config }, extra);

async function build(image: TestImage | TestImage[] | string, args: string[] = []): Promise<{ out: string; reference: string }> {
  // A string: the reference of a layout written before (the hostname comes from its name).
  let reference = typeof image === 'string' ? image : '';
  if (typeof image !== 'string') reference = writeOciLayoutRef(join(work, `case-${counter++}`), image);
  const out = join(work, `out-${counter++}.cpio.gz`);
  const r = await runCli(['build', reference, '-o', out, '--cache-dir', join(work, 'cache'), ...args]);
  expect(r.code, r.stderr).toBe(0);
  return { out, reference };
}

beforeAll(async () => {
  work = await scratchDir();
  // What the guest fetches through its network: the host's loopback, as 10.0.2.2 from the guest.
  server = createServer((req, res) => res.end(req.url === '/nonce' ? nonce : 'wrong path'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterEach(killAllQemu);
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeScratchDirs();
});

describe('the generated /init in a shell-less image', () => {
  it('mounts /dev/pts, /dev/shm and /run, sets the hostname, brings loopback up, runs as User, reaps orphans, reports the status and powers off', async () => {
    const script = [
      'B=/busybox',
      'echo "who=$($B id -u):$($B id -g) home=$HOME"',
      'echo "host=$($B hostname)"',
      "$B awk '$2 == \"/dev/pts\" || $2 == \"/dev/shm\" || $2 == \"/run\" { print \"mounted\", $2, $3 }' /proc/mounts",
      'echo shm > /dev/shm/x && echo "shm-writable"',
      '$B httpd -p 127.0.0.1:8080 -h /www && $B sleep 0.5',
      'echo "loopback=$($B wget -qO- http://127.0.0.1:8080/hello)"',
      // Three orphans: their parents exit at once, so they become PID 1's children, and exit 0.2 s later.
      'for i in 1 2 3; do ( $B sleep 0.2 & ); done',
      '$B sleep 2',
      'echo "zombies=$($B grep -l "^State:.Z" /proc/[0-9]*/status 2>/dev/null | $B wc -l)"',
      'echo "path=$PATH"',
      // The busybox applet links are made for a shell on the console only, never for the command.
      '[ -e /.initramfs-action/bin ] && echo applet-links || echo no-applet-links',
      'exit 5',
    ].join('\n');
    const image = shellLess(script, { User: '1000:1001' }, [
      { name: 'www', type: 'dir' },
      { name: 'www/hello', content: 'hello-over-loopback', mode: 0o644 },
    ]);
    const { out } = await build(image);
    const res = await bootInitramfs(out, { marker: POWER_DOWN });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    const c = res.console;
    expect(c).toContain('who=1000:1001 home=/');
    expect(c).toContain(`host=${DEFAULT_HOSTNAME}`);
    expect(c).toContain('mounted /dev/pts devpts');
    expect(c).toContain('mounted /dev/shm tmpfs');
    expect(c).toContain('mounted /run tmpfs');
    expect(c).toContain('shm-writable');
    expect(c).toContain('loopback=hello-over-loopback');
    expect(c).toContain('zombies=0');
    expect(c).toContain('path=/usr/bin:/bin');
    expect(c).toContain('no-applet-links');
    // The status line comes after the command's last line, and the power-off after it.
    expect(c.indexOf(`${STATUS_PREFIX}5`)).toBeGreaterThan(c.indexOf('no-applet-links'));
    expect(c.indexOf(POWER_DOWN)).toBeGreaterThan(c.indexOf(`${STATUS_PREFIX}5`));
  });
});

describe('network', () => {
  const fetch = `/busybox wget -qO- http://10.0.2.2:PORT/nonce; echo; echo "addr=$(/busybox ip -4 -o addr show dev eth0 | /busybox awk '{print $4}')"; /busybox cat /etc/resolv.conf; echo "host=$(/busybox hostname)"`;

  it('--network dhcp: loads virtio_mmio and virtio_net with their dependencies, takes a DHCP lease and reaches the host', async () => {
    const report = join(work, 'dhcp-report.json');
    const { out } = await build(shellLess(fetch.replace('PORT', String(port)) + '; /busybox cat /proc/modules'), ['--network', 'dhcp', ...NIC_MODULES, '--report', report]);
    expect(JSON.parse(readFileSync(report, 'utf8')).init).toEqual({
      kind: 'generated',
      network: 'dhcp',
      onExit: 'poweroff',
      user: null,
      modules: { version: MODULES_DIR.split('/').pop(), names: ['virtio_mmio', 'virtio_net'], builtin: [] },
      tools: { reference: initToolsImage(), digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    });
    // The report's space: the modules (decompressed or not) are the host's, the rest the image's or the /init's.
    const space = JSON.parse(readFileSync(report, 'utf8')).space as { fileBytes: number; layers: number[]; injected: number; generated: number };
    const fileSizes = (await readInitramfs(out)).flatMap((m) => m.entries).filter((e) => (e.mode & 0o170000) === 0o100000);
    const under = (prefix: string): number => fileSizes.filter((e) => e.name.startsWith(prefix)).reduce((n, e) => n + e.filesize, 0);
    expect(space.injected).toBe(under('lib/modules/'));
    expect(space.injected).toBeGreaterThan(0);
    expect(space.fileBytes).toBe(fileSizes.reduce((n, e) => n + e.filesize, 0));
    expect(space.layers.reduce((a, b) => a + b, 0) + space.injected + space.generated).toBe(space.fileBytes);
    const res = await bootInitramfs(out, { marker: POWER_DOWN, qemuArgs: USER_NET, timeoutMs: 120_000 });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    expect(res.console).toContain(nonce);
    expect(res.console).toContain('addr=10.0.2.15/24');
    expect(res.console).toContain('nameserver 10.0.2.3');
    for (const m of ['virtio_net', 'net_failover', 'failover', 'virtio_mmio']) expect(res.console).toMatch(new RegExp(`^${m} `, 'm'));
  });

  it("the default (cmdline) applies Firecracker's static ip= form: address, gateway, hostname", async () => {
    const { out } = await build(shellLess(fetch.replace('PORT', String(port))), NIC_MODULES);
    const res = await bootInitramfs(out, {
      marker: POWER_DOWN,
      qemuArgs: USER_NET,
      append: 'ip=10.0.2.15::10.0.2.2:255.255.255.0:fc-guest:eth0:off:10.0.2.3',
    });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    expect(res.console).toContain(nonce);
    expect(res.console).toContain('addr=10.0.2.15/24');
    expect(res.console).toContain('host=fc-guest');
    expect(res.console).toContain('nameserver 10.0.2.3');
  });

  it('the default (cmdline) with ip=dhcp on the kernel command line runs DHCP', async () => {
    const { out } = await build(shellLess(fetch.replace('PORT', String(port))), NIC_MODULES);
    const res = await bootInitramfs(out, { marker: POWER_DOWN, qemuArgs: USER_NET, append: 'ip=dhcp' });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    expect(res.console).toContain(nonce);
    expect(res.console).toContain('addr=10.0.2.15/24');
  });
});

describe('a shell on the console', () => {
  it(`the kernel word ${SHELL_WORD} starts a shell instead of the command; busybox's applets are on its PATH`, async () => {
    const { out } = await build(shellLess('echo COMMAND-RAN'));
    const res = await bootInitramfs(out, {
      marker: new RegExp(`SH-42[\\s\\S]*LS-OK[\\s\\S]*${POWER_DOWN}`),
      append: SHELL_WORD,
      input: [{ when: /initramfs-action: .*shell/, send: 'echo SH-$((6*7)); ls / >/dev/null && echo LS-OK; exit\n' }],
    });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    expect(res.console).not.toContain('COMMAND-RAN');
  });

  it('--on-exit shell: after the command a shell on the console, then power off', async () => {
    const { out } = await build(shellLess('echo CMD-DONE; exit 3'), ['--on-exit', 'shell']);
    const res = await bootInitramfs(out, {
      marker: new RegExp(`AFTER-5[\\s\\S]*${POWER_DOWN}`),
      input: [{ when: `${STATUS_PREFIX}3`, send: 'echo AFTER-$((2+3)); exit\n' }],
    });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    expect(res.console.indexOf('CMD-DONE')).toBeLessThan(res.console.indexOf(`${STATUS_PREFIX}3`));
  });

  it('--on-exit reboot ends the guest through a reboot (what Firecracker needs)', async () => {
    const { out } = await build(shellLess('echo CMD-DONE'), ['--on-exit', 'reboot']);
    const res = await bootInitramfs(out, { marker: RESTART });
    expect(res.found, res.console.slice(-3000)).toBe(true);
    expect(res.console).toContain(`${STATUS_PREFIX}0`);
    expect(res.console).not.toContain(POWER_DOWN);
  });
});

describe('the archive', () => {
  it("carries the tools image's busybox for the target platform, out of the image's way, byte-reproducibly", async () => {
    const amd64 = shellLess('true');
    const arm64: TestImage = { ...shellLess('true'), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } };
    const a = await build([amd64, arm64], ['--platform', 'linux/arm64']);
    const b = await build(a.reference, ['--platform', 'linux/arm64']);
    expect(readFileSync(b.out)).toEqual(readFileSync(a.out));
    const dir = await extractCpio(a.out);
    expect(readFileSync(join(dir, '.initramfs-action/busybox'))).toEqual(readFileSync(ARM64_BUSYBOX));
    expect(readFileSync(join(dir, 'init'), 'utf8').split('\n')[0]).toBe('#!/.initramfs-action/busybox sh');
    const listing = await listCpio(a.out);
    expect(listing).toMatch(/^-rwxr-xr-x +\d+ 0 +0 .* (\.\/)?\.initramfs-action\/busybox$/m);
    expect(listing).toMatch(/^-rwxr-xr-x +\d+ 0 +0 .* (\.\/)?\.initramfs-action\/udhcpc\.script$/m);
    expect(listing).toMatch(/^crw-rw-rw- +\d+ 0 +0 +5, ?0 .* (\.\/)?dev\/tty$/m);
  });

  it("an image's own /init with --network is refused: the option cannot reach that init", async () => {
    const dir = join(work, 'own-init');
    writeOciLayout(dir, [{ ref: 'v1', image: shellLess('true', {}, [{ name: 'init', content: '#!/busybox sh\n', mode: 0o755 }]) }]);
    const r = await runCli(['build', `oci:${dir}:v1`, '-o', join(dir, 'x.cpio.gz'), '--cache-dir', join(work, 'cache'), '--network', 'dhcp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error \[USAGE\]: image .* has its own \/init, which --network cannot reach .* --exclude \/init/);
  });
});
