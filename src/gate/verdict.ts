// The gate's verdict and exit code, for every mode: the one place that turns a comparison (gate,
// merge, results-file, same-runner) or a weekly analysis into pass / warn / fail and 0 / 1. The
// edges only apply it (src/action: `core.setFailed`; src/cli: the exit code). Pure: no fs, no
// process.env, no @actions/*.
import type { Comparison } from '../schema/comparison.ts';
import type { WeeklyAnalysis } from '../weekly/analyze.ts';
import { rankedRegressions } from '../weekly/executive.ts';

export type Verdict = 'pass' | 'warn' | 'fail';

/** Exit codes of the CLI: 0 pass, 1 the gate failed, 2 usage or input error. */
export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

export interface GateVerdict {
  verdict: Verdict;
  /** 0 (pass or warn) or 1 (fail). Usage errors (2) are the edges' business. */
  exitCode: typeof EXIT_PASS | typeof EXIT_FAIL;
  failed: boolean;
  /** Why, in words (the comparison's gate reason). */
  reason: string;
  /** Regressions of the run: minor, major and critical (weekly: ranked regressions and steps). */
  regressions: number;
  improvements: number;
}

/** What the run's comparison says when there is no baseline (see `withMissingBaselinePolicy`). */
export interface MissingBaseline {
  /** Whether a baseline was found. */
  found: boolean;
  /** Why there is none, or where it was looked for. */
  reason?: string;
  source: string;
}

/**
 * The run's gate field after the policy that compare() does not know: with
 * fail-on-missing-baseline, no baseline fails the gate. Otherwise the comparison's own gate.
 */
export function withMissingBaselinePolicy(c: Comparison, baseline: MissingBaseline, failOnMissingBaseline: boolean): Comparison['gate'] {
  if (baseline.found || !failOnMissingBaseline) return c.gate;
  return { failed: true, failOn: c.gate.failOn, reason: `no baseline (${baseline.reason ?? baseline.source}) and fail-on-missing-baseline is true` };
}

/** Minor, major and critical regressions of the run. */
export function regressionCount(c: Comparison): number {
  const { minor, major, critical } = c.overall.counts;
  return minor + major + critical;
}

/** The verdict of a comparison: fail when its gate failed, warn on any regression, else pass. */
export function gateVerdict(c: Comparison): GateVerdict {
  const regressions = regressionCount(c);
  const failed = c.gate.failed;
  return {
    verdict: failed ? 'fail' : regressions > 0 ? 'warn' : 'pass',
    exitCode: failed ? EXIT_FAIL : EXIT_PASS,
    failed,
    reason: c.gate.reason,
    regressions,
    improvements: c.overall.counts.improved,
  };
}

/**
 * The verdict of a weekly report: warn when anything regressed (against the rolling baseline or as
 * a step in the history), else pass. A weekly report never fails the job on what it finds: the
 * summary and the issues are the signal.
 */
export function weeklyVerdict(a: WeeklyAnalysis): GateVerdict {
  const regressions = rankedRegressions(a).length;
  return {
    verdict: regressions ? 'warn' : 'pass',
    exitCode: EXIT_PASS,
    failed: false,
    reason: 'a weekly report does not fail the job on what it finds',
    regressions,
    improvements: a.comparison.overall.counts.improved + a.steps.filter((s) => s.kind === 'improvement').length,
  };
}
