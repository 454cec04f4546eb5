// The job summary as text: one section per build headed by its file and image, the tables with exact
// figures, the pie charts (parsed by Mermaid's own parser, never matched with a regex) whose slices are the
// tables' and add up, hostile file names kept from breaking either, and the summary of a failed step.
import { describe, expect, it } from 'vitest';
import { humanBytes, renderBootSection, renderFailure, renderSummary, builtStep, type FailureSummary, type SummaryData } from '../../src/action/summary.ts';
import { pieChart, pieLabel } from '../../src/action/pie-chart.ts';
import type { BootResult } from '../../src/boot/boot.ts';
import type { BuildReport } from '../../src/report.ts';
import { spaceUse } from '../../src/rootfs/du.ts';
import { newDir, toBytePath, type Node } from '../../src/rootfs/node.ts';
import { mermaidBlocks, parsePie, summaryPies } from '../helpers/summary.ts';

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
  space: {
    fileBytes: 10_000,
    directories: [
      { path: '/usr/lib', scope: 'tree', bytes: 6_000 },
      { path: '/usr|x', scope: 'tree', bytes: 2_000 },
      { path: '/usr', scope: 'files', bytes: 1_000 },
      { path: '/', scope: 'files', bytes: 600 },
      { path: null, scope: 'other', bytes: 400, folded: 3 },
    ],
    layers: [7_000, 0],
    injected: 1_000,
    generated: 2_000,
  },
  init: { kind: 'generated', network: 'cmdline', onExit: 'poweroff', user: null, modules: null, tools: { reference: 'docker.io/library/busybox:1.37.0-musl', digest: null } },
};
const data = (extra: Partial<SummaryData> = {}): SummaryData => ({ report, cached: () => false, timings: [], warnings: [], ...extra });
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('renderSummary', () => {
  it('shows the image, layers with their source, sizes and ratio, and where it went', () => {
    const md = renderSummary(
      data({ cached: (d) => d.startsWith('sha256:1'), published: 'artifact [a.cpio.gz](https://x/1)', timings: [{ stage: 'pull', seconds: 1.25 }], warnings: ['a | b'] }),
    );
    expect(md.split('\n')[0]).toBe('## initramfs: a.cpio.gz from docker.io/library/alpine:3.20');
    expect(md).toContain(`| Manifest digest | \`sha256:${'a'.repeat(64)}\` |`);
    expect(md).toContain('| Output | `/w/a.cpio.gz` |');
    expect(md).toContain('| Compressed (gzip -6) | 1000 B (1000 bytes), 25.0% of the cpio |');
    expect(md).toContain('### Layers (2, 1 from cache)');
    expect(md).toContain(`| 1 | \`sha256:${'1'.repeat(64)}\` | 2.9 MiB | cache | 6.8 KiB (70.0%) |`);
    expect(md).toContain(`| 2 | \`sha256:${'2'.repeat(64)}\` | 512 B | registry | 0 B (0.0%) |`);
    expect(md).toContain('| | injected from the host | | | 1000 B (10.0%) |');
    expect(md).toContain('| | generated /init and its tools | | | 2.0 KiB (20.0%) |');
    expect(md).toContain('| Published | artifact [a.cpio.gz](https://x/1) |');
    expect(md).toContain('pull 1.3 s');
    expect(md).toContain('- a \\| b');
    // The overlapping list of old is gone from the summary (it stays in the report for its readers).
    expect(md).not.toContain('Largest directories');
  });

  it("says a local source's layers were read where they are, neither cached nor pulled", () => {
    const local = { ...report, image: { ...report.image, reference: 'oci:/w/layout:app' } };
    // What the layer cache says of a blob nobody downloaded: "cached". A layout is neither.
    const md = renderSummary(data({ report: local, cached: () => true }));
    expect(md).toContain('### Layers (2, read from the local source)');
    expect(md).toContain(`| 1 | \`sha256:${'1'.repeat(64)}\` | 2.9 MiB | local | 6.8 KiB (70.0%) |`);
    expect(md).not.toMatch(/\| (cache|registry) \|/);
  });

  it('lists where the file data is in parts that do not overlap, with their exact sizes and shares', () => {
    const md = renderSummary(data());
    expect(md).toContain(
      [
        '| Directory | Size | Share |',
        '|---|---|---|',
        '| `/usr/lib` | 5.9 KiB | 60.0% |',
        '| `/usr\\|x` | 2.0 KiB | 20.0% |',
        '| `/usr` (files directly in it) | 1000 B | 10.0% |',
        '| `/` (files at the top) | 600 B | 6.0% |',
        '| other (3 smaller) | 400 B | 4.0% |',
      ].join('\n'),
    );
    expect(md).toContain('### File data by directory (9.8 KiB)');
  });

  it('draws the directories and the layers as pie charts Mermaid parses, whose slices are the tables\' and add up to the file data', async () => {
    const md = renderSummary(data());
    const [layers, dirs] = await summaryPies(md);
    expect(mermaidBlocks(md)).toHaveLength(2);
    expect(layers!.title).toBe('File data by layer');
    // The layer that kept nothing has no slice: Mermaid draws nothing for 0.
    expect(layers!.sections).toEqual([
      { label: 'layer 1 sha256:111111111111', value: 7_000 },
      { label: 'injected from the host', value: 1_000 },
      { label: 'generated /init and its tools', value: 2_000 },
    ]);
    expect(dirs!.title).toBe('File data by directory');
    expect(dirs!.sections).toEqual([
      { label: '/usr/lib 5.9 KiB', value: 6_000 },
      { label: '/usr?x 2.0 KiB', value: 2_000 },
      { label: '/usr (files directly in it) 1000 B', value: 1_000 },
      { label: '/ (files at the top) 600 B', value: 600 },
      { label: 'other (3 smaller) 400 B', value: 400 },
    ]);
    for (const pie of [layers!, dirs!]) expect(sum(pie.sections.map((s) => s.value))).toBe(report.space.fileBytes);
  });

  it('has no chart nor directory table for an archive without file data', () => {
    const empty = { ...report, space: { fileBytes: 0, directories: [], layers: [0, 0], injected: 0, generated: 0 } };
    const md = renderSummary(data({ report: empty }));
    expect(mermaidBlocks(md)).toEqual([]);
    expect(md).not.toContain('File data by directory');
    expect(md).toContain('| 0 B (n/a) |');
  });

  it('says when nothing was published and the image had no manifest digest', () => {
    const md = renderSummary(data({ report: { ...report, image: { ...report.image, digest: null } } }));
    expect(md).toContain('| Published | not uploaded |');
    expect(md).toContain('| Manifest digest | none (local archive) |');
    expect(md).not.toContain('### Warnings');
  });

  const booted: BootResult = { ok: true, seconds: 3.456, accel: 'tcg', arch: 'amd64', reason: 'expected', message: 'booted in 3.5 s (tcg)', tail: ['x'] };
  const bootOf = (r: Partial<BootResult>) => ({ result: { ...booted, ...r }, kernel: 'linuxkit/kernel:6.6', kernelDigest: 'sha256:' + 'd'.repeat(64), expect: 'READY' });

  it('has a "Boot test" section after the main table when the archive was booted, without the tail when it passed', () => {
    const md = renderSummary(data({ boot: bootOf({}) }));
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
    expect(renderSummary(data())).not.toContain('Boot test');
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

describe('hostile file names in the chart', () => {
  /** Names an image can hold (each a byte string, as the model stores it), each a top-level directory. */
  const hostile: string[] = [
    toBytePath('a"b'),
    toBytePath("a'b"), // the same label as a"b once made safe: told apart as "(2)"
    toBytePath('```x'),
    toBytePath('%%{init: {"theme":"forest"}}%%'),
    toBytePath('line\nbreak'),
    toBytePath('#quot;entity#59;'),
    toBytePath('pipe|<script>alert(1)</script>'),
    toBytePath('\u202eright-to-left'),
    toBytePath('é中文'),
    'caf\xe9', // not UTF-8
    toBytePath('x'.repeat(300)),
  ];
  function hostileTree(): Node {
    const root = newDir();
    hostile.forEach((name, i) => {
      const dir = newDir();
      dir.children!.set('f', { inode: { type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: 1000 + i } });
      root.children!.set(name, dir);
    });
    return root;
  }

  it('cannot break Mermaid, the fence or the Markdown: every slice is parsed back, labels unique, values adding up', async () => {
    const use = spaceUse(hostileTree(), () => 0, { splitShare: 0.5, slices: 20, minShare: 0 });
    const r: BuildReport = { ...report, space: { fileBytes: use.fileBytes, directories: use.slices, layers: [use.fileBytes, 0], injected: 0, generated: 0 } };
    const md = renderSummary(data({ report: r }));
    const blocks = mermaidBlocks(md);
    expect(blocks).toHaveLength(2);
    const dirs = await parsePie(blocks[1]!);
    expect(dirs.sections).toHaveLength(hostile.length);
    expect(sum(dirs.sections.map((s) => s.value))).toBe(use.fileBytes);
    expect(new Set(dirs.sections.map((s) => s.label)).size).toBe(hostile.length);
    for (const s of dirs.sections) {
      expect(s.label).not.toMatch(/["`%#;\n<>{}|\u202e]/);
      expect([...s.label].length).toBeLessThanOrEqual(48 + ' 1010 B (2)'.length);
    }
    const byValue = new Map(dirs.sections.map((s) => [s.value, s.label]));
    expect(byValue.get(1000)).toBe('/a?b 1000 B');
    expect(byValue.get(1001)).toBe('/a?b 1001 B');
    expect(byValue.get(1008)).toBe('/é中文 1008 B');
    expect(byValue.get(1009)).toBe('/caf? 1009 B');
    expect(byValue.get(1010)).toMatch(/^…x+ 1010 B$/);
    // Outside the chart, the table shows each name in a code span on one line.
    expect(md).toContain('| `/line break` | 1004 B |');
    expect(md).toContain("| `/'''x` | 1002 B |");
  });

  it('pieLabel keeps letters of any script and plain punctuation, and the end of a long label', () => {
    expect(pieLabel('/usr/lib/python3.12 (files directly in it)')).toBe('/usr/lib/python3.12 (files directly in it)');
    expect(pieLabel('a"b`c%d#e;f\ng')).toBe('a?b?c?d?e?f?g');
    expect(pieLabel('')).toBe('?');
    expect(pieLabel('/' + 'y'.repeat(100) + '/end')).toBe('…' + 'y'.repeat(43) + '/end');
  });

  it('pieChart numbers labels that came out equal, keeps the first as it is, and leaves out empty slices', async () => {
    const lines = pieChart('T', [
      { label: 'a"', value: 1 },
      { label: "a'", value: 2 },
      { label: 'a?', value: 3 },
      { label: 'zero', value: 0 },
    ]);
    expect(lines[0]).toBe('```mermaid');
    expect(lines.at(-1)).toBe('```');
    expect((await parsePie(lines.slice(1, -1).join('\n') + '\n')).sections).toEqual([
      { label: 'a?', value: 1 },
      { label: 'a? (2)', value: 2 },
      { label: 'a? (3)', value: 3 },
    ]);
    // A note is kept whole after a shortened label.
    const long = pieChart('T', [{ label: '/' + 'z'.repeat(80), note: '1.0 GiB', value: 5 }]);
    expect((await parsePie(long.slice(1, -1).join('\n') + '\n')).sections).toEqual([{ label: '…' + 'z'.repeat(47) + ' 1.0 GiB', value: 5 }]);
  });
});

describe('several builds in one job', () => {
  it('appended one after the other, are two sections each headed by its file and image, with two valid charts each', async () => {
    const second: BuildReport = { ...report, output: '/w/b.cpio.zst', image: { ...report.image, reference: 'docker.io/library/busybox:1.37' } };
    // What GITHUB_STEP_SUMMARY holds after two steps: core.summary appends each step's text with a newline.
    const file = renderSummary(data()) + '\n' + renderSummary(data({ report: second }));
    const headings = file.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual(['## initramfs: a.cpio.gz from docker.io/library/alpine:3.20', '## initramfs: b.cpio.zst from docker.io/library/busybox:1.37']);
    const pies = await summaryPies(file);
    expect(pies.map((p) => p.title)).toEqual(['File data by layer', 'File data by directory', 'File data by layer', 'File data by directory']);
    // Each section's charts are inside it.
    const at = file.indexOf(headings[1]!);
    expect(mermaidBlocks(file.slice(0, at))).toHaveLength(2);
    expect(mermaidBlocks(file.slice(at))).toHaveLength(2);
  });
});

describe('the summary of a failed step', () => {
  const failure = (extra: Partial<FailureSummary> = {}): FailureSummary => ({
    asked: { image: 'docker.io/library/alpine:3.20', output: '/w/a.cpio.gz', upload: 'artifact' },
    stage: 'publish: artifact',
    message: "artifact 'a.cpio.gz' upload failed: 500 `boom` | oops",
    code: 'IO',
    succeeded: [],
    ...extra,
  });

  it('after a good build: what was asked, where it failed, the error, what was done, then the build as usual', async () => {
    const md = renderSummary(data({ published: 'not published: the upload failed', failure: failure({ succeeded: [builtStep(report)] }) }));
    const lines = md.split('\n');
    expect(lines[0]).toBe('## initramfs: a.cpio.gz from docker.io/library/alpine:3.20 (failed)');
    expect(md).toContain(
      [
        '| | |',
        '|---|---|',
        '| Image | `docker.io/library/alpine:3.20` |',
        '| Output | `/w/a.cpio.gz` |',
        '| Upload | artifact |',
        '| Failed at | publish: artifact |',
        '| Code | `IO` |',
        '',
        '```text',
        "artifact 'a.cpio.gz' upload failed: 500 `boom` | oops",
        '```',
        '',
        'Done before the failure:',
        '',
        `- build: \`/w/a.cpio.gz\`, 1000 B, digest \`sha256:${'c'.repeat(64)}\``,
      ].join('\n'),
    );
    // The build's own sections follow, charts included.
    expect(md.indexOf('Failed at')).toBeLessThan(md.indexOf('| Output digest |'));
    expect(md).toContain('| Published | not published: the upload failed |');
    expect(await summaryPies(md)).toHaveLength(2);
  });

  it('before any work: the inputs as given, and that nothing had been done', () => {
    const md = renderFailure(
      failure({ asked: { image: 'alpine', output: null, upload: 's3' }, stage: 'inputs', message: `input 'upload': "s3": expected artifact, release, none`, code: 'USAGE' }),
      { timings: [], warnings: [] },
    );
    expect(md.split('\n')[0]).toBe('## initramfs: alpine (failed)');
    expect(md).toContain('| Output | not given: named after the image |');
    expect(md).toContain('| Upload | s3 |');
    expect(md).toContain('| Failed at | inputs |');
    expect(md).toContain('| Code | `USAGE` |');
    expect(md).toContain('Nothing had been done before the failure.');
    expect(md).not.toContain('### Timings');
  });

  it('an internal error says so, and a message no fence in it can close', () => {
    const md = renderFailure(failure({ asked: { image: '', output: null, upload: 'artifact' }, code: null, message: 'x ``` y\nsecond line' }), {
      timings: [{ stage: 'pull', seconds: 2 }],
      warnings: ['w'],
    });
    expect(md.split('\n')[0]).toBe('## initramfs: no image given (failed)');
    expect(md).toContain('| Code | none: an internal error (please report it) |');
    expect(md).toContain(['````text', 'x ``` y', 'second line', '````'].join('\n'));
    expect(md).toContain('pull 2.0 s');
    expect(md).toContain('### Warnings (1)');
  });

  it('a heading shows Markdown marks in names as themselves', () => {
    const md = renderFailure(failure({ asked: { image: 'reg/x:1', output: '/w/*bold*_[x](y).cpio', upload: 'none' } }), { timings: [], warnings: [] });
    expect(md.split('\n')[0]).toBe('## initramfs: \\*bold\\*\\_\\[x\\]\\(y\\).cpio from reg/x:1 (failed)');
  });
});
