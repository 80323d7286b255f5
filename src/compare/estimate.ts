// The statistics of one benchmark's change: estimate, interval and one-sided tests. Pure.
import type { Direction } from '../schema/results.ts';
import {
  hodgesLehmannPaired,
  hodgesLehmannTwoSample,
  mannWhitneyMinP,
  mannWhitneyU,
  normalQuantile,
  normalSf,
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
  /** Stored mode: the session spread the change was tested against. */
  session?: SessionSpread;
}

/**
 * How much separate sessions of the same code differ (sd of the log of session medians), for a
 * stored comparison: `sessions` is the number of sessions the baseline pooled (1: a single
 * session); `measured` false when it is the assumed DEFAULT_SESSION_SD.
 */
export interface SessionSpread {
  sd: number;
  sessions: number;
  measured: boolean;
}

/** Smallest session spread used even when the measured one is smaller (a few sessions can all be quiet). */
export const SESSION_SD_FLOOR = 0.05;

/**
 * Session spread assumed when a baseline carries none (sd of the log of session medians). The
 * design study on this VM found 4–10% between sessions of 40 s (3 of 6 with a CPU-bound process
 * on one core), and 20–40% session-to-session changes of multi-threaded tasks under load; 15%
 * keeps unchanged code from failing or "improving" when the machine is busier or quieter than
 * when the baseline was saved, at the cost of failing only large changes (a doubling fails).
 */
export const DEFAULT_SESSION_SD = 0.15;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Compares per-round values of one benchmark on log scale.
 *
 * With s = +1 for `lower`-is-better and −1 for `higher`, a_i = s·ln(base_i), b_j = s·ln(head_j),
 * δ = ln(1 + noiseFloor):
 * - stored: Hodges-Lehmann shift of b − a with Moses' interval; pWorse = Mann-Whitney U, H1: b is
 *   shifted above a + δ; pBetter: H1: b is shifted below a − δ. With a session spread (always, from
 *   compare()): also a t test of the shift against the spread between sessions (see below); the
 *   larger p and the wider interval count.
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
  session?: SessionSpread,
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
  let shiftCi: [number, number] = [hl.lo, hl.hi];
  let pWorse = mannWhitneyU(a, b, { alternative: 'greater', mu: delta }).p;
  let pBetter = mannWhitneyU(a, b, { alternative: 'less', mu: -delta }).p;
  if (session) {
    // The rounds of one session share its machine state: a change must also stand out from how
    // much whole sessions differ. se = sd·√(1 + 1/sessions) (this run is one more session), the sd
    // treated as known (it has a floor); the one-sided z p-values and interval combine with the rank test's by taking the larger
    // p and the union of the intervals.
    const se = Math.max(session.sd, 1e-9) * Math.sqrt(1 + 1 / Math.max(1, session.sessions));
    pWorse = Math.max(pWorse, normalSf((hl.estimate - delta) / se));
    pBetter = Math.max(pBetter, normalSf((-hl.estimate - delta) / se));
    const q = normalQuantile(1 - alpha / 2) * se;
    shiftCi = [Math.min(hl.lo, hl.estimate - q), Math.max(hl.hi, hl.estimate + q)];
  }
  return {
    mode,
    nBase: a.length,
    nHead: b.length,
    shift: hl.estimate,
    shiftCi,
    pWorse,
    pBetter,
    minP,
    enough,
    ...(session ? { session } : {}),
    ...(enough ? {} : { tooFew: `${a.length} base and ${plural(b.length, 'head round')}; need at least ${MIN_ROUNDS_STORED} a side` }),
  };
}
