// Weekly mode, the pure part: the latest run against the rolling history.
//  - The baseline is a pseudo-run whose per-round values are the history's points: for each
//    benchmark, the medians of the last `window` saved runs. compare() in `stored` mode then
//    applies unchanged (Hodges-Lehmann shift, Mann-Whitney U, Holm/BH, thresholds, grades).
//  - Change points: E-divisive means with a t-test (src/stats) on each benchmark's series, the
//    latest run appended as the newest point. Each step is classified direction-aware by the
//    same thresholds as the gate.
import { compare } from '../compare/index.ts';
import type { FailOn, Thresholds } from '../options.ts';
import type { Comparison } from '../schema/comparison.ts';
import type { Benchmark, Clock, Direction, Results } from '../schema/results.ts';
import { eDivisiveDetailed, studentTCdf, summarize, type EDivisiveOptions } from '../stats/index.ts';
import { buildHistory, entryValue, orderRuns, presentPoints, type History, type HistoryEntry } from '../history/series.ts';
import { computeKpis, medianKpis, type RunKpis } from './kpis.ts';

export const WEEKLY_SCHEMA = 'perfgate/weekly@1' as const;
/** History entries whose medians form the baseline of the comparison. */
export const DEFAULT_WINDOW = 10;
/** Fewest points a segment needs on either side of a change point. */
export const DEFAULT_MIN_SEGMENT = 5;
/** Coverage of the prediction interval that sets each benchmark's run-to-run noise floor. */
export const RUN_TO_RUN_COVERAGE = 0.99;

export type StepKind = 'critical' | 'major' | 'minor' | 'improvement' | 'shift';

export interface StepFinding {
  id: string;
  suite: string;
  name: string;
  unit: string;
  direction: Direction;
  /** Entry index (0-based, into `History.entries`) of the first point after the step. */
  index: number;
  /** Entries in the series the step was found in. */
  of: number;
  /** The first entry after the step, and the last one before it. */
  entry: HistoryEntry;
  previous?: HistoryEntry;
  /** Means of the segments just before and just after the step. */
  before: number;
  after: number;
  /** after/before − 1 of the metric itself. */
  change: number;
  /** The same change with positive = worse, whatever the direction. */
  worse: number;
  /** The t-test p-value that accepted the step. */
  p: number;
  kind: StepKind;
  /**
   * The level now (mean of the last segment) against the level before the step, positive = worse.
   * A regression whose level came back under the minor threshold is `recovered`.
   */
  netWorse: number;
  recovered: boolean;
}

export interface WeeklyOptions {
  thresholds: Thresholds;
  failOn: FailOn;
  /** History entries forming the baseline (default 10). */
  window?: number;
  failOnCrossMachine?: boolean;
  /** Options of the change-point detection (default: minSize 5, alpha 0.0001, Student's t, minMagnitude = the minor threshold). */
  changePoints?: EDivisiveOptions;
}

export interface WeeklyAnalysis {
  schema: typeof WEEKLY_SCHEMA;
  /** The history with the latest run as its newest entry. */
  history: History;
  /** Saved runs that formed the baseline (the newest `window`). */
  window: number;
  windowEntries: HistoryEntry[];
  comparison: Comparison;
  /**
   * The latest run's clock. Native speedups are only reported from a clock that sees all of a
   * task's threads (`wall`): the thread CPU clock and the instruction counter see the measuring
   * thread alone, and a native twin may work on others.
   */
  clock: Clock;
  /** Every accepted change point, oldest first within a benchmark, benchmarks by id. */
  steps: StepFinding[];
  kpis: RunKpis;
  baselineKpis?: RunKpis;
  /** Benchmarks whose series were too short for change-point detection. */
  tooShort: string[];
  notices: string[];
}

function worseOf(change: number, direction: Direction): number {
  return direction === 'lower' ? change : 1 / (1 + change) - 1;
}

export function classifyStep(worse: number, t: Thresholds): StepKind {
  if (worse >= t.critical) return 'critical';
  if (worse >= t.major) return 'major';
  if (worse >= t.minor) return 'minor';
  if (worse <= -t.minor) return 'improvement';
  return 'shift';
}

export function isRegressionStep(s: StepFinding): boolean {
  return s.kind === 'critical' || s.kind === 'major' || s.kind === 'minor';
}

