// Ingest: every format's real (or faithfully hand-written) fixture parses into valid
// perfgate/results@1 with the expected ids, units, directions and numbers; malformed input gets a
// message naming the file and the line or field.
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS, FORMAT_NAMES, findFormat, ingest, ingestDetailed, IngestError, type IngestMeta } from '../src/ingest/index.ts';
import { readAndIngest } from '../src/ingest/io.ts';
import { summarize } from '../src/stats/summary.ts';
import { MAX_SAMPLES, parseResults, type Benchmark, type Results } from '../src/schema/results.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'ingest');

const meta: IngestMeta = {
  machine: {
    fingerprint: 'test-fingerprint',
    os: 'linux',
    arch: 'x64',
    cpuModel: 'Test CPU',
    cores: 2,
    memoryBytes: 8 * 2 ** 30,
    node: 'v20.20.2',
    v8: '11.3',
  },
  commit: 'abc123',
  ref: 'refs/heads/main',
  startedAt: '2026-01-15T10:00:00.000Z',
  toolVersion: '0.1.0',
};

function fixture(name: string): { path: string; text: string } {
  return { path: `test/fixtures/ingest/${name}`, text: readFileSync(join(FIXTURES, name), 'utf8') };
}

function run(format: string, ...names: string[]): { results: Results; notices: string[]; byId: Map<string, Benchmark> } {
  const out = ingestDetailed(format, names.map(fixture), meta);
  // The document is valid perfgate/results@1, also after a JSON round trip.
  parseResults(JSON.parse(JSON.stringify(out.results)), 'round trip');
  return { ...out, byId: new Map(out.results.benchmarks.map((b) => [b.id, b])) };
}

function get(byId: Map<string, Benchmark>, id: string): Benchmark {
  const b = byId.get(id);
  if (!b) throw new Error(`no benchmark ${id}; have: ${[...byId.keys()].join(', ')}`);
  return b;
}

