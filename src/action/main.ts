// The Action's orchestrator: the only module that reads inputs and sets outputs. It parses the
// inputs once into Options, runs the pipeline stages, delivers the report, and turns the verdict
// (and only the verdict) into a failed check. Infrastructure hiccups become warnings.
import * as core from '@actions/core';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideSameRunner, defaultBuild, runSameRunner, sameRunnerSource } from './ab/index.ts';
import { planBuild, runCommand, withCargoCache } from './build.ts';
import { git } from './git.ts';
import { ACTION_ONLY_INPUTS, COMMENT_MARKER, INPUTS, OUTPUTS } from './constants.ts';
import {
  annotationsFor,
  createOctokit,
  downloadArtifact,
  hasReadOnlyToken,
  postFromArtifact,
  postGateComment,
  readEventContext,
  REPORT_ARTIFACT_NAME,
  uploadArtifact,
  writeReportArtifactFiles,
  type EventContext,
} from './github/index.ts';
import { coreLog, emitAnnotations, writeJobSummary } from './github/actions.ts';
import { OptionsError, parseOptions, type Options, type RawOptions } from './options.ts';
import { decide, measureSuites, type BaselineSide } from './pipeline.ts';
import { DEFAULT_MAX_CHARS, renderJson, renderMarkdown, renderSummary, SUMMARY_MAX_CHARS } from './report/index.ts';
import { appendIfFits, mermaidBeforeAfter, svgBeforeAfter } from './report/charts.ts';
import { mergedHead, parseJobInputs, readInputResults, runShardJob } from './shard/action.ts';
import { runWeeklyJob } from './weekly/action.ts';
import type { Comparison } from './schema/comparison.ts';
import type { Results } from './schema/results.ts';
import { createBranchStore, createCacheStore, createFileStore, StoreUnavailableError, type BaselineStore } from './store/index.ts';
import { buildNative } from '../scripts/build-native.mjs';

type Env = Record<string, string | undefined>;

/** Reads every known input once; an input the Action does not know is an error naming it. */
export function readInputs(env: Env): { raw: RawOptions; action: Record<(typeof ACTION_ONLY_INPUTS)[number], string> } {
  const known = new Set(INPUTS.map((n) => n.toUpperCase()));
  for (const key of Object.keys(env)) {
    if (!key.startsWith('INPUT_')) continue;
    const name = key.slice('INPUT_'.length);
    if (!known.has(name)) {
      throw new OptionsError(`Unknown input "${name.toLowerCase()}". Known inputs: ${INPUTS.join(', ')}.`);
    }
  }
  const get = (name: string) => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
  const raw: RawOptions = {};
  for (const name of INPUTS) if (!(ACTION_ONLY_INPUTS as readonly string[]).includes(name)) raw[name] = get(name);
  const action = Object.fromEntries(ACTION_ONLY_INPUTS.map((n) => [n, get(n)])) as Record<(typeof ACTION_ONLY_INPUTS)[number], string>;
  return { raw, action };
}

/** Folder of the Action's own checkout (dist/index.js lives in <root>/dist). */
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

interface Measured {
  head: Results;
  baseline: BaselineSide;
  mode: 'stored' | 'paired';
  /** Same-runner runs decide at the alpha of their last look (see src/ab): decided already. */
  comparison?: Comparison;
}

/** `given`: a head that was not measured here (merged shards, results-file). */
async function measureAndObtainBaseline(opts: Options, ctx: EventContext, cwd: string, kind: ResolvedBaseline, token: string, given?: Results): Promise<Measured> {
  const onProgress = (e: { suite: string; round: number; rounds: number }) => core.info(`perfgate: round ${e.round}/${e.rounds} · ${e.suite}`);
  if (kind === 'same-runner') {
    const baseRef = ctx.baseSha!;
    const ab = await runSameRunner(opts, {
      cwd,
      baseRef,
      log: coreLog,
      onProgress,
      // The base is installed and built like the head: the same build input, node_modules reused
      // when the lock file is identical, the Cargo cache around a Rust build.
      build: (dir) => defaultBuild(dir, { headDir: cwd, build: opts.build, log: (m) => core.info(`perfgate: ${m}`), run: (cmd, at) => withCargoCache(at, coreLog, () => runCommand(cmd, at)) }),
    });
    for (const n of ab.notices) core.info(`perfgate: ${n}`);
    const source = sameRunnerSource(ab.sha);
    return {
      head: ab.head,
      baseline: ab.base
        ? { results: ab.base, source }
        : { results: null, source, reason: `The base commit could not be measured: ${ab.baseProblem ?? 'unknown reason'}. Nothing was compared.` },
      mode: 'paired',
      comparison: decideSameRunner(opts, ab, source),
    };
  }
  const head = given ?? (await measureSuites(opts, { cwd, commit: ctx.headSha, ref: ctx.headRef, log: coreLog, onProgress }));
  const store = storeFor(kind, opts, cwd, token);
  const branch = ctx.baseRef ?? ctx.headRef ?? ctx.defaultBranch ?? 'main';
  try {
    const loaded = await store.load(branch);
    return {
      head,
      baseline: loaded.found ? { results: loaded.results, source: loaded.location } : { results: null, source: store.describe(), reason: loaded.reason },
      mode: 'stored',
    };
  } catch (err) {
    if (!(err instanceof StoreUnavailableError)) throw err;
    core.warning(`perfgate: ${err.message} Comparing with nothing this time.`);
    return { head, baseline: { results: null, source: store.describe(), reason: `The ${store.kind} store was unavailable: ${err.message}` }, mode: 'stored' };
  }
}

