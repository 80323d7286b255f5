// The Action's orchestrator: the only module that reads inputs and sets outputs. It reads the
// inputs once into ActionInputs, runs the pipeline (src/pipeline.ts) with the Action's adapters
// (build, the stores, GitHub delivery), and turns the verdict (src/gate/verdict.ts), and only
// the verdict, into a failed check. Infrastructure hiccups become warnings.
import * as core from '@actions/core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideSameRunner, defaultBuild, removeOpenWorktrees, runSameRunner, sameRunnerSource, type SameRunnerResult } from '../ab/index.ts';
import { planBuild, runCommand, withCargoCache } from '../build.ts';
import { git } from '../git.ts';
import { baselineKey, clockScope, commentMarker, OUTPUTS } from '../constants.ts';
import { gateVerdict, type GateVerdict } from '../gate/verdict.ts';
import {
  annotationsFor,
  createOctokit,
  downloadArtifact,
  hasReadOnlyToken,
  postFromArtifact,
  postGateComment,
  readEventContext,
  reportArtifactName,
  uploadArtifact,
  writeReportArtifactFiles,
  type EventContext,
} from '../github/index.ts';
import { OptionsError, type Options } from '../options.ts';
import { decide, measureSuites, resolveClock, runPipeline, type BaselineSide, type PipelineRun } from '../pipeline.ts';
import { DEFAULT_MAX_CHARS, renderJson, renderMarkdown, renderSummary, SUMMARY_MAX_CHARS } from '../report/index.ts';
import { appendIfFits, mermaidBeforeAfter, svgBeforeAfter } from '../report/charts.ts';
import type { Comparison } from '../schema/comparison.ts';
import type { Results } from '../schema/results.ts';
import { createBranchStore, createCacheStore, createFileStore, StoreUnavailableError, type BaselineStore } from '../store/index.ts';
import { buildNative } from '../../scripts/build-native.mjs';
import { dashboardLine, publishDashboard } from '../dashboard/index.ts';
import { readActionInputs, type JobInputs } from './inputs.ts';
import { mergedHead, readInputResults, runShardJob } from './shard.ts';
import { coreLog, emitAnnotations, writeJobSummary } from './toolkit.ts';
import { costLine, ensureValgrind } from './valgrind.ts';
import { runWeeklyJob } from './weekly.ts';

export { readInputs } from './inputs.ts';

type Env = Record<string, string | undefined>;

/** Folder of the Action's own checkout (the bundle, dist/index.js, lives in <root>/dist). */
function actionRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

export type ResolvedBaseline = 'same-runner' | 'cache' | 'branch' | 'file';

/**
 * `auto`: same-runner on pull requests (both sides measured here); otherwise the data branch when
 * it exists on the remote, else the Actions cache.
 */
export function resolveBaselineMode(opts: Options, ctx: EventContext, cwd: string): ResolvedBaseline {
  if (opts.baseline !== 'auto') return opts.baseline;
  if (ctx.prNumber && ctx.baseSha) return 'same-runner';
  const remote = git(cwd, ['ls-remote', '--heads', 'origin', opts.dataBranch]);
  return remote ? 'branch' : 'cache';
}

function storeFor(kind: 'cache' | 'branch' | 'file', opts: Options, cwd: string, token: string): BaselineStore {
  if (kind === 'file') return createFileStore({ dir: opts.baselineDir, cwd });
  if (kind === 'branch') return createBranchStore({ cwd, dataBranch: opts.dataBranch, token: token || undefined });
  // Weekly mode keeps a rolling history in the cache beside the baseline (the data branch always has one).
  return createCacheStore({ history: opts.mode === 'weekly' });
}

