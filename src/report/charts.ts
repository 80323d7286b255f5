// Charts: trend lines per benchmark and the before/after picture, as Mermaid `xychart-beta`
// blocks (GitHub renders them in comments and job summaries) and as hand-written SVG files.
// Pure: strings in, strings out.
//
// Mermaid text rules (checked against mermaid's own parser in test/charts.test.ts): labels are
// double-quoted strings in which `"` cannot appear (written as the entity `#quot;`, `#` itself as
// `#35;`, and `%` as `#37;`, since Mermaid strips `%%` comments even inside quotes; `& < >` as
// `#38; #60; #62;`, so a name never becomes HTML in the rendered chart or the comment), numbers are plain decimals (no exponent, no trailing dot), and every series must be
// complete (missing points are left out, with their labels).
import type { BenchmarkComparison, Comparison } from '../schema/comparison.ts';
import type { BenchmarkSeries, HistoryEntry } from '../history/series.ts';
import { median } from '../stats/summary.ts';
import { flattenText, truncateText } from './escape.ts';
import { formatNumber, unitKind } from './format.ts';
import { isRegression, SEVERITY_ORDER } from './model.ts';

/** Most bars in a before/after chart and most labelled points on a categorical x axis. */
export const MAX_BARS = 20;
export const MAX_CATEGORY_POINTS = 16;
const LABEL_CHARS = 40;

// ---------------------------------------------------------------------------------------------
// Mermaid

/** A data string for inside a Mermaid double-quoted label: one line, no `"`, cut to `max`. */
export function mermaidText(text: string, max = LABEL_CHARS): string {
  return truncateText(flattenText(text).trim(), max)
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/%/g, '#37;')
    .replace(/&/g, '#38;')
    .replace(/</g, '#60;')
    .replace(/>/g, '#62;')
    .replace(/`/g, "'");
}

/** A number as Mermaid's grammar accepts it: plain decimal, 4 significant digits, no exponent. */
export function chartNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e21) return BigInt(Math.round(Number(value.toPrecision(digits)))).toString(); // toFixed would use an exponent
  const magnitude = Math.floor(Math.log10(abs));
  const decimals = Math.min(20, Math.max(0, digits - 1 - magnitude));
  let text = value.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

export interface LineSeries {
  values: number[];
}

export interface MermaidXYChart {
  title: string;
  /** Category labels (one per point), or a numeric range for long series. */
  x: { labels: string[] } | { title: string; min: number; max: number };
  y?: { title: string; min?: number; max?: number };
  lines?: number[][];
  bars?: number[][];
}

/** A fenced ```mermaid block with an `xychart-beta` chart. */
export function mermaidXYChart(chart: MermaidXYChart): string {
  const lines = ['```mermaid', 'xychart-beta', `  title "${mermaidText(chart.title, 100)}"`];
  if ('labels' in chart.x) lines.push(`  x-axis [${chart.x.labels.map((l) => `"${mermaidText(l)}"`).join(', ')}]`);
  else lines.push(`  x-axis "${mermaidText(chart.x.title)}" ${chartNumber(chart.x.min)} --> ${chartNumber(chart.x.max)}`);
  if (chart.y) {
    const range = chart.y.min !== undefined && chart.y.max !== undefined ? ` ${chartNumber(chart.y.min)} --> ${chartNumber(chart.y.max)}` : '';
    lines.push(`  y-axis "${mermaidText(chart.y.title)}"${range}`);
  }
  for (const bar of chart.bars ?? []) lines.push(`  bar [${bar.map((v) => chartNumber(v)).join(', ')}]`);
  for (const line of chart.lines ?? []) lines.push(`  line [${line.map((v) => chartNumber(v)).join(', ')}]`);
  lines.push('```');
  return lines.join('\n');
}

/** A display scale for a series of values in `unit`: time in ns/µs/ms/s, others as they are. */
export function displayScale(unit: string, typical: number): { factor: number; unit: string } {
  const u = unit.trim();
  const ns: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, sec: 1e9 };
  if (unitKind(u) === 'time' && u in ns) {
    const inNs = Math.abs(typical) * ns[u];
    const [to, label] = inNs >= 1e9 ? [1e9, 's'] : inNs >= 1e6 ? [1e6, 'ms'] : inNs >= 1e3 ? [1e3, 'µs'] : [1, 'ns'];
    return { factor: ns[u] / to, unit: label };
  }
  return { factor: 1, unit: u };
}

