// Known answers for src/stats: published examples (R's documented examples from Hollander & Wolfe,
// Benjamini & Hochberg 1995), closed forms, and brute-force enumeration where a figure could not be
// trusted from memory. Reference numbers from scipy 1.17 are named as such.
import { describe, expect, it } from 'vitest';
import {
  alphaSpending,
  benjaminiHochberg,
  binomialCdf,
  clopperPearsonUpper,
  createRandom,
  eDivisive,
  eDivisiveDetailed,
  geometricMean,
  hodgesLehmannPaired,
  hodgesLehmannTwoSample,
  holm,
  incompleteBeta,
  mannWhitneyMinP,
  mannWhitneyPmf,
  mannWhitneyU,
  medianCi,
  mulberry32,
  normalCdf,
  normalQuantile,
  signedRankMinP,
  signedRankPmf,
  spentAlpha,
  studentTCdf,
  studentTTest,
  summarize,
  welchTTest,
  wilcoxonSignedRank,
} from '../src/stats/index.ts';

/** All k-subsets of 0..n−1. */
function* subsets(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix;
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) yield* subsets(n, k, i + 1, [...prefix, i]);
}

// R ?wilcox.test: "Permeability constants of the human chorioamnion (a placental membrane) at term
// (x) and between 12 to 26 weeks gestational age (y)", Hollander & Wolfe (1973), p. 69f.
const HW_X = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
const HW_Y = [1.15, 0.88, 0.9, 0.74, 1.21];

// R ?wilcox.test: Hamilton depression scale before (x) and after (y) tranquilizer, Hollander &
// Wolfe (1973), p. 29f.
const DEP_X = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
const DEP_Y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
const DEP_D = DEP_X.map((v, i) => v - DEP_Y[i]);

describe('normal and t distributions', () => {
  it('matches standard table values to full precision', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316301, 15);
    expect(normalCdf(0)).toBe(0.5);
    // Far tail keeps relative precision (Φ(−10) = 7.6198530241605e−24).
    expect(normalCdf(-10) / 7.61985302416052e-24).toBeCloseTo(1, 10);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    for (const p of [1e-8, 0.001, 0.2, 0.5, 0.7, 0.999]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 10);
  });

  it("gives Student's t tail areas (t = 2.015 is the 95% point of t with 5 df)", () => {
    expect(studentTCdf(2.0150483733330233, 5)).toBeCloseTo(0.95, 12);
    expect(studentTCdf(-2.0150483733330233, 5)).toBeCloseTo(0.05, 12);
    expect(studentTCdf(1.959963984540054, 1e7)).toBeCloseTo(0.975, 6);
  });
});

describe('summarize', () => {
  it('gives the order-statistic CI of the median: x(2)..x(9) for n = 10 (coverage 97.9%)', () => {
    const s = summarize([7, 3, 9, 1, 5, 2, 10, 4, 8, 6]);
    expect(s).toMatchObject({ n: 10, mean: 5.5, median: 5.5, min: 1, max: 10, ci95: [2, 9] });
    expect(s.p95).toBeCloseTo(9.55, 12); // R quantile type 7
    expect(s.p99).toBeCloseTo(9.91, 12);
    expect(s.sd).toBeCloseTo(Math.sqrt(55 / 6), 12);
  });

  it('uses [min, max] below 6 values and x(1)..x(n) exactly at 6', () => {
    expect(medianCi([5, 1, 4, 2, 3])).toEqual([1, 5]);
    expect(medianCi([6, 1, 5, 2, 4, 3])).toEqual([1, 6]);
    // n = 20: the 95% interval is x(6)..x(15) (P(B ≤ 5) = 0.0207 ≤ 0.025 < P(B ≤ 6) = 0.0577).
    expect(medianCi(Array.from({ length: 20 }, (_, i) => i + 1))).toEqual([6, 15]);
    // n = 10000: x(4902)..x(5099) (scipy: largest j with binom.cdf(j − 1, n, 1/2) ≤ 0.025).
    expect(medianCi(Array.from({ length: 10_000 }, (_, i) => i + 1))).toEqual([4902, 5099]);
  });

  it('handles one value, and refuses none', () => {
    expect(summarize([42])).toMatchObject({ n: 1, median: 42, sd: 0, ci95: [42, 42] });
    expect(() => summarize([])).toThrow(/no values/);
  });

  it('geometric mean', () => {
    expect(geometricMean([1, 2, 4, 8])).toBeCloseTo(Math.sqrt(8), 12);
    expect(geometricMean(Array.from({ length: 5000 }, () => 1e300))).toBeCloseTo(1e300, -290);
    expect(() => geometricMean([1, 0])).toThrow(/positive/);
  });
});

