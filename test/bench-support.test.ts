// bench/support.ts, the helpers of this repository's own suites: what changes under the
// instructions clock (PERFGATE_CLOCK=instructions, set by the harness before the suite loads).
import { afterEach, describe, expect, it } from 'vitest';
import { LOGICAL_CLOCK_STEP_MS, prewarm, suiteClock } from '../bench/support.ts';
import { systemClock } from '../workload/src/stats.ts';

const saved = process.env.PERFGATE_CLOCK;
afterEach(() => {
  if (saved === undefined) delete process.env.PERFGATE_CLOCK;
  else process.env.PERFGATE_CLOCK = saved;
});

describe('the suites under the instructions clock', () => {
  it('read a logical clock that moves 1 µs a reading, from 0, the same in every process', () => {
    process.env.PERFGATE_CLOCK = 'instructions';
    expect(LOGICAL_CLOCK_STEP_MS).toBe(0.001);
    const a = suiteClock();
    const b = suiteClock();
    const readsA = Array.from({ length: 1000 }, () => a.now());
    const readsB = Array.from({ length: 1000 }, () => b.now());
    expect(readsA).toEqual(readsB);
    expect(readsA[0]).toBe(0.001);
    expect(readsA[999]).toBeCloseTo(1, 9);
    for (let i = 1; i < readsA.length; i++) expect(readsA[i]).toBeGreaterThan(readsA[i - 1]);
  });

  it('read the system clock under the other clocks', () => {
    for (const c of ['wall', 'cpu', undefined]) {
      if (c === undefined) delete process.env.PERFGATE_CLOCK;
      else process.env.PERFGATE_CLOCK = c;
      expect(suiteClock()).toBe(systemClock);
    }
  });

  it('prewarm a fixed number of calls under instructions, for a time otherwise', () => {
    process.env.PERFGATE_CLOCK = 'instructions';
    let calls = 0;
    prewarm(() => calls++, 60_000, 7);
    expect(calls).toBe(7);
    process.env.PERFGATE_CLOCK = 'wall';
    calls = 0;
    const t0 = performance.now();
    prewarm(() => calls++, 5, 1_000_000_000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(5);
    expect(calls).toBeGreaterThan(0);
  });
});
