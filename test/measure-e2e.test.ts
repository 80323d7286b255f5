// Measure stage end to end: real child processes running the fixture suites in
// test/fixtures/suites. Budgets are tiny (20 ms per task, 2 rounds); no assertion here depends on a
// duration (the sampler's exact figures, on a virtual clock, are in test/sampler-clock.test.ts).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compare } from '../src/compare/index.ts';
import { measure, runSuiteRound } from '../src/measure/index.ts';
import { DEFAULTS } from '../src/options.ts';
import { MAX_SAMPLES, loadSchema, parseResults } from '../src/schema/results.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fx = (p: string): string => `test/fixtures/suites/${p}`;

describe('measure (end to end)', () => {
  it('measures JS, TypeScript, unchanged-tinybench and hook suites into valid results', async () => {
    const progress: string[] = [];
    const res = await measure({
      cwd: root,
      suites: [fx('basic/basic.bench.mjs'), fx('ts/typed.bench.ts'), fx('plain/*.bench.mjs'), fx('hooks/hooks.bench.mjs')],
      rounds: 2,
      clock: 'wall',
      suiteTimeout: 60,
      taskTimeMs: 20,
      commit: 'abc123',
      onProgress: (e) => progress.push(`${e.suite}#${e.round}/${e.rounds}`),
    });
    const r = parseResults(JSON.parse(JSON.stringify(res)), 'measured');
    expect(r.commit).toBe('abc123');
    expect(r.clock).toBe('wall');
    expect(progress).toHaveLength(8);
    const by = new Map(r.benchmarks.map((b) => [b.id, b]));
    expect([...by.keys()].sort()).toEqual(
      ['basic/array sum', 'basic/async sleep', 'basic/throws', 'basic/tiny add', 'hooks/cheap with slow hooks', 'plain/json roundtrip', 'typed/sum points'].sort(),
    );
    for (const id of ['basic/array sum', 'basic/async sleep', 'basic/tiny add', 'typed/sum points', 'plain/json roundtrip', 'hooks/cheap with slow hooks']) {
      const b = by.get(id)!;
      expect(b.status, `${id}: ${b.error}`).toBe('ok');
      expect(b.rounds).toHaveLength(2);
      expect(b.rounds.every((v) => v > 0)).toBe(true);
      expect(b.samples.length).toBeGreaterThan(0);
      expect(b.samples.length).toBeLessThanOrEqual(MAX_SAMPLES);
      expect(b.stats?.n).toBeGreaterThanOrEqual(b.samples.length);
      expect(b.unit).toBe('ns');
      expect(b.direction).toBe('lower');
      expect(b.memory?.peakRssBytes).toBeGreaterThan(0);
      expect(typeof b.memory?.heapRetainedBytes).toBe('number');
      expect(b.memory?.heapAfterRounds).toHaveLength(2);
    }
    // Sub-microsecond work is batched (the exact per-call figures: test/sampler-clock.test.ts).
    expect(by.get('basic/tiny add')!.batch).toBeGreaterThan(1);
    // A task that throws is failed with its message; its siblings are fine.
    const thrown = by.get('basic/throws')!;
    expect(thrown.status).toBe('failed');
    expect(thrown.error).toContain('Error: boom in task');
    expect(thrown.error).not.toContain('second line');
    expect(thrown.error).toContain('basic.bench.mjs');
    // Metadata maps onto the benchmark.
    expect(by.get('basic/array sum')).toMatchObject({ group: 'sum', impl: 'js', sla: [{ metric: 'value', max: 1e9 }] });
    // The hooks ran around every call (the task throws otherwise, and its status is ok above); that
    // they stay outside the timed interval is shown exactly on a virtual clock in
    // test/sampler-clock.test.ts.
    expect(r.disturbance?.involuntaryContextSwitches).toBeGreaterThanOrEqual(0);
  });

  it('records a crashing and a hanging suite as failed while another suite runs fine', async () => {
    const res = await measure({
      cwd: root,
      suites: [fx('crash/exits.bench.mjs'), fx('hang/hangs.bench.mjs'), fx('ts/typed.bench.ts')],
      rounds: 2,
      clock: 'wall',
      suiteTimeout: 6, // the hanging suite is killed at this; room for the TypeScript suite's rounds on a loaded runner
      taskTimeMs: 20,
    });
    const r = parseResults(JSON.parse(JSON.stringify(res)), 'measured');
    const by = new Map(r.benchmarks.map((b) => [b.id, b]));
    const crash = by.get('exits/(suite)')!;
    expect(crash.status).toBe('failed');
    expect(crash.error).toContain('test/fixtures/suites/crash/exits.bench.mjs');
    expect(crash.error).toContain('code 3');
    expect(crash.error).toContain('about to exit with 3');
    const hang = by.get('hangs/(suite)')!;
    expect(hang.status).toBe('failed');
    expect(hang.error).toMatch(/did not finish within the suite timeout of 6 s and was killed/);
    expect(by.get('typed/sum points')!.status).toBe('ok');
    expect(by.get('typed/sum points')!.rounds).toHaveLength(2);
  });

  it('flags a task that keeps heap growing as a suspected leak, not its steady sibling', async () => {
    const res = await measure({ cwd: root, suites: [fx('leak/leak.bench.mjs')], rounds: 2, clock: 'wall', suiteTimeout: 60, taskTimeMs: 60 });
    const by = new Map(res.benchmarks.map((b) => [b.id, b]));
    expect(by.get('leak/leaks')!.memory?.leakSuspected).toBe(true);
    expect(by.get('leak/leaks')!.memory!.heapRetainedBytes!).toBeGreaterThan(1024 * 1024);
    expect(by.get('leak/steady')!.memory?.leakSuspected).toBe(false);
  });

  it('carries the load metrics of a load suite into the results, where SLAs are checked', async () => {
    const res = await measure({ cwd: root, suites: [fx('load/load.bench.ts')], rounds: 2, clock: 'wall', suiteTimeout: 60, taskTimeMs: 30 });
    const r = parseResults(JSON.parse(JSON.stringify(res)), 'measured');
    const by = new Map(r.benchmarks.map((b) => [b.id, b]));
    const steady = by.get('loadfx/steady, 5 users')!;
    const flaky = by.get('loadfx/flaky, 5 users')!;
    for (const b of [steady, flaky]) {
      expect(b.status, b.error).toBe('ok');
      expect(b.rounds).toHaveLength(2);
      expect(loadSchema.parse(b.load)).toEqual(b.load);
      expect(b.load!.users).toBe(5);
      expect(b.load!.durationMs).toBeGreaterThanOrEqual(2 * 200); // two windows of at least 200 ms, summed
      expect(b.load!.requests).toBeGreaterThan(0);
      expect(b.load!.throughput).toBeGreaterThan(0);
      expect(b.load!.latencyMs.p50).toBeLessThanOrEqual(b.load!.latencyMs.p95);
      expect(b.load!.successRate).toBeCloseTo((b.load!.requests - b.load!.errors) / b.load!.requests, 12);
    }
    expect(steady.load!.errors).toBe(0);
    expect(steady.load!.successRate).toBe(1);
    expect(flaky.load!.errors).toBeGreaterThan(0);
    expect(flaky.load!.successRate).toBeLessThan(0.99);
    const c = compare({ base: null, head: r, thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'none' });
    const cs = new Map(c.benchmarks.map((b) => [b.id, b]));
    expect(cs.get(steady.id)).toMatchObject({ verdict: 'new', sla: { met: true } });
    expect(cs.get(flaky.id)).toMatchObject({ verdict: 'critical', grade: 'F', sla: { met: false } });
    expect(cs.get(flaky.id)!.sla!.detail).toMatch(/^success rate \d+(\.\d+)?% < min 99(\.00)?%/);
  });
});

