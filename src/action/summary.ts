// The job summary (GITHUB_STEP_SUMMARY) as Markdown, from the build report and what the action did around
// it, or — when a step failed — what it was asked, where it failed and what had been done. Pure text so it
// can be tested as text; the action appends it with core.summary. Every step appends its own section,
// headed by the file and the image, so several builds in one job stay apart.
import { basename } from 'node:path';
import type { BootResult } from '../boot/boot.ts';
import type { BuildReport } from '../report.ts';
import type { SpaceSlice } from '../rootfs/du.ts';
import { pieChart } from './pie-chart.ts';
import { isLocalReference } from '../image/transport.ts';

/** What the boot test did, for its section. */
export interface BootSummary {
  result: BootResult;
  /** The kernel as given: a file path or an image reference. */
  kernel: string;
  /** The kernel image's manifest digest; null for a file. */
  kernelDigest: string | null;
  /** The text that meant success. */
  expect: string;
}

export interface SummaryData {
  report: BuildReport;
  /** Per layer digest: whether it came from a cache (local or @actions/cache) rather than the registry. */
  cached: (digest: string) => boolean;
  /** Where the archive went, as Markdown (a link), or undefined when nothing was published. */
  published?: string;
  timings: { stage: string; seconds: number }[];
  warnings: string[];
  /** Set when the archive was booted (boot-test true). */
  boot?: BootSummary;
  /** Set when a step after the build failed (the upload, the boot test): the section says so first. */
  failure?: FailureSummary;
}

/** A failed step, for the summary that says so. */
export interface FailureSummary {
  /** What the step was asked for: the inputs as parsed, or as given when they could not be. */
  asked: { image: string; output: string | null; upload: string };
  /** The stage or part that failed, named as in the log's groups (`pull: resolving alpine`, `publish: artifact`). */
  stage: string;
  message: string;
  /** The error's stable code; null for an internal error. */
  code: string | null;
  /** What had been done before, in order (`build`, `boot test`, …); `detail` is Markdown (see builtStep). */
  succeeded: { step: string; detail: string }[];
}

const units = ['B', 'KiB', 'MiB', 'GiB'];
export function humanBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/** Text for a table cell: pipes and line breaks would break the row. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
/** Text for a heading: on one line, Markdown's marks shown as themselves. */
const plain = (s: string): string => s.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]<>()#+!|~]/g, '\\$&');
const share = (part: number, whole: number): string => (whole > 0 ? ((part / whole) * 100).toFixed(1) + '%' : 'n/a');
const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';
/** Text as a code span fit for a table cell or a list item (a path, a reference). */
export const inlineCode = (s: string): string => code(cell(s));

/** Which /init boots, and for a generated one what it was told to do. */
function initCell(i: BuildReport['init']): string {
  if (i.kind === 'given') return 'given (`init` input)';
  if (i.kind === 'image') return "the image's own";
  const parts = [`network ${i.network}`, `on exit ${i.onExit}`];
  if (i.user !== null) parts.push(`user ${i.user}`);
  if (i.modules !== null && i.modules.names.length > 0) parts.push(`modules ${i.modules.names.join(', ')}`);
  if (i.tools !== null) parts.push(`busybox from ${inlineCode(i.tools.reference)}`);
  return `generated: ${parts.join(', ')}`;
}

/** A fenced code block that no backtick run in `lines` can close early. */
function codeBlock(lines: string[]): string[] {
  const longest = Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence + 'text', ...lines, fence];
}

/** The "Boot test" section: the verdict first, then how it ran, then (on failure) the console's tail. */
export function renderBootSection(b: BootSummary): string[] {
  const r = b.result;
  const out: string[] = [`### Boot test: ${r.ok ? 'passed' : 'failed'}`, ''];
  out.push('| | |', '|---|---|');
  out.push(`| Result | ${r.ok ? 'passed' : 'failed'}: ${cell(r.message)} |`);
  out.push(`| Seconds | ${r.seconds.toFixed(2)} |`);
  out.push(`| Accel | ${r.accel}${r.accel === 'tcg' ? ' (emulation)' : ''} |`);
  out.push(`| Architecture | ${r.arch} |`);
  out.push(`| Kernel | ${inlineCode(b.kernel)}${b.kernelDigest ? ` (${code(b.kernelDigest)})` : ''} |`);
  out.push(`| Expected | ${inlineCode(b.expect)} |`);
  out.push('');
  if (!r.ok) {
    if (r.tail.length > 0) out.push(`The console's last ${r.tail.length} line${r.tail.length === 1 ? '' : 's'}:`, '', ...codeBlock(r.tail), '');
    else out.push('The console printed nothing.', '');
  }
  return out;
}

