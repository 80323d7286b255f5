// The Action's weekly job: the latest run against the rolling history kept by the store, the
// executive summary in the job summary and the report files, one issue per regression step
// (open-issue: true), the run appended to the history, and the dashboard republished on the data
// branch (dashboard: true) and linked from the summary and the issues (dashboard-url). The stages run through the pipeline
// (src/pipeline.ts); the verdict is weeklyVerdict (src/gate/verdict.ts): a weekly report never
// fails the job on what it finds: the summary and the issues are the signal.
import * as core from '@actions/core';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { baselineKey, clockScope, OUTPUTS } from '../constants.ts';
import { weeklyVerdict } from '../gate/verdict.ts';
import { uploadArtifact } from '../github/artifact.ts';
import { createOctokit } from '../github/client.ts';
import type { EventContext } from '../github/context.ts';
import { loadRunsFromStore } from '../history/load.ts';
import type { Options } from '../options.ts';
import { runPipeline } from '../pipeline.ts';
import { renderJson } from '../report/json.ts';
import type { Results } from '../schema/results.ts';
import { StoreUnavailableError, type BaselineStore } from '../store/types.ts';
import { analyzeWeekly, isRegressionStep, type WeeklyAnalysis } from '../weekly/analyze.ts';
import { dashboardLine } from '../dashboard/links.ts';
import { executiveHeadline, renderExecutiveSummary, WEEKLY_MARKER } from '../weekly/executive.ts';
import { syncStepIssues } from '../weekly/issues.ts';
import { writeWeeklyReport } from '../weekly/report.ts';
import { coreLog, writeJobSummary } from './toolkit.ts';

type Env = Record<string, string | undefined>;

export const WEEKLY_ARTIFACT_NAME = 'perfgate-weekly';

/** The weekly report artifact of a clock: `perfgate-weekly`, `perfgate-weekly-instructions` (one per step of a run). */
export function weeklyArtifactName(clock: Options['clock']): string {
  const scope = clockScope(clock);
  return scope ? `${WEEKLY_ARTIFACT_NAME}-${scope}` : WEEKLY_ARTIFACT_NAME;
}
/** History entries read for the weekly report. */
export const WEEKLY_HISTORY_LIMIT = 200;

export interface WeeklyJobInput {
  opts: Options;
  ctx: EventContext;
  env: Env;
  token: string;
  openIssue: boolean;
  /** dashboard-url: the summary and the step issues link to the dashboard (undefined: no links). */
  dashboardUrl?: string;
  /** dashboard: true: publishes the dashboard to the data branch after the save (never throws). */
  publishDashboard?: () => Promise<void>;
  reportDir: string;
  /** The build stage (none when the head is read from files). */
  build?: () => Promise<void>;
  /** The measure stage: the latest run, and the store that keeps the history. */
  prepare: () => Promise<{ head: Results; store: BaselineStore }>;
}

