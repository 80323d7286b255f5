// What every report says, independent of how it is drawn: verdict words, counts, the headline,
// notices, the rows of the grade table and the legend. Markdown and terminal renderers (and the
// weekly executive summary, later) draw from here, so they never disagree.
import { GRADE_LABELS, type BenchmarkComparison, type Comparison, type Grade, type GroupSummary, type Verdict } from '../schema/comparison.ts';
import { describeChange, formatChangeCompact, formatFactor, formatGeomean, formatInteger, formatP, formatValue, metricChange } from './format.ts';

export const VERDICTS: readonly Verdict[] = ['improved', 'unchanged', 'inconclusive', 'minor', 'major', 'critical', 'new', 'missing'];

/** Order of the counts line. */
export const COUNT_ORDER: readonly Verdict[] = ['improved', 'unchanged', 'minor', 'major', 'critical', 'inconclusive', 'new', 'missing'];

/** Order of the changed table: worst first. */
export const SEVERITY_ORDER: readonly Verdict[] = ['critical', 'major', 'minor', 'inconclusive', 'improved', 'new', 'missing', 'unchanged'];

/** Verdicts as shown in Markdown. */
export const VERDICT_MARKDOWN: Record<Verdict, string> = {
  improved: '✅ improved',
  unchanged: 'unchanged',
  inconclusive: '❔ inconclusive',
  minor: '⚠️ minor',
  major: '❌ major',
  critical: '🛑 critical',
  new: '🆕 new',
  missing: 'missing',
};

/** Verdicts as shown in a terminal (single-width characters only, so columns align). */
export const VERDICT_TERMINAL: Record<Verdict, string> = {
  improved: '✓ improved',
  unchanged: '  unchanged',
  inconclusive: '? inconclusive',
  minor: '! minor',
  major: '✗ major',
  critical: '✗ critical',
  new: '+ new',
  missing: '- missing',
};

export function isRegression(v: Verdict): boolean {
  return v === 'minor' || v === 'major' || v === 'critical';
}

export type VerdictCounts = Record<Verdict, number>;