/** The build stage: the native probe (a failure is a warning), then the project's build. */
async function buildStep(opts: Options, cwd: string): Promise<void> {
  await core.group('perfgate: build the native probe', async () => {
    try {
      const r = buildNative({ root: actionRoot(), log: (l) => core.info(l) });
      if (r.status === 'skipped') core.warning(`perfgate: ${r.reason ?? 'native probe not built'}; measuring with the pure-JS probe.`);
    } catch (err) {
      core.warning(`perfgate: the native probe did not build (${(err as Error).message}); measuring with the pure-JS probe.`);
    }
  });
  const plan = planBuild(opts.build, cwd);
  if (!plan.command) return core.info(`perfgate: no build (${plan.reason}).`);
  await core.group(`perfgate: build the project: ${plan.command}`, async () => {
    core.info(`(${plan.reason})`);
    await withCargoCache(cwd, coreLog, () => runCommand(plan.command!, cwd));
  });
}

/** Everything a run of the Action knows once its inputs and the event are read. */
interface ActionRun {
  opts: Options;
  ctx: EventContext;
  env: Env;
  cwd: string;
  token: string;
  job: JobInputs;
  reportDir: string;
}

const progressLine = (e: { suite: string; round: number; rounds: number; unit?: 'round' | 'pair' }) => core.info(`perfgate: ${e.unit ?? 'round'} ${e.round}/${e.rounds} · ${e.suite}`);

/** The same-runner measure stage: both sides, measured here in interleaved rounds. */
async function measureSameRunner(a: ActionRun): Promise<SameRunnerResult> {
  const { opts, cwd } = a;
  const ab = await runSameRunner(opts, {
    cwd,
    baseRef: a.ctx.baseSha!,
    log: coreLog,
    onProgress: progressLine,
    // The base is installed and built like the head: the same build input, node_modules reused
    // when the lock file is identical, the Cargo cache around a Rust build.
    build: (dir) => defaultBuild(dir, { headDir: cwd, build: opts.build, log: (m) => core.info(`perfgate: ${m}`), run: (cmd, at) => withCargoCache(at, coreLog, () => runCommand(cmd, at)) }),
  });
  for (const n of ab.notices) core.info(`perfgate: ${n}`);
  return ab;
}

/** The same-runner baseline stage: the base side of the A/B run, or why there is none. */
function sameRunnerBaseline(ab: SameRunnerResult): BaselineSide {
  const source = sameRunnerSource(ab.sha);
  return ab.base
    ? { results: ab.base, source }
    : { results: null, source, reason: `The base commit could not be measured: ${ab.baseProblem ?? 'unknown reason'}. Nothing was compared.` };
}

/** The stored baseline stage: the store's baseline for the branch; an unavailable store is a warning. */
async function storedBaseline(a: ActionRun, kind: 'cache' | 'branch' | 'file'): Promise<BaselineSide> {
  const store = storeFor(kind, a.opts, a.cwd, a.token);
  const branch = a.ctx.baseRef ?? a.ctx.headRef ?? a.ctx.defaultBranch ?? 'main';
  try {
    let loaded = await store.load(baselineKey(branch, a.opts.clock));
    // A baseline of this clock saved under the plain branch name, before names were scoped by
    // clock (a cpu clock's, say), is still found; one of another clock is refused by decide().
    if (!loaded.found && clockScope(a.opts.clock)) {
      const plain = await store.load(branch);
      if (plain.found && plain.results.clock === resolveClock(a.opts)) loaded = plain;
    }
    return loaded.found ? { results: loaded.results, source: loaded.location } : { results: null, source: store.describe(), reason: loaded.reason };
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    core.warning(`perfgate: ${err.message} Comparing with nothing this time.`);
    return { results: null, source: store.describe(), reason: `The ${store.kind} store was unavailable: ${err.message}` };
  }
}

/**
 * Whether to post or update the PR comment. With `comment: on-regression` the upsert creates a
 * comment only once there is a regression, and keeps an existing one up to date afterwards.
 */
function shouldComment(opts: Options, ctx: EventContext): boolean {
  if (!ctx.prNumber) {
    core.info('perfgate: this event has no pull request: no PR comment.');
    return false;
  }
  return opts.comment !== 'never';
}

