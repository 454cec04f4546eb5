// Renders the core's Reporter events for people. A TTY gets one live line per stage, redrawn in place
// (at most ~10 times a second); anything else (CI logs, pipes) gets plain lines, one per event, and no
// escape codes.
import type { Reporter, Stage } from '../log.ts';

const mib = (n: number): string => `${(n / (1 << 20)).toFixed(1)} MiB`;

interface Writable {
  write(s: string): unknown;
}

export class PlainReporter implements Reporter {
  #out: Writable;
  constructor(out: Writable) {
    this.#out = out;
  }
  stage(stage: Stage, message: string): void {
    this.#out.write(`[${stage}] ${message}\n`);
  }
  progress(): void {}
  done(stage: Stage, message: string): void {
    this.#out.write(`[${stage}] ${message}\n`);
  }
  warn(message: string): void {
    this.#out.write(`warning: ${message}\n`);
  }
  info(message: string): void {
    this.#out.write(`${message}\n`);
  }
}

export class TtyReporter implements Reporter {
  #out: Writable;
  #stage: Stage | undefined;
  #message = '';
  #total: number | undefined;
  #started = 0;
  #lastDraw = 0;
  #now: () => number;

  constructor(out: Writable, now: () => number = () => performance.now()) {
    this.#out = out;
    this.#now = now;
  }

  stage(stage: Stage, message: string, total?: number): void {
    this.#stage = stage;
    this.#message = message;
    this.#total = total;
    this.#started = this.#now();
    this.#draw(`${message}…`);
  }

  progress(stage: Stage, done: number): void {
    if (stage !== this.#stage) return;
    const t = this.#now();
    if (t - this.#lastDraw < 100) return;
    this.#lastDraw = t;
    const pct = this.#total ? ` ${Math.min(100, Math.floor((done / this.#total) * 100))}%` : '';
    this.#draw(`${this.#message} ${mib(done)}${this.#total ? ' / ' + mib(this.#total) : ''}${pct}`);
  }

  done(stage: Stage, message: string): void {
    const secs = ((this.#now() - this.#started) / 1000).toFixed(1);
    this.#draw(`✓ ${message} (${secs}s)`);
    this.#out.write('\n');
    if (stage === this.#stage) this.#stage = undefined;
  }

  warn(message: string): void {
    this.#clear();
    this.#out.write(`warning: ${message}\n`);
  }

  info(message: string): void {
    this.#clear();
    this.#out.write(`${message}\n`);
  }

  #draw(text: string): void {
    this.#out.write(`\r\x1b[2K[${this.#stage ?? 'done'}] ${text}`);
  }

  #clear(): void {
    if (this.#stage !== undefined) this.#out.write('\r\x1b[2K');
  }
}
