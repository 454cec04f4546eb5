#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 57:
/***/ ((module) => {

function isBuffer(value) {
  return Buffer.isBuffer(value) || value instanceof Uint8Array
}

function isEncoding(encoding) {
  return Buffer.isEncoding(encoding)
}

function alloc(size, fill, encoding) {
  return Buffer.alloc(size, fill, encoding)
}

function allocUnsafe(size) {
  return Buffer.allocUnsafe(size)
}

function allocUnsafeSlow(size) {
  return Buffer.allocUnsafeSlow(size)
}

function byteLength(string, encoding) {
  return Buffer.byteLength(string, encoding)
}

function compare(a, b) {
  return Buffer.compare(a, b)
}

function concat(buffers, totalLength) {
  return Buffer.concat(buffers, totalLength)
}

function copy(source, target, targetStart, start, end) {
  return toBuffer(source).copy(target, targetStart, start, end)
}

function equals(a, b) {
  return toBuffer(a).equals(b)
}

function fill(buffer, value, offset, end, encoding) {
  return toBuffer(buffer).fill(value, offset, end, encoding)
}

function from(value, encodingOrOffset, length) {
  return Buffer.from(value, encodingOrOffset, length)
}

function includes(buffer, value, byteOffset, encoding) {
  return toBuffer(buffer).includes(value, byteOffset, encoding)
}

function indexOf(buffer, value, byfeOffset, encoding) {
  return toBuffer(buffer).indexOf(value, byfeOffset, encoding)
}

function lastIndexOf(buffer, value, byteOffset, encoding) {
  return toBuffer(buffer).lastIndexOf(value, byteOffset, encoding)
}

function swap16(buffer) {
  return toBuffer(buffer).swap16()
}

function swap32(buffer) {
  return toBuffer(buffer).swap32()
}

function swap64(buffer) {
  return toBuffer(buffer).swap64()
}

function toBuffer(buffer) {
  if (Buffer.isBuffer(buffer)) return buffer
  return Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

function toString(buffer, encoding, start, end) {
  return toBuffer(buffer).toString(encoding, start, end)
}

function toHex(buffer, start, end) {
  return toBuffer(buffer).toString('hex', start, end)
}

function write(buffer, string, offset, length, encoding) {
  return toBuffer(buffer).write(string, offset, length, encoding)
}

function readDoubleBE(buffer, offset) {
  return toBuffer(buffer).readDoubleBE(offset)
}

function readDoubleLE(buffer, offset) {
  return toBuffer(buffer).readDoubleLE(offset)
}

function readFloatBE(buffer, offset) {
  return toBuffer(buffer).readFloatBE(offset)
}

function readFloatLE(buffer, offset) {
  return toBuffer(buffer).readFloatLE(offset)
}

function readInt32BE(buffer, offset) {
  return toBuffer(buffer).readInt32BE(offset)
}

function readInt32LE(buffer, offset) {
  return toBuffer(buffer).readInt32LE(offset)
}

function readUInt32BE(buffer, offset) {
  return toBuffer(buffer).readUInt32BE(offset)
}

function readUInt32LE(buffer, offset) {
  return toBuffer(buffer).readUInt32LE(offset)
}

function writeDoubleBE(buffer, value, offset) {
  return toBuffer(buffer).writeDoubleBE(value, offset)
}

function writeDoubleLE(buffer, value, offset) {
  return toBuffer(buffer).writeDoubleLE(value, offset)
}

function writeFloatBE(buffer, value, offset) {
  return toBuffer(buffer).writeFloatBE(value, offset)
}

function writeFloatLE(buffer, value, offset) {
  return toBuffer(buffer).writeFloatLE(value, offset)
}

function writeInt32BE(buffer, value, offset) {
  return toBuffer(buffer).writeInt32BE(value, offset)
}

function writeInt32LE(buffer, value, offset) {
  return toBuffer(buffer).writeInt32LE(value, offset)
}

function writeUInt32BE(buffer, value, offset) {
  return toBuffer(buffer).writeUInt32BE(value, offset)
}

function writeUInt32LE(buffer, value, offset) {
  return toBuffer(buffer).writeUInt32LE(value, offset)
}

module.exports = {
  isBuffer,
  isEncoding,
  alloc,
  allocUnsafe,
  allocUnsafeSlow,
  byteLength,
  compare,
  concat,
  copy,
  equals,
  fill,
  from,
  includes,
  indexOf,
  lastIndexOf,
  swap16,
  swap32,
  swap64,
  toBuffer,
  toString,
  toHex,
  write,
  readDoubleBE,
  readDoubleLE,
  readFloatBE,
  readFloatLE,
  readInt32BE,
  readInt32LE,
  readUInt32BE,
  readUInt32LE,
  writeDoubleBE,
  writeDoubleLE,
  writeFloatBE,
  writeFloatLE,
  writeInt32BE,
  writeInt32LE,
  writeUInt32BE,
  writeUInt32LE
}


/***/ }),

/***/ 580:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__(434)


/***/ }),

/***/ 587:
/***/ ((module) => {

module.exports = class FixedFIFO {
  constructor (hwm) {
    if (!(hwm > 0) || ((hwm - 1) & hwm) !== 0) throw new Error('Max size for a FixedFIFO should be a power of two')
    this.buffer = new Array(hwm)
    this.mask = hwm - 1
    this.top = 0
    this.btm = 0
    this.next = null
  }

  clear () {
    this.top = this.btm = 0
    this.next = null
    this.buffer.fill(undefined)
  }

  push (data) {
    if (this.buffer[this.top] !== undefined) return false
    this.buffer[this.top] = data
    this.top = (this.top + 1) & this.mask
    return true
  }

  shift () {
    const last = this.buffer[this.btm]
    if (last === undefined) return undefined
    this.buffer[this.btm] = undefined
    this.btm = (this.btm + 1) & this.mask
    return last
  }

  peek () {
    return this.buffer[this.btm]
  }

  isEmpty () {
    return this.buffer[this.btm] === undefined
  }
}


/***/ }),

/***/ 867:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const FixedFIFO = __nccwpck_require__(587)

module.exports = class FastFIFO {
  constructor (hwm) {
    this.hwm = hwm || 16
    this.head = new FixedFIFO(this.hwm)
    this.tail = this.head
    this.length = 0
  }

  clear () {
    this.head = this.tail
    this.head.clear()
    this.length = 0
  }

  push (val) {
    this.length++
    if (!this.head.push(val)) {
      const prev = this.head
      this.head = prev.next = new FixedFIFO(2 * this.head.buffer.length)
      this.head.push(val)
    }
  }

  shift () {
    if (this.length !== 0) this.length--
    const val = this.tail.shift()
    if (val === undefined && this.tail.next) {
      const next = this.tail.next
      this.tail.next = null
      this.tail = next
      return this.tail.shift()
    }

    return val
  }

  peek () {
    const val = this.tail.peek()
    if (val === undefined && this.tail.next) return this.tail.next.peek()
    return val
  }

  isEmpty () {
    return this.length === 0
  }
}


/***/ }),

/***/ 6:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const pico = __nccwpck_require__(16);
const utils = __nccwpck_require__(59);

function picomatch(glob, options, returnState = false) {
  // default to os.platform()
  if (options && (options.windows === null || options.windows === undefined)) {
    // don't mutate the original options object
    options = { ...options, windows: utils.isWindows() };
  }

  return pico(glob, options, returnState);
}

Object.assign(picomatch, pico);
module.exports = picomatch;


/***/ }),

/***/ 595:
/***/ ((module) => {



const WIN_SLASH = '\\\\/';
const WIN_NO_SLASH = `[^${WIN_SLASH}]`;

const DEFAULT_MAX_EXTGLOB_RECURSION = 0;

/**
 * Posix glob regex
 */

const DOT_LITERAL = '\\.';
const PLUS_LITERAL = '\\+';
const QMARK_LITERAL = '\\?';
const SLASH_LITERAL = '\\/';
const ONE_CHAR = '(?=.)';
const QMARK = '[^/]';
const END_ANCHOR = `(?:${SLASH_LITERAL}|$)`;
const START_ANCHOR = `(?:^|${SLASH_LITERAL})`;
const DOTS_SLASH = `${DOT_LITERAL}{1,2}${END_ANCHOR}`;
const NO_DOT = `(?!${DOT_LITERAL})`;
const NO_DOTS = `(?!${START_ANCHOR}${DOTS_SLASH})`;
const NO_DOT_SLASH = `(?!${DOT_LITERAL}{0,1}${END_ANCHOR})`;
const NO_DOTS_SLASH = `(?!${DOTS_SLASH})`;
const QMARK_NO_DOT = `[^.${SLASH_LITERAL}]`;
const STAR = `${QMARK}*?`;
const SEP = '/';

const POSIX_CHARS = {
  DOT_LITERAL,
  PLUS_LITERAL,
  QMARK_LITERAL,
  SLASH_LITERAL,
  ONE_CHAR,
  QMARK,
  END_ANCHOR,
  DOTS_SLASH,
  NO_DOT,
  NO_DOTS,
  NO_DOT_SLASH,
  NO_DOTS_SLASH,
  QMARK_NO_DOT,
  STAR,
  START_ANCHOR,
  SEP
};

/**
 * Windows glob regex
 */

const WINDOWS_CHARS = {
  ...POSIX_CHARS,

  SLASH_LITERAL: `[${WIN_SLASH}]`,
  QMARK: WIN_NO_SLASH,
  STAR: `${WIN_NO_SLASH}*?`,
  DOTS_SLASH: `${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$)`,
  NO_DOT: `(?!${DOT_LITERAL})`,
  NO_DOTS: `(?!(?:^|[${WIN_SLASH}])${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  NO_DOT_SLASH: `(?!${DOT_LITERAL}{0,1}(?:[${WIN_SLASH}]|$))`,
  NO_DOTS_SLASH: `(?!${DOT_LITERAL}{1,2}(?:[${WIN_SLASH}]|$))`,
  QMARK_NO_DOT: `[^.${WIN_SLASH}]`,
  START_ANCHOR: `(?:^|[${WIN_SLASH}])`,
  END_ANCHOR: `(?:[${WIN_SLASH}]|$)`,
  SEP: '\\'
};

/**
 * POSIX Bracket Regex
 */

const POSIX_REGEX_SOURCE = {
  __proto__: null,
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '\\x21-\\x7E',
  lower: 'a-z',
  print: '\\x20-\\x7E ',
  punct: '\\-!"#$%&\'()\\*+,./:;<=>?@[\\]^_`{|}~',
  space: ' \\t\\r\\n\\v\\f',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: 'A-Fa-f0-9'
};

module.exports = {
  DEFAULT_MAX_EXTGLOB_RECURSION,
  MAX_LENGTH: 1024 * 64,
  POSIX_REGEX_SOURCE,

  // regular expressions
  REGEX_BACKSLASH: /\\(?![*+?^${}(|)[\]])/g,
  REGEX_NON_SPECIAL_CHARS: /^[^@![\].,$*+?^{}()|\\/]+/,
  REGEX_SPECIAL_CHARS: /[-*+?.^${}(|)[\]]/,
  REGEX_SPECIAL_CHARS_BACKREF: /(\\?)((\W)(\3*))/g,
  REGEX_SPECIAL_CHARS_GLOBAL: /([-*+?.^${}(|)[\]])/g,
  REGEX_REMOVE_BACKSLASH: /(?:\[.*?[^\\]\]|\\(?=.))/g,

  // Replace globs with equivalent patterns to reduce parsing time.
  REPLACEMENTS: {
    __proto__: null,
    '***': '*',
    '**/**': '**',
    '**/**/**': '**'
  },

  // Digits
  CHAR_0: 48, /* 0 */
  CHAR_9: 57, /* 9 */

  // Alphabet chars.
  CHAR_UPPERCASE_A: 65, /* A */
  CHAR_LOWERCASE_A: 97, /* a */
  CHAR_UPPERCASE_Z: 90, /* Z */
  CHAR_LOWERCASE_Z: 122, /* z */

  CHAR_LEFT_PARENTHESES: 40, /* ( */
  CHAR_RIGHT_PARENTHESES: 41, /* ) */

  CHAR_ASTERISK: 42, /* * */

  // Non-alphabetic chars.
  CHAR_AMPERSAND: 38, /* & */
  CHAR_AT: 64, /* @ */
  CHAR_BACKWARD_SLASH: 92, /* \ */
  CHAR_CARRIAGE_RETURN: 13, /* \r */
  CHAR_CIRCUMFLEX_ACCENT: 94, /* ^ */
  CHAR_COLON: 58, /* : */
  CHAR_COMMA: 44, /* , */
  CHAR_DOT: 46, /* . */
  CHAR_DOUBLE_QUOTE: 34, /* " */
  CHAR_EQUAL: 61, /* = */
  CHAR_EXCLAMATION_MARK: 33, /* ! */
  CHAR_FORM_FEED: 12, /* \f */
  CHAR_FORWARD_SLASH: 47, /* / */
  CHAR_GRAVE_ACCENT: 96, /* ` */
  CHAR_HASH: 35, /* # */
  CHAR_HYPHEN_MINUS: 45, /* - */
  CHAR_LEFT_ANGLE_BRACKET: 60, /* < */
  CHAR_LEFT_CURLY_BRACE: 123, /* { */
  CHAR_LEFT_SQUARE_BRACKET: 91, /* [ */
  CHAR_LINE_FEED: 10, /* \n */
  CHAR_NO_BREAK_SPACE: 160, /* \u00A0 */
  CHAR_PERCENT: 37, /* % */
  CHAR_PLUS: 43, /* + */
  CHAR_QUESTION_MARK: 63, /* ? */
  CHAR_RIGHT_ANGLE_BRACKET: 62, /* > */
  CHAR_RIGHT_CURLY_BRACE: 125, /* } */
  CHAR_RIGHT_SQUARE_BRACKET: 93, /* ] */
  CHAR_SEMICOLON: 59, /* ; */
  CHAR_SINGLE_QUOTE: 39, /* ' */
  CHAR_SPACE: 32, /*   */
  CHAR_TAB: 9, /* \t */
  CHAR_UNDERSCORE: 95, /* _ */
  CHAR_VERTICAL_LINE: 124, /* | */
  CHAR_ZERO_WIDTH_NOBREAK_SPACE: 65279, /* \uFEFF */

  /**
   * Create EXTGLOB_CHARS
   */

  extglobChars(chars) {
    return {
      '!': { type: 'negate', open: '(?:(?!(?:', close: `))${chars.STAR})` },
      '?': { type: 'qmark', open: '(?:', close: ')?' },
      '+': { type: 'plus', open: '(?:', close: ')+' },
      '*': { type: 'star', open: '(?:', close: ')*' },
      '@': { type: 'at', open: '(?:', close: ')' }
    };
  },

  /**
   * Create GLOB_CHARS
   */

  globChars(win32) {
    return win32 === true ? WINDOWS_CHARS : POSIX_CHARS;
  }
};


/***/ }),

/***/ 265:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const constants = __nccwpck_require__(595);
const utils = __nccwpck_require__(59);

/**
 * Constants
 */

const {
  MAX_LENGTH,
  POSIX_REGEX_SOURCE,
  REGEX_NON_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_BACKREF,
  REPLACEMENTS
} = constants;

/**
 * Helpers
 */

const expandRange = (args, options) => {
  if (typeof options.expandRange === 'function') {
    return options.expandRange(...args, options);
  }

  args.sort();
  const value = `[${args.join('-')}]`;

  try {
    /* eslint-disable-next-line no-new */
    new RegExp(value);
  } catch (ex) {
    return args.map(v => utils.escapeRegex(v)).join('..');
  }

  return value;
};

/**
 * Create the message for a syntax error
 */

const syntaxError = (type, char) => {
  return `Missing ${type}: "${char}" - use "\\\\${char}" to match literal characters`;
};

const splitTopLevel = input => {
  const parts = [];
  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let value = '';
  let escaped = false;

  for (const ch of input) {
    if (escaped === true) {
      value += ch;
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      value += ch;
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      value += ch;
      continue;
    }

    if (quote === 0) {
      if (ch === '[') {
        bracket++;
      } else if (ch === ']' && bracket > 0) {
        bracket--;
      } else if (bracket === 0) {
        if (ch === '(') {
          paren++;
        } else if (ch === ')' && paren > 0) {
          paren--;
        } else if (ch === '|' && paren === 0) {
          parts.push(value);
          value = '';
          continue;
        }
      }
    }

    value += ch;
  }

  parts.push(value);
  return parts;
};

const isPlainBranch = branch => {
  let escaped = false;

  for (const ch of branch) {
    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (/[?*+@!()[\]{}]/.test(ch)) {
      return false;
    }
  }

  return true;
};

const normalizeSimpleBranch = branch => {
  let value = branch.trim();
  let changed = true;

  while (changed === true) {
    changed = false;

    if (/^@\([^\\()[\]{}|]+\)$/.test(value)) {
      value = value.slice(2, -1);
      changed = true;
    }
  }

  if (!isPlainBranch(value)) {
    return;
  }

  return value.replace(/\\(.)/g, '$1');
};

const hasRepeatedCharPrefixOverlap = branches => {
  const values = branches.map(normalizeSimpleBranch).filter(Boolean);

  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const a = values[i];
      const b = values[j];
      const char = a[0];

      if (!char || a !== char.repeat(a.length) || b !== char.repeat(b.length)) {
        continue;
      }

      if (a === b || a.startsWith(b) || b.startsWith(a)) {
        return true;
      }
    }
  }

  return false;
};

const parseRepeatedExtglob = (pattern, requireEnd = true) => {
  if ((pattern[0] !== '+' && pattern[0] !== '*') || pattern[1] !== '(') {
    return;
  }

  let bracket = 0;
  let paren = 0;
  let quote = 0;
  let escaped = false;

  for (let i = 1; i < pattern.length; i++) {
    const ch = pattern[i];

    if (escaped === true) {
      escaped = false;
      continue;
    }

    if (ch === '\\') {
      escaped = true;
      continue;
    }

    if (ch === '"') {
      quote = quote === 1 ? 0 : 1;
      continue;
    }

    if (quote === 1) {
      continue;
    }

    if (ch === '[') {
      bracket++;
      continue;
    }

    if (ch === ']' && bracket > 0) {
      bracket--;
      continue;
    }

    if (bracket > 0) {
      continue;
    }

    if (ch === '(') {
      paren++;
      continue;
    }

    if (ch === ')') {
      paren--;

      if (paren === 0) {
        if (requireEnd === true && i !== pattern.length - 1) {
          return;
        }

        return {
          type: pattern[0],
          body: pattern.slice(2, i),
          end: i
        };
      }
    }
  }
};

const buildCharClassStar = chars => {
  const source = chars.length === 1
    ? utils.escapeRegex(chars[0])
    : `[${chars.map(ch => utils.escapeRegex(ch)).join('')}]`;

  return `${source}*`;
};

const getStarExtglobSequenceChars = pattern => {
  let index = 0;
  const chars = [];

  while (index < pattern.length) {
    const match = parseRepeatedExtglob(pattern.slice(index), false);

    if (!match || match.type !== '*') {
      return;
    }

    const branches = splitTopLevel(match.body).map(branch => branch.trim());
    if (branches.length !== 1) {
      return;
    }

    const branch = normalizeSimpleBranch(branches[0]);
    if (!branch || branch.length !== 1) {
      return;
    }

    chars.push(branch);
    index += match.end + 1;
  }

  if (chars.length < 1) {
    return;
  }

  return chars;
};

const repeatedExtglobRecursion = pattern => {
  let depth = 0;
  let value = pattern.trim();
  let match = parseRepeatedExtglob(value);

  while (match) {
    depth++;
    value = match.body.trim();
    match = parseRepeatedExtglob(value);
  }

  return depth;
};

const analyzeRepeatedExtglob = (body, options) => {
  if (options.maxExtglobRecursion === false) {
    return { risky: false };
  }

  const max =
    typeof options.maxExtglobRecursion === 'number'
      ? options.maxExtglobRecursion
      : constants.DEFAULT_MAX_EXTGLOB_RECURSION;

  const branches = splitTopLevel(body).map(branch => branch.trim());

  if (branches.length > 1) {
    if (
      branches.some(branch => branch === '') ||
      branches.some(branch => /^[*?]+$/.test(branch)) ||
      hasRepeatedCharPrefixOverlap(branches)
    ) {
      return { risky: true };
    }
  }

  // A repeated extglob is "risky" (prone to catastrophic backtracking) when a
  // branch is itself a `*(...)` sequence, since that nests an unbounded quantifier
  // inside the outer `+(...)`/`*(...)`. When *every* branch reduces to single
  // characters we can emit one flat, ReDoS-safe character class that preserves the
  // meaning of ALL branches (e.g. `+(*(a)|*(b))` -> `[ab]*`), rather than dropping
  // every branch but the first.
  const safeChars = [];
  let sawStarSequence = false;
  let combinable = true;

  for (const branch of branches) {
    const chars = getStarExtglobSequenceChars(branch);
    if (chars) {
      sawStarSequence = true;
      safeChars.push(...chars);
      continue;
    }

    const literal = normalizeSimpleBranch(branch);
    if (literal && literal.length === 1) {
      safeChars.push(literal);
      continue;
    }

    combinable = false;

    if (repeatedExtglobRecursion(branch) > max) {
      return { risky: true };
    }
  }

  if (sawStarSequence) {
    return combinable
      ? { risky: true, safeOutput: buildCharClassStar([...new Set(safeChars)]) }
      : { risky: true };
  }

  return { risky: false };
};

/**
 * Parse the given input string.
 * @param {String} input
 * @param {Object} options
 * @return {Object}
 */

const parse = (input, options) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected a string');
  }

  input = REPLACEMENTS[input] || input;

  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;

  let len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  const bos = { type: 'bos', value: '', output: opts.prepend || '' };
  const tokens = [bos];

  const capture = opts.capture ? '' : '?:';

  // create constants based on platform, for windows or posix
  const PLATFORM_CHARS = constants.globChars(opts.windows);
  const EXTGLOB_CHARS = constants.extglobChars(PLATFORM_CHARS);

  const {
    DOT_LITERAL,
    PLUS_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOT_SLASH,
    NO_DOTS_SLASH,
    QMARK,
    QMARK_NO_DOT,
    STAR,
    START_ANCHOR
  } = PLATFORM_CHARS;

  const globstar = opts => {
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const nodot = opts.dot ? '' : NO_DOT;
  const qmarkNoDot = opts.dot ? QMARK : QMARK_NO_DOT;
  let star = opts.bash === true ? globstar(opts) : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  // minimatch options support
  if (typeof opts.noext === 'boolean') {
    opts.noextglob = opts.noext;
  }

  const state = {
    input,
    index: -1,
    start: 0,
    dot: opts.dot === true,
    consumed: '',
    output: '',
    prefix: '',
    backtrack: false,
    negated: false,
    brackets: 0,
    braces: 0,
    parens: 0,
    quotes: 0,
    globstar: false,
    tokens
  };

  input = utils.removePrefix(input, state);
  len = input.length;

  const extglobs = [];
  const braces = [];
  const stack = [];
  let prev = bos;
  let value;

  /**
   * Tokenizing helpers
   */

  const eos = () => state.index === len - 1;
  const peek = state.peek = (n = 1) => input[state.index + n];
  const advance = state.advance = () => input[++state.index] || '';
  const remaining = () => input.slice(state.index + 1);
  const consume = (value = '', num = 0) => {
    state.consumed += value;
    state.index += num;
  };

  const append = token => {
    state.output += token.output != null ? token.output : token.value;
    consume(token.value);
  };

  const negate = () => {
    let count = 1;

    while (peek() === '!' && (peek(2) !== '(' || peek(3) === '?')) {
      advance();
      state.start++;
      count++;
    }

    if (count % 2 === 0) {
      return false;
    }

    state.negated = true;
    state.start++;
    return true;
  };

  const increment = type => {
    state[type]++;
    stack.push(type);
  };

  const decrement = type => {
    state[type]--;
    stack.pop();
  };

  /**
   * Push tokens onto the tokens array. This helper speeds up
   * tokenizing by 1) helping us avoid backtracking as much as possible,
   * and 2) helping us avoid creating extra tokens when consecutive
   * characters are plain text. This improves performance and simplifies
   * lookbehinds.
   */

  const push = tok => {
    if (prev.type === 'globstar') {
      const isBrace = state.braces > 0 && (tok.type === 'comma' || tok.type === 'brace');
      const isExtglob = tok.extglob === true || (extglobs.length && (tok.type === 'pipe' || tok.type === 'paren'));

      if (tok.type !== 'slash' && tok.type !== 'paren' && !isBrace && !isExtglob) {
        state.output = state.output.slice(0, -prev.output.length);
        prev.type = 'star';
        prev.value = '*';
        prev.output = star;
        state.output += prev.output;
      }
    }

    if (extglobs.length && tok.type !== 'paren') {
      extglobs[extglobs.length - 1].inner += tok.value;
    }

    if (tok.value || tok.output) append(tok);
    if (prev && prev.type === 'text' && tok.type === 'text') {
      prev.output = (prev.output || prev.value) + tok.value;
      prev.value += tok.value;
      return;
    }

    tok.prev = prev;
    tokens.push(tok);
    prev = tok;
  };

  const extglobOpen = (type, value) => {
    const token = { ...EXTGLOB_CHARS[value], conditions: 1, inner: '' };

    token.prev = prev;
    token.parens = state.parens;
    token.output = state.output;
    token.startIndex = state.index;
    token.tokensIndex = tokens.length;
    const output = (opts.capture ? '(' : '') + token.open;

    increment('parens');
    push({ type, value, output: state.output ? '' : ONE_CHAR });
    push({ type: 'paren', extglob: true, value: advance(), output });
    extglobs.push(token);
  };

  const extglobClose = token => {
    const literal = input.slice(token.startIndex, state.index + 1);
    const body = input.slice(token.startIndex + 2, state.index);
    const analysis = analyzeRepeatedExtglob(body, opts);

    if ((token.type === 'plus' || token.type === 'star') && analysis.risky) {
      const safeOutput = analysis.safeOutput
        ? (token.output ? '' : ONE_CHAR) + (opts.capture ? `(${analysis.safeOutput})` : analysis.safeOutput)
        : undefined;
      const open = tokens[token.tokensIndex];

      open.type = 'text';
      open.value = literal;
      open.output = safeOutput || utils.escapeRegex(literal);

      for (let i = token.tokensIndex + 1; i < tokens.length; i++) {
        tokens[i].value = '';
        tokens[i].output = '';
        delete tokens[i].suffix;
      }

      state.output = token.output + open.output;
      state.backtrack = true;

      push({ type: 'paren', extglob: true, value, output: '' });
      decrement('parens');
      return;
    }

    let output = token.close + (opts.capture ? ')' : '');
    let rest;

    if (token.type === 'negate') {
      let extglobStar = star;

      if (token.inner && token.inner.length > 1 && token.inner.includes('/')) {
        extglobStar = globstar(opts);
      }

      if (extglobStar !== star || eos() || /^\)+$/.test(remaining())) {
        output = token.close = `)$))${extglobStar}`;
      }

      if (token.inner.includes('*') && (rest = remaining()) && /^\.[^\\/.]+$/.test(rest)) {
        // Any non-magical string (`.ts`) or even nested expression (`.{ts,tsx}`) can follow after the closing parenthesis.
        // In this case, we need to parse the string and use it in the output of the original pattern.
        // Suitable patterns: `/!(*.d).ts`, `/!(*.d).{ts,tsx}`, `**/!(*-dbg).@(js)`.
        //
        // Disabling the `fastpaths` option due to a problem with parsing strings as `.ts` in the pattern like `**/!(*.d).ts`.
        const expression = parse(rest, { ...options, fastpaths: false }).output;

        output = token.close = `)${expression})${extglobStar})`;
      }

      if (token.prev.type === 'bos') {
        state.negatedExtglob = true;
      }
    }

    push({ type: 'paren', extglob: true, value, output });
    decrement('parens');
  };

  /**
   * Fast paths
   */

  if (opts.fastpaths !== false && !/(^[*!]|[/()[\]{}"])/.test(input)) {
    let backslashes = false;

    let output = input.replace(REGEX_SPECIAL_CHARS_BACKREF, (m, esc, chars, first, rest, index) => {
      if (first === '\\') {
        backslashes = true;
        return m;
      }

      if (first === '?') {
        if (esc) {
          return esc + first + (rest ? QMARK.repeat(rest.length) : '');
        }
        if (index === 0) {
          return qmarkNoDot + (rest ? QMARK.repeat(rest.length) : '');
        }
        return QMARK.repeat(chars.length);
      }

      if (first === '.') {
        return DOT_LITERAL.repeat(chars.length);
      }

      if (first === '*') {
        if (esc) {
          return esc + first + (rest ? star : '');
        }
        return star;
      }
      return esc ? m : `\\${m}`;
    });

    if (backslashes === true) {
      if (opts.unescape === true) {
        output = output.replace(/\\/g, '');
      } else {
        output = output.replace(/\\+/g, m => {
          return m.length % 2 === 0 ? '\\\\' : (m ? '\\' : '');
        });
      }
    }

    if (output === input && opts.contains === true) {
      state.output = input;
      return state;
    }

    state.output = utils.wrapOutput(output, state, options);
    return state;
  }

  /**
   * Tokenize input until we reach end-of-string
   */

  while (!eos()) {
    value = advance();

    if (value === '\u0000') {
      continue;
    }

    /**
     * Escaped characters
     */

    if (value === '\\') {
      const next = peek();

      if (next === '/' && opts.bash !== true) {
        continue;
      }

      if (next === '.' || next === ';') {
        continue;
      }

      if (!next) {
        value += '\\';
        push({ type: 'text', value });
        continue;
      }

      // collapse slashes to reduce potential for exploits
      const match = /^\\+/.exec(remaining());
      let slashes = 0;

      if (match && match[0].length > 2) {
        slashes = match[0].length;
        state.index += slashes;
        if (slashes % 2 !== 0) {
          value += '\\';
        }
      }

      if (opts.unescape === true) {
        value = advance();
      } else {
        value += advance();
      }

      if (state.brackets === 0) {
        push({ type: 'text', value });
        continue;
      }
    }

    /**
     * If we're inside a regex character class, continue
     * until we reach the closing bracket.
     */

    if (state.brackets > 0 && (value !== ']' || prev.value === '[' || prev.value === '[^')) {
      if (opts.posix !== false && value === ':') {
        const inner = prev.value.slice(1);
        if (inner.includes('[')) {
          prev.posix = true;

          if (inner.includes(':')) {
            const idx = prev.value.lastIndexOf('[');
            const pre = prev.value.slice(0, idx);
            const rest = prev.value.slice(idx + 2);
            const posix = POSIX_REGEX_SOURCE[rest];
            if (posix) {
              prev.value = pre + posix;
              state.backtrack = true;
              advance();

              if (!bos.output && tokens.indexOf(prev) === 1) {
                bos.output = ONE_CHAR;
              }
              continue;
            }
          }
        }
      }

      if ((value === '[' && peek() !== ':') || (value === '-' && peek() === ']')) {
        value = `\\${value}`;
      }

      if (value === ']' && (prev.value === '[' || prev.value === '[^')) {
        value = `\\${value}`;
      }

      if (opts.posix === true && value === '!' && prev.value === '[') {
        value = '^';
      }

      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * If we're inside a quoted string, continue
     * until we reach the closing double quote.
     */

    if (state.quotes === 1 && value !== '"') {
      value = utils.escapeRegex(value);
      prev.value += value;
      append({ value });
      continue;
    }

    /**
     * Double quotes
     */

    if (value === '"') {
      state.quotes = state.quotes === 1 ? 0 : 1;
      if (opts.keepQuotes === true) {
        push({ type: 'text', value });
      }
      continue;
    }

    /**
     * Parentheses
     */

    if (value === '(') {
      increment('parens');
      push({ type: 'paren', value });
      continue;
    }

    if (value === ')') {
      if (state.parens === 0 && opts.strictBrackets === true) {
        throw new SyntaxError(syntaxError('opening', '('));
      }

      const extglob = extglobs[extglobs.length - 1];
      if (extglob && state.parens === extglob.parens + 1) {
        extglobClose(extglobs.pop());
        continue;
      }

      push({ type: 'paren', value, output: state.parens ? ')' : '\\)' });
      decrement('parens');
      continue;
    }

    /**
     * Square brackets
     */

    if (value === '[') {
      if (opts.nobracket === true || !remaining().includes(']')) {
        if (opts.nobracket !== true && opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('closing', ']'));
        }

        value = `\\${value}`;
      } else {
        increment('brackets');
      }

      push({ type: 'bracket', value });
      continue;
    }

    if (value === ']') {
      if (opts.nobracket === true || (prev && prev.type === 'bracket' && prev.value.length === 1)) {
        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      if (state.brackets === 0) {
        if (opts.strictBrackets === true) {
          throw new SyntaxError(syntaxError('opening', '['));
        }

        push({ type: 'text', value, output: `\\${value}` });
        continue;
      }

      decrement('brackets');

      const prevValue = prev.value.slice(1);
      if (prev.posix !== true && prevValue[0] === '^' && !prevValue.includes('/')) {
        value = `/${value}`;
      }

      prev.value += value;
      append({ value });

      // when literal brackets are explicitly disabled
      // assume we should match with a regex character class
      if (opts.literalBrackets === false || utils.hasRegexChars(prevValue)) {
        continue;
      }

      const escaped = utils.escapeRegex(prev.value);
      state.output = state.output.slice(0, -prev.value.length);

      // when literal brackets are explicitly enabled
      // assume we should escape the brackets to match literal characters
      if (opts.literalBrackets === true) {
        state.output += escaped;
        prev.value = escaped;
        continue;
      }

      // when the user specifies nothing, try to match both
      prev.value = `(${capture}${escaped}|${prev.value})`;
      state.output += prev.value;
      continue;
    }

    /**
     * Braces
     */

    if (value === '{' && opts.nobrace !== true) {
      increment('braces');

      const open = {
        type: 'brace',
        value,
        output: '(',
        outputIndex: state.output.length,
        tokensIndex: state.tokens.length
      };

      braces.push(open);
      push(open);
      continue;
    }

    if (value === '}') {
      const brace = braces[braces.length - 1];

      if (opts.nobrace === true || !brace) {
        push({ type: 'text', value, output: value });
        continue;
      }

      let output = ')';

      if (brace.dots === true) {
        const arr = tokens.slice();
        const range = [];

        for (let i = arr.length - 1; i >= 0; i--) {
          tokens.pop();
          if (arr[i].type === 'brace') {
            break;
          }
          if (arr[i].type !== 'dots') {
            range.unshift(arr[i].value);
          }
        }

        output = expandRange(range, opts);
        state.backtrack = true;
      }

      if (brace.comma !== true && brace.dots !== true) {
        const out = state.output.slice(0, brace.outputIndex);
        const toks = state.tokens.slice(brace.tokensIndex);
        brace.value = brace.output = '\\{';
        value = output = '\\}';
        state.output = out;
        for (const t of toks) {
          state.output += (t.output || t.value);
        }
      }

      push({ type: 'brace', value, output });
      decrement('braces');
      braces.pop();
      continue;
    }

    /**
     * Pipes
     */

    if (value === '|') {
      if (extglobs.length > 0) {
        extglobs[extglobs.length - 1].conditions++;
      }
      push({ type: 'text', value });
      continue;
    }

    /**
     * Commas
     */

    if (value === ',') {
      let output = value;

      const brace = braces[braces.length - 1];
      if (brace && stack[stack.length - 1] === 'braces') {
        brace.comma = true;
        output = '|';
      }

      push({ type: 'comma', value, output });
      continue;
    }

    /**
     * Slashes
     */

    if (value === '/') {
      // if the beginning of the glob is "./", advance the start
      // to the current index, and don't add the "./" characters
      // to the state. This greatly simplifies lookbehinds when
      // checking for BOS characters like "!" and "." (not "./")
      if (prev.type === 'dot' && state.index === state.start + 1) {
        state.start = state.index + 1;
        state.consumed = '';
        state.output = '';
        tokens.pop();
        prev = bos; // reset "prev" to the first token
        continue;
      }

      push({ type: 'slash', value, output: SLASH_LITERAL });
      continue;
    }

    /**
     * Dots
     */

    if (value === '.') {
      if (state.braces > 0 && prev.type === 'dot') {
        if (prev.value === '.') prev.output = DOT_LITERAL;
        const brace = braces[braces.length - 1];
        prev.type = 'dots';
        prev.output += value;
        prev.value += value;
        brace.dots = true;
        continue;
      }

      if ((state.braces + state.parens) === 0 && prev.type !== 'bos' && prev.type !== 'slash') {
        push({ type: 'text', value, output: DOT_LITERAL });
        continue;
      }

      push({ type: 'dot', value, output: DOT_LITERAL });
      continue;
    }

    /**
     * Question marks
     */

    if (value === '?') {
      const isGroup = prev && prev.value === '(';
      if (!isGroup && opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('qmark', value);
        continue;
      }

      if (prev && prev.type === 'paren') {
        const next = peek();
        let output = value;

        if ((prev.value === '(' && !/[!=<:]/.test(next)) || (next === '<' && !/<([!=]|\w+>)/.test(remaining()))) {
          output = `\\${value}`;
        }

        push({ type: 'text', value, output });
        continue;
      }

      if (opts.dot !== true && (prev.type === 'slash' || prev.type === 'bos')) {
        push({ type: 'qmark', value, output: QMARK_NO_DOT });
        continue;
      }

      push({ type: 'qmark', value, output: QMARK });
      continue;
    }

    /**
     * Exclamation
     */

    if (value === '!') {
      if (opts.noextglob !== true && peek() === '(') {
        if (peek(2) !== '?' || !/[!=<:]/.test(peek(3))) {
          extglobOpen('negate', value);
          continue;
        }
      }

      if (opts.nonegate !== true && state.index === 0) {
        negate();
        continue;
      }
    }

    /**
     * Plus
     */

    if (value === '+') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        extglobOpen('plus', value);
        continue;
      }

      if ((prev && prev.value === '(') || opts.regex === false) {
        push({ type: 'plus', value, output: PLUS_LITERAL });
        continue;
      }

      if ((prev && (prev.type === 'bracket' || prev.type === 'paren' || prev.type === 'brace')) || state.parens > 0) {
        push({ type: 'plus', value });
        continue;
      }

      push({ type: 'plus', value: PLUS_LITERAL });
      continue;
    }

    /**
     * Plain text
     */

    if (value === '@') {
      if (opts.noextglob !== true && peek() === '(' && peek(2) !== '?') {
        push({ type: 'at', extglob: true, value, output: '' });
        continue;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Plain text
     */

    if (value !== '*') {
      if (value === '$' || value === '^') {
        value = `\\${value}`;
      }

      const match = REGEX_NON_SPECIAL_CHARS.exec(remaining());
      if (match) {
        value += match[0];
        state.index += match[0].length;
      }

      push({ type: 'text', value });
      continue;
    }

    /**
     * Stars
     */

    if (prev && (prev.type === 'globstar' || prev.star === true)) {
      prev.type = 'star';
      prev.star = true;
      prev.value += value;
      prev.output = star;
      state.backtrack = true;
      state.globstar = true;
      consume(value);
      continue;
    }

    let rest = remaining();
    if (opts.noextglob !== true && /^\([^?]/.test(rest)) {
      extglobOpen('star', value);
      continue;
    }

    if (prev.type === 'star') {
      if (opts.noglobstar === true) {
        consume(value);
        continue;
      }

      const prior = prev.prev;
      const before = prior.prev;
      const isStart = prior.type === 'slash' || prior.type === 'bos';
      const afterStar = before && (before.type === 'star' || before.type === 'globstar');

      if (opts.bash === true && (!isStart || (rest[0] && rest[0] !== '/'))) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      const isBrace = state.braces > 0 && (prior.type === 'comma' || prior.type === 'brace');
      const isExtglob = extglobs.length && (prior.type === 'pipe' || prior.type === 'paren');
      if (!isStart && prior.type !== 'paren' && !isBrace && !isExtglob) {
        push({ type: 'star', value, output: '' });
        continue;
      }

      // strip consecutive `/**/`
      while (rest.slice(0, 3) === '/**') {
        const after = input[state.index + 4];
        if (after && after !== '/') {
          break;
        }
        rest = rest.slice(3);
        consume('/**', 3);
      }

      // A globstar followed only by balanced closing parens is at the logical end of patterns like
      // `test(/utils/**)` and `test?(/utils/**)`. Treat it as EOS so the trailing `/**` can match its
      // parent path, except in negated extglobs where that would change the exclusion semantics.
      const isEnd = eos() || (
        state.parens > 0
        && rest === ')'.repeat(state.parens)
        && !extglobs.some(extglob => extglob.type === 'negate')
      );

      if (prior.type === 'bos' && eos()) {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = globstar(opts);
        state.output = prev.output;
        state.globstar = true;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && !afterStar && isEnd) {
        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = globstar(opts) + (opts.strictSlashes ? ')' : '|$)');
        prev.value += value;
        state.globstar = true;
        state.output += prior.output + prev.output;
        consume(value);
        continue;
      }

      if (prior.type === 'slash' && prior.prev.type !== 'bos' && rest[0] === '/') {
        const end = rest[1] !== void 0 ? '|$' : '';

        state.output = state.output.slice(0, -(prior.output + prev.output).length);
        prior.output = `(?:${prior.output}`;

        prev.type = 'globstar';
        prev.output = `${globstar(opts)}${SLASH_LITERAL}|${SLASH_LITERAL}${end})`;
        prev.value += value;

        state.output += prior.output + prev.output;
        state.globstar = true;

        consume(value + advance());

        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      if (prior.type === 'bos' && rest[0] === '/') {
        prev.type = 'globstar';
        prev.value += value;
        prev.output = `(?:^|${SLASH_LITERAL}|${globstar(opts)}${SLASH_LITERAL})`;
        state.output = prev.output;
        state.globstar = true;
        consume(value + advance());
        push({ type: 'slash', value: '/', output: '' });
        continue;
      }

      // remove single star from output
      state.output = state.output.slice(0, -prev.output.length);

      // reset previous token to globstar
      prev.type = 'globstar';
      prev.output = globstar(opts);
      prev.value += value;

      // reset output with globstar
      state.output += prev.output;
      state.globstar = true;
      consume(value);
      continue;
    }

    const token = { type: 'star', value, output: star };

    if (opts.bash === true) {
      token.output = '.*?';
      if (prev.type === 'bos' || prev.type === 'slash') {
        token.output = nodot + token.output;
      }
      push(token);
      continue;
    }

    if (prev && (prev.type === 'bracket' || prev.type === 'paren') && opts.regex === true) {
      token.output = value;
      push(token);
      continue;
    }

    if (state.index === state.start || prev.type === 'slash' || prev.type === 'dot') {
      if (prev.type === 'dot') {
        state.output += NO_DOT_SLASH;
        prev.output += NO_DOT_SLASH;

      } else if (opts.dot === true) {
        state.output += NO_DOTS_SLASH;
        prev.output += NO_DOTS_SLASH;

      } else {
        state.output += nodot;
        prev.output += nodot;
      }

      if (peek() !== '*') {
        state.output += ONE_CHAR;
        prev.output += ONE_CHAR;
      }
    }

    push(token);
  }

  while (state.brackets > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ']'));
    state.output = utils.escapeLast(state.output, '[');
    decrement('brackets');
  }

  while (state.parens > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', ')'));
    state.output = utils.escapeLast(state.output, '(');
    decrement('parens');
  }

  while (state.braces > 0) {
    if (opts.strictBrackets === true) throw new SyntaxError(syntaxError('closing', '}'));
    state.output = utils.escapeLast(state.output, '{');
    decrement('braces');
  }

  if (opts.strictSlashes !== true && (prev.type === 'star' || prev.type === 'bracket')) {
    push({ type: 'maybe_slash', value: '', output: `${SLASH_LITERAL}?` });
  }

  // rebuild the output if we had to backtrack at any point
  if (state.backtrack === true) {
    state.output = '';

    for (const token of state.tokens) {
      state.output += token.output != null ? token.output : token.value;

      if (token.suffix) {
        state.output += token.suffix;
      }
    }
  }

  return state;
};

/**
 * Fast paths for creating regular expressions for common glob patterns.
 * This can significantly speed up processing and has very little downside
 * impact when none of the fast paths match.
 */

parse.fastpaths = (input, options) => {
  const opts = { ...options };
  const max = typeof opts.maxLength === 'number' ? Math.min(MAX_LENGTH, opts.maxLength) : MAX_LENGTH;
  const len = input.length;
  if (len > max) {
    throw new SyntaxError(`Input length: ${len}, exceeds maximum allowed length: ${max}`);
  }

  input = REPLACEMENTS[input] || input;

  // create constants based on platform, for windows or posix
  const {
    DOT_LITERAL,
    SLASH_LITERAL,
    ONE_CHAR,
    DOTS_SLASH,
    NO_DOT,
    NO_DOTS,
    NO_DOTS_SLASH,
    STAR,
    START_ANCHOR
  } = constants.globChars(opts.windows);

  const nodot = opts.dot ? NO_DOTS : NO_DOT;
  const slashDot = opts.dot ? NO_DOTS_SLASH : NO_DOT;
  const capture = opts.capture ? '' : '?:';
  const state = { negated: false, prefix: '' };
  let star = opts.bash === true ? '.*?' : STAR;

  if (opts.capture) {
    star = `(${star})`;
  }

  const globstar = opts => {
    if (opts.noglobstar === true) return star;
    return `(${capture}(?:(?!${START_ANCHOR}${opts.dot ? DOTS_SLASH : DOT_LITERAL}).)*?)`;
  };

  const create = str => {
    switch (str) {
      case '*':
        return `${nodot}${ONE_CHAR}${star}`;

      case '.*':
        return `${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*.*':
        return `${nodot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '*/*':
        return `${nodot}${star}${SLASH_LITERAL}${ONE_CHAR}${slashDot}${star}`;

      case '**':
        return nodot + globstar(opts);

      case '**/*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${ONE_CHAR}${star}`;

      case '**/*.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${slashDot}${star}${DOT_LITERAL}${ONE_CHAR}${star}`;

      case '**/.*':
        return `(?:${nodot}${globstar(opts)}${SLASH_LITERAL})?${DOT_LITERAL}${ONE_CHAR}${star}`;

      default: {
        const match = /^(.*?)\.(\w+)$/.exec(str);
        if (!match) return;

        const source = create(match[1]);
        if (!source) return;

        return source + DOT_LITERAL + match[2];
      }
    }
  };

  const output = utils.removePrefix(input, state);
  let source = create(output);

  if (source && opts.strictSlashes !== true) {
    source += `${SLASH_LITERAL}?`;
  }

  return source;
};

module.exports = parse;


/***/ }),