async function deliverComment(a: ActionRun, c: Comparison, verdict: GateVerdict, markdown: string): Promise<void> {
  const { opts, ctx, token, reportDir } = a;
  const readOnly = hasReadOnlyToken(ctx);
  if (readOnly) {
    try {
      const files = writeReportArtifactFiles(path.join(reportDir, 'artifact'), { prNumber: ctx.prNumber!, markdown, comparisonJson: renderJson(c), headSha: ctx.headSha });
      await uploadArtifact({ name: reportArtifactName(clockScope(opts.clock)), rootDir: path.join(reportDir, 'artifact'), files, env: process.env, log: coreLog });
    } catch (err) {
      core.warning(`perfgate: could not upload the report artifact: ${(err as Error).message}`);
    }
  }
  if (!shouldComment(opts, ctx)) return;
  try {
    const octokit = createOctokit(token, ctx.apiUrl);
    const out = await postGateComment({
      octokit,
      owner: ctx.owner,
      repo: ctx.repo,
      issueNumber: ctx.prNumber!,
      marker: commentMarker(opts.clock),
      body: markdown,
      log: coreLog,
      readOnly,
      createIfMissing: opts.comment !== 'on-regression' || verdict.regressions > 0,
    });
    if ('id' in out) {
      core.setOutput(OUTPUTS.commentId, String(out.id));
      core.info(`perfgate: PR comment ${out.action}: ${out.url}`);
    } else core.info(`perfgate: PR comment ${out.action}: ${out.reason}`);
  } catch (err) {
    core.warning(`perfgate: the PR comment was not posted: ${(err as Error).message}`);
  }
}

const REGRESSION_VERDICTS = new Set(['minor', 'major', 'critical']);

/** dashboard-url: the line linking the dashboard (the regressions as deep links); empty when not set. */
function gateDashboardFooter(a: ActionRun, c: Comparison): string {
  const url = a.job.dashboard.url;
  if (!url) return '';
  const branch = a.ctx.defaultBranch ?? a.ctx.baseRef;
  return dashboardLine(url, { branch, benchmarks: c.benchmarks.filter((b) => REGRESSION_VERDICTS.has(b.verdict)).map((b) => b.id), label: 'regressed:' });
}

/**
 * dashboard: true: after the save of a run of the default branch (weekly runs, pushes), the page
 * is rebuilt from the data branch's history and committed under dashboard-dir of that branch.
 * Never fails the job: a problem is a warning.
 */
async function publishStep(a: ActionRun, kind: 'cache' | 'branch' | 'file'): Promise<void> {
  const { opts, ctx, cwd, token, job } = a;
  if (!job.dashboard.publish) return;
  if (!ctx.isDefaultBranch) {
    core.info('perfgate: not a run of the default branch: the dashboard is not published.');
    return;
  }
  if (kind !== 'branch') {
    core.warning(`perfgate: dashboard: true publishes to the data branch, but this run keeps its history in the ${kind} store, so the dashboard was not published. Set baseline: branch.`);
    return;
  }
  const branch = ctx.headRef ?? ctx.defaultBranch ?? 'main';
  try {
    const out = await publishDashboard({
      store: createBranchStore({ cwd, dataBranch: opts.dataBranch, token: token || undefined }),
      branch,
      historyKey: baselineKey(branch, opts.clock),
      dir: job.dashboard.dir,
      thresholds: opts.thresholds,
      failOn: opts.failOn,
      project: `${ctx.owner}/${ctx.repo}`,
      commitUrl: `${ctx.serverUrl}/${ctx.owner}/${ctx.repo}/commit/{commit}`,
      commit: ctx.headSha,
      log: coreLog,
    });
    core.info(
      `perfgate: dashboard published: ${out.location}index.html (${out.runs} runs of ${branch}, ${out.benchmarks} benchmarks, ${Math.ceil(out.bytes / 1024)} KiB)${job.dashboard.url ? `; served at ${job.dashboard.url}` : ''}`,
    );
  } catch (err) {
    core.warning(`perfgate: the dashboard was not published: ${(err as Error).message}`);
  }
}

