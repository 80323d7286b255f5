// `perfgate weekly`: the latest run against the rolling history, change points, the executive
// summary (Markdown on stdout, files in --out-dir).
import path from 'node:path';
import type { Command } from 'commander';
import { addHistorySourceOptions, defaultBranch, loadRuns, parseLimit, type CliDeps } from '../history/command.ts';
import { executiveHeadline, renderExecutiveSummary } from './executive.ts';
import type { Results } from '../schema/results.ts';
import { analyzeWeekly, DEFAULT_WINDOW } from './analyze.ts';
import { renderWeeklyJson, writeWeeklyReport } from './report.ts';

export const DEFAULT_WEEKLY_LIMIT = 200;
const DEFAULT_OUT_DIR = path.join('.perfgate', 'weekly');

async function weeklyCommand(cmdOpts: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const cwd = process.cwd();
  const opts = await deps.resolveOptions(cmdOpts, cwd);
  const limit = parseLimit(cmdOpts.limit, deps, DEFAULT_WEEKLY_LIMIT);
  const window = parseLimit(cmdOpts.window, deps, DEFAULT_WINDOW);
  if (typeof cmdOpts.results === 'string' && cmdOpts.latest) throw deps.usageError('--results and --latest both name the latest run; give one.');
  const branch = typeof cmdOpts.branch === 'string' ? cmdOpts.branch : defaultBranch(cwd);
  const loaded = await loadRuns(cmdOpts, opts, cwd, branch, limit);
  for (const n of loaded.notices) deps.log.info(n);
  let history = loaded.runs;
  let latest: Results;
  if (typeof cmdOpts.results === 'string') latest = deps.readResultsFile(cmdOpts.results);
  else if (cmdOpts.latest) {
    if (history.length === 0) throw deps.usageError(`--latest: the history (${loaded.source}) is empty; run the suites instead (leave out --latest) or pass --results FILE.`);
    latest = history[history.length - 1];
    history = history.slice(0, -1);
  } else latest = await deps.measureHere(opts, cwd, Boolean(cmdOpts.quiet));

  const analysis = analyzeWeekly({
    latest,
    history,
    options: { thresholds: opts.thresholds, failOn: opts.failOn, window, failOnCrossMachine: opts.failOnCrossMachine },
    source: loaded.source,
    branch: typeof cmdOpts.dir === 'string' && !cmdOpts.branch ? undefined : branch,
  });
  for (const n of analysis.notices) deps.log.info(n);
  const summaryOpts = { title: typeof cmdOpts.title === 'string' ? cmdOpts.title : undefined };
  const outDir = path.resolve(cwd, typeof cmdOpts.outDir === 'string' ? cmdOpts.outDir : DEFAULT_OUT_DIR);
  const files = writeWeeklyReport(outDir, analysis, summaryOpts);
  if (typeof cmdOpts.markdown === 'string') deps.writeOut(cmdOpts.markdown, renderExecutiveSummary(analysis, summaryOpts));
  if (typeof cmdOpts.json === 'string') deps.writeOut(cmdOpts.json, renderWeeklyJson(analysis));
  if (cmdOpts.json === true) process.stdout.write(renderWeeklyJson(analysis));
  else process.stdout.write(renderExecutiveSummary(analysis, summaryOpts));
  deps.log.info(executiveHeadline(analysis));
  deps.log.info(`weekly report: ${path.relative(cwd, files.markdown)}, ${path.relative(cwd, files.json)}, ${files.charts.length} SVG charts in ${path.relative(cwd, files.chartsDir)}`);
  return 0;
}

export function registerWeeklyCommand(program: Command, deps: CliDeps): void {
  const cmd = deps.addGateOptions(
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
    .action(deps.wrap((o: Record<string, unknown>) => weeklyCommand(o, deps)));
}