/***/ 16:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const scan = __nccwpck_require__(781);
const parse = __nccwpck_require__(265);
const utils = __nccwpck_require__(59);
const constants = __nccwpck_require__(595);
const isObject = val => val && typeof val === 'object' && !Array.isArray(val);

/**
 * Creates a matcher function from one or more glob patterns. The
 * returned function takes a string to match as its first argument,
 * and returns true if the string is a match. The returned matcher
 * function also takes a boolean as the second argument that, when true,
 * returns an object with additional information.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch(glob[, options]);
 *
 * const isMatch = picomatch('*.!(*a)');
 * console.log(isMatch('a.a')); //=> false
 * console.log(isMatch('a.b')); //=> true
 *
 * // For environments without `node.js`, `picomatch/posix` provides you a dependency-free matcher, without automatic OS detection.
 * const picomatch = require('picomatch/posix');
 * // the same API, defaulting to posix paths
 * const isMatch = picomatch('a/*');
 * console.log(isMatch('a\\b')); //=> false
 * console.log(isMatch('a/b')); //=> true
 *
 * // you can still configure the matcher function to accept windows paths
 * const isMatch = picomatch('a/*', { options: windows });
 * console.log(isMatch('a\\b')); //=> true
 * console.log(isMatch('a/b')); //=> true
 * ```
 * @name picomatch
 * @param {String|Array} `globs` One or more glob patterns.
 * @param {Object=} `options`
 * @return {Function=} Returns a matcher function.
 * @api public
 */

const picomatch = (glob, options, returnState = false) => {
  if (Array.isArray(glob)) {
    const fns = glob.map(input => picomatch(input, options, returnState));
    const arrayMatcher = str => {
      for (const isMatch of fns) {
        const state = isMatch(str);
        if (state) return state;
      }
      return false;
    };
    return arrayMatcher;
  }

  const isState = isObject(glob) && glob.tokens && glob.input;

  if (glob === '' || (typeof glob !== 'string' && !isState)) {
    throw new TypeError('Expected pattern to be a non-empty string');
  }

  const opts = options || {};
  const posix = opts.windows;
  const regex = isState
    ? picomatch.compileRe(glob, options)
    : picomatch.makeRe(glob, options, false, true);

  const state = regex.state;
  delete regex.state;

  let isIgnored = () => false;
  if (opts.ignore) {
    const ignoreOpts = { ...options, ignore: null, onMatch: null, onResult: null };
    isIgnored = picomatch(opts.ignore, ignoreOpts, returnState);
  }

  const matcher = (input, returnObject = false) => {
    const { isMatch, match, output } = picomatch.test(input, regex, options, { glob, posix });
    const result = { glob, state, regex, posix, input, output, match, isMatch };

    if (typeof opts.onResult === 'function') {
      opts.onResult(result);
    }

    if (isMatch === false) {
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (isIgnored(input)) {
      if (typeof opts.onIgnore === 'function') {
        opts.onIgnore(result);
      }
      result.isMatch = false;
      return returnObject ? result : false;
    }

    if (typeof opts.onMatch === 'function') {
      opts.onMatch(result);
    }
    return returnObject ? result : true;
  };

  if (returnState) {
    matcher.state = state;
  }

  return matcher;
};

/**
 * Test `input` with the given `regex`. This is used by the main
 * `picomatch()` function to test the input string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.test(input, regex[, options]);
 *
 * console.log(picomatch.test('foo/bar', /^(?:([^/]*?)\/([^/]*?))$/));
 * // { isMatch: true, match: [ 'foo/', 'foo', 'bar' ], output: 'foo/bar' }
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp} `regex`
 * @return {Object} Returns an object with matching info.
 * @api public
 */

picomatch.test = (input, regex, options, { glob, posix } = {}) => {
  if (typeof input !== 'string') {
    throw new TypeError('Expected input to be a string');
  }

  if (input === '') {
    return { isMatch: false, output: '' };
  }

  const opts = options || {};
  const format = opts.format || (posix ? utils.toPosixSlashes : null);
  let match = input === glob;
  let output = (match && format) ? format(input) : input;

  if (match === false) {
    output = format ? format(input) : input;
    match = output === glob;
  }

  if (match === false || opts.capture === true) {
    if (opts.matchBase === true || opts.basename === true) {
      match = picomatch.matchBase(input, regex, options, posix);
    } else {
      match = regex.exec(output);
    }
  }

  return { isMatch: Boolean(match), match, output };
};

/**
 * Match the basename of a filepath.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.matchBase(input, glob[, options]);
 * console.log(picomatch.matchBase('foo/bar.js', '*.js'); // true
 * ```
 * @param {String} `input` String to test.
 * @param {RegExp|String} `glob` Glob pattern or regex created by [.makeRe](#makeRe).
 * @return {Boolean}
 * @api public
 */

picomatch.matchBase = (input, glob, options, posix = options && options.windows) => {
  const regex = glob instanceof RegExp ? glob : picomatch.makeRe(glob, options);
  return regex.test(utils.basename(input, { windows: posix }));
};

/**
 * Returns true if **any** of the given glob `patterns` match the specified `string`.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.isMatch(string, patterns[, options]);
 *
 * console.log(picomatch.isMatch('a.a', ['b.*', '*.a'])); //=> true
 * console.log(picomatch.isMatch('a.a', 'b.*')); //=> false
 * ```
 * @param {String|Array} str The string to test.
 * @param {String|Array} patterns One or more glob patterns to use for matching.
 * @param {Object} [options] See available [options](#options).
 * @return {Boolean} Returns true if any patterns match `str`
 * @api public
 */

picomatch.isMatch = (str, patterns, options) => picomatch(patterns, options)(str);

/**
 * Parse a glob pattern to create the source string for a regular
 * expression.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const result = picomatch.parse(pattern[, options]);
 * ```
 * @param {String} `pattern`
 * @param {Object} `options`
 * @return {Object} Returns an object with useful properties and output to be used as a regex source string.
 * @api public
 */

picomatch.parse = (pattern, options) => {
  if (Array.isArray(pattern)) return pattern.map(p => picomatch.parse(p, options));
  return parse(pattern, { ...options, fastpaths: false });
};

/**
 * Scan a glob pattern to separate the pattern into segments.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.scan(input[, options]);
 *
 * const result = picomatch.scan('!./foo/*.js');
 * console.log(result);
 * { prefix: '!./',
 *   input: '!./foo/*.js',
 *   start: 3,
 *   base: 'foo',
 *   glob: '*.js',
 *   isBrace: false,
 *   isBracket: false,
 *   isGlob: true,
 *   isExtglob: false,
 *   isGlobstar: false,
 *   negated: true }
 * ```
 * @param {String} `input` Glob pattern to scan.
 * @param {Object} `options`
 * @return {Object} Returns an object with
 * @api public
 */

picomatch.scan = (input, options) => scan(input, options);

/**
 * Compile a regular expression from the `state` object returned by the
 * [parse()](#parse) method.
 *
 * ```js
 * const picomatch = require('picomatch');
 * const state = picomatch.parse('*.js');
 * // picomatch.compileRe(state[, options]);
 *
 * console.log(picomatch.compileRe(state));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {Object} `state`
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Intended for implementors, this argument allows you to return the raw output from the parser.
 * @param {Boolean} `returnState` Adds the state to a `state` property on the returned regex. Useful for implementors and debugging.
 * @return {RegExp}
 * @api public
 */

picomatch.compileRe = (state, options, returnOutput = false, returnState = false) => {
  if (returnOutput === true) {
    return state.output;
  }

  const opts = options || {};
  const prepend = opts.contains ? '' : '^';
  const append = opts.contains ? '' : '$';

  let source = `${prepend}(?:${state.output})${append}`;
  if (state && state.negated === true) {
    source = `^(?!${source}).*$`;
  }

  const regex = picomatch.toRegex(source, options);
  if (returnState === true) {
    regex.state = state;
  }

  return regex;
};

/**
 * Create a regular expression from a parsed glob pattern.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.makeRe(state[, options]);
 *
 * const result = picomatch.makeRe('*.js');
 * console.log(result);
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `state` The object returned from the `.parse` method.
 * @param {Object} `options`
 * @param {Boolean} `returnOutput` Implementors may use this argument to return the compiled output, instead of a regular expression. This is not exposed on the options to prevent end-users from mutating the result.
 * @param {Boolean} `returnState` Implementors may use this argument to return the state from the parsed glob with the returned regular expression.
 * @return {RegExp} Returns a regex created from the given pattern.
 * @api public
 */

picomatch.makeRe = (input, options = {}, returnOutput = false, returnState = false) => {
  if (!input || typeof input !== 'string') {
    throw new TypeError('Expected a non-empty string');
  }

  let parsed = { negated: false, fastpaths: true };

  if (options.fastpaths !== false && (input[0] === '.' || input[0] === '*')) {
    parsed.output = parse.fastpaths(input, options);
  }

  if (!parsed.output) {
    parsed = parse(input, options);
  }

  return picomatch.compileRe(parsed, options, returnOutput, returnState);
};

/**
 * Create a regular expression from the given regex source string.
 *
 * ```js
 * const picomatch = require('picomatch');
 * // picomatch.toRegex(source[, options]);
 *
 * const { output } = picomatch.parse('*.js');
 * console.log(picomatch.toRegex(output));
 * //=> /^(?:(?!\.)(?=.)[^/]*?\.js)$/
 * ```
 * @param {String} `source` Regular expression source string.
 * @param {Object} `options`
 * @return {RegExp}
 * @api public
 */

picomatch.toRegex = (source, options) => {
  try {
    const opts = options || {};
    return new RegExp(source, opts.flags || (opts.nocase ? 'i' : ''));
  } catch (err) {
    if (options && options.debug === true) throw err;
    return /$^/;
  }
};

/**
 * Picomatch constants.
 * @return {Object}
 */

picomatch.constants = constants;

/**
 * Expose "picomatch"
 */

module.exports = picomatch;


/***/ }),

/***/ 781:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {



const utils = __nccwpck_require__(59);
const {
  CHAR_ASTERISK,             /* * */
  CHAR_AT,                   /* @ */
  CHAR_BACKWARD_SLASH,       /* \ */
  CHAR_COMMA,                /* , */
  CHAR_DOT,                  /* . */
  CHAR_EXCLAMATION_MARK,     /* ! */
  CHAR_FORWARD_SLASH,        /* / */
  CHAR_LEFT_CURLY_BRACE,     /* { */
  CHAR_LEFT_PARENTHESES,     /* ( */
  CHAR_LEFT_SQUARE_BRACKET,  /* [ */
  CHAR_PLUS,                 /* + */
  CHAR_QUESTION_MARK,        /* ? */
  CHAR_RIGHT_CURLY_BRACE,    /* } */
  CHAR_RIGHT_PARENTHESES,    /* ) */
  CHAR_RIGHT_SQUARE_BRACKET  /* ] */
} = __nccwpck_require__(595);

const isPathSeparator = code => {
  return code === CHAR_FORWARD_SLASH || code === CHAR_BACKWARD_SLASH;
};

const depth = token => {
  if (token.isPrefix !== true) {
    token.depth = token.isGlobstar ? Infinity : 1;
  }
};

/**
 * Quickly scans a glob pattern and returns an object with a handful of
 * useful properties, like `isGlob`, `path` (the leading non-glob, if it exists),
 * `glob` (the actual pattern), `negated` (true if the path starts with `!` but not
 * with `!(`) and `negatedExtglob` (true if the path starts with `!(`).
 *
 * ```js
 * const pm = require('picomatch');
 * console.log(pm.scan('foo/bar/*.js'));
 * { isGlob: true, input: 'foo/bar/*.js', base: 'foo/bar', glob: '*.js' }
 * ```
 * @param {String} `str`
 * @param {Object} `options`
 * @return {Object} Returns an object with tokens and regex source string.
 * @api public
 */

const scan = (input, options) => {
  const opts = options || {};

  const length = input.length - 1;
  const scanToEnd = opts.parts === true || opts.tokens === true || opts.scanToEnd === true;
  const slashes = [];
  const tokens = [];
  const parts = [];

  let str = input;
  let index = -1;
  let start = 0;
  let lastIndex = 0;
  let isBrace = false;
  let isBracket = false;
  let isGlob = false;
  let isExtglob = false;
  let isGlobstar = false;
  let braceEscaped = false;
  let backslashes = false;
  let negated = false;
  let negatedExtglob = false;
  let finished = false;
  let braces = 0;
  let prev;
  let code;
  let token = { value: '', depth: 0, isGlob: false };

  const eos = () => index >= length;
  const peek = () => str.charCodeAt(index + 1);
  const advance = () => {
    prev = code;
    return str.charCodeAt(++index);
  };

  while (index < length) {
    code = advance();
    let next;

    if (code === CHAR_BACKWARD_SLASH) {
      backslashes = token.backslashes = true;
      code = advance();

      if (code === CHAR_LEFT_CURLY_BRACE) {
        braceEscaped = true;
      }
      continue;
    }

    if (braceEscaped === true || code === CHAR_LEFT_CURLY_BRACE) {
      braces++;

      while (eos() !== true && (code = advance())) {
        if (code === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (code === CHAR_LEFT_CURLY_BRACE) {
          braces++;
          continue;
        }

        if (braceEscaped !== true && code === CHAR_DOT && (code = advance()) === CHAR_DOT) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (braceEscaped !== true && code === CHAR_COMMA) {
          isBrace = token.isBrace = true;
          isGlob = token.isGlob = true;
          finished = true;

          if (scanToEnd === true) {
            continue;
          }

          break;
        }

        if (code === CHAR_RIGHT_CURLY_BRACE) {
          braces--;

          if (braces === 0) {
            braceEscaped = false;
            isBrace = token.isBrace = true;
            finished = true;
            break;
          }
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (code === CHAR_FORWARD_SLASH) {
      slashes.push(index);
      tokens.push(token);
      token = { value: '', depth: 0, isGlob: false };

      if (finished === true) continue;
      if (prev === CHAR_DOT && index === (start + 1)) {
        start += 2;
        continue;
      }

      lastIndex = index + 1;
      continue;
    }

    if (opts.noext !== true) {
      const isExtglobChar = code === CHAR_PLUS
        || code === CHAR_AT
        || code === CHAR_ASTERISK
        || code === CHAR_QUESTION_MARK
        || code === CHAR_EXCLAMATION_MARK;

      if (isExtglobChar === true && peek() === CHAR_LEFT_PARENTHESES) {
        isGlob = token.isGlob = true;
        isExtglob = token.isExtglob = true;
        finished = true;
        if (code === CHAR_EXCLAMATION_MARK && index === start) {
          negatedExtglob = true;
        }

        if (scanToEnd === true) {
          let parens = 0;

          while (eos() !== true && (code = advance())) {
            if (code === CHAR_BACKWARD_SLASH) {
              backslashes = token.backslashes = true;
              advance();
              continue;
            }

            if (code === CHAR_LEFT_PARENTHESES) {
              parens++;
              continue;
            }

            if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
              finished = true;
              break;
            }
          }
          continue;
        }
        break;
      }
    }

    if (code === CHAR_ASTERISK) {
      if (prev === CHAR_ASTERISK) isGlobstar = token.isGlobstar = true;
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_QUESTION_MARK) {
      isGlob = token.isGlob = true;
      finished = true;

      if (scanToEnd === true) {
        continue;
      }
      break;
    }

    if (code === CHAR_LEFT_SQUARE_BRACKET) {
      while (eos() !== true && (next = advance())) {
        if (next === CHAR_BACKWARD_SLASH) {
          backslashes = token.backslashes = true;
          advance();
          continue;
        }

        if (next === CHAR_RIGHT_SQUARE_BRACKET) {
          isBracket = token.isBracket = true;
          isGlob = token.isGlob = true;
          finished = true;
          break;
        }
      }

      if (scanToEnd === true) {
        continue;
      }

      break;
    }

    if (opts.nonegate !== true && code === CHAR_EXCLAMATION_MARK && index === start) {
      negated = token.negated = true;
      start++;
      continue;
    }

    if (opts.noparen !== true && code === CHAR_LEFT_PARENTHESES) {
      isGlob = token.isGlob = true;

      if (scanToEnd === true) {
        let parens = 1;

        while (eos() !== true && (code = advance())) {
          if (code === CHAR_BACKWARD_SLASH) {
            backslashes = token.backslashes = true;
            advance();
            continue;
          }

          if (code === CHAR_LEFT_PARENTHESES) {
            parens++;
            continue;
          }

          if (code === CHAR_RIGHT_PARENTHESES && --parens === 0) {
            finished = true;
            break;
          }
        }
        continue;
      }
      break;
    }

    if (isGlob === true) {
      finished = true;

      if (scanToEnd === true) {
        continue;
      }

      break;
    }
  }

  if (opts.noext === true) {
    isExtglob = false;
    isGlob = false;
  }

  let base = str;
  let prefix = '';
  let glob = '';

  if (start > 0) {
    prefix = str.slice(0, start);
    str = str.slice(start);
    lastIndex -= start;
  }

  if (base && isGlob === true && lastIndex > 0) {
    base = str.slice(0, lastIndex);
    glob = str.slice(lastIndex);
  } else if (isGlob === true) {
    base = '';
    glob = str;
  } else {
    base = str;
  }

  if (base && base !== '' && base !== '/' && base !== str) {
    if (isPathSeparator(base.charCodeAt(base.length - 1))) {
      base = base.slice(0, -1);
    }
  }

  if (opts.unescape === true) {
    if (glob) glob = utils.removeBackslashes(glob);

    if (base && backslashes === true) {
      base = utils.removeBackslashes(base);
    }
  }

  const state = {
    prefix,
    input,
    start,
    base,
    glob,
    isBrace,
    isBracket,
    isGlob,
    isExtglob,
    isGlobstar,
    negated,
    negatedExtglob
  };

  if (opts.tokens === true) {
    state.maxDepth = 0;
    if (!isPathSeparator(code)) {
      tokens.push(token);
    }
    state.tokens = tokens;
  }

  if (opts.parts === true || opts.tokens === true) {
    let prevIndex;

    for (let idx = 0; idx < slashes.length; idx++) {
      const n = prevIndex !== undefined ? prevIndex + 1 : start;
      const i = slashes[idx];
      const value = input.slice(n, i);
      if (opts.tokens) {
        if (idx === 0 && start !== 0) {
          tokens[idx].isPrefix = true;
          tokens[idx].value = prefix;
        } else {
          tokens[idx].value = value;
        }
        depth(tokens[idx]);
        state.maxDepth += tokens[idx].depth;
      }
      if (i >= start) {
        parts.push(value);
        prevIndex = i;
      }
    }

    const n = prevIndex !== undefined ? prevIndex + 1 : start;
    const value = input.slice(n);
    parts.push(value);

    if (opts.tokens && prevIndex && prevIndex + 1 < input.length) {
      tokens[tokens.length - 1].value = value;
      depth(tokens[tokens.length - 1]);
      state.maxDepth += tokens[tokens.length - 1].depth;
    }

    state.slashes = slashes;
    state.parts = parts;
  }

  return state;
};

module.exports = scan;


/***/ }),

/***/ 59:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

/*global navigator*/


const {
  REGEX_BACKSLASH,
  REGEX_REMOVE_BACKSLASH,
  REGEX_SPECIAL_CHARS,
  REGEX_SPECIAL_CHARS_GLOBAL
} = __nccwpck_require__(595);

exports.isObject = val => val !== null && typeof val === 'object' && !Array.isArray(val);
exports.hasRegexChars = str => REGEX_SPECIAL_CHARS.test(str);
exports.isRegexChar = str => str.length === 1 && exports.hasRegexChars(str);
exports.escapeRegex = str => str.replace(REGEX_SPECIAL_CHARS_GLOBAL, '\\$1');
exports.toPosixSlashes = str => str.replace(REGEX_BACKSLASH, '/');

exports.isWindows = () => {
  if (typeof navigator !== 'undefined' && navigator.platform) {
    const platform = navigator.platform.toLowerCase();
    return platform === 'win32' || platform === 'windows';
  }

  if (typeof process !== 'undefined' && process.platform) {
    return process.platform === 'win32';
  }

  return false;
};

exports.removeBackslashes = str => {
  return str.replace(REGEX_REMOVE_BACKSLASH, match => {
    return match === '\\' ? '' : match;
  });
};

exports.escapeLast = (input, char, lastIdx) => {
  const idx = input.lastIndexOf(char, lastIdx);
  if (idx === -1) return input;
  if (input[idx - 1] === '\\') return exports.escapeLast(input, char, idx - 1);
  return `${input.slice(0, idx)}\\${input.slice(idx)}`;
};

exports.removePrefix = (input, state = {}) => {
  let output = input;
  if (output.startsWith('./')) {
    output = output.slice(2);
    state.prefix = './';
  }
  return output;
};

exports.wrapOutput = (input, state = {}, options = {}) => {
  const prepend = options.contains ? '' : '^';
  const append = options.contains ? '' : '$';

  let output = `${prepend}(?:${input})${append}`;
  if (state.negated === true) {
    output = `(?:^(?!${output}).*$)`;
  }
  return output;
};

exports.basename = (path, { windows } = {}) => {
  const segs = path.split(windows ? /[\\/]/ : '/');
  const last = segs[segs.length - 1];

  if (last === '') {
    return segs[segs.length - 2];
  }

  return last;
};


/***/ }),

/***/ 204:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const { EventEmitter } = __nccwpck_require__(580)
const FIFO = __nccwpck_require__(867)
const TextDecoder = __nccwpck_require__(934)

const StreamError = __nccwpck_require__(657)

// if we do a future major, expect queue microtask to be there always, for now a bit defensive
const qmt =
  typeof queueMicrotask === 'undefined' ? (fn) => global.process.nextTick(fn) : queueMicrotask

// 29 bits used total (4 from shared, 14 from read, and 11 from write)
const MAX = (1 << 29) - 1

// Shared state
const OPENING = 0b0001
const PREDESTROYING = 0b0010
const DESTROYING = 0b0100
const DESTROYED = 0b1000

const NOT_OPENING = MAX ^ OPENING
const NOT_PREDESTROYING = MAX ^ PREDESTROYING

// Read state (4 bit offset from shared state)
const READ_ACTIVE = 0b00000000000001 << 4
const READ_UPDATING = 0b00000000000010 << 4
const READ_PRIMARY = 0b00000000000100 << 4
const READ_QUEUED = 0b00000000001000 << 4
const READ_RESUMED = 0b00000000010000 << 4
const READ_PIPE_DRAINED = 0b00000000100000 << 4
const READ_ENDING = 0b00000001000000 << 4
const READ_EMIT_DATA = 0b00000010000000 << 4
const READ_EMIT_READABLE = 0b00000100000000 << 4
const READ_EMITTED_READABLE = 0b00001000000000 << 4
const READ_DONE = 0b00010000000000 << 4
const READ_NEXT_TICK = 0b00100000000000 << 4
const READ_NEEDS_PUSH = 0b01000000000000 << 4
const READ_READ_AHEAD = 0b10000000000000 << 4

// Combined read state
const READ_FLOWING = READ_RESUMED | READ_PIPE_DRAINED
const READ_ACTIVE_AND_NEEDS_PUSH = READ_ACTIVE | READ_NEEDS_PUSH
const READ_PRIMARY_AND_ACTIVE = READ_PRIMARY | READ_ACTIVE
const READ_EMIT_READABLE_AND_QUEUED = READ_EMIT_READABLE | READ_QUEUED
const READ_RESUMED_READ_AHEAD = READ_RESUMED | READ_READ_AHEAD

