// Shared pieces of the rank tests: alternatives, options, and the normal approximation.
import { normalCdf, normalSf } from './distributions.ts';

/**
 * The alternative hypothesis, always about the location of the SECOND sample (or of the paired
 * differences) relative to the first shifted by `mu`:
 * - `greater`: y tends to be greater than x + mu (for differences d: location of d > mu);
 * - `less`: y tends to be smaller than x + mu (location of d < mu);
 * - `two-sided`: either.
 */
export type Alternative = 'two-sided' | 'less' | 'greater';

export interface RankTestOptions {
  alternative?: Alternative;
  /** Location shift under the null hypothesis (y − x for two samples, d for paired). Default 0. */
  mu?: number;
  /** false forces the normal approximation; by default exact whenever it is available. */
  exact?: boolean;
  /** Continuity correction of the normal approximation (default true, as in R). */
  correct?: boolean;
}

export interface RankTestResult {
  /** p-value of the chosen alternative. */
  p: number;
  /** Whether p comes from the exact null distribution (else the normal approximation). */
  exact: boolean;
}

/**
 * p-value from a statistic with null mean `center` and standard deviation `sd`, with the
 * continuity correction R's wilcox.test uses (±0.5 towards the center).
 */
export function normalApproxP(stat: number, center: number, sd: number, alternative: Alternative, correct: boolean): number {
  const diff = stat - center;
  if (!(sd > 0)) return alternative === 'two-sided' ? 1 : alternative === 'greater' ? (diff > 0 ? 0 : 1) : diff < 0 ? 0 : 1;
  let cc = 0;
  if (correct) cc = alternative === 'two-sided' ? Math.sign(diff) * 0.5 : alternative === 'greater' ? 0.5 : -0.5;
  const z = (diff - cc) / sd;
  if (alternative === 'greater') return normalSf(z);
  if (alternative === 'less') return normalCdf(z);
  return Math.min(1, 2 * Math.min(normalCdf(z), normalSf(z)));
}

/** Tail sums of a probability mass function over 0..max: P(S ≤ s) and P(S ≥ s) for integer s. */
export function lowerTail(pmf: Float64Array, s: number): number {
  const top = Math.min(Math.floor(s), pmf.length - 1);
  let sum = 0;
  for (let i = 0; i <= top; i++) sum += pmf[i];
  return Math.min(1, sum);
}

export function upperTail(pmf: Float64Array, s: number): number {
  let sum = 0;
  for (let i = Math.max(0, Math.ceil(s)); i < pmf.length; i++) sum += pmf[i];
  return Math.min(1, sum);
}

export function exactP(pmf: Float64Array, stat: number, alternative: Alternative): number {
  if (alternative === 'greater') return upperTail(pmf, stat);
  if (alternative === 'less') return lowerTail(pmf, stat);
  return Math.min(1, 2 * Math.min(upperTail(pmf, stat), lowerTail(pmf, stat)));
}

/** Smallest q with P(S ≤ q) ≥ prob (R's qwilcox / qsignrank). */
export function lowerQuantile(pmf: Float64Array, prob: number): number {
  let sum = 0;
  for (let q = 0; q < pmf.length; q++) {
    sum += pmf[q];
    // A tiny tolerance keeps exact ties of cumulative sums (e.g. 0.025 exactly) on the right side.
    if (sum >= prob * (1 - 1e-12)) return q;
  }
  return pmf.length - 1;
}
