// `perfgate history`: the saved history of a branch, from the data branch or a folder of results.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';
import type { Options } from '../options.ts';
import type { Log } from '../pipeline.ts';
import type { Results } from '../schema/results.ts';
import { createBranchStore } from '../store/branch.ts';
import { loadRunsFromDir, loadRunsFromStore, type LoadedRuns } from './load.ts';
import { renderHistoryJson, renderHistoryText } from '../report/history.ts';
import { buildHistory } from './series.ts';

/** What the command modules need from the CLI (src/cli.ts passes its own helpers). */
export interface CliDeps {
  log: Log;
  /** Flags + config file → Options (throws OptionsError on a bad value). */
  resolveOptions(cmdOpts: Record<string, unknown>, cwd: string): Promise<Options>;
  /** Runs the configured suites here with the progress line. */
  measureHere(opts: Options, cwd: string, quiet: boolean): Promise<Results>;
  /** Reads and validates a results file (throws a usage error naming it). */
  readResultsFile(file: string): Results;
  writeOut(file: string, text: string): void;
  useColor(flag: boolean | undefined): boolean;
  /** Wraps an action so its exit code reaches the program. */
  wrap<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void>;
  /** Makes an error that exits 2 with its message. */
  usageError(message: string): Error;
  /** Adds the flags shared by the commands that measure or decide (thresholds, suites, …). */
  addGateOptions(cmd: Command, o: { measures: boolean }): Command;
}

export const DEFAULT_HISTORY_LIMIT = 60;

/** The branch whose history to read: the remote's default branch when git knows it, else `main`. */
export function defaultBranch(cwd: string, remote = 'origin'): string {
  try {
    const ref = execFileSync('git', ['symbolic-ref', '--quiet', '--short', `refs/remotes/${remote}/HEAD`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const name = ref.startsWith(`${remote}/`) ? ref.slice(remote.length + 1) : ref;
    if (name) return name;
  } catch {
    // no remote HEAD known
  }
  return 'main';
}

/** A remote given as a URL or a path (not a remote name): URLs as they are, paths resolved from `cwd`. */
export function remoteLocation(remote: string, cwd: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || /^[^/\\]+@[^/\\]+:/.test(remote)) return remote;
  if (/[/\\]/.test(remote) || remote.endsWith('.git')) return path.resolve(cwd, remote);
  return undefined;
}

export function parseLimit(value: unknown, deps: CliDeps, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw deps.usageError(`--limit is "${String(value)}"; expected a whole number from 1 to 100000.`);
  return n;
}

/** Reads the saved runs from `--dir`, or the data branch of `--remote` (default origin). */
export async function loadRuns(cmdOpts: Record<string, unknown>, opts: Options, cwd: string, branch: string, limit: number): Promise<LoadedRuns> {
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

async function historyCommand(cmdOpts: Record<string, unknown>, deps: CliDeps): Promise<number> {
  const cwd = process.cwd();
  const opts = await deps.resolveOptions(cmdOpts, cwd);
  const limit = parseLimit(cmdOpts.limit, deps, DEFAULT_HISTORY_LIMIT);
  const branch = typeof cmdOpts.branch === 'string' ? cmdOpts.branch : defaultBranch(cwd);
  const loaded = await loadRuns(cmdOpts, opts, cwd, branch, limit);
  for (const n of loaded.notices) deps.log.info(n);
  const history = buildHistory(loaded.runs, { branch: typeof cmdOpts.dir === 'string' && !cmdOpts.branch ? undefined : branch, source: loaded.source });
  if (typeof cmdOpts.json === 'string') deps.writeOut(cmdOpts.json, renderHistoryJson(history));
  if (cmdOpts.json === true) process.stdout.write(renderHistoryJson(history));
  else process.stdout.write(renderHistoryText(history, { color: deps.useColor(cmdOpts.color as boolean | undefined), width: process.stdout.columns }));
  return 0;
}

export function registerHistoryCommand(program: Command, deps: CliDeps): void {
  addHistorySourceOptions(
    program
      .command('history')
      .description('print the saved history of a branch: per benchmark, the medians of its runs, newest last (from the data branch, or a folder with --dir)')
      .option('-c, --config <file>', 'config file (default: perfgate.config.json|mjs|js, or the "perfgate" key of package.json)'),
    DEFAULT_HISTORY_LIMIT,
  )
    .option('--json [file]', 'write perfgate/history@1 JSON to a file, or print it instead of the listing')
    .option('--no-color', 'plain text (NO_COLOR is respected too)')
    .action(deps.wrap((o: Record<string, unknown>) => historyCommand(o, deps)));
}