/** The report stage: report files, outputs, the job summary, annotations and the PR comment. */
async function reportStep(a: ActionRun, { head, comparison, verdict }: PipelineRun<Comparison>): Promise<void> {
  const { ctx, reportDir } = a;
  // The before/after chart goes in only where it fits the comment's and the summary's size caps.
  const chart = mermaidBeforeAfter(comparison);
  const footer = gateDashboardFooter(a, comparison) || undefined;
  const markdown = appendIfFits(renderMarkdown(comparison, { marker: commentMarker(a.opts.clock), runUrl: ctx.runUrl, footer }), chart, DEFAULT_MAX_CHARS);
  const files = {
    markdown: path.join(reportDir, 'report.md'),
    results: path.join(reportDir, 'results.json'),
    comparison: path.join(reportDir, 'comparison.json'),
  };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.results, `${JSON.stringify(head, null, 2)}\n`);
  writeFileSync(files.comparison, renderJson(comparison));
  if (chart) {
    mkdirSync(path.join(reportDir, 'charts'), { recursive: true });
    writeFileSync(path.join(reportDir, 'charts', 'before-after.svg'), svgBeforeAfter(comparison));
  }
  core.setOutput(OUTPUTS.verdict, verdict.verdict);
  core.setOutput(OUTPUTS.grade, comparison.overall.grade ?? '');
  core.setOutput(OUTPUTS.regressions, String(verdict.regressions));
  core.setOutput(OUTPUTS.improvements, String(verdict.improvements));
  core.setOutput(OUTPUTS.reportMarkdown, files.markdown);
  core.setOutput(OUTPUTS.resultsJson, files.results);
  core.setOutput(OUTPUTS.comparisonJson, files.comparison);

  await writeJobSummary(appendIfFits(renderSummary(comparison, { runUrl: ctx.runUrl, footer }), chart, SUMMARY_MAX_CHARS), coreLog);
  emitAnnotations(annotationsFor(comparison));
  await deliverComment(a, comparison, verdict, markdown);
}

/** The save stage: the run becomes the branch's baseline (default branch only, never after a failed gate unless asked). */
async function saveStep(a: ActionRun, kind: ResolvedBaseline, { head, verdict }: PipelineRun<Comparison>): Promise<void> {
  const { opts, ctx, cwd, token } = a;
  if (opts.saveBaseline === 'false') return;
  if (!ctx.isDefaultBranch) {
    if (ctx.prNumber) core.info('perfgate: a pull request never saves a baseline.');
    return;
  }
  if (verdict.failed && opts.saveBaseline === 'auto') {
    core.warning('perfgate: the gate failed on the default branch, so this run is NOT saved as the new baseline (a regression must not become the new normal). Set save-baseline: true to save it anyway.');
    return;
  }
  const storeKind = kind === 'same-runner' ? resolveBaselineMode({ ...opts, baseline: 'auto' }, { ...ctx, prNumber: undefined }, cwd) : kind;
  const store = storeFor(storeKind as 'cache' | 'branch' | 'file', opts, cwd, token);
  const branch = ctx.headRef ?? ctx.defaultBranch ?? 'main';
  try {
    const saved = await store.save(baselineKey(branch, opts.clock), head, { commit: ctx.headSha, ref: branch });
    for (const n of saved.notices) core.warning(`perfgate: ${n}`);
    core.info(`perfgate: baseline saved: ${saved.location}`);
  } catch (err) {
    core.warning(`perfgate: the baseline was not saved: ${(err as Error).message}`);
  }
}

