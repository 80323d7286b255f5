// Same-runner A/B: the base commit checked out in a git worktree, built, and measured in the same
// job as the head, in randomized interleaved rounds with adaptive sampling (adaptive.ts).
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { capLearnedFloor, compare } from '../compare/index.ts';
import { gitInfo } from '../git.ts';
import { discoverSuites } from '../measure/index.ts';
import { type Options, slicesMaxOf } from '../options.ts';
import { decide, measureSuites, resolveClock, type Log } from '../pipeline.ts';
import type { Comparison } from '../schema/comparison.ts';
import type { Results } from '../schema/results.ts';
import { createRandom } from '../stats/index.ts';
import { loadFileBaseline } from '../store/file.ts';
import { ADAPTIVE_DEFAULTS, type AdaptiveSettings, type LookPlan } from './adaptive.ts';
import { defaultBuild } from './build.ts';
import { runInterleaved, type LookRecord } from './interleave.ts';
import { runSliced, SLICE_DEFAULTS, type SliceSettings } from './slices.ts';
import { addWorktree, repoRoot, resolveCommit, type Worktree } from './worktree.ts';

export { ADAPTIVE_DEFAULTS, lookAlpha, planLooks, resolution, type AdaptiveSettings, type LookPlan, type Resolution } from './adaptive.ts';
export { defaultBuild, runBuildCommand, type DefaultBuildOptions } from './build.ts';
export { runSliced, runPair, pairsFor, pairValues, blockOrders, sliceStat, SLICE_DEFAULTS, MIN_OPS_PER_SLICE, type SliceSettings, type SlicedInput, type SlicedOutput, type PairInput, type PairOutput } from './slices.ts';
export { runInterleaved, type InterleavedInput, type InterleavedOutput, type LookRecord, type SideSpec } from './interleave.ts';
export { addWorktree, listWorktrees, removeOpenWorktrees, repoRoot, resolveCommit, type Worktree } from './worktree.ts';

export interface SameRunnerContext {
  /** The head's folder (the project; may be a subfolder of the repository). */
  cwd: string;
  /** The base revision: a commit SHA, branch, tag or expression such as HEAD~1. */
  baseRef: string;
  log: Log;
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number; unit?: 'round' | 'pair' }) => void;
  /**
   * Installs and builds the base checkout (its folder corresponding to `cwd`); a rejection means
   * the base could not be built. Default: defaultBuild (reuse or install node_modules, then the
   * `build` option or the auto-detected build).
   */
  build?: (dir: string) => Promise<void>;
  /** Extra environment for both sides' suite processes. */
  env?: Record<string, string>;
  /** Extra environment for one side only (the calibration's injected slowdowns). */
  headEnv?: Record<string, string>;
  baseEnv?: Record<string, string>;
  /** Adaptive sampling settings beyond the options (batch, maxLooks, spending). */
  adaptive?: Partial<Omit<AdaptiveSettings, 'rounds' | 'alpha'>>;
  /** Sampling budget per task per round, ms. */
  taskTimeMs?: number;
  /** Seed of the randomized round order (default: random). */
  seed?: number;
  /**
   * `slices` (default): alternating slices between long-lived worker pairs pinned to one CPU
   * (slices.ts); `rounds`: whole-suite rounds in fresh processes with adaptive looks (interleave.ts).
   */
  design?: 'slices' | 'rounds';
  /** Slice settings beyond the options (pairs come from `rounds`). */
  slices?: Partial<SliceSettings>;
}

export interface SameRunnerResult {
  head: Results;
  /** null when the base could not be measured (then `baseProblem` says why). */
  base: Results | null;
  baseProblem?: string;
  /** Suite files (relative to cwd) that the base commit does not have: measured on the head only. */
  missingInBase: string[];
  /** The most rounds any suite got. */
  rounds: number;
  elapsedMs: number;
  notices: string[];
  /** The base commit's full SHA. */
  sha: string;
  /** Alpha of the last look: the level of the final comparison (decideSameRunner uses it). */
  alpha: number;
  /** Benchmarks still unresolved when sampling stopped (id → why). */
  unresolved: Record<string, string>;
  looks: LookRecord[];
  plan?: LookPlan;
  stoppedBy?: 'resolved' | 'looks' | 'budget';
  /** Wall time of the suite processes per side, ms. */
  processMs?: { head: number; base: number };
  design?: 'slices' | 'rounds';
}

