// Welch's two-sample t-test (unequal variances).
import { mean, sampleVariance } from 'simple-statistics';
import { studentTTwoSided } from './distributions.ts';

export interface TTestResult {
  t: number;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Welch's t-test of equal means: t = (ȳ − x̄) / √(s_x²/m + s_y²/n) with the Welch-Satterthwaite
 * degrees of freedom (Welch 1947). Needs at least 2 values a side. When both variances are 0 the
 * test is degenerate: p = 1 for equal means, 0 otherwise.
 */
export function welchTTest(x: readonly number[], y: readonly number[]): TTestResult {
  const m = x.length;
  const n = y.length;
  if (m < 2 || n < 2) throw new Error('welchTTest: both samples need at least 2 values');
  const mx = mean(x as number[]);
  const my = mean(y as number[]);
  const vx = sampleVariance(x as number[]) / m;
  const vy = sampleVariance(y as number[]) / n;
  const se2 = vx + vy;
  if (!(se2 > 0)) return { t: my === mx ? 0 : Math.sign(my - mx) * Infinity, df: m + n - 2, p: my === mx ? 1 : 0 };
  const t = (my - mx) / Math.sqrt(se2);
  const df = (se2 * se2) / ((vx * vx) / (m - 1) + (vy * vy) / (n - 1));
  return { t, df, p: studentTTwoSided(t, df) };
}

/**
 * Student's two-sample t-test with pooled variance: t = (ȳ − x̄) / (s_p √(1/m + 1/n)),
 * s_p² = ((m−1)s_x² + (n−1)s_y²)/(m + n − 2), df = m + n − 2. Exact under normality with equal
 * variances, which is what "no change" means when testing a candidate change point.
 */
export function studentTTest(x: readonly number[], y: readonly number[]): TTestResult {
  const m = x.length;
  const n = y.length;
  if (m < 2 || n < 2) throw new Error('studentTTest: both samples need at least 2 values');
  const mx = mean(x as number[]);
  const my = mean(y as number[]);
  const df = m + n - 2;
  const pooled = ((m - 1) * sampleVariance(x as number[]) + (n - 1) * sampleVariance(y as number[])) / df;
  const se = Math.sqrt(pooled * (1 / m + 1 / n));
  if (!(se > 0)) return { t: my === mx ? 0 : Math.sign(my - mx) * Infinity, df, p: my === mx ? 1 : 0 };
  const t = (my - mx) / se;
  return { t, df, p: studentTTwoSided(t, df) };
}
