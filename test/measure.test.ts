// Measure stage, the parts that need no child process: discovery, results assembly, leak and
// disturbance rules, machine fingerprint.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compare } from '../src/compare/index.ts';
import { machineFingerprint, machineInfo } from '../src/machine.ts';
import {
  type RoundResult,
  aggregateLoad,
  buildResults,
  discoverSuites,
  harnessPath,
  leakSuspected,
  loaderArgs,
  pinCore,
  stealPercent,
  suiteNameFromFile,
} from '../src/measure/index.ts';
import type { TaskOutput } from '../src/measure/protocol.ts';
import { inRoundLeak, warmupBounds, warmupSettled } from '../src/measure/sampler.ts';
import { DEFAULTS } from '../src/options.ts';
import { thin, theilSenSlope, spearmanWithIndex } from '../src/measure/stats.ts';
import { MAX_SAMPLES, type Load, machineSchema, parseResults } from '../src/schema/results.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test/fixtures/suites');

describe('discoverSuites', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-discover-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  for (const f of ['bench/b.bench.ts', 'bench/a.bench.js', 'bench/sub/c.bench.mjs', 'bench/notes.md', 'node_modules/pkg/bench/x.bench.js', 'bench/node_modules/y.bench.ts', 'other/d.bench.ts']) {
    mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
    writeFileSync(path.join(tmp, f), '');
  }

  it('uses the default pattern, sorts, and ignores node_modules', async () => {
    expect(await discoverSuites(tmp, [])).toEqual(['bench/a.bench.js', 'bench/b.bench.ts', 'bench/sub/c.bench.mjs']);
    expect(await discoverSuites(tmp, ['**/*.bench.ts'])).toEqual(['bench/b.bench.ts', 'other/d.bench.ts']);
  });

  it('accepts plain paths and folders, deduplicated', async () => {
    expect(await discoverSuites(tmp, ['other/d.bench.ts', 'bench/*.bench.ts', './other/d.bench.ts'])).toEqual(['bench/b.bench.ts', 'other/d.bench.ts']);
    expect(await discoverSuites(tmp, ['bench/sub'])).toEqual(['bench/sub/c.bench.mjs']);
    expect(await discoverSuites(tmp, ['bench/**/*.bench.*', '!bench/sub/**'])).toEqual(['bench/a.bench.js', 'bench/b.bench.ts']);
  });

  it('fails when one of several globs matches nothing (a typo must not drop suites silently)', async () => {
    await expect(discoverSuites(tmp, ['bench/*.bench.ts', 'bnech/*.bench.ts'])).rejects.toThrow(/No suite files match "bnech\/\*\.bench\.ts"/);
  });

  it('names a missing file and where it looked', async () => {
    await expect(discoverSuites(tmp, ['bench/missing.bench.ts'])).rejects.toThrow(
      `Suite file "bench/missing.bench.ts" does not exist (looked in ${tmp}). Check the suites option or the path.`,
    );
  });

  it('names the patterns and the folder when a glob matches nothing', async () => {
    const err = await discoverSuites(tmp, ['perf/**/*.bench.ts', 'x/*.js']).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('"perf/**/*.bench.ts", "x/*.js"');
    expect((err as Error).message).toContain(tmp);
  });

  it('finds the fixture suites', async () => {
    const found = await discoverSuites(fixtures, ['**/*.bench.{ts,js,mjs}']);
    expect(found).toContain('basic/basic.bench.mjs');
    expect(found).toContain('ts/typed.bench.ts');
    expect([...found].sort()).toEqual(found);
  });
});

