// Platforms as users write them (`os/arch[/variant]`) and as images declare them, normalised the way
// containerd does so that `linux/arm64` matches an image that says `arm64/v8` and `linux/arm` means v7.
import { InitramfsError } from '../errors.ts';
import { shown } from '../quote.ts';
import { formatPlatform, type Platform } from './types.ts';

/** Platforms named in a message; the count covers the rest. */
const LISTED_PLATFORMS = 20;

/** What a build targets when the user names no platform. */
export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

// Names other tools print for the same architecture (uname -m, Debian) → the OCI name.
const ARCH_ALIASES: Record<string, Platform['architecture']> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm',
  armel: 'arm',
  i686: '386',
  i386: '386',
};

const PART = /^[a-z0-9_.-]+$/;

/**
 * Parses `os/arch[/variant]` (e.g. `linux/arm64`, `linux/arm/v6`); throws USAGE naming the input when it is
 * malformed. The result is normalised (see normalizePlatform). No text (undefined) → DEFAULT_PLATFORM.
 */
export function parsePlatform(text: string | undefined): Platform {
  if (text === undefined) return { ...DEFAULT_PLATFORM };
  const parts = text.trim().toLowerCase().split('/');
  if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p))) {
    throw new InitramfsError('USAGE', `platform "${text}": expected os/arch[/variant], e.g. linux/amd64`);
  }
  const [os, architecture, variant] = parts as [string, string, string | undefined];
  return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}

/**
 * The canonical form: architecture aliases resolved, `arm64` without variant → `v8`, `arm` without variant
 * → `v7` (armel → v6), and an empty variant dropped.
 */
export function normalizePlatform(p: Platform): Platform {
  const os = p.os.toLowerCase();
  const raw = p.architecture.toLowerCase();
  const architecture = ARCH_ALIASES[raw] ?? raw;
  let variant = p.variant ? p.variant.toLowerCase() : undefined;
  if (variant === undefined) {
    if (architecture === 'arm64') variant = 'v8';
    else if (architecture === 'arm') variant = raw === 'armel' ? 'v6' : 'v7';
  }
  // arm64's "8" and arm's "7" are sometimes written without the v.
  if (variant !== undefined && /^\d+$/.test(variant) && (architecture === 'arm' || architecture === 'arm64')) {
    variant = `v${variant}`;
  }
  return variant === undefined ? { os, architecture } : { os, architecture, variant };
}

/** True when an image declaring `have` satisfies a request for `want` (both normalised first). */
export function platformMatches(want: Platform, have: Platform): boolean {
  const w = normalizePlatform(want);
  const h = normalizePlatform(have);
  return w.os === h.os && w.architecture === h.architecture && w.variant === h.variant;
}

/** Platforms as a sorted, de-duplicated list for messages (`linux/amd64, linux/arm64/v8`). */
export function listPlatforms(platforms: Platform[]): string {
  const names = [...new Set(platforms.map(formatPlatform))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return '(none)';
  // Platforms are the image's words: each shown escaped and short, and an index of thousands not listed whole.
  const listed = names.slice(0, LISTED_PLATFORMS).map((n) => shown(n, 64));
  return names.length > LISTED_PLATFORMS ? `${listed.join(', ')} and ${names.length - LISTED_PLATFORMS} more` : listed.join(', ');
}
