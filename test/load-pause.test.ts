// LoadSession.pause / resume (src/load/run.ts): what an A/B worker uses to keep a load task's
// users quiet while the other side of its pair is measured (src/measure/background.ts).
import { describe, expect, it } from 'vitest';
import { LoadSession } from '../src/load/index.ts';
import { backgroundOf, registerBackground } from '../src/measure/background.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A target that counts calls and the requests in flight, and remembers each user's iterations. */
function countingTarget() {
  const state = { calls: 0, inflight: 0, iterations: new Map<number, number[]>() };
  const target = async ({ user, iteration }: { user: number; iteration: number }): Promise<void> => {
    state.calls++;
    state.inflight++;
    const seen = state.iterations.get(user) ?? [];
    seen.push(iteration);
    state.iterations.set(user, seen);
    try {
      await sleep(2);
    } finally {
      state.inflight--;
    }
  };
  return { state, target };
}

describe('pausing a load session', () => {
  it('pause() resolves with no request in flight, and no user starts one until resume()', async () => {
    const { state, target } = countingTarget();
    const s = new LoadSession({ users: 4, durationMs: 10, target });
    s.start();
    await sleep(20);
    expect(state.calls).toBeGreaterThan(0);
    await s.pause();
    expect(state.inflight).toBe(0);
    expect(s.running).toBe(false);
    const atPause = state.calls;
    await sleep(30);
    expect(state.calls).toBe(atPause);
    s.resume();
    expect(s.running).toBe(true);
    await sleep(20);
    expect(state.calls).toBeGreaterThan(atPause);
    const r = await s.stop();
    // the requests in flight when stop() aborts them are not counted (at most one per user)
    expect(r.requests).toBeLessThanOrEqual(state.calls);
    expect(r.requests).toBeGreaterThanOrEqual(state.calls - 4);
    // a resumed user goes on counting its iterations: each user's are 0, 1, 2, ... without repeats
    for (const seen of state.iterations.values()) expect(seen).toEqual(seen.map((_, i) => i));
  });

  it('leaves paused time out of the window: stop() resumes and runs until the running time reaches it', async () => {
    const { target } = countingTarget();
    const s = new LoadSession({ users: 2, durationMs: 40, target });
    const t0 = performance.now();
    s.start();
    await s.pause();
    await sleep(60);
    const r = await s.stop();
    const wall = performance.now() - t0;
    expect(r.durationMs).toBeGreaterThanOrEqual(40);
    // 60 ms of it were paused: the window's running time is at least that much shorter than the wall time
    expect(wall - r.durationMs).toBeGreaterThanOrEqual(59);
    expect(r.requests).toBeGreaterThan(0);
    // throughput per second of running time (durationMs is that time, rounded)
    expect(Math.abs(r.throughput / ((r.requests * 1000) / r.durationMs) - 1)).toBeLessThan(0.03);
  });

  it('pause and resume are no-ops before start and after stop', async () => {
    const { state, target } = countingTarget();
    const s = new LoadSession({ users: 2, durationMs: 5, target });
    await s.pause();
    s.resume();
    expect(state.calls).toBe(0);
    s.start();
    await s.stop();
    const after = state.calls;
    s.resume();
    await s.pause();
    await sleep(10);
    expect(state.calls).toBe(after);
    expect(s.running).toBe(false);
  });
});

describe('the background registry', () => {
  it('is shared through globalThis and unregisters only its own entry', () => {
    const a = { pause: () => undefined, resume: () => undefined };
    const b = { pause: () => undefined, resume: () => undefined };
    const offA = registerBackground('registry test', a);
    expect(backgroundOf('registry test')).toBe(a);
    expect((globalThis as { [k: symbol]: Map<string, unknown> })[Symbol.for('perfgate.background')].get('registry test')).toBe(a);
    const offB = registerBackground('registry test', b);
    offA();
    expect(backgroundOf('registry test')).toBe(b);
    offB();
    expect(backgroundOf('registry test')).toBeUndefined();
  });
});
