// The dashboard's data, pure: saved runs (any branches, any order) → per branch the entries with
// each run's grade, and per benchmark the medians with their 95% intervals, the change points
// with the commits around them, and memory and load metrics where the runs have them.
//  - The median and interval of a run are those of its per-round values (the raw samples when a
//    source has no rounds): the point `perfgate history` and the weekly report use, and the
//    distribution-free 95% interval of that median.
//  - A run's grade is the weekly rule applied to each run in turn: the run against the median of
//    the `window` runs before it (compare() in stored mode); the first run of a branch has none.
//  - Change points: detectSteps of weekly mode on each branch's series.
import { compare } from '../compare/index.ts';
import { branchName } from '../history/load.ts';
import { buildHistory, orderRuns } from '../history/series.ts';
import type { FailOn, Thresholds } from '../options.ts';
import type { Grade } from '../schema/comparison.ts';
import type { Benchmark, Results } from '../schema/results.ts';
import { medianCi } from '../stats/index.ts';
import { DEFAULT_WINDOW, detectSteps, pseudoBaseline, type StepKind } from '../weekly/analyze.ts';

export const DASHBOARD_SCHEMA = 'perfgate/dashboard@1' as const;
/** The branch label of runs saved without a ref. */
export const NO_BRANCH = '(no branch)';

export interface DashboardRun {
  /** Full commit, when the run has one. */
  commit?: string;
  startedAt: string;
  /** The run's grade against the runs before it; absent for the first run or when nothing was graded. */
  grade?: Grade;
  /** Machine fingerprint (runs on another machine kind are compared cross-machine). */
  machine: string;
}

export interface DashboardStep {
  /** Entry index of the first run after the change. */
  at: number;
  /** Entry index of the last run before it. */
  prev?: number;
  before: number;
  after: number;
  /** Relative change, positive = worse whatever the direction. */
  worse: number;
  kind: StepKind;
  recovered: boolean;
  p: number;
}

/** Series aligned with `DashboardBranch.runs`; null where the run lacks the value. */
export type Series = Array<number | null>;

export interface DashboardBenchmark {
  id: string;
  suite: string;
  name: string;
  unit: string;
  direction: 'lower' | 'higher';
  median: Series;
  lo: Series;
  hi: Series;
  /** This benchmark's grade in each run (against the runs before it). */
  grades: Array<Grade | null>;
  steps: DashboardStep[];
  /** Named extra series (bytes, req/s, ms, fraction), only those with at least one value. */
  metrics: Array<{ key: string; label: string; unit: string; values: Series }>;
}

export interface DashboardBranch {
  name: string;
  runs: DashboardRun[];
  benchmarks: DashboardBenchmark[];
}

export interface DashboardData {
  schema: typeof DASHBOARD_SCHEMA;
  title: string;
  generatedAt: string;
  source: string;
  /** The branch shown first: the given default when it has runs, else the one with the most runs. */
  defaultBranch: string;
  /** Commit links: the template with `{commit}` replaced (e.g. https://github.com/o/r/commit/{commit}). */
  commitUrl?: string;
  thresholds: Thresholds;
  branches: DashboardBranch[];
  notices: string[];
}

export interface DashboardInput {
  runs: readonly Results[];
  source: string;
  thresholds: Thresholds;
  failOn: FailOn;
  title?: string;
  /** Runs before each run that form its baseline (default 10, as weekly mode). */
  window?: number;
  defaultBranch?: string;
  commitUrl?: string;
  now?: Date;
}

/** Five significant digits: enough for a chart and a tooltip, and a third of the JSON. */
function round(v: number | undefined): number | null {
  if (v === undefined || !Number.isFinite(v)) return null;
  return Number(v.toPrecision(5));
}

const METRICS: Array<{ key: string; label: string; unit: string; get: (b: Benchmark) => number | undefined }> = [
  { key: 'peakRss', label: 'peak RSS', unit: 'B', get: (b) => b.memory?.peakRssBytes },
  { key: 'heapRetained', label: 'heap retained after GC', unit: 'B', get: (b) => b.memory?.heapRetainedBytes },
  { key: 'throughput', label: 'throughput', unit: 'req/s', get: (b) => b.load?.throughput },
  { key: 'successRate', label: 'success rate', unit: '%', get: (b) => (b.load ? b.load.successRate * 100 : undefined) },
  { key: 'latencyP95', label: 'latency p95', unit: 'ms', get: (b) => b.load?.latencyMs.p95 },
  { key: 'latencyP99', label: 'latency p99', unit: 'ms', get: (b) => b.load?.latencyMs.p99 },
];