describe('Mann-Whitney U', () => {
  it("reproduces R's wilcox.test(x, y) example: W = 35, p-value = 0.2544", () => {
    // Our alternatives name the second sample, so R's wilcox.test(x, y) is mannWhitneyU(y, x).
    const r = mannWhitneyU(HW_Y, HW_X);
    expect(r.u).toBe(35);
    expect(r.exact).toBe(true);
    expect(r.p).toBeCloseTo(0.2544, 4);
    // wilcox.test(x, y, alternative = "greater"): p = 0.1272.
    expect(mannWhitneyU(HW_Y, HW_X, { alternative: 'greater' }).p).toBeCloseTo(0.1272, 4);
    // "H&W large sample approximation": exact = FALSE, correct = FALSE gives p-value = 0.1103.
    expect(mannWhitneyU(HW_Y, HW_X, { alternative: 'greater', exact: false, correct: false }).p).toBeCloseTo(0.1103, 4);
    expect(mannWhitneyU(HW_Y, HW_X, { alternative: 'less' }).p).toBeGreaterThan(0.5);
  });

  it('agrees with brute-force enumeration of all C(15, 5) = 3003 rank assignments', () => {
    const all = [...HW_X, ...HW_Y];
    const uOf = (ys: number[], xs: number[]) => ys.reduce((s, yv) => s + xs.filter((xv) => yv > xv).length, 0);
    const observed = uOf(HW_X, HW_Y); // y-role sample: HW_X
    let geq = 0;
    let leq = 0;
    let total = 0;
    for (const pick of subsets(15, 10)) {
      const ys = pick.map((i) => all[i]);
      const xs = all.filter((_, i) => !pick.includes(i));
      const u = uOf(ys, xs);
      if (u >= observed) geq++;
      if (u <= observed) leq++;
      total++;
    }
    expect(total).toBe(3003);
    expect(mannWhitneyU(HW_Y, HW_X, { alternative: 'greater' }).p).toBeCloseTo(geq / total, 12);
    expect(mannWhitneyU(HW_Y, HW_X, { alternative: 'less' }).p).toBeCloseTo(leq / total, 12);
  });

  it('defines "greater" as y above x: a clear upward shift of y gives a small p', () => {
    const x = [10, 11, 12, 13, 14, 15];
    const y = x.map((v) => v + 10);
    expect(mannWhitneyU(x, y, { alternative: 'greater' }).p).toBeCloseTo(1 / 924, 12); // 1/C(12,6)
    expect(mannWhitneyU(x, y, { alternative: 'less' }).p).toBeCloseTo(1, 12);
    // Shifting the null by mu: y − 10 is no longer above x (ties are broken by the shift of 9.5).
    expect(mannWhitneyU(x, y, { alternative: 'greater', mu: 9.5 }).p).toBeGreaterThan(0.2);
    expect(mannWhitneyU(x, y, { alternative: 'greater', mu: 20 }).p).toBeCloseTo(1, 12);
  });

  it('has an exact distribution that sums to 1, is symmetric, and matches counts for m = 2, n = 3', () => {
    const pmf = mannWhitneyPmf(2, 3);
    // C(5,2) = 10 arrangements; U = 0..6 with counts 1,1,2,2,2,1,1.
    expect([...pmf].map((p) => Math.round(p * 10))).toEqual([1, 1, 2, 2, 2, 1, 1]);
    const big = mannWhitneyPmf(50, 50);
    expect(big.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 12);
    expect(big[10] / big[2500 - 10]).toBeCloseTo(1, 10);
    expect(mannWhitneyMinP(4, 4)).toBeCloseTo(1 / 70, 14);
  });

  it('uses the tie-corrected normal approximation with ties (scipy asymptotic, = R exact = FALSE)', () => {
    const x = [1, 2, 2, 3, 4, 5];
    const y = [2, 3, 3, 5, 6, 7, 8];
    const two = mannWhitneyU(x, y);
    expect(two.exact).toBe(false);
    expect(two.u).toBe(32.5);
    expect(two.p).toBeCloseTo(0.1115593054507822, 12);
    expect(mannWhitneyU(x, y, { alternative: 'greater' }).p).toBeCloseTo(0.0557796527253911, 12);
  });
});

