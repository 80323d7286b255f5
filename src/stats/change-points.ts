// Change-point detection in a series (a main-branch history of one benchmark).
import { mean } from 'simple-statistics';
import { studentTTest, welchTTest } from './t-test.ts';

export interface EDivisiveOptions {
  /** Fewest points a segment may have on either side of a change point (≥ 2; default 5). */
  minSize?: number;
  /**
   * Largest two-sided p-value of the t-test between the two segments next to a candidate for it to
   * count (default 0.0001). The candidate is the best of many possible splits, so the false-alarm
   * rate is well above this nominal value: on 60 points of flat Gaussian noise it measured 0.25% at
   * 0.0001 and 1.5% at 0.001 (Hunter's default, which Hunter pairs with a 5% minimum magnitude).
   * A 15% step in 3% noise gives p below 1e-10, so the stricter default costs no useful power.
   */
  alpha?: number;
  /** Smallest relative change of the segment means for a change point to count (default 0). */
  minMagnitude?: number;
  /**
   * The t-test between the segments: `student` (pooled variance, default, as Hunter) or `welch`.
   * Under "no change" both segments share one distribution, so the pooled variance is the right
   * one; Welch's test leans on the variance of a short segment alone and false-alarms when a few
   * points happen to lie close together.
   */
  test?: 'student' | 'welch';
  /** Stop after this many change points (default: no limit). */
  maxChangePoints?: number;
}

export interface ChangePoint {
  /** Index of the first point after the change (the new segment starts here). */
  index: number;
  /** Welch t-test p-value between the segments on either side, when it was accepted. */
  p: number;
  /** The energy statistic q̂ of the split. */
  qhat: number;
  /** Means of the segments before and after, and the relative change after/before − 1. */
  meanBefore: number;
  meanAfter: number;
  change: number;
}

/**
 * Best split of z[a, b) by the E-divisive means divergence (Matteson and James 2014, α = 1):
 *   q̂(τ) = mn/(m+n) · [ 2/(mn) Σ|X_i − Y_j| − 1/C(m,2) Σ_{i<k}|X_i − X_k| − 1/C(n,2) Σ_{j<k}|Y_j − Y_k| ]
 * with X = z[a, τ), Y = z[τ, b), m = τ − a, n = b − τ, over τ with m, n ≥ minSize. Incremental
 * O((b − a)²) update as τ moves right, as in MongoDB's signal-processing-algorithms.
 */
function bestSplit(z: readonly number[], a: number, b: number, minSize: number): { index: number; qhat: number } | undefined {
  if (b - a < 2 * minSize) return undefined;
  const dist = (i: number, j: number) => Math.abs(z[i] - z[j]);
  let tau = a + minSize;
  let cross = 0;
  let withinX = 0;
  let withinY = 0;
  for (let i = a; i < tau; i++) for (let j = tau; j < b; j++) cross += dist(i, j);
  for (let i = a; i < tau; i++) for (let k = i + 1; k < tau; k++) withinX += dist(i, k);
  for (let j = tau; j < b; j++) for (let k = j + 1; k < b; k++) withinY += dist(j, k);
  const q = (t: number) => {
    const m = t - a;
    const n = b - t;
    return ((m * n) / (m + n)) * ((2 / (m * n)) * cross - (2 / (m * (m - 1))) * withinX - (2 / (n * (n - 1))) * withinY);
  };
  let best = { index: tau, qhat: q(tau) };
  for (; tau < b - minSize; ) {
    // Move z[tau] from Y to X.
    let toX = 0;
    let toY = 0;
    for (let i = a; i < tau; i++) toX += dist(tau, i);
    for (let j = tau + 1; j < b; j++) toY += dist(tau, j);
    cross += toY - toX;
    withinX += toX;
    withinY -= toY;
    tau++;
    const value = q(tau);
    if (value > best.qhat) best = { index: tau, qhat: value };
  }
  return best;
}

/**
 * E-divisive means change-point detection with a t-test for significance, as Hunter does
 * (datastax-labs/hunter on MongoDB's signal-processing-algorithms): repeatedly take, over the
 * segments between the change points found so far, the split with the largest q̂; accept it when
 * a two-sample t-test between the two segments next to it (bounded by the neighbouring change
 * points) gives p ≤ alpha, and stop at the first candidate that is not significant. Hunter replaced
 * the original permutation test (Matteson and James 2014) with this t-test: deterministic and
 * workable with few points. Student's pooled t-test by default (see `test`). Returns the change
 * points sorted by index.
 */
export function eDivisiveDetailed(series: readonly number[], options: EDivisiveOptions = {}): ChangePoint[] {
  const minSize = Math.max(2, Math.floor(options.minSize ?? 5));
  const alpha = options.alpha ?? 0.0001;
  const minMagnitude = options.minMagnitude ?? 0;
  const limit = options.maxChangePoints ?? Number.POSITIVE_INFINITY;
  const z = series;
  for (const v of z) if (!Number.isFinite(v)) throw new Error(`eDivisive: values must be finite numbers; got ${v}`);
  const found: ChangePoint[] = [];
  const memo = new Map<string, { index: number; qhat: number } | undefined>();
  while (found.length < limit) {
    const bounds = [0, ...found.map((c) => c.index).sort((x, y) => x - y), z.length];
    let candidate: { index: number; qhat: number; a: number; b: number } | undefined;
    for (let w = 0; w + 1 < bounds.length; w++) {
      const a = bounds[w];
      const b = bounds[w + 1];
      const key = `${a}:${b}`;
      if (!memo.has(key)) memo.set(key, bestSplit(z, a, b, minSize));
      const split = memo.get(key);
      if (split && (!candidate || split.qhat > candidate.qhat)) candidate = { ...split, a, b };
    }
    if (!candidate) break;
    const before = z.slice(candidate.a, candidate.index);
    const after = z.slice(candidate.index, candidate.b);
    const { p } = (options.test === 'welch' ? welchTTest : studentTTest)(before, after);
    const meanBefore = mean(before);
    const meanAfter = mean(after);
    const change = meanAfter / meanBefore - 1;
    if (!(p <= alpha) || Math.abs(change) < minMagnitude) break;
    found.push({ index: candidate.index, p, qhat: candidate.qhat, meanBefore, meanAfter, change });
  }
  return found.sort((x, y) => x.index - y.index);
}

/** Indices of the change points of `series` (see eDivisiveDetailed). */
export function eDivisive(series: readonly number[], options: EDivisiveOptions = {}): number[] {
  return eDivisiveDetailed(series, options).map((c) => c.index);
}
