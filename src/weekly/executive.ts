// The weekly executive summary: the shape of the seed report (status, overall grade, key metrics,
// biggest wins, regressions ranked by severity with recommended actions, SLA status), drawn from
// a weekly analysis (src/weekly) with the same words as the grade table (src/report/model.ts). Pure.
import { GRADE_LABELS, type BenchmarkComparison } from '../schema/comparison.ts';
import { entryDate, entryLabel, entryText } from '../history/series.ts';
import { appendIfFits, mermaidBeforeAfter, mermaidTrend } from '../report/charts.ts';
import { markdownCell, safeUrl, truncateText } from '../report/escape.ts';
import { describeChange, formatBytes, formatFactor, formatInteger, formatPercent, formatThroughput, formatValue } from '../report/format.ts';
import { renderMarkdown, SUMMARY_MAX_CHARS } from '../report/markdown.ts';
import { countsText, countVerdicts, isRegression, plural, regressionWords } from '../report/model.ts';
import type { StepFinding, WeeklyAnalysis } from './analyze.ts';
import type { RunKpis } from './kpis.ts';

/** Hidden marker of the weekly summary (for tools that look for it). */
export const WEEKLY_MARKER = '<!-- perfgate:weekly -->';

export interface ExecutiveOptions {
  /** Default "Weekly performance summary". Data: escaped. */
  title?: string;
  /** owner/repo or a project name, shown under the title. Data: escaped. */
  project?: string;
  /** Link to the workflow run (http/https only). */
  runUrl?: string;
  /** Date of the report (YYYY-MM-DD); default the latest run's date. */
  date?: string;
  /** The whole document stays under this many characters (default 300,000: the job summary). */
  maxChars?: number;
  /** Trend charts at most (default 6); 0 for none. */
  maxTrendCharts?: number;
  /** Mermaid charts at all (default true). */
  charts?: boolean;
  /** Placed first (trusted, not escaped). */
  marker?: string;
}

export type Status = 'healthy' | 'attention' | 'action';

const STATUS_TEXT: Record<Status, string> = {
  healthy: '✅ **Healthy**: no regressions',
  attention: '⚠️ **Needs attention**',
  action: '❌ **Action required**',
};

const KIND_WORDS: Record<StepFinding['kind'], string> = {
  critical: '🛑 Critical',
  major: '❌ Major',
  minor: '⚠️ Minor',
  improvement: '✅ Improvement',
  shift: 'Shift',
};

const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2 };

function code(text: string): string {
  return `**${markdownCell(text)}**`;
}

/** "+22.8% since abc1234 (2026-03-02) (step detected at run 40 of 60)". */
export function stepWords(s: StepFinding): string {
  return `${formatPercent(s.change)} since ${entryText(s.entry)} (step detected at run ${s.index + 1} of ${s.of}; ${formatValue(s.before, s.unit)} → ${formatValue(s.after, s.unit)})`;
}

function metricWords(s: StepFinding): string {
  const words = describeChange({ direction: s.direction, unit: s.unit, base: { median: s.before, n: 0 }, head: { median: s.after, n: 0 } });
  return words;
}

export interface RegressionItem {
  id: string;
  suite: string;
  name: string;
  severity: 'critical' | 'major' | 'minor';
  /** Positive = worse, for ranking. */
  worse: number;
  comparison?: BenchmarkComparison;
  step?: StepFinding;
}

/** Regressions of the comparison and unrecovered regression steps, one item per benchmark, worst first. */
export function rankedRegressions(a: WeeklyAnalysis): RegressionItem[] {
  const byId = new Map<string, RegressionItem>();
  for (const b of a.comparison.benchmarks) {
    if (!isRegression(b.verdict)) continue;
    byId.set(b.id, { id: b.id, suite: b.suite, name: b.name, severity: b.verdict as RegressionItem['severity'], worse: b.error ? Infinity : (b.worse ?? 0), comparison: b });
  }
  for (const s of a.steps) {
    if (s.recovered || !(s.kind === 'critical' || s.kind === 'major' || s.kind === 'minor')) continue;
    const item = byId.get(s.id);
    if (!item) {
      byId.set(s.id, { id: s.id, suite: s.suite, name: s.name, severity: s.kind, worse: s.worse, step: s });
      continue;
    }
    // Keep the most recent unrecovered step, and the worse severity of the two views.
    if (!item.step || s.index > item.step.index) item.step = s;
    if (SEVERITY_RANK[s.kind] < SEVERITY_RANK[item.severity]) item.severity = s.kind;
    item.worse = Math.max(item.worse, s.worse);
  }
  return [...byId.values()].sort((x, y) => SEVERITY_RANK[x.severity] - SEVERITY_RANK[y.severity] || y.worse - x.worse || (x.id < y.id ? -1 : 1));
}