export interface TrendOptions {
  /** Entry indices of detected steps: their segment levels are drawn as a second line. */
  steps?: number[];
  /** Title prefix (default the benchmark id). */
  title?: string;
}

interface TrendData {
  points: Array<{ index: number; value: number }>;
  scale: { factor: number; unit: string };
  /** Mean of each segment between steps, per point (empty when there are no steps). */
  levels: number[];
  stepPositions: number[];
}

function trendData(series: BenchmarkSeries, steps: number[] = []): TrendData | undefined {
  const points = series.values.flatMap((v, index) => (v !== null && Number.isFinite(v) ? [{ index, value: v }] : []));
  if (points.length < 2) return undefined;
  const scale = displayScale(series.unit, median(points.map((p) => p.value)));
  const scaled = points.map((p) => ({ index: p.index, value: p.value * scale.factor }));
  const stepPositions = [...new Set(steps)].map((s) => scaled.findIndex((p) => p.index >= s)).filter((k) => k > 0).sort((a, b) => a - b);
  let levels: number[] = [];
  if (stepPositions.length) {
    const bounds = [0, ...stepPositions, scaled.length];
    levels = scaled.map(() => 0);
    for (let k = 0; k + 1 < bounds.length; k++) {
      const seg = scaled.slice(bounds[k], bounds[k + 1]);
      const mean = seg.reduce((s, p) => s + p.value, 0) / seg.length;
      for (let i = bounds[k]; i < bounds[k + 1]; i++) levels[i] = mean;
    }
  }
  return { points: scaled, scale, levels, stepPositions };
}

function niceRange(values: number[], includeZero = false): { min: number; max: number } {
  let lo = Math.min(...values, ...(includeZero ? [0] : []));
  let hi = Math.max(...values);
  if (hi === lo) {
    hi = hi === 0 ? 1 : hi * 1.1;
    lo = lo === 0 ? 0 : lo * 0.9;
  }
  const pad = (hi - lo) * 0.08;
  lo = includeZero ? lo : lo - pad;
  hi += pad;
  if (!includeZero && lo < 0 && Math.min(...values) >= 0) lo = 0;
  const step = niceStep((hi - lo) / 5);
  return { min: Math.floor(lo / step) * step, max: Math.ceil(hi / step) * step };
}

function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

function directionWords(series: Pick<BenchmarkSeries, 'direction'>): string {
  return series.direction === 'lower' ? 'lower is better' : 'higher is better';
}

/**
 * The trend of one benchmark over the history: its medians, newest last, and (with `steps`) the
 * level of each segment between detected change points as a second line. Empty string when the
 * series has fewer than two points.
 */
export function mermaidTrend(series: BenchmarkSeries, entries: readonly HistoryEntry[], opts: TrendOptions = {}): string {
  const d = trendData(series, opts.steps);
  if (!d) return '';
  const stepText = d.stepPositions.length
    ? ` — step${d.stepPositions.length > 1 ? 's' : ''} at run ${opts.steps!.filter((s) => s > 0).map((s) => s + 1).join(', ')} (2nd line: level)`
    : '';
  const title = `${opts.title ?? series.id}${stepText}`;
  const values = d.points.map((p) => p.value);
  const x =
    d.points.length <= MAX_CATEGORY_POINTS
      ? { labels: d.points.map((p) => shortEntry(entries[p.index], p.index)) }
      : { title: `run (1 = oldest of ${entries.length})`, min: d.points[0].index + 1, max: d.points[d.points.length - 1].index + 1 };
  return mermaidXYChart({
    title,
    x,
    y: { title: `${d.scale.unit || 'value'} (${directionWords(series)})`, ...niceRange([...values, ...d.levels.filter((v) => v > 0)]) },
    lines: d.levels.length ? [values, d.levels] : [values],
  });
}

function shortEntry(e: HistoryEntry | undefined, index: number): string {
  if (!e) return `#${index + 1}`;
  if (e.commit && /^[0-9a-f]{7,}$/i.test(e.commit)) return e.commit.slice(0, 7);
  return e.startedAt.slice(5, 10);
}

/** Performance index of a compared benchmark: base = 100, higher is better (direction-aware). */
export function performanceIndex(b: Pick<BenchmarkComparison, 'worse'>): number | undefined {
  return b.worse !== undefined && Number.isFinite(b.worse) && b.worse > -1 ? 100 / (1 + b.worse) : undefined;
}

