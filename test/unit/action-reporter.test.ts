import { describe, expect, it } from 'vitest';
import { ActionReporter, type LogSink } from '../../src/action/reporter.ts';
import { humanBytes, renderBootSection, renderSummary } from '../../src/action/summary.ts';
import type { BootResult } from '../../src/boot/boot.ts';
import type { BuildReport } from '../../src/report.ts';

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
});

describe('renderSummary', () => {
  const report: BuildReport = {
    digest: 'sha256:' + 'c'.repeat(64),
    size: 1000,
    output: '/w/a.cpio.gz',
    compression: 'gzip',
    level: 6,
    image: { reference: 'docker.io/library/alpine:3.20', digest: 'sha256:' + 'a'.repeat(64), platform: 'linux/amd64' },
    layers: [
      { digest: 'sha256:' + '1'.repeat(64), size: 3_000_000 },
      { digest: 'sha256:' + '2'.repeat(64), size: 512 },
    ],
    entries: 42,
    uncompressedSize: 4000,
    largestDirectories: [{ path: '/usr|lib', bytes: 2048 }],
    init: { kind: 'generated', network: 'cmdline', onExit: 'poweroff', user: null, modules: null, tools: { reference: 'docker.io/library/busybox:1.37.0-musl', digest: null } },
  };

  it('shows the image, layers with their source, sizes and ratio, directories, and where it went', () => {
    const md = renderSummary({
      report,
      cached: (d) => d.startsWith('sha256:1'),
      published: 'artifact [a.cpio.gz](https://x/1)',
      timings: [{ stage: 'pull', seconds: 1.25 }],
      warnings: ['a | b'],
    });
    expect(md).toContain('## initramfs: docker.io/library/alpine:3.20');
    expect(md).toContain(`| Manifest digest | \`sha256:${'a'.repeat(64)}\` |`);
    expect(md).toContain('| Compressed (gzip -6) | 1000 B (1000 bytes), 25.0% of the cpio |');
    expect(md).toContain('### Layers (2, 1 from cache)');
    expect(md).toContain(`| 1 | \`sha256:${'1'.repeat(64)}\` | 2.9 MiB | cache |`);
    expect(md).toContain(`| 2 | \`sha256:${'2'.repeat(64)}\` | 512 B | registry |`);
    expect(md).toContain('| `/usr\\|lib` | 2.0 KiB |');
    expect(md).toContain('| Published | artifact [a.cpio.gz](https://x/1) |');
    expect(md).toContain('pull 1.3 s');
    expect(md).toContain('- a \\| b');
  });

  it('says when nothing was published and the image had no manifest digest', () => {
    const md = renderSummary({ report: { ...report, image: { ...report.image, digest: null } }, cached: () => false, timings: [], warnings: [] });
    expect(md).toContain('| Published | not uploaded |');
    expect(md).toContain('| Manifest digest | none (local archive) |');
    expect(md).not.toContain('### Warnings');
  });

  const booted: BootResult = { ok: true, seconds: 3.456, accel: 'tcg', arch: 'amd64', reason: 'expected', message: 'booted in 3.5 s (tcg)', tail: ['x'] };
  const bootOf = (r: Partial<BootResult>) => ({ result: { ...booted, ...r }, kernel: 'linuxkit/kernel:6.6', kernelDigest: 'sha256:' + 'd'.repeat(64), expect: 'READY' });

  it('has a "Boot test" section after the main table when the archive was booted, without the tail when it passed', () => {
    const md = renderSummary({ report, cached: () => false, timings: [], warnings: [], boot: bootOf({}) });
    expect(md).toContain(
      [
        '### Boot test: passed',
        '',
        '| | |',
        '|---|---|',
        '| Result | passed: booted in 3.5 s (tcg) |',
        '| Seconds | 3.46 |',
        '| Accel | tcg (emulation) |',
        '| Architecture | amd64 |',
        `| Kernel | \`linuxkit/kernel:6.6\` (\`sha256:${'d'.repeat(64)}\`) |`,
        '| Expected | `READY` |',
        '',
      ].join('\n'),
    );
    expect(md.indexOf('### Boot test')).toBeLessThan(md.indexOf('### Layers'));
    expect(md).not.toContain("console's last");
    expect(renderSummary({ report, cached: () => false, timings: [], warnings: [] })).not.toContain('Boot test');
  });

  it('shows the console tail of a failed boot in a code block no console line can close', () => {
    const tail = ['[    1.0] Kernel panic - not syncing: x | y', 'a ```` fence in the guest', 'last'];
    const lines = renderBootSection(bootOf({ ok: false, reason: 'failure', message: 'kernel panic: x | y', accel: 'kvm', tail }));
    expect(lines).toContain('### Boot test: failed');
    expect(lines).toContain('| Result | failed: kernel panic: x \\| y |');
    expect(lines).toContain('| Accel | kvm |');
    const at = lines.indexOf("The console's last 3 lines:");
    expect(lines.slice(at + 2, at + 7)).toEqual(['`````text', ...tail, '`````']);
    expect(renderBootSection(bootOf({ ok: false, reason: 'timeout', tail: [] }))).toContain('The console printed nothing.');
  });

  it('humanBytes uses binary units', () => {
    expect([humanBytes(0), humanBytes(1023), humanBytes(1024), humanBytes(5 * 1024 ** 3)]).toEqual(['0 B', '1023 B', '1.0 KiB', '5.0 GiB']);
  });
});
