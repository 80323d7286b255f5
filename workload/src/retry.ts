// Retry with exponential backoff and jitter, a retry budget, and abort.
//
// Delay before retry n (1-based): full jitter (default) draws uniformly in
// [0, min(max, base·2^(n-1))], "equal" draws in [cap/2, cap], "none" waits the cap. A
// non-retryable error (the `retryable` predicate says no; by default NonRetryableError, aborts
// and CircuitOpenError) ends at once. A RetryBudget bounds retries across all calls to a
// fraction of the calls (a token bucket filled by calls, drained by retries, plus a small
// per-second allowance), so a failing dependency is not hammered by a retry storm. An
// AbortSignal stops both attempts and waits. Clock, sleep and random are injectable for tests.
import { realSleep, systemClock, type Clock, type Sleep } from './stats.ts';

export type Jitter = 'full' | 'equal' | 'none';

/** Throw (or wrap) to stop retrying at once. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/** The budget refused a retry; `cause` is the last attempt's error. */
export class RetryBudgetExhaustedError extends Error {
  constructor(cause: unknown) {
    super(`retry budget exhausted: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RetryBudgetExhaustedError';
  }
}

export interface RetryBudgetOptions {
  /** Retries allowed per call, on average (default 0.2: at most 20% extra load). */
  ratio?: number;
  /** Retries allowed each second whatever the call volume (default 10). */
  minRetriesPerSecond?: number;
  /** Most tokens saved up (default 100). */
  maxTokens?: number;
  clock?: Clock;
}

export class RetryBudget {
  private tokens: number;
  private readonly ratio: number;
  private readonly maxTokens: number;
  private readonly minPerSecond: number;
  private readonly clock: Clock;
  private second = -1;
  private usedThisSecond = 0;
  calls = 0;
  retries = 0;
  refused = 0;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? 0.2;
    this.maxTokens = options.maxTokens ?? 100;
    this.minPerSecond = options.minRetriesPerSecond ?? 10;
    this.clock = options.clock ?? systemClock;
    if (!(this.ratio >= 0)) throw new Error(`retry budget ratio must be >= 0, got ${this.ratio}`);
    this.tokens = 0;
  }

  /** Every call (first attempt) deposits `ratio` tokens. */
  recordCall(): void {
    this.calls++;
    this.tokens = Math.min(this.maxTokens, this.tokens + this.ratio);
  }

  /** Takes the right to retry once, or refuses. */
  tryRetry(): boolean {
    if (this.tokens >= 1) {
      this.tokens -= 1;
      this.retries++;
      return true;
    }
    const second = Math.floor(this.clock.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.usedThisSecond = 0;
    }
    if (this.usedThisSecond < this.minPerSecond) {
      this.usedThisSecond++;
      this.retries++;
      return true;
    }
    this.refused++;
    return false;
  }

  get available(): number {
    return this.tokens;
  }
}

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /** Cap of the first retry's delay, ms (default 100). */
  baseDelayMs?: number;
  /** Largest delay, ms (default 10 s). */
  maxDelayMs?: number;
  jitter?: Jitter;
  /** Whether an error may be retried (default defaultRetryable: not NonRetryableError, AbortError, TimeoutError, CircuitOpenError). */
  retryable?: (error: unknown, attempt: number) => boolean;
  budget?: RetryBudget;
  signal?: AbortSignal;
  sleep?: Sleep;
  /** Uniform in [0, 1) (default Math.random). */
  random?: () => number;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** Error names never retried by default: breakers that are open, aborts, budget refusals. */
const NEVER_RETRY = new Set(['NonRetryableError', 'AbortError', 'TimeoutError', 'CircuitOpenError', 'RetryBudgetExhaustedError']);

export function defaultRetryable(error: unknown): boolean {
  return !(error instanceof Error && NEVER_RETRY.has(error.name));
}

/** Delay before retry `n` (1-based). */
export function backoffDelay(n: number, baseMs: number, maxMs: number, jitter: Jitter, random: () => number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (n - 1));
  switch (jitter) {
    case 'full':
      return random() * cap;
    case 'equal':
      return cap / 2 + (random() * cap) / 2;
    case 'none':
      return cap;
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? Object.assign(new Error('aborted'), { name: 'AbortError' });
}

/**
 * Calls `fn` until it succeeds, an error is not retryable, the attempts run out or the budget
 * refuses (RetryBudgetExhaustedError). `fn` gets the attempt number (1-based) and the signal.
 */
export async function retry<T>(fn: (attempt: number, signal?: AbortSignal) => Promise<T> | T, options: RetryOptions = {}): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const base = options.baseDelayMs ?? 100;
  const max = options.maxDelayMs ?? 10_000;
  const jitter = options.jitter ?? 'full';
  const retryable = options.retryable ?? defaultRetryable;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const { budget, signal } = options;
  budget?.recordCall();
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortError(signal);
    try {
      return await fn(attempt, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError(signal);
      if (attempt >= maxAttempts || !retryable(error, attempt)) throw error;
      if (budget && !budget.tryRetry()) throw new RetryBudgetExhaustedError(error);
      const delay = backoffDelay(attempt, base, max, jitter, random);
      options.onRetry?.(error, attempt, delay);
      if (delay > 0) await sleep(delay, signal);
    }
  }
}