/** The benchmarks of a before/after chart: changed ones worst first, then the rest, at most `max`. */
export function beforeAfterRows(c: Comparison, max = MAX_BARS): BenchmarkComparison[] {
  const compared = c.benchmarks.map((b, i) => ({ b, i })).filter(({ b }) => performanceIndex(b) !== undefined);
  const rank = (b: BenchmarkComparison) => SEVERITY_ORDER.indexOf(b.verdict);
  compared.sort((x, y) => rank(x.b) - rank(y.b) || Math.abs(y.b.worse ?? 0) - Math.abs(x.b.worse ?? 0) || x.i - y.i);
  return compared.slice(0, max).map(({ b }) => b);
}

/**
 * Before/after: one bar per compared benchmark, head as a performance index (base = 100, higher is
 * better), and a line at 100 for the base. Empty string when nothing was compared.
 */
export function mermaidBeforeAfter(c: Comparison, opts: { max?: number; title?: string } = {}): string {
  const rows = beforeAfterRows(c, opts.max ?? MAX_BARS);
  if (rows.length === 0) return '';
  const values = rows.map((b) => performanceIndex(b)!);
  const hidden = c.benchmarks.filter((b) => performanceIndex(b) !== undefined).length - rows.length;
  const title = `${opts.title ?? 'Head vs base'} (base = 100, higher is better)${hidden > 0 ? `, ${rows.length} of ${rows.length + hidden}` : ''}`;
  const { max } = niceRange([...values, 100], true);
  return mermaidXYChart({
    title,
    x: { labels: rows.map((b) => b.name) },
    y: { title: 'performance index', min: 0, max },
    bars: [values],
    lines: [values.map(() => 100)],
  });
}

/** Appends `block` to `markdown` (a blank line between) when the result fits in `maxChars`. */
export function appendIfFits(markdown: string, block: string, maxChars: number): string {
  if (!block) return markdown;
  const joined = `${markdown.replace(/\n+$/, '')}\n\n${block}\n`;
  return joined.length <= maxChars ? joined : markdown;
}

// ---------------------------------------------------------------------------------------------
// SVG

