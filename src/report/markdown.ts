// The Markdown report: one sticky PR comment per gate, and the job summary. Pure.
import { markdownTable } from 'markdown-table';
import type { Comparison } from '../schema/comparison.ts';
import { escapeMarkdown, markdownCell, safeUrl, truncateText } from './escape.ts';
import { formatInteger } from './format.ts';
import {
  allRows,
  benchmarkRow,
  changedBenchmarks,
  countsText,
  countVerdicts,
  hasNoBaseline,
  hasCycles,
  hasSpeedups,
  headline,
  isRegression,
  legendText,
  notices,
  plural,
  regressionWords,
  runRow,
  VERDICT_MARKDOWN,
  type Row,
  changeHeader,
} from './model.ts';

/** GitHub's limit on an issue or pull-request comment body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Default cap of the comment: under GitHub's limit with room for what the caller adds. */
export const DEFAULT_MAX_CHARS = 60_000;
/** Default cap of the job summary (GitHub allows 1 MiB per step; characters may take 3 bytes). */
export const SUMMARY_MAX_CHARS = 300_000;
/** Regressions described in words above the tables (the rest are in the tables). */
export const MAX_REGRESSION_LINES = 10;
/** Tables with more rows than this are written unpadded (smaller; renders the same). */
const ALIGN_ROWS_LIMIT = 200;

export interface MarkdownOptions {
  /** Headline prefix, e.g. the job or shard name (data: escaped). Default "perfgate". */
  title?: string;
  /** The whole string stays under this many characters. Default 60,000. */
  maxChars?: number;
  /** Hidden HTML marker placed first, e.g. `<!-- perfgate:gate -->` (trusted: not escaped). */
  marker?: string;
  /**
   * `changed-first` (default): the changed benchmarks' table, then all benchmarks collapsed.
   * `all`: one open table of all benchmarks.
   */
  details?: 'changed-first' | 'all';
  /** Link to the workflow run (http/https only). */
  runUrl?: string;
  /** Markdown appended at the end (trusted: not escaped). */
  footer?: string;
  /** Where to find what truncation left out. Default "see the job summary or the comparison JSON". */
  moreInfo?: string;
}

/** A piece of the document that can show fewer items when the whole is too long. */
interface Part {
  /** How many items it has (0 for fixed text). */
  total: number;
  render(shown: number): string;
}

function fixed(text: string): Part {
  return { total: 0, render: () => text };
}

function memo(part: Part): Part {
  const cache = new Map<number, string>();
  return {
    total: part.total,
    render(k) {
      let text = cache.get(k);
      if (text === undefined) cache.set(k, (text = part.render(k)));
      return text;
    },
  };
}

function nameCell(row: Row): string {
  if (row.kind === 'geomean') return '**geomean**';
  if (row.kind === 'run') return '**run**';
  return markdownCell(row.name);
}

/** Optional columns: native speedups, estimated cycles (clock instructions under callgrind). */
interface Columns {
  speedups: boolean;
  cycles: boolean;
}

function tableMarkdown(rows: Row[], cols: Columns, change: string): string {
  const { speedups, cycles } = cols;
  const header = ['Suite', 'Benchmark', 'Base', 'Head', change, ...(cycles ? ['Est. cycles'] : []), ...(speedups ? ['Native speedup'] : []), 'n (base/head)', 'Verdict', 'Grade'];
  const align = ['l', 'l', 'r', 'r', 'r', ...(cycles ? ['r'] : []), ...(speedups ? ['r'] : []), 'c', 'l', 'c'];
  const body = rows.map((row) => {
    const summary = row.kind !== 'benchmark';
    const strong = (s: string) => (summary && s && s !== '—' ? `**${s}**` : s);
    return [
      markdownCell(row.suite),
      nameCell(row),
      row.base,
      row.head,
      strong(row.change),
      ...(cycles ? [row.cycles] : []),
      ...(speedups ? [markdownCell(row.speedup)] : []),
      row.n,
      row.verdict ? VERDICT_MARKDOWN[row.verdict] : '',
      strong(row.grade),
    ];
  });
  return markdownTable([header, ...body], { align, alignDelimiters: body.length <= ALIGN_ROWS_LIMIT });
}

