// Renders the core's Reporter events for people. A TTY gets one live line per stage, redrawn in place
// (at most ~10 times a second); anything else (CI logs, pipes) gets plain lines, one per event, and no
// escape codes. Both say how long each stage took when it ends.
import type { Reporter, Stage } from '../log.ts';

const mib = (n: number): string => `${(n / (1 << 20)).toFixed(1)} MiB`;

/** A duration as both reporters (and the action's log) print it: `1.2 s`. */
const seconds = (ms: number): string => `${(Math.max(0, ms) / 1000).toFixed(1)} s`;

interface Writable {
  write(s: string): unknown;
}

/** What the live display needs of a terminal stream (process.stderr when it is a TTY). */
export interface TerminalStream extends Writable {
  /** The terminal's width; read at every draw, so a resize applies at once. */
  columns?: number | undefined;
  on?(event: 'resize', listener: () => void): unknown;
}

export class PlainReporter implements Reporter {
  #out: Writable;
  #now: () => number;
  #started = new Map<Stage, number>();

  constructor(out: Writable, now: () => number = () => performance.now()) {
    this.#out = out;
    this.#now = now;
  }
  stage(stage: Stage, message: string): void {
    this.#started.set(stage, this.#now());
    this.#out.write(`[${stage}] ${message}\n`);
  }
  progress(): void {}
  done(stage: Stage, message: string): void {
    const started = this.#started.get(stage);
    this.#started.delete(stage);
    this.#out.write(`[${stage}] ${message}${started === undefined ? '' : ` (${seconds(this.#now() - started)})`}\n`);
  }
  warn(message: string): void {
    this.#out.write(`warning: ${message}\n`);
  }
  info(message: string): void {
    this.#out.write(`${message}\n`);
  }
}

/** Columns assumed when the stream does not say (not a terminal after all). */
const DEFAULT_COLUMNS = 80;

export class TtyReporter implements Reporter {
  #out: TerminalStream;
  #stage: Stage | undefined;
  #message = '';
  #total: number | undefined;
  #started = new Map<Stage, number>();
  #lastDraw = 0;
  #now: () => number;
  /** The live line as last drawn (before fitting), to redraw it at a new width; undefined when none is shown. */
  #live: { head: string; tail: string } | undefined;

  constructor(out: TerminalStream, now: () => number = () => performance.now()) {
    this.#out = out;
    this.#now = now;
    out.on?.('resize', () => {
      if (this.#live) this.#draw(this.#live.head, this.#live.tail);
    });
  }

  stage(stage: Stage, message: string, total?: number): void {
    this.#stage = stage;
    this.#message = message;
    this.#total = total;
    this.#started.set(stage, this.#now());
    this.#draw(`[${stage}] ${message}…`);
  }

  progress(stage: Stage, done: number): void {
    if (stage !== this.#stage) return;
    const t = this.#now();
    if (t - this.#lastDraw < 100) return;
    this.#lastDraw = t;
    const pct = this.#total ? ` ${Math.min(100, Math.floor((done / this.#total) * 100))}%` : '';
    this.#draw(`[${stage}] ${this.#message}`, ` ${mib(done)}${this.#total ? ' / ' + mib(this.#total) : ''}${pct}`);
  }

  done(stage: Stage, message: string): void {
    const started = this.#started.get(stage);
    this.#started.delete(stage);
    this.#draw(`[${stage}] ✓ ${message}`, started === undefined ? '' : ` (${seconds(this.#now() - started)})`);
    this.#out.write('\n');
    this.#live = undefined;
    if (stage === this.#stage) this.#stage = undefined;
  }

  warn(message: string): void {
    this.#clear();
    this.#out.write(`warning: ${message}\n`);
    this.#redraw();
  }

  info(message: string): void {
    this.#clear();
    this.#out.write(`${message}\n`);
    this.#redraw();
  }

  /**
   * Replaces the live line with `head` + `tail`, cut to the terminal's width so that it never wraps: a
   * wrapped line spans two rows, and `\r\x1b[2K` would then clear only the last one, leaving a stale copy
   * above at every redraw. The head (stage and message) gives way first, so the numbers in the tail stay.
   */
  #draw(head: string, tail = ''): void {
    this.#live = { head, tail };
    this.#out.write(`\r\x1b[2K${fitLine(head, tail, this.#out.columns || DEFAULT_COLUMNS)}`);
  }

  /** After a warning or a message printed over it, the live line comes back below. */
  #redraw(): void {
    if (this.#live) this.#draw(this.#live.head, this.#live.tail);
  }

  #clear(): void {
    if (this.#live) this.#out.write('\r\x1b[2K');
  }
}

/**
 * `head` + `tail` in at most `columns - 1` terminal cells (the last column is left free: some terminals wrap
 * as soon as it is written). Control characters become `?` so nothing in a message can move the cursor. When
 * the line is too long the head is cut and ends in `…`; when even the tail does not fit, the whole is cut.
 */
export function fitLine(head: string, tail: string, columns: number): string {
  const limit = Math.max(1, columns - 1);
  const h = sanitize(head);
  const t = sanitize(tail);
  if (width(h) + width(t) <= limit) return h + t;
  if (width(t) + 1 < limit) return cut(h, limit - width(t) - 1) + '…' + t;
  return cut(h + t, limit - 1) + '…';
}

const sanitize = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/** The longest prefix of `s` (whole code points) that fills at most `cells` cells. */
function cut(s: string, cells: number): string {
  let used = 0;
  let out = '';
  for (const ch of s) {
    const w = charWidth(ch.codePointAt(0)!);
    if (used + w > cells) break;
    used += w;
    out += ch;
  }
  return out;
}

/** Terminal cells `s` takes. */
export function width(s: string): number {
  let n = 0;
  for (const ch of s) n += charWidth(ch.codePointAt(0)!);
  return n;
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;
const EMOJI = /^\p{Emoji_Presentation}$/u;

/**
 * Cells one code point takes: 0 for combining marks and format characters, 2 for East Asian wide and
 * fullwidth characters and emoji (the ranges Node's own REPL uses), 1 for everything else. Erring wide only
 * shortens a line; erring narrow would wrap it.
 */
function charWidth(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (ZERO_WIDTH.test(ch)) return 0;
  if (EMOJI.test(ch)) return 2;
  const wide =
    cp >= 0x1100 &&
    (cp <= 0x115f ||
      cp === 0x2329 ||
      cp === 0x232a ||
      (cp >= 0x2e80 && cp <= 0x3247 && cp !== 0x303f) ||
      (cp >= 0x3250 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0xa4c6) ||
      (cp >= 0xa960 && cp <= 0xa97c) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe10 && cp <= 0xfe19) ||
      (cp >= 0xfe30 && cp <= 0xfe6b) ||
      (cp >= 0xff01 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1b000 && cp <= 0x1b001) ||
      (cp >= 0x1f200 && cp <= 0x1f251) ||
      (cp >= 0x1f300 && cp <= 0x1f64f) ||
      (cp >= 0x20000 && cp <= 0x3fffd));
  return wide ? 2 : 1;
}
