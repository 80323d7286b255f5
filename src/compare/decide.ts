// The decision rule for one compared benchmark: verdict, grade and reason. Pure.
import type { BenchmarkComparison, Grade, Verdict } from '../schema/comparison.ts';
import type { Direction } from '../schema/results.ts';
import type { Thresholds } from '../options.ts';
import type { ChangeEstimate } from './estimate.ts';
import { describeChange, formatP, percent } from './format.ts';

/** Improvement (in "worse" terms, −0.10) at which an improved benchmark earns A+. */
export const A_PLUS_IMPROVEMENT = 0.1;
/** Regression at which a minor regression grades C instead of B. */
export const B_C_SPLIT = 0.1;

export interface Decision {
  verdict: Verdict;
  grade?: Grade;
  reason: string;
}

export interface DecisionInput {
  estimate: ChangeEstimate;
  direction: Direction;
  unit: string;
  thresholds: Thresholds;
  /** Noise floor of this benchmark (fraction). */
  noiseFloor: number;
  /** Holm- and Benjamini-Hochberg-adjusted pWorse, BH-adjusted pBetter (absent: not in the family). */
  pHolm?: number;
  pBH?: number;
  pBetterBH?: number;
}

/** head/base ratio and its interval from the log shift in the worse direction. */
export function ratioOf(direction: Direction, shift: number, ci: [number, number]): { ratio: number; ratioCi: [number, number] } {
  return direction === 'lower'
    ? { ratio: Math.exp(shift), ratioCi: [Math.exp(ci[0]), Math.exp(ci[1])] }
    : { ratio: Math.exp(-shift), ratioCi: [Math.exp(-ci[1]), Math.exp(-ci[0])] };
}

/**
 * The rule (worse = e^shift − 1 and its interval [lo, hi]; nf the noise floor; α = thresholds.alpha):
 * 1. inconclusive when there are too few values for the test to ever reach α;
 * 2. a regression is "real" at an adjusted p when p ≤ α AND lo > nf;
 *    critical: real after Holm and worse ≥ critical; major: real after Holm and worse ≥ major;
 *    a major-sized estimate real after Benjamini-Hochberg but not after Holm is inconclusive
 *    ("likely a major regression, not yet proven"): never labelled minor, never failing;
 *    minor: real after Benjamini-Hochberg and minor ≤ worse < major;
 * 3. improved: pBetter ≤ α after BH, hi < −nf and worse ≤ −minor;
 * 4. inconclusive when none of the above holds but hi ≥ major (a major regression cannot be ruled
 *    out: too noisy to tell);
 * 5. unchanged otherwise.
 * Grades: critical F, major D, minor B (worse < 10%) or C, improved A+ (worse ≤ −10%) or A,
 * unchanged A, or A- when the estimate leans worse (worse > nf); inconclusive has none.
 */
export function decide(input: DecisionInput): Decision {
  const { estimate: e, direction, unit, thresholds: t, noiseFloor: nf } = input;
  const worse = Math.expm1(e.shift);
  const lo = Math.expm1(e.shiftCi[0]);
  const hi = Math.expm1(e.shiftCi[1]);
  const { ratio, ratioCi } = ratioOf(direction, e.shift, e.shiftCi);
  const change = describeChange(direction, unit, ratio, ratioCi, 1 - t.alpha);
  if (!e.enough) {
    return { verdict: 'inconclusive', reason: `too few rounds to tell (${e.tooFew}): ${change}` };
  }
  const pHolm = input.pHolm ?? 1;
  const pBH = input.pBH ?? 1;
  const pBetter = input.pBetterBH ?? 1;
  const realHolm = pHolm <= t.alpha && lo > nf;
  const realBH = pBH <= t.alpha && lo > nf;
  const holmText = `significant after Holm (${formatP(pHolm)})`;
  const bhText = `significant after Benjamini-Hochberg (${formatP(pBH)})`;
  if (realHolm && worse >= t.critical) {
    return { verdict: 'critical', grade: 'F', reason: `${change}, ${holmText}: beyond the ${percent(t.critical, 0)} critical threshold` };
  }
  if (realHolm && worse >= t.major) return { verdict: 'major', grade: 'D', reason: `${change}, ${holmText}` };
  if (realBH && worse >= t.major) {
    // Major-sized and significant before the correction for the run's many benchmarks, but not
    // after Holm: calling it minor would understate it, calling it major would claim more than
    // was shown. Said plainly, without a grade; it does not fail the gate.
    return {
      verdict: 'inconclusive',
      reason: `likely a ${worse >= t.critical ? 'critical' : 'major'} regression, not yet proven: ${change}, ${bhText} but not after Holm (${formatP(pHolm)}); re-run with more rounds or pairs`,
    };
  }
  if (realBH && worse >= t.minor) {
    return { verdict: 'minor', grade: worse < B_C_SPLIT ? 'B' : 'C', reason: `${change}, ${bhText}` };
  }
  if (pBetter <= t.alpha && hi < -nf && worse <= -t.minor) {
    return {
      verdict: 'improved',
      grade: worse <= -A_PLUS_IMPROVEMENT ? 'A+' : 'A',
      reason: `${change}, significant after Benjamini-Hochberg (${formatP(pBetter)})`,
    };
  }
  if (hi >= t.major) {
    return {
      verdict: 'inconclusive',
      reason: `too noisy to tell: ${change}; a ${percent(t.major, 0)} (major) regression cannot be ruled out, run more rounds`,
    };
  }
  const leansWorse = worse > nf;
  let reason: string;
  if (realBH) reason = `${change}: significant but below the ${percent(t.minor, 0)} minor threshold`;
  else if (pBetter <= t.alpha && hi < -nf) reason = `${change}: significant but below the ${percent(t.minor, 0)} threshold for an improvement`;
  else if (Math.abs(worse) <= nf) reason = `within the ${percent(nf, 1)} noise floor: ${change}`;
  else reason = `no significant change: ${change}, ${formatP(worse >= 0 ? e.pWorse : e.pBetter)}`;
  return { verdict: 'unchanged', grade: leansWorse ? 'A-' : 'A', reason };
}

/** The fields of a BenchmarkComparison that come from an estimate. */
export function estimateFields(e: ChangeEstimate, direction: Direction): Partial<BenchmarkComparison> {
  const { ratio, ratioCi } = ratioOf(direction, e.shift, e.shiftCi);
  return {
    ratio,
    ratioCi,
    worse: Math.expm1(e.shift),
    worseCi: [Math.expm1(e.shiftCi[0]), Math.expm1(e.shiftCi[1])],
    pWorse: e.pWorse,
    pBetter: e.pBetter,
  };
}