export function statusOf(a: WeeklyAnalysis): Status {
  const items = rankedRegressions(a);
  if (items.some((i) => i.severity !== 'minor')) return 'action';
  if (items.length || a.comparison.benchmarks.some((b) => b.verdict === 'inconclusive')) return 'attention';
  return 'healthy';
}

function relChange(now: number | undefined, before: number | undefined, higherIsBetter: boolean): string {
  if (now === undefined || before === undefined || !(before > 0) || !Number.isFinite(now)) return '—';
  const change = now / before - 1;
  const text = formatPercent(change);
  if (text === '0.0%') return 'unchanged';
  const better = higherIsBetter ? change > 0 : change < 0;
  return `${text} (${better ? 'better' : 'worse'})`;
}

function ms(v: number): string {
  return formatValue(v, 'ms');
}

function kpiRows(k: RunKpis, base: RunKpis | undefined): string[][] {
  const rows: string[][] = [];
  if (k.throughput) {
    rows.push([
      'Total throughput',
      `${formatThroughput(k.throughput.opsPerSec, 'ops/s', { compact: false })} (sum over ${plural(k.throughput.counted, 'benchmark')})`,
      base?.throughput ? formatThroughput(base.throughput.opsPerSec, 'ops/s', { compact: false }) : '—',
      relChange(k.throughput.opsPerSec, base?.throughput?.opsPerSec, true),
    ]);
  }
  if (k.responseTime) {
    const what = k.responseTime.source === 'load' ? `request-weighted mean of ${plural(k.responseTime.counted, 'load benchmark')}` : `mean time per operation, ${plural(k.responseTime.counted, 'timed benchmark')}; no load benchmarks`;
    const p95 = k.responseTime.p95Ms !== undefined ? `; p95 up to ${ms(k.responseTime.p95Ms)}` : '';
    const sameSource = base?.responseTime?.source === k.responseTime.source ? base.responseTime : undefined;
    rows.push(['Average response time', `${ms(k.responseTime.meanMs)} (${what}${p95})`, sameSource ? ms(sameSource.meanMs) : '—', relChange(k.responseTime.meanMs, sameSource?.meanMs, false)]);
  }
  if (k.successRate) {
    const sr = k.successRate;
    const detail = sr.source === 'load' ? (sr.total ? `of ${formatInteger(sr.total)} requests under load` : 'under load') : `of ${plural(sr.total, 'benchmark')} ran without failing`;
    const sameSource = base?.successRate?.source === sr.source ? base.successRate : undefined;
    rows.push(['Success rate', `${formatPercent(sr.rate, { sign: false })} ${detail}`, sameSource ? formatPercent(sameSource.rate, { sign: false }) : '—', relChange(sr.rate, sameSource?.rate, true)]);
  }
  if (k.memory) {
    const m = k.memory;
    const parts = [
      m.averagePeakRssBytes !== undefined ? `${formatBytes(m.averagePeakRssBytes)} average peak RSS` : '',
      m.peakRssBytes !== undefined ? `peak ${formatBytes(m.peakRssBytes)}${m.peakRssOf ? ` (${markdownCell(m.peakRssOf, 60)})` : ''}` : '',
      m.averageHeapRetainedBytes !== undefined ? `${formatBytes(m.averageHeapRetainedBytes)} retained heap on average` : '',
    ].filter(Boolean);
    const b = base?.memory;
    rows.push([
      'Memory',
      parts.join('; '),
      b?.averagePeakRssBytes !== undefined ? `${formatBytes(b.averagePeakRssBytes)} average peak RSS` : '—',
      relChange(m.averagePeakRssBytes, b?.averagePeakRssBytes, false),
    ]);
  }
  rows.push(['Benchmarks', `${formatInteger(k.benchmarks)} (${formatInteger(k.ok)} ran${k.failed ? `, ${formatInteger(k.failed)} failed` : ''})`, base ? formatInteger(base.benchmarks) : '—', '']);
  return rows;
}

