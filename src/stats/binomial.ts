// Exact binomial confidence bounds.
import { binomialCdf } from './distributions.ts';

/**
 * Clopper-Pearson exact one-sided upper confidence bound for a proportion after k successes in
 * n trials: the p_U with P(X ≤ k | n, p_U) = 1 − confidence (Clopper and Pearson 1934), found by
 * bisection on the binomial distribution function (equivalent to the beta quantile
 * Beta⁻¹(confidence; k + 1, n − k)). For k = 0 it is 1 − (1 − confidence)^(1/n) (the "rule of
 * three" ≈ 3/n at 95%); for k = n it is 1.
 */
export function clopperPearsonUpper(k: number, n: number, confidence = 0.95): number {
  if (!(n > 0) || !Number.isInteger(n)) throw new Error(`clopperPearsonUpper: n must be a positive whole number; got ${n}`);
  if (!(k >= 0 && k <= n) || !Number.isInteger(k)) throw new Error(`clopperPearsonUpper: k must be a whole number from 0 to n; got ${k}`);
  if (!(confidence > 0 && confidence < 1)) throw new Error(`clopperPearsonUpper: confidence must be in (0, 1); got ${confidence}`);
  if (k === n) return 1;
  const target = 1 - confidence;
  if (k === 0) return -Math.expm1(Math.log(target) / n);
  let lo = k / n;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(k, n, mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