describe('Hodges-Lehmann two-sample shift', () => {
  it('gives the median of pairwise differences with the Moses interval (R: wilcox.test(x, y, conf.int = TRUE))', () => {
    const hl = hodgesLehmannTwoSample(HW_Y, HW_X); // shift x − y
    expect(hl.estimate).toBeCloseTo(0.305, 12);
    expect(hl.lo).toBeCloseTo(-0.15, 12);
    expect(hl.hi).toBeCloseTo(0.76, 12);
    expect(hl.exact).toBe(true);
  });

  it('is the inversion of the exact test: shifts just inside are not rejected, just outside are', () => {
    const hl = hodgesLehmannTwoSample(HW_Y, HW_X);
    const eps = 1e-9;
    // Critical value C = qwilcox(0.025, 5, 10) = 9; achieved level 2·P(U ≤ 8) = 0.03996.
    expect(mannWhitneyU(HW_Y, HW_X, { mu: hl.lo + eps }).p).toBeGreaterThan(0.05);
    expect(mannWhitneyU(HW_Y, HW_X, { mu: hl.lo - eps }).p).toBeLessThanOrEqual(0.05);
    expect(mannWhitneyU(HW_Y, HW_X, { mu: hl.hi - eps }).p).toBeGreaterThan(0.05);
    expect(mannWhitneyU(HW_Y, HW_X, { mu: hl.hi + eps }).p).toBeLessThanOrEqual(0.05);
  });

  it('uses exact critical values up to 50 a side and the normal approximation beyond', () => {
    const r = createRandom(7);
    const x = r.many(60, () => r.normal(0, 1));
    const y = r.many(60, () => r.normal(1, 1));
    const hl = hodgesLehmannTwoSample(x, y);
    expect(hl.exact).toBe(false);
    expect(hl.lo).toBeLessThan(hl.estimate);
    expect(hl.hi).toBeGreaterThan(hl.estimate);
    expect(hl.estimate).toBeGreaterThan(0.5);
    expect(hl.estimate).toBeLessThan(1.5);
    // m = n = 10: the exact critical value is 24 (P(U ≤ 23) = 0.0216 ≤ 0.025 < P(U ≤ 24)).
    const a = Array.from({ length: 10 }, (_, i) => i * 100);
    const b = Array.from({ length: 10 }, (_, i) => i * 100 + 1);
    const diffs = b.flatMap((yv) => a.map((xv) => yv - xv)).sort((p, q) => p - q);
    const exact = hodgesLehmannTwoSample(a, b);
    expect([exact.lo, exact.hi]).toEqual([diffs[23], diffs[76]]);
  });
});

