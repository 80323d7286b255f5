// Hand-built Comparison objects for report tests (independent of src/compare).
import { COMPARISON_SCHEMA, GRADE_LABELS, type BenchmarkComparison, type Comparison, type Grade, type GroupSummary, type Verdict } from '../../src/schema/comparison.ts';
import type { Direction } from '../../src/schema/results.ts';

export interface BenchInput {
  suite: string;
  name: string;
  verdict: Verdict;
  grade?: Grade;
  /** Default 'ns'. */
  unit?: string;
  /** Default: 'higher' for throughput units (…/s), else 'lower'. */
  direction?: Direction;
  /** Base median; omit for a new benchmark. */
  base?: number;
  /** Head median; default base × (1 + change). Omit (with `missing: true`) for a missing one. */
  head?: number;
  /** Change of the metric itself (head/base − 1), default 0 or from base/head. */
  change?: number;
  /** Interval of the metric change. Default change ± 0.02. */
  ci?: [number, number];
  n?: number;
  p?: number;
  speedup?: { versus: string; factor: number };
  error?: string;
  missing?: boolean;
}

export function bench(i: BenchInput): BenchmarkComparison {
  const unit = i.unit ?? 'ns';
  const direction = i.direction ?? (/\/s$/.test(unit) ? 'higher' : 'lower');
  const n = i.n ?? 10;
  const isNew = i.verdict === 'new' || i.base === undefined;
  const base = isNew ? undefined : i.base!;
  const change = i.change ?? (base !== undefined && i.head !== undefined ? i.head / base - 1 : 0);
  const head = i.missing || i.verdict === 'missing' ? undefined : (i.head ?? (base !== undefined ? base * (1 + change) : 1000));
  const out: BenchmarkComparison = {
    id: `${i.suite}/${i.name}`,
    suite: i.suite,
    name: i.name,
    unit,
    direction,
    verdict: i.verdict,
    reason: `test: ${i.verdict}`,
  };
  if (base !== undefined) out.base = { median: base, n };
  if (head !== undefined) out.head = { median: head, n };
  if (base !== undefined && head !== undefined) {
    const ratio = 1 + change;
    const ci = i.ci ?? [change - 0.02, change + 0.02];
    const ratioCi: [number, number] = [1 + ci[0], 1 + ci[1]];
    out.ratio = ratio;
    out.ratioCi = ratioCi;
    if (direction === 'lower') {
      out.worse = ratio - 1;
      out.worseCi = [ratioCi[0] - 1, ratioCi[1] - 1];
    } else {
      out.worse = 1 / ratio - 1;
      out.worseCi = [1 / ratioCi[1] - 1, 1 / ratioCi[0] - 1];
    }
    out.pWorse = i.p ?? 0.5;
    out.pHolm = i.p ?? 0.5;
    out.pBH = i.p ?? 0.5;
    out.noiseFloor = 0.01;
  }
  if (i.grade) out.grade = i.grade;
  else if (i.verdict !== 'new' && i.verdict !== 'missing') out.grade = 'A';
  if (i.speedup) out.speedup = i.speedup;
  if (i.error) out.error = i.error;
  return out;
}

const GRADE_ORDER: Grade[] = ['A+', 'A', 'A-', 'B', 'C', 'D', 'F'];

function counts(benchmarks: BenchmarkComparison[]): Record<Verdict, number> {
  const c = { improved: 0, unchanged: 0, inconclusive: 0, minor: 0, major: 0, critical: 0, new: 0, missing: 0 };
  for (const b of benchmarks) c[b.verdict] += 1;
  return c;
}

/** A group summary: geomean of (1 + worse) over compared benchmarks, the worst grade. */
export function group(name: string, benchmarks: BenchmarkComparison[], grade?: Grade): GroupSummary {
  const worse = benchmarks.filter((b) => b.worse !== undefined).map((b) => Math.log(1 + b.worse!));
  const worst = benchmarks.reduce<Grade>((g, b) => (b.grade && GRADE_ORDER.indexOf(b.grade) > GRADE_ORDER.indexOf(g) ? b.grade : g), 'A+');
  const g = grade ?? worst;
  return {
    name,
    geomeanWorseRatio: worse.length ? Math.exp(worse.reduce((a, b) => a + b, 0) / worse.length) : undefined,
    grade: g,
    label: GRADE_LABELS[g],
    counts: counts(benchmarks),
  };
}

