// The build report: what `--report FILE` writes and the action turns into outputs. Everything in it is
// derived from the inputs and the output bytes, so it is as reproducible as the archive (no times, no
// host paths other than the output the user named).
import type { Platform } from './image/types.ts';
import type { Compression } from './initramfs/compress.ts';

export interface BuildReport {
  /** `sha256:<hex>` of the output file's bytes. */
  digest: string;
  /** Bytes of the output file. */
  size: number;
  /** The output path as given. */
  output: string;
  compression: Compression;
  level: number | null;
  image: {
    reference: string;
    /** Digest of the platform manifest used, or null when the source has none. */
    digest: string | null;
    platform: string;
  };
  /** Oldest first, as stored (compressed digest and size). */
  layers: { digest: string; size: number }[];
  /** Records in the archive (the trailer excluded). */
  entries: number;
  /** Bytes of the cpio stream before compression. */
  uncompressedSize: number;
  /** The directories (two levels deep at most) holding the most file data, largest first. */
  largestDirectories: { path: string; bytes: number }[];
  /** Which /init the archive boots, and what the generated one was told to do. */
  init: InitReport;
}

export interface InitReport {
  /** generated from the image config, given with --init, or the image's own. */
  kind: 'generated' | 'given' | 'image';
  /** The generated /init's settings; null for another /init. */
  network: 'none' | 'dhcp' | 'cmdline' | null;
  onExit: 'poweroff' | 'reboot' | 'shell' | null;
  /** `uid:gid` the command runs as, from the config's User; null for root or another /init. */
  user: string | null;
  /** Kernel modules in the archive (names in load order) and those the kernel has built in; null without --module. */
  modules: { version: string; names: string[]; builtin: string[] } | null;
  /** The image the generated /init's busybox came from; null for another /init. */
  tools: { reference: string; digest: string | null } | null;
}

/** The report as JSON text, with a stable key order (the object literal order above). */
export const formatReport = (r: BuildReport): string => JSON.stringify(r, null, 2) + '\n';

export type { Platform };
