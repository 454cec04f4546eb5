// What a boot's serial console says so far: the expected line, a failure that ends the boot at once, or
// nothing decisive yet. Pure (text in, verdict out) so each kernel message is tested without a kernel.
// The verdict comes from the console, never from QEMU's exit status: with panic=-1 and -no-reboot a
// panicking kernel makes QEMU exit 0. The failure texts are the kernel's own (init/main.c, init/initramfs.c,
// kernel/panic.c), matched wherever a line has them, since a timestamp or a log prefix may come first.
import { STATUS_PREFIX } from '../initramfs/init-script.ts';

export type ConsoleVerdict =
  | { kind: 'expected' }
  /** `reason`: one line saying what happened; `line`: the console line it comes from (timestamp removed). */
  | { kind: 'failure'; reason: string; line: string }
  | { kind: 'pending' };

/** The line the generated /init prints when its command exits with status 0: the default expectation. */
export const DEFAULT_EXPECT = `${STATUS_PREFIX}0`;

/** Each failure class: the kernel text that marks it, and how the reason line begins. Most specific first. */
const FAILURES: readonly { pattern: RegExp; label: string }[] = [
  // "Initramfs unpacking failed: junk at the end of compressed archive", "...: broken padding", ...
  { pattern: /Initramfs unpacking failed/, label: 'the kernel could not unpack the archive' },
  { pattern: /junk (?:at the end of|within) compressed archive/, label: 'the kernel could not unpack the archive' },
  { pattern: /Failed to execute \/init\b/, label: 'the kernel could not run /init' },
  // The panic that follows when neither /init nor any fallback init could run.
  { pattern: /Kernel panic - not syncing: No working init found/, label: 'the kernel found no init to run' },
  { pattern: /Kernel panic - not syncing/, label: 'kernel panic' },
];

// CSI (colours, cursor moves), OSC (titles) and any other ESC pair: a workload's terminal codes must not
// hide a kernel message from the patterns nor reach a log or an Actions summary.
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]?/g;
// Other C0 controls and DEL, except tab (\r is handled as a line end).
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
// The kernel's printk timestamp, "[    1.234567] ".
const TIMESTAMP = /^\[\s*\d+\.\d+\]\s?/;
// The kernel echoes its command line; a marker passed through --append must not count as printed.
const COMMAND_LINE_ECHO = /\bcommand line:/i;

/** Console text as lines, escape sequences and controls removed; a line ends at \n, \r\n or \r. */
export function consoleLines(text: string): string[] {
  return text
    .replace(ESCAPES, '')
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(CONTROLS, ''));
}

/** The last `n` non-empty lines of console text, trimmed at the end. */
export function consoleTail(text: string, n = 20): string[] {
  return consoleLines(text)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n);
}

/**
 * The verdict on console `text` (everything seen so far, or the part from a line start onwards) when
 * `expect` is the text that means success. The first decisive line wins. Failures are judged on complete
 * lines only, so a message split across chunks is reported whole; the expected text counts as soon as it
 * appears. When `expect` is the generated init's status line (STATUS_PREFIX + N), the same line with
 * another status is a failure: the command has finished and the expected line can no longer come.
 */
export function classifyConsole(text: string, expect: string): ConsoleVerdict {
  const lines = consoleLines(text);
  const last = lines.length - 1;
  const wanted = expect.startsWith(STATUS_PREFIX) ? expect.slice(STATUS_PREFIX.length) : '';
  const expectStatus = /^\d+$/.test(wanted) ? String(Number(wanted)) : undefined;
  for (let i = 0; i <= last; i++) {
    const line = lines[i]!.replace(TIMESTAMP, '');
    const complete = i < last;
    // The status the generated init reported on this line, once the line is complete ("status 1" is a
    // prefix of "status 12").
    const at = expectStatus === undefined ? -1 : line.indexOf(STATUS_PREFIX);
    const status = at === -1 || !complete ? undefined : /^\d+/.exec(line.slice(at + STATUS_PREFIX.length))?.[0];
    const statusN = status === undefined ? undefined : String(Number(status));
    if (expectStatus !== undefined) {
      if (statusN !== undefined && statusN === expectStatus) return { kind: 'expected' };
    } else if (expect !== '' && line.includes(expect) && !COMMAND_LINE_ECHO.test(line)) {
      return { kind: 'expected' };
    }
    if (!complete) break;
    for (const f of FAILURES) {
      const m = f.pattern.exec(line);
      if (m) return { kind: 'failure', reason: `${f.label}: ${line.slice(m.index).trimEnd()}`, line: line.trimEnd() };
    }
    if (status !== undefined) {
      return { kind: 'failure', reason: `the command exited with status ${status}`, line: line.trimEnd() };
    }
  }
  return { kind: 'pending' };
}
