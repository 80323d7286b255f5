// `perfgate history`: the saved history of a branch, from the data branch or a folder of results.
import type { Command } from 'commander';
import path from 'node:path';
import { defaultBranch } from '../git.ts';
import { loadRunsFromDir, loadRunsFromStore, remoteLocation, type LoadedRuns } from '../history/load.ts';
import { buildHistory } from '../history/series.ts';
import type { Options } from '../options.ts';
import { renderHistoryJson, renderHistoryText } from '../report/history.ts';
import { createBranchStore } from '../store/branch.ts';
import { log, resolveOptions, UsageError, useColor, writeOut, type CmdOpts, type Wrap } from './common.ts';

export const DEFAULT_HISTORY_LIMIT = 60;

export function parseLimit(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new UsageError(`--limit is "${String(value)}"; expected a whole number from 1 to 100000.`);
  return n;
}

/** Reads the saved runs from `--dir`, or the data branch of `--remote` (default origin). */
export async function loadRuns(cmdOpts: CmdOpts, opts: Options, cwd: string, branch: string, limit: number): Promise<LoadedRuns> {
  if (typeof cmdOpts.dir === 'string') return loadRunsFromDir(path.resolve(cwd, cmdOpts.dir), { branch: cmdOpts.branch ? branch : undefined, limit });
  const remote = typeof cmdOpts.remote === 'string' ? cmdOpts.remote : 'origin';
  const url = remoteLocation(remote, cwd);
  const store = createBranchStore({ cwd, dataBranch: opts.dataBranch, ...(url ? { remoteUrl: url } : { remote }) });
  return loadRunsFromStore(store, branch, limit);
}

/** Options shared by `history` and `weekly` for where the history is. */
export function addHistorySourceOptions(cmd: Command, defaultLimit: number): Command {
  return cmd
    .option('-b, --branch <name>', "branch whose history to read (default: the remote's default branch, else main)")
    .option('-n, --limit <n>', `newest history entries to read (default: ${defaultLimit})`)
    .option('--dir <folder>', 'read perfgate/results@1 files (one per run) from this folder instead of the data branch')
    .option('--data-branch <name>', 'git branch that holds the history (default: perfgate-data)')
    .option('--remote <name-or-url>', 'git remote (or URL, or path) that holds the data branch (default: origin)');
}

async function historyCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const limit = parseLimit(cmdOpts.limit, DEFAULT_HISTORY_LIMIT);
  const branch = typeof cmdOpts.branch === 'string' ? cmdOpts.branch : defaultBranch(cwd);
  const loaded = await loadRuns(cmdOpts, opts, cwd, branch, limit);
  for (const n of loaded.notices) log.info(n);
  const history = buildHistory(loaded.runs, { branch: typeof cmdOpts.dir === 'string' && !cmdOpts.branch ? undefined : branch, source: loaded.source });
  if (typeof cmdOpts.json === 'string') writeOut(cmdOpts.json, renderHistoryJson(history));
  if (cmdOpts.json === true) process.stdout.write(renderHistoryJson(history));
  else process.stdout.write(renderHistoryText(history, { color: useColor(cmdOpts.color as boolean | undefined), width: process.stdout.columns }));
  return 0;
}

export function register(program: Command, wrap: Wrap): void {
  addHistorySourceOptions(
    program
      .command('history')
      .description('print the saved history of a branch: per benchmark, the medians of its runs, newest last (from the data branch, or a folder with --dir)')
      .option('-c, --config <file>', 'config file (default: perfgate.config.json|mjs|js, or the "perfgate" key of package.json)'),
    DEFAULT_HISTORY_LIMIT,
  )
    .option('--json [file]', 'write perfgate/history@1 JSON to a file, or print it instead of the listing')
    .option('--no-color', 'plain text (NO_COLOR is respected too)')
    .action(wrap((o: CmdOpts) => historyCommand(o)));
}
