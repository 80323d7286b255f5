// What the CLI's commands share: the log and progress lines on stderr, reading and writing files,
// the flags of the commands that measure or decide, flags + config file → Options, and the
// gate's delivery to the terminal. Exit codes: 0 pass, 1 the gate failed, 2 usage or input error.
import { Option, type Command } from 'commander';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import type { GateVerdict } from '../gate/verdict.ts';
import { gitInfo } from '../git.ts';
import { OPTION_SETTERS, parseOptions, type Options, type RawOptions } from '../options.ts';
import { measureSuites, type Log } from '../pipeline.ts';
import { renderJson, renderMarkdown, renderTerminal } from '../report/index.ts';
import type { Comparison } from '../schema/comparison.ts';
import { parseResults, type Results } from '../schema/results.ts';

/** An input problem: exit 2 with the message. */
export class UsageError extends Error {}

/** The flags of a command, as commander gives them. */
export type CmdOpts = Record<string, unknown>;

/** Wraps a command's action so that its exit code reaches the program. */
export type Wrap = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => (...args: A) => Promise<void>;

export const stderr = (line: string) => process.stderr.write(`${line}\n`);
export const log: Log = { info: (m) => stderr(`perfgate: ${m}`), warning: (m) => stderr(`perfgate: warning: ${m}`) };

/** Where `gate`, `run` and `ab` leave the head's results. */
export const LAST_RESULTS = path.join('.perfgate', 'results.json');

export function useColor(flag: boolean | undefined): boolean {
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
  /** What is counted: rounds (fresh processes) or, in the slices design, process pairs. */
  unit?: 'round' | 'pair';
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
  const parts = [`${e.unit ?? 'round'} ${e.round}/${e.rounds}`];
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
export function progressReporter(quiet: boolean, timeBudgetSec?: number) {
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

export function readResultsFile(file: string): Results {
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

export function writeOut(file: string, text: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
}

/** Flags shared by the commands that measure or decide; names equal the Action's inputs. */
export function addGateOptions(cmd: Command, { measures }: { measures: boolean }): Command {
  cmd.option('-c, --config <file>', 'config file (default: perfgate.config.json|mjs|js, or the "perfgate" key of package.json)');
  if (measures) {
    cmd
      .option('-s, --suites <globs>', 'suite files, comma-separated globs (default: bench/**/*.bench.{ts,js,mjs})')
      .option('-r, --rounds <n>', 'rounds per suite; each round is a fresh process (default: 8)')
      .addOption(new Option('--clock <clock>', 'what to measure (default: auto = wall)').choices(['auto', 'wall', 'cpu', 'instructions']))
      .option('--time-budget <seconds>', 'most seconds measuring may take in total (default: 600)')
      .option('--suite-timeout <seconds>', 'a suite process running longer is killed and recorded failed (default: 300)')
      .option('--task-time <ms>', 'milliseconds each task is sampled per round (default: 200)')
      .option('--ab-design <design>', 'same-runner design: slices (pinned worker pairs alternating short slices; default) or rounds')
      .option('--slices <n>', 'slices design: slices per side per task and process pair (default: 16)')
      .option('--slice-time <ms>', 'slices design: milliseconds per slice (default: 10)')
      .option('--slices-max <n>', 'slices design: slices a side for a task whose blocks disagree in a pair (even, above --slices; 0: off; default: auto, 3 × slices)');
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

/** Flags + config file → Options (throws OptionsError on a bad value, naming the flag or key). */
export async function resolveOptions(cmdOpts: CmdOpts, cwd: string): Promise<Options> {
  const config = await loadConfig(cwd, cmdOpts.config as string | undefined);
  const flags: RawOptions = {};
  for (const [key, value] of Object.entries(cmdOpts)) if (FLAG_KEYS.has(key)) flags[key] = value as RawOptions[string];
  const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return parseOptions([
    { raw: config.raw, source: { kind: `key in ${config.file ?? 'config'}` } },
    { raw: flags, source: { kind: 'option', spell: (k) => `--${kebab(k)}` } },
  ]);
}

/** Runs the configured suites here with the progress line. */
export async function measureHere(opts: Options, cwd: string, quiet: boolean): Promise<Results> {
  const progress = progressReporter(quiet, opts.timeBudget);
  const { commit, ref } = gitInfo(cwd);
  try {
    return await measureSuites(opts, { cwd, commit, ref, log, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
}

/** The report stage on the terminal: prints or writes the comparison as asked. */
export function reportComparison(comparison: Comparison, cmdOpts: CmdOpts): void {
  if (typeof cmdOpts.markdown === 'string') writeOut(cmdOpts.markdown, renderMarkdown(comparison));
  if (typeof cmdOpts.json === 'string') writeOut(cmdOpts.json, renderJson(comparison));
  if (cmdOpts.json === true) process.stdout.write(renderJson(comparison));
  else process.stdout.write(renderTerminal(comparison, { color: useColor(cmdOpts.color as boolean | undefined), width: process.stdout.columns }));
}

/** The gate applied: the failure on stderr, and the exit code. */
export function applyVerdict(verdict: GateVerdict): number {
  if (verdict.failed) stderr(`perfgate: gate failed: ${verdict.reason}`);
  return verdict.exitCode;
}
