// Adaptive sampling for same-runner A/B: how many rounds, when to look, at which alpha, and when a
// benchmark is resolved. Pure.
//
// The rule (documented in the README, "Same-runner A/B"):
// - Looks. Look k (k = 1..K) happens after n_k = n_1 + (k − 1)·B rounds of a suite (B = batch).
//   n_1 is the minimum: max(rounds option, 6, the least n at which the exact one-sided Wilcoxon
//   signed-rank test can pass Holm's first step at look 1 for the m benchmarks compared:
//   2^−n ≤ a_1 / m). m is known after the first round; the plan is made again then.
// - Alpha spending. Information fraction t_k = n_k / n_K; cumulative alpha F(t) is the
//   Lan-DeMets O'Brien-Fleming-type spending function F(t) = 2 − 2Φ(z_{1−α/2} / √t) (F(1) = α).
//   Look k tests at a_k = F(t_k) − F(t_{k−1}); the last look made (look K, or an earlier look after
//   which the time budget allows no further batch) tests at the rest, α − F(t_{k−1}). The looks'
//   levels add up to at most α, so by the union bound sampling until significant cannot raise the
//   chance of a false alarm above α (Bonferroni-style, a little conservative).
// - At every look, every test and every interval is at that look's level: compare() runs with
//   thresholds.alpha = a_k (Wilcoxon signed-rank p ≤ a_k after Holm to fail, after
//   Benjamini-Hochberg to warn; Hodges-Lehmann interval at confidence 1 − a_k).
// - A benchmark is resolved when its interval of "worse" lies entirely on one side of each
//   decision boundary, the minor and the major threshold (so more rounds could not move it from
//   pass to warn or from warn to fail), and its verdict is not `inconclusive` (too few pairs, or
//   too noisy to rule out a major regression); a failed benchmark is resolved (more rounds do not
//   help).
//   A suite is resolved when all its benchmarks are; only unresolved suites get more rounds (the
//   slices design goes further: its later pairs measure only the unresolved benchmarks, slices.ts).
// - Sampling stops when every suite is resolved, after look K, or when the time budget is spent.
//   The number of looks is fixed after the first round from its cost: the largest K (at most the
//   setting) whose whole schedule fits the budget (so the looks' levels are fixed in advance). The
//   budget never cuts a suite below 6 round pairs (with fewer the test cannot reach 5% at all); a
//   look cut short by the budget keeps its planned level (conservative).
//   The final comparison is made once, at the alpha of the last look made, over every
//   benchmark's rounds (those of suites resolved earlier are frozen at their look: their
//   intervals only narrow at the final, larger alpha, so they stay resolved).
// - A benchmark still unresolved at the end whose verdict would be `unchanged` is reported
//   `inconclusive` (a minor regression cannot be ruled out): the gate never passes it off as
//   unchanged.
// - The screen (slices design, slices.ts). When Holm's first step moves the first look beyond
//   the pairs asked for (`rounds`, at least MIN_PAIRS and at least the least n with
//   2^−n ≤ a_1; 22 benchmarks: 11 pairs instead of 8), a look at the pairs asked for sets aside
//   the benchmarks that are unchanged beyond doubt: verdict `unchanged` at the first look's level
//   a_1 and the whole interval of "worse" strictly inside (−minor, +minor) (`screenedOut`). They
//   are frozen there as at any look; nothing else is decided at the screen. Why a_1: it is the
//   smallest level the final comparison can be made at (O'Brien-Fleming levels grow from look to
//   look), so a row set aside keeps its interval inside ±minor in the report and its 8 pairs can
//   reach that level. (Tried in the unit tests: at the run's α more rows are set aside, but such
//   a row is reported unchanged with a final interval reaching past the threshold, or, set aside
//   after 6 pairs, "too few rounds" at a_1.) The screen
//   spends no alpha: a benchmark set aside can never be reported minor, major, critical or
//   improved afterwards (the Hodges-Lehmann estimate lies inside the interval, so |worse| < minor
//   whatever the final level), so it can only withhold alarms and claims, never add one (a
//   futility-only look). What it can cost is detection: a true regression of at least the minor
//   threshold is set aside only if the interval at a_1 misses it. At 8 pairs and 22 benchmarks
//   (a_1 = 0.015) that interval is the range of the 8 per-pair estimates (coverage 1 − 2^−7), so
//   a +5% regression is set aside when all 8 pairs read below +5% (about 1 in 256 when its
//   estimates are centred on +5%), a +10% one practically never.
import { MIN_PAIRS } from '../compare/index.ts';
import type { BenchmarkComparison } from '../schema/comparison.ts';
import type { Thresholds } from '../options.ts';
import { signedRankMinP, spentAlpha, type SpendingFunction } from '../stats/index.ts';

