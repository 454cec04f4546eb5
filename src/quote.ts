// User data (file names, tags, inputs, bytes read from a file) as it appears inside a one-line message:
// quoted, shortened, and never raw, so a binary file, a stray newline in a workflow input or a hostile
// name cannot split an error line or put a terminal escape sequence into the terminal or the Actions log.
// Long values are shortened in the middle: a path keeps how it starts and the file name it ends with.

/** Characters of user data kept in a message before its middle is replaced with "…". */
const DEFAULT_MAX = 160;

/** Control, format, unassigned and line/paragraph separator characters: never printed as they are. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

/** The escapes everybody reads at a glance; other controls are `\xNN`. */
const NAMED_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function quoted(text: string, max: number, escape: (ch: string, code: number) => boolean, wrap = true): string {
  const one = (ch: string): string => {
    const code = ch.codePointAt(0)!;
    if ((wrap && ch === "'") || ch === '\\') return `\\${ch}`;
    if (!escape(ch, code)) return ch;
    const named = NAMED_ESCAPES[ch];
    if (named !== undefined) return named;
    if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
    return `\\u{${code.toString(16)}}`;
  };
  const q = wrap ? "'" : '';
  const chars = [...text];
  if (chars.length <= max) return `${q}${chars.map(one).join('')}${q}`;
  const head = Math.ceil((max - 1) / 2);
  const tail = Math.floor((max - 1) / 2);
  return `${q}${chars.slice(0, head).map(one).join('')}…${chars.slice(chars.length - tail).map(one).join('')}${q}`;
}

/**
 * Text the user gave (a path, a tag), in single quotes as GNU tools quote it: letters of any script kept,
 * controls as `\n`, `\r`, `\t` or `\xNN`.
 */
export const quote = (text: string, max = DEFAULT_MAX): string => quoted(text, max, (ch) => UNPRINTABLE.test(ch));

/**
 * A byte string (one char per byte, as tar headers are read) in single quotes: printable ASCII kept, every
 * other byte as `\xNN`.
 */
export const quoteBytes = (bytes: string, max = DEFAULT_MAX): string =>
  quoted(bytes, max, (_ch, code) => code < 0x20 || code >= 0x7f);

/**
 * Text that carries user data but is not one value (a reason that names a path inside a phrase), escaped
 * and shortened as quote() does, without the quotes.
 */
export const escaped = (text: string, max = 2 * DEFAULT_MAX): string => quoted(text, max, (ch) => UNPRINTABLE.test(ch), false);

/** Text shown as it is when every character is printable (a reference to copy), else quote(text). */
export const shown = (text: string, max = 256): string =>
  text.length <= max && ![...text].some((ch) => UNPRINTABLE.test(ch)) ? text : quote(text, max);
