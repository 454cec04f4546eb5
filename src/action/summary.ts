// The job summary (GITHUB_STEP_SUMMARY) as Markdown, from the build report and what the action did around
// it. Pure text so it can be tested as text; the action appends it with core.summary.
import type { BootResult } from '../boot/boot.ts';
import type { BuildReport } from '../report.ts';

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
const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';

/** Which /init boots, and for a generated one what it was told to do. */
function initCell(i: BuildReport['init']): string {
  if (i.kind === 'given') return 'given (`init` input)';
  if (i.kind === 'image') return "the image's own";
  const parts = [`network ${i.network}`, `on exit ${i.onExit}`];
  if (i.user !== null) parts.push(`user ${i.user}`);
  if (i.modules !== null && i.modules.names.length > 0) parts.push(`modules ${i.modules.names.join(', ')}`);
  if (i.tools !== null) parts.push(`busybox from ${code(cell(i.tools.reference))}`);
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
  out.push(`| Kernel | ${code(cell(b.kernel))}${b.kernelDigest ? ` (${code(b.kernelDigest)})` : ''} |`);
  out.push(`| Expected | ${code(cell(b.expect))} |`);
  out.push('');
  if (!r.ok) {
    if (r.tail.length > 0) out.push(`The console's last ${r.tail.length} line${r.tail.length === 1 ? '' : 's'}:`, '', ...codeBlock(r.tail), '');
    else out.push('The console printed nothing.', '');
  }
  return out;
}

export function renderSummary(d: SummaryData): string {
  const r = d.report;
  const out: string[] = [];
  out.push(`## initramfs: ${cell(r.image.reference)}`, '');
  const ratio = r.uncompressedSize > 0 ? ((r.size / r.uncompressedSize) * 100).toFixed(1) + '%' : 'n/a';
  out.push('| | |', '|---|---|');
  out.push(`| Image | ${code(r.image.reference)} |`);
  out.push(`| Manifest digest | ${r.image.digest ? code(r.image.digest) : 'none (local archive)'} |`);
  out.push(`| Platform | ${code(r.image.platform)} |`);
  out.push(`| /init | ${initCell(r.init)} |`);
  out.push(`| Entries | ${r.entries} |`);
  out.push(`| Uncompressed | ${humanBytes(r.uncompressedSize)} (${r.uncompressedSize} bytes) |`);
  const level = r.level === null || r.compression === 'none' ? '' : ` -${r.level}`;
  out.push(`| Compressed (${r.compression}${level}) | ${humanBytes(r.size)} (${r.size} bytes), ${ratio} of the cpio |`);
  out.push(`| Output digest | ${code(r.digest)} |`);
  out.push(`| Published | ${d.published ?? 'not uploaded'} |`);
  out.push('');
  if (d.boot !== undefined) out.push(...renderBootSection(d.boot));

  const cachedCount = r.layers.filter((l) => d.cached(l.digest)).length;
  out.push(`### Layers (${r.layers.length}, ${cachedCount} from cache)`, '', '| # | Digest | Size | Source |', '|---|---|---|---|');
  r.layers.forEach((l, i) => out.push(`| ${i + 1} | ${code(l.digest)} | ${humanBytes(l.size)} | ${d.cached(l.digest) ? 'cache' : 'registry'} |`));
  out.push('');

  if (r.largestDirectories.length > 0) {
    out.push('### Largest directories', '', '| Directory | Size |', '|---|---|');
    for (const dir of r.largestDirectories) out.push(`| ${code(cell(dir.path))} | ${humanBytes(dir.bytes)} |`);
    out.push('');
  }
  if (d.timings.length > 0) {
    out.push('### Timings', '', d.timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)} s`).join(' · '), '');
  }
  if (d.warnings.length > 0) {
    out.push(`### Warnings (${d.warnings.length})`, '');
    for (const w of d.warnings.slice(0, 50)) out.push(`- ${cell(w)}`);
    if (d.warnings.length > 50) out.push(`- … and ${d.warnings.length - 50} more in the log`);
    out.push('');
  }
  return out.join('\n');
}
