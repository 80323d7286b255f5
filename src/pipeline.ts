// The pipeline every entry point runs: build → measure → baseline → compare → report → gate →
// save (runPipeline), and the stages the edges share (measureSuites, decide). The edges
// (src/action, src/cli) parse their inputs into Options, pass their adapters for each stage (the
// stores, GitHub delivery, the terminal) and apply the verdict: this module never exits or fails
// the job itself.
import { capLearnedFloor, compare, DEFAULT_SESSION_SD } from './compare/index.ts';
import { withMissingBaselinePolicy, type GateVerdict } from './gate/verdict.ts';
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
  // A baseline measured with another clock (ns of wall time against instruction counts, or wall
  // against CPU time) is not a baseline for this run: nothing is compared, and the report says why.
  const otherClock = baseline.results && baseline.results.clock !== head.clock ? baseline.results.clock : undefined;
  if (otherClock) {
    baseline = {
      results: null,
      source: baseline.source,
      reason: `The baseline (${baseline.source}) was measured with clock ${otherClock}, this run with clock ${head.clock}: they do not compare, so nothing was compared. Save a baseline measured with clock ${head.clock} (with the Action: a push to the default branch with this clock; on the command line: perfgate baseline save --clock ${head.clock}).`,
    };
  }
  const comparison = compare({
    base: baseline.results,
    head,
    thresholds: opts.thresholds,
    failOn: opts.failOn,
    failOnCrossMachine: opts.failOnCrossMachine,
    mode,
    baseSource: baseline.source,
    noiseFloor: capLearnedFloor(baseline.results?.noiseFloor, opts.thresholds),
    // perfgate's own stored measurements come from another session: without a measured session
    // spread in the baseline, the conservative assumed one (ingested harness output: its rounds).
    ...(mode === 'stored' && head.source.kind === 'perfgate' && baseline.results?.source.kind === 'perfgate' ? { assumeSessionSd: DEFAULT_SESSION_SD } : {}),
  });
  if (!baseline.results && baseline.reason) comparison.notices.unshift(baseline.reason);
  if (head.disturbance?.warning) comparison.notices.push(head.disturbance.warning);
  comparison.gate = withMissingBaselinePolicy(comparison, { found: Boolean(baseline.results), reason: baseline.reason, source: baseline.source }, opts.failOnMissingBaseline);
  return comparison;
}

/** One run of the pipeline: the head, its comparison (or weekly analysis) and the gate's verdict. */
export interface PipelineRun<Cmp> {
  head: Results;
  comparison: Cmp;
  verdict: GateVerdict;
}

/**
 * The stages of one run, as adapters given by the edge. `Base` is what the baseline stage
 * obtains (a BaselineSide, or the weekly history); `Cmp` what compare makes of it (a Comparison,
 * or a weekly analysis). `gate` is the pure verdict (src/gate/verdict.ts); the edge applies it.
 */
export interface Stages<Base, Cmp> {
  /** The native probe and the project (the Action; the CLI measures what is built). */
  build?: () => Promise<void>;
  /** The head's results: measured here, read from files, or the shards joined. */
  measure: () => Promise<Results>;
  baseline: (head: Results) => Promise<Base> | Base;
  compare: (head: Results, base: Base) => Cmp;
  /** Delivery: files, outputs, the terminal, the job summary, annotations, the PR comment. */
  report: (run: PipelineRun<Cmp>) => Promise<void> | void;
  gate: (comparison: Cmp) => GateVerdict;
  /** The new baseline or history entry (the default branch only: the adapter decides). */
  save?: (run: PipelineRun<Cmp>) => Promise<void> | void;
}

/**
 * Runs the stages in order: build → measure → baseline → compare → report → gate → save. The
 * verdict is made right after compare (it is pure, and the report shows it); the edge turns it
 * into an exit code or a failed check after save.
 */
export async function runPipeline<Base, Cmp>(stages: Stages<Base, Cmp>): Promise<PipelineRun<Cmp>> {
  await stages.build?.();
  const head = await stages.measure();
  const base = await stages.baseline(head);
  const comparison = stages.compare(head, base);
  const run: PipelineRun<Cmp> = { head, comparison, verdict: stages.gate(comparison) };
  await stages.report(run);
  await stages.save?.(run);
  return run;
}
