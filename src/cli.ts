#!/usr/bin/env node
// The perfgate command line. It parses flags and the config file into Options and calls the
// pipeline; exit codes: 0 pass, 1 the gate failed, 2 usage or input error (message on stderr).
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decideSameRunner, runSameRunner } from './ab/index.ts';
import { DEFAULT_IMPROVEMENT, DEFAULT_LEVELS, ROUNDS_SCHEMA, renderCalibration, renderClockStudy, runCalibration, studyClocks, type SavedRounds } from './calibrate/index.ts';
import { discoverSuites } from './measure/index.ts';
import { loadConfig } from './config.ts';
import { gitInfo } from './git.ts';
import { OPTION_SETTERS, OptionsError, parseOptions, type Options, type RawOptions } from './options.ts';
import { decide, measureSuites, type Log } from './pipeline.ts';
import { renderJson, renderMarkdown, renderTerminal } from './report/index.ts';
import { parseResults, type Results } from './schema/results.ts';
import { loadFileBaseline, saveFileBaseline } from './store/file.ts';
import { FORMATS } from './ingest/index.ts';
import { readAndIngest } from './ingest/io.ts';
import { machineInfo } from './machine.ts';
import { VERSION } from './version.ts';
import { registerHistoryCommand, type CliDeps } from './history/command.ts';
import { registerWeeklyCommand } from './weekly/command.ts';
import { registerMergeCommand } from './shard/command.ts';
import { parseShard, shardArtifactName, ShardError } from './shard/shard.ts';
import { writeShardFiles } from './shard/files.ts';
import { measureShard } from './shard/run.ts';

/** An input problem: exit 2 with the message. */
class UsageError extends Error {}

const stderr = (line: string) => process.stderr.write(`${line}\n`);
const log: Log = { info: (m) => stderr(`perfgate: ${m}`), warning: (m) => stderr(`perfgate: warning: ${m}`) };

function useColor(flag: boolean | undefined): boolean {
  if (flag === false || 'NO_COLOR' in process.env) return false;
  if ('FORCE_COLOR' in process.env) return true;
  return Boolean(process.stdout.isTTY);
}

/** A progress event of the measure stage (`index`/`suites`: position of the suite in its round). */
export interface ProgressEvent {
  suite: string;
  round: number;
  rounds: number;
  elapsedMs: number;
  index?: number;
  suites?: number;
}