function moreNote(hidden: number, what: string, moreInfo: string): string {
  return `… ${plural(hidden, what)} not shown; ${moreInfo}.`;
}

function shortCommit(commit: string | undefined): string | undefined {
  return commit ? commit.slice(0, 7).replace(/[^0-9a-zA-Z]/g, '') || undefined : undefined;
}

/** "Head abc1234 (feature) against base def5678 (main), from cache." */
function sidesLine(c: Comparison): string {
  const side = (commit?: string, ref?: string) => {
    const parts = [shortCommit(commit), ref ? markdownCell(ref, 80) : undefined].filter(Boolean);
    if (parts.length === 0) return undefined;
    return parts.length === 2 ? `${parts[0]} (${parts[1]})` : parts[0];
  };
  const headSide = side(c.head.commit, c.head.ref);
  const head = headSide ? `Head ${headSide}` : 'Head (working tree)';
  if (!c.base) return `${head}.`;
  const baseSide = side(c.base.commit, c.base.ref);
  const source = markdownCell(c.base.source, 80);
  return baseSide ? `${head} against base ${baseSide}, from ${source}.` : `${head} against the baseline from ${source}.`;
}

/** The Markdown report. See MarkdownOptions; pure. */
export function renderMarkdown(c: Comparison, opts: MarkdownOptions = {}): string {
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const moreInfo = opts.moreInfo ?? 'see the job summary or the comparison JSON';
  const counts = countVerdicts(c.benchmarks);
  const cols: Columns = { speedups: hasSpeedups(c), cycles: hasCycles(c) };
  const noBaseline = hasNoBaseline(c);

  // Head: marker, headline, gate, counts, sides.
  const h = headline(c, counts);
  const title = markdownCell(opts.title ?? 'perfgate', 120);
  const gradePart = h.grade ? `grade **${h.grade}** (${h.label}) — ` : h.compared ? `${escapeMarkdown((h.label ?? 'Not graded').toLowerCase())} — ` : '';
  const headText = `## ${title}: ${gradePart}${escapeMarkdown(h.text)}`;
  const gateText = c.gate.reason
    ? `Gate: **${c.gate.failed ? 'failed' : 'passed'}** — ${markdownCell(c.gate.reason, 500)}`
    : `Gate: **${c.gate.failed ? 'failed' : 'passed'}**`;
  const top = [opts.marker ? `${opts.marker}\n${headText}` : headText, gateText, `${countsText(counts)}  \n${sidesLine(c)}`];

  // Notices: one quoted bullet each.
  const noticeList = notices(c, counts);
  const noticePart: Part = {
    total: noticeList.length,
    render: (k) => {
      if (k === 0) return noticeList.length ? `> ${plural(noticeList.length, 'notice')} not shown; ${moreInfo}.` : '';
      const lines = noticeList.slice(0, k).map((n) => `> - ${markdownCell(n, 500)}`);
      if (k < noticeList.length) lines.push(`> - … ${plural(noticeList.length - k, 'more notice')}`);
      return lines.join('\n');
    },
  };

  // Regressions in words, worst first.
  const changed = noBaseline ? [] : changedBenchmarks(c);
  const regressions = changed.filter((b) => isRegression(b.verdict));
  const regressionPart: Part = {
    total: Math.min(regressions.length, MAX_REGRESSION_LINES),
    render: (k) => {
      const lines = regressions
        .slice(0, k)
        .map((b) => `- ${VERDICT_MARKDOWN[b.verdict]} — ${markdownCell(b.suite)} / **${markdownCell(b.name)}**: ${markdownCell(regressionWords(b), 400)}`);
      if (k < regressions.length && lines.length) lines.push(`- … ${plural(regressions.length - k, 'more regression')} in the table below.`);
      return lines.join('\n');
    },
  };

  // The changed benchmarks, worst first, and the run's geomean.
  const changedRows = changed.map(benchmarkRow);
  const changedPart: Part = {
    total: changedRows.length,
    render: (k) => {
      if (changedRows.length === 0) return '';
      if (k === 0) return moreNote(changedRows.length, 'changed benchmark', moreInfo);
      const table = tableMarkdown([...changedRows.slice(0, k), runRow(c)], cols, changeHeader(c));
      return k < changedRows.length ? `${table}\n\n${moreNote(changedRows.length - k, 'more changed benchmark', moreInfo)}` : table;
    },
  };

  // All benchmarks by suite, with geomean rows: collapsed after the changed table, or open.
  const rows = allRows(c);
  const benchmarkCount = c.benchmarks.length;
  const open = opts.details === 'all';
  const allPart: Part = {
    total: benchmarkCount,
    render: (k) => {
      if (benchmarkCount === 0) return '';
      if (k === 0) return `All ${plural(benchmarkCount, 'benchmark')}: not shown (too long); ${moreInfo}.`;
      const shownSuites = new Set<string>();
      const picked: Row[] = [];
      let shown = 0;
      for (const row of rows) {
        if (row.kind === 'benchmark') {
          if (shown < k) {
            picked.push(row);
            shownSuites.add(row.suite);
            shown += 1;
          }
        } else if (row.kind === 'run' || shownSuites.has(row.suite)) picked.push(row);
      }
      let body = tableMarkdown(picked, cols, changeHeader(c));
      if (k < benchmarkCount) body += `\n\n${moreNote(benchmarkCount - k, 'more benchmark', moreInfo)}`;
      if (open) return body;
      const label = noBaseline ? `All ${plural(benchmarkCount, 'benchmark')} (measured; no baseline to compare with)` : `All ${plural(benchmarkCount, 'benchmark')}`;
      const shownText = k < benchmarkCount ? ` (first ${formatInteger(k)} shown)` : '';
      return `<details><summary>${label}${shownText}</summary>\n\n${body}\n\n</details>`;
    },
  };

  // Legend, link, footer: always kept.
  const url = opts.runUrl ? safeUrl(opts.runUrl) : undefined;
  const tail = [
    noBaseline ? 'Nothing to compare against yet: a baseline is saved by runs on the default branch.' : '',
    `Decision rule: ${escapeMarkdown(legendText(c))}`,
    url ? `[Workflow run](${url})` : '',
    opts.footer ?? '',
  ].filter(Boolean);

  const noticeM = memo(noticePart);
  const regressionM = memo(regressionPart);
  const changedM = memo(changedPart);
  const allM = memo(allPart);
  const parts: Part[] = [...top.map(fixed), noticeM, regressionM, ...(open ? [] : [changedM]), allM, ...tail.map(fixed)];
  const shown = parts.map((p) => p.total);
  const assemble = () =>
    parts
      .map((p, i) => p.render(shown[i]))
      .filter(Boolean)
      .join('\n\n') + '\n';

  // Too long: shrink the all-benchmarks table first, then the changed table, the regression
  // lines and the notices; the headline, counts and legend always stay.
  let text = assemble();
  const shrinkOrder = [allM, changedM, regressionM, noticeM].map((p) => parts.indexOf(p));
  for (const index of shrinkOrder) {
    if (text.length <= maxChars) break;
    if (index < 0) continue;
    let lo = 0;
    let hi = shown[index];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      shown[index] = mid;
      if (assemble().length <= maxChars) lo = mid;
      else hi = mid - 1;
    }
    shown[index] = lo;
    text = assemble();
  }
  if (text.length > maxChars) text = hardCut(text, maxChars);
  return text;
}

/** Last resort (a tiny cap or a huge footer): cut, without splitting a surrogate pair. */
function hardCut(text: string, maxChars: number): string {
  const note = '\n\n… (report cut to fit)\n';
  if (maxChars <= note.length) return truncateText(text, Math.max(0, maxChars));
  let cut = text.slice(0, maxChars - note.length);
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + note;
}

export type SummaryOptions = Omit<MarkdownOptions, 'marker'>;

/** The job summary: the same Markdown without the marker, with a larger cap (300,000 by default). */
export function renderSummary(c: Comparison, opts: SummaryOptions = {}): string {
  return renderMarkdown(c, { maxChars: SUMMARY_MAX_CHARS, moreInfo: 'see the comparison JSON', ...opts, marker: undefined });
}
