// The clock over every registry request, as an undici interceptor so that every request is watched the
// same way whoever reads its body (manifests, blobs, tokens, redirect hops): once connected, a response
// head must be complete within the idle timeout of the request going out (1xx interim answers do not
// count, nor do header bytes that trickle); a body must send its next byte within the idle timeout and,
// once it has run for the low-speed window, average at least the low-speed limit over the last window
// (curl's and git's --speed-limit/--speed-time); and nothing may run past the build's deadline. A request
// that breaks a bound is aborted with an error saying what it waited for and from which host.
//
// Time the consumer holds the body back (undici paused it) is not the registry's fault: it restarts the
// measurement instead of counting as silence. The check runs on a ticker, one setImmediate after each
// tick, so that bytes that arrived while the event loop was busy are counted before anything is judged.
import type { Dispatcher } from 'undici';
import { formatDuration } from '../duration.ts';
import { DeadlineError, TransientError } from './errors.ts';
import { describeDeadline, LIMIT_VARIABLES, type Deadline, type NetworkLimits } from './limits.ts';

/** How often a request is checked: a tenth of its shortest bound, between 10 ms and 1 s. */
const tickFor = (limits: NetworkLimits): number =>
  Math.min(1000, Math.max(10, Math.min(limits.idleMs, limits.lowSpeedWindowMs) / 10));

const bytes = (n: number): string => (n < 10_000 ? `${n} bytes` : `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`);

/** A rate for a message: `12 B/s`, `1024 B/s` (as the limit is set), `34.5 KB/s`. */
const rate = (bytesPerSecond: number): string =>
  bytesPerSecond < 10_000 ? `${Math.round(bytesPerSecond)} B/s` : `${(bytesPerSecond / 1000).toFixed(1)} KB/s`;

type Controller = Dispatcher.DispatchController;

/** One request's clock. */
class Watch {
  private readonly limits: NetworkLimits;
  private readonly deadline: Deadline | undefined;
  private readonly host: string;
  private controller: Controller | undefined;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  /** When the request went on the wire (connecting is undici's connect timeout's to bound). */
  private sentAt = 0;
  /** When the final response head arrived; undefined before. */
  private headAt: number | undefined;
  private length: number | undefined;
  private received = 0;
  private lastByteAt = 0;
  /** (time, bytes received) once per tick over the last low-speed window, oldest first. */
  private samples: { t: number; n: number }[] = [];

  constructor(limits: NetworkLimits, deadline: Deadline | undefined, host: string) {
    this.limits = limits;
    this.deadline = deadline;
    this.host = host;
  }

  start(controller: Controller): void {
    this.controller = controller;
    this.sentAt = performance.now();
    if (this.deadline !== undefined && performance.now() >= this.deadline.at) {
      controller.abort(new DeadlineError(`${describeDeadline(this.deadline)} ran out before a request to ${this.host}`));
      return;
    }
    this.timer ??= setInterval(() => {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        this.check();
      });
    }, tickFor(this.limits));
    this.timer.unref();
  }

  head(status: number, headers: Record<string, string | string[] | undefined>): void {
    if (status < 200) return; // interim answers (100, 102, 103) are not the response
    const now = performance.now();
    this.headAt = now;
    this.lastByteAt = now;
    this.samples = [{ t: now, n: 0 }];
    const cl = headers['content-length'];
    const n = Number(Array.isArray(cl) ? cl[0] : cl);
    if (Number.isSafeInteger(n) && n >= 0) this.length = n;
  }

  data(n: number): void {
    this.received += n;
    this.lastByteAt = performance.now();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private fail(reason: Error): void {
    this.stop();
    this.controller?.abort(reason);
  }

  private progress(): string {
    return this.length !== undefined ? `${bytes(this.received)} of ${bytes(this.length)}` : bytes(this.received);
  }

  private check(): void {
    const c = this.controller;
    if (c === undefined || c.aborted) return this.stop();
    const now = performance.now();
    const { idleMs, lowSpeedBytesPerSecond: limit, lowSpeedWindowMs: window } = this.limits;
    if (this.deadline !== undefined && now >= this.deadline.at) {
      const waiting = this.headAt === undefined ? 'waiting for an answer from' : `receiving (${this.progress()}) from`;
      return this.fail(new DeadlineError(`${describeDeadline(this.deadline)} ran out ${waiting} ${this.host}`));
    }
    if (this.headAt === undefined) {
      if (now - this.sentAt >= idleMs) {
        return this.fail(
          new TransientError(
            `${this.host} sent no complete response within ${formatDuration(idleMs)} of the request (${LIMIT_VARIABLES.idleMs})`,
            { stalled: true },
          ),
        );
      }
      return;
    }
    if (c.paused) {
      // We are behind, not the registry: measure again from now.
      this.lastByteAt = now;
      this.samples = [{ t: now, n: this.received }];
      return;
    }
    if (now - this.lastByteAt >= idleMs) {
      return this.fail(
        new TransientError(
          `${this.host} sent nothing for ${formatDuration(idleMs)} in the middle of a body, ` +
            `after ${this.progress()} (${LIMIT_VARIABLES.idleMs})`,
          { stalled: true },
        ),
      );
    }
    if (limit === 0) return;
    this.samples.push({ t: now, n: this.received });
    // Keep one sample at or before the window's start: it is what the window is measured from.
    while (this.samples.length > 1 && this.samples[1]!.t <= now - window) this.samples.shift();
    const from = this.samples[0]!;
    if (now - from.t < window) return;
    const speed = ((this.received - from.n) * 1000) / (now - from.t);
    if (speed < limit) {
      this.fail(
        new TransientError(
          `${this.host} sent ${bytes(this.received - from.n)} in the last ${formatDuration(now - from.t)} (${rate(speed)}), ` +
            `below the minimum of ${rate(limit)} (${LIMIT_VARIABLES.lowSpeedBytesPerSecond}, ${LIMIT_VARIABLES.lowSpeedWindowMs}); ` +
            `${this.progress()} received`,
          { stalled: true },
        ),
      );
    }
  }
}

/** The interceptor that puts every request of an Agent under a Watch. */
export function watchdog(limits: NetworkLimits, deadline: Deadline | undefined): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const watch = new Watch(limits, deadline, new URL(String(opts.origin)).host);
    const watched: Dispatcher.DispatchHandler = {
      onRequestStart(controller, context) {
        watch.start(controller);
        handler.onRequestStart?.(controller, context);
      },
      onRequestUpgrade(controller, status, headers, socket) {
        watch.stop();
        handler.onRequestUpgrade?.(controller, status, headers, socket);
      },
      onResponseStart(controller, status, headers, statusMessage) {
        watch.head(status, headers);
        handler.onResponseStart?.(controller, status, headers, statusMessage);
      },
      onResponseData(controller, chunk) {
        watch.data(chunk.length);
        handler.onResponseData?.(controller, chunk);
      },
      onResponseEnd(controller, trailers) {
        watch.stop();
        handler.onResponseEnd?.(controller, trailers);
      },
      onResponseError(controller, error) {
        watch.stop();
        handler.onResponseError?.(controller, error);
      },
    };
    return dispatch(opts, watched);
  };
}
