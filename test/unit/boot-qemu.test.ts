// The QEMU command line, word by word: what boots here (microvm under TCG with tsc_early_khz) and what
// arm64, KVM and the user-mode network add. No QEMU runs; the integration tests boot these lines.
import { describe, expect, it } from 'vitest';
import { kernelCommandLine, qemuCommand, type QemuOptions } from '../../src/boot/qemu.ts';
import { defaultMemoryMiB, hostTscKhz } from '../../src/boot/boot.ts';

const base: QemuOptions = { arch: 'amd64', accel: 'tcg', kernel: '/k/vmlinuz', initrd: '/a/initramfs', memoryMiB: 256 };

/** The value after `flag`, for each time it occurs. */
const values = (args: string[], flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

describe('qemuCommand', () => {
  it('boots amd64 on microvm with the console on stdio, no reboot, one CPU', () => {
    const { command, args } = qemuCommand({ ...base, tscKhz: 2_096_026 });
    expect(command).toBe('qemu-system-x86_64');
    expect(args).toEqual([
      '-M', 'microvm', '-accel', 'tcg',
      '-nodefaults', '-nographic', '-no-reboot', '-serial', 'stdio',
      '-m', '256', '-smp', '1',
      '-kernel', '/k/vmlinuz', '-initrd', '/a/initramfs',
      '-append', 'console=ttyS0 panic=-1 tsc_early_khz=2096026',
    ]);
  });

  it('boots arm64 on virt with the PL011 console; -cpu max under TCG, host under KVM; no tsc parameter', () => {
    const tcg = qemuCommand({ ...base, arch: 'arm64', tscKhz: 2_000_000 });
    expect(tcg.command).toBe('qemu-system-aarch64');
    expect(tcg.args.slice(0, 6)).toEqual(['-M', 'virt', '-cpu', 'max', '-accel', 'tcg']);
    expect(values(tcg.args, '-append')).toEqual(['console=ttyAMA0 panic=-1']);
    const kvm = qemuCommand({ ...base, arch: 'arm64', accel: 'kvm' });
    expect(values(kvm.args, '-cpu')).toEqual(['host']);
    expect(values(kvm.args, '-accel')).toEqual(['kvm']);
  });

  it('asks for KVM when told', () => {
    expect(values(qemuCommand({ ...base, accel: 'kvm' }).args, '-accel')).toEqual(['kvm']);
  });

  it('adds a user-mode network on the bus each machine has', () => {
    const none = qemuCommand(base).args;
    expect(none).not.toContain('-netdev');
    const amd = qemuCommand({ ...base, network: true }).args;
    expect(amd.slice(-4)).toEqual(['-netdev', 'user,id=n0', '-device', 'virtio-net-device,netdev=n0']);
    const arm = qemuCommand({ ...base, arch: 'arm64', network: true }).args;
    expect(arm.slice(-4)).toEqual(['-netdev', 'user,id=n0', '-device', 'virtio-net-pci,netdev=n0']);
  });

  it('passes memory and paths as given, each one argument', () => {
    const { args } = qemuCommand({ ...base, kernel: '/my kernels/bz Image', initrd: '/tmp/a b', memoryMiB: 1088 });
    expect(values(args, '-kernel')).toEqual(['/my kernels/bz Image']);
    expect(values(args, '-initrd')).toEqual(['/tmp/a b']);
    expect(values(args, '-m')).toEqual(['1088']);
  });
});

describe('kernelCommandLine', () => {
  it("puts the user's words last, so they win, and never `quiet`", () => {
    expect(kernelCommandLine({ arch: 'amd64', tscKhz: 1500, append: '  initramfs.shell rdinit=/sbin/x ' })).toBe(
      'console=ttyS0 panic=-1 tsc_early_khz=1500 initramfs.shell rdinit=/sbin/x',
    );
    expect(kernelCommandLine({ arch: 'amd64' })).toBe('console=ttyS0 panic=-1');
    expect(kernelCommandLine({ arch: 'arm64', append: 'x=1' })).toBe('console=ttyAMA0 panic=-1 x=1');
  });
});

describe('boot defaults', () => {
  it('sizes memory from the unpacked files (twice: the rootfs tmpfs is capped at half) and the archive, plus 128 MiB, in 64 MiB steps, at least 256', () => {
    expect(defaultMemoryMiB(0)).toBe(256);
    expect(defaultMemoryMiB(2 << 20, 1 << 20)).toBe(256);
    expect(defaultMemoryMiB(100 << 20)).toBe(384);
    expect(defaultMemoryMiB(100 << 20, 56 << 20)).toBe(384);
    expect(defaultMemoryMiB(100 << 20, 57 << 20)).toBe(448);
    expect(defaultMemoryMiB(1 << 30, 300 << 20)).toBe(2496);
  });

  it("reads the host's TSC frequency from cpuinfo's cpu MHz", () => {
    expect(hostTscKhz('processor\t: 0\ncpu MHz\t\t: 2096.026\ncache size\t: 512 KB\n')).toBe(2_096_026);
    expect(hostTscKhz('processor\t: 0\nBogoMIPS\t: 50.00\n')).toBeUndefined();
  });
});