function table(header: string[], rows: string[][], align?: string[]): string {
  const sep = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [`| ${header.join(' | ')} |`, `| ${sep.join(' | ')} |`, ...rows.map((r) => `| ${r.map((c) => c.replace(/\n/g, ' ')).join(' | ')} |`)].join('\n');
}

function winsList(a: WeeklyAnalysis, max = 5): string[] {
  const out: string[] = [];
  const improved = a.comparison.benchmarks.filter((b) => b.verdict === 'improved').sort((x, y) => (x.worse ?? 0) - (y.worse ?? 0));
  for (const b of improved) out.push(`${code(b.id)}: ${markdownCell(describeChange(b), 300)} against the rolling baseline${b.grade ? ` — grade ${b.grade}` : ''}`);
  const stepWins = a.steps.filter((s) => s.kind === 'improvement' && s.netWorse <= -0.0001).sort((x, y) => x.worse - y.worse);
  for (const s of stepWins) {
    if (improved.some((b) => b.id === s.id) && out.length >= max) continue;
    out.push(`${code(s.id)}: ${markdownCell(metricWords(s))} since ${markdownCell(entryText(s.entry))} (step at run ${s.index + 1} of ${s.of}), and it held`);
  }
  return out.slice(0, max);
}

/**
 * Native speedups are not wins (a win is a change over time): they get their own line, and only
 * from the wall clock, which counts the time of every thread a task waits for. The thread CPU
 * clock and the instruction counter see the measuring thread alone, so a native twin that works on
 * other threads would look many times faster than it is.
 */
export function speedupLine(a: WeeklyAnalysis, max = 3): string | undefined {
  const speedups = a.comparison.benchmarks.filter((b) => b.speedup && b.speedup.factor > 1).sort((x, y) => y.speedup!.factor - x.speedup!.factor);
  if (speedups.length === 0) return undefined;
  if (a.clock !== 'wall') {
    return `⚡ **Native speedups** are not shown: this run used the ${a.clock} clock, which sees only the thread that runs the benchmark, and a native twin may work on other threads. Measure with the wall clock (\`clock: wall\`, the default) to see them.`;
  }
  const items = speedups.slice(0, max).map((b) => `${code(b.id)} ${formatFactor(b.speedup!.factor)} over its ${markdownCell(b.speedup!.versus)} twin`);
  const more = speedups.length > max ? `, and ${plural(speedups.length - max, 'more twin')}` : '';
  return `⚡ **Native speedups** (wall clock, which counts all of a task's threads; the same code in two languages, not a change over time): ${items.join('; ')}${more}.`;
}

function regressionLine(item: RegressionItem, window: number): string {
  const parts: string[] = [];
  if (item.comparison) {
    const c = item.comparison;
    const against = `against the median of the last ${plural(window, 'run')}`;
    if (c.error) parts.push(markdownCell(`failed: ${c.error}`, 300));
    else if (c.sla && !c.sla.met) parts.push(`SLA broken: ${markdownCell(c.sla.detail, 300)} (${markdownCell(describeChange(c), 200)} ${against})`);
    else parts.push(`${markdownCell(regressionWords(c), 400)} ${against}`);
  }
  if (item.step) parts.push(`step: ${markdownCell(stepWords(item.step), 300)}`);
  const label = KIND_WORDS[item.severity];
  return `${label} — ${code(item.id)}: ${parts.join('; ')}`;
}