/** The p-quantile of Student's t with df degrees of freedom (bisection on the distribution function). */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return Number.NaN;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p && hi < 1e6) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * How far one more run may land from the history's level by run-to-run variation alone: the
 * half-width of the `coverage` prediction interval of one new value, t(1 − (1 − coverage)/2, n − 1)
 * · s · √(1 + 1/n), from the log values of `points`, as a fraction (0.08 = 8%). Undefined for
 * fewer than 3 points.
 *
 * Why: the latest run's rounds all share that run's offset (runner, week), so its per-round spread
 * says nothing about how far runs wander from week to week. Used as the comparison's learned noise
 * floor, it keeps the weekly report from calling ordinary week-to-week wander a regression.
 */
export function runToRunNoise(points: readonly number[], coverage = RUN_TO_RUN_COVERAGE): number | undefined {
  const logs = points.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log);
  const n = logs.length;
  if (n < 3) return undefined;
  const mean = logs.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return Math.expm1(tQuantile(1 - (1 - coverage) / 2, n - 1) * sd * Math.sqrt(1 + 1 / n));
}

/**
 * The baseline of the weekly comparison: a Results whose benchmarks' `rounds` are the values of
 * the last `window` runs (one point per run). Metadata (machine, commit) is the newest run's.
 * Null when there are no runs.
 */
export function pseudoBaseline(runs: readonly Results[], window = DEFAULT_WINDOW): Results | null {
  const ordered = orderRuns(runs);
  const recent = ordered.slice(Math.max(0, ordered.length - Math.max(1, window)));
  if (recent.length === 0) return null;
  const newest = recent[recent.length - 1];
  const defs = new Map<string, Benchmark>();
  for (const r of recent) for (const b of r.benchmarks) if (b.status === 'ok') defs.set(b.id, b);
  const benchmarks: Benchmark[] = [];
  for (const def of defs.values()) {
    const points: number[] = [];
    for (const r of recent) {
      const b = r.benchmarks.find((x) => x.id === def.id);
      if (!b || b.unit !== def.unit) continue;
      const v = entryValue(b);
      if (v !== undefined && Number.isFinite(v)) points.push(v);
    }
    if (points.length === 0) continue;
    const { group, impl, memory, load, batch } = def;
    benchmarks.push({
      id: def.id,
      suite: def.suite,
      name: def.name,
      unit: def.unit,
      direction: def.direction,
      status: 'ok',
      rounds: points,
      samples: points,
      stats: summarize(points),
      ...(batch ? { batch } : {}),
      ...(memory ? { memory } : {}),
      ...(load ? { load } : {}),
      ...(group ? { group } : {}),
      ...(impl ? { impl } : {}),
    });
  }
  benchmarks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: Results = { ...newest, benchmarks };
  delete out.disturbance;
  // Each benchmark's noise floor: the larger of the learned same-commit noise and the run-to-run spread.
  const floor: Record<string, number> = { ...(newest.noiseFloor ?? {}) };
  for (const b of benchmarks) {
    const spread = runToRunNoise(b.rounds);
    if (spread !== undefined && Number.isFinite(spread)) floor[b.id] = Math.max(floor[b.id] ?? 0, spread);
  }
  if (Object.keys(floor).length) out.noiseFloor = floor;
  return out;
}

/** Change points of every benchmark of `history`, classified. */
export function detectSteps(
  history: History,
  t: Thresholds,
  options: EDivisiveOptions = {},
): { steps: StepFinding[]; tooShort: string[] } {
  const minSize = Math.max(2, options.minSize ?? DEFAULT_MIN_SEGMENT);
  const steps: StepFinding[] = [];
  const tooShort: string[] = [];
  for (const b of history.benchmarks) {
    const points = presentPoints(b.values);
    if (points.length < 2 * minSize) {
      tooShort.push(b.id);
      continue;
    }
    const values = points.map((p) => p.value);
    if (values.some((v) => !(v > 0))) continue; // ratios need positive values
    // Steps smaller than the minor threshold are not actionable, and most false alarms are that small.
    const found = eDivisiveDetailed(values, { minMagnitude: t.minor, ...options, minSize });
    const bounds = [0, ...found.map((c) => c.index), values.length];
    const lastLevel = summarize(values.slice(bounds[bounds.length - 2])).mean;
    found.forEach((c, k) => {
      // Levels of the segments next to the step (between its neighbouring change points).
      const before = summarize(values.slice(bounds[k], c.index)).mean;
      const after = summarize(values.slice(c.index, bounds[k + 2])).mean;
      const change = after / before - 1;
      const worse = worseOf(change, b.direction);
      const kind = classifyStep(worse, t);
      const netWorse = worseOf(lastLevel / before - 1, b.direction);
      const at = points[c.index].index;
      const prev = points[c.index - 1]?.index;
      steps.push({
        id: b.id,
        suite: b.suite,
        name: b.name,
        unit: b.unit,
        direction: b.direction,
        index: at,
        of: history.entries.length,
        entry: history.entries[at],
        ...(prev !== undefined ? { previous: history.entries[prev] } : {}),
        before,
        after,
        change,
        worse,
        p: c.p,
        kind,
        netWorse,
        recovered: (kind === 'critical' || kind === 'major' || kind === 'minor') && netWorse < t.minor,
      });
    });
  }
  return { steps, tooShort };
}

