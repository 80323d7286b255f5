// The sampler (src/measure/sampler.ts) on an injected virtual clock: time moves only when the
// task, its hooks or a clock reading make it move, so every figure here is exact and no assertion
// depends on how fast this machine ran. The end-to-end tests (measure-e2e) cover the same paths in
// real child processes on the wall clock, without bounds on durations.
import { describe, expect, it } from 'vitest';
import { type ClockSource, measureTask, type SamplerConfig, type TaskSpec } from '../src/measure/sampler.ts';

/** A clock whose every reading costs `readNs`; `advance` is the work of the code under test. */
function virtualClock(readNs = 1): { clock: ClockSource; wallNow: () => number; advance: (ns: number) => void } {
  let t = 0;
  const read = (): number => {
    const now = t;
    t += readNs;
    return now;
  };
  return {
    clock: { kind: 'wall', start: read, stop: (s) => read() - s, now: read, resolution: 1, overhead: readNs },
    wallNow: () => t,
    advance: (ns) => {
      t += ns;
    },
  };
}

const cfg: SamplerConfig = { taskTimeMs: 2, warmupMs: 1, warmupMaxMs: 2, minSamples: 5, maxSamples: 1000, minSampleNs: 50_000, heapCheckpoints: false, inject: 1, reference: false };

