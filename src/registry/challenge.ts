// WWW-Authenticate parsing (RFC 7235): a header holds one or more challenges, each a scheme and
// comma-separated auth-params whose quoted values may themselves contain commas (Docker's scope lists).

export interface Challenge {
  /** The auth scheme, lowercased: 'bearer', 'basic', … */
  scheme: string;
  /** Auth-params by lowercased name, quoted values unescaped. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const SPACE = /^[ \t]*/;

/**
 * Every challenge in the WWW-Authenticate header value(s), in order. Unparseable tails are dropped rather
 * than thrown: a registry's odd header should not hide the challenges before it.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return [];
  if (Array.isArray(header)) return header.flatMap((h) => parseChallenges(h));
  const out: Challenge[] = [];
  let s = header;
  const skip = (re: RegExp): string => {
    const m = re.exec(s);
    const text = m?.[0] ?? '';
    s = s.slice(text.length);
    return text;
  };
  let current: Challenge | undefined;
  for (;;) {
    skip(/^[ \t,]*/);
    if (s === '') break;
    const name = skip(TOKEN);
    if (name === '') break;
    skip(SPACE);
    if (s.startsWith('=') && current !== undefined && !/^=+[ \t]*(,|$)/.test(s)) {
      // An auth-param of the current challenge.
      s = s.slice(1);
      skip(SPACE);
      current.params[name.toLowerCase()] = s.startsWith('"') ? quoted() : skip(TOKEN);
      continue;
    }
    // A new challenge: `Scheme` followed by params (or a token68, which registries do not use).
    current = { scheme: name.toLowerCase(), params: {} };
    out.push(current);
    skip(SPACE);
    if (/^[A-Za-z0-9._~+/-]+=*[ \t]*(,|$)/.test(s)) skip(/^[A-Za-z0-9._~+/-]+=*/);
  }
  return out;

  function quoted(): string {
    let value = '';
    let i = 1;
    for (; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\' && i + 1 < s.length) value += s[++i];
      else if (c === '"') break;
      else value += c;
    }
    s = s.slice(i + 1);
    return value;
  }
}
