import { describe, expect, it } from 'vitest';
import { parseCommand, defaultCacheDir } from '../../src/cli/args.ts';
import { parseSourceDateEpoch } from '../../src/source-date-epoch.ts';
import { usageError } from '../helpers/errors.ts';

const env = { HOME: '/home/u' };
const build = (...args: string[]) => {
  const c = parseCommand(['build', 'oci:/l', ...args], env);
  if (c.kind !== 'build') throw new Error('not a build');
  return c;
};

describe('compression and the output suffix', () => {
  it('.gz, .zst and .cpio imply a compression when none is given', () => {
    expect(build('-o', 'x.cpio.gz').compression).toBe('gzip');
    expect(build('-o', 'x.cpio.zst').compression).toBe('zstd');
    expect(build('-o', 'x.cpio').compression).toBe('none');
  });
  it('an explicit --compression that agrees with the suffix is fine', () => {
    expect(build('-o', 'x.cpio.zst', '-c', 'zstd').compression).toBe('zstd');
    expect(build('-o', 'x.cpio', '--compression', 'none').compression).toBe('none');
  });
  it('an explicit --compression that contradicts the suffix is a usage error naming both', () => {
    expect(usageError(() => build('-o', 'x.cpio.gz', '-c', 'zstd'))).toBe(
      "--compression zstd contradicts -o 'x.cpio.gz' (.gz means gzip); drop --compression, or name a file ending in .zst (see --help)",
    );
    expect(usageError(() => build('-o', 'out/x.cpio', '-c', 'gzip'))).toMatch(/^--compression gzip contradicts -o 'out\/x.cpio' \(.cpio means none\)/);
    expect(usageError(() => build('-o', 'x.cpio.zst', '-c', 'none'))).toMatch(/\(.zst means zstd\); drop --compression, or name a file ending in .cpio/);
  });
  it('any other name takes --compression, else gzip', () => {
    expect(build('-o', 'initrd.img').compression).toBe('gzip');
    expect(build('-o', 'initrd.img', '-c', 'zstd').compression).toBe('zstd');
    expect(build('-o', '-').compression).toBe('gzip');
    expect(build('-o', '-', '-c', 'none').compression).toBe('none');
    expect(build('-o', '/dev/null', '-c', 'zstd').compression).toBe('zstd');
  });
  it('an unknown compression names the value and the choices', () => {
    expect(usageError(() => build('-o', 'x', '-c', 'lzma'))).toBe("--compression 'lzma': expected gzip, zstd or none (see --help)");
    expect(usageError(() => build('-o', 'x', '-c', 'gzp'))).toBe("--compression 'gzp': expected gzip, zstd or none; did you mean gzip? (see --help)");
  });
});

describe('output', () => {
  it('- stays -, standard output, and any other name becomes absolute', () => {
    expect(build('-o', '-').output).toBe('-');
    expect(build('-o', 'initrd.img').output).toBe(`${process.cwd()}/initrd.img`);
  });
  it('--report - stays - as well', () => {
    expect(build('-o', 'x', '--report', '-').report).toBe('-');
  });
});