export function comparison(benchmarks: BenchmarkComparison[], overrides: Partial<Comparison> & { overallGrade?: Grade } = {}): Comparison {
  const { overallGrade, ...rest } = overrides;
  const suites = [...new Set(benchmarks.map((b) => b.suite))].map((s) => group(s, benchmarks.filter((b) => b.suite === s)));
  const failing = benchmarks.filter((b) => b.verdict === 'major' || b.verdict === 'critical').length;
  return {
    schema: COMPARISON_SCHEMA,
    mode: 'paired',
    crossMachine: false,
    base: { commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', ref: 'main', fingerprint: 'fp-linux-x64-4c', source: 'same-runner' },
    head: { commit: 'ffeeddccbbaa99887766554433221100ffeeddcc', ref: 'feature/faster', fingerprint: 'fp-linux-x64-4c' },
    thresholds: { minor: 0.05, major: 0.15, critical: 0.5, noiseFloor: 0.01, alpha: 0.05 },
    benchmarks,
    suites,
    overall: group('(run)', benchmarks, overallGrade),
    gate: {
      failed: failing > 0,
      failOn: 'major',
      reason: failing > 0 ? `${failing} benchmark(s) regressed by 15% or more` : 'no regression at or above major',
    },
    notices: [],
    ...rest,
  };
}

/** A comparison shaped like the seed report: two regressions, native speedups, the rest fine. */
export function seedComparison(): Comparison {
  const benchmarks = [
    bench({ suite: 'rust-acceleration', name: 'Rust Infrastructure Scanning', unit: 'ops/s', base: 2905, change: -0.126, ci: [-0.15, -0.101], verdict: 'minor', grade: 'C', p: 0.004, speedup: { versus: 'TypeScript', factor: 55.2 } }),
    bench({ suite: 'rust-acceleration', name: 'Configuration Parsing', unit: 'ops/s', base: 2650, head: 2682, verdict: 'unchanged', grade: 'A', speedup: { versus: 'TypeScript', factor: 49.7 } }),
    bench({ suite: 'rust-acceleration', name: 'SIMD Vector Processing', unit: 'ops/s', base: 12800, head: 14127, ci: [0.08, 0.13], verdict: 'improved', grade: 'A+', speedup: { versus: 'TypeScript', factor: 7.9 } }),
    bench({ suite: 'caching', name: 'Distributed Cache Reads', unit: 'ops/s', base: 205_000, head: 208_253, verdict: 'unchanged' }),
    bench({ suite: 'caching', name: 'Distributed Cache Writes', unit: 'ops/s', base: 126_000, head: 126_394, verdict: 'unchanged' }),
    bench({ suite: 'circuit-breaker', name: 'Circuit Breaker Latency', unit: 'ns', base: 3000, change: 0.228, ci: [0.181, 0.279], verdict: 'major', grade: 'D', p: 0.002 }),
    bench({ suite: 'circuit-breaker', name: 'Circuit Breaker Operations', unit: 'ops/s', base: 272_000, head: 273_150, verdict: 'unchanged' }),
    bench({ suite: 'retry', name: 'Retry Logic', unit: 'ns', base: 812, head: 815, verdict: 'unchanged', grade: 'A-' }),
    bench({ suite: 'system-load', name: 'p95 latency, 50 users', unit: 'ms', base: 8.74, head: 9.1, ci: [-0.08, 0.16], verdict: 'inconclusive', grade: 'A-' }),
    bench({ suite: 'memory', name: 'Peak RSS', unit: 'bytes', base: 95_200_000, head: 94_900_000, verdict: 'unchanged' }),
  ];
  return comparison(benchmarks, { overallGrade: 'C' });
}
