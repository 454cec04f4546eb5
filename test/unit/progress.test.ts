import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { PlainReporter, TtyReporter, fitLine, width, type TerminalStream } from '../../src/cli/progress.ts';
import type { Reporter } from '../../src/log.ts';

const sink = () => {
  const out: string[] = [];
  return { out, w: { write: (s: string) => out.push(s) } };
};

/** A fake terminal stream: what was written, a width that can change, and its resize event. */
class FakeTerminal extends EventEmitter implements TerminalStream {
  readonly out: string[] = [];
  columns: number;
  constructor(columns: number) {
    super();
    this.columns = columns;
  }
  write(s: string): boolean {
    this.out.push(s);
    return true;
  }
  resize(columns: number): void {
    this.columns = columns;
    this.emit('resize');
  }
  /** Each drawn line as it ends up on screen: the text after the last `\r\x1b[2K` of each write. */
  get drawn(): string[] {
    return this.out.filter((s) => s.startsWith('\r\x1b[2K') && s.length > 5).map((s) => s.slice(5));
  }
}

describe('plain progress (CI logs, pipes)', () => {
  it('prints one line per stage event and no escape codes, dropping byte counts', () => {
    const { out, w } = sink();
    const r: Reporter = new PlainReporter(w, () => 0);
    r.stage('layers', 'reading 2 layers', 100);
    r.progress('layers', 50);
    r.warn('dropped entry');
    r.done('layers', 'read 2 layers');
    expect(out.join('')).toBe('[layers] reading 2 layers\nwarning: dropped entry\n[layers] read 2 layers (0.0 s)\n');
  });

  it("gives each stage's duration when it ends, from that stage's start", () => {
    const { out, w } = sink();
    let now = 1000;
    const r: Reporter = new PlainReporter(w, () => now);
    r.stage('resolve', 'resolving oci:x');
    now = 1340;
    r.done('resolve', 'oci:x linux/amd64, 3 layers');
    r.stage('layers', 'reading 3 layers', 300);
    now = 2540;
    r.done('layers', 'read 3 layers');
    r.stage('archive', 'writing out.cpio.gz');
    now = 14_640;
    r.done('archive', 'out.cpio.gz: 12 bytes');
    expect(out.join('')).toBe(
      '[resolve] resolving oci:x\n[resolve] oci:x linux/amd64, 3 layers (0.3 s)\n' +
        '[layers] reading 3 layers\n[layers] read 3 layers (1.2 s)\n' +
        '[archive] writing out.cpio.gz\n[archive] out.cpio.gz: 12 bytes (12.1 s)\n',
    );
  });

  it('a stage that ends without having started gets no duration', () => {
    const { out, w } = sink();
    new PlainReporter(w, () => 5).done('output', 'wrote x');
    expect(out.join('')).toBe('[output] wrote x\n');
  });
});

describe('live progress (TTY)', () => {
  it('redraws one line in place with bytes and percent, at most every 100 ms, and ends it on done', () => {
    const term = new FakeTerminal(120);
    let now = 0;
    const r = new TtyReporter(term, () => now);
    r.stage('archive', 'writing', 4 << 20);
    now = 150;
    r.progress('archive', 1 << 20);
    now = 160;
    r.progress('archive', 2 << 20); // within 100 ms of the last draw: skipped
    now = 300;
    r.progress('archive', 3 << 20);
    now = 2300;
    r.done('archive', 'wrote out.cpio.gz');
    const text = term.out.join('');
    expect(text).toContain('\r\x1b[2K[archive] writing 1.0 MiB / 4.0 MiB 25%');
    expect(text).not.toContain('2.0 MiB / 4.0 MiB');
    expect(text).toContain('3.0 MiB / 4.0 MiB 75%');
    expect(text.endsWith('\r\x1b[2K[archive] ✓ wrote out.cpio.gz (2.3 s)\n')).toBe(true);
  });

  it('never draws a line wider than the terminal: the message gives way, the numbers and the time stay', () => {
    for (const columns of [80, 60, 20]) {
      const term = new FakeTerminal(columns);
      let now = 0;
      const r = new TtyReporter(term, () => now);
      const long = `writing /home/someone/projects/a-rather-long-directory-name/output/initramfs-python-3.12-alpine.cpio.zst`;
      r.stage('archive', long, 100 << 20);
      now = 200;
      r.progress('archive', 50 << 20);
      now = 1500;
      r.done('archive', long);
      for (const line of term.drawn) expect(width(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns - 1);
      const [start, progress, done] = term.drawn;
      expect(start).toMatch(/^\[archive\] writing .*…$/);
      if (columns >= 60) {
        expect(progress).toMatch(/^\[archive\] writing \/home.*… 50\.0 MiB \/ 100\.0 MiB 50%$/);
        expect(done).toMatch(/^\[archive\] ✓ writing \/home.*… \(1\.5 s\)$/);
      }
      expect(width(done!)).toBe(columns - 1);
    }
  });

  it('re-reads the width when the terminal is resized and redraws the live line to fit', () => {
    const term = new FakeTerminal(100);
    const r = new TtyReporter(term, () => 0);
    r.stage('layers', `reading ${'x'.repeat(90)}`);
    expect(width(term.drawn.at(-1)!)).toBe(99);
    term.resize(40);
    expect(term.drawn.at(-1)).toBe(`[layers] reading ${'x'.repeat(21)}…`);
    expect(width(term.drawn.at(-1)!)).toBe(39);
    r.done('layers', 'read');
    const drawsAfterDone = term.out.length;
    term.resize(80); // nothing live: nothing to redraw
    expect(term.out.length).toBe(drawsAfterDone);
  });

  it('counts wide characters as two cells and combining marks as none, so such names never wrap either', () => {
    expect(width('日本語')).toBe(6);
    expect(width('e\u0301')).toBe(1);
    expect(width('📦')).toBe(2);
    expect(width('✓ …')).toBe(3);
    const line = fitLine('[archive] writing /srv/イメージ/出力ファイル名がとても長い.cpio.gz', '', 30);
    expect(width(line)).toBeLessThanOrEqual(29);
    expect(line).toBe('[archive] writing /srv/イメ…'); // ー would take the 29th and 30th cells
  });

  it('control characters in a message cannot move the cursor', () => {
    expect(fitLine('[resolve] bad\nname\r\x1b[2Jx', '', 80)).toBe('[resolve] bad?name??[2Jx');
  });

  it('a terminal too narrow for the numbers still gets a line that fits', () => {
    expect(fitLine('[archive] writing', ' 1.0 MiB / 4.0 MiB 25%', 12)).toBe('[archive] …');
    expect(fitLine('[archive] writing', ' 1.0 MiB', 1)).toBe('…');
  });

  it('a warning clears the live line, prints on its own line, and the live line comes back below', () => {
    const term = new FakeTerminal(80);
    const r = new TtyReporter(term, () => 0);
    r.stage('rootfs', 'applying');
    r.warn('x');
    expect(term.out.slice(-3)).toEqual(['\r\x1b[2K', 'warning: x\n', '\r\x1b[2K[rootfs] applying…']);
  });
});
