// `perfgate ab --base REF`: same-runner A/B on this machine: the base revision in a git worktree,
// built, and measured side by side with the working tree; exit 1 when the gate fails.
import type { Command } from 'commander';
import path from 'node:path';
import { decideSameRunner, runSameRunner, sameRunnerSource, type SameRunnerResult } from '../ab/index.ts';
import { gateVerdict } from '../gate/verdict.ts';
import { runPipeline, type BaselineSide } from '../pipeline.ts';
import type { Comparison } from '../schema/comparison.ts';
import { addGateOptions, applyVerdict, LAST_RESULTS, log, progressReporter, reportComparison, resolveOptions, writeOut, type CmdOpts, type Wrap } from './common.ts';

async function abCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  let ab: SameRunnerResult;
  const run = await runPipeline<BaselineSide, Comparison>({
    measure: async () => {
      const progress = progressReporter(Boolean(cmdOpts.quiet));
      try {
        ab = await runSameRunner(opts, { cwd, baseRef: String(cmdOpts.base), log, onProgress: progress.onProgress });
      } finally {
        progress.done();
      }
      writeOut(path.join(cwd, LAST_RESULTS), JSON.stringify(ab.head, null, 2));
      return ab.head;
    },
    baseline: () => ({ results: ab.base ?? null, source: sameRunnerSource(ab.sha) }),
    // Same-runner runs decide at the alpha of their last look (see src/ab).
    compare: () => decideSameRunner(opts, ab),
    gate: gateVerdict,
    report: ({ comparison }) => reportComparison(comparison, cmdOpts),
  });
  return applyVerdict(run.verdict);
}

export function register(program: Command, wrap: Wrap): void {
  addGateOptions(
    program
      .command('ab')
      .description('same-runner A/B: check the base revision out in a git worktree, build it, and measure it and the working tree side by side in interleaved rounds; compare paired'),
    { measures: true },
  )
    .requiredOption('-b, --base <ref>', 'base revision: a commit, branch, tag or expression such as HEAD~1 or origin/main')
    .option('--build <command>', 'build command for the base checkout (default: reuse or install node_modules, then auto-detect; "none" skips)')
    .action(wrap((o: CmdOpts) => abCommand(o)));
}
