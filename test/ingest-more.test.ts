// Ingest of the rest of github-action-benchmark's formats: benchmark.js and Catch2 from real runs
// of the tools, Julia BenchmarkTools and JMH from hand-made files (the tools cannot be installed
// here; see test/fixtures/ingest/README.md). Each parses into valid perfgate/results@1 with the
// expected ids, units, directions and numbers, and malformed input gets a message naming the file
// and the line or field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFormat, ingest, ingestDetailed, type IngestMeta } from '../src/ingest/index.ts';
import { parseResults, type Benchmark } from '../src/schema/results.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'ingest');

const meta: IngestMeta = {
  machine: { fingerprint: 'test', os: 'linux', arch: 'x64', cpuModel: 'Test CPU', cores: 2, memoryBytes: 8 * 2 ** 30, node: 'v20.20.2', v8: '11.3' },
  startedAt: '2026-01-15T10:00:00.000Z',
  toolVersion: '0.1.0',
};

function run(format: string, ...names: string[]) {
  const files = names.map((name) => ({ path: `test/fixtures/ingest/${name}`, text: readFileSync(join(FIXTURES, name), 'utf8') }));
  const out = ingestDetailed(format, files, meta);
  parseResults(JSON.parse(JSON.stringify(out.results)), 'round trip');
  const byId = new Map(out.results.benchmarks.map((b) => [b.id, b]));
  const get = (id: string): Benchmark => {
    const b = byId.get(id);
    if (!b) throw new Error(`no benchmark ${id}; have: ${[...byId.keys()].join(', ')}`);
    return b;
  };
  return { ...out, byId, get };
}

function bad(format: string, text: string, path = 'bad-input'): string {
  try {
    ingest(format, [{ path, text }], meta);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

it("accepts github-action-benchmark's tool names for the new formats", () => {
  expect(findFormat('benchmarkjs').name).toBe('benchmarkjs');
  expect(findFormat('benchmark.js').name).toBe('benchmarkjs');
  expect(findFormat('catch2').name).toBe('catch2');
  expect(findFormat('julia').name).toBe('julia');
  expect(findFormat('jmh').name).toBe('jmh');
  expect(findFormat('JMH').name).toBe('jmh');
});

describe('benchmark.js', () => {
  it('reads the cycle lines of a real run: ops/sec, higher is better, one round per file', () => {
    const { results, get, notices } = run('benchmarkjs', 'benchmarkjs.txt');
    expect(results.source.format).toBe('benchmarkjs');
    expect(results.benchmarks.map((b) => b.id)).toEqual(['benchmarkjs/sort 1,000 numbers', 'benchmarkjs/JSON.parse small object', 'benchmarkjs/RegExp#test']);
    expect(get('benchmarkjs/sort 1,000 numbers')).toMatchObject({ unit: 'ops/sec', direction: 'higher', rounds: [1862], samples: [] });
    expect(get('benchmarkjs/RegExp#test').rounds).toEqual([13613827]);
    expect(notices.join('\n')).toMatch(/3 benchmark\(s\) have a single round \(benchmark\.js's mean rate over its sampled runs\)/);
    expect(run('benchmarkjs', 'benchmarkjs.txt', 'benchmarkjs.txt').get('benchmarkjs/JSON.parse small object').rounds).toEqual([449006, 449006]);
  });

  it('names the line of malformed input', () => {
    expect(bad('benchmarkjs', 'fib x 12 ops/sec ±1.2% (80 runs sampled)\nfib2 x fast ops/sec ±1.2% (80 runs sampled)\n')).toBe(
      'bad-input: line 2: expected "NAME x 1,234 ops/sec ±1.23% (91 runs sampled)" (benchmark.js\'s String(bench)), got "fib2 x fast ops/sec ±1.2% (80 runs sampled)"',
    );
    expect(bad('benchmarkjs', 'Fastest is nothing\n')).toMatch(/^bad-input: expected benchmark\.js result lines .*found none; print String\(event\.target\)/);
  });
});

describe('Catch2', () => {
  it('reads the console table of a real run: the mean in ns, test cases as suites, wrapped names joined', () => {
    const { results, get } = run('catch2', 'catch2-console.txt');
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'Fibonacci/fib 20',
      'Fibonacci/fib 25',
      'Containers/sort 1000 ints',
      'Containers/std::string concatenation of a name long enough to wrap in the console table',
    ]);
    expect(get('Fibonacci/fib 20')).toMatchObject({ unit: 'ns', direction: 'lower', batch: 9, samples: [] });
    expect(get('Fibonacci/fib 20').rounds[0]).toBeCloseTo(30367.7, 6);
    expect(get('Fibonacci/fib 25').rounds[0]).toBeCloseTo(290906, 6);
    expect(get('Containers/std::string concatenation of a name long enough to wrap in the console table').rounds[0]).toBeCloseTo(1953.74, 6);
  });

  it('reads the XML reporter of a real run', () => {
    const { get, results } = run('catch2', 'catch2.xml');
    expect(results.benchmarks).toHaveLength(4);
    expect(get('Fibonacci/fib 20')).toMatchObject({ unit: 'ns', direction: 'lower', rounds: [6530.53], batch: 14 });
    expect(get('Containers/std::string concatenation of a name long enough to wrap in the console table').rounds).toEqual([417.911]);
  });

  it('names the line of malformed input', () => {
    const table = [
      'benchmark name                       samples       iterations    estimated',
      '                                     mean          low mean      high mean',
      '                                     std dev       low std dev   high std dev',
      '-------------------------------------------------------------------------------',
      'fib 20                                          20             9    3.17826 ms ',
      '                                        30.3677 us    lots          124.236 us ',
    ].join('\n');
    expect(bad('catch2', table)).toBe('bad-input: line 6: expected the mean, low mean and high mean of "fib 20" (three values with units such as "27.58 us"), got "30.3677 us    lots          124.236 us"');
    const xml = '<?xml version="1.0"?>\n<Catch>\n<TestCase name="T">\n<BenchmarkResults name="b" samples="5" iterations="1">\n<mean value="fast"/>\n</BenchmarkResults>\n</TestCase>\n</Catch>\n';
    expect(bad('catch2', xml)).toBe('bad-input: line 4: <BenchmarkResults name="b">: expected <mean value="NANOSECONDS" .../>, got value="fast"');
    expect(bad('catch2', 'All tests passed (3 assertions in 1 test case)\n')).toMatch(/^bad-input: expected a Catch2 benchmark table/);
  });
});

describe('Julia BenchmarkTools (hand-made)', () => {
  it('reads TrialEstimates (median(results)): group keys as the id, memory and allocs as their own ids', () => {
    const { results, get } = run('julia', 'julia-benchmarktools-handmade.json');
    // Integer-like keys come in ascending order (JSON.parse's objects), the others as written.
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'fib/10', 'fib/10 (memory)', 'fib/10 (allocs)',
      'fib/20', 'fib/20 (memory)', 'fib/20 (allocs)',
      'julia/sort', 'julia/sort (memory)', 'julia/sort (allocs)',
    ]);
    expect(get('fib/20')).toMatchObject({ unit: 'ns', direction: 'lower', rounds: [26916] });
    expect(get('julia/sort (memory)')).toMatchObject({ unit: 'B', direction: 'lower', rounds: [8064] });
    expect(get('julia/sort (allocs)')).toMatchObject({ unit: 'allocs', rounds: [2] });
  });

  it("reads a Trial's sample times as rounds, evals as the batch", () => {
    const { get } = run('julia', 'julia-benchmarktools-trial-handmade.json');
    expect(get('julia/sum')).toMatchObject({ rounds: [612.4, 598.1, 640.0, 603.3, 601.9, 655.7], batch: 10 });
  });

  it('names the field of malformed input', () => {
    const doc = [{ Julia: '1.10.4' }, [['BenchmarkGroup', { data: { a: ['Trial', { times: [1, 'x'], memory: 0, allocs: 0 }] }, tags: [] }]]];
    expect(bad('julia', JSON.stringify(doc))).toBe('bad-input: [1][0][1].data.a[1].times[1]: expected a number, got "x"');
    expect(bad('julia', JSON.stringify([{ Julia: '1' }, [['Dict', {}]]]))).toBe(
      'bad-input: [1][0][0]: expected "BenchmarkGroup", "Trial" or "TrialEstimate", got "Dict"; save the results of run(suite) or median(results)',
    );
    expect(bad('julia', '{"times": []}')).toBe('bad-input: (root): expected an array, got an object');
  });
});