function bad(format: string, text: string, path = 'bad-input'): string {
  try {
    ingest(format, [{ path, text }], meta);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('ingest registry', () => {
  it('lists every format once with a description', () => {
    expect(FORMAT_NAMES).toEqual([
      'vitest',
      'tinybench',
      'hyperfine',
      'google-benchmark',
      'go',
      'pytest-benchmark',
      'cargo-bench',
      'cargo-criterion',
      'benchmarkdotnet',
      'customSmallerIsBetter',
      'customBiggerIsBetter',
      'benchmarkjs',
      'catch2',
      'julia',
      'jmh',
    ]);
    for (const f of FORMATS) expect(f.description.length).toBeGreaterThan(10);
  });

  it("accepts github-action-benchmark's tool names, case-insensitively", () => {
    expect(findFormat('cargo').name).toBe('cargo-bench');
    expect(findFormat('go').name).toBe('go');
    expect(findFormat('pytest').name).toBe('pytest-benchmark');
    expect(findFormat('googlecpp').name).toBe('google-benchmark');
    expect(findFormat('benchmarkdotnet').name).toBe('benchmarkdotnet');
    expect(findFormat('customBiggerIsBetter').name).toBe('customBiggerIsBetter');
    expect(findFormat('custombiggerisbetter').name).toBe('customBiggerIsBetter');
    expect(findFormat('customSmallerIsBetter').name).toBe('customSmallerIsBetter');
    expect(findFormat('Vitest').name).toBe('vitest');
  });

  it('rejects an unknown format, listing the known ones', () => {
    expect(() => findFormat('benchmarkluau')).toThrow(/unknown ingest format "benchmarkluau"; known formats: vitest .*hyperfine.*customBiggerIsBetter/);
    expect(() => ingest('luau', [{ path: 'x', text: '' }], meta)).toThrow(/known formats/);
  });

  it('fills run metadata from the caller, not from the machine it runs on', () => {
    const { results } = run('hyperfine', 'hyperfine.json');
    expect(results.schema).toBe('perfgate/results@1');
    expect(results.source).toEqual({ kind: 'ingest', format: 'hyperfine' });
    expect(results.tool).toEqual({ name: 'perfgate', version: '0.1.0' });
    expect(results.machine).toEqual(meta.machine);
    expect(results.commit).toBe('abc123');
    expect(results.ref).toBe('refs/heads/main');
    expect(results.startedAt).toBe('2026-01-15T10:00:00.000Z');
    expect(results.clock).toBe('wall');
  });
});

describe('hyperfine', () => {
  it('keeps every run as a round and a sample, in ns', () => {
    const { results, byId } = run('hyperfine', 'hyperfine.json');
    expect(results.benchmarks.map((b) => b.id)).toEqual(['hyperfine/sleep 0.01', 'hyperfine/seq 1 100000 > /dev/null']);
    const sleep = get(byId, 'hyperfine/sleep 0.01');
    expect(sleep).toMatchObject({ suite: 'hyperfine', name: 'sleep 0.01', unit: 'ns', direction: 'lower', status: 'ok' });
    expect(sleep.rounds).toHaveLength(12); // times.length
    expect(sleep.samples).toHaveLength(12);
    expect(sleep.rounds[0]).toBeCloseTo(0.01163258296 * 1e9, 3);
    expect(sleep.stats?.mean).toBeCloseTo(0.011644766210000003 * 1e9, 1); // hyperfine's own mean
    expect(sleep.stats?.median).toBeCloseTo(0.011650564960000002 * 1e9, 1); // and median
    expect(get(byId, 'hyperfine/seq 1 100000 > /dev/null').stats?.mean).toBeCloseTo(0.002135692126666667 * 1e9, 1);
  });

  it('names the field of malformed input', () => {
    expect(bad('hyperfine', '{"results": [{"command": "x", "times": [0.1, "fast"]}]}')).toBe(
      'bad-input: results[0].times[1]: expected a number, got "fast"',
    );
    expect(bad('hyperfine', '{"results": {}}')).toBe('bad-input: results: expected an array, got an object');
    expect(bad('hyperfine', '{\n  "results": [\n    {"command": "x",}\n  ]\n}')).toMatch(/^bad-input: line 3, column \d+: not valid JSON/);
    expect(bad('hyperfine', '')).toBe('bad-input: expected JSON, found an empty file');
  });

  it('marks a command that exited non-zero as failed', () => {
    const doc = { results: [{ command: 'false', mean: 0.001, times: [0.001, 0.001], exit_codes: [1, 0] }] };
    const r = ingest('hyperfine', [{ path: 'h.json', text: JSON.stringify(doc) }], meta);
    expect(r.benchmarks[0]).toMatchObject({ status: 'failed', error: 'the command exited non-zero in 1 of 2 runs' });
  });
});

describe('go test -bench', () => {
  const PKG = 'example.com/perfgate/fixture';

  it('turns -count repetitions into rounds and every metric into its own id', () => {
    const { results, byId, notices } = run('go', 'go-test-bench.txt');
    expect(notices).toEqual([]);
    expect(results.benchmarks).toHaveLength(18); // 4 benchmarks × (ns/op, B/op, allocs/op) + MB/s + 2 × parts/op
    const fib = get(byId, `${PKG}/BenchmarkFib20`); // the uniform -2 GOMAXPROCS suffix is dropped
    expect(fib).toMatchObject({ suite: PKG, name: 'BenchmarkFib20', unit: 'ns', direction: 'lower', status: 'ok' });
    expect(fib.rounds).toEqual([46123, 39833, 42336, 40735, 52772]);
    expect(fib.samples).toEqual(fib.rounds);
    expect(get(byId, `${PKG}/BenchmarkSprintf (B/op)`)).toMatchObject({ unit: 'B', direction: 'lower', rounds: [15, 15, 15, 15, 15] });
    expect(get(byId, `${PKG}/BenchmarkSprintf (allocs/op)`)).toMatchObject({ unit: 'allocs', direction: 'lower', rounds: [1, 1, 1, 1, 1] });
    expect(get(byId, `${PKG}/BenchmarkSHA256 (MB/s)`)).toMatchObject({
      unit: 'MB/s',
      direction: 'higher',
      rounds: [460.78, 445.85, 478.34, 488.81, 300.98],
    });
    expect(get(byId, `${PKG}/BenchmarkJoin/parts=100`).rounds).toEqual([933.8, 1022, 1103, 907.9, 1068]);
    expect(get(byId, `${PKG}/BenchmarkJoin/parts=10 (parts/op)`)).toMatchObject({ unit: 'parts/op', direction: 'lower', rounds: [10, 10, 10, 10, 10] });
  });

  it('reads go test -json output', () => {
    const { byId } = run('go', 'go-test-bench.jsonl');
    expect([...byId.keys()]).toHaveLength(7);
    expect(get(byId, `${PKG}/BenchmarkSHA256`).rounds).toEqual([16218, 8313, 8344]);
    expect(get(byId, `${PKG}/BenchmarkSHA256 (MB/s)`).rounds).toEqual([252.55, 492.7, 490.89]);
  });

  it('keeps differing -cpu suffixes, marks failures and says when there is one round', () => {
    const text = [
      'pkg: example.com/a',
      'BenchmarkX     \t 100\t 10.5 ns/op',
      'BenchmarkX-4   \t 100\t 4.5 ns/op',
      'BenchmarkY-4   \t--- FAIL: BenchmarkY-4',
      '    y_test.go:9: boom',
      'FAIL',
    ].join('\n');
    const out = ingestDetailed('go', [{ path: 'go.txt', text }], meta);
    expect(out.results.benchmarks.map((b) => [b.id, b.status])).toEqual([
      ['example.com/a/BenchmarkX', 'ok'],
      ['example.com/a/BenchmarkX-4', 'ok'],
      ['example.com/a/BenchmarkY-4', 'failed'],
    ]);
    expect(out.notices.join('\n')).toMatch(/2 benchmark\(s\) have a single round \(.*-count 6 or more\)/);
  });

  it('names the line of malformed input', () => {
    expect(bad('go', 'pkg: x\nBenchmarkA-8 \t 100\t 12 ns/op\nBenchmarkB-8 \t 100\t fast ns/op\n')).toBe(
      'bad-input: line 3: expected a number before "ns/op", got "fast"',
    );
    expect(bad('go', 'BenchmarkA-8 \t 100\t 12 ns/op 5\n')).toMatch(/^bad-input: line 1: expected "value unit" pairs/);
    expect(bad('go', 'BenchmarkA-8 \t 1.5\t 12 ns/op\n')).toBe('bad-input: line 1: expected a whole iteration count after BenchmarkA-8, got "1.5"');
    expect(bad('go', 'PASS\nok  \tx\t0.1s\n')).toMatch(/^bad-input: expected go test -bench result lines/);
    expect(bad('go', '{"Action":"output","Output":"x"}\nnot json\n')).toMatch(/^bad-input: line 2: expected a go test -json event/);
  });
});

describe('Google Benchmark', () => {
  it('keeps repetitions as rounds, skips aggregates, converts time units and adds rate metrics', () => {
    const { results, byId } = run('googlecpp', 'google-benchmark.json');
    expect(results.source.format).toBe('google-benchmark');
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'bench/BM_StringCopy/64',
      'bench/BM_StringCopy/64 (bytes/s)',
      'bench/BM_StringCopy/4096',
      'bench/BM_StringCopy/4096 (bytes/s)',
      'bench/BM_VectorSum',
      'bench/BM_VectorSum (items/s)',
      'bench/BM_VectorSum (elements)',
    ]);
    const copy = get(byId, 'bench/BM_StringCopy/64');
    expect(copy).toMatchObject({ unit: 'ns', direction: 'lower', batch: 1222590 });
    expect(copy.rounds).toHaveLength(4); // --benchmark_repetitions=4, aggregates skipped
    expect(copy.rounds[0]).toBeCloseTo(21.76942556374416, 9);
    expect(get(byId, 'bench/BM_StringCopy/64 (bytes/s)')).toMatchObject({ unit: 'B/s', direction: 'higher' });
    expect(get(byId, 'bench/BM_StringCopy/64 (bytes/s)').rounds[0]).toBeCloseTo(2950311053.1616416, 3);
    const sum = get(byId, 'bench/BM_VectorSum'); // time_unit "us"
    expect(sum.rounds.map((v) => Math.round(v * 1000) / 1000)).toEqual([255.612, 266.85, 266.169, 245.235]);
    expect(get(byId, 'bench/BM_VectorSum (items/s)').direction).toBe('higher');
    expect(get(byId, 'bench/BM_VectorSum (elements)')).toMatchObject({ unit: 'elements', direction: 'lower', rounds: [1000, 1000, 1000, 1000] });
  });

  it('falls back to the median aggregate when only aggregates were reported, and marks errors', () => {
    const doc = {
      context: { executable: '/build/bench_x' },
      benchmarks: [
        { name: 'BM_A_mean', run_name: 'BM_A', run_type: 'aggregate', aggregate_name: 'mean', real_time: 12, cpu_time: 12, time_unit: 'ms' },
        { name: 'BM_A_median', run_name: 'BM_A', run_type: 'aggregate', aggregate_name: 'median', real_time: 11, cpu_time: 11, time_unit: 'ms' },
        { name: 'BM_B', run_name: 'BM_B', run_type: 'iteration', error_occurred: true, error_message: 'out of memory', real_time: 0, cpu_time: 0, time_unit: 'ns' },
      ],
    };
    const out = ingestDetailed('google-benchmark', [{ path: 'g.json', text: JSON.stringify(doc) }], meta);
    expect(out.results.benchmarks.map((b) => [b.id, b.status, b.rounds])).toEqual([
      ['bench_x/BM_B', 'failed', []],
      ['bench_x/BM_A', 'ok', [11e6]],
    ]);
    expect(out.results.benchmarks[0].error).toBe('Google Benchmark reported: out of memory');
    expect(out.notices.join('\n')).toMatch(/single round \(median aggregate\): bench_x\/BM_A/);
  });

  it('names the field of malformed input', () => {
    const doc = { benchmarks: [{ name: 'BM_A', run_type: 'iteration', real_time: '12', time_unit: 'ns' }] };
    expect(bad('google-benchmark', JSON.stringify(doc))).toBe('bad-input: benchmarks[0].real_time: expected a number, got "12"');
    const unit = { benchmarks: [{ name: 'BM_A', run_type: 'iteration', real_time: 12, time_unit: 'fortnights' }] };
    expect(bad('google-benchmark', JSON.stringify(unit))).toBe('bad-input: benchmarks[0].time_unit: expected ns, us, ms or s, got "fortnights"');
  });
});

