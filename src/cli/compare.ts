// `perfgate compare <base> <head>`: compare two perfgate/results@1 files; exit 1 when the gate fails.
import type { Command } from 'commander';
import { gateVerdict } from '../gate/verdict.ts';
import { decide, runPipeline, type BaselineSide } from '../pipeline.ts';
import type { Comparison } from '../schema/comparison.ts';
import { addGateOptions, applyVerdict, readResultsFile, reportComparison, resolveOptions, type CmdOpts, type Wrap } from './common.ts';

async function compareCommand(baseFile: string, headFile: string, cmdOpts: CmdOpts): Promise<number> {
  const opts = await resolveOptions(cmdOpts, process.cwd());
  const base = readResultsFile(baseFile);
  const head = readResultsFile(headFile);
  const run = await runPipeline<BaselineSide, Comparison>({
    measure: async () => head,
    baseline: () => ({ results: base, source: baseFile }),
    compare: (h, b) => decide(opts, h, b),
    gate: gateVerdict,
    report: ({ comparison }) => reportComparison(comparison, cmdOpts),
  });
  return applyVerdict(run.verdict);
}

export function register(program: Command, wrap: Wrap): void {
  addGateOptions(program.command('compare').description('compare two perfgate/results@1 files').argument('<base>', 'baseline results JSON').argument('<head>', 'head results JSON'), {
    measures: false,
  }).action(wrap((b: string, h: string, o: CmdOpts) => compareCommand(b, h, o)));
}