describe('names and loaders', () => {
  it('derives suite names from files', () => {
    expect(suiteNameFromFile('bench/parse.bench.ts')).toBe('parse');
    expect(suiteNameFromFile('bench/cache.bench.mjs')).toBe('cache');
    expect(suiteNameFromFile('x/y/z.js')).toBe('z');
  });

  it('pins suite processes to a core only when PERFGATE_CPU asks for it', () => {
    const saved = process.env.PERFGATE_CPU;
    try {
      delete process.env.PERFGATE_CPU;
      expect(pinCore()).toBeNull();
      process.env.PERFGATE_CPU = 'none';
      expect(pinCore(true)).toBeNull();
      process.env.PERFGATE_CPU = 'auto';
      const core = pinCore();
      expect(core === null || Number.isInteger(core)).toBe(true); // null without taskset or off Linux
      if (core !== null) {
        process.env.PERFGATE_CPU = String(core);
        expect(pinCore()).toBe(core);
      }
    } finally {
      if (saved === undefined) delete process.env.PERFGATE_CPU;
      else process.env.PERFGATE_CPU = saved;
    }
  });

  it('runs the harness from source under vitest, with a TypeScript loader', () => {
    expect(harnessPath()).toBe(path.join(root, 'src/measure/harness.ts'));
    const l = loaderArgs(root, path.join(fixtures, 'ts/typed.bench.ts'));
    expect('args' in l).toBe(true);
  });
});

function task(name: string, samples: number[], extra: Partial<TaskOutput> = {}): TaskOutput {
  const s = [...samples].sort((a, b) => a - b);
  return { name, samples, median: s[Math.floor(s.length / 2)], batch: 10, calls: samples.length * 10, async: false, samplingMs: 100, involuntarySwitches: 1, ...extra };
}

function round(tasks: TaskOutput[], extra: Partial<RoundResult> = {}): RoundResult {
  return { suiteFile: 'bench/s.bench.ts', suite: 's', tasks, wallMs: 500, rusage: { maxRssBytes: 50e6, involuntaryContextSwitches: 10, voluntaryContextSwitches: 5 }, ...extra };
}