/** mode: comment (the companion workflow of fork pull requests): posts the report artifact of the gate step with the same clock. */
async function commentMode(ctx: EventContext, token: string, clock: Options['clock']): Promise<void> {
  if (!ctx.workflowRun) throw new OptionsError('mode: comment runs in a workflow_run workflow (on: workflow_run), which this event is not. See the README, "Pull requests from forks".');
  const dir = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'perfgate-report');
  const octokit = createOctokit(token, ctx.apiUrl);
  try {
    await downloadArtifact({
      name: reportArtifactName(clockScope(clock)),
      destination: dir,
      env: process.env,
      log: coreLog,
      findBy: { token, runId: ctx.workflowRun.id, owner: ctx.owner, repo: ctx.repo },
    });
    const out = await postFromArtifact({ octokit, owner: ctx.owner, repo: ctx.repo, reportDir: dir, marker: commentMarker(clock), log: coreLog, workflowRun: ctx.workflowRun });
    if ('id' in out) core.setOutput(OUTPUTS.commentId, String(out.id));
    core.info(`perfgate: PR comment ${out.action}`);
  } catch (err) {
    core.warning(`perfgate: the fork PR's report was not posted: ${(err as Error).message}`);
  }
}

/**
 * The baseline of a head that was not measured here (merged shards, results-file) or of the weekly
 * report: a stored one. `auto` resolves as on a push (data branch if it exists, else the cache);
 * an explicit same-runner is an error naming `what`.
 */
function storedBaselineMode(opts: Options, ctx: EventContext, cwd: string, what: string): 'cache' | 'branch' | 'file' {
  if (opts.baseline === 'same-runner') {
    throw new OptionsError(`${what} compares against stored numbers, so baseline: same-runner does not apply; use baseline: branch, cache or file (or auto).`);
  }
  const kind = resolveBaselineMode(opts, { ...ctx, prNumber: undefined, baseSha: undefined }, cwd);
  return kind === 'same-runner' ? 'cache' : kind;
}

function logBaselineMode(opts: Options, kind: ResolvedBaseline): void {
  core.info(`perfgate: baseline mode ${kind}${opts.baseline === 'auto' ? ' (auto)' : ''}`);
}

/**
 * A gate run (modes gate and merge): the pipeline with the Action's adapters. The head is
 * measured here, or `given` (results-file), or the shards joined (merge).
 */
async function gateRun(a: ActionRun, given: Results | undefined, build: (() => Promise<void>) | undefined): Promise<void> {
  const { opts, ctx, cwd } = a;
  let kind: ResolvedBaseline = 'cache';
  let ab: SameRunnerResult | undefined;
  const run = await runPipeline<BaselineSide, Comparison>({
    build,
    measure: async () => {
      if (opts.mode === 'merge') {
        // The shards' results, joined, against a stored baseline.
        const head = await mergedHead(a.job, cwd, a.env, a.reportDir);
        kind = storedBaselineMode(opts, ctx, cwd, 'mode: merge');
        logBaselineMode(opts, kind);
        return head;
      }
      kind = given ? storedBaselineMode(opts, ctx, cwd, 'results-file') : resolveBaselineMode(opts, ctx, cwd);
      logBaselineMode(opts, kind);
      if (given) return given;
      if (kind === 'same-runner') return (ab = await measureSameRunner(a)).head;
      return measureSuites(opts, { cwd, commit: ctx.headSha, ref: ctx.headRef, log: coreLog, onProgress: progressLine });
    },
    baseline: () => (ab ? sameRunnerBaseline(ab) : storedBaseline(a, kind as 'cache' | 'branch' | 'file')),
    // Same-runner runs decide at the alpha of their last look (see src/ab).
    compare: (head, base) => (ab ? decideSameRunner(opts, ab, base.source) : decide(opts, head, base, 'stored')),
    gate: gateVerdict,
    report: (r) => reportStep(a, r),
    save: async (r) => {
      await saveStep(a, kind, r);
      if (!a.job.dashboard.publish) return;
      // Where the history is: as saveStep resolves it (a same-runner push saves to a stored baseline).
      const historyKind = kind === 'same-runner' && ctx.isDefaultBranch ? resolveBaselineMode({ ...opts, baseline: 'auto' }, { ...ctx, prNumber: undefined }, cwd) : kind;
      await publishStep(a, historyKind as 'cache' | 'branch' | 'file');
    },
  });
  if (run.verdict.failed) core.setFailed(`perfgate: ${run.verdict.reason}`);
  else core.info(`perfgate: gate passed (${run.verdict.reason})`);
}

