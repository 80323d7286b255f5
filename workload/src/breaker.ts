// A circuit breaker for async (and sync) calls.
//
// closed    calls pass; outcomes go into a sliding window (the last N calls, or the last T ms in
//           buckets). When the window holds at least `minimumCalls` and the failure rate reaches
//           `failureRateThreshold`, the breaker opens.
// open      calls are rejected at once with CircuitOpenError until `resetTimeoutMs` has passed.
// half-open at most `halfOpenMaxCalls` trial calls are let through (counted when they start, so
//           concurrent callers cannot all slip in while the first trials are pending); when that
//           many trials have succeeded the breaker closes, and any failed trial opens it again.
//
// Outcomes of calls that started before the last state change are ignored (a slow call started
// while closed cannot re-open a breaker that has since recovered). Clock is injectable.
import { systemClock, type Clock } from './stats.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

export type BreakerWindow = { type: 'count'; size: number } | { type: 'time'; ms: number; buckets?: number };

export interface BreakerOptions {
  /** Failure rate (0..1] at which the breaker opens (default 0.5). */
  failureRateThreshold?: number;
  /** Outcomes needed in the window before the rate is judged (default 10). */
  minimumCalls?: number;
  /** Default: the last 100 calls. */
  window?: BreakerWindow;
  /** Time in open before trial calls are allowed, ms (default 5000). */
  resetTimeoutMs?: number;
  /** Trial calls in half-open (default 3). */
  halfOpenMaxCalls?: number;
  /** Which errors count as failures (default: all). Others pass through as successes. */
  isFailure?: (error: unknown) => boolean;
  clock?: Clock;
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

export class CircuitOpenError extends Error {
  /** ms until trial calls are allowed (0 in half-open with all trial slots taken). */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number) {
    super(message);
    this.name = 'CircuitOpenError';
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * A rejection without a captured stack: an open breaker must shed load cheaply, and the stack of
 * a rejection (always the breaker's own frames) costs more than the rest of the call.
 */
function rejection(message: string, retryAfterMs: number): CircuitOpenError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new CircuitOpenError(message, retryAfterMs);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Outcomes of the last `size` calls, O(1) per record. */
class CountWindow {
  private readonly ring: Uint8Array;
  private next = 0;
  private filled = 0;
  private failed = 0;
  constructor(size: number) {
    if (!(size >= 1)) throw new Error(`window size must be at least 1, got ${size}`);
    this.ring = new Uint8Array(size);
  }
  record(failure: boolean): void {
    if (this.filled === this.ring.length) this.failed -= this.ring[this.next];
    else this.filled++;
    this.ring[this.next] = failure ? 1 : 0;
    if (failure) this.failed++;
    this.next = this.next + 1 === this.ring.length ? 0 : this.next + 1;
  }
  calls(): number {
    return this.filled;
  }
  failures(): number {
    return this.failed;
  }
  reset(): void {
    this.ring.fill(0);
    this.next = this.filled = this.failed = 0;
  }
}

/** Outcomes of the last `ms` milliseconds in `buckets` buckets. */
class TimeWindow {
  private readonly width: number;
  private readonly starts: Float64Array;
  private readonly calls_: Uint32Array;
  private readonly fails: Uint32Array;
  private readonly clock: Clock;
  constructor(ms: number, buckets: number, clock: Clock) {
    if (!(ms > 0) || !(buckets >= 1)) throw new Error(`time window needs ms > 0 and buckets >= 1, got ${ms} and ${buckets}`);
    this.width = ms / buckets;
    this.starts = new Float64Array(buckets).fill(-Infinity);
    this.calls_ = new Uint32Array(buckets);
    this.fails = new Uint32Array(buckets);
    this.clock = clock;
  }
  private bucket(now: number): number {
    const slot = Math.floor(now / this.width);
    const i = slot % this.starts.length;
    const start = slot * this.width;
    if (this.starts[i] !== start) {
      this.starts[i] = start;
      this.calls_[i] = 0;
      this.fails[i] = 0;
    }
    return i;
  }
  record(failure: boolean): void {
    const i = this.bucket(this.clock.now());
    this.calls_[i]++;
    if (failure) this.fails[i]++;
  }
  private sum(arr: Uint32Array): number {
    const now = this.clock.now();
    const oldest = (Math.floor(now / this.width) - this.starts.length + 1) * this.width;
    let s = 0;
    for (let i = 0; i < arr.length; i++) if (this.starts[i] >= oldest) s += arr[i];
    return s;
  }
  calls(): number {
    return this.sum(this.calls_);
  }
  failures(): number {
    return this.sum(this.fails);
  }
  reset(): void {
    this.starts.fill(-Infinity);
    this.calls_.fill(0);
    this.fails.fill(0);
  }
}

export interface BreakerStats {
  state: BreakerState;
  /** Calls let through (trials included). */
  calls: number;
  successes: number;
  failures: number;
  /** Calls rejected without running. */
  rejected: number;
  /** Failure rate of the current window. */
  failureRate: number;
  /** State changes so far. */
  transitions: number;
}

/** A permit for one call; report its outcome exactly once. */
export interface Permit {
  readonly generation: number;
}

export class CircuitBreaker {
  private stateValue: BreakerState = 'closed';
  private generation = 0;
  private openedAt = 0;
  private trialsStarted = 0;
  private trialsSucceeded = 0;
  private readonly window: CountWindow | TimeWindow;
  private readonly threshold: number;
  private readonly minimumCalls: number;
  private readonly resetTimeoutMs: number;
  private readonly halfOpenMaxCalls: number;
  private readonly isFailure: (error: unknown) => boolean;
  private readonly clock: Clock;
  private readonly onStateChange?: (from: BreakerState, to: BreakerState) => void;
  private counts = { calls: 0, successes: 0, failures: 0, rejected: 0, transitions: 0 };

  constructor(options: BreakerOptions = {}) {
    this.threshold = options.failureRateThreshold ?? 0.5;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new Error(`failureRateThreshold must be in (0, 1], got ${this.threshold}`);
    this.minimumCalls = Math.max(1, options.minimumCalls ?? 10);
    this.resetTimeoutMs = options.resetTimeoutMs ?? 5000;
    this.halfOpenMaxCalls = Math.max(1, options.halfOpenMaxCalls ?? 3);
    this.isFailure = options.isFailure ?? (() => true);
    this.clock = options.clock ?? systemClock;
    this.onStateChange = options.onStateChange;
    const w = options.window ?? { type: 'count', size: 100 };
    this.window = w.type === 'count' ? new CountWindow(w.size) : new TimeWindow(w.ms, w.buckets ?? 10, this.clock);
  }

  /** The state now (an open breaker whose reset timeout has passed reports half-open). */
  get state(): BreakerState {
    if (this.stateValue === 'open' && this.clock.now() - this.openedAt >= this.resetTimeoutMs) this.transition('half-open');
    return this.stateValue;
  }

  /**
   * Asks to make one call: a permit, or a CircuitOpenError to throw. Synchronous, so the
   * half-open trial count is taken before any caller can interleave.
   */
  acquire(): Permit | CircuitOpenError {
    const state = this.state;
    if (state === 'open') {
      this.counts.rejected++;
      const wait = Math.max(0, this.resetTimeoutMs - (this.clock.now() - this.openedAt));
      return rejection(`circuit open: calls rejected for another ${Math.ceil(wait)} ms`, wait);
    }
    if (state === 'half-open') {
      if (this.trialsStarted >= this.halfOpenMaxCalls) {
        this.counts.rejected++;
        return rejection(`circuit half-open: all ${this.halfOpenMaxCalls} trial calls are in flight`, 0);
      }
      this.trialsStarted++;
    }
    this.counts.calls++;
    return { generation: this.generation };
  }

  /** Reports the outcome of a permitted call. */
  release(permit: Permit, error?: unknown, failed = error !== undefined && this.isFailure(error)): void {
    if (failed) this.counts.failures++;
    else this.counts.successes++;
    if (permit.generation !== this.generation) return; // started before the last state change
    if (this.stateValue === 'half-open') {
      if (failed) this.open();
      else if (++this.trialsSucceeded >= this.halfOpenMaxCalls) this.transition('closed');
      return;
    }
    if (this.stateValue !== 'closed') return;
    this.window.record(failed);
    const calls = this.window.calls();
    if (failed && calls >= this.minimumCalls && this.window.failures() / calls >= this.threshold) this.open();
  }

  /** Runs `fn` through the breaker (async or sync `fn`). */
  async execute<T>(fn: () => Promise<T> | T): Promise<T> {
    const permit = this.acquire();
    if (permit instanceof CircuitOpenError) throw permit;
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      this.release(permit, error);
      throw error;
    }
    this.release(permit);
    return result;
  }

  /** Runs a synchronous `fn` through the breaker. */
  call<T>(fn: () => T): T {
    const permit = this.acquire();
    if (permit instanceof CircuitOpenError) throw permit;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.release(permit, error);
      throw error;
    }
    this.release(permit);
    return result;
  }

  stats(): BreakerStats {
    const calls = this.window.calls();
    return { state: this.state, ...this.counts, failureRate: calls ? this.window.failures() / calls : 0 };
  }

  /** Forces the closed state with an empty window. */
  reset(): void {
    this.transition('closed');
  }

  private open(): void {
    this.openedAt = this.clock.now();
    this.transition('open');
  }

  private transition(to: BreakerState): void {
    const from = this.stateValue;
    if (from === to && to !== 'open') return;
    this.stateValue = to;
    this.generation++;
    this.trialsStarted = 0;
    this.trialsSucceeded = 0;
    if (to === 'closed') this.window.reset();
    if (from !== to) {
      this.counts.transitions++;
      this.onStateChange?.(from, to);
    }
  }
}