describe('pytest-benchmark', () => {
  it('keeps stats.data as rounds and samples in ns', () => {
    const { results, byId, notices } = run('pytest', 'pytest-benchmark.json');
    expect(notices).toEqual([]);
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'test_bench.py/test_fib',
      'test_bench.py/test_sorted[10]',
      'test_bench.py/test_sorted[1000]',
      'test_bench.py/test_join',
    ]);
    const sorted10 = get(byId, 'test_bench.py/test_sorted[10]');
    expect(sorted10).toMatchObject({ suite: 'test_bench.py', name: 'test_sorted[10]', unit: 'ns', direction: 'lower', batch: 100 });
    expect(sorted10.rounds).toHaveLength(125); // stats.data.length
    expect(sorted10.rounds[0]).toBeCloseTo(1.6053999956966436e-7 * 1e9, 6);
    expect(sorted10.stats?.median).toBeCloseTo(1.570400002037786e-7 * 1e9, 6); // pytest-benchmark's median
    expect(get(byId, 'test_bench.py/test_join').rounds).toHaveLength(7); // pedantic rounds=7
    expect(get(byId, 'test_bench.py/test_fib').stats?.median).toBeCloseTo(7.059949996346404e-5 * 1e9, 3);
  });

  it('uses the median as the single round of a saved run without data, and says so', () => {
    const { byId, notices } = run('pytest-benchmark', 'pytest-benchmark-saved-nodata.json');
    const fib = get(byId, 'test_bench.py/test_fib');
    expect(fib.rounds).toHaveLength(1);
    expect(fib.rounds[0]).toBeCloseTo(6.988350003211963e-5 * 1e9, 3);
    expect(fib.samples).toEqual([]);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^4 benchmark\(s\) have a single round \(stats\.median; no stats\.data in this file\)/);
    expect(notices[0]).toMatch(/inconclusive/);
  });

  it('turns several files into several rounds', () => {
    const { byId } = run('pytest-benchmark', 'pytest-benchmark-saved-nodata.json', 'pytest-benchmark-saved-nodata.json');
    expect(get(byId, 'test_bench.py/test_join').rounds).toHaveLength(2);
  });

  it('names the field of malformed input', () => {
    const doc = { benchmarks: [{ fullname: 't.py::test_a', stats: { median: 1e-6, data: [1e-6, null] } }] };
    expect(bad('pytest-benchmark', JSON.stringify(doc))).toBe('bad-input: benchmarks[0].stats.data[1]: expected a number, got null');
    expect(bad('pytest-benchmark', JSON.stringify({ benchmarks: [{ fullname: 't.py::a', stats: {} }] }))).toBe(
      'bad-input: benchmarks[0].stats.median: expected a number, got nothing',
    );
  });
});

