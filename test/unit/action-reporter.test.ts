import { describe, expect, it } from 'vitest';
import { ActionReporter, type LogSink } from '../../src/action/reporter.ts';

class RecordingSink implements LogSink {
  lines: string[] = [];
  startGroup(name: string): void {
    this.lines.push(`group ${name}`);
  }
  endGroup(): void {
    this.lines.push('endgroup');
  }
  info(message: string): void {
    this.lines.push(message);
  }
  warning(message: string): void {
    this.lines.push(`warning ${message}`);
  }
}

describe('ActionReporter', () => {
  it('groups each stage, times it, and prints progress at most every five seconds', () => {
    let now = 0;
    const sink = new RecordingSink();
    const r = new ActionReporter(sink, () => now);
    r.stage('layers', 'reading 2 layers', 100e6);
    now = 1000;
    r.progress('layers', 10e6); // too soon: dropped
    now = 5000;
    r.progress('layers', 40e6);
    now = 6000;
    r.progress('layers', 50e6); // too soon after the last line
    now = 12_500;
    r.progress('layers', 100e6);
    r.done('layers', 'read 2 layers');
    r.warn('xattr dropped');
    expect(sink.lines).toEqual([
      'group layers: reading 2 layers',
      'layers: 40.0 MB of 100.0 MB (40%)',
      'layers: 100.0 MB of 100.0 MB (100%)',
      'read 2 layers (12.5 s)',
      'endgroup',
      'warning xattr dropped',
    ]);
    expect(r.timings).toEqual([{ stage: 'layers', seconds: 12.5 }]);
    expect(r.warnings).toEqual(['xattr dropped']);
  });

  it('closes a group a failed stage left open, and times its own sections', async () => {
    let now = 0;
    const sink = new RecordingSink();
    const r = new ActionReporter(sink, () => now);
    r.stage('resolve', 'resolving alpine');
    await r.section('publish: artifact', async () => {
      now = 2000;
    });
    r.stage('archive', 'writing');
    r.finish();
    r.finish();
    expect(sink.lines).toEqual([
      'group pull: resolving alpine',
      'endgroup',
      'group publish: artifact',
      'publish: artifact took 2.0 s',
      'endgroup',
      'group compress: writing',
      'endgroup',
    ]);
  });

  it('names what was running when the work failed: the core stage, else the innermost section, never one that ended well', async () => {
    const r = new ActionReporter(new RecordingSink(), () => 0);
    expect(r.running).toBeUndefined();
    r.stage('resolve', 'resolving alpine');
    expect(r.running).toBe('pull: resolving alpine');
    r.done('resolve', 'resolved');
    expect(r.running).toBeUndefined();
    r.stage('archive', 'writing a.cpio.gz');
    expect(r.running).toBe('compress: writing a.cpio.gz');
    r.done('archive', 'written');

    await r.section('cache: saving pulled layers', async () => {});
    expect(r.running).toBeUndefined();
    const failed = r.section('publish: artifact', async () => {
      expect(r.running).toBe('publish: artifact');
      throw new Error('upload failed');
    });
    await expect(failed).rejects.toThrow('upload failed');
    r.finish();
    expect(r.running).toBe('publish: artifact');

    // A core stage failing inside a section is the more precise answer.
    const inner = new ActionReporter(new RecordingSink(), () => 0);
    await expect(
      inner.section('boot: kernel linuxkit/kernel:6.6', async () => {
        inner.stage('resolve', 'resolving linuxkit/kernel:6.6');
        throw new Error('401');
      }),
    ).rejects.toThrow('401');
    expect(inner.running).toBe('pull: resolving linuxkit/kernel:6.6');
  });
});
