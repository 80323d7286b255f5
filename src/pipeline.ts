// The stages every entry point shares: measure → (baseline, from a store chosen by the caller)
// → compare → report → gate. Entry points (src/cli.ts, src/main.ts) parse their inputs into
// Options and call these; the stores and GitHub delivery stay in their adapters.
import { compare } from './compare/index.ts';
import { measure } from './measure/index.ts';
import type { Options } from './options.ts';
import type { Comparison } from './schema/comparison.ts';
import type { Clock, Results } from './schema/results.ts';

export interface Log {
  info(message: string): void;
  warning(message: string): void;
}

export interface MeasureContext {
  cwd: string;
  commit?: string;
  ref?: string;
  log: Log;
  /** Called with "suite round k of n" progress. */
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number; index?: number; suites?: number }) => void;
  /** Extra environment for the suite processes. */
  env?: Record<string, string>;
}

/**
 * The clock to measure with. `auto` picks the wall clock: on this project's calibration machine it
 * gave the tightest same-commit spread for both CPU-bound and async suites (see README, "Clocks").
 */
export function resolveClock(opts: Options): Clock {
  return opts.clock === 'auto' ? 'wall' : opts.clock;
}

/** Runs the configured suites, each round in a fresh process. */
export async function measureSuites(opts: Options, ctx: MeasureContext): Promise<Results> {
  const results = await measure({
    cwd: ctx.cwd,
    suites: opts.suites,
    rounds: opts.rounds,
    clock: resolveClock(opts),
    suiteTimeout: opts.suiteTimeout,
    taskTimeMs: opts.taskTime,
    timeBudget: opts.timeBudget,
    env: ctx.env,
    onProgress: ctx.onProgress,
    commit: ctx.commit,
    ref: ctx.ref,
  });
  if (results.disturbance?.warning) ctx.log.warning(results.disturbance.warning);
  return results;
}

export interface BaselineSide {
  /** null when there is no baseline yet. */
  results: Results | null;
  /** Where it came from, for the report ("baselines/ (file)", "cache key …", "base commit abc123"). */
  source: string;
  /** Why there is none (when results is null). */
  reason?: string;
}

/** Compares head with the baseline under the options' thresholds and fail-on. */
export function decide(opts: Options, head: Results, baseline: BaselineSide, mode: 'stored' | 'paired' = 'stored'): Comparison {
  const comparison = compare({
    base: baseline.results,
    head,
    thresholds: opts.thresholds,
    failOn: opts.failOn,
    failOnCrossMachine: opts.failOnCrossMachine,
    mode,
    baseSource: baseline.source,
    noiseFloor: baseline.results?.noiseFloor,
  });
  if (!baseline.results && baseline.reason) comparison.notices.unshift(baseline.reason);
  if (head.disturbance?.warning) comparison.notices.push(head.disturbance.warning);
  if (!baseline.results && opts.failOnMissingBaseline) {
    comparison.gate = { failed: true, failOn: opts.failOn, reason: `no baseline (${baseline.reason ?? baseline.source}) and fail-on-missing-baseline is true` };
  }
  return comparison;
}