/** Minor, major and critical regressions of the run. */
function regressionCount(c: Comparison): number {
  const { minor, major, critical } = c.overall.counts;
  return minor + major + critical;
}

function verdictOf(c: Comparison): 'pass' | 'warn' | 'fail' {
  if (c.gate.failed) return 'fail';
  return regressionCount(c) > 0 ? 'warn' : 'pass';
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

async function deliverComment(opts: Options, ctx: EventContext, c: Comparison, markdown: string, token: string, reportDir: string): Promise<void> {
  const readOnly = hasReadOnlyToken(ctx);
  if (readOnly) {
    try {
      const files = writeReportArtifactFiles(path.join(reportDir, 'artifact'), { prNumber: ctx.prNumber!, markdown, comparisonJson: renderJson(c), headSha: ctx.headSha });
      await uploadArtifact({ name: REPORT_ARTIFACT_NAME, rootDir: path.join(reportDir, 'artifact'), files, env: process.env, log: coreLog });
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
      marker: COMMENT_MARKER,
      body: markdown,
      log: coreLog,
      readOnly,
      createIfMissing: opts.comment !== 'on-regression' || regressionCount(c) > 0,
    });
    if ('id' in out) {
      core.setOutput(OUTPUTS.commentId, String(out.id));
      core.info(`perfgate: PR comment ${out.action}: ${out.url}`);
    } else core.info(`perfgate: PR comment ${out.action}: ${out.reason}`);
  } catch (err) {
    core.warning(`perfgate: the PR comment was not posted: ${(err as Error).message}`);
  }
}

async function saveBaseline(opts: Options, ctx: EventContext, c: Comparison, head: Results, kind: ResolvedBaseline, cwd: string, token: string): Promise<void> {
  if (opts.saveBaseline === 'false') return;
  if (!ctx.isDefaultBranch) {
    if (ctx.prNumber) core.info('perfgate: a pull request never saves a baseline.');
    return;
  }
  if (c.gate.failed && opts.saveBaseline === 'auto') {
    core.warning('perfgate: the gate failed on the default branch, so this run is NOT saved as the new baseline (a regression must not become the new normal). Set save-baseline: true to save it anyway.');
    return;
  }
  const storeKind = kind === 'same-runner' ? resolveBaselineMode({ ...opts, baseline: 'auto' }, { ...ctx, prNumber: undefined }, cwd) : kind;
  const store = storeFor(storeKind as 'cache' | 'branch' | 'file', opts, cwd, token);
  const branch = ctx.headRef ?? ctx.defaultBranch ?? 'main';
  try {
    const saved = await store.save(branch, head, { commit: ctx.headSha, ref: branch });
    for (const n of saved.notices) core.warning(`perfgate: ${n}`);
    core.info(`perfgate: baseline saved: ${saved.location}`);
  } catch (err) {
    core.warning(`perfgate: the baseline was not saved: ${(err as Error).message}`);
  }
}

