#!/usr/bin/env node
// The perfgate command line. It parses flags and the config file into Options and calls the
// pipeline; exit codes: 0 pass, 1 the gate failed, 2 usage or input error (message on stderr).
import { Command, CommanderError, Option } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decideSameRunner, runSameRunner } from './ab/index.ts';
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

/** An input problem: exit 2 with the message. */
class UsageError extends Error {}

const stderr = (line: string) => process.stderr.write(`${line}\n`);
const log: Log = { info: (m) => stderr(`perfgate: ${m}`), warning: (m) => stderr(`perfgate: warning: ${m}`) };

function useColor(flag: boolean | undefined): boolean {
  if (flag === false || 'NO_COLOR' in process.env) return false;
  if ('FORCE_COLOR' in process.env) return true;
  return Boolean(process.stdout.isTTY);
}

/** Progress on stderr: a live line on a terminal, plain lines in CI logs. */
function progressReporter(quiet: boolean) {
  const live = Boolean(process.stderr.isTTY) && !process.env.CI;
  let last = '';
  return {
    onProgress(e: { suite: string; round: number; rounds: number; elapsedMs: number }) {
      if (quiet) return;
      const line = `perfgate: round ${e.round}/${e.rounds} · ${e.suite} · ${(e.elapsedMs / 1000).toFixed(1)} s`;
      if (live) process.stderr.write(`\r\x1b[2K${line}`);
      else if (line !== last) stderr(line);
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
  const progress = progressReporter(quiet);
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
  const base = loadFileBaseline(dir);
  const results = await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
  writeOut(path.join(cwd, LAST_RESULTS), JSON.stringify(results, null, 2));
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
  const results = await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
  const out = (cmdOpts.out as string | undefined) ?? LAST_RESULTS;
  writeOut(out, JSON.stringify(results, null, 2));
  const failed = results.benchmarks.filter((b) => b.status === 'failed');
  stderr(`perfgate: ${results.benchmarks.length} benchmarks measured${failed.length ? `, ${failed.length} failed` : ''}; results in ${out}`);
  for (const b of failed) stderr(`perfgate:   failed: ${b.id}: ${b.error ?? 'unknown error'}`);
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
