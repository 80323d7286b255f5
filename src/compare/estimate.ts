// The statistics of one benchmark's change: estimate, interval and one-sided tests. Pure.
import type { Direction } from '../schema/results.ts';
import {
  hodgesLehmannPaired,
  hodgesLehmannTwoSample,
  mannWhitneyMinP,
  mannWhitneyU,
  signedRankMinP,
  wilcoxonSignedRank,
} from '../stats/index.ts';

/** Fewest rounds a side for a stored (two-sample) comparison: benchstat's rule of 4. */
export const MIN_ROUNDS_STORED = 4;
/** Fewest pairs for a paired comparison: below 6 no 95% interval of the signed-rank family exists. */
export const MIN_PAIRS = 6;

export interface ChangeEstimate {
  mode: 'stored' | 'paired';
  /** Values that entered the comparison on each side (pairs: both equal). */
  nBase: number;
  nHead: number;
  /**
   * Shift of the log values in the "worse" direction: ln(head/base) for `lower`-is-better,
   * ln(base/head) for `higher`; positive is worse. Hodges-Lehmann estimate and interval.
   */
  shift: number;
  shiftCi: [number, number];
  /** One-sided p for "worse by more than the noise floor" and for "better by more than it". */
  pWorse: number;
  pBetter: number;
  /** Smallest one-sided p-value the test could give with these sample sizes. */
  minP: number;
  /** Whether there are enough values for the test to ever reach alpha. */
  enough: boolean;
  /** Why not enough, in words ("3 base and 4 head rounds; need at least 4 a side"). */
  tooFew?: string;
  /** Something the reader should know (paired lengths differed). */
  note?: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Compares per-round values of one benchmark on log scale.
 *
 * With s = +1 for `lower`-is-better and −1 for `higher`, a_i = s·ln(base_i), b_j = s·ln(head_j),
 * δ = ln(1 + noiseFloor):
 * - stored: Hodges-Lehmann shift of b − a with Moses' interval; pWorse = Mann-Whitney U, H1: b is
 *   shifted above a + δ; pBetter: H1: b is shifted below a − δ.
 * - paired: d_i = b_i − a_i for i < min(n_base, n_head) (rounds paired by index); Hodges-Lehmann
 *   pseudomedian of d with Tukey's interval; pWorse = Wilcoxon signed-rank, H1: location of d > δ;
 *   pBetter: H1: location < −δ.
 * Values must be positive (throws otherwise).
 */
export function estimateChange(
  base: readonly number[],
  head: readonly number[],
  direction: Direction,
  mode: 'stored' | 'paired',
  noiseFloor: number,
  alpha: number,
): ChangeEstimate {
  for (const v of [...base, ...head]) {
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`values must be positive finite numbers to compare ratios; got ${v}`);
  }
  const sign = direction === 'lower' ? 1 : -1;
  const a = base.map((v) => sign * Math.log(v));
  const b = head.map((v) => sign * Math.log(v));
  const delta = Math.log1p(noiseFloor);
  const confidence = 1 - alpha;
  if (mode === 'paired') {
    const n = Math.min(a.length, b.length);
    const note = a.length !== b.length ? `base has ${plural(a.length, 'round')} and head ${b.length}: paired the first ${n}` : undefined;
    const d = Array.from({ length: n }, (_, i) => b[i] - a[i]);
    const hl = hodgesLehmannPaired(d, confidence);
    const minP = signedRankMinP(n);
    const enough = n >= MIN_PAIRS && minP <= alpha;
    return {
      mode,
      nBase: n,
      nHead: n,
      shift: hl.estimate,
      shiftCi: [hl.lo, hl.hi],
      pWorse: wilcoxonSignedRank(d, { alternative: 'greater', mu: delta }).p,
      pBetter: wilcoxonSignedRank(d, { alternative: 'less', mu: -delta }).p,
      minP,
      enough,
      ...(enough ? {} : { tooFew: `${plural(n, 'pair')} of rounds; need at least ${MIN_PAIRS}` }),
      ...(note ? { note } : {}),
    };
  }
  const hl = hodgesLehmannTwoSample(a, b, confidence);
  const minP = mannWhitneyMinP(a.length, b.length);
  const enough = Math.min(a.length, b.length) >= MIN_ROUNDS_STORED && minP <= alpha;
  return {
    mode,
    nBase: a.length,
    nHead: b.length,
    shift: hl.estimate,
    shiftCi: [hl.lo, hl.hi],
    pWorse: mannWhitneyU(a, b, { alternative: 'greater', mu: delta }).p,
    pBetter: mannWhitneyU(a, b, { alternative: 'less', mu: -delta }).p,
    minP,
    enough,
    ...(enough ? {} : { tooFew: `${a.length} base and ${plural(b.length, 'head round')}; need at least ${MIN_ROUNDS_STORED} a side` }),
  };
}
