// `perfgate baseline save`: write the committed baselines/ from a fresh run or a results file.
import type { Command } from 'commander';
import path from 'node:path';
import { saveFileBaseline } from '../store/file.ts';
import { poolSessions } from '../store/sessions.ts';
import { addGateOptions, measureHere, readResultsFile, resolveOptions, stderr, UsageError, type CmdOpts, type Wrap } from './common.ts';

async function baselineSaveCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const sessions = cmdOpts.sessions === undefined ? 1 : Number(cmdOpts.sessions);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 100) throw new UsageError(`option "--sessions" is "${String(cmdOpts.sessions)}"; expected a whole number from 1 to 100.`);
  if (sessions > 1 && typeof cmdOpts.from === 'string') throw new UsageError('options "--sessions" and "--from" do not go together: --sessions measures the suites that many times.');
  let results;
  if (typeof cmdOpts.from === 'string') results = readResultsFile(cmdOpts.from);
  else {
    // Separate sessions, one after the other: every round of every suite in fresh processes each
    // time; how much their medians differ is kept with the baseline (poolSessions).
    const runs = [];
    for (let i = 1; i <= sessions; i++) {
      if (sessions > 1) stderr(`perfgate: session ${i} of ${sessions}`);
      runs.push(await measureHere(opts, cwd, Boolean(cmdOpts.quiet)));
    }
    results = poolSessions(runs);
  }
  const failed = results.benchmarks.filter((b) => b.status === 'failed');
  if (failed.length && !cmdOpts.allowFailed) {
    throw new UsageError(
      `Not saving a baseline with ${failed.length} failed benchmark(s) (${failed.map((b) => b.id).join(', ')}); fix them or pass --allow-failed.`,
    );
  }
  const written = saveFileBaseline(path.resolve(cwd, opts.baselineDir), results);
  stderr(`perfgate: baseline saved: ${written.map((f) => path.relative(cwd, f)).join(', ')}`);
  return 0;
}

export function register(program: Command, wrap: Wrap): void {
  const baseline = program.command('baseline').description('manage the committed baselines in baselines/');
  addGateOptions(baseline.command('save').description('write baselines/ from a fresh run, or from --from FILE'), { measures: true })
    .option('--from <file>', 'results file to save instead of running the suites')
    .option('--allow-failed', 'save even if some benchmarks failed')
    .option('--sessions <n>', 'measure n separate sessions and keep how much they differ with the baseline, for sharper stored comparisons (default: 1)')
    .action(wrap((o: CmdOpts) => baselineSaveCommand(o)));
}
