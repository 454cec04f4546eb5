// The job summary (GITHUB_STEP_SUMMARY) as Markdown, from the build report and what the action did around
// it. Pure text so it can be tested as text; the action appends it with core.summary.
import type { BuildReport } from '../report.ts';

export interface SummaryData {
  report: BuildReport;
  /** Per layer digest: whether it came from a cache (local or @actions/cache) rather than the registry. */
  cached: (digest: string) => boolean;
  /** Where the archive went, as Markdown (a link), or undefined when nothing was published. */
  published?: string;
  timings: { stage: string; seconds: number }[];
  warnings: string[];
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
