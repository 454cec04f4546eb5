// The QEMU command line that boots a kernel with an initramfs on a serial console: pure, so every word
// of it is tested without starting QEMU. amd64 runs on `microvm` (no PCI, no firmware: the fastest boot
// QEMU has), arm64 on `virt`. The kernel command line starts with what the boot needs to be judged at
// all (a console, and panic=-1 so a panic ends QEMU instead of hanging) and ends with the user's words,
// so theirs win where the kernel takes the last occurrence.

export type BootArch = 'amd64' | 'arm64';
export type Accel = 'kvm' | 'tcg';

export interface QemuOptions {
  arch: BootArch;
  accel: Accel;
  /** Kernel image (bzImage for amd64, Image for arm64). */
  kernel: string;
  /** The initramfs archive. */
  initrd: string;
  memoryMiB: number;
  /** Extra kernel command-line words, after this tool's own. */
  append?: string;
  /** QEMU user-mode network with a virtio-net device (DHCP from QEMU, the host's loopback at 10.0.2.2). */
  network?: boolean;
  /**
   * Host TSC frequency in kHz (amd64 only): microvm has no HPET or PM timer to calibrate the TSC
   * against, and under TCG about one boot in eight hangs calibrating without `tsc_early_khz`.
   */
  tscKhz?: number;
}

/** The QEMU binary for an architecture, and the Debian/Ubuntu package that installs it. */
export const QEMU_BINARY: Readonly<Record<BootArch, { command: string; package: string }>> = {
  amd64: { command: 'qemu-system-x86_64', package: 'qemu-system-x86' },
  arm64: { command: 'qemu-system-aarch64', package: 'qemu-system-arm' },
};

/** The serial console each machine has: the 8250 UART on microvm, the PL011 on virt. */
export const CONSOLE_DEVICE: Readonly<Record<BootArch, string>> = { amd64: 'ttyS0', arm64: 'ttyAMA0' };

/** The kernel command line: console, panic=-1, tsc_early_khz (amd64, when known), then the user's words. */
export function kernelCommandLine(o: Pick<QemuOptions, 'arch' | 'append' | 'tscKhz'>): string {
  const words = [`console=${CONSOLE_DEVICE[o.arch]}`, 'panic=-1'];
  if (o.arch === 'amd64' && o.tscKhz !== undefined && o.tscKhz > 0) words.push(`tsc_early_khz=${Math.round(o.tscKhz)}`);
  const user = o.append?.trim();
  if (user) words.push(user);
  return words.join(' ');
}

/** The command and arguments that boot `o.initrd` with `o.kernel`, the console on QEMU's stdout. */
export function qemuCommand(o: QemuOptions): { command: string; args: string[] } {
  const machine =
    o.arch === 'amd64'
      ? ['-M', 'microvm']
      : // -cpu host only exists under KVM; TCG's `max` has every feature a distro arm64 kernel may use.
        ['-M', 'virt', '-cpu', o.accel === 'kvm' ? 'host' : 'max'];
  const net = o.network
    ? ['-netdev', 'user,id=n0', '-device', `${o.arch === 'amd64' ? 'virtio-net-device' : 'virtio-net-pci'},netdev=n0`]
    : [];
  return {
    command: QEMU_BINARY[o.arch].command,
    args: [
      ...machine,
      '-accel', o.accel,
      // -nodefaults drops the default devices (and the monitor on stdio); the serial console is then named.
      '-nodefaults', '-nographic', '-no-reboot', '-serial', 'stdio',
      '-m', String(o.memoryMiB), '-smp', '1',
      '-kernel', o.kernel, '-initrd', o.initrd,
      '-append', kernelCommandLine(o),
      ...net,
    ],
  };
}