describe('cargo bench (bencher text)', () => {
  it('reads libtest lines, commas, decimals and the MB/s suffix', () => {
    const { results, byId, notices } = run('cargo', 'cargo-bench.txt');
    expect(results.source.format).toBe('cargo-bench');
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'cargo-bench/hashmap_insert_1000',
      'cargo-bench/string_format',
      'cargo-bench/vec_sum',
      'cargo-bench/vec_sum (MB/s)',
      'cargo-bench/parse::parse_u64',
    ]);
    expect(get(byId, 'cargo-bench/hashmap_insert_1000')).toMatchObject({ unit: 'ns', direction: 'lower', rounds: [24786.13], samples: [] });
    expect(get(byId, 'cargo-bench/vec_sum (MB/s)')).toMatchObject({ unit: 'MB/s', direction: 'higher', rounds: [56013] });
    expect(notices.join('\n')).toMatch(/5 benchmark\(s\) have a single round/);
  });

  it("names suites after the bench targets when cargo's stderr was captured", () => {
    const { byId } = run('cargo-bench', 'cargo-bench-with-stderr.txt');
    expect([...byId.keys()]).toEqual(['hashing/hashmap_insert_1000', 'hashing/string_format', 'hashing/vec_sum', 'hashing/vec_sum (MB/s)', 'parse/parse::parse_u64']);
    expect(get(byId, 'hashing/hashmap_insert_1000').rounds).toEqual([31469.93]);
  });

  it('reads Criterion bencher output with custom units, and several runs as rounds', () => {
    const text = 'test cmov ... bench:        2835 cycles/iter (+/- 14)\n\ntest upload ... bench:        1911 MS/s (+/- 420)\ntest Fib 20 ... bench:   1,672,496 ns/iter (+/- 10166)\n';
    const r = ingest('cargo-bench', [{ path: 'a.txt', text }, { path: 'b.txt', text }], meta);
    expect(r.benchmarks.map((b) => [b.id, b.unit, b.direction, b.rounds])).toEqual([
      ['cargo-bench/cmov', 'cycles', 'lower', [2835, 2835]],
      ['cargo-bench/upload', 'MS/s', 'higher', [1911, 1911]],
      ['cargo-bench/Fib 20', 'ns', 'lower', [1672496, 1672496]],
    ]);
  });

  it('names the line of malformed input', () => {
    expect(bad('cargo-bench', 'running 1 test\ntest a ... bench:  12 ns/iter (+/- 1)\ntest b ... bench:  twelve ns/iter (+/- 1)\n')).toBe(
      'bad-input: line 3: expected "test NAME ... bench: VALUE UNIT/iter (+/- DEVIATION)", got "test b ... bench:  twelve ns/iter (+/- 1)"',
    );
    expect(bad('cargo-bench', 'running 0 tests\n')).toMatch(/^bad-input: expected bencher lines/);
  });
});