const READ_NOT_ACTIVE = MAX ^ READ_ACTIVE
const READ_NON_PRIMARY = MAX ^ READ_PRIMARY
const READ_NON_PRIMARY_AND_PUSHED = MAX ^ (READ_PRIMARY | READ_NEEDS_PUSH)
const READ_PUSHED = MAX ^ READ_NEEDS_PUSH
const READ_PAUSED = MAX ^ READ_RESUMED
const READ_NOT_QUEUED = MAX ^ (READ_QUEUED | READ_EMITTED_READABLE)
const READ_NOT_ENDING = MAX ^ READ_ENDING
const READ_PIPE_NOT_DRAINED = MAX ^ READ_FLOWING
const READ_NOT_NEXT_TICK = MAX ^ READ_NEXT_TICK
const READ_NOT_UPDATING = MAX ^ READ_UPDATING
const READ_NO_READ_AHEAD = MAX ^ READ_READ_AHEAD
const READ_PAUSED_NO_READ_AHEAD = MAX ^ READ_RESUMED_READ_AHEAD

// Write state (18 bit offset, 4 bit offset from shared state and 14 from read state)
const WRITE_ACTIVE = 0b00000000001 << 18
const WRITE_UPDATING = 0b00000000010 << 18
const WRITE_PRIMARY = 0b00000000100 << 18
const WRITE_QUEUED = 0b00000001000 << 18
const WRITE_UNDRAINED = 0b00000010000 << 18
const WRITE_DONE = 0b00000100000 << 18
const WRITE_EMIT_DRAIN = 0b00001000000 << 18
const WRITE_NEXT_TICK = 0b00010000000 << 18
const WRITE_WRITING = 0b00100000000 << 18
const WRITE_FINISHING = 0b01000000000 << 18
const WRITE_CORKED = 0b10000000000 << 18

const WRITE_NOT_ACTIVE = MAX ^ (WRITE_ACTIVE | WRITE_WRITING)
const WRITE_NON_PRIMARY = MAX ^ WRITE_PRIMARY
const WRITE_NOT_FINISHING = MAX ^ (WRITE_ACTIVE | WRITE_FINISHING)
const WRITE_DRAINED = MAX ^ WRITE_UNDRAINED
const WRITE_NOT_QUEUED = MAX ^ WRITE_QUEUED
const WRITE_NOT_NEXT_TICK = MAX ^ WRITE_NEXT_TICK
const WRITE_NOT_UPDATING = MAX ^ WRITE_UPDATING
const WRITE_NOT_CORKED = MAX ^ WRITE_CORKED

// Combined shared state
const ACTIVE = READ_ACTIVE | WRITE_ACTIVE
const NOT_ACTIVE = MAX ^ ACTIVE
const DONE = READ_DONE | WRITE_DONE
const DESTROY_STATUS = DESTROYING | DESTROYED | PREDESTROYING
const OPEN_STATUS = DESTROY_STATUS | OPENING
const AUTO_DESTROY = DESTROY_STATUS | DONE
const NON_PRIMARY = WRITE_NON_PRIMARY & READ_NON_PRIMARY
const ACTIVE_OR_TICKING = WRITE_NEXT_TICK | READ_NEXT_TICK
const TICKING = ACTIVE_OR_TICKING & NOT_ACTIVE
const IS_OPENING = OPEN_STATUS | TICKING

// Combined shared state and read state
const READ_PRIMARY_STATUS = OPEN_STATUS | READ_ENDING | READ_DONE
const READ_STATUS = OPEN_STATUS | READ_DONE | READ_QUEUED
const READ_ENDING_STATUS = OPEN_STATUS | READ_ENDING | READ_QUEUED
const READ_READABLE_STATUS = OPEN_STATUS | READ_EMIT_READABLE | READ_QUEUED | READ_EMITTED_READABLE
const SHOULD_NOT_READ =
  OPEN_STATUS | READ_ACTIVE | READ_ENDING | READ_DONE | READ_NEEDS_PUSH | READ_READ_AHEAD
const READ_BACKPRESSURE_STATUS = DESTROY_STATUS | READ_ENDING | READ_DONE
const READ_UPDATE_SYNC_STATUS = READ_UPDATING | OPEN_STATUS | READ_NEXT_TICK | READ_PRIMARY
const READ_NEXT_TICK_OR_OPENING = READ_NEXT_TICK | OPENING

// Combined write state
const WRITE_PRIMARY_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_DONE
const WRITE_QUEUED_AND_UNDRAINED = WRITE_QUEUED | WRITE_UNDRAINED
const WRITE_QUEUED_AND_ACTIVE = WRITE_QUEUED | WRITE_ACTIVE
const WRITE_DRAIN_STATUS = WRITE_QUEUED | WRITE_UNDRAINED | OPEN_STATUS | WRITE_ACTIVE
const WRITE_STATUS = OPEN_STATUS | WRITE_ACTIVE | WRITE_QUEUED | WRITE_CORKED
const WRITE_PRIMARY_AND_ACTIVE = WRITE_PRIMARY | WRITE_ACTIVE
const WRITE_ACTIVE_AND_WRITING = WRITE_ACTIVE | WRITE_WRITING
const WRITE_FINISHING_STATUS = OPEN_STATUS | WRITE_FINISHING | WRITE_QUEUED_AND_ACTIVE | WRITE_DONE
const WRITE_BACKPRESSURE_STATUS = WRITE_UNDRAINED | DESTROY_STATUS | WRITE_FINISHING | WRITE_DONE
const WRITE_UPDATE_SYNC_STATUS = WRITE_UPDATING | OPEN_STATUS | WRITE_NEXT_TICK | WRITE_PRIMARY
const WRITE_DROP_DATA = WRITE_FINISHING | WRITE_DONE | DESTROY_STATUS

const asyncIterator = Symbol.asyncIterator || Symbol('asyncIterator')

class WritableState {
  constructor(
    stream,
    { highWaterMark = 16384, map = null, mapWritable, byteLength, byteLengthWritable } = {}
  ) {
    this.stream = stream
    this.queue = new FIFO()
    this.highWaterMark = highWaterMark
    this.buffered = 0
    this.error = null
    this.pipeline = null
    this.drains = null // if we add more seldomly used helpers we might them into a subobject so its a single ptr
    this.byteLength = byteLengthWritable || byteLength || defaultByteLength
    this.map = mapWritable || map
    this.afterWrite = afterWrite.bind(this)
    this.afterUpdateNextTick = updateWriteNT.bind(this)
  }

  get ending() {
    return (this.stream._duplexState & WRITE_FINISHING) !== 0
  }

  get ended() {
    return (this.stream._duplexState & WRITE_DONE) !== 0
  }

  push(data) {
    if ((this.stream._duplexState & WRITE_DROP_DATA) !== 0) return false
    if (this.map !== null) data = this.map(data)

    this.buffered += this.byteLength(data)
    this.queue.push(data)

    if (this.buffered < this.highWaterMark) {
      this.stream._duplexState |= WRITE_QUEUED
      return true
    }

    this.stream._duplexState |= WRITE_QUEUED_AND_UNDRAINED
    return false
  }

  shift() {
    const data = this.queue.shift()

    this.buffered -= this.byteLength(data)
    if (this.buffered === 0) this.stream._duplexState &= WRITE_NOT_QUEUED

    return data
  }

  end(data) {
    if (typeof data === 'function') {
      this.stream.once('finish', data)
    } else if (data !== undefined && data !== null) {
      this.push(data)
    }

    this.stream._duplexState = (this.stream._duplexState | WRITE_FINISHING) & WRITE_NON_PRIMARY
  }

  autoBatch(data, cb) {
    const buffer = []
    const stream = this.stream

    buffer.push(data)
    while ((stream._duplexState & WRITE_STATUS) === WRITE_QUEUED_AND_ACTIVE) {
      buffer.push(stream._writableState.shift())
    }

    if ((stream._duplexState & OPEN_STATUS) !== 0) return cb(null)
    stream._writev(buffer, cb)
  }

  update() {
    const stream = this.stream

    stream._duplexState |= WRITE_UPDATING

    do {
      while ((stream._duplexState & WRITE_STATUS) === WRITE_QUEUED) {
        const data = this.shift()
        stream._duplexState |= WRITE_ACTIVE_AND_WRITING
        stream._write(data, this.afterWrite)
      }

      if ((stream._duplexState & WRITE_PRIMARY_AND_ACTIVE) === 0) this.updateNonPrimary()
    } while (this.continueUpdate() === true)

    stream._duplexState &= WRITE_NOT_UPDATING
  }

  updateNonPrimary() {
    const stream = this.stream

    if ((stream._duplexState & WRITE_FINISHING_STATUS) === WRITE_FINISHING) {
      stream._duplexState = stream._duplexState | WRITE_ACTIVE
      stream._final(afterFinal.bind(this))
      return
    }

    if ((stream._duplexState & DESTROY_STATUS) === DESTROYING) {
      if ((stream._duplexState & ACTIVE_OR_TICKING) === 0) {
        stream._duplexState |= ACTIVE
        stream._destroy(afterDestroy.bind(this))
      }
      return
    }

    if ((stream._duplexState & IS_OPENING) === OPENING) {
      stream._duplexState = (stream._duplexState | ACTIVE) & NOT_OPENING
      stream._open(afterOpen.bind(this))
    }
  }

  continueUpdate() {
    if ((this.stream._duplexState & WRITE_NEXT_TICK) === 0) return false
    this.stream._duplexState &= WRITE_NOT_NEXT_TICK
    return true
  }

  updateCallback() {
    if ((this.stream._duplexState & WRITE_UPDATE_SYNC_STATUS) === WRITE_PRIMARY) {
      this.update()
    } else {
      this.updateNextTick()
    }
  }

  updateNextTick() {
    if ((this.stream._duplexState & WRITE_NEXT_TICK) !== 0) return
    this.stream._duplexState |= WRITE_NEXT_TICK
    if ((this.stream._duplexState & WRITE_UPDATING) === 0) qmt(this.afterUpdateNextTick)
  }
}

class ReadableState {
  constructor(
    stream,
    { highWaterMark = 16384, map = null, mapReadable, byteLength, byteLengthReadable } = {}
  ) {
    this.stream = stream
    this.queue = new FIFO()
    this.highWaterMark = highWaterMark === 0 ? 1 : highWaterMark
    this.buffered = 0
    this.readAhead = highWaterMark > 0
    this.error = null
    this.pipeline = null
    this.byteLength = byteLengthReadable || byteLength || defaultByteLength
    this.map = mapReadable || map
    this.pipeTo = null
    this.afterRead = afterRead.bind(this)
    this.afterUpdateNextTick = updateReadNT.bind(this)
  }

  get ending() {
    return (this.stream._duplexState & READ_ENDING) !== 0
  }

  get ended() {
    return (this.stream._duplexState & READ_DONE) !== 0
  }

  pipe(pipeTo, cb) {
    if (this.pipeTo !== null) throw StreamError.BAD_ARGUMENT('Can only pipe to one destination')
    if (typeof cb !== 'function') cb = null

    this.stream._duplexState |= READ_PIPE_DRAINED
    this.pipeTo = pipeTo
    this.pipeline = new Pipeline(this.stream, pipeTo, cb)

    if (cb) this.stream.on('error', noop) // We already error handle this so supress crashes

    if (isStreamx(pipeTo)) {
      pipeTo._writableState.pipeline = this.pipeline
      if (cb) pipeTo.on('error', noop) // We already error handle this so supress crashes
      pipeTo.on('finish', this.pipeline.finished.bind(this.pipeline)) // TODO: just call finished from pipeTo itself
    } else {
      const onerror = this.pipeline.done.bind(this.pipeline, pipeTo)
      const onclose = this.pipeline.done.bind(this.pipeline, pipeTo, null) // onclose has a weird bool arg
      pipeTo.on('error', onerror)
      pipeTo.on('close', onclose)
      pipeTo.on('finish', this.pipeline.finished.bind(this.pipeline))
    }

    pipeTo.on('drain', afterDrain.bind(this))
    this.stream.emit('piping', pipeTo)
    pipeTo.emit('pipe', this.stream)
  }

  push(data) {
    const stream = this.stream

    if (data === null) {
      this.highWaterMark = 0
      stream._duplexState = (stream._duplexState | READ_ENDING) & READ_NON_PRIMARY_AND_PUSHED
      return false
    }

    if (this.map !== null) {
      data = this.map(data)
      if (data === null) {
        stream._duplexState &= READ_PUSHED
        return this.buffered < this.highWaterMark
      }
    }

    this.buffered += this.byteLength(data)
    this.queue.push(data)

    stream._duplexState = (stream._duplexState | READ_QUEUED) & READ_PUSHED

    return this.buffered < this.highWaterMark
  }

  shift() {
    const data = this.queue.shift()

    this.buffered -= this.byteLength(data)
    if (this.buffered === 0) {
      this.stream._duplexState &= READ_NOT_QUEUED
    }

    return data
  }

  unshift(data) {
    const pending = [this.map !== null ? this.map(data) : data]
    while (this.buffered > 0) pending.push(this.shift())

    for (let i = 0; i < pending.length - 1; i++) {
      const data = pending[i]
      this.buffered += this.byteLength(data)
      this.queue.push(data)
    }

    this.push(pending[pending.length - 1])
  }

  read() {
    const stream = this.stream

    if ((stream._duplexState & READ_STATUS) === READ_QUEUED) {
      const data = this.shift()

      if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
        stream._duplexState &= READ_PIPE_NOT_DRAINED
      }

      if ((stream._duplexState & READ_EMIT_DATA) !== 0) {
        stream.emit('data', data)
      }

      return data
    }

    if (this.readAhead === false) {
      stream._duplexState |= READ_READ_AHEAD
      this.updateNextTick()
    }

    return null
  }

  drain() {
    const stream = this.stream

    while (
      (stream._duplexState & READ_STATUS) === READ_QUEUED &&
      (stream._duplexState & READ_FLOWING) !== 0
    ) {
      const data = this.shift()

      if (this.pipeTo !== null && this.pipeTo.write(data) === false) {
        stream._duplexState &= READ_PIPE_NOT_DRAINED
      }

      if ((stream._duplexState & READ_EMIT_DATA) !== 0) {
        stream.emit('data', data)
      }
    }
  }

  update() {
    const stream = this.stream

    stream._duplexState |= READ_UPDATING

    do {
      this.drain()

      while (
        this.buffered < this.highWaterMark &&
        (stream._duplexState & SHOULD_NOT_READ) === READ_READ_AHEAD
      ) {
        stream._duplexState |= READ_ACTIVE_AND_NEEDS_PUSH
        stream._read(this.afterRead)
        this.drain()
      }

      if ((stream._duplexState & READ_READABLE_STATUS) === READ_EMIT_READABLE_AND_QUEUED) {
        stream._duplexState |= READ_EMITTED_READABLE
        stream.emit('readable')
      }

      if ((stream._duplexState & READ_PRIMARY_AND_ACTIVE) === 0) {
        this.updateNonPrimary()
      }
    } while (this.continueUpdate() === true)

    stream._duplexState &= READ_NOT_UPDATING
  }

  updateNonPrimary() {
    const stream = this.stream

    if ((stream._duplexState & READ_ENDING_STATUS) === READ_ENDING) {
      stream._duplexState = (stream._duplexState | READ_DONE) & READ_NOT_ENDING
      stream.emit('end')

      if ((stream._duplexState & AUTO_DESTROY) === DONE) {
        stream._duplexState |= DESTROYING
      }

      if (this.pipeTo !== null) {
        this.pipeTo.end()
      }
    }

    if ((stream._duplexState & DESTROY_STATUS) === DESTROYING) {
      if ((stream._duplexState & ACTIVE_OR_TICKING) === 0) {
        stream._duplexState |= ACTIVE
        stream._destroy(afterDestroy.bind(this))
      }
      return
    }

    if ((stream._duplexState & IS_OPENING) === OPENING) {
      stream._duplexState = (stream._duplexState | ACTIVE) & NOT_OPENING
      stream._open(afterOpen.bind(this))
    }
  }

  continueUpdate() {
    if ((this.stream._duplexState & READ_NEXT_TICK) === 0) return false
    this.stream._duplexState &= READ_NOT_NEXT_TICK
    return true
  }

  updateCallback() {
    if ((this.stream._duplexState & READ_UPDATE_SYNC_STATUS) === READ_PRIMARY) {
      this.update()
    } else {
      this.updateNextTick()
    }
  }

  updateNextTickIfOpen() {
    if ((this.stream._duplexState & READ_NEXT_TICK_OR_OPENING) !== 0) return
    this.stream._duplexState |= READ_NEXT_TICK
    if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick)
  }

  updateNextTick() {
    if ((this.stream._duplexState & READ_NEXT_TICK) !== 0) return
    this.stream._duplexState |= READ_NEXT_TICK
    if ((this.stream._duplexState & READ_UPDATING) === 0) qmt(this.afterUpdateNextTick)
  }
}

class TransformState {
  constructor(stream) {
    this.data = null
    this.afterTransform = afterTransform.bind(stream)
    this.afterFinal = null
  }
}

class Pipeline {
  constructor(src, dst, cb) {
    this.from = src
    this.to = dst
    this.afterPipe = cb
    this.error = null
    this.pipeToFinished = false
  }

  finished() {
    this.pipeToFinished = true
  }

  done(stream, err) {
    if (err) this.error = err

    if (stream === this.to) {
      this.to = null

      if (this.from !== null) {
        if ((this.from._duplexState & READ_DONE) === 0 || !this.pipeToFinished) {
          this.from.destroy(this.error || StreamError.PREMATURE_CLOSE('Writable stream closed'))
        }
        return
      }
    }

    if (stream === this.from) {
      this.from = null

      if (this.to !== null) {
        if ((stream._duplexState & READ_DONE) === 0) {
          this.to.destroy(this.error || StreamError.PREMATURE_CLOSE('Readable stream closed'))
        }
        return
      }
    }

    if (this.afterPipe !== null) this.afterPipe(this.error)
    this.to = this.from = this.afterPipe = null
  }
}

function afterDrain() {
  this.stream._duplexState |= READ_PIPE_DRAINED
  this.updateCallback()
}

function afterFinal(err) {
  const stream = this.stream
  if (err) stream.destroy(err)

  if ((stream._duplexState & DESTROY_STATUS) === 0) {
    stream._duplexState |= WRITE_DONE
    stream.emit('finish')
  }

  if ((stream._duplexState & AUTO_DESTROY) === DONE) {
    stream._duplexState |= DESTROYING
  }

  stream._duplexState &= WRITE_NOT_FINISHING

  // no need to wait the extra tick here, so we short circuit that
  if ((stream._duplexState & WRITE_UPDATING) === 0) {
    this.update()
  } else {
    this.updateNextTick()
  }
}

function afterDestroy(err) {
  const stream = this.stream

  if (!err && !StreamError.isStreamDestroyed(this.error)) err = this.error
  if (err) stream.emit('error', err)

  stream._duplexState |= DESTROYED
  stream.emit('close')

  const rs = stream._readableState
  const ws = stream._writableState

  if (rs !== null && rs.pipeline !== null) {
    rs.pipeline.done(stream, err)
  }

  if (ws !== null) {
    while (ws.drains !== null && ws.drains.length > 0) {
      ws.drains.shift().resolve(false)
    }

    if (ws.pipeline !== null) {
      ws.pipeline.done(stream, err)
    }
  }
}

function afterWrite(err) {
  const stream = this.stream

  if (err) stream.destroy(err)
  stream._duplexState &= WRITE_NOT_ACTIVE

  if (this.drains !== null) tickDrains(this.drains)

  if ((stream._duplexState & WRITE_DRAIN_STATUS) === WRITE_UNDRAINED) {
    stream._duplexState &= WRITE_DRAINED

    if ((stream._duplexState & WRITE_EMIT_DRAIN) === WRITE_EMIT_DRAIN) {
      stream.emit('drain')
    }
  }

  this.updateCallback()
}

function afterRead(err) {
  if (err) this.stream.destroy(err)
  this.stream._duplexState &= READ_NOT_ACTIVE

  if (this.readAhead === false && (this.stream._duplexState & READ_RESUMED) === 0) {
    this.stream._duplexState &= READ_NO_READ_AHEAD
  }

  this.updateCallback()
}

function updateReadNT() {
  if ((this.stream._duplexState & READ_UPDATING) === 0) {
    this.stream._duplexState &= READ_NOT_NEXT_TICK
    this.update()
  }
}

function updateWriteNT() {
  if ((this.stream._duplexState & WRITE_UPDATING) === 0) {
    this.stream._duplexState &= WRITE_NOT_NEXT_TICK
    this.update()
  }
}

function tickDrains(drains) {
  for (let i = 0; i < drains.length; i++) {
    // drains.writes are monotonic, so if one is 0 its always the first one
    if (--drains[i].writes === 0) {
      drains.shift().resolve(true)
      i--
    }
  }
}

function afterOpen(err) {
  const stream = this.stream

  if (err) stream.destroy(err)

  if ((stream._duplexState & DESTROYING) === 0) {
    if ((stream._duplexState & READ_PRIMARY_STATUS) === 0) {
      stream._duplexState |= READ_PRIMARY
    }

    if ((stream._duplexState & WRITE_PRIMARY_STATUS) === 0) {
      stream._duplexState |= WRITE_PRIMARY
    }

    stream.emit('open')
  }

  stream._duplexState &= NOT_ACTIVE

  if (stream._writableState !== null) {
    stream._writableState.updateCallback()
  }

  if (stream._readableState !== null) {
    stream._readableState.updateCallback()
  }
}

function afterTransform(err, data) {
  if (data !== undefined && data !== null) this.push(data)
  this._writableState.afterWrite(err)
}

function newListener(name) {
  if (this._readableState !== null) {
    if (name === 'data') {
      this._duplexState |= READ_EMIT_DATA | READ_RESUMED_READ_AHEAD
      this._readableState.updateNextTick()
    }
    if (name === 'readable') {
      this._duplexState |= READ_EMIT_READABLE
      this._readableState.updateNextTick()
    }
  }

  if (this._writableState !== null) {
    if (name === 'drain') {
      this._duplexState |= WRITE_EMIT_DRAIN
      this._writableState.updateNextTick()
    }
  }
}

class Stream extends EventEmitter {
  constructor(opts) {
    super()

    this._duplexState = 0
    this._readableState = null
    this._writableState = null

    if (opts) {
      if (opts.open) this._open = opts.open
      if (opts.destroy) this._destroy = opts.destroy
      if (opts.predestroy) this._predestroy = opts.predestroy
      if (opts.signal) opts.signal.addEventListener('abort', abort.bind(this))
    }

    this.on('newListener', newListener)
  }

  _open(cb) {
    cb(null)
  }

  _destroy(cb) {
    cb(null)
  }

  _predestroy() {
    // does nothing
  }

  get readable() {
    return this._readableState !== null ? true : undefined
  }

  get writable() {
    return this._writableState !== null ? true : undefined
  }

  get destroyed() {
    return (this._duplexState & DESTROYED) !== 0
  }

  get destroying() {
    return (this._duplexState & DESTROY_STATUS) !== 0
  }

  destroy(err) {
    if ((this._duplexState & DESTROY_STATUS) === 0) {
      if (!err) err = StreamError.STREAM_DESTROYED()
      this._duplexState = (this._duplexState | DESTROYING) & NON_PRIMARY

      if (this._readableState !== null) {
        this._readableState.highWaterMark = 0
        this._readableState.error = err
      }

      if (this._writableState !== null) {
        this._writableState.highWaterMark = 0
        this._writableState.error = err
      }

      this._duplexState |= PREDESTROYING
      this._predestroy()
      this._duplexState &= NOT_PREDESTROYING

      if (this._readableState !== null) {
        this._readableState.updateNextTick()
      }

      if (this._writableState !== null) {
        this._writableState.updateNextTick()
      }
    }
  }
}

class Readable extends Stream {
  constructor(opts) {
    super(opts)

    this._duplexState |= OPENING | WRITE_DONE | READ_READ_AHEAD
    this._readableState = new ReadableState(this, opts)

    if (opts) {
      if (this._readableState.readAhead === false) this._duplexState &= READ_NO_READ_AHEAD
      if (opts.read) this._read = opts.read
      if (opts.eagerOpen) this._readableState.updateNextTick()
      if (opts.encoding) this.setEncoding(opts.encoding)
    }
  }

  static deferred(fn, opts) {
    const out = new PassThrough(opts)

    fn()
      .then((src) => {
        if (src === null) return out.end()
        if (out.destroying) return
        pipeline(src, out, noop)
      })
      .catch((err) => out.destroy(err))

    return out
  }

  setEncoding(encoding) {
    const dec = new TextDecoder(encoding)
    const map = this._readableState.map || echo
    this._readableState.map = mapOrSkip
    return this

    function mapOrSkip(data) {
      const next = dec.push(data)
      return next === '' && (data.byteLength !== 0 || dec.remaining > 0) ? null : map(next)
    }
  }

  _read(cb) {
    cb(null)
  }

  pipe(dest, cb) {
    this._readableState.updateNextTick()
    this._readableState.pipe(dest, cb)
    return dest
  }

  read() {
    this._readableState.updateNextTick()
    return this._readableState.read()
  }

  push(data) {
    this._readableState.updateNextTickIfOpen()
    return this._readableState.push(data)
  }

  unshift(data) {
    this._readableState.updateNextTickIfOpen()
    return this._readableState.unshift(data)
  }

  resume() {
    this._duplexState |= READ_RESUMED_READ_AHEAD
    this._readableState.updateNextTick()
    return this
  }

  pause() {
    this._duplexState &=
      this._readableState.readAhead === false ? READ_PAUSED_NO_READ_AHEAD : READ_PAUSED
    return this
  }

  static _fromAsyncIterator(ite, opts) {
    let destroy

    const rs = new Readable({
      ...opts,
      read(cb) {
        ite.next().then(push).then(cb.bind(null, null)).catch(cb)
      },
      predestroy() {
        destroy = ite.return()
      },
      destroy(cb) {
        if (!destroy) return cb(null)
        destroy.then(cb.bind(null, null)).catch(cb)
      }
    })

    return rs

    function push(data) {
      if (data.done) rs.push(null)
      else rs.push(data.value)
    }
  }

  static from(data, opts) {
    if (isReadStreamx(data)) return data
    if (data[asyncIterator]) return this._fromAsyncIterator(data[asyncIterator](), opts)
    if (!Array.isArray(data)) data = data === undefined ? [] : [data]

    let i = 0
    return new Readable({
      ...opts,
      read(cb) {
        this.push(i === data.length ? null : data[i++])
        cb(null)
      }
    })
  }

  static isBackpressured(rs) {
    return (
      (rs._duplexState & READ_BACKPRESSURE_STATUS) !== 0 ||
      rs._readableState.buffered >= rs._readableState.highWaterMark
    )
  }

  static isPaused(rs) {
    return (rs._duplexState & READ_RESUMED) === 0
  }

  [asyncIterator]() {
    const stream = this

    let error = null
    let promiseResolve = null
    let promiseReject = null

    this.on('error', (err) => {
      error = err
    })
    this.on('readable', onreadable)
    this.on('close', onclose)

    return {
      [asyncIterator]() {
        return this
      },
      next() {
        return new Promise(function (resolve, reject) {
          promiseResolve = resolve
          promiseReject = reject
          const data = stream.read()
          if (data !== null) ondata(data)
          else if ((stream._duplexState & DESTROYED) !== 0) ondata(null)
        })
      },
      return() {
        return destroy(null)
      },
      throw(err) {
        return destroy(err)
      }
    }

    function onreadable() {
      if (promiseResolve !== null) ondata(stream.read())
    }

    function onclose() {
      if (promiseResolve !== null) ondata(null)
    }

    function ondata(data) {
      if (promiseReject === null) return
      if (error) {
        promiseReject(error)
      } else if (data === null && (stream._duplexState & READ_DONE) === 0) {
        promiseReject(StreamError.STREAM_DESTROYED())
      } else {
        promiseResolve({ value: data, done: data === null })
      }
      promiseReject = promiseResolve = null
    }

    function destroy(err) {
      stream.destroy(err)
      return new Promise((resolve, reject) => {
        if (stream._duplexState & DESTROYED) return resolve({ value: undefined, done: true })
        stream.once('close', function () {
          if (err) reject(err)
          else resolve({ value: undefined, done: true })
        })
      })
    }
  }
}

class Writable extends Stream {
  constructor(opts) {
    super(opts)

    this._duplexState |= OPENING | READ_DONE
    this._writableState = new WritableState(this, opts)

    if (opts) {
      if (opts.writev) this._writev = opts.writev
      if (opts.write) this._write = opts.write
      if (opts.final) this._final = opts.final
      if (opts.eagerOpen) this._writableState.updateNextTick()
    }
  }

  cork() {
    this._duplexState |= WRITE_CORKED
  }

  uncork() {
    this._duplexState &= WRITE_NOT_CORKED
    this._writableState.updateNextTick()
  }

  _writev(batch, cb) {
    cb(null)
  }

  _write(data, cb) {
    this._writableState.autoBatch(data, cb)
  }

  _final(cb) {
    cb(null)
  }

  static isBackpressured(ws) {
    return (ws._duplexState & WRITE_BACKPRESSURE_STATUS) !== 0
  }

  static drained(ws) {
    if (ws.destroyed) return Promise.resolve(false)

    const state = ws._writableState
    const pending = isWritev(ws) ? Math.min(1, state.queue.length) : state.queue.length
    const writes = pending + (ws._duplexState & WRITE_WRITING ? 1 : 0)
    if (writes === 0) return Promise.resolve(true)

    if (state.drains === null) state.drains = []
    return new Promise((resolve) => {
      state.drains.push({ writes, resolve })
    })
  }

  write(data) {
    this._writableState.updateNextTick()
    return this._writableState.push(data)
  }

  end(data) {
    this._writableState.updateNextTick()
    this._writableState.end(data)
    return this
  }
}

class Duplex extends Readable {
  // and Writable
  constructor(opts) {
    super(opts)

    this._duplexState = OPENING | (this._duplexState & READ_READ_AHEAD)
    this._writableState = new WritableState(this, opts)

    if (opts) {
      if (opts.writev) this._writev = opts.writev
      if (opts.write) this._write = opts.write
      if (opts.final) this._final = opts.final
    }
  }

  cork() {
    this._duplexState |= WRITE_CORKED
  }

  uncork() {
    this._duplexState &= WRITE_NOT_CORKED
    this._writableState.updateNextTick()
  }

  _writev(batch, cb) {
    cb(null)
  }

  _write(data, cb) {
    this._writableState.autoBatch(data, cb)
  }

  _final(cb) {
    cb(null)
  }

  write(data) {
    this._writableState.updateNextTick()
    return this._writableState.push(data)
  }

  end(data) {
    this._writableState.updateNextTick()
    this._writableState.end(data)
    return this
  }
}

class Transform extends Duplex {
  constructor(opts) {
    super(opts)
    this._transformState = new TransformState(this)

    if (opts) {
      if (opts.transform) this._transform = opts.transform
      if (opts.flush) this._flush = opts.flush
    }
  }

  _write(data, cb) {
    if (this._readableState.buffered >= this._readableState.highWaterMark) {
      this._transformState.data = data
    } else {
      this._transform(data, this._transformState.afterTransform)
    }
  }

  _read(cb) {
    if (this._transformState.data !== null) {
      const data = this._transformState.data
      this._transformState.data = null
      cb(null)
      this._transform(data, this._transformState.afterTransform)
    } else {
      cb(null)
    }
  }

  destroy(err) {
    super.destroy(err)
    if (this._transformState.data !== null) {
      this._transformState.data = null
      this._transformState.afterTransform()
    }
  }

  _transform(data, cb) {
    cb(null, data)
  }

  _flush(cb) {
    cb(null)
  }

  _final(cb) {
    this._transformState.afterFinal = cb
    this._flush(transformAfterFlush.bind(this))
  }
}

class PassThrough extends Transform {}

function transformAfterFlush(err, data) {
  const cb = this._transformState.afterFinal
  if (err) return cb(err)

  if (data !== null && data !== undefined) this.push(data)
  this.push(null)
  cb(null)
}

function pipelinePromise(...streams) {
  return new Promise((resolve, reject) => {
    return pipeline(...streams, (err) => {
      if (err) return reject(err)
      resolve()
    })
  })
}

function pipeline(stream, ...streams) {
  const all = Array.isArray(stream) ? [...stream, ...streams] : [stream, ...streams]
  const done = all.length && typeof all[all.length - 1] === 'function' ? all.pop() : null

  if (all.length < 2) throw StreamError.BAD_ARGUMENT('Pipeline requires at least 2 streams')

  let src = all[0]
  let dest = null
  let error = null

  for (let i = 1; i < all.length; i++) {
    dest = all[i]

    if (isStreamx(src)) {
      src.pipe(dest, onerror)
    } else {
      errorHandle(src, true, i > 1, onerror)
      src.pipe(dest)
    }

    src = dest
  }

  if (done) {
    let fin = false

    const autoDestroy =
      isStreamx(dest) || !!(dest._writableState && dest._writableState.autoDestroy)

    dest.on('error', (err) => {
      if (error === null) error = err
    })

    dest.on('finish', () => {
      fin = true
      if (!autoDestroy) done(error)
    })

    if (autoDestroy) {
      dest.on('close', () => done(error || (fin ? null : StreamError.PREMATURE_CLOSE())))
    }
  }

  return dest

  function errorHandle(s, rd, wr, onerror) {
    s.on('error', onerror)
    s.on('close', onclose)

    function onclose() {
      if (rd && s._readableState && !s._readableState.ended) {
        return onerror(StreamError.PREMATURE_CLOSE())
      }
      if (wr && s._writableState && !s._writableState.ended) {
        return onerror(StreamError.PREMATURE_CLOSE())
      }
    }
  }

  function onerror(err) {
    if (!err || error) return
    error = err

    for (const s of all) {
      s.destroy(err)
    }
  }
}

function echo(s) {
  return s
}

function isStream(stream) {
  return !!stream._readableState || !!stream._writableState
}

function isStreamx(stream) {
  return typeof stream._duplexState === 'number' && isStream(stream)
}

function isEnding(stream) {
  return !!stream._readableState && stream._readableState.ending
}

function isEnded(stream) {
  return !!stream._readableState && stream._readableState.ended
}

function isFinishing(stream) {
  return !!stream._writableState && stream._writableState.ending
}

function isFinished(stream) {
  return !!stream._writableState && stream._writableState.ended
}

function getStreamError(stream, opts = {}) {
  const err =
    (stream._readableState && stream._readableState.error) ||
    (stream._writableState && stream._writableState.error)

  // avoid implicit errors by default
  return !opts.all && StreamError.isStreamDestroyed(err) ? null : err
}

function isReadStreamx(stream) {
  return isStreamx(stream) && stream.readable
}

function isDisturbed(stream) {
  return (
    (stream._duplexState & OPENING) !== OPENING ||
    (stream._duplexState & DESTROYING) === DESTROYING ||
    (stream._duplexState & ACTIVE_OR_TICKING) !== 0
  )
}

function isTypedArray(data) {
  return typeof data === 'object' && data !== null && typeof data.byteLength === 'number'
}

function defaultByteLength(data) {
  return isTypedArray(data) ? data.byteLength : 1024
}

function noop() {}

function abort() {
  this.destroy(StreamError.ABORTED())
}