export async function run(env: Env = process.env): Promise<void> {
  // A cancelled job (SIGINT, SIGTERM) in the middle of an A/B run leaves no base checkout behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    removeOpenWorktrees();
    process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Safe defaults first, so a later failure still leaves every output defined.
  for (const name of Object.values(OUTPUTS)) core.setOutput(name, '');
  core.setOutput(OUTPUTS.verdict, 'error');
  try {
    const inputs = readActionInputs(env);
    const opts = inputs.options;
    const ctx = readEventContext(env, (p) => readFileSync(p, 'utf8'));
    const token = inputs.token;
    const cwd = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), inputs.workingDirectory || '.');
    if (opts.mode === 'comment') return await commentMode(ctx, token, opts.clock);

    const job = inputs.job;
    const reportDir = path.join(env.RUNNER_TEMP ?? path.join(cwd, '.perfgate'), 'perfgate');
    mkdirSync(reportDir, { recursive: true });
    const a: ActionRun = { opts, ctx, env, cwd, token, job, reportDir };

    if (opts.mode === 'merge') return await gateRun(a, undefined, undefined);

    const given = job.resultsFiles.length ? await readInputResults(job, cwd, { commit: ctx.headSha, ref: ctx.headRef }, coreLog) : undefined;
    const build = given ? undefined : () => buildStep(opts, cwd);
    // clock: instructions: valgrind installed where it is missing (src/action/valgrind.ts); the
    // run's wall time said at the end in the log and the job summary.
    const started = Date.now();
    const setup = given ? undefined : ensureValgrind(opts.clock, { log: (m) => core.info(m), nativeProbe: true }); // the probe is built later, in the build step
    try {
      if (job.shard) {
        // A shard job measures its share and uploads it; the merge job compares and reports.
        await build?.();
        const onProgress = (e: { suite: string; round: number; rounds: number; index?: number; suites?: number }) =>
          core.info(`perfgate: round ${e.round}/${e.rounds}${e.index && e.suites ? ` · suite ${e.index}/${e.suites}` : ''} · ${e.suite}`);
        const shard = await runShardJob({ opts, shard: job.shard, cwd, env, commit: ctx.headSha, ref: ctx.headRef, reportDir, onProgress });
        core.setOutput(OUTPUTS.verdict, '');
        core.setOutput(OUTPUTS.resultsJson, shard.resultsFile);
        return;
      }

      if (opts.mode === 'weekly') {
        return await runWeeklyJob({
          opts,
          ctx,
          env,
          token,
          openIssue: job.openIssue,
          dashboardUrl: job.dashboard.url,
          publishDashboard: () => publishStep(a, storedBaselineMode(opts, ctx, cwd, 'mode: weekly')),
          reportDir,
          build,
          prepare: async () => {
            const kind = storedBaselineMode(opts, ctx, cwd, 'mode: weekly');
            core.info(`perfgate: weekly report against the history in the ${kind} store`);
            const head = given ?? (await measureSuites(opts, { cwd, commit: ctx.headSha, ref: ctx.headRef, log: coreLog, onProgress: progressLine }));
            return { head, store: storeFor(kind, opts, cwd, token) };
          },
        });
      }

      await gateRun(a, given, build);
    } finally {
      if (setup && setup.action !== 'none') {
        const line = costLine(setup, (Date.now() - started) / 1000);
        core.info(line);
        await writeJobSummary(`\n_${line}_\n`, coreLog);
      }
    }
  } catch (err) {
    core.setFailed(`perfgate: ${(err as Error).message}`);
  }
}
