// `perfgate calibrate`: the gate's own accuracy on this machine (A/A false alarms, injected
// slowdowns, power curve), or with --clocks the clock study, or with --designs the design study.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_IMPROVEMENT, DEFAULT_LEVELS, ROUNDS_SCHEMA, renderCalibration, renderClockStudy, runCalibration, studyClocks, type SavedRounds } from '../calibrate/index.ts';
import { renderDesignStudy, studyDesigns } from '../calibrate/designs.ts';
import { calibrateInstructions, renderInstructionsCalibration } from '../calibrate/instructions.ts';
import { discoverSuites } from '../measure/index.ts';
import { resolveClock } from '../pipeline.ts';
import { addGateOptions, log, progressReporter, resolveOptions, stderr, UsageError, writeOut, type CmdOpts, type Wrap } from './common.ts';

function intFlag(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} is "${String(value)}"; expected a whole number ≥ ${min}.`);
  return n;
}

function percentList(value: unknown, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  const items = String(value)
    .split(',')
    .map((x) => x.trim().replace(/%$/, ''))
    .filter(Boolean)
    .map(Number);
  if (!items.length || items.some((x) => !Number.isFinite(x) || x <= 0 || x > 1000)) {
    throw new UsageError(`--${name} is "${String(value)}"; expected percentages such as 2,5,10,20,50.`);
  }
  return items.map((x) => x / 100);
}

async function calibrateCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const progress = progressReporter(Boolean(cmdOpts.quiet));
  const outDir = path.resolve(cwd, (cmdOpts.outDir as string | undefined) ?? '.');
  try {
    if (cmdOpts.clocks) {
      const suites = await discoverSuites(cwd, opts.suites);
      const study = await studyClocks({ cwd, suites, rounds: opts.rounds, taskTimeMs: opts.taskTime, suiteTimeout: opts.suiteTimeout, onProgress: progress.onProgress });
      progress.done();
      writeOut(path.join(outDir, 'calibration-clocks.json'), JSON.stringify(study, null, 2));
      process.stdout.write(renderClockStudy(study));
      stderr(`perfgate: clock study written to ${path.relative(cwd, path.join(outDir, 'calibration-clocks.json')) || 'calibration-clocks.json'}`);
      return 0;
    }
    if (cmdOpts.designs) {
      const suites = await discoverSuites(cwd, opts.suites);
      const study = await studyDesigns(opts, { cwd, suites, clock: resolveClock(opts), runs: intFlag(cmdOpts.runs, 'runs', 1) ?? 3, seed: intFlag(cmdOpts.seed, 'seed', 0), onProgress: progress.onProgress });
      progress.done();
      writeOut(path.join(outDir, 'calibration-designs.json'), JSON.stringify(study, null, 2));
      process.stdout.write(renderDesignStudy(study));
      stderr(`perfgate: design study written to ${path.relative(cwd, path.join(outDir, 'calibration-designs.json')) || 'calibration-designs.json'}`);
      return 0;
    }
    if (opts.clock === 'instructions' && cmdOpts.replay === undefined) {
      // Counts are deterministic: pools of rounds, comparisons built from them (src/calibrate/instructions.ts).
      const suites = await discoverSuites(cwd, opts.suites);
      const report = await calibrateInstructions(opts, {
        cwd,
        suites,
        target: typeof cmdOpts.target === 'string' ? cmdOpts.target : undefined,
        levels: percentList(cmdOpts.levels, 'levels'),
        aaRounds: intFlag(cmdOpts.aaRounds, 'aa-rounds', 2),
        injectRounds: intFlag(cmdOpts.injectRounds, 'inject-rounds', 1),
        runs: intFlag(cmdOpts.runs, 'runs', 1),
        injectionRuns: intFlag(cmdOpts.injectionRuns, 'injection-runs', 1),
        parallel: intFlag(cmdOpts.parallel, 'parallel', 1),
        seed: intFlag(cmdOpts.seed, 'seed', 0),
        outDir,
        log: (m) => log.info(m),
      });
      const text = renderInstructionsCalibration(report);
      writeOut(path.join(outDir, 'calibration-instructions.txt'), text);
      if (typeof cmdOpts.json === 'string') writeOut(cmdOpts.json, JSON.stringify(report, null, 2));
      process.stdout.write(text);
      stderr(`perfgate: wrote ${path.join(path.relative(cwd, outDir) || '.', 'calibration-instructions.json')} (${report.durationSec} s)`);
      return 0;
    }
    let fromRounds: SavedRounds | undefined;
    if (typeof cmdOpts.replay === 'string') {
      try {
        fromRounds = JSON.parse(readFileSync(cmdOpts.replay, 'utf8')) as SavedRounds;
      } catch (err) {
        throw new UsageError(`Cannot read --replay ${cmdOpts.replay}: ${(err as Error).message}`);
      }
      if (fromRounds.schema !== ROUNDS_SCHEMA) throw new UsageError(`--replay ${cmdOpts.replay} is not a ${ROUNDS_SCHEMA} file (written by calibrate as calibration-rounds.json).`);
    }
    const improvement = cmdOpts.improvement === undefined ? undefined : Number(String(cmdOpts.improvement).trim().replace(/%$/, '')) / 100;
    if (improvement !== undefined && !(improvement >= 0 && improvement <= 10)) throw new UsageError(`--improvement is "${String(cmdOpts.improvement)}"; expected a percentage such as 20 (0 for none).`);
    const report = await runCalibration(opts, {
      cwd,
      runs: intFlag(cmdOpts.runs, 'runs', 1),
      injectionRuns: intFlag(cmdOpts.injectionRuns, 'injection-runs', 0),
      minutes: cmdOpts.minutes === undefined ? undefined : Number(cmdOpts.minutes),
      levels: percentList(cmdOpts.levels, 'levels'),
      improvement,
      bootstrap: intFlag(cmdOpts.bootstrap, 'bootstrap', 0),
      seed: intFlag(cmdOpts.seed, 'seed', 0),
      outDir,
      fromRounds,
      log,
      onProgress: progress.onProgress,
    });
    progress.done();
    if (typeof cmdOpts.json === 'string') writeOut(cmdOpts.json, JSON.stringify(report, null, 2));
    if (cmdOpts.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(renderCalibration(report));
    stderr(`perfgate: wrote ${path.join(path.relative(cwd, outDir) || '.', 'calibration.json')} and calibration.svg (${report.durationSec} s)`);
    return 0;
  } finally {
    progress.done();
  }
}

export function register(program: Command, wrap: Wrap): void {
  addGateOptions(
    program
      .command('calibrate')
      .description("measure the gate's own accuracy here: A/A runs (false alarms), injected slowdowns (detection), power curve; or --clocks for the clock study"),
    { measures: true },
  )
    .option('--runs <k>', 'A/A runs (default: sized so that everything takes about --minutes)')
    .option('--injection-runs <n>', 'A/B runs with injected slowdowns, one benchmark per suite each (default: sized likewise)')
    .option('--minutes <m>', 'target duration when --runs / --injection-runs are not given (default: 10)')
    .option('--levels <pcts>', `injected slowdowns, comma-separated percentages (default: ${DEFAULT_LEVELS.map((l) => l * 100).join(',')})`)
    .option('--improvement <pct>', `injected improvement: the base side slowed by this much (default: ${DEFAULT_IMPROVEMENT * 100}; 0 for none)`)
    .option('--bootstrap <n>', 'bootstrap replays of the measured A/A rounds (default: 2000; 0 for none)')
    .option('--seed <n>', 'seed of the random orders and replays')
    .option('--out-dir <dir>', 'where calibration.json and calibration.svg go (default: .)')
    .option('--clocks', 'run the clock study instead: wall vs cpu (vs instructions) same-commit spread, --rounds rounds')
    .option('--designs', 'compare the same-runner designs here instead: pinned pairs alternating, unpinned alternating, duet (two CPUs at once); --runs A/A runs of each')
    .option('--aa-rounds <n>', 'with --clock instructions: rounds of each suite in the A/A pool (default: 12)')
    .option('--inject-rounds <n>', 'with --clock instructions: rounds per injected level (default: 10)')
    .option('--target <id>', 'with --clock instructions: the benchmark (suite/task) that gets the extra work (default: the steadiest)')
    .option('--parallel <n>', 'with --clock instructions: suite processes at once (default: 1)')
    .option('--replay <file>', 'no measuring: replay the A/A round pairs saved by an earlier calibrate (calibration-rounds.json)')
    .action(wrap((o: CmdOpts) => calibrateCommand(o)));
}
