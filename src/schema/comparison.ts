// perfgate/comparison@1: the decision for one run against one baseline.
import { z } from 'zod';
import { directionSchema } from './results.ts';

export const COMPARISON_SCHEMA = 'perfgate/comparison@1' as const;

export const verdictSchema = z.enum([
  'improved',
  'unchanged',
  'inconclusive',
  'minor',
  'major',
  'critical',
  /** In head, not in the baseline. */
  'new',
  /** In the baseline, not in head. */
  'missing',
]);
export type Verdict = z.infer<typeof verdictSchema>;

export const gradeSchema = z.enum(['A+', 'A', 'A-', 'B', 'C', 'D', 'F']);
export type Grade = z.infer<typeof gradeSchema>;

export const GRADE_LABELS: Record<Grade, string> = {
  'A+': 'Exceptional',
  A: 'Very good',
  'A-': 'Good',
  B: 'Fair',
  C: 'Weak',
  D: 'Poor',
  F: 'Failing',
};

const sideSchema = z.object({
  /** Median of the per-round values, in `unit`. */
  median: z.number(),
  /** Number of rounds (samples entering the test). */
  n: z.number().int().nonnegative(),
});

export const benchmarkComparisonSchema = z.object({
  id: z.string(),
  suite: z.string(),
  name: z.string(),
  unit: z.string(),
  direction: directionSchema,
  base: sideSchema.optional(),
  head: sideSchema.optional(),
  /** Estimated head/base ratio of the metric (Hodges-Lehmann on log values). */
  ratio: z.number().optional(),
  /** 95% interval of the ratio. */
  ratioCi: z.tuple([z.number(), z.number()]).optional(),
  /**
   * Change expressed so that positive is worse, whatever the direction: for `lower` it is
   * ratio - 1, for `higher` it is 1/ratio - 1. Interval likewise.
   */
  worse: z.number().optional(),
  worseCi: z.tuple([z.number(), z.number()]).optional(),
  /** One-sided p-value for "worse beyond the noise floor", and for "better". */
  pWorse: z.number().optional(),
  pBetter: z.number().optional(),
  /** Holm-adjusted (for failing) and Benjamini-Hochberg-adjusted (for warnings) pWorse. */
  pHolm: z.number().optional(),
  pBH: z.number().optional(),
  noiseFloor: z.number().optional(),
  verdict: verdictSchema,
  grade: gradeSchema.optional(),
  /** One line saying why, in plain words. */
  reason: z.string(),
  /** Native speedup: the metric of this benchmark's TypeScript twin over this one (head side). */
  speedup: z.object({ versus: z.string(), factor: z.number() }).optional(),
  /** Estimated cycles per operation (median of rounds) on each side and head/base − 1: clock instructions under callgrind. */
  cycles: z.object({ base: z.number(), head: z.number(), change: z.number() }).optional(),
  sla: z.object({ met: z.boolean(), headroom: z.number().optional(), detail: z.string() }).optional(),
  error: z.string().optional(),
});
export type BenchmarkComparison = z.infer<typeof benchmarkComparisonSchema>;

export const groupSummarySchema = z.object({
  /** Suite name, or `(run)` for the whole run. */
  name: z.string(),
  /** Geometric mean of head/base "worse" ratios (1 + worse) over compared benchmarks. */
  geomeanWorseRatio: z.number().optional(),
  /** Absent when no benchmark of the group could be graded (all new, missing or inconclusive). */
  grade: gradeSchema.optional(),
  /** The grade's label (GRADE_LABELS), or "Not graded". */
  label: z.string(),
  counts: z.record(verdictSchema, z.number().int().nonnegative()),
});
export type GroupSummary = z.infer<typeof groupSummarySchema>;

export const comparisonSchema = z.object({
  schema: z.literal(COMPARISON_SCHEMA),
  /** `paired`: both sides ran interleaved on this runner; `stored`: against stored numbers. */
  mode: z.enum(['paired', 'stored', 'none']),
  crossMachine: z.boolean(),
  base: z
    .object({ commit: z.string().optional(), ref: z.string().optional(), fingerprint: z.string(), source: z.string() })
    .optional(),
  head: z.object({ commit: z.string().optional(), ref: z.string().optional(), fingerprint: z.string() }),
  thresholds: z.object({ minor: z.number(), major: z.number(), critical: z.number(), noiseFloor: z.number(), alpha: z.number() }),
  benchmarks: z.array(benchmarkComparisonSchema),
  suites: z.array(groupSummarySchema),
  overall: groupSummarySchema,
  /** The gate's answer under the configured fail-on. */
  gate: z.object({ failed: z.boolean(), failOn: z.enum(['major', 'minor', 'never']), reason: z.string() }),
  notices: z.array(z.string()),
});
export type Comparison = z.infer<typeof comparisonSchema>;
