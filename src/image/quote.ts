// User data (file names, tags, bytes read from a file) as it appears inside a one-line message: quoted,
// shortened, and never raw, so a binary file or a hostile name cannot put a newline or a terminal escape
// sequence into the terminal or the Actions log.

/** Characters of user data kept in a message before it is cut with "…". */
const DEFAULT_MAX = 64;

/** Control, format, unassigned and line/paragraph separator characters: never printed as they are. */
const UNPRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;

function quoted(text: string, max: number, escape: (ch: string, code: number) => boolean): string {
  let out = '';
  let shown = 0;
  for (const ch of text) {
    if (shown === max) return `"${out}…"`;
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (!escape(ch, code)) out += ch;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += `\\u{${code.toString(16)}}`;
    shown++;
  }
  return `"${out}"`;
}

/** Text the user gave (a path, a tag), in double quotes: letters of any script kept, controls as `\xNN`. */
export const quote = (text: string, max = DEFAULT_MAX): string => quoted(text, max, (ch) => UNPRINTABLE.test(ch));

/**
 * A byte string (one char per byte, as tar headers are read) in double quotes: printable ASCII kept, every
 * other byte as `\xNN`.
 */
export const quoteBytes = (bytes: string, max = DEFAULT_MAX): string =>
  quoted(bytes, max, (_ch, code) => code < 0x20 || code >= 0x7f);

/** Text shown as it is when every character is printable (a reference to copy), else quote(text). */
export const shown = (text: string, max = 256): string =>
  text.length <= max && ![...text].some((ch) => UNPRINTABLE.test(ch)) ? text : quote(text, max);