function seconds(s: number): string {
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(Math.round(s - m * 60)).padStart(2, '0')} s`;
}

/**
 * One progress line: "round 2/8 · suite 3/5 · bench/x.bench.ts · 12 s · ETA 40 s". The ETA is the
 * rate so far times the steps left, capped by what the time budget still allows (measuring stops
 * starting rounds once the budget is spent). `bar`: a 20-cell bar and the percentage in front.
 */
export function formatProgress(e: ProgressEvent, opts: { timeBudgetSec?: number; bar?: boolean } = {}): string {
  const parts = [`round ${e.round}/${e.rounds}`];
  const positioned = Boolean(e.index && e.suites);
  if (positioned) parts.push(`suite ${e.index}/${e.suites}`);
  parts.push(e.suite, seconds(e.elapsedMs / 1000));
  let fraction: number | undefined;
  if (positioned) {
    const total = e.rounds * e.suites!;
    const done = (e.round - 1) * e.suites! + (e.index! - 1);
    fraction = done / total;
    if (done > 0) {
      const perStep = e.elapsedMs / 1000 / done;
      let eta = perStep * (total - done);
      let capped = false;
      if (opts.timeBudgetSec !== undefined) {
        const roundLeft = perStep * (e.suites! - (e.index! - 1));
        const cap = Math.max(0, opts.timeBudgetSec - e.elapsedMs / 1000) + roundLeft;
        if (cap < eta) [eta, capped] = [cap, true];
      }
      parts.push(`ETA ${capped ? '≤ ' : ''}${seconds(eta)}${capped ? ' (time budget)' : ''}`);
    }
  }
  const line = parts.join(' · ');
  if (!opts.bar || fraction === undefined) return line;
  const cells = Math.round(fraction * 20);
  return `[${'█'.repeat(cells)}${'░'.repeat(20 - cells)}] ${String(Math.floor(fraction * 100)).padStart(2)}% · ${line}`;
}

/** Progress on stderr: a live line (bar, suite k of m, round, ETA) on a terminal, plain lines in CI logs. */
function progressReporter(quiet: boolean, timeBudgetSec?: number) {
  const live = Boolean(process.stderr.isTTY) && !process.env.CI;
  let last = '';
  return {
    onProgress(e: ProgressEvent) {
      if (quiet) return;
      let line = `perfgate: ${formatProgress(e, { timeBudgetSec, bar: live })}`;
      if (live) {
        const width = process.stderr.columns || 80;
        if (line.length > width - 1) line = `${line.slice(0, Math.max(10, width - 2))}…`;
        process.stderr.write(`\r\x1b[2K${line}`);
      } else if (line !== last) stderr(line);
      last = line;
    },
    done() {
      if (live && last) process.stderr.write('\r\x1b[2K');
    },
  };
}

function readResultsFile(file: string): Results {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read results file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${file} is not JSON (${(err as Error).message}). Expected a perfgate/results@1 file written by \`perfgate run --out FILE\`.`);
  }
  try {
    return parseResults(value, file);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function writeOut(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

/** Flags shared by the commands that measure or decide; names equal the Action's inputs. */
function addGateOptions(cmd: Command, { measures }: { measures: boolean }): Command {
  cmd.option('-c, --config <file>', 'config file (default: perfgate.config.json|mjs|js, or the "perfgate" key of package.json)');
  if (measures) {
    cmd
      .option('-s, --suites <globs>', 'suite files, comma-separated globs (default: bench/**/*.bench.{ts,js,mjs})')
      .option('-r, --rounds <n>', 'rounds per suite; each round is a fresh process (default: 8)')
      .addOption(new Option('--clock <clock>', 'what to measure (default: auto = wall)').choices(['auto', 'wall', 'cpu', 'instructions']))
      .option('--time-budget <seconds>', 'most seconds measuring may take in total (default: 600)')
      .option('--suite-timeout <seconds>', 'a suite process running longer is killed and recorded failed (default: 300)')
      .option('--task-time <ms>', 'milliseconds each task is sampled per round (default: 200)');
  }
  return cmd
    .option('--minor-threshold <pct>', 'worse by this much (and significant) is a minor regression: a warning (default: 5)')
    .option('--major-threshold <pct>', 'worse by this much is a major regression: fails the gate (default: 15)')
    .option('--critical-threshold <pct>', 'worse by this much is critical (default: 50)')
    .option('--noise-floor <pct>', 'changes inside this are noise (default: 1)')
    .addOption(new Option('--fail-on <level>', 'what fails the gate (default: major)').choices(['major', 'minor', 'never']))
    .option('--baseline-dir <dir>', 'folder of committed baselines (default: baselines)')
    .option('--markdown <file>', 'also write the grade table as Markdown')
    .option('--json [file]', 'write the perfgate/comparison@1 JSON to a file, or print it instead of the table')
    .option('--no-color', 'plain text (NO_COLOR is respected too)')
    .option('-q, --quiet', 'no progress lines');
}

const FLAG_KEYS = new Set(Object.keys(OPTION_SETTERS).map((k) => k.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())));

async function resolveOptions(cmdOpts: Record<string, unknown>, cwd: string): Promise<Options> {
  const config = await loadConfig(cwd, cmdOpts.config as string | undefined);
  const flags: RawOptions = {};
  for (const [key, value] of Object.entries(cmdOpts)) if (FLAG_KEYS.has(key)) flags[key] = value as RawOptions[string];
  const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return parseOptions([
    { raw: config.raw, source: { kind: `key in ${config.file ?? 'config'}` } },
    { raw: flags, source: { kind: 'option', spell: (k) => `--${kebab(k)}` } },
  ]);
}

async function measureHere(opts: Options, cwd: string, quiet: boolean): Promise<Results> {
  const progress = progressReporter(quiet, opts.timeBudget);
  const { commit, ref } = gitInfo(cwd);
  try {
    return await measureSuites(opts, { cwd, commit, ref, log, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}

/** Prints or writes the comparison as asked; returns the exit code of the gate. */
function deliver(comparison: ReturnType<typeof decide>, cmdOpts: Record<string, unknown>): number {
  if (typeof cmdOpts.markdown === 'string') writeOut(cmdOpts.markdown, renderMarkdown(comparison));
  if (typeof cmdOpts.json === 'string') writeOut(cmdOpts.json, renderJson(comparison));
  if (cmdOpts.json === true) process.stdout.write(renderJson(comparison));
  else process.stdout.write(renderTerminal(comparison, { color: useColor(cmdOpts.color as boolean | undefined), width: process.stdout.columns }));
  if (comparison.gate.failed) stderr(`perfgate: gate failed: ${comparison.gate.reason}`);
  return comparison.gate.failed ? 1 : 0;
}

const LAST_RESULTS = path.join('.perfgate', 'results.json');

async function gateCommand(cmdOpts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const dir = path.resolve(cwd, opts.baselineDir);
  let base = loadFileBaseline(dir);
  const results = await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
  writeOut(path.join(cwd, LAST_RESULTS), JSON.stringify(results, null, 2));
  if (base && cmdOpts.suites !== undefined) {
    // --suites picked some suites on purpose: the others are not "missing", just not run.
    const ran = new Set(results.benchmarks.map((b) => b.suite));
    base = { ...base, benchmarks: base.benchmarks.filter((b) => ran.has(b.suite)) };
  }
  const comparison = decide(opts, results, {
    results: base,
    source: `${opts.baselineDir}/ (file)`,
    reason: base ? undefined : `No baseline yet in ${opts.baselineDir}/: nothing compared. Save one with \`perfgate baseline save --from ${LAST_RESULTS}\`.`,
  });
  return deliver(comparison, cmdOpts);
}

async function runCommand(cmdOpts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  if (typeof cmdOpts.shard === 'string') return runShardCommand(opts, cmdOpts.shard, cmdOpts);
  const results = await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
  const out = (cmdOpts.out as string | undefined) ?? LAST_RESULTS;
  writeOut(out, JSON.stringify(results, null, 2));
  const failed = results.benchmarks.filter((b) => b.status === 'failed');
  stderr(`perfgate: ${results.benchmarks.length} benchmarks measured${failed.length ? `, ${failed.length} failed` : ''}; results in ${out}`);
  for (const b of failed) stderr(`perfgate:   failed: ${b.id}: ${b.error ?? 'unknown error'}`);
  return 0;
}

/** `run --shard i/n`: measures the shard's suites into a shard folder (results.json + shard.json). */
async function runShardCommand(opts: Options, shardText: string, cmdOpts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  let shard: ReturnType<typeof parseShard>;
  try {
    shard = parseShard(shardText, '--shard');
  } catch (err) {
    throw new UsageError((err as ShardError).message);
  }
  const progress = progressReporter(Boolean(cmdOpts.quiet), opts.timeBudget);
  const { commit, ref } = gitInfo(cwd);
  let run: Awaited<ReturnType<typeof measureShard>>;
  try {
    run = await measureShard(opts, shard, { cwd, commit, ref, log, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
  const dir = path.resolve(cwd, typeof cmdOpts.outDir === 'string' ? cmdOpts.outDir : path.join('.perfgate', shardArtifactName(shard)));
  writeShardFiles(dir, run.meta, run.results);
  if (typeof cmdOpts.out === 'string') writeOut(cmdOpts.out, JSON.stringify(run.results, null, 2));
  stderr(`perfgate: shard ${shard.index}/${shard.total}: ${run.suites.length} of ${run.allSuites.length} suites, ${run.results.benchmarks.length} benchmarks measured; shard folder ${path.relative(cwd, dir) || '.'} (join the shards with \`perfgate merge\`)`);
  return 0;
}

async function compareCommand(baseFile: string, headFile: string, cmdOpts: Record<string, unknown>): Promise<number> {
  const opts = await resolveOptions(cmdOpts, process.cwd());
  const base = readResultsFile(baseFile);
  const head = readResultsFile(headFile);
  return deliver(decide(opts, head, { results: base, source: baseFile }), cmdOpts);
}

async function baselineSaveCommand(cmdOpts: Record<string, unknown>): Promise<number> {
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

async function ingestCommand(files: string[], cmdOpts: Record<string, unknown>): Promise<number> {
  const format = cmdOpts.format as string;
  const cwd = process.cwd();
  const { commit, ref } = gitInfo(cwd);
  const { results, notices } = await readAndIngest(format, files, { machine: machineInfo(), commit, ref, startedAt: new Date().toISOString(), toolVersion: VERSION });
  for (const n of notices) stderr(`perfgate: ${n}`);
  const out = cmdOpts.out as string;
  writeOut(out, JSON.stringify(results, null, 2));
  stderr(`perfgate: ${results.benchmarks.length} benchmarks from ${files.length} ${format} file(s) written to ${out}`);
  return 0;
}

async function abCommand(cmdOpts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  const progress = progressReporter(Boolean(cmdOpts.quiet));
  let ab: Awaited<ReturnType<typeof runSameRunner>>;
  try {
    ab = await runSameRunner(opts, { cwd, baseRef: String(cmdOpts.base), log, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
  writeOut(path.join(cwd, LAST_RESULTS), JSON.stringify(ab.head, null, 2));
  return deliver(decideSameRunner(opts, ab), cmdOpts);
}

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

async function calibrateCommand(cmdOpts: Record<string, unknown>): Promise<number> {
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

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('perfgate')
    .description('Performance gate: runs tinybench suites, compares them with a baseline, grades A+ to F.\nWithout a command: run the suites, compare with baselines/, print the grade table.')
    .version(VERSION)
    .showHelpAfterError()
    .enablePositionalOptions()
    .exitOverride();

  const wrap =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      run(await fn(...args));

  addGateOptions(program, { measures: true }).action(wrap((o: Record<string, unknown>) => gateCommand(o)));

  addGateOptions(program.command('gate').description('run the suites, compare with baselines/, print the grade table (the default)'), { measures: true }).action(
    wrap((o: Record<string, unknown>) => gateCommand(o)),
  );

  addGateOptions(program.command('run').description('run the suites and write perfgate/results@1 JSON'), { measures: true })
    .option('-o, --out <file>', `results file (default: ${LAST_RESULTS})`)
    .option('--shard <i/n>', 'measure only shard i of n (the sorted suite files, round-robin) into a shard folder for `perfgate merge`')
    .option('--out-dir <dir>', 'with --shard: the shard folder (default: .perfgate/perfgate-shard-<i>-of-<n>)')
    .action(wrap((o: Record<string, unknown>) => runCommand(o)));

  addGateOptions(program.command('compare').description('compare two perfgate/results@1 files').argument('<base>', 'baseline results JSON').argument('<head>', 'head results JSON'), {
    measures: false,
  }).action(wrap((b: string, h: string, o: Record<string, unknown>) => compareCommand(b, h, o)));

  addGateOptions(
    program
      .command('ab')
      .description('same-runner A/B: check the base revision out in a git worktree, build it, and measure it and the working tree side by side in interleaved rounds; compare paired'),
    { measures: true },
  )
    .requiredOption('-b, --base <ref>', 'base revision: a commit, branch, tag or expression such as HEAD~1 or origin/main')
    .option('--build <command>', 'build command for the base checkout (default: reuse or install node_modules, then auto-detect; "none" skips)')
    .action(wrap((o: Record<string, unknown>) => abCommand(o)));

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
    .option('--replay <file>', 'no measuring: replay the A/A round pairs saved by an earlier calibrate (calibration-rounds.json)')
    .action(wrap((o: Record<string, unknown>) => calibrateCommand(o)));

  const baseline = program.command('baseline').description('manage the committed baselines in baselines/');
  addGateOptions(baseline.command('save').description('write baselines/ from a fresh run, or from --from FILE'), { measures: true })
    .option('--from <file>', 'results file to save instead of running the suites')
    .option('--allow-failed', 'save even if some benchmarks failed')
    .action(wrap((o: Record<string, unknown>) => baselineSaveCommand(o)));

  program
    .command('ingest')
    .description('convert another harness\'s output into perfgate/results@1')
    .argument('<files...>', 'output files of the harness; several files of one format are repeated runs (rounds)')
    .addOption(
      new Option('-f, --format <format>', `the harness format:\n${FORMATS.map((f) => `  ${f.name}${f.aliases.length ? ` (${f.aliases.join(', ')})` : ''}: ${f.description}`).join('\n')}`).makeOptionMandatory(),
    )
    .requiredOption('-o, --out <file>', 'where to write the results JSON')
    .action(wrap((files: string[], o: Record<string, unknown>) => ingestCommand(files, o)));

  const deps: CliDeps = {
    log,
    resolveOptions,
    measureHere,
    readResultsFile,
    writeOut,
    useColor,
    wrap,
    usageError: (message) => new UsageError(message),
    addGateOptions,
  };
  registerHistoryCommand(program, deps);
  registerWeeklyCommand(program, deps);
  registerMergeCommand(program, deps);

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (err instanceof UsageError || err instanceof OptionsError) {
      stderr(`perfgate: error: ${err.message}`);
      return 2;
    }
    const e = err as Error & { code?: string };
    // Input problems raised by the stages (unreadable or invalid files, unknown suites) are plain
    // Errors with a message for the user; anything else is a bug and keeps its stack.
    stderr(`perfgate: error: ${e.message}`);
    if (process.env.PERFGATE_DEBUG) stderr(e.stack ?? '');
    return 2;
  }
}

const invokedDirectly = process.argv[1] && /(?:^|[\\/])(cli\.(?:js|ts)|perfgate)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