describe('what a suite can read at import', () => {
  it('PERFGATE_CLOCK names the clock and PERFGATE_MODE says run (a measuring round)', async () => {
    const wall = await runSuiteRound(fx('env/env.bench.mjs'), { cwd: root, clock: 'wall', timeoutSec: 60, taskTimeMs: 10 });
    const cpu = await runSuiteRound(fx('env/env.bench.mjs'), { cwd: root, clock: 'cpu', timeoutSec: 60, taskTimeMs: 10 });
    expect(wall.tasks.map((t) => t.name)).toEqual(['clock=wall mode=run']);
    expect(cpu.tasks.map((t) => t.name)).toEqual(['clock=cpu mode=run']);
  });
});

describe('timed sampling and the leak probe', () => {
  it('forces no GC between timed samples; the leak probe after them takes five checkpoints', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-gc-trace-'));
    try {
      const file = path.join(dir, 'trace.json');
      const r = await runSuiteRound(fx('gc/gc-trace.bench.mjs'), { cwd: root, clock: 'wall', timeoutSec: 60, taskTimeMs: 30, env: { PERFGATE_GC_TRACE: file } });
      const t = r.tasks[0];
      expect(t.error).toBeUndefined();
      const trace = JSON.parse(readFileSync(file, 'utf8')) as { calls: number[]; forced: number[] };
      // The run phase's calls: the timed ones first, then the leak probe's.
      expect(trace.calls.length).toBeGreaterThan(t.calls);
      const firstTimed = trace.calls[0];
      const lastTimed = trace.calls[t.calls - 1];
      expect(trace.forced.filter((at) => at > firstTimed && at < lastTimed)).toEqual([]);
      // Five checkpoints of two GCs each, all after the last timed call.
      expect(trace.forced.filter((at) => at > lastTimed).length).toBeGreaterThanOrEqual(10);
      expect(t.heapCheckpoints).toHaveLength(5);
      expect(t.leakProbeCalls).toBe(trace.calls.length - t.calls);
      expect(t.leakInRound).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes every checkpoint even when one call outlasts a quarter of the probe, and flags the leak', async () => {
    const r = await runSuiteRound(fx('leak/slow-leak.bench.mjs'), { cwd: root, clock: 'wall', timeoutSec: 60, taskTimeMs: 20 });
    const t = r.tasks[0];
    expect(t.error).toBeUndefined();
    expect(t.heapCheckpoints).toHaveLength(5);
    expect(t.leakProbeCalls).toBeGreaterThanOrEqual(4);
    expect(t.leakInRound).toBe(true);
    expect(t.heapRetainedBytes!).toBeGreaterThan(1024 * 1024);
  });
});