function isWritev(s) {
  return s._writev !== Writable.prototype._writev && s._writev !== Duplex.prototype._writev
}

module.exports = {
  pipeline,
  pipelinePromise,
  isStream,
  isStreamx,
  isEnding,
  isEnded,
  isFinishing,
  isFinished,
  isDisturbed,
  getStreamError,
  Stream,
  Writable,
  Readable,
  Duplex,
  Transform,
  // Export PassThrough for compatibility with Node.js core's stream module
  PassThrough
}


/***/ }),

/***/ 657:
/***/ ((module) => {

module.exports = class StreamError extends Error {
  constructor(msg, code, fn = StreamError) {
    super(msg)

    this.code = code

    if (Error.captureStackTrace) {
      Error.captureStackTrace(this, fn)
    }
  }

  static isStreamDestroyed(err) {
    return err && err.code === 'STREAM_DESTROYED'
  }

  static isPrematureClose(err) {
    return err && err.code === 'PREMATURE_CLOSE'
  }

  static isAborted(err) {
    return err && err.code === 'ABORTED'
  }

  static isBadArgument(err) {
    return err && err.code === 'BAD_ARGUMENT'
  }

  get name() {
    return 'StreamError'
  }

  static STREAM_DESTROYED() {
    return new StreamError('Stream was destroyed', 'STREAM_DESTROYED', StreamError.STREAM_DESTROYED)
  }

  static PREMATURE_CLOSE(msg = 'Premature close') {
    return new StreamError(msg, 'PREMATURE_CLOSE', StreamError.PREMATURE_CLOSE)
  }

  static ABORTED() {
    return new StreamError('Stream aborted', 'ABORTED', StreamError.ABORTED)
  }

  static BAD_ARGUMENT(msg = 'Bad argument') {
    return new StreamError(msg, 'BAD_ARGUMENT', StreamError.BAD_ARGUMENT)
  }
}


/***/ }),

/***/ 775:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const constants = { // just for envs without fs
  S_IFMT: 61440,
  S_IFDIR: 16384,
  S_IFCHR: 8192,
  S_IFBLK: 24576,
  S_IFIFO: 4096,
  S_IFLNK: 40960
}

try {
  module.exports = (__nccwpck_require__(896).constants) || constants
} catch {
  module.exports = constants
}


/***/ }),

/***/ 763:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const { Writable, Readable, getStreamError } = __nccwpck_require__(204)
const FIFO = __nccwpck_require__(867)
const b4a = __nccwpck_require__(57)
const headers = __nccwpck_require__(428)

const EMPTY = b4a.alloc(0)
const MAX_HEADER_SIZE = 4 * 1024 * 1024 // arbitrary big number

class BufferList {
  constructor () {
    this.buffered = 0
    this.shifted = 0
    this.queue = new FIFO()

    this._offset = 0
  }

  push (buffer) {
    this.buffered += buffer.byteLength
    this.queue.push(buffer)
  }

  shiftFirst (size) {
    return this.buffered === 0 ? null : this._next(size)
  }

  shift (size) {
    if (size > this.buffered) return null
    if (size === 0) return EMPTY

    let chunk = this._next(size)

    if (size === chunk.byteLength) return chunk // likely case

    const chunks = [chunk]

    while ((size -= chunk.byteLength) > 0) {
      chunk = this._next(size)
      chunks.push(chunk)
    }

    return b4a.concat(chunks)
  }

  _next (size) {
    const buf = this.queue.peek()
    const rem = buf.byteLength - this._offset

    if (size >= rem) {
      const sub = this._offset ? buf.subarray(this._offset, buf.byteLength) : buf
      this.queue.shift()
      this._offset = 0
      this.buffered -= rem
      this.shifted += rem
      return sub
    }

    this.buffered -= size
    this.shifted += size

    return buf.subarray(this._offset, (this._offset += size))
  }
}

class Source extends Readable {
  constructor (self, header, offset) {
    super()

    this.header = header
    this.offset = offset

    this._parent = self
  }

  _read (cb) {
    if (this.header.size === 0) {
      this.push(null)
    }
    if (this._parent._stream === this) {
      this._parent._update()
    }
    cb(null)
  }

  _predestroy () {
    this._parent.destroy(getStreamError(this))
  }

  _detach () {
    if (this._parent._stream === this) {
      this._parent._stream = null
      this._parent._missing = overflow(this.header.size)
      this._parent._update()
    }
  }

  _destroy (cb) {
    this._detach()
    cb(null)
  }
}

class Extract extends Writable {
  constructor (opts) {
    super(opts)

    if (!opts) opts = {}

    this._buffer = new BufferList()
    this._offset = 0
    this._header = null
    this._stream = null
    this._missing = 0
    this._longHeader = false
    this._callback = noop
    this._locked = false
    this._finished = false
    this._pax = null
    this._paxGlobal = null
    this._gnuLongPath = null
    this._gnuLongLinkPath = null
    this._filenameEncoding = opts.filenameEncoding || 'utf-8'
    this._allowUnknownFormat = !!opts.allowUnknownFormat
    this._unlockBound = this._unlock.bind(this)
  }

  _unlock (err) {
    this._locked = false

    if (err) {
      this.destroy(err)
      this._continueWrite(err)
      return
    }

    this._update()
  }

  _consumeHeader () {
    if (this._locked) return false

    this._offset = this._buffer.shifted

    try {
      this._header = headers.decode(this._buffer.shift(512), this._filenameEncoding, this._allowUnknownFormat)
    } catch (err) {
      this._continueWrite(err)
      return false
    }

    if (!this._header) return true

    this._header.byteOffset = this._buffer.shifted

    switch (this._header.type) {
      case 'gnu-long-path':
      case 'gnu-long-link-path':
      case 'pax-global-header':
      case 'pax-header':
        this._longHeader = true
        this._missing = this._header.size
        if (this._missing > MAX_HEADER_SIZE) {
          this._continueWrite(new Error('Header exceeds max size'))
          return false
        }
        return true
    }

    this._locked = true
    this._applyLongHeaders()

    if (!(this._header.size >= 0)) {
      this._continueWrite(new Error('Invalid header'))
      return false
    }

    if (this._header.size === 0 || this._header.type === 'directory') {
      this.emit('entry', this._header, this._createStream(), this._unlockBound)
      return true
    }

    this._stream = this._createStream()
    this._missing = this._header.size

    this.emit('entry', this._header, this._stream, this._unlockBound)
    return true
  }

  _applyLongHeaders () {
    if (this._gnuLongPath) {
      this._header.name = this._gnuLongPath
      this._gnuLongPath = null
    }

    if (this._gnuLongLinkPath) {
      this._header.linkname = this._gnuLongLinkPath
      this._gnuLongLinkPath = null
    }

    if (this._pax) {
      if (this._pax.path) this._header.name = this._pax.path
      if (this._pax.linkpath) this._header.linkname = this._pax.linkpath
      if (this._pax.size) this._header.size = parseInt(this._pax.size, 10)
      this._header.pax = this._pax
      this._pax = null
    }
  }

  _decodeLongHeader (buf) {
    switch (this._header.type) {
      case 'gnu-long-path':
        this._gnuLongPath = headers.decodeLongPath(buf, this._filenameEncoding)
        break
      case 'gnu-long-link-path':
        this._gnuLongLinkPath = headers.decodeLongPath(buf, this._filenameEncoding)
        break
      case 'pax-global-header':
        this._paxGlobal = headers.decodePax(buf)
        break
      case 'pax-header':
        this._pax = this._paxGlobal === null
          ? headers.decodePax(buf)
          : Object.assign({}, this._paxGlobal, headers.decodePax(buf))
        break
    }
  }

  _consumeLongHeader () {
    this._longHeader = false
    this._missing = overflow(this._header.size)

    const buf = this._buffer.shift(this._header.size)

    try {
      this._decodeLongHeader(buf)
    } catch (err) {
      this._continueWrite(err)
      return false
    }

    return true
  }

  _consumeStream () {
    const buf = this._buffer.shiftFirst(this._missing)
    if (buf === null) return false

    this._missing -= buf.byteLength
    const drained = this._stream.push(buf)

    if (this._missing === 0) {
      this._stream.push(null)
      if (drained) this._stream._detach()
      return drained && this._locked === false
    }

    return drained
  }

  _createStream () {
    return new Source(this, this._header, this._offset)
  }

  _update () {
    while (this._buffer.buffered > 0 && !this.destroying) {
      if (this._missing > 0) {
        if (this._stream !== null) {
          if (this._consumeStream() === false) return
          continue
        }

        if (this._longHeader === true) {
          if (this._missing > this._buffer.buffered) break
          if (this._consumeLongHeader() === false) return false
          continue
        }

        const ignore = this._buffer.shiftFirst(this._missing)
        if (ignore !== null) this._missing -= ignore.byteLength
        continue
      }

      if (this._buffer.buffered < 512) break
      if (this._stream !== null || this._consumeHeader() === false) return
    }

    this._continueWrite(null)
  }

  _continueWrite (err) {
    const cb = this._callback
    this._callback = noop
    cb(err)
  }

  _write (data, cb) {
    this._callback = cb
    this._buffer.push(data)
    this._update()
  }

  _final (cb) {
    this._finished = this._missing === 0 && this._buffer.buffered === 0
    cb(this._finished ? null : new Error('Unexpected end of data'))
  }

  _predestroy () {
    this._continueWrite(null)
  }

  _destroy (cb) {
    if (this._stream) this._stream.destroy(getStreamError(this))
    cb(null)
  }

  [Symbol.asyncIterator] () {
    let error = null

    let promiseResolve = null
    let promiseReject = null

    let entryStream = null
    let entryCallback = null

    const extract = this

    this.on('entry', onentry)
    this.on('error', (err) => { error = err })
    this.on('close', onclose)

    return {
      [Symbol.asyncIterator] () {
        return this
      },
      next () {
        return new Promise(onnext)
      },
      return () {
        return destroy(null)
      },
      throw (err) {
        return destroy(err)
      }
    }

    function consumeCallback (err) {
      if (!entryCallback) return
      const cb = entryCallback
      entryCallback = null
      cb(err)
    }

    function onnext (resolve, reject) {
      if (error) {
        return reject(error)
      }

      if (entryStream) {
        resolve({ value: entryStream, done: false })
        entryStream = null
        return
      }

      promiseResolve = resolve
      promiseReject = reject

      consumeCallback(null)

      if (extract._finished && promiseResolve) {
        promiseResolve({ value: undefined, done: true })
        promiseResolve = promiseReject = null
      }
    }

    function onentry (header, stream, callback) {
      entryCallback = callback
      stream.on('error', noop) // no way around this due to tick sillyness

      if (promiseResolve) {
        promiseResolve({ value: stream, done: false })
        promiseResolve = promiseReject = null
      } else {
        entryStream = stream
      }
    }

    function onclose () {
      consumeCallback(error)
      if (!promiseResolve) return
      if (error) promiseReject(error)
      else promiseResolve({ value: undefined, done: true })
      promiseResolve = promiseReject = null
    }

    function destroy (err) {
      extract.destroy(err)
      consumeCallback(err)
      return new Promise((resolve, reject) => {
        if (extract.destroyed) return resolve({ value: undefined, done: true })
        extract.once('close', function () {
          if (err) reject(err)
          else resolve({ value: undefined, done: true })
        })
      })
    }
  }
}

module.exports = function extract (opts) {
  return new Extract(opts)
}

function noop () {}

function overflow (size) {
  size &= 511
  return size && 512 - size
}


/***/ }),

/***/ 428:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

const b4a = __nccwpck_require__(57)

const ZEROS = '0000000000000000000'
const SEVENS = '7777777777777777777'
const ZERO_OFFSET = '0'.charCodeAt(0)
const USTAR_MAGIC = b4a.from([0x75, 0x73, 0x74, 0x61, 0x72, 0x00]) // ustar\x00
const USTAR_VER = b4a.from([ZERO_OFFSET, ZERO_OFFSET])
const GNU_MAGIC = b4a.from([0x75, 0x73, 0x74, 0x61, 0x72, 0x20]) // ustar\x20
const GNU_VER = b4a.from([0x20, 0x00])
const MASK = 0o7777
const MAGIC_OFFSET = 257
const VERSION_OFFSET = 263

exports.decodeLongPath = function decodeLongPath (buf, encoding) {
  return decodeStr(buf, 0, buf.length, encoding)
}

exports.encodePax = function encodePax (opts) { // TODO: encode more stuff in pax
  let result = ''
  if (opts.name) result += addLength(' path=' + opts.name + '\n')
  if (opts.linkname) result += addLength(' linkpath=' + opts.linkname + '\n')
  const pax = opts.pax
  if (pax) {
    for (const key in pax) {
      result += addLength(' ' + key + '=' + pax[key] + '\n')
    }
  }
  return b4a.from(result)
}

exports.decodePax = function decodePax (buf) {
  const result = {}

  while (buf.length) {
    let i = 0
    while (i < buf.length && buf[i] !== 32) i++
    const len = parseInt(b4a.toString(buf.subarray(0, i)), 10)
    if (!len) return result

    const b = b4a.toString(buf.subarray(i + 1, len - 1))
    const keyIndex = b.indexOf('=')
    if (keyIndex === -1) return result
    result[b.slice(0, keyIndex)] = b.slice(keyIndex + 1)

    buf = buf.subarray(len)
  }

  return result
}

exports.encode = function encode (opts) {
  const buf = b4a.alloc(512)
  let name = opts.name
  let prefix = ''

  if (opts.typeflag === 5 && name[name.length - 1] !== '/') name += '/'
  if (b4a.byteLength(name) !== name.length) return null // utf-8

  while (b4a.byteLength(name) > 100) {
    const i = name.indexOf('/')
    if (i === -1) return null
    prefix += prefix ? '/' + name.slice(0, i) : name.slice(0, i)
    name = name.slice(i + 1)
  }

  if (b4a.byteLength(name) > 100 || b4a.byteLength(prefix) > 155) return null
  if (opts.linkname && b4a.byteLength(opts.linkname) > 100) return null

  b4a.write(buf, name)
  b4a.write(buf, encodeOct(opts.mode & MASK, 6), 100)
  b4a.write(buf, encodeOct(opts.uid, 6), 108)
  b4a.write(buf, encodeOct(opts.gid, 6), 116)
  encodeSize(opts.size, buf, 124)
  b4a.write(buf, encodeOct((opts.mtime.getTime() / 1000) | 0, 11), 136)

  buf[156] = ZERO_OFFSET + toTypeflag(opts.type)

  if (opts.linkname) b4a.write(buf, opts.linkname, 157)

  b4a.copy(USTAR_MAGIC, buf, MAGIC_OFFSET)
  b4a.copy(USTAR_VER, buf, VERSION_OFFSET)
  if (opts.uname) b4a.write(buf, opts.uname, 265)
  if (opts.gname) b4a.write(buf, opts.gname, 297)
  b4a.write(buf, encodeOct(opts.devmajor || 0, 6), 329)
  b4a.write(buf, encodeOct(opts.devminor || 0, 6), 337)

  if (prefix) b4a.write(buf, prefix, 345)

  b4a.write(buf, encodeOct(cksum(buf), 6), 148)

  return buf
}

exports.decode = function decode (buf, filenameEncoding, allowUnknownFormat) {
  let typeflag = buf[156] === 0 ? 0 : buf[156] - ZERO_OFFSET

  let name = decodeStr(buf, 0, 100, filenameEncoding)
  const mode = decodeOct(buf, 100, 8)
  const uid = decodeOct(buf, 108, 8)
  const gid = decodeOct(buf, 116, 8)
  const size = decodeOct(buf, 124, 12)
  const mtime = decodeOct(buf, 136, 12)
  const type = toType(typeflag)
  const linkname = buf[157] === 0 ? null : decodeStr(buf, 157, 100, filenameEncoding)
  const uname = decodeStr(buf, 265, 32)
  const gname = decodeStr(buf, 297, 32)
  const devmajor = decodeOct(buf, 329, 8)
  const devminor = decodeOct(buf, 337, 8)

  const c = cksum(buf)

  // checksum is still initial value if header was null.
  if (c === 8 * 32) return null

  // valid checksum
  if (c !== decodeOct(buf, 148, 8)) throw new Error('Invalid tar header. Maybe the tar is corrupted or it needs to be gunzipped?')

  if (isUSTAR(buf)) {
    // ustar (posix) format.
    // prepend prefix, if present.
    if (buf[345]) name = decodeStr(buf, 345, 155, filenameEncoding) + '/' + name
  } else if (isGNU(buf)) {
    // 'gnu'/'oldgnu' format. Similar to ustar, but has support for incremental and
    // multi-volume tarballs.
  } else {
    if (!allowUnknownFormat) {
      throw new Error('Invalid tar header: unknown format.')
    }
  }

  // to support old tar versions that use trailing / to indicate dirs
  if (typeflag === 0 && name && name[name.length - 1] === '/') typeflag = 5

  return {
    name,
    mode,
    uid,
    gid,
    size,
    byteOffset: 0,
    mtime: new Date(1000 * mtime),
    type,
    linkname,
    uname,
    gname,
    devmajor,
    devminor,
    pax: null
  }
}

function isUSTAR (buf) {
  return b4a.equals(USTAR_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6))
}

function isGNU (buf) {
  return b4a.equals(GNU_MAGIC, buf.subarray(MAGIC_OFFSET, MAGIC_OFFSET + 6)) &&
    b4a.equals(GNU_VER, buf.subarray(VERSION_OFFSET, VERSION_OFFSET + 2))
}

function clamp (index, len, defaultValue) {
  if (typeof index !== 'number') return defaultValue
  index = ~~index // Coerce to integer.
  if (index >= len) return len
  if (index >= 0) return index
  index += len
  if (index >= 0) return index
  return 0
}

function toType (flag) {
  switch (flag) {
    case 0:
      return 'file'
    case 1:
      return 'link'
    case 2:
      return 'symlink'
    case 3:
      return 'character-device'
    case 4:
      return 'block-device'
    case 5:
      return 'directory'
    case 6:
      return 'fifo'
    case 7:
      return 'contiguous-file'
    case 72:
      return 'pax-header'
    case 55:
      return 'pax-global-header'
    case 27:
      return 'gnu-long-link-path'
    case 28:
    case 30:
      return 'gnu-long-path'
  }

  return null
}

function toTypeflag (flag) {
  switch (flag) {
    case 'file':
      return 0
    case 'link':
      return 1
    case 'symlink':
      return 2
    case 'character-device':
      return 3
    case 'block-device':
      return 4
    case 'directory':
      return 5
    case 'fifo':
      return 6
    case 'contiguous-file':
      return 7
    case 'pax-header':
      return 72
  }

  return 0
}

function indexOf (block, num, offset, end) {
  for (; offset < end; offset++) {
    if (block[offset] === num) return offset
  }
  return end
}

function cksum (block) {
  let sum = 8 * 32
  for (let i = 0; i < 148; i++) sum += block[i]
  for (let j = 156; j < 512; j++) sum += block[j]
  return sum
}

function encodeOct (val, n) {
  val = val.toString(8)
  if (val.length > n) return SEVENS.slice(0, n) + ' '
  return ZEROS.slice(0, n - val.length) + val + ' '
}

function encodeSizeBin (num, buf, off) {
  buf[off] = 0x80
  for (let i = 11; i > 0; i--) {
    buf[off + i] = num & 0xff
    num = Math.floor(num / 0x100)
  }
}

function encodeSize (num, buf, off) {
  if (num.toString(8).length > 11) {
    encodeSizeBin(num, buf, off)
  } else {
    b4a.write(buf, encodeOct(num, 11), off)
  }
}

/* Copied from the node-tar repo and modified to meet
 * tar-stream coding standard.
 *
 * Source: https://github.com/npm/node-tar/blob/51b6627a1f357d2eb433e7378e5f05e83b7aa6cd/lib/header.js#L349
 */
function parse256 (buf) {
  // first byte MUST be either 80 or FF
  // 80 for positive, FF for 2's comp
  let positive
  if (buf[0] === 0x80) positive = true
  else if (buf[0] === 0xFF) positive = false
  else return null

  // build up a base-256 tuple from the least sig to the highest
  const tuple = []
  let i
  for (i = buf.length - 1; i > 0; i--) {
    const byte = buf[i]
    if (positive) tuple.push(byte)
    else tuple.push(0xFF - byte)
  }

  let sum = 0
  const l = tuple.length
  for (i = 0; i < l; i++) {
    sum += tuple[i] * Math.pow(256, i)
  }

  return positive ? sum : -1 * sum
}

function decodeOct (val, offset, length) {
  val = val.subarray(offset, offset + length)
  offset = 0

  // If prefixed with 0x80 then parse as a base-256 integer
  if (val[offset] & 0x80) {
    return parse256(val)
  } else {
    // Older versions of tar can prefix with spaces
    while (offset < val.length && val[offset] === 32) offset++
    const end = clamp(indexOf(val, 32, offset, val.length), val.length, val.length)
    while (offset < end && val[offset] === 0) offset++
    if (end === offset) return 0
    return parseInt(b4a.toString(val.subarray(offset, end)), 8)
  }
}

function decodeStr (val, offset, length, encoding) {
  return b4a.toString(val.subarray(offset, indexOf(val, 0, offset, offset + length)), encoding)
}

function addLength (str) {
  const len = b4a.byteLength(str)
  let digits = Math.floor(Math.log(len) / Math.log(10)) + 1
  if (len + digits >= Math.pow(10, digits)) digits++

  return (len + digits) + str
}


/***/ }),

/***/ 118:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

exports.extract = __nccwpck_require__(763)
exports.pack = __nccwpck_require__(861)


/***/ }),

/***/ 861:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const { Readable, Writable, getStreamError } = __nccwpck_require__(204)
const b4a = __nccwpck_require__(57)

const constants = __nccwpck_require__(775)
const headers = __nccwpck_require__(428)

const DMODE = 0o755
const FMODE = 0o644

const END_OF_TAR = b4a.alloc(1024)

class Sink extends Writable {
  constructor (pack, header, callback) {
    super({ mapWritable, eagerOpen: true })

    this.written = 0
    this.header = header

    this._callback = callback
    this._linkname = null
    this._isLinkname = header.type === 'symlink' && !header.linkname
    this._isVoid = header.type !== 'file' && header.type !== 'contiguous-file'
    this._finished = false
    this._pack = pack
    this._openCallback = null

    if (this._pack._stream === null) this._pack._stream = this
    else this._pack._pending.push(this)
  }

  _open (cb) {
    this._openCallback = cb
    if (this._pack._stream === this) this._continueOpen()
  }

  _continuePack (err) {
    if (this._callback === null) return

    const callback = this._callback
    this._callback = null

    callback(err)
  }

  _continueOpen () {
    if (this._pack._stream === null) this._pack._stream = this

    const cb = this._openCallback
    this._openCallback = null
    if (cb === null) return

    if (this._pack.destroying) return cb(new Error('pack stream destroyed'))
    if (this._pack._finalized) return cb(new Error('pack stream is already finalized'))

    this._pack._stream = this

    if (!this._isLinkname) {
      this._pack._encode(this.header)
    }

    if (this._isVoid) {
      this._finish()
      this._continuePack(null)
    }

    cb(null)
  }

  _write (data, cb) {
    if (this._isLinkname) {
      this._linkname = this._linkname ? b4a.concat([this._linkname, data]) : data
      return cb(null)
    }

    if (this._isVoid) {
      if (data.byteLength > 0) {
        return cb(new Error('No body allowed for this entry'))
      }
      return cb()
    }

    this.written += data.byteLength
    if (this._pack.push(data)) return cb()
    this._pack._drain = cb
  }

  _finish () {
    if (this._finished) return
    this._finished = true

    if (this._isLinkname) {
      this.header.linkname = this._linkname ? b4a.toString(this._linkname, 'utf-8') : ''
      this._pack._encode(this.header)
    }

    overflow(this._pack, this.header.size)

    this._pack._done(this)
  }

  _final (cb) {
    if (this.written !== this.header.size) { // corrupting tar
      return cb(new Error('Size mismatch'))
    }

    this._finish()
    cb(null)
  }

  _getError () {
    return getStreamError(this) || new Error('tar entry destroyed')
  }

  _predestroy () {
    this._pack.destroy(this._getError())
  }

  _destroy (cb) {
    this._pack._done(this)

    this._continuePack(this._finished ? null : this._getError())

    cb()
  }
}

class Pack extends Readable {
  constructor (opts) {
    super(opts)
    this._drain = noop
    this._finalized = false
    this._finalizing = false
    this._pending = []
    this._stream = null
  }

  entry (header, buffer, callback) {
    if (this._finalized || this.destroying) throw new Error('already finalized or destroyed')

    if (typeof buffer === 'function') {
      callback = buffer
      buffer = null
    }

    if (!callback) callback = noop

    if (!header.size || header.type === 'symlink') header.size = 0
    if (!header.type) header.type = modeToType(header.mode)
    if (!header.mode) header.mode = header.type === 'directory' ? DMODE : FMODE
    if (!header.uid) header.uid = 0
    if (!header.gid) header.gid = 0
    if (!header.mtime) header.mtime = new Date()

    if (typeof buffer === 'string') buffer = b4a.from(buffer)

    const sink = new Sink(this, header, callback)

    if (b4a.isBuffer(buffer)) {
      header.size = buffer.byteLength
      sink.write(buffer)
      sink.end()
      return sink
    }

    if (sink._isVoid) {
      return sink
    }

    return sink
  }

  finalize () {
    if (this._stream || this._pending.length > 0) {
      this._finalizing = true
      return
    }

    if (this._finalized) return
    this._finalized = true

    this.push(END_OF_TAR)
    this.push(null)
  }

  _done (stream) {
    if (stream !== this._stream) return

    this._stream = null

    if (this._finalizing) this.finalize()
    if (this._pending.length) this._pending.shift()._continueOpen()
  }

  _encode (header) {
    if (!header.pax) {
      const buf = headers.encode(header)
      if (buf) {
        this.push(buf)
        return
      }
    }
    this._encodePax(header)
  }

  _encodePax (header) {
    const paxHeader = headers.encodePax({
      name: header.name,
      linkname: header.linkname,
      pax: header.pax
    })

    const newHeader = {
      name: 'PaxHeader',
      mode: header.mode,
      uid: header.uid,
      gid: header.gid,
      size: paxHeader.byteLength,
      mtime: header.mtime,
      type: 'pax-header',
      linkname: header.linkname && 'PaxHeader',
      uname: header.uname,
      gname: header.gname,
      devmajor: header.devmajor,
      devminor: header.devminor
    }

    this.push(headers.encode(newHeader))
    this.push(paxHeader)
    overflow(this, paxHeader.byteLength)

    newHeader.size = header.size
    newHeader.type = header.type
    this.push(headers.encode(newHeader))
  }

  _doDrain () {
    const drain = this._drain
    this._drain = noop
    drain()
  }

  _predestroy () {
    const err = getStreamError(this)

    if (this._stream) this._stream.destroy(err)

    while (this._pending.length) {
      const stream = this._pending.shift()
      stream.destroy(err)
      stream._continueOpen()
    }

    this._doDrain()
  }

  _read (cb) {
    this._doDrain()
    cb()
  }
}

module.exports = function pack (opts) {
  return new Pack(opts)
}

function modeToType (mode) {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFBLK: return 'block-device'
    case constants.S_IFCHR: return 'character-device'
    case constants.S_IFDIR: return 'directory'
    case constants.S_IFIFO: return 'fifo'
    case constants.S_IFLNK: return 'symlink'
  }

  return 'file'
}

function noop () {}

function overflow (self, size) {
  size &= 511
  if (size) self.push(END_OF_TAR.subarray(0, 512 - size))
}

function mapWritable (buf) {
  return b4a.isBuffer(buf) ? buf : b4a.from(buf)
}


/***/ }),

/***/ 934:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const PassThroughDecoder = __nccwpck_require__(256)
const UTF8Decoder = __nccwpck_require__(414)

module.exports = class TextDecoder {
  constructor(encoding = 'utf8') {
    this.encoding = normalizeEncoding(encoding)

    switch (this.encoding) {
      case 'utf8':
        this.decoder = new UTF8Decoder()
        break
      case 'utf16le':
      case 'base64':
        throw new Error('Unsupported encoding: ' + this.encoding)
      default:
        this.decoder = new PassThroughDecoder(this.encoding)
    }
  }

  get remaining() {
    return this.decoder.remaining
  }

  push(data) {
    if (typeof data === 'string') return data
    return this.decoder.decode(data)
  }

  // For Node.js compatibility
  write(data) {
    return this.push(data)
  }

  end(data) {
    let result = ''
    if (data) result = this.push(data)
    result += this.decoder.flush()
    return result
  }
}

function normalizeEncoding(encoding) {
  encoding = encoding.toLowerCase()

  switch (encoding) {
    case 'utf8':
    case 'utf-8':
      return 'utf8'
    case 'ucs2':
    case 'ucs-2':
    case 'utf16le':
    case 'utf-16le':
      return 'utf16le'
    case 'latin1':
    case 'binary':
      return 'latin1'
    case 'base64':
    case 'ascii':
    case 'hex':
      return encoding
    default:
      throw new Error('Unknown encoding: ' + encoding)
  }
}


/***/ }),

/***/ 256:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const b4a = __nccwpck_require__(57)

module.exports = class PassThroughDecoder {
  constructor(encoding) {
    this.encoding = encoding
  }

  get remaining() {
    return 0
  }

  decode(data) {
    return b4a.toString(data, this.encoding)
  }

  flush() {
    return ''
  }
}


/***/ }),

/***/ 414:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

const b4a = __nccwpck_require__(57)

/**
 * https://encoding.spec.whatwg.org/#utf-8-decoder
 */
module.exports = class UTF8Decoder {
  constructor() {
    this._reset()
  }

  get remaining() {
    return this.bytesSeen
  }

  decode(data) {
    if (data.byteLength === 0) return ''

    if (this.bytesNeeded === 0 && trailingIncomplete(data, 0) === 0) {
      this.bytesSeen = trailingBytesSeen(data)
      return b4a.toString(data, 'utf8')
    }

    let result = ''
    let start = 0

    if (this.bytesNeeded > 0) {
      while (start < data.byteLength) {
        const byte = data[start]

        if (byte < this.lowerBoundary || byte > this.upperBoundary) {
          result += '\ufffd'
          this._reset()
          break
        }

        this.lowerBoundary = 0x80
        this.upperBoundary = 0xbf
        this.codePoint = (this.codePoint << 6) | (byte & 0x3f)
        this.bytesSeen++
        start++

        if (this.bytesSeen === this.bytesNeeded) {
          result += String.fromCodePoint(this.codePoint)
          this._reset()
          break
        }
      }

      if (this.bytesNeeded > 0) return result
    }

    const trailing = trailingIncomplete(data, start)
    const end = data.byteLength - trailing

    if (end > start) result += b4a.toString(data, 'utf8', start, end)

    for (let i = end; i < data.byteLength; i++) {
      const byte = data[i]

      if (this.bytesNeeded === 0) {
        if (byte <= 0x7f) {
          this.bytesSeen = 0
          result += String.fromCharCode(byte)
        } else if (byte >= 0xc2 && byte <= 0xdf) {
          this.bytesNeeded = 2
          this.bytesSeen = 1
          this.codePoint = byte & 0x1f
        } else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) this.lowerBoundary = 0xa0
          else if (byte === 0xed) this.upperBoundary = 0x9f
          this.bytesNeeded = 3
          this.bytesSeen = 1
          this.codePoint = byte & 0xf
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) this.lowerBoundary = 0x90
          else if (byte === 0xf4) this.upperBoundary = 0x8f
          this.bytesNeeded = 4
          this.bytesSeen = 1
          this.codePoint = byte & 0x7
        } else {
          this.bytesSeen = 1
          result += '\ufffd'
        }

        continue
      }

      if (byte < this.lowerBoundary || byte > this.upperBoundary) {
        result += '\ufffd'
        i--
        this._reset()

        continue
      }

      this.lowerBoundary = 0x80
      this.upperBoundary = 0xbf

      this.codePoint = (this.codePoint << 6) | (byte & 0x3f)
      this.bytesSeen++

      if (this.bytesSeen === this.bytesNeeded) {
        result += String.fromCodePoint(this.codePoint)
        this._reset()
      }
    }

    return result
  }

  flush() {
    const result = this.bytesNeeded > 0 ? '\ufffd' : ''
    this._reset()
    return result
  }

  _reset() {
    this.codePoint = 0
    this.bytesNeeded = 0
    this.bytesSeen = 0
    this.lowerBoundary = 0x80
    this.upperBoundary = 0xbf
  }
}

function trailingIncomplete(data, start) {
  const len = data.byteLength
  if (len <= start) return 0

  const limit = Math.max(start, len - 4)

  let i = len - 1
  while (i > limit && (data[i] & 0xc0) === 0x80) i--

  if (i < start) return 0

  const byte = data[i]

  let needed
  if (byte <= 0x7f) return 0
  if (byte >= 0xc2 && byte <= 0xdf) needed = 2
  else if (byte >= 0xe0 && byte <= 0xef) needed = 3
  else if (byte >= 0xf0 && byte <= 0xf4) needed = 4
  else return 0

  const available = len - i
  return available < needed ? available : 0
}

function trailingBytesSeen(data) {
  const len = data.byteLength
  if (len === 0) return 0

  const last = data[len - 1]

  if (last <= 0x7f) return 0
  if ((last & 0xc0) !== 0x80) return 1

  const limit = Math.max(0, len - 4)

  let i = len - 2
  while (i >= limit && (data[i] & 0xc0) === 0x80) i--

  if (i < 0) return 1

  const first = data[i]

  let needed
  if (first >= 0xc2 && first <= 0xdf) needed = 2
  else if (first >= 0xe0 && first <= 0xef) needed = 3
  else if (first >= 0xf0 && first <= 0xf4) needed = 4
  else return 1

  if (len - i !== needed) return 1

  if (needed >= 3) {
    const second = data[i + 1]
    if (first === 0xe0 && second < 0xa0) return 1
    if (first === 0xed && second > 0x9f) return 1
    if (first === 0xf0 && second < 0x90) return 1
    if (first === 0xf4 && second > 0x8f) return 1
  }

  return 0
}


/***/ }),

/***/ 565:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__.p + "93c89f0fc2e37e13bd21.js?../package.json";

/***/ }),