/** Text for SVG/XML content and attribute values. */
export function xmlText(text: string): string {
  return flattenText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

function ticks(min: number, max: number, count = 5): number[] {
  const step = niceStep((max - min) / count);
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A line chart of one benchmark's history as a standalone SVG document (640×260). */
export function svgTrend(series: BenchmarkSeries, entries: readonly HistoryEntry[], opts: TrendOptions = {}): string {
  const d = trendData(series, opts.steps);
  const W = 640;
  const H = 260;
  const m = { l: 64, r: 16, t: 36, b: 40 };
  const title = xmlText(truncateText(opts.title ?? series.id, 80));
  if (!d) {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="80" viewBox="0 0 ${W} 80" ${FONT} font-size="13"><text x="12" y="24" font-weight="600">${title}</text><text x="12" y="52" fill="#57606a">Not enough points to draw a trend.</text></svg>\n`;
  }
  const values = d.points.map((p) => p.value);
  const range = niceRange([...values, ...d.levels.filter((v) => v > 0)]);
  const first = d.points[0].index;
  const last = d.points[d.points.length - 1].index;
  const xOf = (index: number) => m.l + (last === first ? (W - m.l - m.r) / 2 : ((index - first) / (last - first)) * (W - m.l - m.r));
  const yOf = (v: number) => m.t + (1 - (v - range.min) / (range.max - range.min)) * (H - m.t - m.b);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT} font-size="11" role="img" aria-label="${title}">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="${m.l}" y="20" font-size="14" font-weight="600" fill="#24292f">${title}</text>`);
  for (const t of ticks(range.min, range.max)) {
    const y = yOf(t).toFixed(1);
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${y}" y2="${y}" stroke="#d0d7de" stroke-width="1"/>`);
    parts.push(`<text x="${m.l - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#57606a">${xmlText(formatNumber(t))}</text>`);
  }
  parts.push(`<text x="14" y="${(m.t + H - m.b) / 2}" transform="rotate(-90 14 ${(m.t + H - m.b) / 2})" text-anchor="middle" fill="#57606a">${xmlText(`${d.scale.unit} (${directionWords(series)})`)}</text>`);
  const labelEvery = Math.max(1, Math.ceil(d.points.length / 8));
  d.points.forEach((p, k) => {
    if (k % labelEvery !== 0 && k !== d.points.length - 1) return;
    parts.push(`<text x="${xOf(p.index).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle" fill="#57606a">${xmlText(shortEntry(entries[p.index], p.index))}</text>`);
  });
  for (const pos of d.stepPositions) {
    const x = ((xOf(d.points[pos - 1].index) + xOf(d.points[pos].index)) / 2).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${m.t}" y2="${H - m.b}" stroke="#cf222e" stroke-dasharray="4 3" stroke-width="1.5"/>`);
    parts.push(`<text x="${x}" y="${m.t - 4}" text-anchor="middle" fill="#cf222e">step</text>`);
  }
  if (d.levels.length) {
    const lv = d.points.map((p, k) => `${xOf(p.index).toFixed(1)},${yOf(d.levels[k]).toFixed(1)}`).join(' ');
    parts.push(`<polyline points="${lv}" fill="none" stroke="#bf8700" stroke-width="2" stroke-dasharray="6 3"/>`);
  }
  const pts = d.points.map((p) => `${xOf(p.index).toFixed(1)},${yOf(p.value).toFixed(1)}`).join(' ');
  parts.push(`<polyline points="${pts}" fill="none" stroke="#0969da" stroke-width="2"/>`);
  for (const p of d.points) parts.push(`<circle cx="${xOf(p.index).toFixed(1)}" cy="${yOf(p.value).toFixed(1)}" r="2.5" fill="#0969da"/>`);
  parts.push(`<text x="${W - m.r}" y="${H - 6}" text-anchor="end" fill="#57606a">${xmlText(`${d.points.length} runs, newest right`)}</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Before/after as horizontal bars (performance index, base = 100) in a standalone SVG document. */
export function svgBeforeAfter(c: Comparison, opts: { max?: number; title?: string } = {}): string {
  const rows = beforeAfterRows(c, opts.max ?? 40);
  const W = 720;
  const rowH = 22;
  const m = { l: 240, r: 120, t: 44, b: 28 };
  const H = m.t + m.b + Math.max(1, rows.length) * rowH;
  const title = xmlText(opts.title ?? 'Head vs base (base = 100, higher is better)');
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT} font-size="12" role="img" aria-label="${title}">`];
  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  parts.push(`<text x="12" y="22" font-size="14" font-weight="600" fill="#24292f">${title}</text>`);
  if (rows.length === 0) {
    parts.push(`<text x="12" y="${m.t + 14}" fill="#57606a">Nothing was compared.</text>`, '</svg>');
    return `${parts.join('\n')}\n`;
  }
  const values = rows.map((b) => performanceIndex(b)!);
  const maxV = niceRange([...values, 100], true).max;
  const xOf = (v: number) => m.l + (v / maxV) * (W - m.l - m.r);
  rows.forEach((b, k) => {
    const y = m.t + k * rowH;
    const v = values[k];
    const color = isRegression(b.verdict) ? '#cf222e' : b.verdict === 'improved' ? '#1a7f37' : '#8c959f';
    parts.push(`<text x="${m.l - 8}" y="${y + rowH / 2}" text-anchor="end" dominant-baseline="middle" fill="#24292f">${xmlText(truncateText(`${b.suite} / ${b.name}`, 36))}</text>`);
    parts.push(`<rect x="${m.l}" y="${y + 4}" width="${Math.max(1, xOf(v) - m.l).toFixed(1)}" height="${rowH - 8}" fill="${color}"/>`);
    const w = b.worse ?? 0;
    const label = w > 0.0005 ? `${formatNumber(v)} (${(w * 100).toFixed(1)}% worse)` : w < -0.0005 ? `${formatNumber(v)} (${(-w * 100).toFixed(1)}% better)` : formatNumber(v);
    parts.push(`<text x="${(xOf(v) + 6).toFixed(1)}" y="${y + rowH / 2}" dominant-baseline="middle" fill="#57606a">${xmlText(label)}</text>`);
  });
  const x100 = xOf(100).toFixed(1);
  parts.push(`<line x1="${x100}" x2="${x100}" y1="${m.t - 4}" y2="${H - m.b + 4}" stroke="#24292f" stroke-dasharray="4 3"/>`);
  parts.push(`<text x="${x100}" y="${H - 8}" text-anchor="middle" fill="#24292f">base = 100</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** A file name for a chart of `id`: lowercase letters, digits and dashes. */
export function chartFileName(prefix: string, id: string): string {
  const slug = id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
  return `${prefix}-${slug || 'benchmark'}-${h.toString(16).padStart(8, '0').slice(0, 6)}.svg`;
}