describe('options', () => {
  it('repeatable --inject and --exclude keep their order', () => {
    const c = build('-o', 'x', '-i', '/a:/x', '--inject', '/b:/y:0644', '-x', '/usr/share/doc/**', '--exclude', '/var/cache/*');
    expect(c.inject).toEqual([
      { source: '/a', dest: '/x', mode: undefined },
      { source: '/b', dest: '/y', mode: 0o644 },
    ].map((s) => expect.objectContaining({ source: s.source, dest: s.dest })));
    expect(c.inject[1]!.mode).toBe(0o644);
    expect(c.exclude).toEqual(['/usr/share/doc/**', '/var/cache/*']);
  });
  it('paths become absolute, so the build does not depend on a later cwd', () => {
    const c = build('-o', 'out.gz', '--report', 'r.json', '--cache-dir', 'cache');
    expect(c.output).toBe(`${process.cwd()}/out.gz`);
    expect(c.report).toBe(`${process.cwd()}/r.json`);
    expect(c.cacheDir).toBe(`${process.cwd()}/cache`);
  });
  it('the cache defaults to XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ HOME: '/h', XDG_CACHE_HOME: '/xdg' })).toBe('/xdg/initramfs-action');
    expect(defaultCacheDir({})).toMatch(/\/\.cache\/initramfs-action$/);
    expect(defaultCacheDir({ LOCALAPPDATA: '/not/on/linux' }, 'linux')).toMatch(/\/\.cache\/initramfs-action$/);
    expect(defaultCacheDir({}, 'darwin')).toMatch(/\/\.cache\/initramfs-action$/);
  });
  it('on Windows the cache defaults to %LOCALAPPDATA%, unless XDG_CACHE_HOME is set', () => {
    expect(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32')).toBe('C:\\Users\\me\\AppData\\Local\\initramfs-action');
    expect(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', XDG_CACHE_HOME: 'D:\\cache' }, 'win32')).toBe('D:\\cache\\initramfs-action');
    expect(defaultCacheDir({}, 'win32')).toMatch(/\\\.cache\\initramfs-action$/);
  });
});

describe('on Windows (paths with path.win32)', () => {
  const windows = { platform: 'win32' as const, cwd: 'D:\\work' };
  const winBuild = (...args: string[]) => {
    const c = parseCommand(['build', ...args], { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, windows);
    if (c.kind !== 'build') throw new Error('not a build');
    return c;
  };

  it('-o takes a drive path as it is, a relative one (either separator) from the cwd, and its suffix still decides the compression', () => {
    expect(winBuild('alpine', '-o', 'C:\\out\\initrd.cpio.gz')).toMatchObject({ output: 'C:\\out\\initrd.cpio.gz', compression: 'gzip' });
    expect(winBuild('alpine', '-o', 'dist\\initrd.cpio.zst')).toMatchObject({ output: 'D:\\work\\dist\\initrd.cpio.zst', compression: 'zstd' });
    expect(winBuild('alpine', '-o', 'dist/initrd.CPIO')).toMatchObject({ output: 'D:\\work\\dist\\initrd.CPIO', compression: 'none' });
    expect(winBuild('alpine', '-o', '\\\\server\\share\\i.cpio.gz').output).toBe('\\\\server\\share\\i.cpio.gz');
    expect(winBuild('alpine', '-o', '-').output).toBe('-');
  });

  it('--inject SRC may be a drive, UNC or relative Windows path; --report, --modules-dir and the cache resolve like -o', () => {
    const c = winBuild(
      'oci:C:\\layouts\\app:latest', '-o', 'x.gz',
      '-i', 'C:\\agent.exe:/usr/bin/agent', '-i', 'C:\\dir with space\\x:/opt/x:0644', '-i', '\\\\server\\share\\f:/f',
      '--report', 'out\\report.json', '--modules-dir', 'mods\\6.6', '--module', 'virtio_net',
    );
    expect(c.image).toBe('oci:C:\\layouts\\app:latest');
    expect(c.inject).toEqual([
      { source: 'C:\\agent.exe', dest: '/usr/bin/agent' },
      { source: 'C:\\dir with space\\x', dest: '/opt/x', mode: 0o644 },
      { source: '\\\\server\\share\\f', dest: '/f' },
    ]);
    expect(c.report).toBe('D:\\work\\out\\report.json');
    expect(c.modules).toEqual({ dir: 'D:\\work\\mods\\6.6', names: ['virtio_net'] });
    expect(c.cacheDir).toBe('C:\\Users\\me\\AppData\\Local\\initramfs-action');
    expect(winBuild('alpine', '-o', 'x.gz', '--cache-dir', 'E:\\c').cacheDir).toBe('E:\\c');
  });

  it('--init takes a Windows path as given; C:/agent alone is no inject spec', () => {
    expect(winBuild('alpine', '-o', 'x.gz', '--init', 'C:\\init').init).toBe('C:\\init');
    expect(usageError(() => winBuild('alpine', '-o', 'x.gz', '-i', 'C:/agent'))).toMatch(/^Invalid inject 'C:\/agent': no absolute DEST after SRC/);
  });
});

describe('errors name the option and the expected form', () => {
  it('missing output', () => expect(usageError(() => parseCommand(['build', 'oci:/l'], env))).toMatch(/--output/));
  it('missing image', () => expect(usageError(() => parseCommand(['build'], env))).toMatch(/IMAGE/));
  it('unknown command, with the command it is a typo of', () => {
    expect(usageError(() => parseCommand(['bild', 'x'], env))).toMatch(/'bild'.*build, inspect or boot; did you mean build\?/);
    expect(usageError(() => parseCommand(['list', 'x'], env))).not.toMatch(/did you mean/);
  });
  it('an unknown option, with the option it is a typo of, in one line of our own words', () => {
    expect(usageError(() => build('-o', 'x', '--levle', '3'))).toBe("unknown option '--levle'; did you mean --level? (see --help)");
    expect(usageError(() => build('-o', 'x', '--compresion', 'zstd'))).toMatch(/did you mean --compression\?/);
    expect(usageError(() => build('-o', 'x', '--frobnicate'))).toBe("unknown option '--frobnicate' (see --help)");
    expect(usageError(() => build('-o', 'x', '-z'))).toBe("unknown option '-z' (see --help)");
  });
  it('an option without its value names the option', () => {
    expect(usageError(() => parseCommand(['build', 'x', '-o'], env))).toBe('option --output needs a value (see --help)');
    expect(usageError(() => build('-o', 'x', '--inject'))).toBe('option --inject needs a value (see --help)');
  });
  it('non-numeric level', () => expect(usageError(() => build('-o', 'x', '-l', 'fast'))).toMatch(/--level 'fast'/));
  it('a level out of range for the compression, found while parsing', () => {
    expect(usageError(() => build('-o', 'x.gz', '--level', '42'))).toBe("--level '42': gzip level must be an integer from 1 to 9, got 42 (see --help)");
    expect(usageError(() => build('-o', 'x.zst', '-l', '0'))).toMatch(/^--level '0': zstd level must be an integer from 1 to 19/);
    expect(build('-o', 'x.zst', '-l', '19').level).toBe(19);
  });
  it('an empty --init or --report', () => {
    expect(usageError(() => build('-o', 'x', '--init', ''))).toMatch(/^--init: expected a file/);
    expect(usageError(() => build('-o', 'x', '--report', ''))).toMatch(/^--report: expected a file name/);
  });
  it('stray argument', () => expect(usageError(() => build('-o', 'x', 'extra'))).toMatch(/'extra'/));
  it('SOURCE_DATE_EPOCH that is not whole seconds', () => {
    expect(usageError(() => parseSourceDateEpoch('yesterday'))).toMatch(/SOURCE_DATE_EPOCH 'yesterday'/);
    expect(usageError(() => parseSourceDateEpoch('1.5'))).toMatch(/whole seconds/);
    expect(usageError(() => parseSourceDateEpoch('4294967296'))).toMatch(/4294967295/);
    expect(parseSourceDateEpoch('1700000000')).toBe(1_700_000_000);
    expect(parseSourceDateEpoch('')).toBeUndefined();
  });
});

describe('--timeout', () => {
  it('is a duration for build and inspect, absent by default', () => {
    expect(build('-o', 'x').registry.timeoutMs).toBeUndefined();
    expect(build('-o', 'x', '--timeout', '10m').registry.timeoutMs).toBe(600_000);
    expect(build('-o', 'x', '--timeout', '90').registry.timeoutMs).toBe(90_000);
    const inspect = parseCommand(['inspect', 'alpine', '--timeout', '1h30m'], env);
    expect(inspect.kind === 'inspect' && inspect.registry.timeoutMs).toBe(5_400_000);
  });
  it('anything else is a usage error naming the option and the form', () => {
    expect(usageError(() => build('-o', 'x', '--timeout', 'soon'))).toBe(
      "--timeout 'soon': expected a duration such as 90s, 10m or 1h30m (at most 7d) (see --help)",
    );
    expect(usageError(() => build('-o', 'x', '--timeout', '0'))).toMatch(/^--timeout '0': expected a duration/);
  });
});

describe('the generated /init options', () => {
  it('take their documented values; none given leaves the defaults to the build', () => {
    const b = build('-o', 'x', '--network', 'dhcp', '--on-exit', 'reboot', '--init-tools', 'busybox:musl', '--modules-dir', 'mods', '--module', 'virtio_net', '--module', 'vsock');
    expect(b).toMatchObject({ network: 'dhcp', onExit: 'reboot', initTools: 'busybox:musl', modules: { dir: expect.stringMatching(/\/mods$/), names: ['virtio_net', 'vsock'] } });
    const plain = build('-o', 'x');
    expect([plain.network, plain.onExit, plain.initTools, plain.modules]).toEqual([undefined, undefined, undefined, undefined]);
  });
  it('INITRAMFS_ACTION_INIT_TOOLS is the tools image unless --init-tools says otherwise', () => {
    const withEnv = (...args: string[]) => parseCommand(['build', 'oci:/l', '-o', 'x', ...args], { ...env, INITRAMFS_ACTION_INIT_TOOLS: 'mirror/busybox:1' });
    expect(withEnv()).toMatchObject({ initTools: 'mirror/busybox:1' });
    expect(withEnv('--init-tools', 'other:2')).toMatchObject({ initTools: 'other:2' });
    // The environment is a default, not a request: with --init it is simply not used.
    expect(withEnv('--init', 'i')).not.toHaveProperty('initTools');
  });
  it('a wrong value names the option, the values it takes and the likely one', () => {
    expect(usageError(() => build('-o', 'x', '--network', 'dchp'))).toBe("--network 'dchp': expected cmdline, dhcp, none; did you mean dhcp? (see --help)");
    expect(usageError(() => build('-o', 'x', '--on-exit', 'halt'))).toBe("--on-exit 'halt': expected poweroff, reboot, shell (see --help)");
    expect(usageError(() => build('-o', 'x', '--init-tools', ''))).toMatch(/^--init-tools: expected an image with a static \/bin\/busybox/);
    expect(usageError(() => build('-o', 'x', '--netwrk', 'dhcp'))).toMatch(/unknown option '--netwrk'; did you mean --network\?/);
  });
  it('options that shape the generated /init cannot go with --init', () => {
    expect(usageError(() => build('-o', 'x', '--init', 'i', '--network', 'dhcp', '--on-exit', 'shell'))).toBe(
      '--network and --on-exit shape the generated /init and cannot be used with --init FILE (see --help)',
    );
    expect(usageError(() => build('-o', 'x', '--init', 'i', '--init-tools', 'b'))).toMatch(/^--init-tools shapes the generated/);
  });
  it('--module and --modules-dir go together', () => {
    expect(usageError(() => build('-o', 'x', '--module', 'virtio_net'))).toMatch(/^--module needs --modules-dir DIR/);
    expect(usageError(() => build('-o', 'x', '--modules-dir', '/lib/modules/6'))).toMatch(/^--modules-dir: name the modules to copy with --module NAME/);
    expect(usageError(() => build('-o', 'x', '--modules-dir', '/m', '--module', ''))).toMatch(/^--module: expected a module name/);
  });
});

describe('boot', () => {
  const boot = (...args: string[]) => parseCommand(['boot', ...args], env);
  it('takes the archive, a kernel and the boot settings', () => {
    expect(boot('a.cpio.gz', '--kernel', 'vmlinuz', '--expect', 'READY', '--timeout', '90s', '--memory', '512', '--append', 'ip=dhcp', '--network', '--arch', 'arm64', '--accel', 'tcg')).toMatchObject({
      kind: 'boot',
      archive: expect.stringMatching(/\/a\.cpio\.gz$/),
      boot: { kernel: { file: expect.stringMatching(/\/vmlinuz$/) }, expect: 'READY', timeoutMs: 90_000, memoryMiB: 512, append: 'ip=dhcp', network: true, arch: 'arm64', accel: 'tcg' },
    });
    expect(boot('a', '--kernel-image', 'linuxkit/kernel:6.6.71')).toMatchObject({ boot: { kernel: { image: 'linuxkit/kernel:6.6.71' } } });
    // The verb need not come first.
    expect(parseCommand(['--cache-dir', '/c', 'boot', 'a', '-k', 'k'], env)).toMatchObject({ kind: 'boot', cacheDir: '/c' });
    expect(boot('--help')).toEqual({ kind: 'boot-help' });
  });
  it('says what is wrong, naming the option', () => {
    expect(usageError(() => boot())).toMatch(/^boot: missing ARCHIVE/);
    expect(usageError(() => boot('a'))).toMatch(/^missing --kernel FILE or --kernel-image REF/);
    expect(usageError(() => boot('a', '-k', 'k', '--kernel-image', 'i'))).toMatch(/give one kernel/);
    expect(usageError(() => boot('a', '-k', 'k', '--kernal', 'x'))).toMatch(/unknown option '--kernal'; did you mean --kernel\?/);
    expect(usageError(() => boot('a', '-k', 'k', '--arch', 'riscv64'))).toMatch(/--arch 'riscv64': expected amd64 or arm64/);
    expect(usageError(() => boot('a', '-k', 'k', '--memory', '16'))).toMatch(/--memory '16': expected MiB, a whole number from 64/);
    expect(usageError(() => boot('a', 'b', '-k', 'k'))).toMatch(/unexpected argument 'b'/);
  });
  it('build --boot-test takes the same settings with --boot-; they need --boot-test and a file to boot', () => {
    expect(build('-o', 'x', '--boot-test', '--boot-kernel', 'k', '--boot-timeout', '2m', '--boot-network')).toMatchObject({ bootTest: { kernel: { file: expect.stringMatching(/\/k$/) }, timeoutMs: 120_000, network: true } });
    expect(build('-o', 'x')).not.toHaveProperty('bootTest');
    expect(usageError(() => build('-o', 'x', '--boot-expect', 'X'))).toMatch(/^--boot-expect needs --boot-test/);
    expect(usageError(() => build('-o', 'x', '--boot-test'))).toMatch(/^missing --boot-kernel FILE or --boot-kernel-image REF/);
    expect(usageError(() => build('-o', '-', '--boot-test', '--boot-kernel', 'k'))).toMatch(/--boot-test needs the archive in a file/);
  });
});
