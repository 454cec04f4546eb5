// classifyConsole on the kernel's own words (Debian 6.1 cloud kernel, as captured from real boots), fed
// whole and in every split, so a message cut between two reads is judged only once it is complete.
import { describe, expect, it } from 'vitest';
import { classifyConsole, consoleTail, DEFAULT_EXPECT } from '../../src/boot/console.ts';
import { STATUS_PREFIX } from '../../src/initramfs/init-script.ts';

const BOOT = [
  '[    0.000000] Linux version 6.1.0-57-cloud-amd64 (debian-kernel@lists.debian.org)',
  '[    0.000000] Command line: console=ttyS0 panic=-1 tsc_early_khz=2096026 marker=HELLO',
  '[    0.101000] Kernel command line: console=ttyS0 panic=-1 tsc_early_khz=2096026 marker=HELLO',
  '[    0.402000] Freeing unused kernel image (initmem) memory: 2500K',
  '[    0.403000] Run /init as init process',
].join('\r\n') + '\r\n';

const M = 'MARKER-1234';

/** The verdict after feeding `text` cut into pieces at every position (as a reader would accumulate it). */
function everySplit(text: string, expect: string): Set<string> {
  const seen = new Set<string>();
  for (let cut = 1; cut < text.length; cut++) {
    const early = classifyConsole(text.slice(0, cut), expect);
    // Before the whole text arrived, a verdict may be pending or the final one, never another one.
    if (early.kind !== 'pending') seen.add(JSON.stringify(early));
  }
  seen.add(JSON.stringify(classifyConsole(text, expect)));
  return seen;
}

describe('classifyConsole', () => {
  it('finds the expected text, not in the echo of the command line', () => {
    expect(classifyConsole(BOOT, 'HELLO')).toEqual({ kind: 'pending' });
    expect(classifyConsole(`${BOOT}HELLO from init\r\n`, 'HELLO')).toEqual({ kind: 'expected' });
    // As soon as it appears, even before its line ends.
    expect(classifyConsole(`${BOOT}say ${M}`, M)).toEqual({ kind: 'expected' });
  });

  it('the default expectation is the generated init status-0 line, judged once complete', () => {
    expect(DEFAULT_EXPECT).toBe(`${STATUS_PREFIX}0`);
    expect(classifyConsole(`${BOOT}${STATUS_PREFIX}0\r\n`, DEFAULT_EXPECT)).toEqual({ kind: 'expected' });
    expect(classifyConsole(`${BOOT}${STATUS_PREFIX}0`, DEFAULT_EXPECT)).toEqual({ kind: 'pending' });
    expect(classifyConsole(`${BOOT}${STATUS_PREFIX}3\r\n`, DEFAULT_EXPECT)).toEqual({
      kind: 'failure',
      reason: 'the command exited with status 3',
      line: `${STATUS_PREFIX}3`,
    });
    // "status 1" is not "status 12".
    expect(classifyConsole(`${STATUS_PREFIX}12\n`, `${STATUS_PREFIX}1`)).toMatchObject({ reason: 'the command exited with status 12' });
    expect(classifyConsole(`${STATUS_PREFIX}12\n`, `${STATUS_PREFIX}12`)).toEqual({ kind: 'expected' });
    // Any other expectation leaves status lines alone (the guest then powers off: QEMU exits).
    expect(classifyConsole(`${STATUS_PREFIX}3\n`, M)).toEqual({ kind: 'pending' });
  });

  const failures: [string, string, string][] = [
    [
      'a kernel panic',
      '[    0.512000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
      'kernel panic: Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000100',
    ],
    [
      'an /init the kernel cannot run',
      '[    0.404000] Failed to execute /init (error -13)',
      'the kernel could not run /init: Failed to execute /init (error -13)',
    ],
    [
      'no init at all',
      '[    0.405000] Kernel panic - not syncing: No working init found.  Try passing init= option to kernel.',
      'the kernel found no init to run: Kernel panic - not syncing: No working init found.  Try passing init= option to kernel.',
    ],
    [
      'an archive cut inside an entry',
      '[    0.300000] Initramfs unpacking failed: junk at the end of compressed archive',
      'the kernel could not unpack the archive: Initramfs unpacking failed: junk at the end of compressed archive',
    ],
    [
      'a truncated archive',
      '[    0.300000] Initramfs unpacking failed: read error',
      'the kernel could not unpack the archive: Initramfs unpacking failed: read error',
    ],
  ];
  for (const [what, line, reason] of failures) {
    it(`ends on ${what}, in one line, whatever the chunks`, () => {
      const text = `${BOOT}${line}\r\n[    0.6] more\r\n`;
      const verdict = { kind: 'failure', reason, line: line.replace(/^\[[^\]]*\] /, '') };
      expect(classifyConsole(text, M)).toEqual(verdict);
      expect(everySplit(text, M)).toEqual(new Set([JSON.stringify(verdict)]));
    });
  }

  it('takes the first decisive line: a marker printed before a panic is a success, one after is too late', () => {
    const panic = 'Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000\n';
    expect(classifyConsole(`${M}\n${panic}`, M)).toEqual({ kind: 'expected' });
    expect(classifyConsole(`${panic}${M}\n`, M)).toMatchObject({ kind: 'failure' });
  });

  it('sees through terminal escape sequences and stray controls', () => {
    expect(classifyConsole(`\x1b[1;31mKernel panic - not syncing\x1b[0m: oops\x07\n`, M)).toEqual({
      kind: 'failure',
      reason: 'kernel panic: Kernel panic - not syncing: oops',
      line: 'Kernel panic - not syncing: oops',
    });
    expect(classifyConsole(`\x1b]0;title\x07MARKER-\x1b[K1234\r\n`, M)).toEqual({ kind: 'expected' });
  });
});

describe('consoleTail', () => {
  it('keeps the last non-empty lines, without escapes or line-end garbage', () => {
    const text = Array.from({ length: 30 }, (_, i) => `\x1b[32mline ${i}\x1b[0m  \r\n\r\n`).join('') + 'partial';
    const tail = consoleTail(text, 20);
    expect(tail).toHaveLength(20);
    expect(tail[0]).toBe('line 11');
    expect(tail.at(-1)).toBe('partial');
  });
});
