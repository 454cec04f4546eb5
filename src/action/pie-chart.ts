// A Mermaid pie chart as Markdown (a ```mermaid block, which GitHub renders in a job summary), from labels
// that may be hostile: an image's file names end up in them. Pure text, parsed by Mermaid's own parser in
// the tests.

export interface PieSlice {
  label: string;
  /** Shown after the label, never shortened with it (a size: `1.2 MiB`). */
  note?: string;
  /** Not negative; slices of 0 are left out (Mermaid draws nothing for them). */
  value: number;
}

/** Longer labels keep their end, the part of a path that tells it apart (`…/site-packages`). */
const MAX_LABEL = 48;

/**
 * A label Mermaid shows as it is. Its grammar takes a label as one "…" string on one line; before parsing,
 * Mermaid reads `%%` as comments and directives (`%%{init: …}%%` reconfigures the chart), `#name;` as
 * entities, and a run of backticks would close the Markdown fence around the chart. Letters and digits of
 * any script and a few plain punctuation marks are kept; anything else becomes `?`.
 */
export function pieLabel(text: string): string {
  const safe = text.replace(/[^\p{L}\p{N} /._\-+@(),=~!:]/gu, '?').trim();
  const chars = [...safe];
  const short = chars.length > MAX_LABEL ? '…' + chars.slice(-(MAX_LABEL - 1)).join('') : safe;
  return short === '' ? '?' : short;
}

/**
 * The chart's lines, fence included. Mermaid keeps only the first of two slices with one label, so labels
 * made equal by `pieLabel` (or equal to begin with) get ` (2)`, ` (3)`… in order.
 */
export function pieChart(title: string, slices: PieSlice[]): string[] {
  const used = new Set<string>();
  const lines = ['```mermaid', `pie title ${pieLabel(title)}`];
  for (const s of slices) {
    if (!(s.value > 0)) continue;
    const base = pieLabel(s.label) + (s.note === undefined ? '' : ` ${pieLabel(s.note)}`);
    let label = base;
    for (let n = 2; used.has(label); n++) label = `${base} (${n})`;
    used.add(label);
    lines.push(`    "${label}" : ${s.value}`);
  }
  lines.push('```');
  return lines;
}
