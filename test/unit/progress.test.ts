import { describe, expect, it } from 'vitest';
import { PlainReporter, TtyReporter } from '../../src/cli/progress.ts';
import type { Reporter } from '../../src/log.ts';

const sink = () => {
  const out: string[] = [];
  return { out, w: { write: (s: string) => out.push(s) } };
};

describe('plain progress (CI logs, pipes)', () => {
  it('prints one line per stage event and no escape codes, dropping byte counts', () => {
    const { out, w } = sink();
    const r: Reporter = new PlainReporter(w);
    r.stage('layers', 'reading 2 layers', 100);
    r.progress('layers', 50);
    r.warn('dropped entry');
    r.done('layers', 'read 2 layers');
    expect(out.join('')).toBe('[layers] reading 2 layers\nwarning: dropped entry\n[layers] read 2 layers\n');
  });
});

describe('live progress (TTY)', () => {
  it('redraws one line in place with bytes and percent, at most every 100 ms, and ends it on done', () => {
    const { out, w } = sink();
    let now = 0;
    const r = new TtyReporter(w, () => now);
    r.stage('archive', 'writing', 4 << 20);
    now = 150;
    r.progress('archive', 1 << 20);
    now = 160;
    r.progress('archive', 2 << 20); // within 100 ms of the last draw: skipped
    now = 300;
    r.progress('archive', 3 << 20);
    now = 2300;
    r.done('archive', 'wrote out.cpio.gz');
    const text = out.join('');
    expect(text).toContain('\r\x1b[2K[archive] writing 1.0 MiB / 4.0 MiB 25%');
    expect(text).not.toContain('2.0 MiB / 4.0 MiB');
    expect(text).toContain('3.0 MiB / 4.0 MiB 75%');
    expect(text.endsWith('✓ wrote out.cpio.gz (2.3s)\n')).toBe(true);
  });
  it('a warning clears the live line before printing', () => {
    const { out, w } = sink();
    const r = new TtyReporter(w, () => 0);
    r.stage('rootfs', 'applying');
    r.warn('x');
    expect(out.at(-2)).toBe('\r\x1b[2K');
    expect(out.at(-1)).toBe('warning: x\n');
  });
});