export function countVerdicts(benchmarks: readonly BenchmarkComparison[]): VerdictCounts {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as VerdictCounts;
  for (const b of benchmarks) counts[b.verdict] += 1;
  return counts;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatInteger(n)} ${n === 1 ? one : many}`;
}

/** "3 improved · 10 unchanged · 1 minor": non-zero counts only; "no benchmarks" when empty. */
export function countsText(counts: VerdictCounts, separator = ' · '): string {
  const parts = COUNT_ORDER.filter((v) => counts[v] > 0).map((v) => `${formatInteger(counts[v])} ${v}`);
  return parts.length ? parts.join(separator) : 'no benchmarks';
}

/** True when there was nothing to compare against. */
export function hasNoBaseline(c: Comparison): boolean {
  return c.mode === 'none' || !c.base;
}

/** "1 major regression", "3 minor regressions", "2 regressions (1 major, 1 minor)"; '' when none. */
export function regressionsText(counts: VerdictCounts): string {
  const kinds = (['critical', 'major', 'minor'] as const).filter((v) => counts[v] > 0);
  const total = kinds.reduce((sum, v) => sum + counts[v], 0);
  if (total === 0) return '';
  if (kinds.length === 1) return `${plural(total, `${kinds[0]} regression`)}`;
  return `${formatInteger(total)} regressions (${kinds.map((v) => `${formatInteger(counts[v])} ${v}`).join(', ')})`;
}

export interface Headline {
  /** False when there was nothing to compare (no baseline, or only new and missing benchmarks). */
  compared: boolean;
  /** Overall grade: absent when nothing was compared or nothing could be graded. */
  grade?: Grade;
  /** The grade's label, or the comparison's own label ("Not graded") when there is no grade. */
  label?: string;
  /** The words after the grade: "gate failed: 1 major regression", "no regressions". */
  text: string;
}

/** The headline's parts; renderers add the title and emphasis. */
export function headline(c: Comparison, counts: VerdictCounts = countVerdicts(c.benchmarks)): Headline {
  const failed = c.gate.failed ? 'gate failed: ' : '';
  const measured = c.benchmarks.length - counts.missing;
  if (hasNoBaseline(c)) {
    return { compared: false, text: `${failed}no baseline yet: nothing compared (${plural(measured, 'benchmark')} measured)` };
  }
  const compared = c.benchmarks.length - counts.new - counts.missing;
  if (compared === 0) {
    const parts = [counts.new ? `${counts.new} new` : '', counts.missing ? `${counts.missing} missing` : ''].filter(Boolean);
    return { compared: false, text: `${failed}nothing compared${parts.length ? ` (${parts.join(', ')})` : ''}` };
  }
  const grade = c.overall.grade;
  const label = grade ? GRADE_LABELS[grade] : c.overall.label || 'Not graded';
  const regressions = regressionsText(counts);
  if (regressions) return { compared: true, grade, label, text: `${failed}${regressions}` };
  const noRegressions = counts.inconclusive ? `no regressions found, ${counts.inconclusive} inconclusive` : 'no regressions';
  return { compared: true, grade, label, text: c.gate.failed ? `gate failed: ${c.gate.reason}` : noRegressions };
}

/** Plain-language notices, in order of importance (data, unescaped). */
export function notices(c: Comparison, counts: VerdictCounts = countVerdicts(c.benchmarks)): string[] {
  const out: string[] = [];
  if (c.crossMachine) {
    const fp = c.base ? ` (baseline ${c.base.fingerprint}, head ${c.head.fingerprint})` : '';
    out.push(
      `Cross-machine comparison: the baseline was measured on a different machine${fp}, so part of any difference may be the hardware, not the code.`,
    );
  }
  if (counts.inconclusive) {
    out.push(`${plural(counts.inconclusive, 'benchmark')} inconclusive: too noisy to tell — not counted as unchanged.`);
  }
  for (const n of c.notices) if (!out.includes(n)) out.push(n);
  return out;
}

/** Worst first; within one verdict the larger change first (most improved first for improvements). */
export function bySeverity(a: BenchmarkComparison, b: BenchmarkComparison): number {
  const s = SEVERITY_ORDER.indexOf(a.verdict) - SEVERITY_ORDER.indexOf(b.verdict);
  if (s !== 0) return s;
  const wa = a.worse ?? 0;
  const wb = b.worse ?? 0;
  return a.verdict === 'improved' ? wa - wb : wb - wa;
}

/** The changed benchmarks (everything not `unchanged`), worst first. Stable. */
export function changedBenchmarks(c: Comparison): BenchmarkComparison[] {
  return c.benchmarks
    .map((b, i) => ({ b, i }))
    .filter(({ b }) => b.verdict !== 'unchanged')
    .sort((x, y) => bySeverity(x.b, y.b) || x.i - y.i)
    .map(({ b }) => b);
}

/** Suites in report order: those of `c.suites` first, then any others by first appearance. */
export function suiteOrder(c: Comparison): string[] {
  const names = c.suites.map((s) => s.name);
  for (const b of c.benchmarks) if (!names.includes(b.suite)) names.push(b.suite);
  return names;
}

/** All benchmarks grouped by suite (in suite order), input order within a suite. */
export function groupedBenchmarks(c: Comparison): Array<{ suite: string; summary?: GroupSummary; benchmarks: BenchmarkComparison[] }> {
  const bySuite = new Map<string, BenchmarkComparison[]>();
  for (const name of suiteOrder(c)) bySuite.set(name, []);
  for (const b of c.benchmarks) bySuite.get(b.suite)!.push(b);
  return [...bySuite].map(([suite, benchmarks]) => ({ suite, summary: c.suites.find((s) => s.name === suite), benchmarks }));
}

/** One row of a grade table, as plain text (renderers escape and decorate). */
export interface Row {
  kind: 'benchmark' | 'geomean' | 'run';
  suite: string;
  /** Benchmark name; '' for geomean and run rows. */
  name: string;
  base: string;
  head: string;
  change: string;
  speedup: string;
  /** Estimated cycles' change (clock instructions under callgrind), '' when not measured. */
  cycles: string;
  n: string;
  verdict?: Verdict;
  grade: string;
}

export function hasSpeedups(c: Comparison): boolean {
  return c.benchmarks.some((b) => b.speedup);
}

export function hasCycles(c: Comparison): boolean {
  return c.benchmarks.some((b) => b.cycles);
}

/** The estimated cycles' change, head over base: "+3.2%" (no interval: shown beside the count's verdict, not decided on). */
export function cyclesText(b: BenchmarkComparison): string {
  return b.cycles ? formatChangeCompact({ change: b.cycles.change }) : '';
}

export function speedupText(b: BenchmarkComparison): string {
  return b.speedup ? `${formatFactor(b.speedup.factor)} vs ${b.speedup.versus}` : '';
}

export function benchmarkRow(b: BenchmarkComparison): Row {
  const failed = b.error !== undefined;
  return {
    kind: 'benchmark',
    suite: b.suite,
    name: b.name,
    base: b.base ? formatValue(b.base.median, b.unit) : '—',
    head: b.head ? formatValue(b.head.median, b.unit) : failed ? 'failed' : '—',
    change: failed ? 'failed' : formatChangeCompact(metricChange(b)),
    speedup: speedupText(b),
    cycles: cyclesText(b),
    n: `${b.base?.n ?? '—'}/${b.head?.n ?? '—'}`,
    verdict: b.verdict,
    grade: b.grade ?? '—',
  };
}

export function geomeanRow(summary: GroupSummary | undefined, suite: string): Row {
  return {
    kind: 'geomean',
    suite,
    name: '',
    base: '',
    head: '',
    change: formatGeomean(summary?.geomeanWorseRatio),
    speedup: '',
    cycles: '',
    n: '',
    grade: summary?.grade ?? '—',
  };
}

export function runRow(c: Comparison): Row {
  return {
    kind: 'run',
    suite: '',
    name: '',
    base: '',
    head: '',
    change: formatGeomean(c.overall.geomeanWorseRatio),
    speedup: '',
    cycles: '',
    n: '',
    grade: c.overall.grade ?? '—',
  };
}

/** Rows of all benchmarks: each suite's rows, then its geomean row; the run row last. */
export function allRows(c: Comparison): Row[] {
  const rows: Row[] = [];
  for (const g of groupedBenchmarks(c)) {
    rows.push(...g.benchmarks.map(benchmarkRow));
    if (g.benchmarks.length) rows.push(geomeanRow(g.summary, g.suite));
  }
  rows.push(runRow(c));
  return rows;
}

/** One regression in words: "22.8% slower (95% CI +18.1% … +27.9%, p = 0.002)". */
export function regressionWords(b: BenchmarkComparison): string {
  if (b.error) return `failed: ${b.error}`;
  // Warnings are decided on the Benjamini-Hochberg value, failures on the Holm value.
  const p = (b.verdict === 'minor' ? (b.pBH ?? b.pHolm) : (b.pHolm ?? b.pBH)) ?? b.pWorse;
  const change = describeChange(b, p !== undefined ? [formatP(p)] : []);
  return b.sla && !b.sla.met ? `${change}; SLA broken: ${b.sla.detail}` : change;
}

const MODE_TEXT: Record<Comparison['mode'], string> = {
  paired: 'paired (base and head interleaved on this runner; Wilcoxon signed-rank on per-round log-ratios)',
  stored: 'stored (head against stored baseline numbers; Mann-Whitney U)',
  none: 'no baseline',
};

/** The decision rule in one line, from the comparison's own thresholds. */
/** The table's interval column: the interval's level follows alpha (same-runner looks spend less than 0.05). */
export function changeHeader(c: Comparison): string {
  return `Change (${Number(((1 - c.thresholds.alpha) * 100).toPrecision(3))}% CI)`;
}

export function legendText(c: Comparison): string {
  const t = c.thresholds;
  const pct = (x: number) => `${+(x * 100).toFixed(2)}%`;
  const machine = c.crossMachine ? 'cross-machine baseline' : 'same machine';
  const failOn = c.gate.failOn === 'never' ? 'never fails' : `fails on ${c.gate.failOn} or worse`;
  return (
    `A regression must be significant (α = ${Number(t.alpha.toPrecision(3))}; Holm-corrected to fail, Benjamini-Hochberg to warn) and beyond the noise floor (${pct(t.noiseFloor)}): ` +
    `minor ≥ ${pct(t.minor)}, major ≥ ${pct(t.major)}, critical ≥ ${pct(t.critical)} worse or failed. ` +
    `Mode: ${MODE_TEXT[c.mode]}; ${machine}; the gate ${failOn}. ` +
    `Grades: A+ ≥ 10% better · A better or unchanged · A- leans worse · B minor under 10% · C minor ≥ 10% · D major · F critical.` +
    (hasCycles(c)
      ? ' Values are instruction counts, not time. Est. cycles: callgrind\'s cache simulation (instructions + 10 × L1 misses + 100 × last-level misses), head over base; shown beside the verdict, which is made on the counts.'
      : '')
  );
}
