// Descriptive statistics of one sample: what `summarySchema` (src/schema/results.ts) stores.
import { mean as ssMean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { logChoose } from './distributions.ts';
import { median, medianOfSorted, sorted } from './ranks.ts';

export interface Summary {
  n: number;
  mean: number;
  median: number;
  /** 95th and 99th percentiles, linear interpolation between order statistics (R type 7, numpy default). */
  p95: number;
  p99: number;
  /** Sample standard deviation (n − 1 in the denominator); 0 for a single value. */
  sd: number;
  min: number;
  max: number;
  /** Distribution-free 95% confidence interval of the median (see medianCi). */
  ci95: [number, number];
}

/**
 * Distribution-free confidence interval of the median from binomial order statistics:
 * [x_(k), x_(n−k+1)] with the largest k such that P(Binomial(n, 1/2) ≤ k − 1) ≤ (1 − confidence)/2,
 * whose coverage 1 − 2·P(B ≤ k − 1) is at least `confidence`. Source: Conover, Practical
 * Nonparametric Statistics (3rd ed.), §3.2; Hollander & Wolfe, Nonparametric Statistical Methods, §3.6.
 * With too few values for any order statistic to give that coverage (n < 6 at 95%), the interval
 * is [min, max] (coverage 1 − 2^(1−n), below the nominal level).
 */
export function medianCi(values: readonly number[], confidence = 0.95): [number, number] {
  const s = sorted(values);
  const n = s.length;
  if (n === 0) throw new Error('medianCi: no values');
  const tail = (1 - confidence) / 2;
  // j: 1-based index of the lower order statistic; x_(j) is valid when P(B ≤ j − 1) ≤ tail.
  // The binomial(n, 1/2) distribution function is accumulated term by term (O(n) in all).
  const logHalfN = n * Math.log(0.5);
  let cdf = Math.exp(logHalfN); // P(B ≤ 0)
  let j = 1;
  while (j + 1 <= n - j) {
    const next = cdf + Math.exp(logChoose(n, j) + logHalfN); // P(B ≤ j)
    if (next > tail) break;
    cdf = next;
    j++;
  }
  return [s[j - 1], s[n - j]];
}

/** Median of any values (mean of the two middle values for even lengths); NaN for no values. */
export { median };

/** n, mean, median, p95, p99, sd, min, max and the 95% CI of the median. Throws on an empty sample. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no values');
  const s = sorted(values);
  const n = s.length;
  return {
    n,
    mean: ssMean(s),
    median: medianOfSorted(s),
    p95: quantileSorted(s, 0.95),
    p99: quantileSorted(s, 0.99),
    sd: n > 1 ? sampleStandardDeviation(s) : 0,
    min: s[0],
    max: s[n - 1],
    ci95: medianCi(s, 0.95),
  };
}

/**
 * Geometric mean exp(mean(ln x)) of positive values. Throws on an empty sample or a value ≤ 0.
 * (simple-statistics' geometricMean multiplies the values and overflows for long inputs.)
 */
export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('geometricMean: no values');
  let s = 0;
  for (const v of values) {
    if (!(v > 0)) throw new Error(`geometricMean: values must be positive; got ${v}`);
    s += Math.log(v);
  }
  return Math.exp(s / values.length);
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function sd(xs: readonly number[]): number {
  return xs.length < 2 ? 0 : sampleStandardDeviation([...xs]);
}

/** 1.4826 × median absolute deviation: a robust standard deviation (0 for fewer than two values). */
export function madSd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}
