// `perfgate init [--dir DIR] [--fork] [--weekly] [--force]`: a suite and the workflows for a
// project (src/init/), and what to do next.
import path from 'node:path';
import type { Command } from 'commander';
import { assertInitDir, formatInitReport, InitError, runInit } from '../init/index.ts';
import { UsageError, type CmdOpts, type Wrap } from './common.ts';

async function initCommand(o: CmdOpts): Promise<number> {
  const cwd = path.resolve((o.dir as string | undefined) ?? process.cwd());
  try {
    assertInitDir(cwd);
    const report = runInit({ cwd, force: o.force === true, fork: o.fork === true, weekly: o.weekly === true });
    process.stdout.write(`${formatInitReport(report).join('\n')}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InitError) throw new UsageError(err.message);
    throw err;
  }
}

export function register(program: Command, wrap: Wrap): void {
  program
    .command('init')
    .description('set a project up: find or write a tinybench suite, write .github/workflows/perfgate.yml (converting a github-action-benchmark workflow when there is one); never overwrites without --force')
    .option('--dir <dir>', 'the project folder (default: the current folder)')
    .option('--fork', 'also write .github/workflows/perfgate-comment.yml, which posts fork pull requests\' reports')
    .option('--weekly', 'also write .github/workflows/perfgate-weekly.yml, the weekly trend report')
    .option('--force', 'overwrite files that exist')
    .action(wrap((o: CmdOpts) => initCommand(o)));
}