/***/ 434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 75:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 340:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  j: () => (/* binding */ build)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __nccwpck_require__(455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./build/image/source.js + 5 modules
var image_source = __nccwpck_require__(54);
// EXTERNAL MODULE: ./build/image/platform.js
var image_platform = __nccwpck_require__(847);
// EXTERNAL MODULE: ./build/image/types.js
var types = __nccwpck_require__(107);
// EXTERNAL MODULE: ./node_modules/tar-stream/index.js
var tar_stream = __nccwpck_require__(118);
// EXTERNAL MODULE: ./build/errors.js
var errors = __nccwpck_require__(473);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(75);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __nccwpck_require__(522);
// EXTERNAL MODULE: ./build/image/digest.js
var digest = __nccwpck_require__(436);
;// CONCATENATED MODULE: ./build/image/zstd-frames.js
// A streaming splitter for the zstd frame format (RFC 8878 §3.1): finds where each frame starts and ends
// so every frame can go to its own decoder (Node's zstd decoder stops after the first frame), and drops
// skippable frames. It only walks headers and block sizes; it never decodes block contents.
/** Little-endian magic of a zstd frame (bytes 28 b5 2f fd). */
const ZSTD_MAGIC = 0xfd2fb528;
/** Skippable frames use any magic 0x184D2A50..0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
// Frame_Header_Descriptor bits.
const FHD_FCS_FLAG_SHIFT = 6;
const FHD_SINGLE_SEGMENT = 0x20;
const FHD_RESERVED = 0x08;
const FHD_CHECKSUM = 0x04;
const FHD_DICT_ID_FLAG = 0x03;
const DICT_ID_SIZES = [0, 1, 2, 4];
const FCS_SIZES = [0, 2, 4, 8];
const BLOCK_HEADER_SIZE = 3;
const BLOCK_TYPE_RAW = 0;
const BLOCK_TYPE_RLE = 1;
const BLOCK_TYPE_COMPRESSED = 2;
const CHECKSUM_SIZE = 4;
/** The largest block the format allows (Block_Maximum_Size ≤ 128 KiB). */
const BLOCK_MAX = 128 << 10;
/** Thrown for bytes that are not a sequence of zstd frames; `offset` is where in the stream. */
class ZstdFormatError extends Error {
    offset;
    constructor(message, offset) {
        super(`${message} at byte ${offset}`);
        this.name = 'ZstdFormatError';
        this.offset = offset;
    }
}
/**
 * Incremental splitter: push() chunks as they arrive, get back the events they complete; end() when the
 * input ends (throws if it ends inside a frame). Data events reference the pushed chunk where possible.
 */
class ZstdFrameSplitter {
    #state = { s: 'magic' };
    /** Bytes of a fixed-size field collected across chunk boundaries. */
    #field = new Uint8Array(16);
    #fieldHave = 0;
    #fieldNeed = 4;
    #checksum = false;
    #offset = 0;
    push(chunk) {
        const events = [];
        let i = 0;
        while (i < chunk.length) {
            const st = this.#state;
            if (st.s === 'skip-payload' || st.s === 'block-body') {
                const n = Math.min(st.left, chunk.length - i);
                if (st.s === 'block-body')
                    events.push({ type: 'data', bytes: chunk.subarray(i, i + n) });
                i += n;
                this.#offset += n;
                st.left -= n;
                if (st.left === 0)
                    this.#afterBody(st, events);
                continue;
            }
            const n = Math.min(this.#fieldNeed - this.#fieldHave, chunk.length - i);
            this.#field.set(chunk.subarray(i, i + n), this.#fieldHave);
            this.#fieldHave += n;
            i += n;
            this.#offset += n;
            if (this.#fieldHave === this.#fieldNeed)
                this.#onField(events);
        }
        return events;
    }
    /** The input ended: throws ZstdFormatError unless it ended between frames. */
    end() {
        if (this.#state.s !== 'magic' || this.#fieldHave !== 0) {
            throw new ZstdFormatError('zstd stream truncated inside a frame', this.#offset);
        }
    }
    #expect(state, need) {
        this.#state = state;
        this.#fieldHave = 0;
        this.#fieldNeed = need;
    }
    #fieldBytes() {
        return this.#field.slice(0, this.#fieldNeed);
    }
    #afterBody(st, events) {
        if (st.s === 'skip-payload')
            this.#expect({ s: 'magic' }, 4);
        else
            this.#afterBlock(st.last, events);
    }
    #afterBlock(last, events) {
        if (!last)
            this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
        else if (this.#checksum)
            this.#expect({ s: 'checksum' }, CHECKSUM_SIZE);
        else
            this.#endFrame(events);
    }
    #endFrame(events) {
        events.push({ type: 'frame-end' });
        this.#expect({ s: 'magic' }, 4);
    }
    #onField(events) {
        const f = this.#field;
        const st = this.#state;
        const at = this.#offset - this.#fieldNeed;
        switch (st.s) {
            case 'magic': {
                const magic = (f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24)) >>> 0;
                if (magic === ZSTD_MAGIC) {
                    events.push({ type: 'frame-start' }, { type: 'data', bytes: this.#fieldBytes() });
                    this.#expect({ s: 'fhd' }, 1);
                }
                else if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
                    this.#expect({ s: 'skip-size' }, 4);
                }
                else {
                    throw new ZstdFormatError(`not a zstd frame (magic 0x${magic.toString(16).padStart(8, '0')})`, at);
                }
                return;
            }
            case 'skip-size': {
                const size = (f[0] | (f[1] << 8) | (f[2] << 16) | (f[3] << 24)) >>> 0;
                if (size === 0)
                    this.#expect({ s: 'magic' }, 4);
                else
                    this.#expect({ s: 'skip-payload', left: size }, 0);
                return;
            }
            case 'fhd': {
                const fhd = f[0];
                if (fhd & FHD_RESERVED)
                    throw new ZstdFormatError('zstd frame header has the reserved bit set', at);
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                this.#checksum = (fhd & FHD_CHECKSUM) !== 0;
                const single = (fhd & FHD_SINGLE_SEGMENT) !== 0;
                const fcsFlag = fhd >> FHD_FCS_FLAG_SHIFT;
                // With Single_Segment set and FCS flag 0 the content size still takes one byte.
                const fcsSize = fcsFlag === 0 && single ? 1 : FCS_SIZES[fcsFlag];
                const rest = (single ? 0 : 1) + DICT_ID_SIZES[fhd & FHD_DICT_ID_FLAG] + fcsSize;
                if (rest === 0)
                    this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
                else
                    this.#expect({ s: 'header-rest', fhd }, rest);
                return;
            }
            case 'header-rest':
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                this.#expect({ s: 'block-header' }, BLOCK_HEADER_SIZE);
                return;
            case 'block-header': {
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                const header = f[0] | (f[1] << 8) | (f[2] << 16);
                const last = (header & 1) === 1;
                const type = (header >> 1) & 3;
                const size = header >>> 3;
                if (size > BLOCK_MAX)
                    throw new ZstdFormatError(`zstd block of ${size} bytes exceeds 128 KiB`, at);
                let body;
                if (type === BLOCK_TYPE_RAW || type === BLOCK_TYPE_COMPRESSED)
                    body = size;
                else if (type === BLOCK_TYPE_RLE)
                    body = 1;
                else
                    throw new ZstdFormatError('zstd block has the reserved block type', at);
                if (body === 0)
                    this.#afterBlock(last, events);
                else
                    this.#expect({ s: 'block-body', left: body, last }, 0);
                return;
            }
            case 'checksum':
                events.push({ type: 'data', bytes: this.#fieldBytes() });
                this.#endFrame(events);
                return;
            default:
                return;
        }
    }
}

;// CONCATENATED MODULE: ./build/image/decompress.js
// A layer's bytes as an uncompressed tar stream. The compressed stream is always read to its end, so the
// digest check in Layer.open() runs even when the tar ends early, and a digest mismatch is what gets
// reported whenever the stored bytes are wrong (a decode error on bytes that fail their digest says less).





/**
 * Decodes a stream of concatenated zstd frames (skippable frames dropped), each frame by its own Node
 * decoder, in order, with backpressure: a paused reader pauses the frame decoder, which stops taking input.
 */
class ZstdMultiFrameDecompress extends external_node_stream_.Duplex {
    #splitter = new ZstdFrameSplitter();
    #frame = null;
    #frameDone = null;
    _read() {
        this.#frame?.resume();
    }
    _write(chunk, _encoding, callback) {
        this.#feed(chunk).then(() => callback(), callback);
    }
    _final(callback) {
        try {
            this.#splitter.end();
        }
        catch (e) {
            callback(e);
            return;
        }
        this.push(null);
        callback();
    }
    _destroy(error, callback) {
        this.#frame?.destroy();
        callback(error);
    }
    async #feed(chunk) {
        for (const ev of this.#splitter.push(chunk)) {
            if (ev.type === 'frame-start') {
                this.#startFrame();
            }
            else if (ev.type === 'data') {
                const frame = this.#frame;
                if (!frame.write(ev.bytes))
                    await this.#whenDrained(frame);
            }
            else {
                this.#frame.end();
                await this.#frameDone;
                this.#frame = null;
                this.#frameDone = null;
            }
        }
    }
    #startFrame() {
        const frame = (0,external_node_zlib_.createZstdDecompress)();
        this.#frame = frame;
        frame.on('data', (out) => {
            if (!this.push(out))
                frame.pause();
        });
        this.#frameDone = new Promise((resolve, reject) => {
            frame.once('end', resolve);
            frame.once('error', reject);
        });
        // The rejection is observed by whoever awaits next (drain or frame end); keep it from being "unhandled".
        this.#frameDone.catch(() => { });
    }
    #whenDrained(frame) {
        return new Promise((resolve, reject) => {
            const done = (err) => {
                frame.off('drain', onDrain);
                frame.off('error', done);
                if (err)
                    reject(err);
                else
                    resolve();
            };
            const onDrain = () => done();
            frame.once('drain', onDrain);
            frame.once('error', done);
        });
    }
}
function decoderFor(compression) {
    switch (compression) {
        case 'gzip':
            return (0,external_node_zlib_.createGunzip)();
        case 'zstd':
            return new ZstdMultiFrameDecompress();
        case 'none':
            return new external_node_stream_.PassThrough();
    }
}
/**
 * The uncompressed tar of `layer`. The stream ends only after the stored bytes were read to their end and
 * verified; it errors with the layer's DigestMismatchError when they fail verification (even when decoding
 * failed first), else with BAD_LAYER naming the layer when they cannot be decoded.
 */