function interval(b: Benchmark): [number, number] | undefined {
  if (b.status !== 'ok') return undefined;
  const values = (b.rounds.length ? b.rounds : b.samples).filter((v) => Number.isFinite(v));
  if (values.length) return medianCi(values);
  return b.stats?.ci95;
}

function buildBranch(name: string, runs: Results[], input: DashboardInput): DashboardBranch {
  const window = Math.max(1, Math.floor(input.window ?? DEFAULT_WINDOW));
  const history = buildHistory(runs, { branch: name, source: input.source });
  const ordered = orderRuns(runs);
  const runGrades: Array<Grade | undefined> = [];
  const benchGrades = new Map<string, Array<Grade | null>>(history.benchmarks.map((b) => [b.id, []]));
  ordered.forEach((run, i) => {
    const base = i === 0 ? null : pseudoBaseline(ordered.slice(Math.max(0, i - window), i), window);
    if (!base) {
      runGrades.push(undefined);
      for (const g of benchGrades.values()) g.push(null);
      return;
    }
    const c = compare({ base, head: run, thresholds: input.thresholds, failOn: input.failOn, failOnCrossMachine: false, mode: 'stored', baseSource: 'the runs before it', noiseFloor: base.noiseFloor });
    runGrades.push(c.overall.grade);
    const byId = new Map(c.benchmarks.map((b) => [b.id, b.grade]));
    for (const [id, g] of benchGrades) g.push(byId.get(id) ?? null);
  });
  const { steps } = detectSteps(history, input.thresholds);
  const benchmarks = history.benchmarks.map((s): DashboardBenchmark => {
    const defs = ordered.map((r) => r.benchmarks.find((b) => b.id === s.id && b.unit === s.unit));
    const ci = defs.map((b) => (b ? interval(b) : undefined));
    const metrics = METRICS.map((m) => ({ key: m.key, label: m.label, unit: m.unit, values: defs.map((b) => (b && b.status === 'ok' ? round(m.get(b)) : null)) })).filter((m) =>
      m.values.some((v) => v !== null),
    );
    return {
      id: s.id,
      suite: s.suite,
      name: s.name,
      unit: s.unit,
      direction: s.direction,
      median: s.values.map((v) => round(v ?? undefined)),
      lo: ci.map((c, i) => (c && s.values[i] !== null ? round(c[0]) : null)),
      hi: ci.map((c, i) => (c && s.values[i] !== null ? round(c[1]) : null)),
      grades: benchGrades.get(s.id) ?? [],
      steps: steps
        .filter((st) => st.id === s.id)
        .map((st) => ({
          at: st.index,
          ...(st.previous ? { prev: st.previous.index } : {}),
          before: round(st.before) ?? 0,
          after: round(st.after) ?? 0,
          worse: round(st.worse) ?? 0,
          kind: st.kind,
          recovered: st.recovered,
          p: Number(st.p.toPrecision(3)),
        })),
      metrics,
    };
  });
  return {
    name,
    runs: ordered.map((r, i) => ({
      ...(r.commit ? { commit: r.commit } : {}),
      startedAt: r.startedAt,
      ...(runGrades[i] ? { grade: runGrades[i] } : {}),
      machine: r.machine.fingerprint,
    })),
    benchmarks,
  };
}

/** The dashboard's data for `runs`, one section per branch (by the runs' `ref`). */
export function buildDashboard(input: DashboardInput): DashboardData {
  const byBranch = new Map<string, Results[]>();
  for (const r of input.runs) {
    const name = branchName(r.ref) ?? NO_BRANCH;
    const list = byBranch.get(name) ?? [];
    list.push(r);
    byBranch.set(name, list);
  }
  const branches = [...byBranch.entries()].map(([name, runs]) => buildBranch(name, runs, input)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const mostRuns = [...branches].sort((a, b) => b.runs.length - a.runs.length)[0];
  const defaultBranch = input.defaultBranch && byBranch.has(input.defaultBranch) ? input.defaultBranch : (mostRuns?.name ?? '');
  const notices: string[] = [];
  if (input.runs.length === 0) notices.push(`No saved runs in ${input.source}: save runs on the default branch (baseline: branch) or pass a folder of perfgate/results@1 files (--dir).`);
  return {
    schema: DASHBOARD_SCHEMA,
    title: input.title ?? 'perfgate dashboard',
    generatedAt: (input.now ?? new Date()).toISOString(),
    source: input.source,
    defaultBranch,
    ...(input.commitUrl ? { commitUrl: input.commitUrl } : {}),
    thresholds: input.thresholds,
    branches,
    notices,
  };
}
