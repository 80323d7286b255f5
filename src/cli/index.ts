// The perfgate command line: the program, one module per command (src/cli/<command>.ts), and the
// one top-level catch. It parses flags and the config file into Options and calls the pipeline;
// exit codes: 0 pass, 1 the gate failed, 2 usage or input error (message on stderr).
import { removeOpenWorktrees } from '../ab/worktree.ts';
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from '../gate/verdict.ts';
import { OptionsError } from '../options.ts';
import { VERSION } from '../version.ts';
import { register as registerAb } from './ab.ts';
import { register as registerBaseline } from './baseline.ts';
import { register as registerCalibrate } from './calibrate.ts';
import { addGateOptions, stderr, UsageError, type CmdOpts, type Wrap } from './common.ts';
import { register as registerCompare } from './compare.ts';
import { register as registerDashboard } from './dashboard.ts';
import { gateCommand, register as registerGate } from './gate.ts';
import { register as registerHistory } from './history.ts';
import { register as registerIngest } from './ingest.ts';
import { register as registerInit } from './init.ts';
import { register as registerMerge } from './merge.ts';
import { register as registerRun } from './run.ts';
import { register as registerWeekly } from './weekly.ts';

export { formatProgress, type ProgressEvent } from './common.ts';

/** `perfgate frobnicate`: the message names the unknown command and lists the commands. */
export function unknownCommandMessage(name: string, program: Command): string {
  const commands = program.commands.map((c) => c.name());
  return `unknown command "${name}". Commands: ${commands.join(', ')} (perfgate <command> --help for one; without a command perfgate runs the gate).`;
}

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('perfgate')
    .description('Performance gate: runs tinybench suites, compares them with a baseline, grades A+ to F.\nWithout a command: run the suites, compare with baselines/, print the grade table.')
    .version(VERSION)
    .showHelpAfterError()
    .enablePositionalOptions()
    .exitOverride();

  const wrap: Wrap =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      run(await fn(...args));

  // Without a command: the gate. Words after the options are not its arguments but a command
  // that does not exist.
  addGateOptions(program, { measures: true }).action(
    wrap(async (o: CmdOpts, cmd: Command) => {
      if (cmd.args.length) throw new UsageError(unknownCommandMessage(cmd.args[0], program));
      return gateCommand(o);
    }),
  );
  registerGate(program, wrap);
  registerRun(program, wrap);
  registerCompare(program, wrap);
  registerAb(program, wrap);
  registerCalibrate(program, wrap);
  registerBaseline(program, wrap);
  registerIngest(program, wrap);
  registerHistory(program, wrap);
  registerWeekly(program, wrap);
  registerDashboard(program, wrap);
  registerMerge(program, wrap);
  registerInit(program, wrap);
  // Only the program itself takes stray words (to name them above); the commands set before
  // this line keep commander's check.
  program.allowExcessArguments(true);
  return program;
}

/** Ctrl-C or a kill in the middle of an A/B run: remove the base checkout, then exit as a shell reports it. */
function exitOnSignal(signal: NodeJS.Signals): void {
  removeOpenWorktrees();
  process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
}

export async function main(argv: string[]): Promise<number> {
  process.once('SIGINT', exitOnSignal);
  process.once('SIGTERM', exitOnSignal);
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return EXIT_USAGE; // commander already printed the message
    }
    if (err instanceof UsageError || err instanceof OptionsError) {
      stderr(`perfgate: error: ${err.message}`);
      return EXIT_USAGE;
    }
    const e = err as Error & { code?: string };
    // Input problems raised by the stages (unreadable or invalid files, unknown suites) are plain
    // Errors with a message for the user; anything else is a bug and keeps its stack.
    stderr(`perfgate: error: ${e.message}`);
    if (process.env.PERFGATE_DEBUG) stderr(e.stack ?? '');
    return EXIT_USAGE;
  }
}