function openLayerTar(layer) {
    const src = layer.open();
    const decoder = decoderFor(layer.compression);
    const out = new external_node_stream_.PassThrough();
    let failed = false;
    const fail = (err) => {
        if (failed)
            return;
        failed = true;
        decoder.destroy();
        out.destroy(err);
    };
    src.on('error', (err) => {
        // The stored bytes are wrong or unreadable: that outranks whatever the decoder said about them.
        fail((0,errors/* isInitramfsError */._e)(err) ? err : new errors/* InitramfsError */.sp('IO', `layer ${layer.digest}: ${err.message}`, { cause: err }));
    });
    decoder.on('error', (err) => {
        if (failed)
            return;
        const bad = new errors/* InitramfsError */.sp('BAD_LAYER', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: ${layer.compression} stream is corrupt or truncated (${err.message})`, { cause: err });
        if (src.readableEnded) {
            fail(bad);
            return;
        }
        // Keep reading the stored bytes to their end: if they fail their digest, that is the error to report.
        src.unpipe(decoder);
        src.on('end', () => fail(bad));
        src.resume();
    });
    // A consumer that gives up early must not leave the blob's file open.
    out.once('close', () => {
        if (!src.readableEnded)
            src.destroy();
    });
    src.pipe(decoder);
    decoder.pipe(out);
    return out;
}

// EXTERNAL MODULE: ./build/image/tar-index.js
var tar_index = __nccwpck_require__(236);
;// CONCATENATED MODULE: ./build/image/read-layer.js
// Reads one layer into LayerEntry records, in tar order, spooling regular files' bytes. Names and link
// targets stay byte strings. Entry types a rootfs cannot hold (GNU sparse files, volume labels, …) fail
// with UNSUPPORTED rather than being dropped: a silently missing file makes a broken initramfs.





const TYPES = {
    file: 'file',
    'contiguous-file': 'file',
    link: 'hardlink',
    symlink: 'symlink',
    directory: 'dir',
    'character-device': 'char',
    'block-device': 'block',
    fifo: 'fifo',
};
/**
 * tar-stream decodes pax records as UTF-8, which turns a non-UTF-8 `path` (Go's archive/tar and GNU tar
 * with hdrcharset=BINARY write raw bytes there) into U+FFFD. Its extractor decodes long headers in one
 * overridable method; replacing it on our instance keeps every pax value as its bytes (a byte string).
 */
function keepPaxBytes(extract) {
    const ex = extract;
    const original = ex._decodeLongHeader;
    if (typeof original !== 'function')
        throw new Error('tar-stream internals changed: _decodeLongHeader is gone');
    ex._decodeLongHeader = function (buf) {
        const type = this._header?.type;
        if (type === 'pax-header') {
            this._pax = { ...(this._paxGlobal ?? {}), ...Object.fromEntries((0,tar_index/* decodePaxRecords */.cO)(buf)) };
        }
        else if (type === 'pax-global-header') {
            this._paxGlobal = { ...(this._paxGlobal ?? {}), ...Object.fromEntries((0,tar_index/* decodePaxRecords */.cO)(buf)) };
        }
        else {
            original.call(this, buf);
        }
    };
}
const PAX_NUMBER = /^-?\d+(\.\d*)?$/;
/** A pax numeric record (uid, gid, mtime) as an integer, fractions truncated toward zero. */
function paxInteger(value, key, name, layer) {
    if (!PAX_NUMBER.test(value)) {
        throw new errors/* InitramfsError */.sp('BAD_LAYER', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: entry "${name}" has pax ${key}=${JSON.stringify(value)}, not a number`);
    }
    const n = Number.parseInt(value, 10);
    return Object.is(n, -0) ? 0 : n;
}
function toEntry(h, layer) {
    const pax = h.pax ?? {};
    const name = pax.path ?? h.name;
    const type = h.type ? TYPES[h.type] : undefined;
    if (type === undefined) {
        throw new errors/* InitramfsError */.sp('UNSUPPORTED', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: entry "${Buffer.from(name, 'latin1').toString('utf8')}" has a tar entry type this tool does not read (GNU sparse file, volume label or similar)`);
    }
    const entry = {
        name,
        type,
        mode: (h.mode ?? 0) & 0o7777,
        uid: pax.uid !== undefined ? paxInteger(pax.uid, 'uid', name, layer) : (h.uid ?? 0),
        gid: pax.gid !== undefined ? paxInteger(pax.gid, 'gid', name, layer) : (h.gid ?? 0),
        mtime: pax.mtime !== undefined
            ? paxInteger(pax.mtime, 'mtime', name, layer)
            : Math.trunc((h.mtime?.getTime() ?? 0) / 1000),
        size: type === 'file' ? (h.size ?? 0) : 0,
    };
    if (type === 'symlink' || type === 'hardlink') {
        entry.linkname = pax.linkpath ?? h.linkname ?? '';
    }
    if (type === 'char' || type === 'block') {
        entry.devMajor = h.devmajor ?? 0;
        entry.devMinor = h.devminor ?? 0;
    }
    return entry;
}
const badLayer = (layer, err) => (0,errors/* isInitramfsError */._e)(err)
    ? err
    : new errors/* InitramfsError */.sp('BAD_LAYER', `layer ${(0,digest/* shortDigest */.VK)(layer.digest)}: tar is corrupt or truncated (${err.message})`, { cause: err });
/**
 * All entries of `layer`'s tar, in tar order (whiteouts included as ordinary entries), with regular files'
 * bytes appended to `spool`. Rejects with the layer's DigestMismatchError when its bytes fail verification
 * (that wins over any tar error, since the stream is always read to its end first), BAD_LAYER for a corrupt
 * or truncated stream, UNSUPPORTED for an entry type outside LayerEntryType.
 */
async function readLayer(layer, spool) {
    const stream = openLayerTar(layer);
    // latin1 keeps ustar and GNU long names as their bytes; allowUnknownFormat accepts pre-POSIX (v7) tars,
    // whose headers are still checksummed.
    // (tar-stream's own typings omit these two options, which its extractor reads.)
    const extract = tar_stream.extract({ filenameEncoding: 'latin1', allowUnknownFormat: true });
    keepPaxBytes(extract);
    const entries = [];
    let tarError;
    extract.on('entry', (header, body, next) => {
        // The body is destroyed along with the extractor on any error; that error is reported via the extractor.
        body.on('error', () => { });
        let entry;
        try {
            entry = toEntry(header, layer);
        }
        catch (e) {
            next(e);
            return;
        }
        entries.push(entry);
        let remaining = entry.type === 'file' ? entry.size : 0;
        body.on('data', (data) => {
            const chunk = data;
            // Only a regular file's bytes are content; anything else a header claims is skipped.
            if (remaining <= 0)
                return;
            const part = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
            const at = spool.append(part);
            if (entry.data === undefined)
                entry.data = { kind: 'spool', spool, offset: at };
            remaining -= part.length;
        });
        body.on('end', () => next());
    });
    extract.on('error', (e) => {
        tarError ??= e;
    });
    const closed = new Promise((resolve) => {
        extract.on('finish', () => resolve());
        extract.on('close', () => resolve());
    });
    for await (const chunk of stream) {
        // After a tar error, keep draining: the digest check at the end of the stream may have more to say.
        if (tarError !== undefined || extract.destroyed)
            continue;
        if (!extract.write(chunk)) {
            await new Promise((resolve) => {
                const done = () => {
                    extract.off('drain', done);
                    extract.off('close', done);
                    resolve();
                };
                // (streamx emits 'drain' and 'close' without arguments.)
                extract.on('drain', done);
                extract.on('close', done);
            });
        }
    }
    if (tarError === undefined && !extract.destroyed)
        extract.end(undefined);
    await closed;
    if (tarError !== undefined)
        throw badLayer(layer, tarError);
    return entries;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: ./build/image/spool.js
// A spool file holds the bytes of one layer's regular files, appended in tar order, so the archive writer
// can read them back in any order without decompressing the layer twice. It lives in the tool's cache
// (a private temporary directory) and is deleted when the build ends.

const FLUSH_AT = 4 << 20;
class SpoolFile {
    path;
    #fd;
    #size = 0;
    #pending = [];
    #pendingBytes = 0;
    #closed = false;
    constructor(path) {
        this.path = path;
        // 0o600: the spool holds image content; nobody else on the machine needs to read it.
        this.#fd = (0,external_node_fs_.openSync)(path, 'wx+', 0o600);
    }
    /** Total bytes appended so far; the offset the next append starts at. */
    get size() {
        return this.#size;
    }
    /** Appends bytes and returns the offset they start at. */
    append(chunk) {
        const at = this.#size;
        this.#pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        this.#pendingBytes += chunk.byteLength;
        this.#size += chunk.byteLength;
        if (this.#pendingBytes >= FLUSH_AT)
            this.flush();
        return at;
    }
    flush() {
        if (this.#pendingBytes === 0)
            return;
        const buf = this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending, this.#pendingBytes);
        let off = 0;
        while (off < buf.length)
            off += (0,external_node_fs_.writeSync)(this.#fd, buf, off, buf.length - off);
        this.#pending = [];
        this.#pendingBytes = 0;
    }
    /** Reads exactly `length` bytes at `offset` into `target` (at `targetOffset`). */
    readInto(target, targetOffset, offset, length) {
        this.flush();
        let done = 0;
        while (done < length) {
            const n = (0,external_node_fs_.readSync)(this.#fd, target, targetOffset + done, length - done, offset + done);
            if (n === 0)
                throw new Error(`spool ${this.path}: short read at ${offset + done}`);
            done += n;
        }
    }
    /** Closes and deletes the spool. Safe to call twice. */
    dispose() {
        if (this.#closed)
            return;
        this.#closed = true;
        (0,external_node_fs_.closeSync)(this.#fd);
        try {
            (0,external_node_fs_.unlinkSync)(this.path);
        }
        catch {
            // already gone with its directory
        }
    }
}

// EXTERNAL MODULE: ./build/rootfs/node.js
var node = __nccwpck_require__(984);
// EXTERNAL MODULE: ./build/rootfs/path.js
var path = __nccwpck_require__(195);
// EXTERNAL MODULE: ./build/rootfs/tree.js
var tree = __nccwpck_require__(244);
;// CONCATENATED MODULE: ./build/rootfs/whiteout.js
// OCI whiteouts (image-spec layer.md): what a layer entry's base name says about lower layers. Pure.
// `.wh..wh..opq` makes its directory opaque; `.wh.NAME` deletes NAME; any other `.wh..wh.*` name is
// reserved by the spec and ignored. None of them is ever a file in the rootfs.
const WHITEOUT_PREFIX = '.wh.';
const RESERVED_PREFIX = '.wh..wh.';
const OPAQUE_MARKER = '.wh..wh..opq';
/** Classify an entry's base name (byte string). */
function classifyWhiteout(base) {
    // The opaque marker also starts with the generic prefix, so it must be recognised first: testing the
    // prefix first turns `.wh..wh..opq` into "delete `.wh..opq`" and the directory is never made opaque.
    if (base === OPAQUE_MARKER)
        return { kind: 'opaque' };
    if (base.startsWith(RESERVED_PREFIX))
        return { kind: 'ignored' };
    if (!base.startsWith(WHITEOUT_PREFIX))
        return { kind: 'none' };
    const name = base.slice(WHITEOUT_PREFIX.length);
    // `.wh.` and `.wh..` would name the directory itself: no layer tool writes them.
    if (name === '' || name === '.')
        return { kind: 'ignored' };
    return { kind: 'delete', name };
}

;// CONCATENATED MODULE: ./build/rootfs/apply-layer.js




/**
 * Apply one layer (its entries in tar order) to `root`, mutating it.
 *
 * Whiteouts hide only LOWER layers, wherever they stand in the tar (layer.md: "files that are present in
 * the same layer as a whiteout file can only be hidden by whiteout files in subsequent layers"), so all of
 * the layer's whiteouts are applied first, to the tree as it was before the layer, then every other entry
 * in tar order.
 */
function applyLayer(root, entries, ctx) {
    const named = [];
    for (const entry of entries) {
        const p = (0,path/* normalisePath */.q)(entry.name);
        if (p.ok)
            named.push({ entry, components: p.components });
        else
            drop(ctx, entry, p.reason);
    }
    const others = [];
    for (const n of named) {
        if (!applyWhiteout(root, n, ctx))
            others.push(n);
    }
    for (const n of others)
        applyEntry(root, n, ctx);
}
/** Apply `n` if it is a whiteout (of any kind); false when it is an ordinary entry. */
function applyWhiteout(root, { entry, components }, ctx) {
    const base = components[components.length - 1];
    if (base === undefined)
        return false;
    const w = classifyWhiteout(base);
    if (w.kind === 'none')
        return false;
    if (w.kind === 'ignored')
        return true;
    if (w.kind === 'delete' && w.name === '..') {
        drop(ctx, entry, 'whiteout of ".."');
        return true;
    }
    const dir = (0,tree/* resolveDir */.m$)(root, components.slice(0, -1), false);
    if (!dir.ok) {
        // Whiting out something no lower layer has is normal; a path that cannot be a directory is not.
        if (!dir.missing)
            drop(ctx, entry, dir.reason);
        return true;
    }
    if (w.kind === 'opaque')
        dir.node.children.clear();
    else
        dir.node.children.delete(w.name);
    return true;
}
function applyEntry(root, { entry, components }, ctx) {
    const name = components[components.length - 1];
    if (name === undefined) {
        if (entry.type !== 'dir')
            drop(ctx, entry, `the root can only be a directory, not a ${entry.type}`);
        else
            root.inode = inodeOf(entry);
        return;
    }
    // Resolved before the new name's parents are made, so a dropped link leaves no directories behind.
    let linked;
    if (entry.type === 'hardlink') {
        linked = resolveHardlinkTarget(root, entry, ctx);
        if (linked === undefined)
            return;
    }
    const parent = (0,tree/* resolveDir */.m$)(root, components.slice(0, -1), true);
    if (!parent.ok) {
        drop(ctx, entry, parent.reason);
        return;
    }
    const children = parent.node.children;
    const existing = children.get(name);
    if (linked !== undefined) {
        // The same Inode object: a true hardlink. Overwriting either name later puts a new Node there and
        // never touches this inode, so the other name keeps its content.
        children.set(name, { inode: linked.inode });
    }
    else if (entry.type === 'dir') {
        // Directory over directory merges: new metadata, lower children kept (dir inodes are never shared).
        if (existing?.inode.type === 'dir')
            existing.inode = inodeOf(entry);
        else
            children.set(name, { inode: inodeOf(entry), children: new Map() });
    }
    else {
        // Any other type replaces whatever was there, subtree included.
        children.set(name, { inode: inodeOf(entry) });
    }
}
function resolveHardlinkTarget(root, entry, ctx) {
    const target = (0,path/* normalisePath */.q)(entry.linkname ?? '');
    if (!target.ok) {
        drop(ctx, entry, `hardlink target ${quote(entry.linkname ?? '')}: ${target.reason}`);
        return undefined;
    }
    // The last component is not followed: link(2) without AT_SYMLINK_FOLLOW, as tar does.
    const r = (0,tree/* walk */.GG)(root, target.components, { followLast: false, create: false });
    if (!r.ok) {
        drop(ctx, entry, `hardlink target ${quote((0,path/* joinPath */.u)(target.components))}: ${r.reason}`);
        return undefined;
    }
    if (r.node.inode.type === 'dir') {
        drop(ctx, entry, `hardlink target ${quote((0,path/* joinPath */.u)(r.path))} is a directory`);
        return undefined;
    }
    return r.node;
}
function inodeOf(e) {
    const inode = {
        type: e.type === 'hardlink' ? 'file' : e.type,
        mode: e.mode & 0o7777,
        uid: e.uid,
        gid: e.gid,
        mtime: e.mtime,
        size: e.type === 'file' ? e.size : 0,
    };
    if (e.type === 'file' && e.data !== undefined)
        inode.data = e.data;
    if (e.type === 'symlink')
        inode.target = e.linkname ?? '';
    if (e.type === 'char' || e.type === 'block') {
        inode.devMajor = e.devMajor ?? 0;
        inode.devMinor = e.devMinor ?? 0;
    }
    return inode;
}
const quote = (bytePath) => JSON.stringify((0,node/* fromBytePath */.cj)(bytePath));
function drop(ctx, entry, reason) {
    ctx.reporter.warn(`layer ${ctx.layer}: dropped entry ${quote(entry.name)}: ${reason}`);
}

// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __nccwpck_require__(6);
;// CONCATENATED MODULE: ./build/rootfs/exclude.js
// Excludes: rootfs-absolute globs whose matches are removed from the model, subtree included.
// `/x/**` removes everything UNDER /x and keeps /x itself (as gitignore and rsync read `dir/**`), so
// programs that expect the directory (e.g. /var/cache/apt/archives) still find it; exclude `/x` to remove
// the directory too. Matching is picomatch with dot: true against "/" + the UTF-8 form of the path.



/** Parse and check globs; USAGE error for one that is not rootfs-absolute or is negated. */
function compileExcludes(globs) {
    const matchers = globs.map(compileOne);
    return (path) => matchers.some((m) => m(path));
}
function compileOne(glob) {
    if (glob.startsWith('!')) {
        throw new errors/* InitramfsError */.sp('USAGE', `Invalid exclude '${glob}'. Negated excludes are not supported; list what to remove, e.g. /usr/share/doc/**`);
    }
    if (!glob.startsWith('/') && !glob.startsWith('**/')) {
        throw new errors/* InitramfsError */.sp('USAGE', `Invalid exclude '${glob}'. Excludes are absolute paths in the image (they start with "/", or "**/" to match at any depth), e.g. /${glob} or **/${glob}`);
    }
    const options = { dot: true };
    const matches = picomatch(glob, options);
    if (!glob.endsWith('/**'))
        return matches;
    // picomatch lets `/x/**` match `/x` as well; the contract above keeps /x, so the directory itself (what
    // the glob minus its `/**` matches) is taken out again.
    const base = glob.slice(0, -3);
    const isBase = base === '' ? (p) => p === '/' : picomatch(base, options);
    return (p) => matches(p) && !isBase(p);
}
/**
 * Remove every entry matching one of `globs` (with its subtree) from `root`. Symlinks are matched by
 * their own path, never followed. The root itself is never removed. Returns how many names matched.
 */
function applyExcludes(root, globs) {
    if (globs.length === 0)
        return 0;
    const matches = compileExcludes(globs);
    let removed = 0;
    const visit = (dir, prefix) => {
        for (const [name, child] of [...dir.children]) {
            const path = prefix + '/' + name;
            if (matches((0,node/* fromBytePath */.cj)(path))) {
                dir.children.delete(name);
                removed++;
            }
            else if (child.children !== undefined) {
                visit(child, path);
            }
        }
    };
    visit(root, '');
    return removed;
}

// EXTERNAL MODULE: ./build/rootfs/overlay.js
var overlay = __nccwpck_require__(682);
;// CONCATENATED MODULE: ./build/initramfs/init-script.js
// The /init generated from an image config when the image has none and the user gave none: a POSIX sh
// script that mounts /proc, /sys and /dev, runs Entrypoint + Cmd as Docker would (Env, WorkingDir, every
// argument exact), reports the exit status on the console, then powers the machine off. Pure.

/** Docker's PATH for containers whose image sets none. */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The line the script prints (to /dev/console) when the command ends, followed by the status. */
const STATUS_PREFIX = 'initramfs-action: command exited with status ';
const DEFAULT_HOOKS = {
    mount: 'mount',
    console: '/dev/console',
    // `poweroff -f` (busybox, sysvinit, systemctl without a manager may refuse: then we go on), else the
    // kernel's sysrq "o". If PID 1 exits the kernel panics, so the last resort is to wait for the power.
    poweroff: [
        'sync 2>/dev/null',
        'if command -v poweroff >/dev/null 2>&1; then poweroff -f; fi',
        'echo o 2>/dev/null > /proc/sysrq-trigger',
        'while :; do sleep 60 2>/dev/null || read -r _; done',
    ].join('\n'),
};
/** Quote one word for POSIX sh: single quotes keep every byte literal; a `'` becomes `'\''`. */
const shellQuote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;
/** Names sh can export; others (e.g. `a.b`, `a-b`) cannot be set by a POSIX shell at all. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * The /init script for `config`. Env entries whose name sh cannot export (not `[A-Za-z_][A-Za-z0-9_]*`)
 * or that have no "=" are skipped. The command is not exec'd: the script outlives it to report its status
 * and power off. Throws NO_INIT when the config has no Entrypoint and no Cmd, BAD_IMAGE for a NUL in
 * an argument or Env entry (exec cannot pass one). The text is meant to be written as UTF-8.
 */
function generateInit(config, hooks = {}) {
    const h = { ...DEFAULT_HOOKS, ...hooks };
    const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
    if (argv.length === 0)
        throw new errors/* InitramfsError */.sp('NO_INIT', 'image config has no Entrypoint or Cmd; pass --init');
    for (const s of [...argv, ...(config.Env ?? []), config.WorkingDir ?? '']) {
        if (s.includes('\0'))
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `image config has a NUL character in ${JSON.stringify(s)}`);
    }
    const lines = [
        '#!/bin/sh',
        '# /init generated by initramfs-action from the image config: mounts /proc, /sys and /dev, runs',
        '# Entrypoint + Cmd with the image Env and WorkingDir, reports the exit status, powers off.',
        // The kernel starts init with no PATH; this is also the command's PATH unless Env sets one.
        `PATH=${shellQuote(DEFAULT_PATH)}`,
        'export PATH',
        ...mountLine(h.mount, 'proc', 'proc', '/proc'),
        ...mountLine(h.mount, 'sysfs', 'sysfs', '/sys'),
        ...mountLine(h.mount, 'devtmpfs', 'devtmpfs', '/dev'),
        // A subshell, so Env and WorkingDir apply to the command only, not to the power-off below.
        '(',
        ...envLines(config.Env ?? []),
        ...cdLines(config.WorkingDir),
        `  set -- ${argv.map(shellQuote).join(' ')}`,
        '  "$@"',
        ')',
        'status=$?',
        `msg=${shellQuote(STATUS_PREFIX)}"$status"`,
        `printf '%s\\n' "$msg" 2>/dev/null > ${h.console} || printf '%s\\n' "$msg"`,
        h.poweroff,
    ];
    return lines.join('\n') + '\n';
}
function mountLine(mount, type, source, target) {
    return [`${mount} -t ${type} ${source} ${target} || echo 'initramfs-action: could not mount ${target} (${type}); going on' >&2`];
}
function envLines(env) {
    const lines = [];
    for (const entry of env) {
        const eq = entry.indexOf('=');
        if (eq <= 0 || !SHELL_NAME.test(entry.slice(0, eq)))
            continue;
        // Quoting the whole KEY=VALUE keeps the value byte-exact (spaces, quotes, $, backticks, newlines).
        lines.push(`  export ${shellQuote(entry)}`);
    }
    return lines;
}
function cdLines(dir) {
    if (dir === undefined || dir === '')
        return [];
    const msg = `initramfs-action: cannot change to WorkingDir ${dir}`;
    return [`  cd -- ${shellQuote(dir)} || { printf '%s\\n' ${shellQuote(msg)} >&2; exit 1; }`];
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(598);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: ./build/fs-atomic.js
var fs_atomic = __nccwpck_require__(579);
// EXTERNAL MODULE: ./build/initramfs/compress.js
var compress = __nccwpck_require__(304);
;// CONCATENATED MODULE: ./build/initramfs/newc.js
// CPIO "newc" (magic 070701), the only format the Linux initramfs loader reads: pure encode/decode of one
// record's header and name, the padding rules, the TRAILER!!! record, and the guards for what newc (or the
// kernel's loader) cannot represent. No I/O: the writer streams data between the pieces these return.


const NEWC_MAGIC = '070701';
const HEADER_SIZE = 110;
const TRAILER_NAME = 'TRAILER!!!';
/** Byte offsets of the header fields: magic (6 chars) then thirteen 8-char uppercase-hex fields. */
const OFFSET = {
    magic: 0,
    ino: 6,
    mode: 14,
    uid: 22,
    gid: 30,
    nlink: 38,
    mtime: 46,
    filesize: 54,
    devmajor: 62,
    devminor: 70,
    rdevmajor: 78,
    rdevminor: 86,
    namesize: 94,
    check: 102,
};
/** The kernel's PATH_MAX: a name's namesize (NUL included) and a symlink's target may not exceed it. */
const PATH_MAX = 4096;
const U32_MAX = 0xffff_ffff;
/** st_mode type bits (S_IFMT) for each inode type. */
const TYPE_BITS = {
    fifo: 0o010000,
    char: 0o020000,
    dir: 0o040000,
    block: 0o060000,
    file: 0o100000,
    symlink: 0o120000,
};
const S_IFMT = 0o170000;
/** Bytes needed to bring `n` up to a multiple of 4 (newc aligns the name+header and the data). */
const pad4 = (n) => (4 - (n % 4)) % 4;
/** Size of a record's header + name + NUL + padding, i.e. the offset its data starts at. */
const headerAndNameSize = (nameBytes) => {
    const n = HEADER_SIZE + nameBytes + 1;
    return n + pad4(n);
};
/** Total encoded size of a record whose name has `nameBytes` bytes and whose data has `dataBytes` bytes. */
const recordSize = (nameBytes, dataBytes) => headerAndNameSize(nameBytes) + dataBytes + pad4(dataBytes);
/** Size of the TRAILER!!! record. */
const TRAILER_SIZE = recordSize(TRAILER_NAME.length, 0);
const limit = (name, what) => new errors/* InitramfsError */.sp('ARCHIVE_LIMIT', `${(0,node/* fromBytePath */.cj)(name) || '.'}: ${what}`);
const checkU32 = (entry, field, value) => {
    if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
        throw limit(entry.name, `${field} ${value} does not fit newc's 32-bit field (0..${U32_MAX})`);
    }
};
/**
 * Throws InitramfsError('ARCHIVE_LIMIT') naming the path when the entry cannot be represented: a file of
 * 4 GiB or more, an mtime before 1970 or after 2106, a name the kernel would skip (namesize incl. NUL over
 * PATH_MAX), a uid/gid (or any other field) outside 32 bits.
 */
const checkEntry = (entry) => {
    const nameBytes = Buffer.byteLength(entry.name, 'latin1');
    if (nameBytes + 1 > PATH_MAX) {
        throw limit(entry.name, `name is ${nameBytes} bytes; the kernel skips names over ${PATH_MAX - 1} bytes`);
    }
    if (entry.filesize > U32_MAX) {
        throw limit(entry.name, `size ${entry.filesize} bytes is 4 GiB or more, which newc cannot store`);
    }
    if (!Number.isInteger(entry.mtime) || entry.mtime < 0 || entry.mtime > U32_MAX) {
        throw limit(entry.name, `mtime ${entry.mtime} is outside 1970..2106, which newc cannot store`);
    }
    if ((entry.mode & S_IFMT) === TYPE_BITS.symlink && entry.filesize > PATH_MAX) {
        throw limit(entry.name, `symlink target is ${entry.filesize} bytes; the kernel limit is ${PATH_MAX}`);
    }
    for (const field of ['uid', 'gid', 'ino', 'mode', 'nlink', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor']) {
        checkU32(entry, field, entry[field]);
    }
};
const writeHex = (buf, at, value) => {
    buf.write(value.toString(16).toUpperCase().padStart(8, '0'), at, 8, 'latin1');
};
/**
 * Encodes a record's header, name, NUL and padding (everything before its data). The data (`filesize`
 * bytes) follows, then `pad4(filesize)` zero bytes. Validates with `checkEntry` first.
 */
const encodeHeader = (entry) => {
    checkEntry(entry);
    const nameBytes = Buffer.byteLength(entry.name, 'latin1');
    const buf = Buffer.alloc(headerAndNameSize(nameBytes)); // zero-filled: NUL and padding come free
    buf.write(NEWC_MAGIC, OFFSET.magic, 6, 'latin1');
    writeHex(buf, OFFSET.ino, entry.ino);
    writeHex(buf, OFFSET.mode, entry.mode);
    writeHex(buf, OFFSET.uid, entry.uid);
    writeHex(buf, OFFSET.gid, entry.gid);
    writeHex(buf, OFFSET.nlink, entry.nlink);
    writeHex(buf, OFFSET.mtime, entry.mtime);
    writeHex(buf, OFFSET.filesize, entry.filesize);
    writeHex(buf, OFFSET.devmajor, entry.devmajor);
    writeHex(buf, OFFSET.devminor, entry.devminor);
    writeHex(buf, OFFSET.rdevmajor, entry.rdevmajor);
    writeHex(buf, OFFSET.rdevminor, entry.rdevminor);
    writeHex(buf, OFFSET.namesize, nameBytes + 1);
    writeHex(buf, OFFSET.check, 0);
    buf.write(entry.name, HEADER_SIZE, nameBytes, 'latin1');
    return buf;
};
/** Encodes a whole record: header, name, data and both paddings. `data.length` must equal `filesize`. */
const encodeRecord = (entry, data = new Uint8Array(0)) => {
    if (data.length !== entry.filesize) {
        throw new Error(`newc: ${entry.name}: data is ${data.length} bytes, header says ${entry.filesize}`);
    }
    return Buffer.concat([encodeHeader(entry), data, Buffer.alloc(pad4(data.length))]);
};
/** The TRAILER!!! record that closes an archive (and resets the kernel's hardlink table). */
const encodeTrailer = () => encodeHeader({
    name: TRAILER_NAME,
    ino: 0,
    mode: 0,
    uid: 0,
    gid: 0,
    nlink: 1,
    mtime: 0,
    filesize: 0,
    devmajor: 0,
    devminor: 0,
    rdevmajor: 0,
    rdevminor: 0,
});
const readHex = (buf, at, field) => {
    const text = buf.toString('latin1', at, at + 8);
    if (!/^[0-9A-Fa-f]{8}$/.test(text))
        throw new Error(`newc: bad ${field} field ${JSON.stringify(text)} at ${at}`);
    return parseInt(text, 16);
};
/**
 * Parses newc bytes back into records, trailers included (name TRAILER!!!). Accepts several archives
 * concatenated, with zero padding between them, as the kernel does. Throws on anything malformed.
 */
const decodeNewc = (input) => {
    const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const records = [];
    let pos = 0;
    while (pos < buf.length) {
        if (buf[pos] === 0) {
            // Zero padding between archives (the kernel skips it the same way).
            pos++;
            continue;
        }
        if (pos % 4 !== 0)
            throw new Error(`newc: record at unaligned offset ${pos}`);
        if (pos + HEADER_SIZE > buf.length)
            throw new Error(`newc: truncated header at ${pos}`);
        const magic = buf.toString('latin1', pos, pos + 6);
        if (magic !== NEWC_MAGIC)
            throw new Error(`newc: bad magic ${JSON.stringify(magic)} at ${pos}`);
        const h = (field) => readHex(buf, pos + OFFSET[field], field);
        const namesize = h('namesize');
        const filesize = h('filesize');
        if (namesize < 1)
            throw new Error(`newc: namesize 0 at ${pos}`);
        const nameEnd = pos + HEADER_SIZE + namesize;
        if (nameEnd > buf.length)
            throw new Error(`newc: truncated name at ${pos}`);
        if (buf[nameEnd - 1] !== 0)
            throw new Error(`newc: name not NUL-terminated at ${pos}`);
        const dataStart = pos + headerAndNameSize(namesize - 1);
        const dataEnd = dataStart + filesize;
        if (dataEnd > buf.length)
            throw new Error(`newc: truncated data at ${pos}`);
        records.push({
            name: buf.toString('latin1', pos + HEADER_SIZE, nameEnd - 1),
            ino: h('ino'),
            mode: h('mode'),
            uid: h('uid'),
            gid: h('gid'),
            nlink: h('nlink'),
            mtime: h('mtime'),
            filesize,
            devmajor: h('devmajor'),
            devminor: h('devminor'),
            rdevmajor: h('rdevmajor'),
            rdevminor: h('rdevminor'),
            data: buf.subarray(dataStart, dataEnd),
        });
        pos = dataEnd + pad4(filesize);
    }
    return records;
};

;// CONCATENATED MODULE: ./build/initramfs/plan.js
// The archive plan: the rootfs tree turned into the deterministic, ordered list of newc records, cut into
// self-contained segments (each its own cpio archive with its own TRAILER!!!). Everything that decides
// the output bytes is decided here, from the tree alone: order, inode numbers, nlink, clamped mtimes,
// which record of a hardlink group carries the data, and where segments end.


/**
 * Uncompressed size at which a segment is closed. Fixed (never derived from the machine) so the segment
 * boundaries, and therefore the compressed bytes, are the same everywhere.
 */
const SEGMENT_TARGET = 16 << 20;
/**
 * Hardlink groups are only formed for types the kernel links (regular files, devices, fifos): the kernel
 * never links symlinks, so symlinks sharing an Inode are written as independent symlinks.
 */
const linkable = (inode) => inode.type !== 'dir' && inode.type !== 'symlink';
const byteOrder = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
/** Depth-first, parents before children, children in byte order of their names. The root is ".". */
const walk = (root) => {
    const out = [];
    const visit = (path, node) => {
        out.push({ path, node });
        if (!node.children)
            return;
        const names = [...node.children.keys()].sort(byteOrder);
        for (const name of names)
            visit(path === '.' ? name : `${path}/${name}`, node.children.get(name));
    };
    visit('.', root);
    return out;
};
/**
 * What puts similar content next to each other: the name's suffix from its first dot ("so.6", "py",
 * "gz"; "" for none), then the name itself (every `__init__.py`, every `copyright`), then the path.
 * gzip sees only the last 32 KiB, so neighbours decide the ratio: on the benchmark image this order is
 * 1.0% smaller with gzip and 1.5% with zstd than plain path order.
 */
const contentKey = (path) => {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dot = base.indexOf('.');
    return [dot === -1 ? '' : base.slice(dot + 1), base];
};
const byContent = (a, b) => {
    const [ea, na] = contentKey(a.path);
    const [eb, nb] = contentKey(b.path);
    return byteOrder(ea, eb) || byteOrder(na, nb) || byteOrder(a.path, b.path);
};
/**
 * The emission order: every directory first, depth-first (the kernel does not create missing parents,
 * so a directory must precede everything in it), then every other name ordered by `byContent`.
 */
const order = (root) => {
    const all = walk(root);
    const dirs = all.filter((v) => v.node.inode.type === 'dir');
    const rest = all.filter((v) => v.node.inode.type !== 'dir').sort(byContent);
    return [...dirs, ...rest];
};
const checkPositiveInt = (what, value) => {
    if (!Number.isSafeInteger(value) || value <= 0) {
        throw new errors/* InitramfsError */.sp('USAGE', `${what} must be a positive integer, got ${value}`);
    }
};
/**
 * Plans the archive for `root` (a directory). Throws InitramfsError('ARCHIVE_LIMIT') for an entry newc
 * cannot hold, before anything is written.
 */
const planArchive = (root, options = {}) => {
    if (root.inode.type !== 'dir' || !root.children)
        throw new Error('planArchive: the root must be a directory');
    const epoch = options.sourceDateEpoch;
    if (epoch !== undefined && (!Number.isSafeInteger(epoch) || epoch < 0)) {
        throw new errors/* InitramfsError */.sp('USAGE', `SOURCE_DATE_EPOCH must be a non-negative integer, got ${epoch}`);
    }
    const target = options.segmentTarget ?? SEGMENT_TARGET;
    checkPositiveInt('segment target', target);
    const visits = order(root);
    // Number of names per linkable inode, and the index of its last name: the group is emitted there.
    const names = new Map();
    const lastIndex = new Map();
    visits.forEach(({ node }, i) => {
        if (!linkable(node.inode))
            return;
        names.set(node.inode, (names.get(node.inode) ?? 0) + 1);
        lastIndex.set(node.inode, i);
    });
    const mtimeOf = (inode) => (epoch === undefined ? inode.mtime : Math.min(inode.mtime, epoch));
    const makeRecord = (visit, ino, nlink, withData) => {
        const { inode } = visit.node;
        let filesize = 0;
        let data = { kind: 'none' };
        if (inode.type === 'symlink') {
            if (inode.target === undefined)
                throw new Error(`planArchive: symlink ${visit.path} has no target`);
            const bytes = Buffer.from(inode.target, 'latin1');
            filesize = bytes.length;
            data = { kind: 'target', bytes };
        }
        else if (inode.type === 'file' && withData && inode.size > 0) {
            if (!inode.data)
                throw new Error(`planArchive: file ${visit.path} has ${inode.size} bytes but no data`);
            if (inode.data.kind === 'bytes' && inode.data.bytes.length !== inode.size) {
                throw new Error(`planArchive: file ${visit.path} has ${inode.data.bytes.length} bytes, inode says ${inode.size}`);
            }
            filesize = inode.size;
            data = { kind: 'file', ref: inode.data };
        }
        const isDev = inode.type === 'char' || inode.type === 'block';
        const entry = {
            name: visit.path,
            ino,
            mode: TYPE_BITS[inode.type] | (inode.mode & 0o7777),
            uid: inode.uid,
            gid: inode.gid,
            nlink,
            mtime: mtimeOf(inode),
            filesize,
            devmajor: 0,
            devminor: 0,
            rdevmajor: isDev ? (inode.devMajor ?? 0) : 0,
            rdevminor: isDev ? (inode.devMinor ?? 0) : 0,
        };
        checkEntry(entry);
        return { entry, data };
    };
    // Emission units: a single record, or a whole hardlink group that must stay in one segment.
    const units = [];
    const pendingGroups = new Map();
    let nextIno = 1;
    visits.forEach((visit, i) => {
        const { inode } = visit.node;
        const count = names.get(inode) ?? 1;
        if (count === 1) {
            const nlink = inode.type === 'dir'
                ? 2 + [...(visit.node.children?.values() ?? [])].filter((c) => c.inode.type === 'dir').length
                : 1;
            units.push([makeRecord(visit, nextIno++, nlink, true)]);
            return;
        }
        const group = pendingGroups.get(inode) ?? [];
        group.push(visit);
        if (lastIndex.get(inode) !== i) {
            pendingGroups.set(inode, group);
            return;
        }
        pendingGroups.delete(inode);
        const ino = nextIno++;
        // GNU cpio convention: the data rides on the last name; the kernel links the earlier ones to it.
        units.push(group.map((v, k) => makeRecord(v, ino, count, k === group.length - 1)));
    });
    const segments = [];
    let current = [];
    let currentSize = 0;
    const close = () => {
        segments.push({ records: current, size: currentSize + TRAILER_SIZE });
        current = [];
        currentSize = 0;
    };
    let entries = 0;
    for (const unit of units) {
        for (const record of unit) {
            current.push(record);
            currentSize += recordSize(Buffer.byteLength(record.entry.name, 'latin1'), record.entry.filesize);
            entries++;
        }
        if (currentSize >= target)
            close();
    }
    if (current.length > 0 || segments.length === 0)
        close();
    return { segments, entries, uncompressedSize: segments.reduce((sum, s) => sum + s.size, 0) };
};

;// CONCATENATED MODULE: ./build/initramfs/write.js
// Writes the initramfs: plan → newc records with their file data → one cpio archive per segment →
// compressed concurrently → appended in order to a temporary file beside the output, hashed as written,
// fsynced and renamed onto the output. On any error the temporary file is removed, so the output path
// either holds a complete archive or is untouched. Memory stays at a few segments, whatever the image size.










/** Read and write size for streamed segments (memory per streamed segment; the bytes do not depend on it). */
const STREAM_CHUNK = 1 << 20;
/**
 * A segment bigger than this many segment targets (it holds a huge file) is streamed through the
 * compressor instead of being assembled in memory, so memory stays at a few segments. Both paths give
 * the same bytes (see compressStream); this only bounds memory.
 */
const IN_MEMORY_FACTOR = 2;
const ZERO_PAD = Buffer.alloc(4);
const ioError = (what, e) => (0,errors/* isInitramfsError */._e)(e) ? e : new errors/* InitramfsError */.sp('IO', `${what}: ${e.message}`, { cause: e });
const openHost = async (path, hostPath, size) => {
    const fail = (why, cause) => new errors/* InitramfsError */.sp('INJECT_SOURCE', `${(0,node/* fromBytePath */.cj)(path)}: cannot read ${hostPath}: ${why}`, { cause });
    let fh;
    try {
        fh = await (0,promises_.open)(hostPath, 'r');
    }
    catch (e) {
        throw fail(e.message, e);
    }
    const checkSize = async () => {
        const now = (await fh.stat()).size;
        if (now !== size)
            throw fail(`its size changed from ${size} to ${now} bytes since it was planned`);
    };
    try {
        await checkSize();
    }
    catch (e) {
        await fh.close();
        throw e;
    }
    return {
        async read(target, targetOffset, position, length) {
            let done = 0;
            while (done < length) {
                let bytesRead;
                try {
                    ({ bytesRead } = await fh.read(target, targetOffset + done, length - done, position + done));
                }
                catch (e) {
                    throw fail(e.message, e);
                }
                if (bytesRead === 0)
                    throw fail(`it ended at ${position + done} bytes, expected ${size}`);
                done += bytesRead;
            }
        },
        async close() {
            try {
                // A file that grew while being read would otherwise be silently cut.
                await checkSize();
            }
            finally {
                await fh.close();
            }
        },
    };
};
const openData = async (path, ref, size) => {
    switch (ref.kind) {
        case 'host':
            return openHost(path, ref.path, size);
        case 'spool':
            return {
                read: async (target, targetOffset, position, length) => ref.spool.readInto(target, targetOffset, ref.offset + position, length),
                close: async () => { },
            };
        case 'bytes':
            return {
                read: async (target, targetOffset, position, length) => {
                    target.set(ref.bytes.subarray(position, position + length), targetOffset);
                },
                close: async () => { },
            };
    }
};
/**
 * Assembles a whole segment (its records with their data, then the trailer) in one buffer: the
 * uncompressed cpio archive the segment stands for.
 */
const assembleSegment = async (segment) => {
    // Zero-filled: every padding byte must be 0 for the bytes to be reproducible.
    const buf = Buffer.alloc(segment.size);
    let at = 0;
    for (const record of segment.records) {
        const header = encodeHeader(record.entry);
        header.copy(buf, at);
        at += header.length;
        const { data, entry } = record;
        if (data.kind === 'target')
            data.bytes.copy(buf, at);
        if (data.kind === 'file') {
            const reader = await openData(entry.name, data.ref, entry.filesize);
            try {
                await reader.read(buf, at, 0, entry.filesize);
            }
            finally {
                await reader.close();
            }
        }
        at += entry.filesize + pad4(entry.filesize);
    }
    const trailer = encodeTrailer();
    trailer.copy(buf, at);
    at += trailer.length;
    if (at !== segment.size)
        throw new Error(`archive: segment assembled to ${at} bytes, planned ${segment.size}`);
    return buf;
};
/** The bytes of one record in fixed-size pieces, for streamed segments. */
async function* recordChunks(record) {
    const { entry, data } = record;
    yield encodeHeader(entry);
    if (data.kind === 'target')
        yield data.bytes;
    if (data.kind === 'file') {
        const reader = await openData(entry.name, data.ref, entry.filesize);
        try {
            for (let pos = 0; pos < entry.filesize; pos += STREAM_CHUNK) {
                const chunk = Buffer.alloc(Math.min(STREAM_CHUNK, entry.filesize - pos));
                await reader.read(chunk, 0, pos, chunk.length);
                yield chunk;
            }
        }
        finally {
            await reader.close();
        }
    }
    const pad = pad4(entry.filesize);
    if (pad > 0)
        yield ZERO_PAD.subarray(0, pad);
}
async function* segmentChunks(segment) {
    for (const record of segment.records)
        yield* recordChunks(record);
    yield encodeTrailer();
}
/** The temporary output: appends in order, hashing and counting what it writes. */
class Sink {
    #fh;
    #hash = (0,external_node_crypto_.createHash)('sha256');
    size = 0;
    constructor(fh) {
        this.#fh = fh;
    }
    async write(buf) {
        this.#hash.update(buf);
        let done = 0;
        try {
            while (done < buf.length)
                done += (await this.#fh.write(buf, done, buf.length - done)).bytesWritten;
        }
        catch (e) {
            throw ioError('cannot write the archive', e);
        }
        this.size += buf.length;
    }
    digest() {
        return `sha256:${this.#hash.digest('hex')}`;
    }
}
/**
 * Joins small pieces (headers, padding, small files) into writes of about `size` bytes: fewer round trips
 * to the threadpool. The compressed bytes do not depend on how the input is split, so this is free.
 */
async function* coalesce(chunks, size) {
    let parts = [];
    let held = 0;
    for await (const chunk of chunks) {
        parts.push(chunk);
        held += chunk.length;
        if (held >= size) {
            yield parts.length === 1 ? parts[0] : Buffer.concat(parts, held);
            parts = [];
            held = 0;
        }
    }
    if (held > 0)
        yield Buffer.concat(parts, held);
}
/** Streams one oversized segment through its compressor straight into the sink, reporting input fed. */
const streamSegment = async (segment, compression, level, sink, onInput) => {
    async function* input() {
        for await (const chunk of coalesce(segmentChunks(segment), STREAM_CHUNK)) {
            yield chunk;
            onInput(chunk.length);
        }
    }
    if (compression === 'none') {
        for await (const chunk of input())
            await sink.write(chunk);
        return;
    }
    await (0,compress/* compressStream */.fR)(input(), compression, level, segment.size, (chunk) => sink.write(chunk));
};
/**
 * Writes the initramfs for `root` to `options.output` and returns its digest and sizes. The bytes depend
 * only on the tree and the options that shape them (compression, level, sourceDateEpoch, segmentTarget).
 */
const writeArchive = async (root, options) => {
    const { compression, reporter } = options;
    const level = (0,compress/* resolveLevel */.XC)(compression, options.level);
    const segmentTarget = options.segmentTarget ?? SEGMENT_TARGET;
    const concurrency = options.concurrency ?? (0,external_node_os_.availableParallelism)() + 1;
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
        throw new errors/* InitramfsError */.sp('USAGE', `concurrency must be a positive integer, got ${concurrency}`);
    }
    const plan = planArchive(root, { sourceDateEpoch: options.sourceDateEpoch, segmentTarget });
    const inMemoryLimit = IN_MEMORY_FACTOR * segmentTarget;
    const output = (0,external_node_path_.resolve)(options.output);
    const temp = (0,fs_atomic/* tempNameFor */.D)(output);
    reporter?.stage('archive', `writing ${plan.entries} entries in ${plan.segments.length} segment(s), ${compression}${compression === 'none' ? '' : ` level ${level}`}`, plan.uncompressedSize);
    let fh;
    try {
        try {
            fh = await (0,promises_.open)(temp, 'wx', 0o644);
        }
        catch (e) {
            throw ioError(`cannot create ${temp}`, e);
        }
        const sink = new Sink(fh);
        let doneBytes = 0;
        const inflight = [];
        const writeOldest = async () => {
            const next = inflight.shift();
            await sink.write(await next.compressed);
            doneBytes += next.rawSize;
            reporter?.progress('archive', doneBytes);
        };
        for (const segment of plan.segments) {
            if (segment.size > inMemoryLimit) {
                while (inflight.length > 0)
                    await writeOldest();
                await streamSegment(segment, compression, level, sink, (bytes) => {
                    doneBytes += bytes;
                    reporter?.progress('archive', doneBytes);
                });
                continue;
            }
            const raw = await assembleSegment(segment);
            const compressed = (0,compress/* compressSegment */.qx)(raw, compression, level);
            // Handled here so a failure is not "unhandled" while we wait on an older segment; awaited in order.
            compressed.catch(() => { });
            inflight.push({ compressed, rawSize: segment.size });
            while (inflight.length >= concurrency)
                await writeOldest();
        }
        while (inflight.length > 0)
            await writeOldest();
        try {
            await fh.sync();
            await fh.close();
            fh = undefined;
            await (0,promises_.rename)(temp, output);
        }
        catch (e) {
            throw ioError(`cannot write ${output}`, e);
        }
        const result = {
            digest: sink.digest(),
            size: sink.size,
            level: compression === 'none' ? null : level,
            entries: plan.entries,
            uncompressedSize: plan.uncompressedSize,
        };
        reporter?.done('archive', `${options.output}: ${result.size} bytes (${plan.uncompressedSize} uncompressed), ${result.digest}`);
        return result;
    }
    catch (e) {
        await fh?.close().catch(() => { });
        await (0,promises_.rm)(temp, { force: true }).catch(() => { });
        throw e;
    }
};

;// CONCATENATED MODULE: ./build/build.js
// The pipeline: image reference → resolved image → layers read (in parallel, bytes spooled) → rootfs model
// (layers applied oldest first) → overlay (excludes, injected files, /init, boot entries) → archive written
// atomically → report. The shells (CLI, action) only turn their inputs into BuildOptions and render the
// Reporter's events.
















/** Layers are read two at a time: decompression runs on the threadpool while the tar parses here. */
const LAYER_CONCURRENCY = 2;
async function build(opts) {
    const { reporter } = opts;
    reporter.stage('resolve', `resolving ${opts.image}`);
    const source = await (0,image_source/* openSource */.o)(opts.image);
    const platform = (0,image_platform/* parsePlatform */.Y8)(opts.platform);
    const image = await source.resolve(platform);
    reporter.done('resolve', `${image.reference} ${(0,types/* formatPlatform */.B)(image.platform)}${image.digest ? ' ' + image.digest : ''}, ${image.layers.length} layers`);
    const tmpRoot = (0,external_node_path_.join)(opts.cacheDir, 'tmp');
    await (0,promises_.mkdir)(tmpRoot, { recursive: true, mode: 0o700 });
    const work = await (0,promises_.mkdtemp)((0,external_node_path_.join)(tmpRoot, 'build-'));
    const spools = [];
    try {
        const layerEntries = await readLayers(image, work, spools, reporter);
        reporter.stage('rootfs', 'applying layers');
        const root = (0,node/* newDir */.s9)();
        image.layers.forEach((layer, i) => applyLayer(root, layerEntries[i], { layer: layer.digest, reporter }));
        applyExcludes(root, opts.exclude);
        for (const spec of opts.inject)
            await (0,overlay/* injectPath */.bm)(root, spec);
        await installInit(root, image, opts);
        (0,overlay/* ensureBootEntries */.tm)(root);
        reporter.done('rootfs', 'rootfs assembled');
        const written = await writeArchive(root, {
            output: opts.output,
            compression: opts.compression,
            level: opts.level,
            sourceDateEpoch: opts.sourceDateEpoch,
            reporter,
        });
        return {
            digest: written.digest,
            size: written.size,
            output: opts.output,
            compression: opts.compression,
            level: written.level,
            image: { reference: image.reference, digest: image.digest ?? null, platform: (0,types/* formatPlatform */.B)(image.platform) },
            layers: image.layers.map((l) => ({ digest: l.digest, size: l.size })),
            entries: written.entries,
            uncompressedSize: written.uncompressedSize,
        };
    }
    finally {
        for (const s of spools)
            s.dispose();
        await (0,promises_.rm)(work, { recursive: true, force: true });
    }
}
async function readLayers(image, work, spools, reporter) {
    const total = image.layers.reduce((n, l) => n + l.size, 0);
    reporter.stage('layers', `reading ${image.layers.length} layers`, total);
    let done = 0;
    const results = new Array(image.layers.length);
    let next = 0;
    const worker = async () => {
        while (next < image.layers.length) {
            const i = next++;
            const layer = image.layers[i];
            const spool = new SpoolFile((0,external_node_path_.join)(work, `layer-${i}.spool`));
            spools.push(spool);
            results[i] = await readLayer(layer, spool);
            spool.flush();
            done += layer.size;
            reporter.progress('layers', done);
        }
    };
    await Promise.all(Array.from({ length: Math.min(LAYER_CONCURRENCY, image.layers.length) }, worker));
    reporter.done('layers', `read ${image.layers.length} layers`);
    return results;
}
/** `/init`: the user's file, else the image's own, else one generated from the image config. */
async function installInit(root, image, opts) {
    if (opts.init !== undefined) {
        await (0,overlay/* setInit */.Zg)(root, opts.init);
        return;
    }
    if ((0,tree/* lookup */.$I)(root, '/init', { follow: true })?.inode.type === 'file') {
        opts.reporter.info('using the image\'s own /init');
        return;
    }
    const script = generateInit(image.config);
    if ((0,tree/* lookup */.$I)(root, '/bin/sh', { follow: true })?.inode.type !== 'file') {
        throw new errors/* InitramfsError */.sp('NO_INIT', `image ${image.reference} has no /bin/sh to run a generated /init; pass --init FILE with an init for this image`);
    }
    (0,overlay/* setGeneratedFile */.Qi)(root, '/init', Buffer.from(script, 'utf8'), 0o755);
    // Docker creates a missing WorkingDir before it starts the command; so does the archive.
    if (image.config.WorkingDir) {
        const wd = (0,path/* normalisePath */.q)((0,node/* toBytePath */.xe)(image.config.WorkingDir));
        if (wd.ok)
            (0,tree/* resolveDir */.m$)(root, wd.components, true);
    }
    opts.reporter.info('generated /init from the image config');
}


/***/ }),

/***/ 376:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   RM: () => (/* binding */ parseCommand),
/* harmony export */   u_: () => (/* binding */ USAGE)
/* harmony export */ });
/* unused harmony exports defaultCacheDir, parseSourceDateEpoch */
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(975);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(473);
/* harmony import */ var _rootfs_overlay_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(682);
/* harmony import */ var _initramfs_compress_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(304);
// argv → a typed command. Parsing is Node's own util.parseArgs; this file adds the meaning: defaults,
// the compression inferred from the output name, and messages that name the option and the form it takes.






const USAGE = `Usage:
  initramfs-action build IMAGE -o FILE [options]   turn a container image into an initramfs
  initramfs-action inspect IMAGE [--platform P]     show platforms, config and layers
  initramfs-action --help | --version

IMAGE:
  oci:DIR[:REF]              an OCI image layout (skopeo copy ... oci:DIR:REF, buildx --output type=oci)
  docker-archive:FILE[:REF]  a tar written by docker save

Build options:
  -o, --output FILE          the archive to write (written atomically)
  -c, --compression C        gzip (default), zstd or none; inferred from FILE's .gz/.zst/.cpio suffix
  -l, --level N              compression level (gzip 1-9, default 6; zstd 1-19, default 3)
  -p, --platform OS/ARCH     platform to pick from a multi-platform image (default linux/amd64)
  -i, --inject SRC:DEST[:MODE]
                             copy a host file or directory into the image (MODE octal, default 0755)
      --init FILE            use FILE as /init (0755); default: the image's /init, else one generated
                             from the image's Entrypoint, Cmd, Env and WorkingDir
  -x, --exclude GLOB         drop rootfs paths matching GLOB (absolute, e.g. /usr/share/doc/**)
      --report FILE          write a JSON report (digest, size, image, layers, entries)
      --cache-dir DIR        the tool's cache (default $XDG_CACHE_HOME/initramfs-action)

Environment:
  SOURCE_DATE_EPOCH          clamp every mtime in the archive to this time (seconds)
`;
const usage = (message) => new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InitramfsError */ .sp('USAGE', `${message} (see --help)`);
/** The default cache: XDG's cache home, else ~/.cache. */
const defaultCacheDir = (env) => (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(env.XDG_CACHE_HOME || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_1__.homedir)(), '.cache'), 'initramfs-action');
const compressionFromName = (file) => {
    if (/\.(gz|tgz)$/.test(file))
        return 'gzip';
    if (/\.(zst|zstd)$/.test(file))
        return 'zstd';
    if (/\.cpio$/.test(file))
        return 'none';
    return undefined;
};
function parseSourceDateEpoch(value) {
    if (value === undefined || value === '')
        return undefined;
    if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) {
        throw usage(`SOURCE_DATE_EPOCH '${value}': expected whole seconds since 1970 (0 to 4294967295)`);
    }
    return Number(value);
}
function parseCommand(argv, env) {
    let parsed;
    try {
        parsed = (0,node_util__WEBPACK_IMPORTED_MODULE_0__.parseArgs)({
            args: argv,
            allowPositionals: true,
            strict: true,
            options: {
                help: { type: 'boolean', short: 'h' },
                version: { type: 'boolean', short: 'V' },
                output: { type: 'string', short: 'o' },
                compression: { type: 'string', short: 'c' },
                level: { type: 'string', short: 'l' },
                platform: { type: 'string', short: 'p' },
                inject: { type: 'string', short: 'i', multiple: true },
                init: { type: 'string' },
                exclude: { type: 'string', short: 'x', multiple: true },
                report: { type: 'string' },
                'cache-dir': { type: 'string' },
            },
        });
    }
    catch (e) {
        throw usage(e.message);
    }
    const { values: v, positionals } = parsed;
    if (v.help)
        return { kind: 'help' };
    if (v.version)
        return { kind: 'version' };
    const [verb, image, ...extra] = positionals;
    if (verb === undefined)
        throw usage('missing command: expected build or inspect');
    if (verb !== 'build' && verb !== 'inspect')
        throw usage(`unknown command '${verb}': expected build or inspect`);
    if (image === undefined)
        throw usage(`${verb}: missing IMAGE (oci:DIR[:REF] or docker-archive:FILE)`);
    if (extra.length > 0)
        throw usage(`${verb}: unexpected argument '${extra[0]}'`);
    if (verb === 'inspect')
        return { kind: 'inspect', image, platform: v.platform };
    if (v.output === undefined || v.output === '')
        throw usage('build: missing -o/--output FILE');
    const output = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(v.output);
    const compression = v.compression !== undefined ? (0,_initramfs_compress_js__WEBPACK_IMPORTED_MODULE_5__/* .parseCompression */ .Gd)(v.compression) : (compressionFromName(output) ?? 'gzip');
    let level;
    if (v.level !== undefined) {
        if (!/^\d+$/.test(v.level))
            throw usage(`--level '${v.level}': expected a whole number`);
        level = Number(v.level);
    }
    return {
        kind: 'build',
        image,
        output,
        compression,
        level,
        platform: v.platform,
        inject: (v.inject ?? []).map((s) => (0,_rootfs_overlay_js__WEBPACK_IMPORTED_MODULE_4__/* .parseInjectSpec */ .Iq)(s)),
        init: v.init,
        exclude: v.exclude ?? [],
        report: v.report === undefined ? undefined : (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(v.report),
        cacheDir: (0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(v['cache-dir'] ?? defaultCacheDir(env)),
        sourceDateEpoch: parseSourceDateEpoch(env.SOURCE_DATE_EPOCH),
    };
}


/***/ }),