/** The heading of one build's section: the file and the image, which tell two builds of a job apart. */
function heading(output: string | null, image: string, failed: boolean): string {
  const what = image === '' ? 'no image given' : plain(image);
  const file = output === null || output === '' ? '' : `${plain(basename(output) || output)} from `;
  return `## initramfs: ${file}${what}${failed ? ' (failed)' : ''}`;
}

/** The `build` line of what had been done, for a failure after the build. */
export const builtStep = (r: BuildReport): { step: string; detail: string } => ({
  step: 'build',
  detail: `${inlineCode(r.output)}, ${humanBytes(r.size)}, digest ${code(r.digest)}`,
});

/** What failed, then what had been done: the first thing a reader of a failed step's summary needs. */
function renderFailureTable(f: FailureSummary): string[] {
  const out: string[] = ['| | |', '|---|---|'];
  out.push(`| Image | ${inlineCode(f.asked.image)} |`);
  out.push(`| Output | ${f.asked.output === null ? 'not given: named after the image' : inlineCode(f.asked.output)} |`);
  out.push(`| Upload | ${cell(f.asked.upload)} |`);
  out.push(`| Failed at | ${cell(f.stage)} |`);
  out.push(`| Code | ${f.code === null ? 'none: an internal error (please report it)' : code(f.code)} |`, '');
  // In a code block: an error message quotes image data, which no Markdown should read.
  out.push(...codeBlock(f.message.split(/\r?\n/)), '');
  if (f.succeeded.length > 0) {
    out.push('Done before the failure:', '');
    for (const s of f.succeeded) out.push(`- ${s.step}: ${s.detail}`);
  } else {
    out.push('Nothing had been done before the failure.');
  }
  out.push('');
  return out;
}

/** The summary of a step that failed before the build's report existed: bad inputs, a pull, a build. */
export function renderFailure(f: FailureSummary, log: { timings: SummaryData['timings']; warnings: string[] }): string {
  const out = [heading(f.asked.output, f.asked.image, true), '', ...renderFailureTable(f)];
  out.push(...renderTimings(log.timings), ...renderWarnings(log.warnings));
  return out.join('\n');
}

export function renderSummary(d: SummaryData): string {
  const r = d.report;
  const out: string[] = [];
  out.push(heading(r.output, r.image.reference, d.failure !== undefined), '');
  if (d.failure !== undefined) out.push(...renderFailureTable(d.failure));
  const ratio = r.uncompressedSize > 0 ? ((r.size / r.uncompressedSize) * 100).toFixed(1) + '%' : 'n/a';
  out.push('| | |', '|---|---|');
  out.push(`| Image | ${code(r.image.reference)} |`);
  out.push(`| Manifest digest | ${r.image.digest ? code(r.image.digest) : 'none (local archive)'} |`);
  out.push(`| Platform | ${code(r.image.platform)} |`);
  out.push(`| /init | ${initCell(r.init)} |`);
  out.push(`| Output | ${inlineCode(r.output)} |`);
  out.push(`| Entries | ${r.entries} |`);
  out.push(`| Uncompressed | ${humanBytes(r.uncompressedSize)} (${r.uncompressedSize} bytes) |`);
  const level = r.level === null || r.compression === 'none' ? '' : ` -${r.level}`;
  out.push(`| Compressed (${r.compression}${level}) | ${humanBytes(r.size)} (${r.size} bytes), ${ratio} of the cpio |`);
  out.push(`| Output digest | ${code(r.digest)} |`);
  out.push(`| Published | ${d.published ?? 'not uploaded'} |`);
  out.push('');
  if (d.boot !== undefined) out.push(...renderBootSection(d.boot));
  out.push(...renderLayers(d), ...renderDirectories(r));
  out.push(...renderTimings(d.timings), ...renderWarnings(d.warnings));
  return out.join('\n');
}