describe('Wilcoxon signed-rank', () => {
  it("reproduces R's paired example: V = 40, p-value = 0.01953 (alternative greater)", () => {
    const r = wilcoxonSignedRank(DEP_D, { alternative: 'greater' });
    expect(r).toMatchObject({ w: 40, n: 9, exact: true });
    expect(r.p).toBeCloseTo(0.01953, 5);
    // By hand: P(V ≥ 40) = #{subsets of 1..9 with sum ≤ 5} / 2^9 = 10/512.
    expect(r.p).toBe(10 / 512);
    expect(wilcoxonSignedRank(DEP_D).p).toBe(20 / 512);
  });

  it('agrees with enumeration of all 2^12 sign patterns', () => {
    const d = [0.3, -1.2, 2.5, 0.8, 1.9, -0.4, 3.1, 1.1, 0.05, 2.2, -0.7, 1.6];
    const ranks = d.map((v) => [...d].map(Math.abs).sort((a, b) => a - b).indexOf(Math.abs(v)) + 1);
    const v = d.reduce((s, x, i) => s + (x > 0 ? ranks[i] : 0), 0);
    let geq = 0;
    for (let mask = 0; mask < 4096; mask++) {
      let s = 0;
      for (let i = 0; i < 12; i++) if (mask & (1 << i)) s += i + 1;
      if (s >= v) geq++;
    }
    const r = wilcoxonSignedRank(d, { alternative: 'greater' });
    expect(r.w).toBe(v);
    expect(r.p).toBe(geq / 4096);
    expect(signedRankPmf(12).reduce((s, p) => s + p, 0)).toBeCloseTo(1, 14);
    expect(signedRankMinP(6)).toBe(1 / 64);
  });

  it('drops zeros and corrects for ties in the normal approximation (scipy zero_method="wilcox")', () => {
    const d = [0, 1, -2, 2, 3, 3, 4, -1, 5];
    const two = wilcoxonSignedRank(d);
    expect(two).toMatchObject({ n: 8, exact: false, w: 31 });
    expect(two.p).toBeCloseTo(0.07894833771600107, 12);
    expect(wilcoxonSignedRank(d, { alternative: 'greater' }).p).toBeCloseTo(0.039474168858000536, 12);
    // The depression data forced onto the normal approximation: scipy method="approx" 0.022005.
    expect(wilcoxonSignedRank(DEP_D, { alternative: 'greater', exact: false }).p).toBeCloseTo(0.022005492006475714, 12);
  });

  it('tests against a shifted null with mu', () => {
    const d = [1.1, 1.3, 0.9, 1.2, 1.05, 1.25, 0.95, 1.15];
    expect(wilcoxonSignedRank(d, { alternative: 'greater', mu: 0 }).p).toBe(1 / 256);
    expect(wilcoxonSignedRank(d, { alternative: 'greater', mu: 2 }).p).toBe(1);
    expect(wilcoxonSignedRank(d, { alternative: 'less', mu: 2 }).p).toBe(1 / 256);
  });
});

describe('Hodges-Lehmann paired (pseudo)median', () => {
  it('gives the median Walsh average with Tukey\'s interval (R: wilcox.test(x, y, paired = TRUE, conf.int = TRUE))', () => {
    const hl = hodgesLehmannPaired(DEP_D);
    expect(hl.estimate).toBeCloseTo(0.46, 12);
    expect(hl.lo).toBeCloseTo(0.01, 12);
    expect(hl.hi).toBeCloseTo(0.786, 12);
  });

  it('is the inversion of the exact signed-rank test', () => {
    const hl = hodgesLehmannPaired(DEP_D);
    const eps = 1e-9;
    expect(wilcoxonSignedRank(DEP_D, { mu: hl.lo + eps }).p).toBeGreaterThan(0.05);
    expect(wilcoxonSignedRank(DEP_D, { mu: hl.lo - eps }).p).toBeLessThanOrEqual(0.05);
    expect(wilcoxonSignedRank(DEP_D, { mu: hl.hi - eps }).p).toBeGreaterThan(0.05);
    expect(wilcoxonSignedRank(DEP_D, { mu: hl.hi + eps }).p).toBeLessThanOrEqual(0.05);
  });

  it('approximates for n > 50', () => {
    const r = createRandom(11);
    const d = r.many(80, () => r.normal(2, 1));
    const hl = hodgesLehmannPaired(d);
    expect(hl.exact).toBe(false);
    expect(hl.lo).toBeLessThan(2);
    expect(hl.hi).toBeGreaterThan(2);
    expect(hl.hi - hl.lo).toBeLessThan(0.7);
  });
});

