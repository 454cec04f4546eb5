// Durations as people type them for timeouts (`90s`, `10m`, `1h30m`, `500ms`, or bare seconds: `90`),
// and back into the same short form for messages. Read by both shells and by the network bounds, so a
// duration means the same wherever it is given.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The longest duration accepted: a week, well past any CI job, and far below the 2^31 ms at which Node's
 * timers stop working (they fire at once).
 */
export const MAX_DURATION_MS = 7 * 86_400_000;

/** Milliseconds from `90`, `90s`, `1h30m`, `500ms`…; undefined when malformed, zero or over a week. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  let ms: number;
  if (/^\d+$/.test(t)) ms = Number(t) * 1000;
  else {
    if (!/^(?:\d+(?:ms|s|m|h|d))+$/.test(t)) return undefined;
    ms = 0;
    for (const [, n, unit] of t.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(n) * UNIT_MS[unit!]!;
  }
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `500ms`, `1.5s`, `30s`, `1m30s`, `2h`, `3d4h`; past a year, `more than a year` (a Retry-After can say anything). */
export function formatDuration(ms: number): string {
  if (ms > 365 * 86_400_000) return 'more than a year';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000 && ms % 1000 !== 0) return `${Math.round(ms / 100) / 10}s`;
  let s = Math.round(ms / 1000);
  let out = '';
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60]] as const) {
    if (s >= size) {
      out += `${Math.floor(s / size)}${unit}`;
      s %= size;
    }
  }
  return s > 0 || out === '' ? `${out}${s}s` : out;
}
