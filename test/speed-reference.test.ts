// The speed reference (src/measure/sampler.ts): a fixed loop timed on the task's clock around and
// inside the round design's sampling windows, carried per round into the results (aligned with
// `rounds`), pooled with sessions, and slow spells said in the report. Structure and arithmetic
// only: no assertion depends on how fast anything ran.
import { describe, expect, it } from 'vitest';
import { compare } from '../src/compare/index.ts';
import { machineInfo } from '../src/machine.ts';
import { buildResults, type RoundResult } from '../src/measure/index.ts';
import type { TaskOutput } from '../src/measure/protocol.ts';
import { type ClockSource, measureTask, REFERENCE_EVERY_MS, referenceWork, SLOW_SPELL_FACTOR, slowChecks, type SamplerConfig } from '../src/measure/sampler.ts';
import { DEFAULTS } from '../src/options.ts';
import { parseResults, type Results } from '../src/schema/results.ts';
import { poolSessions } from '../src/store/sessions.ts';

const wallNow = () => Number(process.hrtime.bigint());
const wall: ClockSource = { kind: 'wall', start: wallNow, stop: (t) => wallNow() - t, now: wallNow, resolution: 1, overhead: 0 };
const cfg: SamplerConfig = { taskTimeMs: 30, warmupMs: 5, warmupMaxMs: 10, minSamples: 5, maxSamples: 1000, minSampleNs: 50_000, heapCheckpoints: false, inject: 1 };
const spin = { name: 'spin', self: undefined, fn: () => referenceWork() };

describe('the speed reference in a sampling window', () => {
  it('is checked before, every few ms of, and after the window, on the task clock', async () => {
    const out = await measureTask(spin, wall, wallNow, cfg);
    expect(out.error).toBeUndefined();
    expect(out.reference).toBeGreaterThan(0);
    // Before and after, plus at most one per REFERENCE_EVERY_MS of the window (which may run
    // past its budget only while it still lacks minSamples).
    const windowMs = out.samplingMs ?? 0;
    expect(out.referenceChecks).toBeGreaterThanOrEqual(2);
    expect(out.referenceChecks).toBeLessThanOrEqual(2 + Math.ceil(windowMs / REFERENCE_EVERY_MS));
    expect(out.referenceSlow).toBeGreaterThanOrEqual(0);
    expect(out.referenceSlow).toBeLessThanOrEqual(out.referenceChecks!);
  });

  it('is not taken for instruction counts, for tasks that report their own duration, or when turned off', async () => {
    const counted: ClockSource = { kind: 'instructions', start: () => 0, stop: () => 1000, resolution: 1, overhead: 0 };
    expect((await measureTask(spin, counted, wallNow, cfg)).reference).toBeUndefined();
    const reported = { name: 'reported', self: undefined, fn: () => ({ overriddenDuration: 0.05 }) };
    expect((await measureTask(reported, wall, wallNow, cfg)).reference).toBeUndefined();
    expect((await measureTask(spin, wall, wallNow, { ...cfg, reference: false })).reference).toBeUndefined();
  });

  it('counts a check as a slow spell when it is more than 1.2× the fastest', () => {
    expect(SLOW_SPELL_FACTOR).toBe(1.2);
    expect(slowChecks([100, 110, 119.9, 120, 121, 160], 100)).toBe(2);
    expect(slowChecks([], 100)).toBe(0);
  });
});

const machine = machineInfo();
function task(name: string, median: number, extra: Partial<TaskOutput> = {}): TaskOutput {
  return { name, samples: [median], median, batch: 1, calls: 1, async: false, ...extra };
}
function round(tasks: TaskOutput[]): RoundResult {
  return { suiteFile: 'bench/s.bench.ts', suite: 's', tasks, wallMs: 10 };
}
function built(rounds: RoundResult[]): Results {
  return parseResults(JSON.parse(JSON.stringify(buildResults({ suites: [{ file: 'bench/s.bench.ts', rounds }], clock: 'wall', startedAt: '2026-12-05T00:00:00Z', machine }))), 'built');
}

describe('the speed reference in the results', () => {
  it('is kept per round, aligned with rounds, with the slow-spell checks summed', () => {
    const r = built([
      round([task('a', 100, { reference: 32_000, referenceChecks: 10, referenceSlow: 1 }), task('b', 50, { reference: 33_000, referenceChecks: 8, referenceSlow: 0 })]),
      round([task('a', 110, { reference: 40_000, referenceChecks: 12, referenceSlow: 6 }), task('b', 55)]),
    ]);
    const a = r.benchmarks.find((b) => b.id === 's/a')!;
    expect(a.rounds).toEqual([100, 110]);
    expect(a.reference).toEqual([32_000, 40_000]);
    expect(a.slowSpells).toEqual({ checks: 22, slow: 7 });
    // One round without a reference: no array that could be misaligned with the rounds.
    const b = r.benchmarks.find((x) => x.id === 's/b')!;
    expect(b.rounds).toEqual([50, 55]);
    expect(b.reference).toBeUndefined();
    expect(b.slowSpells).toEqual({ checks: 8, slow: 0 });
  });

  it('is pooled with the sessions of a baseline only when every session has it', () => {
    const s1 = built([round([task('a', 100, { reference: 32_000, referenceChecks: 10, referenceSlow: 0 })])]);
    const s2 = built([round([task('a', 104, { reference: 33_000, referenceChecks: 10, referenceSlow: 5 })])]);
    const s3 = built([round([task('a', 98)])]);
    const both = poolSessions([s1, s2]).benchmarks[0];
    expect(both.rounds).toEqual([100, 104]);
    expect(both.reference).toEqual([32_000, 33_000]);
    expect(both.slowSpells).toEqual({ checks: 20, slow: 5 });
    const mixed = poolSessions([s1, s2, s3]).benchmarks[0];
    expect(mixed.rounds).toEqual([100, 104, 98]);
    expect(mixed.reference).toBeUndefined();
  });

  it('rejects a reference that is not a positive time', () => {
    const r = built([round([task('a', 100, { reference: 32_000 })])]);
    const bad = JSON.parse(JSON.stringify(r));
    bad.benchmarks[0].reference = [0];
    expect(() => parseResults(bad, 'bad.json')).toThrow(/reference/);
  });
});

describe('slow spells in the report', () => {
  const rounds = (n: number) => Array.from({ length: n }, () => round([task('a', 100), task('b', 100)]));
  const withSpells = (a: { checks: number; slow: number }, b: { checks: number; slow: number }): Results => {
    const r = built(rounds(6));
    r.benchmarks[0].slowSpells = a;
    r.benchmarks[1].slowSpells = b;
    return r;
  };
  const notices = (head: Results) =>
    compare({ base: built(rounds(6)), head, thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'base' }).notices.join(' ');

  it('names the benchmarks with a fifth or more of their checks in a slow spell', () => {
    const text = notices(withSpells({ checks: 100, slow: 35 }, { checks: 100, slow: 19 }));
    expect(text).toMatch(/Slow spells: .* for s\/a \(35%\) of its checks/);
    expect(text).not.toMatch(/s\/b \(/);
  });

  it('says nothing for a few checks or a quiet run', () => {
    expect(notices(withSpells({ checks: 5, slow: 5 }, { checks: 100, slow: 3 }))).not.toMatch(/Slow spells/);
  });
});