describe('runSuiteRound', () => {
  it('PERFGATE_INJECT reaches the named task only (or every task with *)', async () => {
    const opts = { cwd: root, clock: 'wall' as const, timeoutSec: 60, taskTimeMs: 40 };
    const plain = await runSuiteRound(fx('inject/inject.bench.mjs'), opts);
    const slowed = await runSuiteRound(fx('inject/inject.bench.mjs'), { ...opts, env: { PERFGATE_INJECT: JSON.stringify({ 'inject/work': 3 }) } });
    const a = plain.tasks[0];
    const b = slowed.tasks[0];
    expect(a.error).toBeUndefined();
    expect(b.error).toBeUndefined();
    // The factor reached the named task's sampler (the arithmetic, exact on a virtual clock, is in
    // test/sampler-clock.test.ts; a ratio of two wall-clock runs would depend on the machine).
    expect(a.injected).toBeUndefined();
    expect(b.injected).toBe(3);
    expect(b.median).toBeGreaterThan(0);
    const star = await runSuiteRound(fx('inject/inject.bench.mjs'), { ...opts, env: { PERFGATE_INJECT: '{"*": 3}' } });
    expect(star.tasks[0].injected).toBe(3);
    const other = await runSuiteRound(fx('inject/inject.bench.mjs'), { ...opts, env: { PERFGATE_INJECT: '{"inject/other": 3}' } });
    expect(other.tasks[0].injected).toBeUndefined();
  });

  it('instructions clock: works, or fails every task with the clear unavailability message', async () => {
    // Under valgrind on a busy runner (two other callgrind processes and the test files beside
    // it) this round took over 60 s; the limit is a net for a hang, under the test's own 240 s.
    const r = await runSuiteRound(fx('ts/typed.bench.ts'), { cwd: root, clock: 'instructions', timeoutSec: 200, taskTimeMs: 20 });
    if (r.error) {
      expect(r.error).toMatch(/clock instructions is unavailable here: .+; use --clock wall or cpu/);
      expect(r.tasks.map((t) => t.name)).toEqual(['sum points']);
    } else {
      expect(r.tasks[0].error).toBeUndefined();
      expect(r.tasks[0].median).toBeGreaterThan(0);
    }
  });

  it('cpu clock measures', async () => {
    const r = await runSuiteRound(fx('ts/typed.bench.ts'), { cwd: root, clock: 'cpu', timeoutSec: 60, taskTimeMs: 20 });
    expect(r.error).toBeUndefined();
    expect(r.tasks[0].median).toBeGreaterThan(0);
  });

  it('names the file of a suite without a Bench', async () => {
    const r = await runSuiteRound(fx('bad/nobench.bench.mjs'), { cwd: root, clock: 'wall', timeoutSec: 60, taskTimeMs: 20 });
    expect(r.error).toMatch(/nobench\.bench\.mjs: .*export default bench/);
  });
});
