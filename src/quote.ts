// User input as it appears in a message: single-quoted, on one line (control characters escaped, so a
// stray newline in a workflow input cannot split an error), and shortened in the middle when long, so a
// 4 KiB argument still gives a readable one-line error that shows how the input starts and ends.

/** Longest quoted input, in characters, before the middle is elided. */
const MAX = 80;

const escapeControl = (s: string): string =>
  // eslint-disable-next-line no-control-regex
  s.replace(/[\u0000-\u001f\u007f]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/** `'text'`, escaped and shortened to about `max` characters with `…` in the middle. */
export function quote(text: string, max = MAX): string {
  const s = escapeControl(text);
  if (s.length <= max) return `'${s}'`;
  const keep = Math.floor((max - 1) / 2);
  return `'${s.slice(0, keep)}…${s.slice(s.length - keep)}'`;
}
