// The Action's weekly job: the latest run against the rolling history kept by the store, the
// executive summary in the job summary and the report files, one issue per regression step
// (open-issue: true), and the run appended to the history. A weekly report never fails the job
// on what it finds: the summary and the issues are the signal.
import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OUTPUTS } from '../constants.ts';
import { coreLog, writeJobSummary } from '../github/actions.ts';
import { uploadArtifact } from '../github/artifact.ts';
import { createOctokit } from '../github/client.ts';
import type { EventContext } from '../github/context.ts';
import { loadRunsFromStore } from '../history/load.ts';
import type { Options } from '../options.ts';
import { executiveHeadline, rankedRegressions, renderExecutiveSummary, WEEKLY_MARKER } from './executive.ts';
import { renderJson } from '../report/json.ts';
import type { Results } from '../schema/results.ts';
import { StoreUnavailableError, type BaselineStore } from '../store/types.ts';
import { analyzeWeekly } from './analyze.ts';
import { syncStepIssues } from './issues.ts';
import { writeWeeklyReport } from './report.ts';

type Env = Record<string, string | undefined>;

export const WEEKLY_ARTIFACT_NAME = 'perfgate-weekly';
/** History entries read for the weekly report. */
export const WEEKLY_HISTORY_LIMIT = 200;

export interface WeeklyJobInput {
  opts: Options;
  ctx: EventContext;
  env: Env;
  token: string;
  head: Results;
  store: BaselineStore;
  openIssue: boolean;
  reportDir: string;
}

export async function runWeeklyJob(i: WeeklyJobInput): Promise<void> {
  const { opts, ctx } = i;
  const branch = ctx.headRef ?? ctx.defaultBranch ?? 'main';
  let history: Results[] = [];
  let source = i.store.describe();
  if (!i.store.history) {
    core.warning(`perfgate: the ${i.store.kind} store keeps no history, so the weekly report has nothing to compare with. Use baseline: branch (a data branch) or baseline: cache.`);
  } else {
    try {
      const loaded = await loadRunsFromStore(i.store, branch, WEEKLY_HISTORY_LIMIT);
      history = loaded.runs;
      source = loaded.source;
      core.info(`perfgate: ${history.length} saved runs of ${branch} in the history (${source})`);
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      core.warning(`perfgate: the history could not be read: ${err.message} Reporting without it.`);
    }
  }

  const analysis = analyzeWeekly({
    latest: i.head,
    history,
    options: { thresholds: opts.thresholds, failOn: opts.failOn, failOnCrossMachine: opts.failOnCrossMachine },
    source,
    branch,
  });
  for (const n of analysis.notices) core.info(`perfgate: ${n}`);

  const summaryOpts = { project: `${ctx.owner}/${ctx.repo}`, runUrl: ctx.runUrl };
  const dir = path.join(i.reportDir, 'weekly');
  const files = writeWeeklyReport(dir, analysis, { ...summaryOpts, marker: WEEKLY_MARKER });
  const resultsFile = path.join(dir, 'results.json');
  const comparisonFile = path.join(dir, 'comparison.json');
  writeFileSync(resultsFile, `${JSON.stringify(i.head, null, 2)}\n`);
  writeFileSync(comparisonFile, renderJson(analysis.comparison));

  const regressions = rankedRegressions(analysis);
  core.setOutput(OUTPUTS.verdict, regressions.length ? 'warn' : 'pass');
  core.setOutput(OUTPUTS.grade, analysis.comparison.overall.grade ?? '');
  core.setOutput(OUTPUTS.regressions, String(regressions.length));
  core.setOutput(OUTPUTS.improvements, String(analysis.comparison.overall.counts.improved + analysis.steps.filter((s) => s.kind === 'improvement').length));
  core.setOutput(OUTPUTS.reportMarkdown, files.markdown);
  core.setOutput(OUTPUTS.resultsJson, resultsFile);
  core.setOutput(OUTPUTS.comparisonJson, comparisonFile);

  await writeJobSummary(renderExecutiveSummary(analysis, summaryOpts), coreLog);
  try {
    await uploadArtifact({ name: WEEKLY_ARTIFACT_NAME, rootDir: dir, env: i.env, log: coreLog, retentionDays: 90 });
  } catch (err) {
    core.warning(`perfgate: the weekly report artifact was not uploaded: ${(err as Error).message}`);
  }

  if (i.openIssue) {
    try {
      const outcomes = await syncStepIssues({
        octokit: createOctokit(i.token, ctx.apiUrl),
        owner: ctx.owner,
        repo: ctx.repo,
        steps: analysis.steps,
        context: { history: analysis.history, runUrl: ctx.runUrl, minor: opts.thresholds.minor },
        log: coreLog,
      });
      for (const o of outcomes) core.info(`perfgate: issue for ${o.benchmark}: ${o.action}${o.number ? ` #${o.number}` : ''}${o.reason ? ` (${o.reason})` : ''}`);
      if (outcomes.length === 0) core.info('perfgate: no regression steps: no issues to open or update.');
    } catch (err) {
      core.warning(`perfgate: the regression issues were not updated: ${(err as Error).message}`);
    }
  }

  // Every weekly run goes into the history, regressions included: a step can only be found with
  // the points after it.
  if (opts.saveBaseline !== 'false' && ctx.isDefaultBranch) {
    try {
      const saved = await i.store.save(branch, i.head, { commit: ctx.headSha, ref: branch });
      for (const n of saved.notices) core.warning(`perfgate: ${n}`);
      core.info(`perfgate: this run was added to the history: ${saved.location}`);
    } catch (err) {
      core.warning(`perfgate: this run was not added to the history: ${(err as Error).message}`);
    }
  } else if (!ctx.isDefaultBranch) core.info('perfgate: not the default branch: this run is not added to the history.');

  core.info(`perfgate: ${executiveHeadline(analysis)}`);
}