describe('buildResults', () => {
  const machine = machineInfo();

  it('keeps per-round medians in rounds, summarizes raw samples, bounds samples', () => {
    const big = Array.from({ length: 1500 }, (_, i) => 100 + (i % 7));
    const res = buildResults({
      suites: [
        {
          file: 'bench/s.bench.ts',
          rounds: [
            round([task('a', big, { heapRetainedBytes: 100, heapAfterBytes: 5e6, leakInRound: false }), task('b', [1, 2, 3])]),
            round([task('a', big.map((v) => v + 10), { heapRetainedBytes: 300, heapAfterBytes: 5e6, leakInRound: false }), task('b', [], { error: 'Error: nope (at x.js:1:1)' })], {
              rusage: { maxRssBytes: 70e6, involuntaryContextSwitches: 1, voluntaryContextSwitches: 1 },
            }),
          ],
        },
      ],
      clock: 'wall',
      startedAt: new Date().toISOString(),
      machine,
    });
    const parsed = parseResults(JSON.parse(JSON.stringify(res)), 'built');
    const a = parsed.benchmarks.find((b) => b.id === 's/a');
    expect(a?.status).toBe('ok');
    expect(a?.rounds).toEqual([103, 113]);
    expect(a?.samples.length).toBe(MAX_SAMPLES);
    expect(a?.stats?.n).toBe(3000);
    expect(a?.memory?.heapRetainedBytes).toBe(200);
    expect(a?.memory?.peakRssBytes).toBe(70e6);
    expect(a?.memory?.leakSuspected).toBe(false);
    expect(a?.unit).toBe('ns');
    expect(a?.direction).toBe('lower');
    const b = parsed.benchmarks.find((x) => x.id === 's/b');
    expect(b?.status).toBe('failed');
    expect(b?.error).toBe('Error: nope (at x.js:1:1) (round 2 of 2)');
    expect(b?.rounds).toEqual([2]);
    expect(parsed.disturbance?.involuntaryContextSwitches).toBe(4);
    expect(parsed.disturbance?.warning).toBeUndefined();
  });

  it('records a suite that never reported tasks as suite/(suite)', () => {
    const res = buildResults({
      suites: [{ file: 'bench/boom.bench.ts', rounds: [round([], { suite: 'boom', error: 'Suite bench/boom.bench.ts exited with code 3 before reporting results.' })] }],
      clock: 'wall',
      startedAt: new Date().toISOString(),
      machine,
    });
    expect(res.benchmarks).toHaveLength(1);
    expect(res.benchmarks[0]).toMatchObject({ id: 'boom/(suite)', status: 'failed' });
    expect(res.benchmarks[0].error).toContain('code 3');
  });

  it('maps perfgate metadata and rejects bad metadata with a message naming the field', () => {
    const meta = { tasks: { a: { group: 'parse', impl: 'rust', sla: [{ metric: 'p95', max: 1000 }] } } };
    const ok = buildResults({ suites: [{ file: 'bench/s.bench.ts', rounds: [round([task('a', [5])], { meta })] }], clock: 'wall', startedAt: '', machine });
    expect(ok.benchmarks[0]).toMatchObject({ group: 'parse', impl: 'rust', sla: [{ metric: 'p95', max: 1000 }], status: 'ok' });
    const bad = buildResults({
      suites: [{ file: 'bench/s.bench.ts', rounds: [round([task('a', [5])], { meta: { tasks: { a: { sla: [{ metric: 'speed' }] } } } })] }],
      clock: 'wall',
      startedAt: '',
      machine,
    });
    expect(bad.benchmarks[0].status).toBe('failed');
    expect(bad.benchmarks[0].error).toContain('perfgate.tasks.a.sla.0.metric');
  });

  it('disambiguates suites with the same name by their path', () => {
    const res = buildResults({
      suites: [
        { file: 'bench/a/x.bench.ts', rounds: [round([task('t', [1])], { suite: 'x' })] },
        { file: 'bench/b/x.bench.ts', rounds: [round([task('t', [1])], { suite: 'x' })] },
      ],
      clock: 'wall',
      startedAt: '',
      machine,
    });
    expect(res.benchmarks.map((b) => b.id)).toEqual(['bench/a/x/t', 'bench/b/x/t']);
  });

  it('warns when the measuring thread was preempted often, and reports steal', () => {
    const busy = task('a', [1, 2, 3], { involuntarySwitches: 500, samplingMs: 1000 });
    const res = buildResults({
      suites: [{ file: 'bench/s.bench.ts', rounds: [round([busy])] }],
      clock: 'cpu',
      startedAt: '',
      machine,
      cpuBefore: { steal: 0, total: 1000 },
      cpuAfter: { steal: 100, total: 2000 },
    });
    expect(res.disturbance?.involuntaryContextSwitches).toBe(500);
    expect(res.disturbance?.stealPercent).toBe(10);
    expect(res.disturbance?.warning).toMatch(/preempted 500 times/);
    expect(res.disturbance?.warning).toMatch(/10% CPU steal/);
  });

  it('aggregates the load metrics each round reported: sums, overall success rate, medians', () => {
    const l = (requests: number, errors: number, throughput: number, p95: number): Load => ({
      users: 5,
      durationMs: 200,
      requests,
      errors,
      throughput,
      successRate: (requests - errors) / requests,
      latencyMs: { p50: p95 / 2, p95, p99: p95 * 2, mean: p95 / 2 },
    });
    const agg = aggregateLoad([l(100, 0, 500, 10), l(300, 30, 1350, 30), l(200, 10, 950, 20)])!;
    expect(agg).toEqual({
      users: 5,
      durationMs: 600,
      requests: 600,
      errors: 40,
      throughput: 950,
      successRate: 560 / 600,
      latencyMs: { p50: 10, p95: 20, p99: 40, mean: 10 },
    });
    expect(aggregateLoad([])).toBeUndefined();
    expect(aggregateLoad([{ ...l(1, 1, 0, 0), requests: 0, errors: 0, successRate: 0 }])!.successRate).toBe(0);
  });

  it('reads load metrics from every round, and an SLA on them is graded broken or met', () => {
    const sla = (min: number) => [{ metric: 'successRate' as const, min }, { metric: 'latencyP95Ms' as const, max: 25 }, { metric: 'throughput' as const, min: 900 }];
    const load = (errors: number, throughput: number, p95: number): Load => ({
      users: 5,
      durationMs: 200,
      requests: 1000,
      errors,
      throughput,
      successRate: (1000 - errors) / 1000,
      latencyMs: { p50: 1, p95, p99: p95 + 1, mean: 2 },
    });
    const meta = (loads: [Load, Load]) => ({ suite: 'load', tasks: { ok: { sla: sla(0.99), load: loads[0] }, bad: { sla: sla(0.99), load: loads[1] } } });
    const rounds = [
      round([task('ok', [5]), task('bad', [5])], { suite: 'load', meta: meta([load(0, 1000, 20), load(30, 970, 20)]) }),
      round([task('ok', [6]), task('bad', [6])], { suite: 'load', meta: meta([load(5, 950, 22), load(40, 960, 24)]) }),
      round([task('ok', [7]), task('bad', [7])], { suite: 'load', meta: meta([load(2, 990, 24), load(20, 980, 30)]) }),
    ];
    const res = parseResults(JSON.parse(JSON.stringify(buildResults({ suites: [{ file: 'bench/load.bench.ts', rounds }], clock: 'wall', startedAt: '', machine }))), 'built');
    const ok = res.benchmarks.find((b) => b.id === 'load/ok')!;
    const bad = res.benchmarks.find((b) => b.id === 'load/bad')!;
    expect(ok.status).toBe('ok');
    expect(ok.load).toEqual({ users: 5, durationMs: 600, requests: 3000, errors: 7, throughput: 990, successRate: 2993 / 3000, latencyMs: { p50: 1, p95: 22, p99: 23, mean: 2 } });
    expect(bad.load).toMatchObject({ requests: 3000, errors: 90, successRate: 0.97, throughput: 970, latencyMs: { p95: 24 } });
    const c = compare({ base: null, head: res, thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'none' });
    const cOk = c.benchmarks.find((b) => b.id === 'load/ok')!;
    const cBad = c.benchmarks.find((b) => b.id === 'load/bad')!;
    expect(cOk).toMatchObject({ verdict: 'new', sla: { met: true } });
    expect(cOk.sla!.detail).toContain('latency p95 22 ms ≤ max 25 ms');
    expect(cBad).toMatchObject({ verdict: 'critical', grade: 'F', sla: { met: false } });
    expect(cBad.sla!.detail).toMatch(/^success rate 97(\.00)?% < min 99(\.00)?%/);
    expect(c.gate.failed).toBe(true);
    // A failed round's load does not count; a bad load object names the field.
    const failedRound = round([task('ok', [], { error: 'Error: x' }), task('bad', [5])], { suite: 'load', meta: meta([load(900, 1, 999), load(0, 1, 1)]) });
    const partial = buildResults({ suites: [{ file: 'bench/load.bench.ts', rounds: [rounds[0], failedRound] }], clock: 'wall', startedAt: '', machine });
    expect(partial.benchmarks.find((b) => b.id === 'load/ok')!.load!.requests).toBe(1000);
    const broken = buildResults({
      suites: [{ file: 'bench/load.bench.ts', rounds: [round([task('ok', [5])], { meta: { tasks: { ok: { load: { users: 0 } } } } })] }],
      clock: 'wall',
      startedAt: '',
      machine,
    });
    expect(broken.benchmarks[0].status).toBe('failed');
    expect(broken.benchmarks[0].error).toContain('perfgate.tasks.ok.load.');
  });

  it('uses instructions as the unit of the instructions clock', () => {
    const res = buildResults({ suites: [{ file: 'bench/s.bench.ts', rounds: [round([task('a', [1000])])] }], clock: 'instructions', startedAt: '', machine });
    expect(res.benchmarks[0].unit).toBe('instructions');
  });
});

