// Distribution functions the tests need, to full double precision.
//
// simple-statistics supplies gammaln (Lanczos approximation, Godfrey's coefficients, about 15
// significant digits). Its cumulativeStdNormalProbability is a lookup in a 4-decimal table and its
// probit a rough inverse error function: too coarse for p-values that Holm multiplies by the number
// of benchmarks, so the normal distribution is computed here from the incomplete gamma function.
import { gammaln } from 'simple-statistics';

const EPS = 1e-16;
const TINY = 1e-300;
const LOG_SQRT_PI = 0.5723649429247001; // ln Γ(1/2) = ln √π

/** ln Γ(a) for a > 0 (simple-statistics' Lanczos approximation; exact constant for a = 1/2). */
export function logGamma(a: number): number {
  return a === 0.5 ? LOG_SQRT_PI : gammaln(a);
}

/** ln C(n, k), the log of the binomial coefficient, for real n ≥ k ≥ 0. */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), each computed
 * directly (series for x < a + 1, Lentz's continued fraction otherwise) so that small tails keep
 * their relative precision. Source: Press et al., Numerical Recipes (3rd ed.), §6.2.
 */
export function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (x <= 0) return { p: 0, q: 1 };
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let i = 0; i < 10_000; i++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    const p = Math.min(1, sum * front);
    return { p, q: 1 - p };
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  const q = Math.min(1, front * h);
  return { p: 1 - q, q };
}

/** Complementary error function erfc(x) = Q(1/2, x²) for x ≥ 0, 2 − erfc(−x) for x < 0. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x === 0) return 1;
  const { p, q } = incompleteGamma(0.5, x * x);
  return x > 0 ? q : 1 + p;
}

/** Standard normal distribution function Φ(z) = erfc(−z/√2)/2, accurate in both tails. */
export function normalCdf(z: number): number {
  if (z === Number.POSITIVE_INFINITY) return 1;
  if (z === Number.NEGATIVE_INFINITY) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Upper tail 1 − Φ(z), without cancellation for large z. */
export function normalSf(z: number): number {
  return normalCdf(-z);
}

/**
 * Standard normal quantile Φ⁻¹(p): Acklam's rational approximation (relative error 1.15e-9),
 * polished with one Halley step against normalCdf to full precision.
 * Source: P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
 * function" (2003).
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // Halley refinement of Φ(x) − p = 0; in the upper half Φ(x) − p is computed as (1 − p) − (1 − Φ(x))
  // to avoid cancellation.
  const e = p > 0.5 ? 1 - p - normalSf(x) : normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  if (Number.isFinite(u)) x = x - u / (1 + (x * u) / 2);
  return x;
}

/** Continued fraction of the incomplete beta function (modified Lentz). Numerical Recipes §6.4. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), for 0 ≤ x ≤ 1, a, b > 0.
 * Continued fraction with the symmetry I_x(a, b) = 1 − I_{1−x}(b, a). Numerical Recipes §6.4.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Two-sided tail probability of Student's t: P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? Number.NaN : 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** Student's t distribution function P(T ≤ t) for df > 0 degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const half = studentTTwoSided(t, df) / 2;
  return t < 0 ? half : 1 - half;
}

/**
 * Quantile of Student's t: the t with P(T ≤ t) = p, for 0 < p < 1 and df > 0 (df = Infinity: the
 * normal quantile). Bisection on studentTCdf to 1e-10.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`p must be in (0, 1); got ${p}`);
  if (!Number.isFinite(df)) return normalQuantile(p);
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Binomial distribution function P(X ≤ k) for X ~ Binomial(n, p), summed in log space so that
 * large n neither underflows nor loses the small tail.
 */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const kk = Math.floor(k);
  const terms: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i <= kk; i++) {
    const t = logChoose(n, i) + i * logP + (n - i) * logQ;
    terms.push(t);
    if (t > max) max = t;
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return Math.min(1, Math.exp(max + Math.log(sum)));
}