/***/ 472:
/***/ ((__webpack_module__, __webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(__webpack_module__, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   i: () => (/* binding */ main)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var _args_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(376);
/* harmony import */ var _progress_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(902);
/* harmony import */ var _build_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(340);
/* harmony import */ var _inspect_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(836);
/* harmony import */ var _report_js__WEBPACK_IMPORTED_MODULE_7__ = __nccwpck_require__(200);
/* harmony import */ var _fs_atomic_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(579);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(473);
// The CLI shell: argv → core → one line per outcome. Exit codes: 0 success, 1 the build or inspection
// failed for a reason the message names, 2 the command line is wrong, 70 a bug in this tool (the only case
// that prints a stack).








async function main(argv, env) {
    try {
        const cmd = (0,_args_js__WEBPACK_IMPORTED_MODULE_1__/* .parseCommand */ .RM)(argv, env);
        switch (cmd.kind) {
            case 'help':
                process.stdout.write(_args_js__WEBPACK_IMPORTED_MODULE_1__/* .USAGE */ .u_);
                return 0;
            case 'version':
                process.stdout.write(`${version()}\n`);
                return 0;
            case 'inspect': {
                const info = await (0,_inspect_js__WEBPACK_IMPORTED_MODULE_3__/* .inspect */ .N)(cmd.image, cmd.platform);
                process.stdout.write((0,_inspect_js__WEBPACK_IMPORTED_MODULE_3__/* .formatInspection */ .a)(info));
                return 0;
            }
            case 'build': {
                const reporter = process.stderr.isTTY ? new _progress_js__WEBPACK_IMPORTED_MODULE_6__/* .TtyReporter */ .T(process.stderr) : new _progress_js__WEBPACK_IMPORTED_MODULE_6__/* .PlainReporter */ .W(process.stderr);
                const report = await (0,_build_js__WEBPACK_IMPORTED_MODULE_2__/* .build */ .j)({ ...cmd, reporter });
                if (cmd.report !== undefined)
                    await (0,_fs_atomic_js__WEBPACK_IMPORTED_MODULE_4__/* .writeFileAtomic */ .Z)(cmd.report, (0,_report_js__WEBPACK_IMPORTED_MODULE_7__/* .formatReport */ .C)(report));
                process.stdout.write(`digest: ${report.digest}\nsize: ${report.size}\n`);
                return 0;
            }
        }
    }
    catch (e) {
        if ((0,_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .isInitramfsError */ ._e)(e)) {
            process.stderr.write(`error [${e.code}]: ${e.message}\n`);
            return e.code === 'USAGE' ? 2 : 1;
        }
        process.stderr.write(`internal error (please report): ${e?.stack ?? String(e)}\n`);
        return 70;
    }
}
function version() {
    try {
        const pkg = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(new URL(/* asset import */ __nccwpck_require__(565), __nccwpck_require__.b), 'utf8'));
        if (pkg.version)
            return pkg.version;
    }
    catch {
        // run from src/: no package.json one level up
    }
    return 'unknown';
}
process.exitCode = await main(process.argv.slice(2), process.env);

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 902:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T: () => (/* binding */ TtyReporter),
/* harmony export */   W: () => (/* binding */ PlainReporter)
/* harmony export */ });
const mib = (n) => `${(n / (1 << 20)).toFixed(1)} MiB`;
class PlainReporter {
    #out;
    constructor(out) {
        this.#out = out;
    }
    stage(stage, message) {
        this.#out.write(`[${stage}] ${message}\n`);
    }
    progress() { }
    done(stage, message) {
        this.#out.write(`[${stage}] ${message}\n`);
    }
    warn(message) {
        this.#out.write(`warning: ${message}\n`);
    }
    info(message) {
        this.#out.write(`${message}\n`);
    }
}
class TtyReporter {
    #out;
    #stage;
    #message = '';
    #total;
    #started = 0;
    #lastDraw = 0;
    #now;
    constructor(out, now = () => performance.now()) {
        this.#out = out;
        this.#now = now;
    }
    stage(stage, message, total) {
        this.#stage = stage;
        this.#message = message;
        this.#total = total;
        this.#started = this.#now();
        this.#draw(`${message}…`);
    }
    progress(stage, done) {
        if (stage !== this.#stage)
            return;
        const t = this.#now();
        if (t - this.#lastDraw < 100)
            return;
        this.#lastDraw = t;
        const pct = this.#total ? ` ${Math.min(100, Math.floor((done / this.#total) * 100))}%` : '';
        this.#draw(`${this.#message} ${mib(done)}${this.#total ? ' / ' + mib(this.#total) : ''}${pct}`);
    }
    done(stage, message) {
        const secs = ((this.#now() - this.#started) / 1000).toFixed(1);
        this.#draw(`✓ ${message} (${secs}s)`);
        this.#out.write('\n');
        if (stage === this.#stage)
            this.#stage = undefined;
    }
    warn(message) {
        this.#clear();
        this.#out.write(`warning: ${message}\n`);
    }
    info(message) {
        this.#clear();
        this.#out.write(`${message}\n`);
    }
    #draw(text) {
        this.#out.write(`\r\x1b[2K[${this.#stage ?? 'done'}] ${text}`);
    }
    #clear() {
        if (this.#stage !== undefined)
            this.#out.write('\r\x1b[2K');
    }
}


/***/ }),

/***/ 473:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   _e: () => (/* binding */ isInitramfsError),
/* harmony export */   h: () => (/* binding */ DigestMismatchError),
/* harmony export */   sp: () => (/* binding */ InitramfsError)
/* harmony export */ });
// Typed errors with stable codes: the one thing every entry point (CLI, action, tests) relies on to tell
// a user mistake or a bad image apart from a bug in this tool.
/** An error the user can act on: printed as one line, no stack. */
class InitramfsError extends Error {
    code;
    constructor(code, message, options) {
        super(message, options);
        this.name = 'InitramfsError';
        this.code = code;
    }
}
/** A blob's content did not match what its descriptor promised. */
class DigestMismatchError extends InitramfsError {
    blob;
    constructor(blob, message) {
        super('DIGEST_MISMATCH', message);
        this.blob = blob;
    }
}
const isInitramfsError = (e) => e instanceof InitramfsError;


/***/ }),

/***/ 579:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ tempNameFor),
/* harmony export */   Z: () => (/* binding */ writeFileAtomic)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(760);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(598);
// Atomic file output: write to a temporary name in the target's directory, fsync, rename. A reader (or a
// crashed build) never sees a half-written file under the final name.



/** A temporary name beside `target`, hidden, unique per call. */
const tempNameFor = (target) => (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.dirname)(target), `.${(0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(target)}.tmp-${(0,node_crypto__WEBPACK_IMPORTED_MODULE_2__.randomBytes)(6).toString('hex')}`);
/** Writes `data` to `target` atomically. */
async function writeFileAtomic(target, data) {
    const tmp = tempNameFor(target);
    try {
        const fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(tmp, 'wx', 0o644);
        try {
            await fh.writeFile(data);
            await fh.sync();
        }
        finally {
            await fh.close();
        }
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rename)(tmp, target);
    }
    catch (e) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(tmp, { force: true });
        throw e;
    }
}


/***/ }),

/***/ 436:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bc: () => (/* binding */ isDigest),
/* harmony export */   H2: () => (/* binding */ checkDigest),
/* harmony export */   VK: () => (/* binding */ shortDigest),
/* harmony export */   sI: () => (/* binding */ sha256Digest),
/* harmony export */   sU: () => (/* binding */ digestHex)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(598);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(473);
// Digest strings (`sha256:<64 lowercase hex>`): the only form this tool accepts, checked before a digest
// ever becomes part of a file path, so a hostile index.json cannot name a file outside the layout.


const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** True when `s` is `sha256:` followed by exactly 64 lowercase hex digits. */
const isDigest = (s) => typeof s === 'string' && DIGEST.test(s);
/**
 * Returns `value` when it is a valid digest; otherwise throws BAD_IMAGE naming `where` (e.g. "index.json
 * manifests[0]"), because a malformed digest means the image metadata is not what the spec allows.
 */
function checkDigest(value, where) {
    if (isDigest(value))
        return value;
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : String(value);
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InitramfsError */ .sp('BAD_IMAGE', `${where}: digest ${shown} is not sha256:<64 lowercase hex>`);
}
/** The hex part of a valid digest. */
const digestHex = (digest) => digest.slice('sha256:'.length);
/** `sha256:<hex>` of some bytes. */
const sha256Digest = (bytes) => `sha256:${(0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(bytes).digest('hex')}`;
/** A digest shortened for messages where the full value is given elsewhere (`sha256:0123456789ab…`). */
const shortDigest = (digest) => digest.length > 'sha256:'.length + 12 ? `${digest.slice(0, 'sha256:'.length + 12)}…` : digest;


/***/ }),

/***/ 847:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   J5: () => (/* binding */ platformMatches),
/* harmony export */   Rd: () => (/* binding */ listPlatforms),
/* harmony export */   Y8: () => (/* binding */ parsePlatform)
/* harmony export */ });
/* unused harmony exports DEFAULT_PLATFORM, normalizePlatform */
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(473);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(107);
// Platforms as users write them (`os/arch[/variant]`) and as images declare them, normalised the way
// containerd does so that `linux/arm64` matches an image that says `arm64/v8` and `linux/arm` means v7.


/** What a build targets when the user names no platform. */
const DEFAULT_PLATFORM = { os: 'linux', architecture: 'amd64' };
// Names other tools print for the same architecture (uname -m, Debian) → the OCI name.
const ARCH_ALIASES = {
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
function parsePlatform(text) {
    if (text === undefined)
        return { ...DEFAULT_PLATFORM };
    const parts = text.trim().toLowerCase().split('/');
    if (parts.length < 2 || parts.length > 3 || !parts.every((p) => PART.test(p))) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InitramfsError */ .sp('USAGE', `platform "${text}": expected os/arch[/variant], e.g. linux/amd64`);
    }
    const [os, architecture, variant] = parts;
    return normalizePlatform(variant === undefined ? { os, architecture } : { os, architecture, variant });
}
/**
 * The canonical form: architecture aliases resolved, `arm64` without variant → `v8`, `arm` without variant
 * → `v7` (armel → v6), and an empty variant dropped.
 */
function normalizePlatform(p) {
    const os = p.os.toLowerCase();
    const raw = p.architecture.toLowerCase();
    const architecture = ARCH_ALIASES[raw] ?? raw;
    let variant = p.variant ? p.variant.toLowerCase() : undefined;
    if (variant === undefined) {
        if (architecture === 'arm64')
            variant = 'v8';
        else if (architecture === 'arm')
            variant = raw === 'armel' ? 'v6' : 'v7';
    }
    // arm64's "8" and arm's "7" are sometimes written without the v.
    if (variant !== undefined && /^\d+$/.test(variant) && (architecture === 'arm' || architecture === 'arm64')) {
        variant = `v${variant}`;
    }
    return variant === undefined ? { os, architecture } : { os, architecture, variant };
}
/** True when an image declaring `have` satisfies a request for `want` (both normalised first). */
function platformMatches(want, have) {
    const w = normalizePlatform(want);
    const h = normalizePlatform(have);
    return w.os === h.os && w.architecture === h.architecture && w.variant === h.variant;
}
/** Platforms as a sorted, de-duplicated list for messages (`linux/amd64, linux/arm64/v8`). */
function listPlatforms(platforms) {
    const names = [...new Set(platforms.map(_types_js__WEBPACK_IMPORTED_MODULE_1__/* .formatPlatform */ .B))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return names.length > 0 ? names.join(', ') : '(none)';
}


/***/ }),

/***/ 54:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  o: () => (/* binding */ openSource)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./build/errors.js
var errors = __nccwpck_require__(473);
// EXTERNAL MODULE: ./build/image/digest.js
var image_digest = __nccwpck_require__(436);
;// CONCATENATED MODULE: ./build/image/image-config.js
// The image config blob (OCI image-spec config.md; Docker's is the same shape for what we read): its
// platform, its `config` object, and its rootfs diff_ids, checked for the types the rest of the tool relies on.


const isStringArray = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
/** Reads a config blob's parsed JSON; throws BAD_IMAGE naming `what` for anything off-spec. */
function parseImageConfig(json, what) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: not a JSON object`);
    }
    const doc = json;
    const result = { config: {} };
    if (typeof doc.os === 'string' && typeof doc.architecture === 'string') {
        result.platform = { os: doc.os, architecture: doc.architecture };
        if (typeof doc.variant === 'string' && doc.variant !== '')
            result.platform.variant = doc.variant;
    }
    const c = doc.config;
    if (c !== undefined && c !== null) {
        if (typeof c !== 'object' || Array.isArray(c))
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: "config" is not an object`);
        const cfg = c;
        for (const key of ['Entrypoint', 'Cmd', 'Env']) {
            const v = cfg[key];
            if (v === undefined)
                continue;
            if (v !== null && !isStringArray(v)) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: config.${key} is not a list of strings`);
            }
            result.config[key] = v;
        }
        for (const key of ['WorkingDir', 'User']) {
            const v = cfg[key];
            if (v === undefined || v === null)
                continue;
            if (typeof v !== 'string')
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: config.${key} is not a string`);
            result.config[key] = v;
        }
    }
    const rootfs = doc.rootfs;
    if (rootfs !== undefined && rootfs !== null && typeof rootfs === 'object') {
        const ids = rootfs.diff_ids;
        if (ids !== undefined && ids !== null) {
            if (!Array.isArray(ids))
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: rootfs.diff_ids is not a list`);
            result.diffIds = ids.map((d, i) => (0,image_digest/* checkDigest */.H2)(d, `${what} rootfs.diff_ids[${i}]`));
        }
    }
    return result;
}
/** JSON.parse with BAD_IMAGE naming the blob instead of a SyntaxError. */
function parseJson(text, what) {
    try {
        return JSON.parse(text);
    }
    catch (e) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what}: not valid JSON (${e.message})`);
    }
}

;// CONCATENATED MODULE: ./build/image/media-types.js
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const INDEX_TYPES = new Set([OCI_INDEX, DOCKER_MANIFEST_LIST]);
const MANIFEST_TYPES = new Set([OCI_MANIFEST, DOCKER_MANIFEST]);
const CONFIG_TYPES = new Set([OCI_CONFIG, DOCKER_CONFIG]);
const LAYER_COMPRESSION = new Map([
    ['application/vnd.oci.image.layer.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.v1.tar+zstd', 'zstd'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar', 'none'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', 'gzip'],
    ['application/vnd.oci.image.layer.nondistributable.v1.tar+zstd', 'zstd'],
    ['application/vnd.docker.image.rootfs.diff.tar', 'none'],
    ['application/vnd.docker.image.rootfs.diff.tar.gzip', 'gzip'],
    ['application/vnd.docker.image.rootfs.diff.tar.zstd', 'zstd'],
    ['application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', 'gzip'],
]);
/** The media type a source without media types (docker-archive) reports for a sniffed compression. */
const layerMediaType = (c) => c === 'none' ? 'application/vnd.oci.image.layer.v1.tar' : `application/vnd.oci.image.layer.v1.tar+${c}`;

// EXTERNAL MODULE: ./build/image/platform.js
var image_platform = __nccwpck_require__(847);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(75);
;// CONCATENATED MODULE: ./build/image/verify.js
// Verification of a blob as its bytes stream past: a Transform that counts and hashes, failing with
// DigestMismatchError as soon as more bytes than promised arrive, or at the end when size or digest differ.





const prefix = (what, digest) => `${what} ${digest}: expected`;
/**
 * A pass-through that checks the bytes against `digest` (sha256) and `size`. `what` names the blob kind for
 * the message ("layer", "config"). Bytes beyond `size` are never passed on.
 */
function verifyStream(digest, size, what) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let count = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _encoding, callback) {
            count += chunk.length;
            if (count > size) {
                // Fail before passing anything beyond the promised size: an oversized blob is not to be trusted and
                // could be endless.
                callback(new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes, got more (blob too large)`));
                return;
            }
            hash.update(chunk);
            callback(null, chunk);
        },
        flush(callback) {
            if (count < size) {
                callback(new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${count} bytes (truncated)`));
                return;
            }
            const actual = `sha256:${hash.digest('hex')}`;
            if (actual !== digest) {
                callback(new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${count} bytes with digest ${actual}`));
                return;
            }
            callback();
        },
    });
}
/** The same check for a blob already in memory (manifests, configs); throws DigestMismatchError. */
function verifyBytes(bytes, digest, size, what) {
    if (bytes.length !== size) {
        const how = bytes.length < size ? 'truncated' : 'blob too large';
        throw new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${bytes.length} bytes (${how})`);
    }
    const actual = (0,image_digest/* sha256Digest */.sI)(bytes);
    if (actual !== digest) {
        throw new errors/* DigestMismatchError */.h(digest, `${prefix(what, digest)} ${size} bytes with digest ${digest}, got ${bytes.length} bytes with digest ${actual}`);
    }
}
/**
 * A verified stream of a file's bytes, or of the byte range [start, start + size) of it (a blob inside an
 * archive). Read errors surface on the returned stream.
 */
function openVerifiedFile(path, check, start) {
    const verify = verifyStream(check.digest, check.size, check.what);
    if (start !== undefined && check.size === 0)
        return external_node_stream_.Readable.from([]).pipe(verify);
    // fs ranges are inclusive. A range can hold no more than `size`, so within an archive only the digest
    // (and a file cut short) can fail.
    const file = start === undefined ? (0,external_node_fs_.createReadStream)(path) : (0,external_node_fs_.createReadStream)(path, { start, end: start + check.size - 1 });
    file.on('error', (err) => verify.destroy(err));
    return file.pipe(verify);
}

;// CONCATENATED MODULE: ./build/image/oci-layout.js
// Images from an OCI image layout directory (`oci:DIR[:REF]`, image-spec image-layout.md): index.json →
// (nested) index → platform manifest → config + layers. Every JSON blob is verified against its descriptor
// before it is parsed; layer blobs are verified as they are streamed.








const REF_NAME = 'org.opencontainers.image.ref.name';
/** Manifests and configs are small; refusing huge ones keeps a hostile descriptor from exhausting memory. */
const MAX_JSON_BLOB = 16 << 20;
/** Indexes may nest; content addressing rules out cycles, this rules out absurd depth. */
const MAX_INDEX_DEPTH = 8;
/**
 * Splits `oci:DIR[:REF]`. When everything after `oci:` is an existing directory it is the DIR (so a
 * directory whose name contains ':' works); otherwise the REF is what follows the last ':'.
 */
function parseOciReference(reference) {
    if (!reference.startsWith('oci:')) {
        throw new errors/* InitramfsError */.sp('USAGE', `image reference "${reference}": expected oci:DIR[:REF]`);
    }
    const rest = reference.slice('oci:'.length);
    if (rest === '')
        throw new errors/* InitramfsError */.sp('USAGE', `image reference "${reference}": no directory after oci:`);
    if (isDirectory(rest))
        return { dir: rest };
    const colon = rest.lastIndexOf(':');
    if (colon <= 0 || colon === rest.length - 1)
        return { dir: rest };
    return { dir: rest.slice(0, colon), ref: rest.slice(colon + 1) };
}
function isDirectory(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}
function parseDescriptor(value, where) {
    if (typeof value !== 'object' || value === null)
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: not a descriptor object`);
    const d = value;
    const digest = (0,image_digest/* checkDigest */.H2)(d.digest, where);
    if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: size ${JSON.stringify(d.size)} is not a byte count`);
    }
    if (typeof d.mediaType !== 'string')
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: no mediaType`);
    const desc = { mediaType: d.mediaType, digest, size: d.size };
    const p = d.platform;
    if (p && typeof p === 'object' && typeof p.os === 'string' && typeof p.architecture === 'string') {
        desc.platform = { os: p.os, architecture: p.architecture };
        if (typeof p.variant === 'string' && p.variant !== '')
            desc.platform.variant = p.variant;
    }
    if (d.annotations && typeof d.annotations === 'object') {
        const ann = {};
        for (const [k, v] of Object.entries(d.annotations))
            if (typeof v === 'string')
                ann[k] = v;
        desc.annotations = ann;
    }
    return desc;
}
function descriptorList(doc, key, where) {
    const list = doc[key];
    if (!Array.isArray(list))
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: "${key}" is not a list`);
    return list.map((d, i) => parseDescriptor(d, `${where} ${key}[${i}]`));
}
const sortedNames = (names) => {
    const list = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return list.length > 0 ? list.join(', ') : '(none)';
};
class OciLayoutSource {
    reference;
    dir;
    ref;
    #candidates;
    /** `reference` is `oci:DIR[:REF]` as the user wrote it. Nothing is read until platforms()/resolve(). */
    constructor(reference) {
        this.reference = reference;
        const parsed = parseOciReference(reference);
        this.dir = parsed.dir;
        this.ref = parsed.ref;
    }
    /** Opens `oci:DIR[:REF]` and reads its index, so a missing directory or unknown REF fails here. */
    static async open(reference) {
        const source = new OciLayoutSource(reference);
        await source.platforms();
        return source;
    }
    async platforms() {
        return (await this.#resolveCandidates()).map((c) => c.platform);
    }
    async resolve(platform) {
        const candidates = await this.#resolveCandidates();
        // Index order decides between equal matches, so the choice does not depend on anything but the layout.
        const chosen = candidates.find((c) => (0,image_platform/* platformMatches */.J5)(platform, c.platform));
        if (!chosen) {
            const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
            throw new errors/* InitramfsError */.sp('PLATFORM_NOT_FOUND', `${this.reference}: no image for platform ${want}; available: ${(0,image_platform/* listPlatforms */.Rd)(candidates.map((c) => c.platform))}`);
        }
        return this.#resolveManifest(chosen);
    }
    #resolveCandidates() {
        this.#candidates ??= Promise.resolve().then(() => {
            const top = this.#topDescriptors();
            const out = [];
            for (const d of top)
                this.#collect(d, 0, out);
            return out;
        });
        return this.#candidates;
    }
    /** The index.json descriptors the reference selects: all with the REF, or the single one there is. */
    #topDescriptors() {
        if (!isDirectory(this.dir)) {
            throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: directory ${this.dir} does not exist`);
        }
        let layoutText;
        try {
            layoutText = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(this.dir, 'oci-layout'), 'utf8');
        }
        catch {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${this.dir} is not an OCI image layout (no oci-layout file)`);
        }
        const layout = parseJson(layoutText, `${this.dir}/oci-layout`);
        if (typeof layout?.imageLayoutVersion !== 'string') {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.dir}/oci-layout: no imageLayoutVersion`);
        }
        let indexText;
        try {
            indexText = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(this.dir, 'index.json'), 'utf8');
        }
        catch {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${this.dir} has no index.json`);
        }
        const index = parseJson(indexText, `${this.dir}/index.json`);
        if (typeof index !== 'object' || index === null)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.dir}/index.json: not an object`);
        const all = descriptorList(index, 'manifests', `${this.dir}/index.json`);
        const refs = all.map((d) => d.annotations?.[REF_NAME]).filter((r) => r !== undefined);
        if (this.ref === undefined) {
            if (all.length !== 1) {
                throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: the layout holds ${all.length} images; name one as oci:${this.dir}:REF (refs: ${sortedNames(refs)})`);
            }
            return all;
        }
        const selected = all.filter((d) => d.annotations?.[REF_NAME] === this.ref);
        if (selected.length === 0) {
            throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: no image tagged "${this.ref}"; refs: ${sortedNames(refs)}`);
        }
        return selected;
    }
    #blobPath(digest) {
        return (0,external_node_path_.join)(this.dir, 'blobs', 'sha256', (0,image_digest/* digestHex */.sU)(digest));
    }
    /** Reads, verifies and parses a JSON blob. */
    #readJson(desc, what) {
        if (desc.size > MAX_JSON_BLOB) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what} ${desc.digest}: ${desc.size} bytes is too large for a ${what}`);
        }
        let bytes;
        try {
            bytes = (0,external_node_fs_.readFileSync)(this.#blobPath(desc.digest));
        }
        catch {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} blob ${desc.digest} is missing from the layout`);
        }
        verifyBytes(bytes, desc.digest, desc.size, what);
        const json = parseJson(bytes.toString('utf8'), `${what} ${desc.digest}`);
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${what} ${desc.digest}: not a JSON object`);
        }
        return json;
    }
    /** What a descriptor points at: its media type, or the document's own when the descriptor's is generic. */
    #kind(desc) {
        if (INDEX_TYPES.has(desc.mediaType))
            return 'index';
        if (MANIFEST_TYPES.has(desc.mediaType))
            return 'manifest';
        throw new errors/* InitramfsError */.sp('UNSUPPORTED', `${this.reference}: ${desc.digest} has media type ${desc.mediaType}, which is neither an image manifest nor an index`);
    }
    #collect(desc, depth, out) {
        if (this.#kind(desc) === 'manifest') {
            out.push({ platform: desc.platform ?? this.#manifestPlatform(desc), manifest: desc });
            return;
        }
        if (depth >= MAX_INDEX_DEPTH)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${desc.digest}: indexes nest deeper than ${MAX_INDEX_DEPTH}`);
        const index = this.#readJson(desc, 'index');
        for (const child of descriptorList(index, 'manifests', `index ${desc.digest}`)) {
            // Indexes may also list non-image artifacts (attestations, signatures): not candidates.
            if (!INDEX_TYPES.has(child.mediaType) && !MANIFEST_TYPES.has(child.mediaType))
                continue;
            if (child.platform && child.platform.os === 'unknown')
                continue;
            this.#collect(child, depth + 1, out);
        }
    }
    /** A manifest listed without a platform serves the one its config declares. */
    #manifestPlatform(desc) {
        const { config } = this.#readManifest(desc);
        const parsed = parseImageConfig(this.#readJson(config, 'config'), `config ${config.digest}`);
        return parsed.platform ?? { os: 'unknown', architecture: 'unknown' };
    }
    #readManifest(desc) {
        const m = this.#readJson(desc, 'manifest');
        if (m.schemaVersion !== 2) {
            throw new errors/* InitramfsError */.sp('UNSUPPORTED', `manifest ${desc.digest}: schemaVersion ${JSON.stringify(m.schemaVersion)} (only 2 is read)`);
        }
        const config = parseDescriptor(m.config, `manifest ${desc.digest} config`);
        if (!CONFIG_TYPES.has(config.mediaType)) {
            throw new errors/* InitramfsError */.sp('UNSUPPORTED', `manifest ${desc.digest}: config media type ${config.mediaType} is not a container image config`);
        }
        return { config, layers: descriptorList(m, 'layers', `manifest ${desc.digest}`) };
    }
    #resolveManifest(chosen) {
        const { config, layers } = this.#readManifest(chosen.manifest);
        const parsed = parseImageConfig(this.#readJson(config, 'config'), `config ${config.digest}`);
        if (parsed.diffIds !== undefined && parsed.diffIds.length !== layers.length) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `manifest ${chosen.manifest.digest}: ${layers.length} layers but the config lists ${parsed.diffIds.length} diff_ids`);
        }
        return {
            reference: this.reference,
            digest: chosen.manifest.digest,
            platform: parsed.platform ?? chosen.platform,
            config: parsed.config,
            layers: layers.map((d, i) => this.#layer(d, parsed.diffIds?.[i])),
        };
    }
    #layer(desc, diffId) {
        const compression = LAYER_COMPRESSION.get(desc.mediaType);
        if (compression === undefined) {
            throw new errors/* InitramfsError */.sp('UNSUPPORTED', `layer ${desc.digest}: media type ${desc.mediaType} is not a layer type this tool reads`);
        }
        const path = this.#blobPath(desc.digest);
        try {
            (0,external_node_fs_.statSync)(path);
        }
        catch {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: layer blob ${desc.digest} is missing from the layout`);
        }
        const layer = {
            digest: desc.digest,
            size: desc.size,
            mediaType: desc.mediaType,
            compression,
            open: () => openVerifiedFile(path, { digest: desc.digest, size: desc.size, what: 'layer' }),
        };
        if (diffId !== undefined)
            layer.diffId = diffId;
        return layer;
    }
}

// EXTERNAL MODULE: ./build/image/tar-index.js
var tar_index = __nccwpck_require__(236);
;// CONCATENATED MODULE: ./build/image/docker-archive.js
// Images from a `docker save` tar (`docker-archive:FILE[:REF]`): manifest.json names each image's config
// and layer tars inside the archive, either `<id>/layer.tar` (Docker < 25) or `blobs/sha256/<hex>` (Docker
// ≥ 25, OCI layout inside). Layers are streamed straight out of the archive by byte range, never copied.










const MAX_JSON = 16 << 20;
/** Symlink hops followed when a layer.tar is a link to an identical layer (docker save dedups that way). */
const MAX_LINK_HOPS = 16;
const BLOB_NAME = /^blobs\/sha256\/([0-9a-f]{64})$/;
const CONFIG_NAME = /^([0-9a-f]{64})\.json$/;
function isFile(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isFile();
    }
    catch {
        return false;
    }
}
/**
 * Splits `docker-archive:FILE[:REF]`. A RepoTag REF contains ':' itself (`busybox:latest`), so the FILE is
 * the shortest prefix ending before a ':' that is an existing file; with none, the whole rest is the FILE.
 */
function parseDockerArchiveReference(reference) {
    if (!reference.startsWith('docker-archive:')) {
        throw new errors/* InitramfsError */.sp('USAGE', `image reference "${reference}": expected docker-archive:FILE[:REF]`);
    }
    const rest = reference.slice('docker-archive:'.length);
    if (rest === '')
        throw new errors/* InitramfsError */.sp('USAGE', `image reference "${reference}": no file after docker-archive:`);
    if (isFile(rest))
        return { file: rest };
    for (let i = rest.indexOf(':'); i > 0; i = rest.indexOf(':', i + 1)) {
        if (isFile(rest.slice(0, i)) && i < rest.length - 1)
            return { file: rest.slice(0, i), ref: rest.slice(i + 1) };
    }
    return { file: rest };
}
/**
 * A RepoTag in Docker's fully qualified form, so `box`, `box:latest` and `docker.io/library/box:latest`
 * (as skopeo writes it) are one name: a first component without '.' or ':' (and not localhost) is a Docker
 * Hub path, a one-component Hub path is under library/, and a missing tag is latest.
 */
