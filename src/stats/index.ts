// Pure statistics: descriptive summaries, rank tests with their shift estimates, multiple-testing
// adjustments, exact binomial bounds, alpha spending, change points and a seeded PRNG.
export { summarize, median, medianCi, geometricMean, sd, madSd, type Summary } from './summary.ts';
export {
  normalCdf,
  normalSf,
  normalQuantile,
  erfc,
  logGamma,
  logChoose,
  incompleteGamma,
  incompleteBeta,
  studentTCdf,
  studentTTwoSided,
  studentTQuantile,
  binomialCdf,
} from './distributions.ts';
export { rank, tieSum, sorted, medianOfSorted } from './ranks.ts';
export type { Alternative, RankTestOptions, RankTestResult } from './tests-common.ts';
export {
  mannWhitneyU,
  mannWhitneyPmf,
  mannWhitneyMinP,
  hodgesLehmannTwoSample,
  EXACT_MAX_N,
  type MannWhitneyResult,
  type ShiftEstimate,
} from './mann-whitney.ts';
export {
  wilcoxonSignedRank,
  signedRankPmf,
  signedRankMinP,
  hodgesLehmannPaired,
  SIGNED_RANK_EXACT_MAX_N,
  type SignedRankResult,
  type LocationEstimate,
} from './wilcoxon.ts';
export { holm, benjaminiHochberg } from './multiple.ts';
export { clopperPearsonUpper } from './binomial.ts';
export { alphaSpending, spentAlpha, type SpendingFunction } from './sequential.ts';
export { welchTTest, studentTTest, type TTestResult } from './t-test.ts';
export { eDivisive, eDivisiveDetailed, type EDivisiveOptions, type ChangePoint } from './change-points.ts';
export { mulberry32, createRandom, shuffle, type Random } from './random.ts';