function actionFor(item: RegressionItem, a: WeeklyAnalysis): string {
  const c = item.comparison;
  if (c?.error) return `Fix ${code(item.id)}: it failed (${markdownCell(c.error, 200)}).`;
  if (c?.sla && !c.sla.met) return `Restore the SLA of ${code(item.id)}: ${markdownCell(c.sla.detail, 200)}.`;
  const s = item.step;
  if (s) {
    const range = s.previous?.commit && s.entry.commit ? ` The suspects are the commits in \`git log ${entryLabel(s.previous)}..${entryLabel(s.entry)}\`.` : '';
    return `Profile ${code(item.id)}: ${markdownCell(`${formatPercent(s.change)} since ${entryText(s.entry)} (step detected at run ${s.index + 1} of ${s.of})`)}.${range}`;
  }
  const oldest = a.windowEntries[0];
  const since = oldest ? ` (the window starts at ${markdownCell(entryText(oldest))})` : '';
  return `Profile ${code(item.id)}: ${markdownCell(describeChange(c!))} against the median of the last ${plural(a.window, 'run')}${since}; no step in the history yet, so re-run to confirm before bisecting.`;
}

function slaSection(a: WeeklyAnalysis): string {
  const withSla = a.comparison.benchmarks.filter((b) => b.sla);
  if (withSla.length === 0) {
    return 'No SLAs defined. Give benchmarks absolute targets (`sla` in the suite\'s `perfgate` export, e.g. `{ metric: "p95", max: 2e6 }`) to track them here.';
  }
  const broken = withSla.filter((b) => !b.sla!.met);
  const head = broken.length
    ? `❌ ${broken.length} of ${plural(withSla.length, 'SLA')} broken.`
    : `✅ All ${plural(withSla.length, 'SLA')} met${withSla.some((b) => (b.sla!.headroom ?? 1) < 0.2) ? ' (some with under 20% headroom)' : ''}.`;
  const rows = [...withSla]
    .sort((x, y) => Number(x.sla!.met) - Number(y.sla!.met) || (x.sla!.headroom ?? 0) - (y.sla!.headroom ?? 0))
    .slice(0, 50)
    .map((b) => [code(b.id), markdownCell(b.sla!.detail, 200), b.sla!.met ? '✅ met' : '❌ broken', b.sla!.headroom !== undefined ? formatPercent(b.sla!.headroom, { sign: false }) : '—']);
  const more = withSla.length > 50 ? `\n\n… ${withSla.length - 50} more in the comparison JSON.` : '';
  return `${head}\n\n${table(['Benchmark', 'Targets', 'Status', 'Headroom'], rows)}${more}`;
}

/** Benchmarks worth a trend chart: unrecovered regression steps, then other steps, then the most changed. */
function chartIds(a: WeeklyAnalysis, max: number): string[] {
  const ids: string[] = [];
  const add = (id: string) => {
    if (ids.length < max && !ids.includes(id)) ids.push(id);
  };
  for (const item of rankedRegressions(a)) add(item.id);
  for (const s of a.steps) add(s.id);
  const changed = a.comparison.benchmarks.filter((b) => b.worse !== undefined && b.verdict !== 'unchanged').sort((x, y) => Math.abs(y.worse!) - Math.abs(x.worse!));
  for (const b of changed) add(b.id);
  return ids;
}