function normalizeRepoTag(tag) {
    const slash = tag.indexOf('/');
    const first = slash === -1 ? '' : tag.slice(0, slash);
    let name = tag;
    if (slash === -1)
        name = `docker.io/library/${tag}`;
    else if (!first.includes('.') && !first.includes(':') && first !== 'localhost')
        name = `docker.io/${tag}`;
    if (name.startsWith('docker.io/') && name.split('/').length === 2)
        name = name.replace('docker.io/', 'docker.io/library/');
    const last = name.slice(name.lastIndexOf('/') + 1);
    return last.includes(':') || last.includes('@') ? name : `${name}:latest`;
}
const matchesTag = (tags, ref) => {
    const want = normalizeRepoTag(ref);
    return tags.some((t) => normalizeRepoTag(t) === want);
};
/** Sniffs a layer's compression from its first bytes (docker-archive has no media types). */
function sniffCompression(head) {
    if (head[0] === 0x1f && head[1] === 0x8b)
        return 'gzip';
    if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)
        return 'zstd';
    return 'none';
}
class DockerArchiveSource {
    reference;
    file;
    ref;
    #members;
    #item;
    #config;
    /** `reference` is `docker-archive:FILE[:REF]` as the user wrote it. Nothing is read until used. */
    constructor(reference) {
        this.reference = reference;
        const parsed = parseDockerArchiveReference(reference);
        this.file = parsed.file;
        this.ref = parsed.ref;
    }
    /** Opens the archive and reads its manifest and config, so a missing file or unknown REF fails here. */
    static async open(reference) {
        const source = new DockerArchiveSource(reference);
        await source.platforms();
        return source;
    }
    async platforms() {
        const { platform } = this.#imageConfig();
        return platform ? [platform] : [];
    }
    async resolve(platform) {
        const item = this.#chosenItem();
        const config = this.#imageConfig();
        // An archive's image serves one platform; one that does not say which is taken as asked for.
        if (config.platform && !(0,image_platform/* platformMatches */.J5)(platform, config.platform)) {
            const want = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
            throw new errors/* InitramfsError */.sp('PLATFORM_NOT_FOUND', `${this.reference}: no image for platform ${want}; available: ${(0,image_platform/* listPlatforms */.Rd)([config.platform])}`);
        }
        if (config.diffIds !== undefined && config.diffIds.length !== item.Layers.length) {
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: manifest.json lists ${item.Layers.length} layers but the config lists ${config.diffIds.length} diff_ids`);
        }
        return {
            reference: this.reference,
            platform: config.platform ?? platform,
            config: config.config,
            layers: item.Layers.map((name, i) => this.#layer(name, config.diffIds?.[i])),
        };
    }
    #index() {
        if (this.#members)
            return this.#members;
        if (!isFile(this.file)) {
            throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: file ${this.file} does not exist`);
        }
        let list;
        try {
            list = (0,tar_index/* indexTar */.O1)(this.file);
        }
        catch (e) {
            if (e instanceof tar_index/* TarFormatError */.ZV) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${this.file} is not a docker save tar (${e.message})`);
            }
            throw e;
        }
        // Later members replace earlier ones of the same name, as when the tar is extracted.
        this.#members = new Map(list.map((m) => [m.name.replace(/\/+$/, ''), m]));
        return this.#members;
    }
    /** The member `name` refers to, links followed (relative to the archive root, never outside it). */
    #member(name, what) {
        const members = this.#index();
        let current = external_node_path_.posix.normalize(name).replace(/^(\.\/)+/, '');
        for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
            const m = members.get(current);
            if (!m)
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)} is not in the archive`);
            if (m.type === '0' || m.type === '7')
                return m;
            if (m.type !== '1' && m.type !== '2') {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)} is not a regular file`);
            }
            // Symlink targets are relative to the link's directory; hardlink targets name a member.
            const target = m.type === '2' ? external_node_path_.posix.join(external_node_path_.posix.dirname(current), m.linkname) : m.linkname;
            current = external_node_path_.posix.normalize(target).replace(/^(\.\/)+/, '');
            if (current.startsWith('../') || current.startsWith('/')) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)} links outside the archive`);
            }
        }
        throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} ${JSON.stringify(name)}: too many links`);
    }
    #read(m, what) {
        if (m.size > MAX_JSON)
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: ${what} is ${m.size} bytes, too large`);
        return readRange(this.file, m.offset, m.size);
    }
    /** The manifest.json item the reference selects. */
    #chosenItem() {
        if (this.#item)
            return this.#item;
        const doc = parseJson(this.#read(this.#member('manifest.json', 'manifest.json'), 'manifest.json').toString('utf8'), `${this.reference} manifest.json`);
        if (!Array.isArray(doc))
            throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${this.reference}: manifest.json is not a list`);
        const items = doc.map((raw, i) => {
            const r = raw;
            const where = `${this.reference}: manifest.json[${i}]`;
            if (typeof r?.Config !== 'string')
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: no Config`);
            if (!Array.isArray(r.Layers) || !r.Layers.every((l) => typeof l === 'string')) {
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${where}: Layers is not a list of names`);
            }
            const tags = Array.isArray(r.RepoTags) ? r.RepoTags.filter((t) => typeof t === 'string') : [];
            return { Config: r.Config, RepoTags: tags, Layers: r.Layers };
        });
        const allTags = [...new Set(items.flatMap((it) => it.RepoTags))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const tagList = allTags.length > 0 ? allTags.join(', ') : '(none)';
        let chosen;
        if (this.ref === undefined) {
            if (items.length !== 1) {
                throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: the archive holds ${items.length} images; name one as docker-archive:${this.file}:TAG (tags: ${tagList})`);
            }
            chosen = items[0];
        }
        else {
            const ref = this.ref;
            chosen = items.find((it) => matchesTag(it.RepoTags, ref));
            if (!chosen)
                throw new errors/* InitramfsError */.sp('IMAGE_NOT_FOUND', `${this.reference}: no image tagged "${ref}"; tags: ${tagList}`);
        }
        this.#item = chosen;
        return this.#item;
    }
    /** The chosen image's config, verified against the digest its name carries. */
    #imageConfig() {
        if (this.#config)
            return this.#config;
        const item = this.#chosenItem();
        const bytes = this.#read(this.#member(item.Config, 'config'), 'config');
        const base = external_node_path_.posix.normalize(item.Config);
        const named = BLOB_NAME.exec(base)?.[1] ?? CONFIG_NAME.exec(base)?.[1];
        // A hand-made archive may name its config freely; then there is no digest to check it against.
        if (named !== undefined)
            verifyBytes(bytes, `sha256:${named}`, bytes.length, 'config');
        this.#config = parseImageConfig(parseJson(bytes.toString('utf8'), `${this.reference} config`), `${this.reference} config`);
        return this.#config;
    }
    #layer(name, diffId) {
        const m = this.#member(name, 'layer');
        const compression = sniffCompression(readRange(this.file, m.offset, Math.min(4, m.size)));
        // The blob's digest: its blobs/sha256 name; else, for a plain tar, its DiffID (the digest of the
        // uncompressed tar is the digest of the stored bytes); else hashed here, which verifies nothing but
        // keeps Layer.digest honest.
        const blobHex = BLOB_NAME.exec(external_node_path_.posix.normalize(name))?.[1] ?? BLOB_NAME.exec(m.name)?.[1];
        let digest;
        if (blobHex !== undefined)
            digest = `sha256:${blobHex}`;
        else if (compression === 'none' && diffId !== undefined && (0,image_digest/* isDigest */.Bc)(diffId))
            digest = diffId;
        else
            digest = hashRange(this.file, m.offset, m.size);
        const file = this.file;
        const layer = {
            digest,
            size: m.size,
            mediaType: layerMediaType(compression),
            compression,
            open: () => openVerifiedFile(file, { digest, size: m.size, what: `layer ${name}` }, m.offset),
        };
        if (diffId !== undefined)
            layer.diffId = diffId;
        return layer;
    }
}
function readRange(file, offset, length) {
    const fd = (0,external_node_fs_.openSync)(file, 'r');
    try {
        const buf = Buffer.alloc(length);
        let done = 0;
        while (done < length) {
            const n = (0,external_node_fs_.readSync)(fd, buf, done, length - done, offset + done);
            if (n === 0)
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${file}: truncated (member at ${offset} ends early)`);
            done += n;
        }
        return buf;
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
function hashRange(file, offset, length) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const fd = (0,external_node_fs_.openSync)(file, 'r');
    try {
        const buf = Buffer.alloc(1 << 20);
        let done = 0;
        while (done < length) {
            const n = (0,external_node_fs_.readSync)(fd, buf, 0, Math.min(buf.length, length - done), offset + done);
            if (n === 0)
                throw new errors/* InitramfsError */.sp('BAD_IMAGE', `${file}: truncated (member at ${offset} ends early)`);
            hash.update(buf.subarray(0, n));
            done += n;
        }
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
    return `sha256:${hash.digest('hex')}`;
}

;// CONCATENATED MODULE: ./build/image/source.js
// Chooses the ImageSource for a reference by its transport prefix, the way skopeo names them. A
// registry reference (no prefix) is a third implementation of the same interface (issue 3).



async function openSource(reference) {
    if (reference.startsWith('oci:'))
        return OciLayoutSource.open(reference);
    if (reference.startsWith('docker-archive:'))
        return DockerArchiveSource.open(reference);
    throw new errors/* InitramfsError */.sp('USAGE', `image '${reference}': expected oci:DIR[:REF] (an OCI image layout) or docker-archive:FILE (a docker save tar); pulling from a registry is not supported yet`);
}


/***/ }),

/***/ 236:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   O1: () => (/* binding */ indexTar),
/* harmony export */   ZV: () => (/* binding */ TarFormatError),
/* harmony export */   cO: () => (/* binding */ decodePaxRecords)
/* harmony export */ });
/* unused harmony export decodeNumber */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
// An index of an uncompressed tar file's members (name → data offset and size), built by reading only the
// 512-byte headers and seeking past the data, so a multi-gigabyte `docker save` archive is never copied.
// Understands ustar name+prefix, GNU long names ('L'/'K') and pax 'x' path/linkpath/size records.

const BLOCK = 512;
// ustar header field offsets (POSIX.1-1988 + pax).
const NAME = 0;
const NAME_LEN = 100;
const SIZE = 124;
const SIZE_LEN = 12;
const CHKSUM = 148;
const CHKSUM_LEN = 8;
const TYPEFLAG = 156;
const LINKNAME = 157;
const LINKNAME_LEN = 100;
const MAGIC = 257;
const PREFIX = 345;
const PREFIX_LEN = 155;
/** Meta entries bigger than this are not names: refuse rather than read them into memory. */
const MAX_META = 1 << 20;
/** Raised for bytes that are not a tar; the caller turns it into its own error code. */
class TarFormatError extends Error {
    name = 'TarFormatError';
}
const cstring = (b, at, len) => {
    const field = b.subarray(at, at + len);
    const nul = field.indexOf(0);
    return Buffer.from(nul === -1 ? field : field.subarray(0, nul)).toString('latin1');
};
/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function decodeNumber(b, at, len) {
    const field = b.subarray(at, at + len);
    if ((field[0] & 0x80) !== 0) {
        if (field[0] === 0xff)
            throw new TarFormatError('negative base-256 number in tar header');
        let n = field[0] & 0x7f;
        for (let i = 1; i < field.length; i++)
            n = n * 256 + field[i];
        if (!Number.isSafeInteger(n))
            throw new TarFormatError('tar header number too large');
        return n;
    }
    const text = Buffer.from(field).toString('latin1').replace(/[\0 ]+$/g, '').replace(/^[ \0]+/, '');
    if (text === '')
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw new TarFormatError(`bad octal number ${JSON.stringify(text)} in tar header`);
    return Number.parseInt(text, 8);
}
/** True for an all-zero block (end-of-archive marker). */
const isZero = (b) => b.every((x) => x === 0);
function checksumOk(h) {
    let unsigned = 0;
    let signed = 0;
    for (let i = 0; i < BLOCK; i++) {
        const v = i >= CHKSUM && i < CHKSUM + CHKSUM_LEN ? 0x20 : h[i];
        unsigned += v;
        signed += v > 127 ? v - 256 : v;
    }
    const want = decodeNumber(h, CHKSUM, CHKSUM_LEN);
    // Some historic tars summed signed bytes; both are accepted, as GNU tar does.
    return want === unsigned || want === signed;
}
/** The pax records of an 'x'/'g' header's data ("<len> key=value\n" …), values as byte strings. */
function decodePaxRecords(data) {
    const out = new Map();
    let i = 0;
    while (i < data.length) {
        let sp = i;
        while (sp < data.length && data[sp] !== 0x20)
            sp++;
        const len = Number.parseInt(Buffer.from(data.subarray(i, sp)).toString('latin1'), 10);
        if (!Number.isSafeInteger(len) || len <= 0 || i + len > data.length)
            break;
        const record = Buffer.from(data.subarray(sp + 1, i + len - 1)).toString('latin1');
        const eq = record.indexOf('=');
        if (eq > 0)
            out.set(record.slice(0, eq), record.slice(eq + 1));
        i += len;
    }
    return out;
}
/** Reads the headers of the tar at `path` and returns its members in order (later duplicates included). */
function indexTar(path) {
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(path, 'r');
    try {
        return indexTarFd(fd);
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
function readAt(fd, length, position) {
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
        const n = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buf, done, length - done, position + done);
        if (n === 0)
            throw new TarFormatError(`tar truncated at byte ${position + done}`);
        done += n;
    }
    return buf;
}
const padded = (size) => Math.ceil(size / BLOCK) * BLOCK;
function indexTarFd(fd) {
    const members = [];
    let pos = 0;
    let longName;
    let longLink;
    let pax = new Map();
    let globalPax = new Map();
    for (;;) {
        let header;
        try {
            header = readAt(fd, BLOCK, pos);
        }
        catch (e) {
            // A tar without its end-of-archive marker is common enough (some writers omit it) to accept at a
            // header boundary.
            if (pos > 0 && e instanceof TarFormatError)
                return members;
            throw e;
        }
        if (isZero(header))
            return members;
        if (!checksumOk(header))
            throw new TarFormatError(`bad tar header checksum at byte ${pos}`);
        const type = header[TYPEFLAG] === 0 ? '0' : String.fromCharCode(header[TYPEFLAG]);
        let size = decodeNumber(header, SIZE, SIZE_LEN);
        const dataAt = pos + BLOCK;
        if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
            if (size > MAX_META)
                throw new TarFormatError(`tar meta entry of ${size} bytes at byte ${pos}`);
            const data = readAt(fd, size, dataAt);
            if (type === 'L')
                longName = cstring(data, 0, data.length);
            else if (type === 'K')
                longLink = cstring(data, 0, data.length);
            else if (type === 'x')
                pax = decodePaxRecords(data);
            else
                globalPax = new Map([...globalPax, ...decodePaxRecords(data)]);
            pos = dataAt + padded(size);
            continue;
        }
        const records = new Map([...globalPax, ...pax]);
        let name = cstring(header, NAME, NAME_LEN);
        const isUstar = header.subarray(MAGIC, MAGIC + 6).toString('latin1') === 'ustar\0';
        if (isUstar && header[PREFIX] !== 0)
            name = `${cstring(header, PREFIX, PREFIX_LEN)}/${name}`;
        if (longName !== undefined)
            name = longName;
        // pax values are UTF-8 by spec; kept as their bytes, the same form as the ustar fields.
        const paxPath = records.get('path');
        if (paxPath !== undefined)
            name = paxPath;
        let linkname = longLink ?? cstring(header, LINKNAME, LINKNAME_LEN);
        const paxLink = records.get('linkpath');
        if (paxLink !== undefined)
            linkname = paxLink;
        const paxSize = records.get('size');
        if (paxSize !== undefined && /^\d+$/.test(paxSize))
            size = Number.parseInt(paxSize, 10);
        longName = undefined;
        longLink = undefined;
        pax = new Map();
        while (name.startsWith('./'))
            name = name.slice(2);
        // Links, devices, directories and FIFOs carry no data whatever their size field says (as in Go's archive/tar).
        const dataSize = '123456'.includes(type) ? 0 : size;
        members.push({ name, type, offset: dataAt, size: dataSize, linkname });
        pos = dataAt + padded(dataSize);
    }
}


/***/ }),

/***/ 107:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ formatPlatform)
/* harmony export */ });
const formatPlatform = (p) => p.variant ? `${p.os}/${p.architecture}/${p.variant}` : `${p.os}/${p.architecture}`;


/***/ }),

/***/ 304:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Gd: () => (/* binding */ parseCompression),
/* harmony export */   XC: () => (/* binding */ resolveLevel),
/* harmony export */   fR: () => (/* binding */ compressStream),
/* harmony export */   qx: () => (/* binding */ compressSegment)
/* harmony export */ });
/* unused harmony exports COMPRESSIONS, DEFAULT_LEVEL, LEVEL_RANGE, normalizeGzipHeader */
/* harmony import */ var node_zlib__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(522);
/* harmony import */ var node_util__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(975);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(473);
// Compression of one archive segment into one self-contained gzip member or zstd frame (the kernel
// decompresses concatenated members/frames one after the other). Node's zlib work runs on the libuv
// threadpool, so segments compressed concurrently use every core with no worker threads. A segment held
// in memory and one streamed in pieces (too big for memory) compress to the same bytes: the bytes depend
// only on the input, the method and the level.



const COMPRESSIONS = ['gzip', 'zstd', 'none'];
/** Default level per method. */
const DEFAULT_LEVEL = { gzip: 6, zstd: 3, none: 0 };
/** Accepted levels per method, inclusive. */
const LEVEL_RANGE = {
    gzip: [1, 9],
    zstd: [1, 19],
    none: [0, 0],
};
/** Offset of the OS byte in a gzip member header (RFC 1952). */
const GZIP_OS_OFFSET = 9;
/** RFC 1952 OS code for Unix, forced so the bytes do not depend on the platform zlib was built for. */
const GZIP_OS_UNIX = 3;
const gzipAsync = (0,node_util__WEBPACK_IMPORTED_MODULE_1__.promisify)(node_zlib__WEBPACK_IMPORTED_MODULE_0__.gzip);
/** Parses a user-supplied compression name; InitramfsError('USAGE') for anything else. */
const parseCompression = (value) => {
    if (COMPRESSIONS.includes(value))
        return value;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `compression ${JSON.stringify(value)}: expected one of ${COMPRESSIONS.join(', ')}`);
};
/**
 * The level to use: `level` when given and in range, the method's default when undefined. For 'none'
 * any given level is ignored. InitramfsError('USAGE') for an out-of-range or non-integer level.
 */
const resolveLevel = (compression, level) => {
    if (!COMPRESSIONS.includes(compression))
        parseCompression(compression);
    if (compression === 'none')
        return 0;
    if (level === undefined)
        return DEFAULT_LEVEL[compression];
    const [min, max] = LEVEL_RANGE[compression];
    if (!Number.isInteger(level) || level < min || level > max) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `${compression} level must be an integer from ${min} to ${max}, got ${level}`);
    }
    return level;
};
const zlibOptions = (level) => ({ level });
const zstdOptions = (level, pledgedSrcSize) => ({
    // The one-shot call knows the input size; telling the streaming compressor the same size makes it pick
    // the same parameters and write the same frame header, so both paths give the same bytes.
    ...(pledgedSrcSize === undefined ? {} : { pledgedSrcSize }),
    // ZSTD_c_nbWorkers is deliberately not set: it crashes Node 24, and concurrency comes from segments.
    params: {
        [node_zlib__WEBPACK_IMPORTED_MODULE_0__.constants.ZSTD_c_compressionLevel]: level,
        [node_zlib__WEBPACK_IMPORTED_MODULE_0__.constants.ZSTD_c_checksumFlag]: 1,
    },
});
/** Makes a gzip member's header platform-independent (Node already writes mtime 0 and no name). */
const normalizeGzipHeader = (member) => {
    if (member.length > GZIP_OS_OFFSET)
        member[GZIP_OS_OFFSET] = GZIP_OS_UNIX;
    return member;
};
/** Compresses one whole segment into one gzip member / zstd frame ('none' returns the input). */
const compressSegment = async (raw, compression, level) => {
    switch (compression) {
        case 'none':
            return raw;
        case 'gzip':
            // Deflate's output does not depend on how its input was fed, so one-shot equals the streamed path.
            return normalizeGzipHeader(await gzipAsync(raw, zlibOptions(level)));
        case 'zstd': {
            // Not zlib.zstdCompress: zstd's frame depends on whether the input arrives with the end-of-frame flag,
            // and oversized segments must stream; going through compressStream keeps both paths identical.
            const out = [];
            await compressStream([raw], compression, level, raw.length, async (chunk) => {
                out.push(chunk);
            });
            return Buffer.concat(out);
        }
    }
};
const writeChunk = (compressor, chunk) => new Promise((resolve, reject) => compressor.write(chunk, (err) => (err ? reject(err) : resolve())));
/**
 * Compresses `inputSize` bytes arriving in pieces into one gzip member / zstd frame, handing each output
 * chunk to `output` in order (awaited, so a slow consumer holds the input back). Every piece is fully
 * processed before the stream is ended, so the end-of-frame flag always comes with no input: Node would
 * otherwise set it on whichever piece happens to be pending at end(), and zstd's bytes would depend on
 * that timing. Fed this way, the output does not depend on how the input is split.
 */
const compressStream = async (input, compression, level, inputSize, output) => {
    const compressor = compression === 'gzip' ? (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.createGzip)(zlibOptions(level)) : (0,node_zlib__WEBPACK_IMPORTED_MODULE_0__.createZstdCompress)(zstdOptions(level, inputSize));
    let at = 0;
    const consumed = (async () => {
        for await (const chunk of compressor) {
            if (compression === 'gzip' && at <= GZIP_OS_OFFSET && GZIP_OS_OFFSET < at + chunk.length) {
                chunk[GZIP_OS_OFFSET - at] = GZIP_OS_UNIX;
            }
            at += chunk.length;
            await output(chunk);
        }
    })();
    // Awaited below; handled here so a failure while input is still being fed is not reported as unhandled.
    consumed.catch(() => { });
    try {
        for await (const chunk of input)
            if (chunk.length > 0)
                await writeChunk(compressor, chunk);
        compressor.end();
    }
    catch (e) {
        compressor.destroy(e);
        throw e;
    }
    await consumed;
};


/***/ }),

/***/ 836:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   N: () => (/* binding */ inspect),
/* harmony export */   a: () => (/* binding */ formatInspection)
/* harmony export */ });
/* harmony import */ var _image_source_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(54);
/* harmony import */ var _image_platform_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(847);
/* harmony import */ var _image_types_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(107);
// `inspect IMAGE`: what a user needs before building — the platforms there are, and for the chosen one the
// config the generated /init will run and the layers that will be applied.



async function inspect(reference, platform) {
    const source = await (0,_image_source_js__WEBPACK_IMPORTED_MODULE_0__/* .openSource */ .o)(reference);
    const platforms = await source.platforms();
    const image = await source.resolve((0,_image_platform_js__WEBPACK_IMPORTED_MODULE_1__/* .parsePlatform */ .Y8)(platform));
    return {
        reference: image.reference,
        platforms,
        platform: image.platform,
        digest: image.digest ?? null,
        config: image.config,
        layers: image.layers.map((l) => ({ digest: l.digest, size: l.size, mediaType: l.mediaType })),
    };
}
const list = (v) => (v && v.length ? JSON.stringify(v) : '(none)');
function formatInspection(i) {
    const lines = [
        `Reference:  ${i.reference}`,
        `Platforms:  ${i.platforms.map(_image_types_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .B).join(', ') || '(none)'}`,
        `Platform:   ${(0,_image_types_js__WEBPACK_IMPORTED_MODULE_2__/* .formatPlatform */ .B)(i.platform)}${i.digest ? `  ${i.digest}` : ''}`,
        `Entrypoint: ${list(i.config.Entrypoint)}`,
        `Cmd:        ${list(i.config.Cmd)}`,
        `WorkingDir: ${i.config.WorkingDir || '(none)'}`,
        `Env:`,
        ...(i.config.Env ?? []).map((e) => `  ${e}`),
        `Layers (oldest first):`,
        ...i.layers.map((l, n) => `  ${String(n + 1).padStart(2)}. ${l.digest}  ${l.size} bytes  ${l.mediaType}`),
    ];
    return lines.join('\n') + '\n';
}


/***/ }),

/***/ 200:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ formatReport)
/* harmony export */ });
/** The report as JSON text, with a stable key order (the object literal order above). */
const formatReport = (r) => JSON.stringify(r, null, 2) + '\n';


/***/ }),

/***/ 984:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   cj: () => (/* binding */ fromBytePath),
/* harmony export */   s9: () => (/* binding */ newDir),
/* harmony export */   xe: () => (/* binding */ toBytePath)
/* harmony export */ });
const newDir = (mode = 0o755, mtime = 0) => ({
    inode: { type: 'dir', mode, uid: 0, gid: 0, mtime, size: 0 },
    children: new Map(),
});
/** User-facing (UTF-8) path → the byte-string form the model uses. */
const toBytePath = (p) => Buffer.from(p, 'utf8').toString('latin1');
/** Model byte string → UTF-8 for messages (invalid sequences shown as U+FFFD). */
const fromBytePath = (p) => Buffer.from(p, 'latin1').toString('utf8');


/***/ }),

/***/ 682:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Iq: () => (/* binding */ parseInjectSpec),
/* harmony export */   Qi: () => (/* binding */ setGeneratedFile),
/* harmony export */   Zg: () => (/* binding */ setInit),
/* harmony export */   bm: () => (/* binding */ injectPath),
/* harmony export */   tm: () => (/* binding */ ensureBootEntries)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(455);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(760);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(473);
/* harmony import */ var _node_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(984);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(195);
/* harmony import */ var _tree_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(244);
// What goes on top of the image's layers, in the model: injected host files and directories, /init, and
// the device nodes and mount points a kernel and init need. Host files are only stat'ed and listed here;
// their bytes are read when the archive is written. Owners are 0:0 and mtimes 0: host metadata would make
// the archive depend on the machine it was built on.
//
// Replacement rule: a destination is resolved like a layer entry (parent symlinks followed inside the root,
// missing parents created 0755), and whatever is AT the destination is replaced, never followed: a
// destination that is a symlink to a directory becomes the injected file (or directory). A host directory
// injected onto an existing directory merges into it, as Dockerfile COPY does (existing directories keep
// their metadata, files with the same name are replaced).






const DEFAULT_FILE_MODE = 0o755;
const SPEC_FORM = 'SRC:DEST[:MODE] with DEST absolute and MODE octal, e.g. ./agent:/usr/bin/agent:0755';
/**
 * Parse `SRC:DEST[:MODE]`. The spec is split at its LAST ":/" (DEST is absolute, so it starts there), so
 * SRC may contain ":" freely; DEST then cannot contain ":/", and a DEST ending in ":" plus octal digits is
 * read as DEST:MODE (append an explicit mode to keep such a name).
 */
function parseInjectSpec(spec) {
    const split = spec.lastIndexOf(':/');
    if (split <= 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid inject '${spec}'. Expected ${SPEC_FORM}.`);
    }
    const source = spec.slice(0, split);
    let dest = spec.slice(split + 1);
    let mode;
    const modeMatch = /:([0-7]+)$/.exec(dest);
    if (modeMatch !== null) {
        mode = parseInt(modeMatch[1], 8);
        if (mode > 0o7777) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid inject '${spec}': mode ${modeMatch[1]} is not a permission mode (at most 7777). Expected ${SPEC_FORM}.`);
        }
        dest = dest.slice(0, modeMatch.index);
    }
    else if (/:\d+$/.test(dest)) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid inject '${spec}': the mode must be octal. Expected ${SPEC_FORM}.`);
    }
    checkDest(dest, `inject '${spec}'`);
    return mode === undefined ? { source, dest } : { source, dest, mode };
}
/** Inject a host file or directory (recursively, in sorted order) at `spec.dest`. */
async function injectPath(root, spec) {
    const what = `--inject ${spec.source}:${spec.dest}`;
    checkDest(spec.dest, what);
    const fileMode = (spec.mode ?? DEFAULT_FILE_MODE) & 0o7777;
    const st = await statSource(spec.source, what);
    if (st.isDirectory()) {
        const { parent, name } = destParent(root, spec.dest, what);
        const existing = parent.children.get(name);
        const dir = existing?.inode.type === 'dir' ? existing : (0,_node_js__WEBPACK_IMPORTED_MODULE_3__/* .newDir */ .s9)();
        parent.children.set(name, dir);
        await copyDir(spec.source, dir, fileMode, what);
    }
    else if (st.isFile()) {
        await checkReadable(spec.source, what);
        const { parent, name } = destParent(root, spec.dest, what);
        parent.children.set(name, hostFile(spec.source, st.size, fileMode));
    }
    else {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${spec.source} is not a regular file or a directory`);
    }
}
/** Make the host file `hostPath` the image's /init (mode 0755), replacing whatever /init was. */
async function setInit(root, hostPath) {
    const what = `--init ${hostPath}`;
    const st = await statSource(hostPath, what);
    // The kernel execs /init; a directory or device there cannot boot.
    if (!st.isFile())
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${hostPath} is not a regular file`);
    await checkReadable(hostPath, what);
    const { parent, name } = destParent(root, '/init', what);
    parent.children.set(name, hostFile(hostPath, st.size, 0o755));
}
/** Put a file with in-memory content (e.g. the generated /init) at `dest`, replacing whatever was there. */
function setGeneratedFile(root, dest, bytes, mode) {
    const { parent, name } = destParent(root, dest, dest);
    parent.children.set(name, {
        inode: { type: 'file', mode: mode & 0o7777, uid: 0, gid: 0, mtime: 0, size: bytes.length, data: { kind: 'bytes', bytes } },
    });
}
/**
 * Make sure the kernel and init find what they need: /dev/console (the kernel opens it for init's stdio
 * before anything is mounted), /dev/null, and the /dev, /proc and /sys mount points. An existing entry of
 * the right type (and device numbers) keeps its metadata; anything else at those names is replaced.
 */
function ensureBootEntries(root) {
    const dev = ensureDir(root, 'dev', 0o755);
    ensureCharDevice(dev, 'console', 5, 1, 0o600);
    ensureCharDevice(dev, 'null', 1, 3, 0o666);
    ensureDir(root, 'proc', 0o555);
    ensureDir(root, 'sys', 0o555);
}
function ensureDir(parent, name, mode) {
    const existing = parent.children.get(name);
    if (existing?.inode.type === 'dir')
        return existing;
    const dir = (0,_node_js__WEBPACK_IMPORTED_MODULE_3__/* .newDir */ .s9)(mode);
    parent.children.set(name, dir);
    return dir;
}
function ensureCharDevice(dir, name, major, minor, mode) {
    const i = dir.children.get(name)?.inode;
    if (i?.type === 'char' && i.devMajor === major && i.devMinor === minor)
        return;
    dir.children.set(name, {
        inode: { type: 'char', mode, uid: 0, gid: 0, mtime: 0, size: 0, devMajor: major, devMinor: minor },
    });
}
function hostFile(path, size, mode) {
    return { inode: { type: 'file', mode, uid: 0, gid: 0, mtime: 0, size, data: { kind: 'host', path } } };
}
/** Copy a host directory's entries into `dir`, sorted by byte order so the walk never depends on the host. */
async function copyDir(hostDir, dir, fileMode, what) {
    let names;
    try {
        names = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(hostDir);
    }
    catch (e) {
        throw sourceError(what, hostDir, e);
    }
    // Byte strings compare by byte under `<`, unlike UTF-16 strings (astral characters).
    const sorted = names.map((n) => ({ host: n, bytes: (0,_node_js__WEBPACK_IMPORTED_MODULE_3__/* .toBytePath */ .xe)(n) })).sort((a, b) => (a.bytes < b.bytes ? -1 : a.bytes > b.bytes ? 1 : 0));
    for (const { host, bytes } of sorted) {
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(hostDir, host);
        let st;
        try {
            st = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.lstat)(path);
        }
        catch (e) {
            throw sourceError(what, path, e);
        }
        if (st.isDirectory()) {
            const existing = dir.children.get(bytes);
            const sub = existing?.inode.type === 'dir' ? existing : (0,_node_js__WEBPACK_IMPORTED_MODULE_3__/* .newDir */ .s9)();
            dir.children.set(bytes, sub);
            await copyDir(path, sub, fileMode, what);
        }
        else if (st.isFile()) {
            await checkReadable(path, what);
            dir.children.set(bytes, hostFile(path, st.size, fileMode));
        }
        else if (st.isSymbolicLink()) {
            let target;
            try {
                target = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readlink)(path, { encoding: 'buffer' });
            }
            catch (e) {
                throw sourceError(what, path, e);
            }
            dir.children.set(bytes, {
                inode: { type: 'symlink', mode: 0o777, uid: 0, gid: 0, mtime: 0, size: 0, target: target.toString('latin1') },
            });
        }
        else {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${path} is not a regular file, directory or symlink`);
        }
    }
}
function checkDest(dest, what) {
    if (!dest.startsWith('/')) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination '${dest}' must be an absolute path in the image. Expected ${SPEC_FORM}.`);
    }
    const p = (0,_path_js__WEBPACK_IMPORTED_MODULE_4__/* .normalisePath */ .q)((0,_node_js__WEBPACK_IMPORTED_MODULE_3__/* .toBytePath */ .xe)(dest));
    if (!p.ok)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination '${dest}': ${p.reason}.`);
    if (p.components.length === 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination '${dest}' is the root; name a path under it.`);
    }
}
/** The directory that will hold `dest` (parents created, symlinks followed inside the root) and the name. */
function destParent(root, dest, what) {
    const p = (0,_path_js__WEBPACK_IMPORTED_MODULE_4__/* .normalisePath */ .q)((0,_node_js__WEBPACK_IMPORTED_MODULE_3__/* .toBytePath */ .xe)(dest));
    const name = p.ok ? p.components[p.components.length - 1] : undefined;
    if (!p.ok || name === undefined) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination '${dest}' is not a path under the root.`);
    }
    const parent = (0,_tree_js__WEBPACK_IMPORTED_MODULE_5__/* .resolveDir */ .m$)(root, p.components.slice(0, -1), true);
    if (!parent.ok)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('USAGE', `Invalid ${what}: destination '${dest}': ${parent.reason} in the image.`);
    return { parent: parent.node, name };
}
async function statSource(path, what) {
    try {
        return await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(path);
    }
    catch (e) {
        throw sourceError(what, path, e);
    }
}
async function checkReadable(path, what) {
    try {
        await (await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.open)(path, 'r')).close();
    }
    catch (e) {
        throw sourceError(what, path, e);
    }
}
function sourceError(what, path, cause) {
    const code = cause.code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code ?? String(cause)})`;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InitramfsError */ .sp('INJECT_SOURCE', `${what}: ${path} ${why}`, { cause });
}


/***/ }),

/***/ 195:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ normalisePath),
/* harmony export */   u: () => (/* binding */ joinPath)
/* harmony export */ });
// Path policy for names that come from layers, link targets and options: a raw byte-string path becomes a
// list of components relative to the rootfs root, or is refused. Metadata only: nothing here (or anywhere
// in rootfs/) touches the host filesystem because of what an image says.
//
// The policy, as a user sees it:
// - Names are normalised: leading "/" and "./" are stripped (absolute names are CONFINED to the root, as
//   tar does), repeated slashes and "." components are removed, a trailing "/" is removed. An empty name or
//   "." is the root itself (a root directory entry updates the root's metadata).
// - A name with a ".." component is DROPPED with a warning naming the layer and the entry: such names are
//   hostile, are never emitted and never resolved. The same holds for hardlink targets and whiteouts.
// - When a PARENT component of an entry's path is a symlink in the tree, it is resolved INSIDE the root,
//   like a chroot (umoci's securejoin, Docker's chrooted extraction): absolute targets start at the root,
//   ".." stops at the root, at most 40 symlinks are followed (more: the entry is dropped with a warning,
//   "too many levels of symbolic links"). So `evil -> /etc` + `evil/passwd` writes the model's
//   /etc/passwd and `up -> ../../../..` + `up/x` writes /x. The final component is never followed: an
//   entry replaces a symlink at its own name. A parent component that is a non-directory (file, device)
//   drops the entry with a warning, where tar would fail with ENOTDIR.
// - Hardlink targets are normalised and resolved the same way (a target that is missing or a directory
//   drops the link with a warning).
/**
 * Normalise a raw (byte-string) name from a tar entry, link target or option into components under the
 * root. Refuses names with a ".." component and names containing NUL.
 */
function normalisePath(raw) {
    // A NUL cannot be in a real path; a name carrying one was crafted to mean two things to two readers.
    if (raw.includes('\0'))
        return { ok: false, reason: 'name contains a NUL byte' };
    const components = [];
    for (const part of raw.split('/')) {
        if (part === '' || part === '.')
            continue;
        if (part === '..')
            return { ok: false, reason: 'name has a ".." component' };
        components.push(part);
    }
    return { ok: true, components };
}
/** Components → the rootfs-absolute form used in messages and globs ("/" for the root). */
const joinPath = (components) => '/' + components.join('/');


/***/ }),

/***/ 244:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $I: () => (/* binding */ lookup),
/* harmony export */   GG: () => (/* binding */ walk),
/* harmony export */   m$: () => (/* binding */ resolveDir)
/* harmony export */ });
/* unused harmony exports MAX_SYMLINK_HOPS, hasFile */
/* harmony import */ var _node_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(984);
/* harmony import */ var _path_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(195);
// Finding names in the rootfs model the way a chrooted process would: symlinks are followed INSIDE the
// root (absolute targets start at the root, ".." stops at it, at most 40 hops), never on the host.
// See path.ts for the policy this implements.


/** Linux's limit (MAXSYMLINKS): past it, resolution fails with "too many levels of symbolic links". */
const MAX_SYMLINK_HOPS = 40;
/**
 * Walk `components` from the root. Every component but the last must end up a directory (symlinks are
 * expanded in place, chroot-style); the last is returned whatever its type.
 */
function walk(root, components, opts) {
    const created = [];
    let r = walkInner(root, components, opts, created);
    if (r.ok && opts.dir === true && r.node.inode.type !== 'dir') {
        r = { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)(r.path)} is not a directory`, missing: false };
    }
    // A failed walk leaves the tree as it found it: a dropped entry must not leave directories behind.
    if (!r.ok)
        for (const [dir, name] of created.reverse())
            dir.children.delete(name);
    return r;
}
function walkInner(root, components, opts, created) {
    const dirs = [root];
    const names = [];
    // Components still to visit; a symlink's target is spliced in at the front, so "last" always means
    // "nothing left", also when the last component was a symlink that got expanded.
    const queue = [...components];
    let hops = 0;
    while (queue.length > 0) {
        const name = queue.shift();
        if (name === '' || name === '.')
            continue;
        if (name === '..') {
            // Stops at the root, like ".." of "/" on Linux: a link cannot climb out of the image.
            if (dirs.length > 1) {
                dirs.pop();
                names.pop();
            }
            continue;
        }
        const last = queue.length === 0;
        const dir = dirs[dirs.length - 1];
        let child = dir.children.get(name);
        if (child === undefined) {
            if (!opts.create)
                return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])} does not exist`, missing: true };
            child = (0,_node_js__WEBPACK_IMPORTED_MODULE_1__/* .newDir */ .s9)();
            dir.children.set(name, child);
            created.push([dir, name]);
        }
        if (child.inode.type === 'symlink' && (!last || opts.followLast)) {
            if (++hops > MAX_SYMLINK_HOPS) {
                return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])}: too many levels of symbolic links`, missing: false };
            }
            const target = child.inode.target ?? '';
            // An empty target names nothing (ENOENT on Linux); treating it as "." would invent a meaning.
            if (target === '')
                return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])} is a symlink with an empty target`, missing: true };
            if (target.startsWith('/')) {
                dirs.length = 1;
                names.length = 0;
            }
            queue.unshift(...target.split('/'));
            continue;
        }
        if (last)
            return { ok: true, node: child, path: [...names, name] };
        if (child.inode.type !== 'dir') {
            return { ok: false, reason: `${(0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .joinPath */ .u)([...names, name])} is not a directory`, missing: false };
        }
        dirs.push(child);
        names.push(name);
    }
    return { ok: true, node: dirs[dirs.length - 1], path: names };
}
/**
 * The directory `components` names, following every symlink inside the root; with `create`, missing
 * directories are made on the way. Fails when something on the way (or the result) is not a directory.
 */
function resolveDir(root, components, create) {
    return walk(root, components, { followLast: true, create, dir: true });
}
/**
 * The node at a rootfs path (byte string, e.g. "/bin/sh"; leading "/" optional), resolving symlinks
 * inside the root; `follow` also follows a symlink in the last component. Undefined when the path does not
 * resolve, or has a ".." component (never resolved, see path.ts).
 */
function lookup(root, path, opts) {
    const p = (0,_path_js__WEBPACK_IMPORTED_MODULE_0__/* .normalisePath */ .q)(path);
    if (!p.ok)
        return undefined;
    const r = walk(root, p.components, { followLast: opts.follow, create: false });
    return r.ok ? r.node : undefined;
}
/** Whether `path` resolves (symlinks followed inside the root) to a regular file: `/bin -> usr/bin` counts. */
const hasFile = (root, path) => lookup(root, path, { follow: true })?.inode.type === 'file';


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/publicPath */
/******/ (() => {
/******/ 	var scriptUrl;
/******/ 	if (typeof import.meta.url === "string") scriptUrl = import.meta.url
/******/ 	// When supporting browsers where an automatic publicPath is not supported you must specify an output.publicPath manually via configuration
/******/ 	// or pass an empty string ("") and set the __webpack_public_path__ variable from your code to use your own logic.
/******/ 	if (!scriptUrl) throw new Error("Automatic publicPath is not supported in this browser");
/******/ 	scriptUrl = scriptUrl.replace(/#.*$/, "").replace(/\?.*$/, "").replace(/\/[^\/]+$/, "/");
/******/ 	__nccwpck_require__.p = scriptUrl;
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	__nccwpck_require__.b = new URL("./", import.meta.url);
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	// no install chunk
/******/ 	
/******/ 	// no chunk on demand loading
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(472);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ var __webpack_exports__main = __webpack_exports__.i;
/******/ export { __webpack_exports__main as main };
/******/ 