async function commentMode(ctx: EventContext, token: string): Promise<void> {
  if (!ctx.workflowRun) throw new OptionsError('mode: comment runs in a workflow_run workflow (on: workflow_run), which this event is not. See the README, "Pull requests from forks".');
  const dir = path.join(process.env.RUNNER_TEMP ?? os.tmpdir(), 'perfgate-report');
  const octokit = createOctokit(token, ctx.apiUrl);
  try {
    await downloadArtifact({
      name: REPORT_ARTIFACT_NAME,
      destination: dir,
      env: process.env,
      log: coreLog,
      findBy: { token, runId: ctx.workflowRun.id, owner: ctx.owner, repo: ctx.repo },
    });
    const out = await postFromArtifact({ octokit, owner: ctx.owner, repo: ctx.repo, reportDir: dir, marker: COMMENT_MARKER, log: coreLog, workflowRun: ctx.workflowRun });
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

/** Compare, report (files, outputs, summary, annotations, comment), save, and gate. */
async function reportAndGate(opts: Options, ctx: EventContext, cwd: string, token: string, kind: ResolvedBaseline, m: Measured, reportDir: string): Promise<void> {
  const comparison = m.comparison ?? decide(opts, m.head, m.baseline, m.mode);
  // The before/after chart goes in only where it fits the comment's and the summary's size caps.
  const chart = mermaidBeforeAfter(comparison);
  const markdown = appendIfFits(renderMarkdown(comparison, { marker: COMMENT_MARKER, runUrl: ctx.runUrl }), chart, DEFAULT_MAX_CHARS);
  const files = {
    markdown: path.join(reportDir, 'report.md'),
    results: path.join(reportDir, 'results.json'),
    comparison: path.join(reportDir, 'comparison.json'),
  };
  writeFileSync(files.markdown, markdown);
  writeFileSync(files.results, `${JSON.stringify(m.head, null, 2)}\n`);
  writeFileSync(files.comparison, renderJson(comparison));
  if (chart) {
    mkdirSync(path.join(reportDir, 'charts'), { recursive: true });
    writeFileSync(path.join(reportDir, 'charts', 'before-after.svg'), svgBeforeAfter(comparison));
  }
  const counts = comparison.overall.counts;
  core.setOutput(OUTPUTS.verdict, verdictOf(comparison));
  core.setOutput(OUTPUTS.grade, comparison.overall.grade ?? '');
  core.setOutput(OUTPUTS.regressions, String(regressionCount(comparison)));
  core.setOutput(OUTPUTS.improvements, String(counts.improved));
  core.setOutput(OUTPUTS.reportMarkdown, files.markdown);
  core.setOutput(OUTPUTS.resultsJson, files.results);
  core.setOutput(OUTPUTS.comparisonJson, files.comparison);

  await writeJobSummary(appendIfFits(renderSummary(comparison, { runUrl: ctx.runUrl }), chart, SUMMARY_MAX_CHARS), coreLog);
  emitAnnotations(annotationsFor(comparison));
  await deliverComment(opts, ctx, comparison, markdown, token, reportDir);
  await saveBaseline(opts, ctx, comparison, m.head, kind, cwd, token);

  if (comparison.gate.failed) core.setFailed(`perfgate: ${comparison.gate.reason}`);
  else core.info(`perfgate: gate passed (${comparison.gate.reason})`);
}

export async function run(env: Env = process.env): Promise<void> {
  // Safe defaults first, so a later failure still leaves every output defined.
  for (const name of Object.values(OUTPUTS)) core.setOutput(name, '');
  core.setOutput(OUTPUTS.verdict, 'error');
  try {
    const { raw, action } = readInputs(env);
    const opts = parseOptions([{ raw, source: { kind: 'input' } }]);
    const ctx = readEventContext(env, (p) => readFileSync(p, 'utf8'));
    const token = action['github-token'];
    const cwd = path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), action['working-directory'] || '.');
    if (opts.mode === 'comment') return await commentMode(ctx, token);

    const job = parseJobInputs((name) => action[name], opts.mode);
    const reportDir = path.join(env.RUNNER_TEMP ?? path.join(cwd, '.perfgate'), 'perfgate');
    mkdirSync(reportDir, { recursive: true });

    if (opts.mode === 'merge') {
      // The shards' results, joined, against a stored baseline: then the gate's report and decision.
      const head = await mergedHead(job, cwd, env, reportDir);
      const kind = storedBaselineMode(opts, ctx, cwd, 'mode: merge');
      core.info(`perfgate: baseline mode ${kind}${opts.baseline === 'auto' ? ' (auto)' : ''}`);
      const m = await measureAndObtainBaseline(opts, ctx, cwd, kind, token, head);
      return await reportAndGate(opts, ctx, cwd, token, kind, m, reportDir);
    }

    const given = job.resultsFiles.length ? await readInputResults(job, cwd, { commit: ctx.headSha, ref: ctx.headRef }, coreLog) : undefined;
    if (!given) await buildStep(opts, cwd);

    if (job.shard) {
      const onProgress = (e: { suite: string; round: number; rounds: number; index?: number; suites?: number }) =>
        core.info(`perfgate: round ${e.round}/${e.rounds}${e.index && e.suites ? ` · suite ${e.index}/${e.suites}` : ''} · ${e.suite}`);
      const shard = await runShardJob({ opts, shard: job.shard, cwd, env, commit: ctx.headSha, ref: ctx.headRef, reportDir, onProgress });
      core.setOutput(OUTPUTS.verdict, '');
      core.setOutput(OUTPUTS.resultsJson, shard.resultsFile);
      return;
    }

    if (opts.mode === 'weekly') {
      const kind = storedBaselineMode(opts, ctx, cwd, 'mode: weekly');
      core.info(`perfgate: weekly report against the history in the ${kind} store`);
      const onProgress = (e: { suite: string; round: number; rounds: number }) => core.info(`perfgate: round ${e.round}/${e.rounds} · ${e.suite}`);
      const head = given ?? (await measureSuites(opts, { cwd, commit: ctx.headSha, ref: ctx.headRef, log: coreLog, onProgress }));
      return await runWeeklyJob({ opts, ctx, env, token, head, store: storeFor(kind, opts, cwd, token), openIssue: job.openIssue, reportDir });
    }

    const kind = given ? storedBaselineMode(opts, ctx, cwd, 'results-file') : resolveBaselineMode(opts, ctx, cwd);
    core.info(`perfgate: baseline mode ${kind}${opts.baseline === 'auto' ? ' (auto)' : ''}`);
    const m = await measureAndObtainBaseline(opts, ctx, cwd, kind, token, given);
    await reportAndGate(opts, ctx, cwd, token, kind, m, reportDir);
  } catch (err) {
    core.setFailed(`perfgate: ${(err as Error).message}`);
  }
}