const STEP_ORDER: readonly StepKind[] = ['critical', 'major', 'minor', 'improvement', 'shift'];

/** Worst first: by kind, then unrecovered first, then by size. */
export function bySeverity(a: StepFinding, b: StepFinding): number {
  const k = STEP_ORDER.indexOf(a.kind) - STEP_ORDER.indexOf(b.kind);
  if (k) return k;
  if (a.recovered !== b.recovered) return a.recovered ? 1 : -1;
  return a.kind === 'improvement' ? a.worse - b.worse : b.worse - a.worse;
}

/**
 * The weekly analysis: `latest` against the last `window` of `history` (saved runs of the branch,
 * any order, not including `latest`), change points over history + latest, and the KPIs.
 */
export function analyzeWeekly(input: { latest: Results; history: readonly Results[]; options: WeeklyOptions; source?: string; branch?: string }): WeeklyAnalysis {
  const { latest, options } = input;
  const window = Math.max(1, Math.floor(options.window ?? DEFAULT_WINDOW));
  // The latest run may already be in the history (it was saved before the report ran): drop it.
  const past = orderRuns(input.history).filter(
    (r) => !(r.startedAt === latest.startedAt && (r.commit ?? '') === (latest.commit ?? '') && r.machine.fingerprint === latest.machine.fingerprint),
  );
  const windowRuns = past.slice(Math.max(0, past.length - window));
  const base = pseudoBaseline(windowRuns, window);
  const notices: string[] = [];
  const windowText = `median of the last ${windowRuns.length} saved run${windowRuns.length === 1 ? '' : 's'}`;
  const comparison = compare({
    base,
    head: latest,
    thresholds: options.thresholds,
    failOn: options.failOn,
    failOnCrossMachine: options.failOnCrossMachine ?? false,
    mode: 'stored',
    baseSource: `rolling history (${windowText})`,
    noiseFloor: base?.noiseFloor,
  });
  if (!base) notices.push('No history yet: this run starts it. Trends and change points need at least 10 weekly runs.');
  const noisy = Object.entries(base?.noiseFloor ?? {}).filter(([, nf]) => nf >= options.thresholds.minor).sort((x, y) => y[1] - x[1]);
  if (noisy.length) {
    const list = noisy.slice(0, 5).map(([id, nf]) => `${id} (±${(nf * 100).toFixed(1)}%)`).join(', ');
    notices.push(`${noisy.length} benchmark${noisy.length === 1 ? ' wanders' : 's wander'} from run to run by more than the minor threshold, so smaller changes cannot be told from noise there: ${list}${noisy.length > 5 ? ', …' : ''}.`);
  }
  else if (windowRuns.length < 4) notices.push(`Only ${windowRuns.length} saved run${windowRuns.length === 1 ? '' : 's'} in the history: comparisons need at least 4 to be conclusive.`);

  const all = [...past, latest];
  const history = buildHistory(all, { branch: input.branch, source: input.source ?? 'history' });
  // buildHistory orders by time: the latest run is newest unless clocks disagree; keep it last.
  const { steps, tooShort } = detectSteps(history, options.thresholds, options.changePoints);
  steps.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.index - b.index));
  if (tooShort.length && history.entries.length < 2 * DEFAULT_MIN_SEGMENT) {
    notices.push(`Change-point detection needs at least ${2 * DEFAULT_MIN_SEGMENT} points per benchmark; the history has ${history.entries.length}.`);
  }
  const windowSet = new Set(windowRuns);
  const ordered = orderRuns(all);
  const windowEntries = history.entries.filter((_, i) => windowSet.has(ordered[i]));
  return {
    schema: WEEKLY_SCHEMA,
    clock: latest.clock,
    history,
    window: windowRuns.length,
    windowEntries,
    comparison,
    steps,
    kpis: computeKpis(latest),
    ...(windowRuns.length ? { baselineKpis: medianKpis(windowRuns) } : {}),
    tooShort,
    notices,
  };
}