describe('multiple testing', () => {
  // Benjamini & Hochberg (1995), §4: the 15 p-values of Neuhaus et al.; at q = 0.05 the step-up
  // procedure rejects 4 hypotheses, Bonferroni-type step-down procedures 3.
  const P = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1.0];

  it('BH rejects 4 of the 15, Holm 3, with the adjusted values of R p.adjust', () => {
    const bh = benjaminiHochberg(P);
    const h = holm(P);
    expect(bh.filter((p) => p <= 0.05)).toHaveLength(4);
    expect(h.filter((p) => p <= 0.05)).toHaveLength(3);
    // p.adjust(P, "BH") (= scipy.stats.false_discovery_control):
    const expected = [0.0015, 0.003, 0.0095, 0.035625, 0.0603, 0.063857142857, 0.063857142857, 0.0645, 0.0765, 0.486, 0.581181818182, 0.714875, 0.753230769231, 0.813214285714, 1];
    bh.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 10));
    // Holm by hand: 15·p1, 14·p2, 13·p3, 12·p4 = 0.114, then running maxima.
    expect(h.slice(0, 5).map((p) => +p.toFixed(6))).toEqual([0.0015, 0.0056, 0.0247, 0.114, 0.2211]);
    expect(h[14]).toBe(1);
  });

  it('returns values in input order, monotone in the raw p, capped at 1', () => {
    const p = [0.04, 0.01, 0.03, 0.02, 0.9];
    // Sorted: 5·0.01 = 0.05, 4·0.02 = 0.08, 3·0.03 = 0.09, 2·0.04 = 0.08 → 0.09 (running max), 0.9.
    expect(holm(p).map((v) => +v.toFixed(10))).toEqual([0.09, 0.05, 0.09, 0.08, 0.9]);
    expect(benjaminiHochberg(p).map((v) => +v.toFixed(10))).toEqual([0.05, 0.05, 0.05, 0.05, 0.9]);
    expect(holm([0.5, 0.6])).toEqual([1, 1]);
    expect(holm([])).toEqual([]);
    expect(() => holm([1.2])).toThrow(/\[0, 1\]/);
  });
});

describe('Clopper-Pearson upper bound', () => {
  it('is 1 − 0.05^(1/100) = 0.0295 for 0 events in 100 trials', () => {
    expect(clopperPearsonUpper(0, 100)).toBeCloseTo(0.0295, 4);
    expect(clopperPearsonUpper(0, 100)).toBeCloseTo(1 - 0.05 ** 0.01, 14);
  });

  it('solves P(X ≤ k) = 1 − confidence, the beta quantile Beta⁻¹(0.95; k + 1, n − k)', () => {
    for (const [k, n] of [
      [3, 20],
      [10, 50],
      [1, 7],
    ]) {
      const u = clopperPearsonUpper(k, n);
      expect(binomialCdf(k, n, u)).toBeCloseTo(0.05, 10);
      expect(incompleteBeta(u, k + 1, n - k)).toBeCloseTo(0.95, 10);
    }
    expect(clopperPearsonUpper(3, 20)).toBeCloseTo(0.3436638043142818, 10); // scipy beta.ppf(0.95, 4, 17)
    expect(clopperPearsonUpper(5, 5)).toBe(1);
  });
});

describe('alpha spending', () => {
  it('spends exactly alpha in total and never more, for both spending functions', () => {
    for (const kind of ['obrien-fleming', 'pocock'] as const) {
      for (let looks = 1; looks <= 12; looks++) {
        let sum = 0;
        for (let k = 1; k <= looks; k++) {
          const a = alphaSpending(0.05, k, looks, kind);
          expect(a).toBeGreaterThanOrEqual(0);
          sum += a;
        }
        expect(sum).toBeLessThanOrEqual(0.05 + 1e-15);
        expect(sum).toBeCloseTo(0.05, 14);
      }
    }
  });

  it("follows the Lan-DeMets functions: O'Brien-Fleming spends almost nothing at first, Pocock evenly", () => {
    // f(0.2) = 2 − 2Φ(1.959964/√0.2) = 2 − 2Φ(4.3826) = 1.1727e−5.
    expect(alphaSpending(0.05, 1, 5, 'obrien-fleming')).toBeCloseTo(1.1726e-5, 8);
    expect(spentAlpha(0.05, 0.5, 'obrien-fleming')).toBeCloseTo(2 * (1 - normalCdf(1.959963984540054 / Math.SQRT1_2)), 14);
    expect(alphaSpending(0.05, 1, 5, 'pocock')).toBeCloseTo(0.05 * Math.log(1 + (Math.E - 1) * 0.2), 14);
    expect(alphaSpending(0.05, 1, 1)).toBe(0.05);
    expect(() => alphaSpending(0.05, 0, 3)).toThrow(/look/);
  });
});

