// Paired samples: Wilcoxon signed-rank test and the Hodges-Lehmann (pseudo)median.
import { normalQuantile } from './distributions.ts';
import { rank, tieSum } from './ranks.ts';
import { type Alternative, type RankTestOptions, type RankTestResult, exactP, lowerQuantile, normalApproxP } from './tests-common.ts';

/** Largest number of (non-zero) differences for which the exact null distribution is used. */
export const SIGNED_RANK_EXACT_MAX_N = 50;

export interface SignedRankResult extends RankTestResult {
  /** V: the sum of the ranks of |d_i − mu| over the differences with d_i − mu > 0 (R's V). */
  w: number;
  /** Number of differences that entered the test (zeros d_i = mu dropped). */
  n: number;
}

const pmfCache = new Map<number, Float64Array>();

/**
 * Exact null distribution of V for n differences without ties or zeros: each rank 1..n is
 * positive with probability 1/2 independently, so the count of subsets of {1..n} summing to v obeys
 * c_n(v) = c_{n−1}(v) + c_{n−1}(v − n). Counts stay below 2^50, exact in doubles for n ≤ 50.
 */
export function signedRankPmf(n: number): Float64Array {
  const hit = pmfCache.get(n);
  if (hit) return hit;
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) {
    const top = (k * (k + 1)) / 2;
    for (let v = top; v >= k; v--) counts[v] += counts[v - k];
  }
  const total = 2 ** n;
  const pmf = counts.map((c) => c / total);
  pmfCache.set(n, pmf);
  return pmf;
}

/** Smallest one-sided p-value the exact signed-rank test can give with n differences: 2^−n. */
export function signedRankMinP(n: number): number {
  return 2 ** -n;
}

/**
 * Wilcoxon signed-rank test of H0: the differences d are symmetric about mu.
 * Differences equal to mu are dropped (Wilcoxon's original method, as R does). Exact p
 * (signedRankPmf) for n ≤ 50 when there were no ties among |d − mu| and no zeros; otherwise the
 * normal approximation with mean n(n+1)/4 and tie-corrected variance
 *   n(n+1)(2n+1)/24 − Σ(t³ − t)/48,
 * with a continuity correction of 1/2. Source: Hollander & Wolfe, Nonparametric Statistical
 * Methods (2nd ed.), §3.1; R's stats::wilcox.test(paired = TRUE).
 */
export function wilcoxonSignedRank(d: readonly number[], options: RankTestOptions = {}): SignedRankResult {
  const alternative: Alternative = options.alternative ?? 'two-sided';
  const mu = options.mu ?? 0;
  const shifted = d.map((v) => v - mu);
  const nonZero = shifted.filter((v) => v !== 0);
  const zeros = shifted.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) return { w: 0, n: 0, p: 1, exact: false };
  const { ranks, ties } = rank(nonZero.map(Math.abs));
  let w = 0;
  for (let i = 0; i < n; i++) if (nonZero[i] > 0) w += ranks[i];
  const exact = options.exact !== false && ties.length === 0 && zeros === 0 && n <= SIGNED_RANK_EXACT_MAX_N;
  if (exact) return { w, n, p: exactP(signedRankPmf(n), w, alternative), exact: true };
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieSum(ties) / 48;
  return { w, n, p: normalApproxP(w, (n * (n + 1)) / 4, Math.sqrt(Math.max(0, variance)), alternative, options.correct !== false), exact: false };
}

export interface LocationEstimate {
  estimate: number;
  lo: number;
  hi: number;
  /** Whether the interval used exact critical values (else the normal approximation). */
  exact: boolean;
}

/**
 * Hodges-Lehmann estimate of the location of paired differences: the median of the n(n+1)/2
 * Walsh averages (d_i + d_j)/2, i ≤ j, with Tukey's distribution-free confidence interval
 * [W_(C), W_(N+1−C)], N = n(n+1)/2, C = qsignrank((1 − confidence)/2, n) (at least 1), exact for
 * n ≤ 50, otherwise C = ⌊N/2 − z·√(n(n+1)(2n+1)/24) + 1/2⌋. Source: Hollander & Wolfe §3.2-3.3;
 * matches R's wilcox.test(d, conf.int = TRUE) in the exact case. All differences are used
 * (zeros too: they are evidence about the location).
 */
export function hodgesLehmannPaired(d: readonly number[], confidence = 0.95): LocationEstimate {
  const n = d.length;
  if (n === 0) throw new Error('hodgesLehmannPaired: no differences');
  const total = (n * (n + 1)) / 2;
  const walsh = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh[k++] = (d[i] + d[j]) / 2;
  walsh.sort();
  const estimate = total % 2 ? walsh[(total - 1) / 2] : (walsh[total / 2 - 1] + walsh[total / 2]) / 2;
  const tail = (1 - confidence) / 2;
  const exact = n <= SIGNED_RANK_EXACT_MAX_N;
  let c: number;
  if (exact) {
    c = lowerQuantile(signedRankPmf(n), tail);
  } else {
    c = Math.floor(total / 2 - normalQuantile(1 - tail) * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24) + 0.5);
  }
  c = Math.min(Math.max(c, 1), Math.ceil(total / 2));
  return { estimate, lo: walsh[c - 1], hi: walsh[total - c], exact };
}