export async function runWeeklyJob(i: WeeklyJobInput): Promise<void> {
  const { opts, ctx } = i;
  const branch = ctx.headRef ?? ctx.defaultBranch ?? 'main';
  // The history of this clock (the branch's name for the wall clock; src/constants.ts baselineKey).
  const key = baselineKey(branch, opts.clock);
  let store: BaselineStore;
  const run = await runPipeline<{ history: Results[]; source: string }, WeeklyAnalysis>({
    build: i.build,
    measure: async () => {
      const prepared = await i.prepare();
      store = prepared.store;
      return prepared.head;
    },
    baseline: async () => {
      let history: Results[] = [];
      let source = store.describe();
      if (!store.history) {
        core.warning(`perfgate: the ${store.kind} store keeps no history, so the weekly report has nothing to compare with. Use baseline: branch (a data branch) or baseline: cache.`);
        return { history, source };
      }
      try {
        const loaded = await loadRunsFromStore(store, key, WEEKLY_HISTORY_LIMIT);
        history = loaded.runs;
        source = loaded.source;
        core.info(`perfgate: ${history.length} saved runs of ${branch} in the history (${source})`);
      } catch (err) {
        if (!(err instanceof StoreUnavailableError)) throw err;
        core.warning(`perfgate: the history could not be read: ${err.message} Reporting without it.`);
      }
      return { history, source };
    },
    compare: (latest, { history, source }) =>
      analyzeWeekly({
        latest,
        history,
        options: { thresholds: opts.thresholds, failOn: opts.failOn, failOnCrossMachine: opts.failOnCrossMachine },
        source,
        branch,
      }),
    gate: weeklyVerdict,
    report: async ({ head, comparison: analysis, verdict }) => {
      for (const n of analysis.notices) core.info(`perfgate: ${n}`);
      const summaryOpts = { project: `${ctx.owner}/${ctx.repo}`, runUrl: ctx.runUrl };
      const dir = path.join(i.reportDir, 'weekly');
      const files = writeWeeklyReport(dir, analysis, { ...summaryOpts, marker: WEEKLY_MARKER });
      const resultsFile = path.join(dir, 'results.json');
      const comparisonFile = path.join(dir, 'comparison.json');
      writeFileSync(resultsFile, `${JSON.stringify(head, null, 2)}\n`);
      writeFileSync(comparisonFile, renderJson(analysis.comparison));

      core.setOutput(OUTPUTS.verdict, verdict.verdict);
      core.setOutput(OUTPUTS.grade, analysis.comparison.overall.grade ?? '');
      core.setOutput(OUTPUTS.regressions, String(verdict.regressions));
      core.setOutput(OUTPUTS.improvements, String(verdict.improvements));
      core.setOutput(OUTPUTS.reportMarkdown, files.markdown);
      core.setOutput(OUTPUTS.resultsJson, resultsFile);
      core.setOutput(OUTPUTS.comparisonJson, comparisonFile);

      const summary = renderExecutiveSummary(analysis, summaryOpts);
      const dashboard = i.dashboardUrl ? dashboardLine(i.dashboardUrl, { branch, benchmarks: analysis.steps.filter(isRegressionStep).map((s) => s.id), label: 'regression steps:' }) : '';
      await writeJobSummary(dashboard ? `${summary.trimEnd()}\n\n${dashboard}\n` : summary, coreLog);
      try {
        await uploadArtifact({ name: weeklyArtifactName(opts.clock), rootDir: dir, env: i.env, log: coreLog, retentionDays: 90 });
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
            context: { history: analysis.history, runUrl: ctx.runUrl, minor: opts.thresholds.minor, clock: clockScope(opts.clock), ...(i.dashboardUrl ? { dashboard: { url: i.dashboardUrl, branch } } : {}) },
            log: coreLog,
          });
          for (const o of outcomes) core.info(`perfgate: issue for ${o.benchmark}: ${o.action}${o.number ? ` #${o.number}` : ''}${o.reason ? ` (${o.reason})` : ''}`);
          if (outcomes.length === 0) core.info('perfgate: no regression steps: no issues to open or update.');
        } catch (err) {
          core.warning(`perfgate: the regression issues were not updated: ${(err as Error).message}`);
        }
      }
    },
    // Every weekly run goes into the history, regressions included: a step can only be found with
    // the points after it.
    save: async ({ head }) => {
      if (opts.saveBaseline !== 'false' && ctx.isDefaultBranch) {
        try {
          const saved = await store.save(key, head, { commit: ctx.headSha, ref: branch });
          for (const n of saved.notices) core.warning(`perfgate: ${n}`);
          core.info(`perfgate: this run was added to the history: ${saved.location}`);
        } catch (err) {
          core.warning(`perfgate: this run was not added to the history: ${(err as Error).message}`);
        }
      } else if (!ctx.isDefaultBranch) core.info('perfgate: not the default branch: this run is not added to the history.');
      // The dashboard is rebuilt from the history this run was just added to.
      await i.publishDashboard?.();
    },
  });
  core.info(`perfgate: ${executiveHeadline(run.comparison)}`);
}
