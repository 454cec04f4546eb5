// Renders the core's events in a GitHub Actions log: one collapsible group per stage (named the way the
// README names the pipeline), its time on the closing line, progress as a line every few seconds (a CI log
// cannot redraw), warnings as annotations. The clock and the sink are parameters so tests can drive it.
import type { Reporter, Stage } from '../log.ts';

/** The part of @actions/core this needs. */
export interface LogSink {
  startGroup(name: string): void;
  endGroup(): void;
  info(message: string): void;
  warning(message: string): void;
}

export const STAGE_TITLES: Record<Stage, string> = {
  resolve: 'pull',
  layers: 'layers',
  rootfs: 'assemble',
  archive: 'compress',
  output: 'output',
};

/** Seconds between progress lines. */
const PROGRESS_EVERY_MS = 5000;

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

export class ActionReporter implements Reporter {
  /** Seconds each stage took, in the order they ended (for the job summary). */
  readonly timings: { stage: string; seconds: number }[] = [];
  readonly warnings: string[] = [];
  readonly #sink: LogSink;
  readonly #now: () => number;
  #open: { stage: Stage; started: number; total: number | undefined; lastLine: number } | undefined;
  /** The core's stage that started and has not ended (its group title), for a failure's summary. */
  #stage: string | undefined;
  /** The action's own sections that started and have not ended well, outermost first. */
  readonly #sections: string[] = [];

  constructor(sink: LogSink, now: () => number = () => performance.now()) {
    this.#sink = sink;
    this.#now = now;
  }

  stage(stage: Stage, message: string, total?: number): void {
    this.#close();
    const t = this.#now();
    this.#open = { stage, started: t, total, lastLine: t };
    this.#stage = `${STAGE_TITLES[stage]}: ${message}`;
    this.#sink.startGroup(this.#stage);
  }

  progress(stage: Stage, done: number): void {
    const open = this.#open;
    if (open?.stage !== stage) return;
    const t = this.#now();
    if (t - open.lastLine < PROGRESS_EVERY_MS) return;
    open.lastLine = t;
    const pct = open.total ? ` (${Math.min(100, Math.floor((done / open.total) * 100))}%)` : '';
    this.#sink.info(`${STAGE_TITLES[stage]}: ${mb(done)}${open.total ? ' of ' + mb(open.total) : ''}${pct}`);
  }

  done(stage: Stage, message: string): void {
    const open = this.#open;
    const seconds = open?.stage === stage ? (this.#now() - open.started) / 1000 : 0;
    this.#sink.info(`${message} (${seconds.toFixed(1)} s)`);
    this.timings.push({ stage: STAGE_TITLES[stage], seconds });
    this.#stage = undefined;
    if (open?.stage === stage) {
      this.#sink.endGroup();
      this.#open = undefined;
    }
  }

  warn(message: string): void {
    this.warnings.push(message);
    this.#sink.warning(message);
  }

  info(message: string): void {
    this.#sink.info(message);
  }

  /** A stage of the action's own (publish), timed and grouped like the core's. */
  async section<T>(title: string, work: () => Promise<T>): Promise<T> {
    this.#close();
    this.#stage = undefined;
    const started = this.#now();
    this.#sink.startGroup(title);
    this.#sections.push(title);
    try {
      const result = await work();
      // Left in place when the work throws: `running` then names what failed.
      this.#sections.pop();
      return result;
    } finally {
      const seconds = (this.#now() - started) / 1000;
      this.#sink.info(`${title} took ${seconds.toFixed(1)} s`);
      this.timings.push({ stage: title, seconds });
      this.#sink.endGroup();
    }
  }

  /**
   * What was running when the work stopped: the core's stage (`pull: resolving alpine`), else the action's
   * innermost section (`publish: artifact`) that has not ended well; undefined between them. After a
   * failure, that is where it failed.
   */
  get running(): string | undefined {
    return this.#stage ?? this.#sections.at(-1);
  }

  /** Ends a group a failed stage left open, so the error line is not hidden inside it. */
  finish(): void {
    this.#close();
  }

  #close(): void {
    if (this.#open) {
      this.#sink.endGroup();
      this.#open = undefined;
    }
  }
}
