// Synthetic weekly histories for the weekly, charts and history tests: one run a week, each
// benchmark's weekly level with Gaussian noise, rounds spread tightly around it.
import { RESULTS_SCHEMA, parseResults, type Benchmark, type Results } from '../../src/schema/results.ts';
import { createRandom, summarize } from '../../src/stats/index.ts';
import { machine } from './results.ts';

export interface SeriesSpec {
  id: string;
  unit?: string;
  direction?: 'lower' | 'higher';
  /** Level of run i (0-based). */
  level: (i: number) => number;
  /** Relative noise of the weekly point (default 0.03). */
  noise?: number;
  extra?: Partial<Benchmark>;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;
const START = Date.parse('2025-01-06T04:17:00Z');

export function commitOf(i: number): string {
  let h = (i + 1) * 2654435761;
  let out = '';
  for (let k = 0; k < 5; k++) {
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

/** Run `i` of a weekly history: every spec's benchmark, `rounds` rounds each. */
export function weeklyRun(i: number, specs: SeriesSpec[], seed: number, rounds = 8): Results {
  const r = createRandom(seed * 100_003 + i);
  const benchmarks = specs.map((s) => {
    const point = s.level(i) * (1 + (s.noise ?? 0.03) * r.normal());
    const values = Array.from({ length: rounds }, () => point * (1 + 0.002 * r.normal()));
    const [suite, ...rest] = s.id.split('/');
    const b: Benchmark = {
      id: s.id,
      suite,
      name: rest.join('/') || suite,
      unit: s.unit ?? 'ns',
      direction: s.direction ?? 'lower',
      status: 'ok',
      rounds: values,
      samples: values,
      stats: summarize(values),
      ...s.extra,
    };
    return b;
  });
  return parseResults(
    {
      schema: RESULTS_SCHEMA,
      tool: { name: 'perfgate', version: '0.1.0' },
      source: { kind: 'perfgate' },
      commit: commitOf(i),
      ref: 'main',
      startedAt: new Date(START + i * WEEK_MS).toISOString(),
      clock: 'wall',
      machine: machine(),
      benchmarks,
    },
    `weekly run ${i}`,
  );
}

/** `n` weekly runs, oldest first. */
export function weeklyHistory(n: number, specs: SeriesSpec[], seed = 1, rounds = 8): Results[] {
  return Array.from({ length: n }, (_, i) => weeklyRun(i, specs, seed, rounds));
}

/** A 15% step (slower) at run 40 of 60 in `cache/read`, and flat series around it. */
export const STEP_SPECS: SeriesSpec[] = [
  { id: 'cache/read', level: (i) => (i >= 40 ? 1150 : 1000) },
  { id: 'cache/write', level: () => 2400 },
  { id: 'config/parse', level: () => 52_000 },
  {
    id: 'load/users-50',
    unit: 'req/s',
    direction: 'higher',
    level: () => 9000,
    extra: {
      load: { users: 50, durationMs: 5000, requests: 45_000, errors: 900, throughput: 9000, successRate: 0.98, latencyMs: { p50: 4.1, p95: 9.8, p99: 14, mean: 5.2 } },
      memory: { peakRssBytes: 140e6, heapRetainedBytes: 2.1e6 },
      sla: [{ metric: 'successRate', min: 0.95 }],
    },
  },
];

/** The same benchmarks without the step. */
export const FLAT_SPECS: SeriesSpec[] = STEP_SPECS.map((s) => (s.id === 'cache/read' ? { ...s, level: () => 1000 } : s));
