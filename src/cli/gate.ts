// `perfgate gate` (and `perfgate` with no command): run the suites, compare with baselines/, print
// the grade table; exit 1 when the gate fails.
import type { Command } from 'commander';
import path from 'node:path';
import { gateVerdict } from '../gate/verdict.ts';
import { decide, runPipeline, type BaselineSide } from '../pipeline.ts';
import type { Comparison } from '../schema/comparison.ts';
import { loadFileBaseline } from '../store/file.ts';
import { addGateOptions, applyVerdict, LAST_RESULTS, measureHere, reportComparison, resolveOptions, writeOut, type CmdOpts, type Wrap } from './common.ts';

export async function gateCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  // Read before measuring: a corrupt baseline file fails at once, not after the run.
  const stored = loadFileBaseline(path.resolve(cwd, opts.baselineDir));
  const run = await runPipeline<BaselineSide, Comparison>({
    measure: async () => {
      const results = await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
      writeOut(path.join(cwd, LAST_RESULTS), JSON.stringify(results, null, 2));
      return results;
    },
    baseline: (results) => {
      let base = stored;
      if (base && cmdOpts.suites !== undefined) {
        // --suites picked some suites on purpose: the others are not "missing", just not run.
        const ran = new Set(results.benchmarks.map((b) => b.suite));
        base = { ...base, benchmarks: base.benchmarks.filter((b) => ran.has(b.suite)) };
      }
      return {
        results: base,
        source: `${opts.baselineDir}/ (file)`,
        reason: base ? undefined : `No baseline yet in ${opts.baselineDir}/: nothing compared. Save one with \`perfgate baseline save --from ${LAST_RESULTS}\`.`,
      };
    },
    compare: (head, base) => decide(opts, head, base),
    gate: gateVerdict,
    report: ({ comparison }) => reportComparison(comparison, cmdOpts),
  });
  return applyVerdict(run.verdict);
}

/** The `gate` command (also the program's default action, set in src/cli/index.ts). */
export function register(program: Command, wrap: Wrap): void {
  addGateOptions(program.command('gate').description('run the suites, compare with baselines/, print the grade table (the default)'), { measures: true }).action(
    wrap((o: CmdOpts) => gateCommand(o)),
  );
}
