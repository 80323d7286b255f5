import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitOpenError, type BreakerState } from '../src/breaker.ts';
import { backoffDelay, NonRetryableError, retry, RetryBudget, RetryBudgetExhaustedError } from '../src/retry.ts';

function fakeClock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const fail = () => Promise.reject(new Error('down'));
const ok = () => Promise.resolve('ok');

/** A call that stays pending until released. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

describe('circuit breaker', () => {
  it('opens at the failure-rate threshold once the window has enough calls', async () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const b = new CircuitBreaker({ failureRateThreshold: 0.5, minimumCalls: 4, window: { type: 'count', size: 10 }, clock, onStateChange: (f, t) => changes.push(`${f}>${t}`) });
    await b.execute(ok);
    await expect(b.execute(fail)).rejects.toThrow('down');
    await b.execute(ok);
    expect(b.state).toBe('closed'); // 1 failure in 3 calls: below minimumCalls
    await expect(b.execute(fail)).rejects.toThrow('down'); // 2 of 4 = 50%
    expect(b.state).toBe('open');
    const e = await b.execute(ok).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CircuitOpenError);
    expect((e as CircuitOpenError).retryAfterMs).toBe(5000);
    expect(changes).toEqual(['closed>open']);
    expect(b.stats()).toMatchObject({ state: 'open', calls: 4, failures: 2, rejected: 1 });
  });

  it('half-open after the reset timeout; trial successes close it, a trial failure re-opens it', async () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ minimumCalls: 1, resetTimeoutMs: 1000, halfOpenMaxCalls: 2, clock });
    await expect(b.execute(fail)).rejects.toThrow();
    expect(b.state).toBe('open');
    clock.advance(999);
    expect(b.state).toBe('open');
    clock.advance(1);
    expect(b.state).toBe('half-open');
    await expect(b.execute(fail)).rejects.toThrow('down');
    expect(b.state).toBe('open');
    clock.advance(1000);
    await b.execute(ok);
    expect(b.state).toBe('half-open');
    await b.execute(ok);
    expect(b.state).toBe('closed');
    expect(b.stats().transitions).toBe(5);
  });

  it('lets only halfOpenMaxCalls concurrent trial calls through', async () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ minimumCalls: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 3, clock });
    await expect(b.execute(fail)).rejects.toThrow();
    clock.advance(100);
    const pending = Array.from({ length: 3 }, () => deferred<string>());
    let started = 0;
    const calls = Array.from({ length: 50 }, (_, i) =>
      b.execute(() => {
        started++;
        return pending[i]?.promise ?? Promise.resolve('late');
      }),
    );
    const outcomes = Promise.allSettled(calls);
    expect(started).toBe(3);
    for (const d of pending) d.resolve('trial ok');
    const results = await outcomes;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).toHaveLength(47);
    expect(rejected.every((r) => r.reason instanceof CircuitOpenError)).toBe(true);
    expect(b.state).toBe('closed');
  });

  it('ignores the outcome of a call that started before the last state change', async () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ minimumCalls: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 1, clock });
    const slow = deferred<string>();
    const slowCall = b.execute(() => slow.promise); // started while closed
    await expect(b.execute(fail)).rejects.toThrow(); // opens
    clock.advance(100);
    await b.execute(ok); // the trial closes it
    expect(b.state).toBe('closed');
    slow.reject(new Error('late failure'));
    await expect(slowCall).rejects.toThrow('late failure');
    expect(b.state).toBe('closed');
  });

  it('time window: only the last T ms count', async () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ minimumCalls: 3, failureRateThreshold: 0.6, window: { type: 'time', ms: 1000, buckets: 10 }, clock });
    await expect(b.execute(fail)).rejects.toThrow();
    await expect(b.execute(fail)).rejects.toThrow();
    clock.advance(1500); // those two age out
    await b.execute(ok);
    await b.execute(ok);
    await expect(b.execute(fail)).rejects.toThrow();
    expect(b.state).toBe('closed'); // 1 of 3
    expect(b.stats().failureRate).toBeCloseTo(1 / 3);
  });

  it('errors that isFailure rejects pass through without counting; sync calls work too', async () => {
    const b = new CircuitBreaker({ minimumCalls: 1, isFailure: (e) => !(e instanceof TypeError) });
    await expect(b.execute(() => Promise.reject(new TypeError('bad input')))).rejects.toThrow(TypeError);
    expect(b.state).toBe('closed');
    expect(b.stats()).toMatchObject({ successes: 1, failures: 0, failureRate: 0 });
    const s = new CircuitBreaker({ minimumCalls: 1 });
    expect(s.call(() => 7)).toBe(7);
    expect(() =>
      s.call(() => {
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(s.state).toBe('open'); // 1 failure in 2 calls reaches 50%
    expect(() => s.call(() => 1)).toThrow(CircuitOpenError);
    expect(() => new CircuitBreaker({ failureRateThreshold: 0 })).toThrow(/failureRateThreshold/);
  });
});

describe('retry', () => {
  const noSleep = { sleep: (_ms: number) => Promise.resolve() };

  it('exponential backoff with full, equal or no jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, 100, 1000, 'none', () => 0.5))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, 100, 1000, 'full', () => 0.5)).toBe(200);
    expect(backoffDelay(3, 100, 1000, 'full', () => 0)).toBe(0);
    expect(backoffDelay(3, 100, 1000, 'equal', () => 0)).toBe(200);
    expect(backoffDelay(3, 100, 1000, 'equal', () => 0.999)).toBeCloseTo(399.8);
  });

  it('retries transient failures with the computed delays, then succeeds', async () => {
    const delays: number[] = [];
    let attempts = 0;
    const v = await retry(
      async (attempt) => {
        attempts = attempt;
        if (attempt < 3) throw new Error('transient');
        return 'done';
      },
      { baseDelayMs: 10, jitter: 'full', random: () => 0.5, sleep: async (ms) => void delays.push(ms), maxAttempts: 5 },
    );
    expect(v).toBe('done');
    expect(attempts).toBe(3);
    expect(delays).toEqual([5, 10]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let n = 0;
    await expect(retry(async () => Promise.reject(new Error(`fail ${++n}`)), { maxAttempts: 3, ...noSleep })).rejects.toThrow('fail 3');
  });

  it('stops at once on a non-retryable error (class or predicate)', async () => {
    let n = 0;
    await expect(
      retry(async () => {
        n++;
        throw new NonRetryableError('400 bad request');
      }, noSleep),
    ).rejects.toThrow('400 bad request');
    expect(n).toBe(1);
    n = 0;
    const status = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });
    await expect(retry(async () => Promise.reject(status(++n === 1 ? 503 : 404)), { retryable: (e) => (e as { code: number }).code >= 500, maxAttempts: 5, ...noSleep })).rejects.toThrow('HTTP 404');
    expect(n).toBe(2);
    // an open breaker is not retried either
    n = 0;
    await expect(retry(async () => { n++; throw new CircuitOpenError('open', 10); }, noSleep)).rejects.toThrow(CircuitOpenError);
    expect(n).toBe(1);
  });

  it('a retry budget caps retries to a share of the calls', async () => {
    const clock = fakeClock();
    const budget = new RetryBudget({ ratio: 0.5, minRetriesPerSecond: 1, clock });
    let calls = 0;
    const always = async () => {
      calls++;
      throw new Error('down');
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => retry(always, { budget, maxAttempts: 2, ...noSleep })));
    // 10 calls deposit 5 tokens, the first retry uses the per-second allowance; retries run after all calls started
    expect(budget.retries + budget.refused).toBe(10);
    expect(budget.retries).toBe(6);
    expect(calls).toBe(16);
    expect(outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof RetryBudgetExhaustedError)).toHaveLength(4);
  });

  it('abort stops the wait and further attempts', async () => {
    const ac = new AbortController();
    let n = 0;
    const p = retry(
      async () => {
        n++;
        throw new Error('transient');
      },
      { signal: ac.signal, baseDelayMs: 60_000, jitter: 'none', maxAttempts: 10 },
    );
    await new Promise((r) => setTimeout(r, 10));
    ac.abort(new Error('shutting down'));
    await expect(p).rejects.toThrow('shutting down');
    expect(n).toBe(1);
    await expect(retry(ok, { signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
  });
});

describe('breaker inside retry (as the reference service composes them)', () => {
  it('recovers from transient failures and fails fast once the breaker opens', async () => {
    const clock = fakeClock();
    const b = new CircuitBreaker({ minimumCalls: 4, failureRateThreshold: 0.5, resetTimeoutMs: 1000, clock });
    let n = 0;
    const flaky = () => (++n % 3 === 0 ? Promise.resolve('ok') : Promise.reject(new Error('transient')));
    await expect(retry(() => b.execute(flaky), { maxAttempts: 3, sleep: async () => {} })).resolves.toBe('ok');
    const states: BreakerState[] = [];
    await expect(retry(() => b.execute(fail), { maxAttempts: 5, sleep: async () => {}, onRetry: () => void states.push(b.state) })).rejects.toThrow(CircuitOpenError);
    expect(states.at(-1)).toBe('open');
  });
});
