// What the core reports while it works. The CLI renders it (live on a TTY, plain lines otherwise); the
// action maps it to @actions/core; tests collect it. The core never writes to stdout/stderr itself.

export type Stage = 'resolve' | 'layers' | 'rootfs' | 'archive' | 'output';

export interface Reporter {
  /** A stage starts; `total` is in the stage's unit (bytes for layers/archive), when known. */
  stage(stage: Stage, message: string, total?: number): void;
  /** Progress inside the current stage, in the same unit as `total`. */
  progress(stage: Stage, done: number): void;
  /** A stage ended. */
  done(stage: Stage, message: string): void;
  /** Something the user should know; the build goes on (e.g. a hostile entry dropped). */
  warn(message: string): void;
  info(message: string): void;
}

/** A reporter that drops everything except warnings, which it collects (tests and library callers). */
export class CollectingReporter implements Reporter {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  stage(): void {}
  progress(): void {}
  done(): void {}
  warn(message: string): void {
    this.warnings.push(message);
  }
  info(message: string): void {
    this.infos.push(message);
  }
}