describe('cargo-criterion JSON lines', () => {
  it('turns each Criterion sample into a per-iteration round', () => {
    const { results, byId, notices } = run('cargo-criterion', 'cargo-criterion.jsonl');
    expect(notices).toEqual([]);
    expect(results.benchmarks.map((b) => b.id)).toEqual(['criterion/fibonacci/fib 20', 'criterion/fibonacci/fib 25', 'criterion/parse u64']);
    const fib = get(byId, 'criterion/fibonacci/fib 20');
    expect(fib).toMatchObject({ unit: 'ns', direction: 'lower' });
    expect(fib.rounds).toHaveLength(10);
    expect(fib.rounds[0]).toBeCloseTo(504077 / 19, 6);
    expect(get(byId, 'criterion/parse u64').rounds).toHaveLength(12);
    expect(get(byId, 'criterion/parse u64').rounds[0]).toBeCloseTo(18.146723636363635, 9);
  });

  it('falls back to the median estimate without measured values', () => {
    const line = JSON.stringify({ reason: 'benchmark-complete', id: 'x', unit: 'ns', median: { estimate: 1.5, lower_bound: 1.4, upper_bound: 1.6, unit: 'us' } });
    const out = ingestDetailed('criterion', [{ path: 'c.jsonl', text: `${line}\n` }], meta);
    expect(out.results.benchmarks[0]).toMatchObject({ id: 'criterion/x', unit: 'ns', rounds: [1500] });
    expect(out.notices[0]).toMatch(/the median estimate; no measured_values/);
  });

  it('names the line and field of malformed input', () => {
    const good = JSON.stringify({ reason: 'group-complete', group_name: 'g', benchmarks: [] });
    const lengths = JSON.stringify({ reason: 'benchmark-complete', id: 'x', unit: 'ns', measured_values: [1, 2], iteration_count: [1] });
    expect(bad('cargo-criterion', `${good}\n${lengths}\n`)).toBe('bad-input: line 2: iteration_count: expected 2 counts (one per measured value), got 1');
    const value = JSON.stringify({ reason: 'benchmark-complete', id: 'x', unit: 'ns', measured_values: [1, 'x'], iteration_count: [1, 2] });
    expect(bad('cargo-criterion', value)).toBe('bad-input: line 1: measured_values[1]: expected a number, got "x"');
    expect(bad('cargo-criterion', `${good}\n{"reason": "benchmark-complete",\n`)).toMatch(/^bad-input: line 2, column \d+: not valid JSON/);
    expect(bad('cargo-criterion', `${good}\n`)).toMatch(/^bad-input: expected at least one \{"reason":"benchmark-complete"/);
  });
});

describe('BenchmarkDotNet', () => {
  it('keeps Workload/Result iterations as rounds and metrics with their declared direction', () => {
    const { results, byId } = run('benchmarkdotnet', 'benchmarkdotnet-report-full.json');
    const suite = 'Perfgate.Fixtures.HashBenchmarks';
    const sha = get(byId, `${suite}/Sha256(N=1000) [.NET 8.0(Runtime=.NET 8.0)]`); // two jobs: told apart
    expect(sha).toMatchObject({ unit: 'ns', direction: 'lower', status: 'ok', batch: 262144 });
    expect(sha.rounds).toHaveLength(15);
    expect(sha.rounds[0]).toBeCloseTo(638030120.28 / 262144, 6);
    expect(get(byId, `${suite}/Md5(N=1000) [.NET 9.0(Runtime=.NET 9.0)]`).rounds).toHaveLength(14);
    expect(get(byId, `${suite}/Sha256(N=1000) [.NET 8.0(Runtime=.NET 8.0)] (Allocated)`)).toMatchObject({ unit: 'B', direction: 'lower', rounds: [112] });
    expect(get(byId, `${suite}/Sha256(N=1000) [.NET 8.0(Runtime=.NET 8.0)] (Gen0)`)).toMatchObject({ unit: 'Count', direction: 'lower' });
    expect(get(byId, `${suite}/Crc32(N=1000)`)).toMatchObject({ status: 'failed', rounds: [] });
    expect(results.benchmarks).toHaveLength(13);
  });

  it('reads the brief exporter (Statistics.OriginalValues) and Memory without Metrics', () => {
    const doc = {
      Benchmarks: [
        {
          Namespace: 'N', Type: 'T', Method: 'M', MethodTitle: 'M', Parameters: '',
          Statistics: { OriginalValues: [10, 11, 12], N: 3, Median: 11 },
          Memory: { BytesAllocatedPerOperation: 24 },
        },
      ],
    };
    const r = ingest('bdn', [{ path: 'b.json', text: JSON.stringify(doc) }], meta);
    expect(r.benchmarks.map((b) => [b.id, b.unit, b.rounds])).toEqual([
      ['N.T/M', 'ns', [10, 11, 12]],
      ['N.T/M (Allocated)', 'B', [24]],
    ]);
  });

  it('names the field of malformed input', () => {
    const doc = { Benchmarks: [{ Type: 'T', Method: 'M', Statistics: {}, Measurements: [{ IterationMode: 'Workload', IterationStage: 'Result', Operations: 8, Nanoseconds: 'slow' }] }] };
    expect(bad('benchmarkdotnet', JSON.stringify(doc))).toBe('bad-input: Benchmarks[0].Measurements[0].Nanoseconds: expected a number, got "slow"');
    expect(bad('benchmarkdotnet', JSON.stringify({ Benchmarks: [{ Method: 'M' }] }))).toBe('bad-input: Benchmarks[0].Type: expected a non-empty string, got nothing');
  });
});

describe('github-action-benchmark custom JSON', () => {
  it('customSmallerIsBetter: lower is better unless an entry says biggerIsBetter; time units become ns', () => {
    const { byId } = run('customSmallerIsBetter', 'custom-smaller-is-better.json');
    expect([...byId.values()].map((b) => [b.id, b.unit, b.direction, b.rounds])).toEqual([
      ['custom/parse config - cold', 'ns', 'lower', [12.8e6]],
      ['custom/parse config - warm', 'ns', 'lower', [850.5e3]],
      ['custom/bundle size', 'KB', 'lower', [142.3]],
      ['custom/requests served', 'req/s', 'higher', [18250]],
    ]);
  });

  it('customBiggerIsBetter: higher is better unless an entry says otherwise', () => {
    const { byId } = run('customBiggerIsBetter', 'custom-bigger-is-better.json');
    expect([...byId.values()].map((b) => [b.id, b.unit, b.direction, b.rounds])).toEqual([
      ['custom/api throughput', 'req/s', 'higher', [4210]],
      ['custom/cache hit ratio', '%', 'higher', [97.5]],
      ['custom/cold start', 'ns', 'lower', [1.25e9]],
    ]);
  });

  it('names the field of malformed input', () => {
    expect(bad('customSmallerIsBetter', '[{"name": "a", "value": 1, "unit": "ms"}, {"name": "b", "value": "1.5", "unit": "ms"}]')).toBe(
      'bad-input: [1].value: expected a number, got "1.5"',
    );
    expect(bad('customBiggerIsBetter', '[{"name": "a", "value": 1, "unit": "ms", "biggerIsBetter": "yes"}]')).toBe(
      'bad-input: [0].biggerIsBetter: expected true or false, got "yes"',
    );
    expect(bad('customBiggerIsBetter', '{"name": "a"}')).toBe('bad-input: (root): expected an array, got an object');
  });
});

describe('vitest bench', () => {
  it('takes one round per file (the median, in ns) and merges repeated runs', () => {
    const { results, byId, notices } = run('vitest', 'vitest-bench.json');
    expect(results.benchmarks.map((b) => b.id)).toEqual([
      'sort.bench.ts/JSON round trip',
      'sort.bench.ts > sort/Array.prototype.sort',
      'sort.bench.ts > sort/typed array sort',
    ]);
    const sort = get(byId, 'sort.bench.ts > sort/Array.prototype.sort');
    expect(sort).toMatchObject({ suite: 'sort.bench.ts > sort', name: 'Array.prototype.sort', unit: 'ns', direction: 'lower', samples: [] });
    expect(sort.rounds).toHaveLength(1);
    expect(sort.rounds[0]).toBeCloseTo(0.1153110000000197 * 1e6, 6);
    expect(notices[0]).toMatch(/^3 benchmark\(s\) have a single round \(the median of one vitest run\)/);

    const twice = run('vitest', 'vitest-bench.json', 'vitest-bench.json');
    expect(get(twice.byId, 'sort.bench.ts > sort/typed array sort').rounds).toHaveLength(2);
    expect(twice.notices).toEqual([]);
  });

  it('names the field of malformed input', () => {
    const doc = { files: [{ filepath: 'a.bench.ts', groups: [{ fullName: 'a.bench.ts', benchmarks: [{ name: 'x', median: 'fast' }] }] }] };
    expect(bad('vitest', JSON.stringify(doc))).toBe('bad-input: files[0].groups[0].benchmarks[0].median: expected a number, got "fast"');
    expect(bad('vitest', '{"testResults": []}')).toBe('bad-input: files: expected an array, got nothing');
  });
});

describe('tinybench', () => {
  it('reads the tasks dump: median latency in ns, errored tasks failed', () => {
    const { byId } = run('tinybench', 'tinybench-tasks.json');
    const sort = get(byId, 'tinybench/sort copy');
    expect(sort).toMatchObject({ unit: 'ns', direction: 'lower', status: 'ok', samples: [] });
    expect(sort.rounds[0]).toBeCloseTo(0.014400999999907071 * 1e6, 6);
    expect(get(byId, 'tinybench/reduce sum').rounds[0]).toBeCloseTo(0.00010999999994965037 * 1e6, 6);
    expect(get(byId, 'tinybench/throws')).toMatchObject({ status: 'failed', error: 'tinybench reported: errored' });
  });

  it('keeps retained samples and takes the suite from the wrapper name', () => {
    const { byId } = run('tinybench', 'tinybench-samples.json');
    const sort = get(byId, 'arrays/sort copy');
    expect(sort.samples).toHaveLength(40);
    expect(sort.rounds).toEqual([expect.closeTo(0.01787649999999985 * 1e6, 6)]);
    expect(sort.stats?.n).toBe(40);
  });

  it('reads bench.table()', () => {
    const { byId } = run('tinybench', 'tinybench-table.json');
    expect(get(byId, 'tinybench/sort copy').rounds).toEqual([14222]);
    expect(get(byId, 'tinybench/reduce sum').rounds).toEqual([110]);
    expect(get(byId, 'tinybench/throws')).toMatchObject({ status: 'failed', error: 'tinybench reported: boom' });
  });

  it('names the field of malformed input', () => {
    expect(bad('tinybench', '[{"name": "a", "result": {"state": "completed", "latency": {"p50": "x"}}}]')).toBe(
      'bad-input: [0].result.latency.p50: expected a number, got "x"',
    );
    expect(bad('tinybench', '[{"Task name": "a", "Latency med (ns)": "n/a"}]')).toBe(
      'bad-input: [0]["Latency med (ns)"]: expected a number such as "14241 ± 121.00", got "n/a"',
    );
    expect(bad('tinybench', '{"name": "b"}')).toBe('bad-input: tasks: expected an array, got nothing');
  });
});

describe('building the document', () => {
  it('keeps at most MAX_SAMPLES samples and rounds, evenly, and says so', () => {
    const times = Array.from({ length: MAX_SAMPLES * 2 + 1 }, (_, i) => (i + 1) / 1e6);
    const text = JSON.stringify({ results: [{ command: 'x', times }] });
    const out = ingestDetailed('hyperfine', [{ path: 'big.json', text }], meta);
    const b = out.results.benchmarks[0];
    expect(b.samples).toHaveLength(MAX_SAMPLES);
    expect(b.rounds).toHaveLength(MAX_SAMPLES);
    expect(b.stats?.n).toBe(MAX_SAMPLES * 2 + 1); // statistics use every value
    expect(b.samples[0]).toBeCloseTo(1000, 6);
    expect(out.notices.join('\n')).toMatch(/kept 2000 evenly spread values/);
  });

  it('refuses one id with two units', () => {
    const a = '[{"name": "x", "value": 1, "unit": "ms"}]';
    const b = '[{"name": "x", "value": 1, "unit": "KB"}]';
    expect(() => ingest('customSmallerIsBetter', [{ path: 'a.json', text: a }, { path: 'b.json', text: b }], meta)).toThrow(
      'b.json: benchmark "custom/x" is in KB (lower is better) here but in ns (lower is better) earlier; one id must keep one unit and direction',
    );
  });

  it('summarises with a distribution-free CI of the median', () => {
    const s = summarize([5, 1, 4, 2, 3, 6, 7, 8, 9, 10]);
    expect(s).toMatchObject({ n: 10, mean: 5.5, median: 5.5, min: 1, max: 10 });
    // n = 10: the order statistics 2 and 9 cover the median with 97.9% confidence (1 and 10 would be wider, 3 and 8 too narrow).
    expect(s?.ci95).toEqual([2, 9]);
    expect(summarize([3])).toMatchObject({ n: 1, sd: 0, ci95: [3, 3] });
  });

  it('is an IngestError with file and place', () => {
    try {
      ingest('hyperfine', [{ path: 'f.json', text: '{"results": [1]}' }], meta);
    } catch (error) {
      expect(error).toBeInstanceOf(IngestError);
      expect(error).toMatchObject({ file: 'f.json', where: 'results[0]' });
      return;
    }
    throw new Error('expected an error');
  });
});

describe('readAndIngest', () => {
  it('reads files and ingests them', async () => {
    const out = await readAndIngest('hyperfine', [join(FIXTURES, 'hyperfine.json')], meta);
    expect(out.results.benchmarks).toHaveLength(2);
  });

  it('names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-ingest-'));
    writeFileSync(join(dir, 'ok.json'), readFileSync(join(FIXTURES, 'hyperfine.json')));
    await expect(readAndIngest('hyperfine', [join(dir, 'ok.json'), join(dir, 'missing.json')], meta)).rejects.toThrow(
      `cannot read hyperfine output ${join(dir, 'missing.json')}: no such file`,
    );
  });
});
