// `perfgate weekly`: the latest run against the rolling history, change points, the executive
// summary (Markdown on stdout, files in --out-dir). The verdict is weeklyVerdict: never a failure.
import type { Command } from 'commander';
import path from 'node:path';
import { weeklyVerdict } from '../gate/verdict.ts';
import { defaultBranch } from '../git.ts';
import type { LoadedRuns } from '../history/load.ts';
import { runPipeline } from '../pipeline.ts';
import type { Results } from '../schema/results.ts';
import { analyzeWeekly, DEFAULT_WINDOW, type WeeklyAnalysis } from '../weekly/analyze.ts';
import { executiveHeadline, renderExecutiveSummary } from '../weekly/executive.ts';
import { renderWeeklyJson, writeWeeklyReport } from '../weekly/report.ts';
import { addGateOptions, applyVerdict, log, measureHere, readResultsFile, resolveOptions, UsageError, writeOut, type CmdOpts, type Wrap } from './common.ts';
import { addHistorySourceOptions, loadRuns, parseLimit } from './history.ts';

export const DEFAULT_WEEKLY_LIMIT = 200;
const DEFAULT_OUT_DIR = path.join('.perfgate', 'weekly');

async function weeklyCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const limit = parseLimit(cmdOpts.limit, DEFAULT_WEEKLY_LIMIT);
  const window = parseLimit(cmdOpts.window, DEFAULT_WINDOW);
  if (typeof cmdOpts.results === 'string' && cmdOpts.latest) throw new UsageError('--results and --latest both name the latest run; give one.');
  const branch = typeof cmdOpts.branch === 'string' ? cmdOpts.branch : defaultBranch(cwd);
  let loaded: LoadedRuns;
  let history: Results[];
  const run = await runPipeline<Results[], WeeklyAnalysis>({
    // The history is read first: --latest takes the latest run from it.
    measure: async () => {
      loaded = await loadRuns(cmdOpts, opts, cwd, branch, limit);
      for (const n of loaded.notices) log.info(n);
      history = loaded.runs;
      if (typeof cmdOpts.results === 'string') return readResultsFile(cmdOpts.results);
      if (cmdOpts.latest) {
        if (history.length === 0) throw new UsageError(`--latest: the history (${loaded.source}) is empty; run the suites instead (leave out --latest) or pass --results FILE.`);
        const latest = history[history.length - 1];
        history = history.slice(0, -1);
        return latest;
      }
      return measureHere(opts, cwd, Boolean(cmdOpts.quiet));
    },
    baseline: () => history,
    compare: (latest, runs) =>
      analyzeWeekly({
        latest,
        history: runs,
        options: { thresholds: opts.thresholds, failOn: opts.failOn, window, failOnCrossMachine: opts.failOnCrossMachine },
        source: loaded.source,
        branch: typeof cmdOpts.dir === 'string' && !cmdOpts.branch ? undefined : branch,
      }),
    gate: weeklyVerdict,
    report: ({ comparison: analysis }) => {
      for (const n of analysis.notices) log.info(n);
      const summaryOpts = { title: typeof cmdOpts.title === 'string' ? cmdOpts.title : undefined };
      const outDir = path.resolve(cwd, typeof cmdOpts.outDir === 'string' ? cmdOpts.outDir : DEFAULT_OUT_DIR);
      const files = writeWeeklyReport(outDir, analysis, summaryOpts);
      if (typeof cmdOpts.markdown === 'string') writeOut(cmdOpts.markdown, renderExecutiveSummary(analysis, summaryOpts));
      if (typeof cmdOpts.json === 'string') writeOut(cmdOpts.json, renderWeeklyJson(analysis));
      if (cmdOpts.json === true) process.stdout.write(renderWeeklyJson(analysis));
      else process.stdout.write(renderExecutiveSummary(analysis, summaryOpts));
      log.info(executiveHeadline(analysis));
      log.info(`weekly report: ${path.relative(cwd, files.markdown)}, ${path.relative(cwd, files.json)}, ${files.charts.length} SVG charts in ${path.relative(cwd, files.chartsDir)}`);
    },
  });
  return applyVerdict(run.verdict);
}

export function register(program: Command, wrap: Wrap): void {
  const cmd = addGateOptions(
    program
      .command('weekly')
      .description(
        'compare the latest run with the rolling history (median of the last --window runs), detect change points in every benchmark\'s series, and write the executive summary (Markdown on stdout; weekly.md, weekly.json and SVG charts in --out-dir)',
      ),
    { measures: true },
  );
  addHistorySourceOptions(cmd, DEFAULT_WEEKLY_LIMIT)
    .option('--results <file>', 'the latest run as a perfgate/results@1 file (default: run the suites now)')
    .option('--latest', 'use the newest history entry as the latest run (no measuring)')
    .option('--window <n>', `baseline: the median of the last n saved runs (default: ${DEFAULT_WINDOW})`)
    .option('--out-dir <dir>', `folder for weekly.md, weekly.json and charts/*.svg (default: ${DEFAULT_OUT_DIR})`)
    .option('--title <text>', 'title of the executive summary')
    .action(wrap((o: CmdOpts) => weeklyCommand(o)));
}