/** The executive summary as Markdown. */
export function renderExecutiveSummary(a: WeeklyAnalysis, opts: ExecutiveOptions = {}): string {
  const maxChars = opts.maxChars ?? SUMMARY_MAX_CHARS;
  const c = a.comparison;
  const counts = countVerdicts(c.benchmarks);
  const entries = a.history.entries;
  const latest = entries[entries.length - 1];
  const date = opts.date ?? (latest ? entryDate(latest) : '');
  const status = statusOf(a);
  const regressions = rankedRegressions(a);
  const grade = c.overall.grade;
  const gradeText = grade ? `**${grade}** (${GRADE_LABELS[grade]})` : `not graded (${c.mode === 'none' ? 'no history to compare with yet' : 'nothing could be graded'})`;

  const top: string[] = [];
  if (opts.marker) top.push(opts.marker);
  top.push(`# ${markdownCell(opts.title ?? 'Weekly performance summary', 120)}`);
  if (opts.project) top.push(`## ${markdownCell(opts.project, 120)}`);
  const first = entries[0];
  const meta = [
    `**Date:** ${markdownCell(date)}`,
    latest ? `**Run:** ${markdownCell(entryText(latest))}${a.history.branch ? ` on ${markdownCell(a.history.branch, 80)}` : ''}` : '',
    `**History:** ${plural(entries.length, 'run')}${first && latest && entries.length > 1 ? ` (${entryDate(first)} … ${entryDate(latest)})` : ''}`,
    `**Baseline:** ${a.window ? `median of the last ${plural(a.window, 'saved run')}` : 'none yet'}`,
    `**Status:** ${STATUS_TEXT[status]}${status !== 'healthy' ? ` (${regressions.length ? plural(regressions.length, 'regression') : `${counts.inconclusive} inconclusive`})` : ''}`,
  ].filter(Boolean);
  top.push(meta.join('  \n'));

  // Executive summary paragraph.
  const regressionSteps = a.steps.filter((s) => (s.kind === 'critical' || s.kind === 'major' || s.kind === 'minor') && !s.recovered);
  const improvementSteps = a.steps.filter((s) => s.kind === 'improvement');
  const stepSentence = entries.length >= 10
    ? a.steps.length
      ? `Change-point detection over ${plural(entries.length, 'run')} found ${plural(a.steps.length, 'step')}: ${[
          regressionSteps.length ? plural(regressionSteps.length, 'regression') : '',
          improvementSteps.length ? plural(improvementSteps.length, 'improvement') : '',
          a.steps.length - regressionSteps.length - improvementSteps.length ? `${a.steps.length - regressionSteps.length - improvementSteps.length} smaller or recovered` : '',
        ]
          .filter(Boolean)
          .join(', ')}.`
      : `Change-point detection over ${plural(entries.length, 'run')} found no step.`
    : `Change-point detection needs at least 10 runs; the history has ${entries.length}.`;
  const summary = [
    `## 🎯 Executive summary`,
    `Overall grade ${gradeText} against the rolling baseline: ${countsText(counts)}. ${stepSentence}`,
    `### Key metrics`,
    table(['Metric', 'This run', `Baseline${a.window ? ` (median of ${a.window})` : ''}`, 'Change'], [['Overall grade', grade ? `${grade} (${GRADE_LABELS[grade]})` : '—', '', ''], ...kpiRows(a.kpis, a.baselineKpis)], ['l', 'r', 'r', 'r']),
  ];
  if (a.kpis.leakSuspected.length) summary.push(`🧠 Heap growth suspected in ${a.kpis.leakSuspected.map((id) => code(id)).join(', ')}.`);

  const wins = winsList(a);
  const winsPart = ['## 🏆 Biggest wins', wins.length ? wins.map((w, i) => `${i + 1}. ${w}`).join('\n') : 'No significant improvements this week.'];
  const speedups = speedupLine(a);
  if (speedups) winsPart.push(speedups);

  const recovered = a.steps.filter((s) => s.recovered);
  const regressionPart = ['## ⚠️ Regressions, by severity'];
  if (regressions.length) {
    regressionPart.push(regressions.slice(0, 20).map((r, i) => `${i + 1}. ${regressionLine(r, a.window)}`).join('\n'));
    if (regressions.length > 20) regressionPart.push(`… ${regressions.length - 20} more in the weekly JSON.`);
  } else {
    regressionPart.push('No regressions: nothing significantly worse than the rolling baseline, and no regression step in the history.');
  }
  if (recovered.length) {
    regressionPart.push(
      `Recovered: ${recovered
        .slice(0, 10)
        .map((s) => `${code(s.id)} (${markdownCell(`${formatPercent(s.change)} at run ${s.index + 1}, now ${formatPercent(s.netWorse)} against before the step`)})`)
        .join('; ')}.`,
    );
  }
  const actions: string[] = regressions.slice(0, 15).map((r) => `- [ ] ${actionFor(r, a)}`);
  for (const id of a.kpis.leakSuspected.slice(0, 5)) actions.push(`- [ ] Check ${code(id)} for a leak: its heap grew round after round.`);
  if (counts.inconclusive) actions.push(`- [ ] ${plural(counts.inconclusive, 'benchmark')} inconclusive: raise \`rounds\` or make them less noisy, so a regression there cannot hide.`);
  if (entries.length < 10) actions.push(`- [ ] Keep the weekly job running: trends and change points need at least 10 runs (the history has ${entries.length}).`);
  if (actions.length) regressionPart.push('### Recommended actions', actions.join('\n'));

  const slaPart = ['## 📏 SLA status', slaSection(a)];

  const url = opts.runUrl ? safeUrl(opts.runUrl) : undefined;
  const method = [
    '### Method',
    `Baseline: per benchmark, the medians of the last ${plural(a.window, 'saved run')} of the branch, compared with this run's rounds (Hodges-Lehmann shift, Mann-Whitney U, Holm/Benjamini-Hochberg; the gate's thresholds: minor ${formatPercent(c.thresholds.minor, { sign: false })}, major ${formatPercent(c.thresholds.major, { sign: false })}, critical ${formatPercent(c.thresholds.critical, { sign: false })}). ` +
      'Steps: E-divisive means change-point detection with a t-test (as in Hunter), at least 5 runs a segment, on each benchmark\'s series with this run as the newest point. Throughput is the sum of operations per second over the benchmarks that have one.' +
      (url ? ` [Workflow run](${url})` : ''),
  ];

  const fixedText = [...top, ...summary, ...winsPart, ...regressionPart, ...slaPart].join('\n\n');
  const methodText = method.join('\n\n');

  // Charts (trends first) and the full table go in only as far as they fit.
  const charts: string[] = [];
  if (opts.charts !== false) {
    for (const id of chartIds(a, opts.maxTrendCharts ?? 6)) {
      const series = a.history.benchmarks.find((b) => b.id === id);
      if (!series) continue;
      const steps = a.steps.filter((s) => s.id === id).map((s) => s.index);
      const chart = mermaidTrend(series, entries, { steps });
      if (chart) charts.push(chart);
    }
    const ba = mermaidBeforeAfter(c, { title: `This run vs the median of the last ${a.window}` });
    if (ba) charts.push(ba);
  }
  let text = `${fixedText}\n`;
  if (charts.length) {
    let section = `${text.replace(/\n+$/, '')}\n\n## 📈 Trends`;
    let added = 0;
    for (const chart of charts) {
      const next = appendIfFits(section, chart, maxChars - methodText.length - 200);
      if (next !== section) {
        section = next;
        added++;
      }
    }
    if (added) text = `${section.replace(/\n+$/, '')}\n`;
  }
  const budget = maxChars - text.length - methodText.length - 200;
  if (budget > 2000 && c.benchmarks.length) {
    const full = renderMarkdown(c, { title: 'All benchmarks against the rolling baseline', details: 'all', maxChars: budget - 100, moreInfo: 'see the weekly JSON' });
    text = `${text.replace(/\n+$/, '')}\n\n<details><summary>All ${plural(c.benchmarks.length, 'benchmark')} against the rolling baseline</summary>\n\n${full.replace(/\n+$/, '')}\n\n</details>\n`;
  }
  text = `${text.replace(/\n+$/, '')}\n\n${methodText}\n`;
  if (text.length > maxChars) text = `${truncateText(text, maxChars - 30)}\n\n… (summary cut to fit)\n`;
  return text;
}

/** One line for logs and notifications: "Weekly: grade A (Very good), 1 major regression (…)". */
export function executiveHeadline(a: WeeklyAnalysis): string {
  const grade = a.comparison.overall.grade;
  const regressions = rankedRegressions(a);
  const worst = regressions[0];
  const tail = regressions.length ? `${plural(regressions.length, 'regression')}, worst ${worst.id} (${worst.severity}${worst.step ? `, ${formatPercent(worst.step.change)} since ${entryText(worst.step.entry)}` : ''})` : 'no regressions';
  return `weekly: ${grade ? `grade ${grade} (${GRADE_LABELS[grade]})` : 'not graded'}; ${tail}; ${plural(a.steps.length, 'change point')} in ${plural(a.history.entries.length, 'run')}`;
}

