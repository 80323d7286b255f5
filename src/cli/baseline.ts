// `perfgate baseline save`: write the committed baselines/ from a fresh run or a results file.
import type { Command } from 'commander';
import path from 'node:path';
import { saveFileBaseline } from '../store/file.ts';
import { addGateOptions, measureHere, readResultsFile, resolveOptions, stderr, UsageError, type CmdOpts, type Wrap } from './common.ts';

async function baselineSaveCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const results = typeof cmdOpts.from === 'string' ? readResultsFile(cmdOpts.from) : await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
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
    .action(wrap((o: CmdOpts) => baselineSaveCommand(o)));
}