describe('leak and helper rules', () => {
  it('in-round: steady rise of at least 1 MiB, still rising at the end', () => {
    const M = 1024 * 1024;
    expect(inRoundLeak([10 * M, 11 * M, 12 * M, 13 * M, 14 * M])).toBe(true);
    expect(inRoundLeak([10 * M, 10.1 * M, 10.2 * M, 10.3 * M, 10.4 * M])).toBe(false); // < 1 MiB
    expect(inRoundLeak([10 * M, 14 * M, 14.001 * M, 14.002 * M, 14.003 * M])).toBe(false); // plateau
    expect(inRoundLeak([10 * M, 12 * M, 11 * M, 13 * M, 14 * M])).toBe(false); // not monotone
  });

  it('warmup stops after two blocks of 5 batches without more than 3% improvement', () => {
    const flat = (v: number) => [v, v, v, v, v];
    expect(warmupSettled([...flat(10), ...flat(10), ...flat(10)])).toBe(true);
    expect(warmupSettled([...flat(10), ...flat(10), ...flat(10), 10])).toBe(false); // only at the end of a block
    expect(warmupSettled([...flat(10), ...flat(10)])).toBe(false); // too few blocks
    expect(warmupSettled([...flat(20), ...flat(10), ...flat(10)])).toBe(false); // the block before still improved
    expect(warmupSettled([...flat(10), ...flat(10), ...flat(9.6)])).toBe(false); // still 4% better
    expect(warmupSettled([...flat(30), ...flat(20), ...flat(10), ...flat(10.2), ...flat(9.9)])).toBe(true); // within 3%
    expect(warmupSettled([10, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 10, 9, 10, 10])).toBe(true); // noise, no trend
    expect(warmupBounds(200)).toEqual({ warmupMs: 100, warmupMaxMs: 1000 });
    expect(warmupBounds(20)).toEqual({ warmupMs: 10, warmupMaxMs: 100 });
    expect(warmupBounds(20, 300)).toEqual({ warmupMs: 300, warmupMaxMs: 300 });
  });

  it('suspects a leak from half the rounds, or a significant climb across rounds', () => {
    const M = 1024 * 1024;
    expect(leakSuspected([true, false, true, false], [])).toBe(true);
    expect(leakSuspected([true, false, false, false], [])).toBe(false);
    expect(leakSuspected([false, false, false, false], [10 * M, 11 * M, 12 * M, 13 * M, 14 * M])).toBe(true);
    expect(leakSuspected([], [10 * M, 10 * M + 10, 10 * M + 20, 10 * M + 30])).toBe(false); // tiny growth
    expect(leakSuspected([], [10 * M, 14 * M, 9 * M, 13 * M, 10 * M])).toBe(false); // no trend
  });

  it('thins evenly and keeps ends', () => {
    const v = Array.from({ length: 10 }, (_, i) => i);
    expect(thin(v, 4)).toEqual([0, 3, 6, 9]);
    expect(thin(v, 20)).toEqual(v);
    expect(theilSenSlope([1, 3, 5, 7])).toBe(2);
    expect(spearmanWithIndex([1, 2, 3, 4])).toBeCloseTo(1);
    expect(stealPercent({ steal: 5, total: 100 }, { steal: 6, total: 300 })).toBe(0.5);
  });
});

describe('machineInfo', () => {
  it('is valid and its fingerprint is stable', () => {
    const a = machineInfo();
    const b = machineInfo();
    expect(machineSchema.parse(a)).toEqual(a);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(b.fingerprint).toBe(a.fingerprint);
  });

  it('ignores hostname and Node version, and rounds memory to GiB', () => {
    const base = { platform: 'linux', arch: 'x64', cpuModel: 'AMD EPYC 7763 64-Core Processor', cores: 4, memoryBytes: 16 * 1024 ** 3 };
    expect(machineFingerprint({ ...base, memoryBytes: 16 * 1024 ** 3 - 123456 })).toBe(machineFingerprint(base));
    expect(machineFingerprint({ ...base, cores: 2 })).not.toBe(machineFingerprint(base));
    expect(machineFingerprint({ ...base, cpuModel: 'Intel Xeon' })).not.toBe(machineFingerprint(base));
  });
});
