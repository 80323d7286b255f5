// Two independent samples: Mann-Whitney U (Wilcoxon rank-sum) and the Hodges-Lehmann shift.
import { logChoose, normalQuantile } from './distributions.ts';
import { rank, tieSum } from './ranks.ts';
import { type Alternative, type RankTestOptions, type RankTestResult, exactP, lowerQuantile, normalApproxP } from './tests-common.ts';

/** Largest sample size (each side) for which the exact null distribution is used. */
export const EXACT_MAX_N = 50;

export interface MannWhitneyResult extends RankTestResult {
  /**
   * U statistic of y: the number of pairs (x_i, y_j) with y_j − mu > x_i, ties counting 1/2.
   * mannWhitneyU(x, y) gives R's `wilcox.test(y, x)`: W = U and the same p for the same
   * alternative (R's alternatives name the first sample; ours name y).
   */
  u: number;
}

const pmfCache = new Map<string, Float64Array>();

/**
 * Exact null distribution of U for sample sizes m = |x| and n = |y| without ties:
 * P(U = u) for u = 0..mn. Recurrence on the largest observation (Mann and Whitney 1947): it is a
 * y with probability n/(m+n) and then beats all m x's, so
 *   p_{m,n}(u) = n/(m+n) · p_{m,n−1}(u − m) + m/(m+n) · p_{m−1,n}(u),
 * computed in probabilities (no huge counts), row by row over m.
 */
export function mannWhitneyPmf(m: number, n: number): Float64Array {
  const key = `${m},${n}`;
  const hit = pmfCache.get(key);
  if (hit) return hit;
  // prev[j] = distribution for (i − 1, j); start with i = 0: U ≡ 0.
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const cur: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const out = new Float64Array(i * j + 1);
      const a = cur[j - 1]; // (i, j − 1): largest is a y, add i
      const b = prev[j]; // (i − 1, j): largest is an x
      const wy = j / (i + j);
      const wx = i / (i + j);
      for (let u = 0; u < a.length; u++) out[u + i] += wy * a[u];
      for (let u = 0; u < b.length; u++) out[u] += wx * b[u];
      cur.push(out);
    }
    prev = cur;
  }
  const pmf = prev[n];
  if (pmfCache.size > 64) pmfCache.clear();
  pmfCache.set(key, pmf);
  return pmf;
}

/** Smallest one-sided p-value the exact test can give with m and n values: 1 / C(m+n, m). */
export function mannWhitneyMinP(m: number, n: number): number {
  return Math.exp(-logChoose(m + n, m));
}

/**
 * Mann-Whitney U test of H0: y and x − shifted by mu − have the same distribution.
 * Exact p (mannWhitneyPmf) when both samples have at most 50 values and there are no ties;
 * otherwise the normal approximation with the tie-corrected variance
 *   Var U = mn/12 · ((N + 1) − Σ(t³ − t) / (N(N − 1))),  N = m + n,
 * and a continuity correction of 1/2 (as R's wilcox.test). Source: Hollander & Wolfe,
 * Nonparametric Statistical Methods (2nd ed.), §4.1; R's stats::wilcox.test.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], options: RankTestOptions = {}): MannWhitneyResult {
  const alternative: Alternative = options.alternative ?? 'two-sided';
  const mu = options.mu ?? 0;
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new Error('mannWhitneyU: both samples need at least one value');
  const combined = [...x, ...y.map((v) => v - mu)];
  const { ranks, ties } = rank(combined);
  let rankSumY = 0;
  for (let j = m; j < m + n; j++) rankSumY += ranks[j];
  const u = rankSumY - (n * (n + 1)) / 2;
  const exact = options.exact !== false && ties.length === 0 && m <= EXACT_MAX_N && n <= EXACT_MAX_N;
  if (exact) return { u, p: exactP(mannWhitneyPmf(m, n), u, alternative), exact: true };
  const N = m + n;
  const variance = ((m * n) / 12) * (N + 1 - tieSum(ties) / (N * (N - 1)));
  return { u, p: normalApproxP(u, (m * n) / 2, Math.sqrt(Math.max(0, variance)), alternative, options.correct !== false), exact: false };
}

export interface ShiftEstimate {
  /** Point estimate of the shift. */
  estimate: number;
  /** Confidence interval. */
  lo: number;
  hi: number;
  /** Whether the interval used exact critical values (else the normal approximation). */
  exact: boolean;
}

/**
 * Hodges-Lehmann estimate of the shift y − x: the median of all m·n differences y_j − x_i, with
 * the distribution-free confidence interval of Moses (Lehmann 1963; Hollander & Wolfe §4.3):
 * [D_(C), D_(mn+1−C)] of the sorted differences, where C is the lower (1 − confidence)/2 critical
 * value of U: C = qwilcox((1 − confidence)/2, m, n) (at least 1), exact for m, n ≤ 50; otherwise
 * C = ⌊mn/2 − z·√(mn(m+n+1)/12) + 1/2⌋. Matches R's wilcox.test(y, x, conf.int = TRUE) in the
 * exact case.
 */
export function hodgesLehmannTwoSample(x: readonly number[], y: readonly number[], confidence = 0.95): ShiftEstimate {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) throw new Error('hodgesLehmannTwoSample: both samples need at least one value');
  const diffs = new Float64Array(m * n);
  let k = 0;
  for (const yj of y) for (const xi of x) diffs[k++] = yj - xi;
  diffs.sort();
  const total = m * n;
  const estimate = total % 2 ? diffs[(total - 1) / 2] : (diffs[total / 2 - 1] + diffs[total / 2]) / 2;
  const tail = (1 - confidence) / 2;
  const exact = m <= EXACT_MAX_N && n <= EXACT_MAX_N;
  let c: number;
  if (exact) {
    c = lowerQuantile(mannWhitneyPmf(m, n), tail);
  } else {
    c = Math.floor(total / 2 - normalQuantile(1 - tail) * Math.sqrt((total * (m + n + 1)) / 12) + 0.5);
  }
  c = Math.min(Math.max(c, 1), Math.ceil(total / 2));
  return { estimate, lo: diffs[c - 1], hi: diffs[total - c], exact };
}
