// Summary statistics of ingested values and the sample bound. Pure.
import { MAX_SAMPLES, type Summary } from '../schema/results.ts';

/** Keeps at most `max` values, dropping evenly across the run (order kept). */
export function bound(values: number[], max = MAX_SAMPLES): number[] {
  if (values.length <= max) return values;
  const kept: number[] = [];
  for (let i = 0; i < max; i++) kept.push(values[Math.floor((i * values.length) / max)]);
  return kept;
}

/** Linear-interpolation quantile of sorted values (q in 0..1). */
function quantile(sorted: number[], q: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * 1-based ranks (l, u) of the order statistics bounding a distribution-free 95% confidence
 * interval of the median: the widest symmetric pair whose binomial coverage is at least 95%.
 * Exact binomial up to 1000 values, normal approximation beyond.
 */
function medianCiRanks(n: number): [number, number] {
  if (n < 6) return [1, n]; // no pair of order statistics reaches 95% below 6 values
  if (n > 1000) {
    const half = 1.959964 * Math.sqrt(n) / 2;
    const l = Math.max(1, Math.floor(n / 2 - half));
    return [l, n + 1 - l];
  }
  // P(X <= k) for X ~ Bin(n, 1/2), built up in log space to avoid underflow.
  let logP = -n * Math.LN2; // log P(X = 0)
  let cumulative = Math.exp(logP);
  let l = 1;
  for (let k = 0; k < n; k++) {
    // coverage of [X_(k+1), X_(n-k)] is 1 - 2 P(X <= k)
    if (1 - 2 * cumulative < 0.95) break;
    l = k + 1;
    logP += Math.log((n - k) / (k + 1));
    cumulative += Math.exp(logP);
  }
  return [l, n + 1 - l];
}

export function summarize(values: number[]): Summary | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const [l, u] = medianCiRanks(n);
  return {
    n,
    mean,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    sd,
    min: sorted[0],
    max: sorted[n - 1],
    ci95: [sorted[l - 1], sorted[u - 1]],
  };
}