describe('t-tests', () => {
  const a = [19.1, 20.3, 18.7, 21.0, 19.8, 20.5];
  const b = [22.4, 21.9, 23.1, 22.8, 21.5, 24.0, 22.2];
  it("Welch's test matches R t.test(b, a) (scipy ttest_ind equal_var=False)", () => {
    const r = welchTTest(a, b);
    expect(r.t).toBeCloseTo(5.591362009046782, 10);
    expect(r.df).toBeCloseTo(10.494482872832778, 10);
    expect(r.p).toBeCloseTo(0.00019307984087046934, 12);
  });
  it("Student's pooled test matches R t.test(b, a, var.equal = TRUE)", () => {
    const r = studentTTest(a, b);
    expect(r.t).toBeCloseTo(5.6154638818604585, 10);
    expect(r.df).toBe(11);
    expect(r.p).toBeCloseTo(0.00015665870384391786, 12);
  });
});

describe('E-divisive change points', () => {
  const step = (seed: number) => {
    const r = createRandom(seed);
    return Array.from({ length: 60 }, (_, i) => (i < 40 ? 100 : 115) * (1 + 0.03 * r.normal()));
  };
  const flat = (seed: number) => {
    const r = createRandom(seed);
    return Array.from({ length: 60 }, () => 100 * (1 + 0.03 * r.normal()));
  };

  it('finds a single 15% step at index 40 in 60 points with 3% noise', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const found = eDivisive(step(seed));
      expect(found, `seed ${seed}`).toHaveLength(1);
      expect(Math.abs(found[0] - 40), `seed ${seed}`).toBeLessThanOrEqual(1);
    }
    const [cp] = eDivisiveDetailed(step(1));
    expect(cp.change).toBeGreaterThan(0.12);
    expect(cp.change).toBeLessThan(0.18);
    expect(cp.p).toBeLessThan(1e-10);
  });

  it('finds nothing in flat noise (and its false-alarm rate over 200 seeds stays near the nominal level)', () => {
    for (let seed = 1; seed <= 10; seed++) expect(eDivisive(flat(seed)), `seed ${seed}`).toEqual([]);
    let alarms = 0;
    let stepRight = 0;
    for (let seed = 1; seed <= 200; seed++) {
      if (eDivisive(flat(seed)).length) alarms++;
      const s = eDivisive(step(seed));
      if (s.length === 1 && Math.abs(s[0] - 40) <= 1) stepRight++;
    }
    expect(alarms / 200).toBeLessThanOrEqual(0.01); // measured 0.5% (1 of 200) at the default alpha 0.0001
    expect(stepRight / 200).toBeGreaterThanOrEqual(0.97); // measured 100%
  });

  it('finds two steps, respects minSize, and handles short series', () => {
    const twoSteps = (seed: number) => {
      const r = createRandom(seed);
      return Array.from({ length: 90 }, (_, i) => (i < 30 ? 100 : i < 60 ? 130 : 90) * (1 + 0.02 * r.normal()));
    };
    expect(eDivisive(twoSteps(1))).toEqual([30, 60]);
    // Both steps always; now and then (2 of 200 seeds, e.g. 5) also a chance split of a segment.
    for (let seed = 1; seed <= 10; seed++) expect(eDivisive(twoSteps(seed))).toEqual(expect.arrayContaining([30, 60]));
    expect(eDivisive([1, 2, 3])).toEqual([]);
    const late = Array.from({ length: 30 }, (_, i) => (i < 27 ? 100 : 200) + (i % 2));
    // A step 3 points from the end: with minSize 5 the split can only go as close as index 25.
    expect(eDivisive(late, { minSize: 5 })).toEqual([25]);
    expect(eDivisive(late, { minSize: 3 })).toEqual([27]);
  });
});

describe('seeded random numbers', () => {
  it('mulberry32 is deterministic and uniform-looking', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('Box-Muller normals and log-normals have the requested moments', () => {
    const r = createRandom(3);
    const z = r.many(20_000, () => r.normal(10, 2));
    const m = z.reduce((s, x) => s + x, 0) / z.length;
    const sd = Math.sqrt(z.reduce((s, x) => s + (x - m) ** 2, 0) / (z.length - 1));
    expect(m).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const ln = r.many(20_000, () => r.lognormal(100, 0.05));
    expect(summarize(ln).median).toBeGreaterThan(99);
    expect(summarize(ln).median).toBeLessThan(101);
  });
});
