// The build report: what `--report FILE` writes and the action turns into outputs. Everything in it is
// derived from the inputs and the output bytes, so it is as reproducible as the archive (no times, no
// host paths other than the output the user named).
import type { Platform } from './image/types.ts';
import type { Compression } from './initramfs/compress.ts';
import type { SpaceSlice } from './rootfs/du.ts';

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
  /**
   * The directories (two levels deep at most) holding the most file data, largest first. They overlap
   * (`/usr` and `/usr/lib`); `space` has the breakdown whose parts add up. Kept for existing readers.
   */
  largestDirectories: { path: string; bytes: number }[];
  /** Where the archive's file data is and where it came from. */
  space: SpaceReport;
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

/**
 * The archive's regular-file data, hardlinked data counted once (at its first name in sorted order), cut
 * two ways. Each list adds up to `fileBytes`: by place (`directories`) and by origin (`layers`, `injected`,
 * `generated`). File data only: the cpio's headers and names are the rest of `uncompressedSize`.
 */
export interface SpaceReport {
  fileBytes: number;
  /**
   * Non-overlapping slices: the top-level directories, each holding more than a fifth of the data split
   * into its children (`tree`) and the files directly in it (`files`); the files at the top are
   * `{ path: "/", scope: "files" }`. Largest first, ties by path; beyond ten slices, or below 1% of the data,
   * they are folded into one `{ path: null, scope: "other", folded: N }` at the end.
   */
  directories: SpaceSlice[];
  /** Per layer, in the order of `layers`: bytes of its files that are in the archive (0 when later layers replaced or deleted them all, or --exclude removed them). */
  layers: number[];
  /** Bytes of the files taken from the host: --inject, --init, the kernel modules of --modules-dir (and their modules.dep). */
  injected: number;
  /** Bytes of the files the build generated: the generated /init, the busybox it runs on (from the init-tools image) and its DHCP script. */
  generated: number;
}

/** The report as JSON text, with a stable key order (the object literal order above). */
export const formatReport = (r: BuildReport): string => JSON.stringify(r, null, 2) + '\n';

export type { Platform };
