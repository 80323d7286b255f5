// Factories for perfgate/results@1 objects in tests: valid by construction (checked with zod).
import { RESULTS_SCHEMA, parseResults, type Benchmark, type Results } from '../../src/schema/results.ts';
import { createRandom, summarize } from '../../src/stats/index.ts';

export function machine(fingerprint = 'machine-a'): Results['machine'] {
  return {
    fingerprint,
    os: 'linux',
    arch: 'x64',
    cpuModel: 'Test CPU @ 3.0GHz',
    cores: 4,
    memoryBytes: 16 * 2 ** 30,
    node: 'v20.19.0',
    v8: '11.3.244.8-node.26',
  };
}

/**
 * A benchmark with the given per-round values (`rounds`); id is `suite/name`. Samples default to
 * the rounds; stats are computed from them. Anything can be overridden.
 */
export function bench(id: string, rounds: number[], extra: Partial<Benchmark> = {}): Benchmark {
  const [suite, ...rest] = id.split('/');
  const name = rest.join('/') || suite;
  return {
    id,
    suite,
    name,
    unit: 'ns',
    direction: 'lower',
    status: 'ok',
    rounds,
    samples: rounds,
    ...(rounds.length ? { stats: summarize(rounds) } : {}),
    ...extra,
  };
}

/** A benchmark that failed (crashed, timed out). */
export function failedBench(id: string, error = 'Error: boom'): Benchmark {
  return bench(id, [], { status: 'failed', error });
}

export function results(benchmarks: Benchmark[], opts: { fingerprint?: string; commit?: string; noiseFloor?: Record<string, number> } = {}): Results {
  const r: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: 'perfgate', version: '0.1.0' },
    source: { kind: 'perfgate' },
    ...(opts.commit ? { commit: opts.commit } : {}),
    startedAt: '2026-01-01T00:00:00.000Z',
    clock: 'wall',
    machine: machine(opts.fingerprint),
    ...(opts.noiseFloor ? { noiseFloor: opts.noiseFloor } : {}),
    benchmarks,
  };
  return parseResults(r, 'test results');
}

/** `n` log-normal draws with the given median and coefficient of variation, seeded. */
export function lognormal(seed: number, n: number, median: number, cv: number): number[] {
  const r = createRandom(seed);
  return r.many(n, () => r.lognormal(median, cv));
}
