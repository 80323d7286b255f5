// Small measurement helpers shared by the workload components: a bounded latency recorder with
// percentiles, and the injectable clock / sleep / random used by cache, breaker and retry.

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** setTimeout-based sleep that rejects with the signal's reason when aborted. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * Latencies (ms) in a ring of the last `capacity` values: memory stays bounded however long it
 * runs, and percentiles describe recent behaviour.
 */
export class LatencyRecorder {
  private readonly ring: Float64Array;
  private next = 0;
  private filled = 0;
  private total = 0;

  constructor(capacity = 4096) {
    this.ring = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.ring[this.next] = ms;
    this.next = this.next + 1 === this.ring.length ? 0 : this.next + 1;
    if (this.filled < this.ring.length) this.filled++;
    this.total++;
  }

  /** Values recorded since creation or the last reset (not only those still in the ring). */
  get count(): number {
    return this.total;
  }

  reset(): void {
    this.next = 0;
    this.filled = 0;
    this.total = 0;
  }

  summary(): LatencySummary {
    return summarize(this.ring.subarray(0, this.filled), this.total);
  }
}

/** Percentiles by linear interpolation between order statistics (the R-7 / Excel definition). */
export function percentile(sortedValues: ArrayLike<number>, p: number): number {
  const n = sortedValues.length;
  if (n === 0) return 0;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sortedValues[lo] + (h - lo) * (sortedValues[hi] - sortedValues[lo]);
}

export function summarize(values: Float64Array, count = values.length): LatencySummary {
  if (values.length === 0) return { count, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count,
    mean: sum / sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1],
  };
}