export interface AdaptiveSettings {
  /** Rounds before the first look (raised to what the test needs; see minRoundsFor). */
  rounds: number;
  /** Rounds added per look to the suites still unresolved. */
  batch: number;
  /** Most looks (1 = a fixed design: one look after `rounds`). */
  maxLooks: number;
  /** Family alpha spent over all looks. */
  alpha: number;
  spending: SpendingFunction;
  /**
   * Benchmarks tested together (default 1). Holm's first step tests the smallest p at alpha /
   * family, so the first look needs 2^−n_1 ≤ a_1 / family: otherwise no benchmark could fail at
   * that look however large its regression.
   */
  family?: number;
}

/** Batch size and number of looks when the caller does not say (measured: see README, "Calibration"). */
export const ADAPTIVE_DEFAULTS = { batch: 4, maxLooks: 3, spending: 'obrien-fleming' as SpendingFunction };

export interface LookPlan {
  /** Rounds of a suite at each look (n_1 < n_2 < … < n_K). */
  rounds: number[];
  /** Cumulative alpha spent by the end of each look, F(t_k) (last = alpha). */
  spent: number[];
  alpha: number;
  spending: SpendingFunction;
}

function cumulative(alpha: number, rounds: number[], kind: SpendingFunction): number[] {
  const nMax = rounds[rounds.length - 1];
  return rounds.map((n, k) => (k === rounds.length - 1 ? alpha : spentAlpha(alpha, n / nMax, kind)));
}

/**
 * The look schedule. n_1 = max(rounds, MIN_PAIRS, least n with 2^−n ≤ a_1), where a_1 itself
 * depends on n_1 through t_1 = n_1 / n_K; found by counting up.
 */
export function planLooks(s: AdaptiveSettings): LookPlan {
  if (!(s.batch >= 1) || !Number.isInteger(s.batch)) throw new Error(`adaptive batch must be a whole number ≥ 1; got ${s.batch}`);
  if (!(s.maxLooks >= 1) || !Number.isInteger(s.maxLooks)) throw new Error(`adaptive maxLooks must be a whole number ≥ 1; got ${s.maxLooks}`);
  const schedule = (n1: number) => Array.from({ length: s.maxLooks }, (_, k) => n1 + k * s.batch);
  let n1 = Math.max(s.rounds, MIN_PAIRS);
  for (; n1 < 10_000; n1++) {
    const first = cumulative(s.alpha, schedule(n1), s.spending)[0];
    if (signedRankMinP(n1) <= first / Math.max(1, s.family ?? 1)) break;
  }
  const rounds = schedule(n1);
  return { rounds, spent: cumulative(s.alpha, rounds, s.spending), alpha: s.alpha, spending: s.spending };
}

/**
 * Alpha of look k (1-based): the increment F(t_k) − F(t_{k−1}), or, when `last` (no further look
 * will be made), everything not yet spent, α − F(t_{k−1}).
 */
export function lookAlpha(plan: LookPlan, k: number, last: boolean): number {
  if (!Number.isInteger(k) || k < 1 || k > plan.rounds.length) throw new Error(`look must be from 1 to ${plan.rounds.length}; got ${k}`);
  const before = k === 1 ? 0 : plan.spent[k - 2];
  const now = last ? plan.alpha : plan.spent[k - 1];
  return Math.max(0, now - before);
}

export interface Resolution {
  resolved: boolean;
  /** Why not, in words (for the unresolved). */
  why?: string;
}

/** Whether one benchmark's comparison is resolved under the rule above. */
export function resolution(b: BenchmarkComparison, t: Thresholds): Resolution {
  if (b.verdict === 'new' || b.verdict === 'missing') return { resolved: true };
  if (b.error) return { resolved: true };
  if (!b.worseCi) return { resolved: false, why: 'no interval yet' };
  if (b.verdict === 'inconclusive') return { resolved: false, why: b.reason };
  const [lo, hi] = b.worseCi;
  for (const [name, x] of [
    ['minor', t.minor],
    ['major', t.major],
  ] as const) {
    if (lo <= x && x <= hi) {
      return { resolved: false, why: `its interval (${pct(lo)} to ${pct(hi)} worse) still contains the ${pct(x)} ${name} threshold` };
    }
  }
  return { resolved: true };
}

/**
 * Whether the screen (see the header) sets a benchmark aside as unchanged beyond doubt: verdict
 * `unchanged` and its interval of "worse" strictly inside (−minor, +minor).
 */
export function screenedOut(b: BenchmarkComparison, t: Thresholds): boolean {
  if (b.error || b.verdict !== 'unchanged' || !b.worseCi) return false;
  const [lo, hi] = b.worseCi;
  return lo > -t.minor && hi < t.minor;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1).replace(/^-/, '−')}%`;
}
