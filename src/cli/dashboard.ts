// `perfgate dashboard`: the saved history as a static site (one self-contained index.html), from a
// folder of results files (all branches in it) or from the data branch (one branch).
import type { Command } from 'commander';
import path from 'node:path';
import { buildDashboard, writeDashboard } from '../dashboard/index.ts';
import { defaultBranch } from '../git.ts';
import { loadRunsFromDir, type LoadedRuns } from '../history/load.ts';
import { DEFAULT_MAX_ENTRIES } from '../store/branch.ts';
import { DEFAULT_WINDOW } from '../weekly/analyze.ts';
import { log, resolveOptions, UsageError, type CmdOpts, type Wrap } from './common.ts';
import { addHistorySourceOptions, loadRuns, parseLimit } from './history.ts';

const DEFAULT_OUT = path.join('.perfgate', 'dashboard');

/** A commit link template: http(s) and containing {commit}. */
export function parseCommitUrl(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^https?:\/\//i.test(text) || !text.includes('{commit}')) {
    throw new UsageError(`--commit-url is "${text}"; expected an http(s) URL containing {commit}, e.g. https://github.com/OWNER/REPO/commit/{commit}.`);
  }
  return text;
}

async function dashboardCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const limit = parseLimit(cmdOpts.limit, DEFAULT_MAX_ENTRIES);
  const window = parseLimit(cmdOpts.window, DEFAULT_WINDOW);
  const commitUrl = parseCommitUrl(cmdOpts.commitUrl);
  const outDir = path.resolve(cwd, typeof cmdOpts.out === 'string' ? cmdOpts.out : DEFAULT_OUT);
  let loaded: LoadedRuns;
  let branch: string | undefined;
  if (typeof cmdOpts.dir === 'string') {
    // A folder: every branch in it (or only --branch), the newest --limit runs when given.
    branch = typeof cmdOpts.branch === 'string' ? cmdOpts.branch : undefined;
    loaded = loadRunsFromDir(path.resolve(cwd, cmdOpts.dir), { branch, ...(cmdOpts.limit !== undefined ? { limit } : {}) });
  } else {
    branch = typeof cmdOpts.branch === 'string' ? cmdOpts.branch : defaultBranch(cwd);
    loaded = await loadRuns(cmdOpts, opts, cwd, branch, limit);
  }
  for (const n of loaded.notices) log.info(n);
  const data = buildDashboard({
    runs: loaded.runs,
    source: loaded.source,
    thresholds: opts.thresholds,
    failOn: opts.failOn,
    window,
    ...(typeof cmdOpts.title === 'string' ? { title: cmdOpts.title } : {}),
    ...(branch ? { defaultBranch: branch } : {}),
    ...(commitUrl ? { commitUrl } : {}),
  });
  for (const n of data.notices) log.warning(n);
  const { file, bytes } = writeDashboard(outDir, data);
  const benchmarks = new Set(data.branches.flatMap((b) => b.benchmarks.map((x) => x.id))).size;
  const branches = data.branches.length;
  log.info(
    `dashboard: ${path.relative(cwd, file) || file} (${loaded.runs.length} run${loaded.runs.length === 1 ? '' : 's'} on ${branches} branch${branches === 1 ? '' : 'es'}, ${benchmarks} benchmark${benchmarks === 1 ? '' : 's'}, ${Math.ceil(bytes / 1024)} KiB); open it in a browser or publish the folder with GitHub Pages.`,
  );
  return 0;
}

export function register(program: Command, wrap: Wrap): void {
  addHistorySourceOptions(
    program
      .command('dashboard')
      .description(
        'write the saved history as a static site (one self-contained index.html): per benchmark the medians with their 95% intervals, change points, run grades, memory and load metrics; filters and #bench=<id> links',
      )
      .option('-c, --config <file>', 'config file (default: perfgate.config.json|mjs|js, or the "perfgate" key of package.json)'),
    DEFAULT_MAX_ENTRIES,
  )
    .option('-o, --out <dir>', `folder for index.html (default: ${DEFAULT_OUT})`)
    .option('--window <n>', `each run is graded against the median of the n runs before it (default: ${DEFAULT_WINDOW})`)
    .option('--title <text>', 'page title (default: perfgate dashboard)')
    .option('--commit-url <template>', 'link commits, e.g. https://github.com/OWNER/REPO/commit/{commit}')
    .action(wrap((o: CmdOpts) => dashboardCommand(o)));
}