describe('JMH (hand-made)', () => {
  it('keeps every iteration of every fork as a round; time → ns; throughput higher; modes told apart', () => {
    const { results, get } = run('jmh', 'jmh-handmade.json');
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'org.perfgate.fixtures.HashBench/sha256(size=1024) [avgt]',
      'org.perfgate.fixtures.HashBench/sha256(size=1024) [avgt] (gc.alloc.rate.norm)',
      'org.perfgate.fixtures.HashBench/sha256(size=1024) [thrpt]',
      'org.perfgate.fixtures.ParseBench/parseInt',
    ]);
    const avgt = get('org.perfgate.fixtures.HashBench/sha256(size=1024) [avgt]');
    expect(avgt).toMatchObject({ unit: 'ns', direction: 'lower' });
    expect(avgt.rounds).toHaveLength(8); // 2 forks × 4 iterations
    expect(avgt.rounds[0]).toBeCloseTo(3610.2331, 6);
    expect(get('org.perfgate.fixtures.HashBench/sha256(size=1024) [avgt] (gc.alloc.rate.norm)')).toMatchObject({ unit: 'B/op', direction: 'lower' });
    expect(get('org.perfgate.fixtures.HashBench/sha256(size=1024) [thrpt]')).toMatchObject({ unit: 'ops/ms', direction: 'higher', rounds: [272.31, 274.92, 276.75] });
    expect(get('org.perfgate.fixtures.ParseBench/parseInt')).toMatchObject({ unit: 'ns', rounds: [40, 50] }); // each iteration's histogram median
  });

  it('names the field of malformed input', () => {
    const entry = { benchmark: 'a.B.c', mode: 'avgt', primaryMetric: { score: 1, scoreUnit: 'us/op', rawData: [[1.5, '2.0']] } };
    expect(bad('jmh', JSON.stringify([entry]))).toBe('bad-input: [0].primaryMetric.rawData[0][1]: expected a number, got "2.0"');
    expect(bad('jmh', JSON.stringify([{ ...entry, mode: 'fast' }]))).toBe('bad-input: [0].mode: expected thrpt, avgt, sample or ss, got "fast"');
    expect(bad('jmh', JSON.stringify([{ benchmark: 'a.B.c', mode: 'avgt' }]))).toBe('bad-input: [0].primaryMetric: expected an object, got nothing');
  });
});