describe('the sampler on a virtual clock', () => {
  it('batches work far below the sample target and reports the exact cost per call', async () => {
    const v = virtualClock();
    let calls = 0;
    const spec: TaskSpec = { name: 'tiny', self: undefined, fn: () => { calls++; v.advance(10); } };
    const out = await measureTask(spec, v.clock, v.wallNow, cfg);
    expect(out.error).toBeUndefined();
    expect(out.batch).toBeGreaterThanOrEqual(50_000 / 10);
    expect(out.samples.length).toBeGreaterThanOrEqual(cfg.minSamples);
    expect(out.samples.every((s) => s === 10)).toBe(true);
    expect(out.median).toBe(10);
    expect(calls).toBeGreaterThanOrEqual(out.calls);
  });

  it('runs beforeEach/afterEach outside the timed interval, once around every call', async () => {
    const v = virtualClock();
    let before = 0;
    let after = 0;
    let armed = false;
    const spec: TaskSpec = {
      name: 'cheap with slow hooks',
      self: undefined,
      fn: () => {
        if (!armed) throw new Error('beforeEach did not run');
        armed = false;
        v.advance(1_000);
      },
      beforeEach: () => {
        before++;
        armed = true;
        v.advance(100_000);
      },
      afterEach: () => {
        after++;
        v.advance(100_000);
      },
    };
    const out = await measureTask(spec, v.clock, v.wallNow, cfg);
    expect(out.error).toBeUndefined();
    // Each call is timed alone between its hooks: 1,000 ns per call, none of the hooks' 200,000.
    expect(out.samples.length).toBeGreaterThan(0);
    expect(out.samples.every((s) => s === 1_000)).toBe(true);
    expect(out.median).toBe(1_000);
    expect(before).toBe(after);
    expect(before).toBeGreaterThanOrEqual(out.calls);
  });

  it('never reports a call timed alone between hooks as free, when the reading was dearer than the call', async () => {
    // The overhead measured at start (50 ns) is more than this interval holds (a 1 ns read and 2 ns
    // of work): subtracting it leaves less than nothing, and the figure stops at one clock tick.
    const v = virtualClock();
    const clock: ClockSource = { ...v.clock, overhead: 50 };
    const spec: TaskSpec = { name: 'cheaper than a reading', self: undefined, fn: () => v.advance(2), beforeEach: () => v.advance(1_000) };
    const out = await measureTask(spec, clock, v.wallNow, cfg);
    expect(out.error).toBeUndefined();
    expect(out.samples.length).toBeGreaterThan(0);
    expect(out.samples.every((s) => s === clock.resolution)).toBe(true);
    expect(out.median).toBe(1);
  });

  it('gives estimated cycles per call from the clock totals over the timed samples only', async () => {
    const v = virtualClock();
    // A counting clock whose cache simulation says 1.5 estimated cycles per instruction while the
    // task is timed, and 10 during warmup (cold caches): only the timed ratio may count.
    let timed = false;
    const totals = { instructions: 0, cycles: 0 };
    const spec: TaskSpec = {
      name: 'counted',
      self: undefined,
      fn: () => {
        v.advance(4_000);
        totals.instructions += 4_000;
        totals.cycles += (timed ? 1.5 : 10) * 4_000;
      },
    };
    const clock: ClockSource = { ...v.clock, totals: () => ({ ...totals }) };
    const { TaskSession } = await import('../src/measure/sampler.ts');
    const session = new TaskSession(spec, clock, v.wallNow, cfg);
    expect(await session.warm()).toBe(true);
    timed = true;
    await session.sampleFor(cfg.taskTimeMs, cfg.minSamples, cfg.maxSamples);
    const out = await session.close();
    expect(out.median).toBe(4_000);
    expect(out.estimatedCycles).toBe(6_000);
    // A clock without totals (wall, cpu, hardware counters) gives none.
    expect((await measureTask(spec, v.clock, v.wallNow, cfg)).estimatedCycles).toBeUndefined();
  });

  it('PERFGATE_INJECT multiplies the measured cost by the factor, by waiting on the same clock', async () => {
    const v = virtualClock();
    const spec: TaskSpec = { name: 'work', self: undefined, fn: () => v.advance(2_000) };
    const plain = await measureTask(spec, v.clock, v.wallNow, cfg);
    const slowed = await measureTask(spec, v.clock, v.wallNow, { ...cfg, inject: 3 });
    expect(plain.median).toBe(2_000);
    expect(plain.injected).toBeUndefined();
    expect(slowed.median).toBe(6_000);
    expect(slowed.injected).toBe(3);
    // A task that reports its own duration gets the report multiplied.
    const reported: TaskSpec = { name: 'reported', self: undefined, fn: () => ({ overriddenDuration: 0.5 }) };
    expect((await measureTask(reported, v.clock, v.wallNow, { ...cfg, inject: 3 })).median).toBe(1_500_000);
  });

  it('under the instructions clock, a sample of one call starts with a scavenge; batches and other clocks get none', async () => {
    const g = globalThis as { gc?: unknown };
    const saved = g.gc;
    const log: string[] = [];
    g.gc = (o?: { type?: string }) => log.push(`gc:${o?.type ?? 'full'}`);
    try {
      const run = async (kind: ClockSource['kind'], costPerCall: number): Promise<{ samples: number; log: string[] }> => {
        const v = virtualClock();
        const clock: ClockSource = { ...v.clock, kind, ...(kind === 'instructions' ? { now: undefined } : {}) };
        const spec: TaskSpec = { name: 'work', self: undefined, fn: () => { log.push('call'); v.advance(costPerCall); } };
        const { TaskSession } = await import('../src/measure/sampler.ts');
        const session = new TaskSession(spec, clock, v.wallNow, cfg);
        expect(await session.warm()).toBe(true);
        log.length = 0;
        const samples = (await session.sampleFor(cfg.taskTimeMs, cfg.minSamples, cfg.maxSamples)).length;
        const sampling = [...log];
        await session.close();
        return { samples, log: sampling };
      };
      // One call (100 µs) is above the 50 µs sample target: k = 1, a minor GC before each call.
      const one = await run('instructions', 100_000);
      expect(one.samples).toBeGreaterThanOrEqual(cfg.minSamples);
      expect(one.log).toEqual(Array.from({ length: one.samples }, () => ['gc:minor', 'call']).flat());
      // Batches of cheap calls, and the wall clock: no GC of any kind while sampling.
      const batched = await run('instructions', 1_000);
      expect(batched.log.length).toBeGreaterThan(batched.samples);
      expect(batched.log.every((e) => e === 'call')).toBe(true);
      const wall = await run('wall', 100_000);
      expect(wall.log.every((e) => e === 'call')).toBe(true);
    } finally {
      g.gc = saved;
    }
  });
});