/** Where the base side's results came from, for the report. */
export function sameRunnerSource(sha: string): string {
  return `base commit ${sha.slice(0, 7)} (same runner)`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Measures the head (ctx.cwd as it is) and the base commit (checked out in a temporary git
 * worktree and built) side by side. A base that cannot be checked out or built is reported in
 * `baseProblem` and the head is still measured; suites the base lacks are measured on the head
 * only (`missingInBase`). The worktree is removed in all cases. Throws only for an unknown base
 * revision, a folder outside git, or no suites.
 */
export async function runSameRunner(opts: Options, ctx: SameRunnerContext): Promise<SameRunnerResult> {
  const started = performance.now();
  const cwd = realpathSync(ctx.cwd);
  const root = realpathSync(repoRoot(cwd));
  const rel = path.relative(root, cwd);
  const sha = resolveCommit(cwd, ctx.baseRef, (m) => ctx.log.info(m));
  const files = await discoverSuites(cwd, opts.suites);
  const headInfo = gitInfo(cwd);
  const notices: string[] = [];
  const short = sha.slice(0, 7);

  let wt: Worktree | undefined;
  let baseProblem: string | undefined;
  let baseDir = '';
  try {
    try {
      wt = addWorktree(cwd, sha);
      baseDir = path.join(wt.dir, rel);
      ctx.log.info(`Base commit ${short} checked out in ${wt.dir}.`);
    } catch (err) {
      baseProblem = `the base commit ${short} could not be checked out: ${errorText(err)}`;
    }
    if (wt && !existsSync(baseDir)) baseProblem = `the base commit ${short} has no folder ${rel || '.'}`;
    if (wt && !baseProblem && files.every((f) => !existsSync(path.join(baseDir, f)))) {
      baseProblem = `none of the suites (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', …' : ''}) exists in the base commit ${short}`;
    }
    if (wt && !baseProblem) {
      try {
        await (ctx.build ?? ((dir: string) => defaultBuild(dir, { headDir: cwd, build: opts.build, log: (m) => ctx.log.info(m) })))(baseDir);
      } catch (err) {
        baseProblem = `the base commit ${short} did not build: ${errorText(err)}`;
      }
    }

    if (baseProblem) {
      ctx.log.warning(`${baseProblem}. Measuring the head alone; nothing will be compared.`);
      const head = await measureSuites(opts, { cwd, commit: headInfo.commit, ref: headInfo.ref, log: ctx.log, onProgress: ctx.onProgress, env: { ...ctx.env, ...ctx.headEnv } });
      return {
        head,
        base: null,
        baseProblem,
        missingInBase: [],
        rounds: Math.max(0, ...head.benchmarks.map((b) => b.rounds.length)),
        elapsedMs: performance.now() - started,
        notices: [],
        sha,
        alpha: opts.thresholds.alpha,
        unresolved: {},
        looks: [],
      };
    }

    const suites = files.map((file) => ({ file, inBase: existsSync(path.join(baseDir, file)) }));
    const missingInBase = suites.filter((s) => !s.inBase).map((s) => s.file);
    for (const f of missingInBase) notices.push(`Suite ${f} is not in the base commit ${short}: measured on the head only, its benchmarks are new.`);

    let noiseFloor: Record<string, number> | undefined;
    try {
      noiseFloor = capLearnedFloor(loadFileBaseline(path.resolve(cwd, opts.baselineDir))?.noiseFloor, opts.thresholds);
    } catch {
      noiseFloor = undefined;
    }

    const random = ctx.seed === undefined ? Math.random : createRandom(ctx.seed).uniform;
    const head = { cwd, env: { ...ctx.env, ...ctx.headEnv }, commit: headInfo.commit, ref: headInfo.ref };
    const base = { cwd: baseDir, env: { ...ctx.env, ...ctx.baseEnv }, commit: sha, ref: ctx.baseRef };
    /** The run's outcome, the same for both designs; a disturbed run is said in the log. */
    const finish = (out: Pick<SameRunnerResult, 'head' | 'alpha' | 'unresolved' | 'looks' | 'plan' | 'stoppedBy' | 'processMs'> & { base: Results }, rounds: number, design: SameRunnerResult['design']): SameRunnerResult => {
      const disturbed = out.head.disturbance?.warning ?? out.base.disturbance?.warning;
      if (disturbed) ctx.log.warning(disturbed);
      const { head, base, alpha, unresolved, looks, plan, stoppedBy, processMs } = out;
      return { head, base, missingInBase, rounds, elapsedMs: performance.now() - started, notices, sha, alpha, unresolved, looks, plan, stoppedBy, processMs, design };
    };
    const common = {
      suites,
      head,
      base,
      clock: resolveClock(opts),
      suiteTimeout: opts.suiteTimeout,
      taskTimeMs: ctx.taskTimeMs ?? opts.taskTime,
      timeBudget: opts.timeBudget,
      thresholds: opts.thresholds,
      failOn: opts.failOn,
      noiseFloor,
      random,
      onProgress: ctx.onProgress,
      log: (m: string) => ctx.log.info(m),
    };
    if ((ctx.design ?? opts.abDesign) === 'slices') {
      const out = await runSliced({
        ...common,
        alpha: opts.thresholds.alpha,
        settings: { ...SLICE_DEFAULTS, pairs: opts.rounds, slices: opts.slices, sliceMs: opts.sliceTime, slicesMax: slicesMaxOf(opts), ...ctx.slices },
      });
      notices.push(...out.notices);
      if (noiseFloor) out.base.noiseFloor = { ...noiseFloor };
      return finish(out, Math.max(0, ...Object.values(out.pairsBySuite)), 'slices');
    }
    const out = await runInterleaved({ ...common, settings: { ...ADAPTIVE_DEFAULTS, ...ctx.adaptive, rounds: opts.rounds, alpha: opts.thresholds.alpha } });
    notices.push(describeSampling(out.plan, out.looks, out.alpha, out.stoppedBy, out.rounds), ...out.notices);
    return finish(out, out.rounds, 'rounds');
  } finally {
    wt?.remove();
  }
}

function fmtAlpha(a: number): string {
  return a >= 0.001 ? String(Number(a.toPrecision(2))) : a.toExponential(1);
}

/** One line on how sampling went, for the report's notices. */
export function describeSampling(plan: LookPlan, looks: LookRecord[], alpha: number, stoppedBy: 'resolved' | 'looks' | 'budget', rounds: number): string {
  const why = { resolved: 'every benchmark resolved', looks: 'the last planned look', budget: 'the time budget ran out' }[stoppedBy];
  return (
    `Same-runner A/B: base and head interleaved in random order, each round in fresh processes; ${looks.length} look${looks.length === 1 ? '' : 's'} ` +
    `(planned at ${plan.rounds.join('/')} rounds, alpha spent O'Brien-Fleming-style over them), stopped at ${rounds} rounds: ${why}. ` +
    `Tests and intervals use the last look's alpha = ${fmtAlpha(alpha)} (${Number(((1 - alpha) * 100).toPrecision(3))}% intervals).`
  );
}

/**
 * The comparison of a same-runner run: paired, at the last look's alpha, with unresolved
 * benchmarks that would read `unchanged` reported `inconclusive`; the run's notices and any
 * disturbance warnings are added. Without a base every benchmark is `new` and the report says why.
 */
export function decideSameRunner(opts: Options, ab: SameRunnerResult, source: string = sameRunnerSource(ab.sha)): Comparison {
  if (!ab.base) {
    const c = decide(opts, ab.head, {
      results: null,
      source,
      reason: `The base commit ${ab.sha.slice(0, 7)} could not be measured (${ab.baseProblem ?? 'unknown reason'}): nothing was compared, every benchmark is new. This is not a pass of unchanged code.`,
    });
    return c; // decide() adds the head's disturbance warning
  }
  const comparison = compare({
    base: ab.base,
    head: ab.head,
    thresholds: { ...opts.thresholds, alpha: ab.alpha },
    failOn: opts.failOn,
    failOnCrossMachine: opts.failOnCrossMachine,
    mode: 'paired',
    baseSource: source,
    noiseFloor: ab.base.noiseFloor,
    unresolved: ab.unresolved,
  });
  comparison.notices.push(...ab.notices);
  const disturbed = [ab.head.disturbance?.warning, ab.base.disturbance?.warning].filter((w): w is string => Boolean(w));
  if (disturbed.length) comparison.notices.push(disturbed[0]);
  return comparison;
}