const shortDigest = (digest: string): string => digest.replace(/^(sha256:)?([0-9a-f]{12})[0-9a-f]*$/, '$1$2');

/**
 * The layers, each with the file data it still has in the archive (what later layers, whiteouts and
 * excludes left of it), then what the build added; a chart of the same shares.
 */
function renderLayers(d: SummaryData): string[] {
  const r = d.report;
  const s = r.space;
  // A local source (an OCI layout, an archive file) pulls nothing: its layers are read where they are.
  const local = isLocalReference(r.image.reference);
  const source = (digest: string): string => (local ? 'local' : d.cached(digest) ? 'cache' : 'registry');
  const cachedCount = r.layers.filter((l) => d.cached(l.digest)).length;
  const out = [`### Layers (${r.layers.length}, ${local ? 'read from the local source' : `${cachedCount} from cache`})`, ''];
  out.push('| # | Digest | Size | Source | File data in the archive |', '|---|---|---|---|---|');
  const kept = (bytes: number): string => `${humanBytes(bytes)} (${share(bytes, s.fileBytes)})`;
  r.layers.forEach((l, i) =>
    out.push(`| ${i + 1} | ${code(l.digest)} | ${humanBytes(l.size)} | ${source(l.digest)} | ${kept(s.layers[i] ?? 0)} |`),
  );
  const added = [
    { what: 'injected from the host', bytes: s.injected },
    { what: 'generated /init and its tools', bytes: s.generated },
  ].filter((a) => a.bytes > 0);
  for (const a of added) out.push(`| | ${a.what} | | | ${kept(a.bytes)} |`);
  out.push('');
  if (s.fileBytes > 0) {
    const slices = [
      ...r.layers.map((l, i) => ({ label: `layer ${i + 1} ${shortDigest(l.digest)}`, value: s.layers[i] ?? 0 })),
      ...added.map((a) => ({ label: a.what, value: a.bytes })),
    ];
    out.push(...pieChart('File data by layer', slices), '');
  }
  return out;
}

/**
 * A slice's name as a reader says it: `/usr/lib`, `/usr (files directly in it)`, `other (12 smaller)`;
 * `path` formats its path (a code span in the table).
 */
function sliceName(s: SpaceSlice, path: (p: string) => string = (p) => p): string {
  if (s.scope === 'other') return `other (${s.folded ?? 0} smaller)`;
  if (s.scope === 'files') return `${path(s.path ?? '')} (${s.path === '/' ? 'files at the top' : 'files directly in it'})`;
  return path(s.path ?? '');
}

/** Where the file data is, in parts that do not overlap: a chart, and the exact figures as a table. */
function renderDirectories(r: BuildReport): string[] {
  const s = r.space;
  if (s.fileBytes === 0) return [];
  const out = [`### File data by directory (${humanBytes(s.fileBytes)})`, ''];
  out.push(...pieChart('File data by directory', s.directories.map((d) => ({ label: sliceName(d), note: humanBytes(d.bytes), value: d.bytes }))), '');
  out.push('| Directory | Size | Share |', '|---|---|---|');
  for (const d of s.directories) {
    out.push(`| ${sliceName(d, inlineCode)} | ${humanBytes(d.bytes)} | ${share(d.bytes, s.fileBytes)} |`);
  }
  out.push('');
  return out;
}

function renderTimings(timings: SummaryData['timings']): string[] {
  if (timings.length === 0) return [];
  return ['### Timings', '', timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)} s`).join(' · '), ''];
}

function renderWarnings(warnings: string[]): string[] {
  if (warnings.length === 0) return [];
  const out = [`### Warnings (${warnings.length})`, ''];
  for (const w of warnings.slice(0, 50)) out.push(`- ${cell(w)}`);
  if (warnings.length > 50) out.push(`- … and ${warnings.length - 50} more in the log`);
  out.push('');
  return out;
}
