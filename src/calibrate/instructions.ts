// `perfgate calibrate --clock instructions`: the gate's accuracy when it counts instructions
// (docs/instructions-clock.md, docs/calibration/instructions/).
//
// Counts under callgrind are deterministic for single-threaded code that does not read the clock,
// so this calibration measures POOLS of rounds and builds the gate's comparisons from them:
//
// - A round is one fresh suite process under callgrind (one runSuiteRound per suite file): node
//   started again, the suite loaded again, its tasks warmed and counted again. Nothing carries over
//   from one round to the next but the files on disk.
// - The A/A pool: `aaRounds` rounds of every suite, uninjected.
// - Per injection level L (default 1% and 2%): `injectRounds` rounds of the target's suite with
//   PERFGATE_INJECT_WORK, which makes every call of the target task first run n iterations of a
//   fixed integer loop (harness.ts, extraWork): real extra instructions in the measured call, not a
//   timer spin. n = round(L × c / k), c the target's median count per call in the A/A pool and k the
//   loop's count per iteration, measured in a probe round with 1,000 iterations. Every task of every
//   round (A/A pool included) carries the wrapper with 0 iterations ({"*": 0}), so that the sides
//   differ by the loop alone, not by the wrapper's own cost. The report gives
//   the extra work actually achieved (median of the injected rounds over c), not only the aim.
// - A "run" is one comparison exactly as the gate decides a same-runner A/B run (compare(),
//   `paired` mode, the run's thresholds and fail-on): `pairs` base rounds and `pairs` head rounds,
//   paired by index. A/A run: 2 × pairs distinct rounds drawn at random (seeded) from the A/A pool.
//   Injection run: `pairs` base rounds drawn from the A/A pool and `pairs` head rounds drawn from the
//   level's pool (the other suites' head rounds from the A/A pool, distinct from the base ones).
//   Runs share rounds (the pools are smaller than runs × rounds): they are resamplings of measured
//   processes, not independent measurements; the report says how many processes stood behind them.
// - False fail: the comparison fails the gate. False warning: any benchmark minor or worse.
//   Detection: the injected benchmark minor or worse.
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { compare, FAILING } from '../compare/index.ts';
import { machineInfo } from '../machine.ts';
import { buildResults, type RoundResult } from '../measure/index.ts';
import { instructionsPlan } from '../measure/callgrind.ts';
import { benchmarkId } from '../measure/names.ts';
import type { Options } from '../options.ts';
import type { Verdict } from '../schema/comparison.ts';
import type { Machine } from '../schema/results.ts';
import { clopperPearsonUpper, createRandom, median, shuffle } from '../stats/index.ts';
import { VERSION } from '../version.ts';

export const INSTRUCTIONS_CALIBRATION_SCHEMA = 'perfgate/calibration-instructions@1';
export const INSTRUCTIONS_DEFAULT_LEVELS = [0.01, 0.02];
/** Iterations of the injected loop in the probe round that measures its count per iteration. */
export const PROBE_ITERATIONS = 1000;

const WARN: readonly Verdict[] = ['minor', 'major', 'critical'];

export interface InstructionsCalibrationInput {
  cwd: string;
  /** Suite files (relative to cwd). */
  suites: string[];
  /** Benchmark id to inject into (default: the benchmark with the smallest A/A spread, then the largest count). */
  target?: string;
  levels?: number[];
  /** Rounds of each suite in the A/A pool (default 12). */
  aaRounds?: number;
  /** Rounds of the target's suite per injection level (default 10). */
  injectRounds?: number;
  /** Rounds a side per comparison (default opts.rounds). */
  pairs?: number;
  /** A/A comparisons (default 20). */
  runs?: number;
  /** Comparisons per injection level (default 10). */
  injectionRuns?: number;
  /** Suite processes at once (default 1). Counts do not depend on it; wall time does. */
  parallel?: number;
  seed?: number;
  outDir?: string;
  log?: (message: string) => void;
  /** Runs one round (tests replace it); default runSuiteRound with clock instructions. */
  runRound?: (suiteFile: string, env: Record<string, string> | undefined) => Promise<RoundResult>;
}

export interface Rate {
  k: number;
  n: number;
  /** Exact one-sided 95% upper bound (Clopper-Pearson). */
  upper: number;
}

export interface BenchmarkSpread {
  id: string;
  /** Median count per call of each A/A round, in round order. */
  medians: number[];
  /** max/min − 1 of the round medians. */
  spread: number;
  /** Robust spread: 1.4826 × MAD of the log of the round medians. */
  madSd: number;
}

export interface InstructionsCalibrationReport {
  schema: typeof INSTRUCTIONS_CALIBRATION_SCHEMA;
  version: string;
  startedAt: string;
  durationSec: number;
  machine: Pick<Machine, 'cpuModel' | 'cores' | 'os' | 'node'>;
  source: string;
  suites: string[];
  taskTimeMs: number;
  pairs: number;
  thresholds: Options['thresholds'];
  failOn: Options['failOn'];
  /** Processes run: A/A pool rounds per suite, probe, per level. */
  processes: { aaRoundsPerSuite: number; probe: number; perLevel: number; total: number; medianWallSec: number };
  spread: BenchmarkSpread[];
  target: { id: string; countPerCall: number; loopPerIteration: number };
  aa: { runs: number; falseFails: Rate; falseWarnings: Rate; flagged: Record<string, number>; verdicts: Record<string, number> };
  injection: Array<{ level: number; iterations: number; achieved: number; injectedMedians: number[]; runs: number; detected: Rate; failed: number; verdicts: Record<string, number> }>;
  failedRounds: string[];
}

function rate(k: number, n: number): Rate {
  return { k, n, upper: n > 0 ? clopperPearsonUpper(k, n) : 1 };
}

function taskMedian(r: RoundResult, id: string): number | undefined {
  const t = r.tasks.find((t) => benchmarkId(r.suite, t.name) === id);
  return t && !t.error && t.median > 0 ? t.median : undefined;
}

function madSd(values: number[]): number {
  const logs = values.map(Math.log);
  const m = median(logs);
  return 1.4826 * median(logs.map((x) => Math.abs(x - m)));
}

async function pooled<T>(jobs: Array<() => Promise<T>>, parallel: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, jobs.length)) }, worker));
  return out;
}

export async function calibrateInstructions(opts: Options, input: InstructionsCalibrationInput): Promise<InstructionsCalibrationReport> {
  const t0 = Date.now();
  const startedAt = new Date(t0).toISOString();
  const log = input.log ?? (() => {});
  const plan = instructionsPlan();
  if (!input.runRound && plan.source === 'none') throw new Error(plan.error);
  const levels = input.levels ?? INSTRUCTIONS_DEFAULT_LEVELS;
  const aaRounds = input.aaRounds ?? 12;
  const injectRounds = input.injectRounds ?? 10;
  const pairs = input.pairs ?? opts.rounds;
  const runs = input.runs ?? 20;
  const injectionRuns = input.injectionRuns ?? 10;
  const parallel = input.parallel ?? 1;
  if (2 * pairs > aaRounds) throw new Error(`calibrate --clock instructions: an A/A run needs 2 × ${pairs} distinct rounds; the A/A pool has ${aaRounds} (raise --aa-rounds or lower --rounds)`);
  if (pairs > injectRounds) throw new Error(`calibrate --clock instructions: an injection run needs ${pairs} injected rounds; the pool has ${injectRounds} (raise --inject-rounds)`);
  const random = createRandom(input.seed ?? 1).uniform;
  const wall: number[] = [];
  const failedRounds: string[] = [];
  const runRound =
    input.runRound ??
    (async (file: string, env: Record<string, string> | undefined): Promise<RoundResult> => {
      const { runSuiteRound } = await import('../measure/index.ts');
      return runSuiteRound(file, { cwd: input.cwd, clock: 'instructions', timeoutSec: opts.suiteTimeout, taskTimeMs: opts.taskTime, env });
    });
  const round = async (file: string, env?: Record<string, string>, label = 'A/A'): Promise<RoundResult> => {
    const r = await runRound(file, env);
    wall.push(r.wallMs / 1000);
    if (r.error) failedRounds.push(`${label} ${file}: ${r.error}`);
    log(`calibrate: ${label} round of ${file}: ${(r.wallMs / 1000).toFixed(0)} s${r.error ? ` (failed: ${r.error})` : ''} (${((Date.now() - t0) / 1000).toFixed(0)} s so far)`);
    return r;
  };

  // 1. The A/A pool: aaRounds rounds of every suite.
  const aaJobs: Array<() => Promise<RoundResult>> = [];
  // Every task of every round carries the injection wrapper (0 iterations here), so the injected
  // rounds differ from these by the loop alone, not by the wrapper's own cost.
  const WRAPPED = { PERFGATE_INJECT_WORK: JSON.stringify({ '*': 0 }) };
  for (let i = 0; i < aaRounds; i++) for (const file of input.suites) aaJobs.push(() => round(file, WRAPPED));
  const aaFlat = await pooled(aaJobs, parallel);
  const aaPool = new Map<string, RoundResult[]>(input.suites.map((f) => [f, []]));
  aaFlat.forEach((r, i) => aaPool.get(input.suites[i % input.suites.length])!.push(r));

  // 2. Same-commit spread per benchmark.
  const ids: Array<{ id: string; file: string }> = [];
  for (const file of input.suites) {
    for (const r of aaPool.get(file)!) {
      for (const t of r.tasks) {
        const id = benchmarkId(r.suite, t.name);
        if (!ids.some((x) => x.id === id)) ids.push({ id, file });
      }
    }
  }
  const spread: BenchmarkSpread[] = ids.map(({ id, file }) => {
    const medians = aaPool
      .get(file)!
      .map((r) => taskMedian(r, id))
      .filter((x): x is number => x !== undefined);
    return { id, medians, spread: medians.length ? Math.max(...medians) / Math.min(...medians) - 1 : Number.NaN, madSd: medians.length ? madSd(medians) : Number.NaN };
  });

  // 3. The target and its count per call.
  const usable = spread.filter((s) => s.medians.length === aaRounds);
  const target = input.target ? spread.find((s) => s.id === input.target) : [...usable].sort((a, b) => a.spread - b.spread || median(b.medians) - median(a.medians))[0];
  if (!target || !target.medians.length) throw new Error(`calibrate --clock instructions: ${input.target ? `no benchmark ${input.target} in the A/A rounds (ids: ${spread.map((s) => s.id).join(', ')})` : 'no benchmark succeeded in every A/A round'}`);
  const targetFile = ids.find((x) => x.id === target.id)!.file;
  const targetTask = aaPool.get(targetFile)!.flatMap((r) => r.tasks.filter((t) => benchmarkId(r.suite, t.name) === target.id).map((t) => ({ suite: r.suite, task: t.name })))[0];
  const key = `${targetTask.suite}/${targetTask.task}`;
  const c = median(target.medians);
  const probe = await round(targetFile, { PERFGATE_INJECT_WORK: JSON.stringify({ '*': 0, [key]: PROBE_ITERATIONS }) }, 'probe');
  const probed = taskMedian(probe, target.id);
  if (probed === undefined) throw new Error(`calibrate --clock instructions: the probe round of ${target.id} failed: ${probe.error ?? 'no count'}`);
  const perIteration = (probed - c) / PROBE_ITERATIONS;
  if (!(perIteration > 0)) throw new Error(`calibrate --clock instructions: the injected loop added no instructions to ${target.id} (${probed} vs ${c} a call)`);
  log(`calibrate: target ${target.id}: ${c.toFixed(1)} instructions a call; the injected loop costs ${perIteration.toFixed(2)} a iteration`);

  // 4. The injected pools.
  const injected: Array<{ level: number; iterations: number; rounds: RoundResult[] }> = [];
  for (const level of levels) {
    const iterations = Math.max(1, Math.round((level * c) / perIteration));
    const env = { PERFGATE_INJECT_WORK: JSON.stringify({ '*': 0, [key]: iterations }) };
    const rounds = await pooled(
      Array.from({ length: injectRounds }, () => () => round(targetFile, env, `+${(level * 100).toFixed(1)}%`)),
      parallel,
    );
    injected.push({ level, iterations, rounds });
  }

  // 5. The comparisons.
  const machine = machineInfo();
  const results = (suites: Array<{ file: string; rounds: RoundResult[] }>) => buildResults({ suites, clock: 'instructions', startedAt, machine });
  const judge = (base: Array<{ file: string; rounds: RoundResult[] }>, head: Array<{ file: string; rounds: RoundResult[] }>) =>
    compare({ base: results(base), head: results(head), thresholds: opts.thresholds, failOn: opts.failOn, failOnCrossMachine: false, mode: 'paired', baseSource: 'A/A pool' });
  const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  /** One resampled run: base and head rounds drawn apart from each suite's A/A pool; with `injectedRounds`, the target suite's head from those. */
  const drawRun = (injectedRounds?: RoundResult[]) => {
    const base: Array<{ file: string; rounds: RoundResult[] }> = [];
    const head: Array<{ file: string; rounds: RoundResult[] }> = [];
    for (const file of input.suites) {
      const drawn = shuffle(aaPool.get(file)!, random);
      base.push({ file, rounds: drawn.slice(0, pairs) });
      head.push({ file, rounds: injectedRounds && file === targetFile ? shuffle(injectedRounds, random).slice(0, pairs) : drawn.slice(pairs, 2 * pairs) });
    }
    return judge(base, head);
  };

  const aaVerdicts: Record<string, number> = {};
  const aaFlagged: Record<string, number> = {};
  let fails = 0;
  let warns = 0;
  for (let run = 0; run < runs; run++) {
    const cmp = drawRun();
    let warned = false;
    let failed = false;
    for (const b of cmp.benchmarks) {
      count(aaVerdicts, b.verdict);
      if (b.error) continue;
      if (WARN.includes(b.verdict)) {
        warned = true;
        count(aaFlagged, `${b.id}: ${b.verdict}`);
      }
      if (FAILING[opts.failOn].includes(b.verdict)) failed = true;
    }
    if (warned) warns++;
    if (failed) fails++;
  }

  const injection: InstructionsCalibrationReport['injection'] = [];
  for (const inj of injected) {
    const injectedMedians = inj.rounds.map((r) => taskMedian(r, target.id)).filter((x): x is number => x !== undefined);
    const verdicts: Record<string, number> = {};
    let detected = 0;
    let failed = 0;
    for (let run = 0; run < injectionRuns; run++) {
      const cmp = drawRun(inj.rounds);
      const row = cmp.benchmarks.find((b) => b.id === target.id);
      const v = row?.verdict ?? 'missing';
      count(verdicts, v);
      if (WARN.includes(v)) detected++;
      if (cmp.benchmarks.some((b) => FAILING[opts.failOn].includes(b.verdict))) failed++;
    }
    injection.push({ level: inj.level, iterations: inj.iterations, achieved: median(injectedMedians) / c - 1, injectedMedians, runs: injectionRuns, detected: rate(detected, injectionRuns), failed, verdicts });
  }

  const report: InstructionsCalibrationReport = {
    schema: INSTRUCTIONS_CALIBRATION_SCHEMA,
    version: VERSION,
    startedAt,
    durationSec: Math.round((Date.now() - t0) / 1000),
    machine: { cpuModel: machine.cpuModel, cores: machine.cores, os: machine.os, node: machine.node },
    source: input.runRound ? 'test' : plan.source,
    suites: input.suites,
    taskTimeMs: opts.taskTime,
    pairs,
    thresholds: opts.thresholds,
    failOn: opts.failOn,
    processes: { aaRoundsPerSuite: aaRounds, probe: 1, perLevel: injectRounds, total: wall.length, medianWallSec: wall.length ? median(wall) : 0 },
    spread,
    target: { id: target.id, countPerCall: c, loopPerIteration: perIteration },
    aa: { runs, falseFails: rate(fails, runs), falseWarnings: rate(warns, runs), flagged: aaFlagged, verdicts: aaVerdicts },
    injection,
    failedRounds,
  };
  if (input.outDir) {
    mkdirSync(input.outDir, { recursive: true });
    writeFileSync(path.join(input.outDir, 'calibration-instructions.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(
      path.join(input.outDir, 'calibration-instructions-rounds.json'),
      `${JSON.stringify({ aa: Object.fromEntries(aaPool), probe, injected }, null, 1)}\n`,
    );
  }
  return report;
}

const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;

/** The report as text (stdout, and the Markdown report's body). */
export function renderInstructionsCalibration(r: InstructionsCalibrationReport): string {
  const L: string[] = [];
  L.push(`perfgate calibrate --clock instructions (${r.source}), ${r.startedAt}, ${r.durationSec} s`);
  L.push(`  machine: ${r.machine.cpuModel}, ${r.machine.cores} cores, node ${r.machine.node}`);
  L.push(`  suites: ${r.suites.join(', ')} · task time ${r.taskTimeMs} (virtual) ms · ${r.pairs} rounds a side per run`);
  L.push(`  thresholds: minor ${pct(r.thresholds.minor, 1)}, major ${pct(r.thresholds.major, 1)}, noise floor ${pct(r.thresholds.noiseFloor, 2)}, alpha ${r.thresholds.alpha}, fail-on ${r.failOn}`);
  L.push(`  processes: ${r.processes.total} (A/A pool ${r.processes.aaRoundsPerSuite} per suite, 1 probe, ${r.processes.perLevel} per level); median ${r.processes.medianWallSec.toFixed(0)} s wall each`);
  L.push('');
  L.push('Same-commit spread of the round medians (instructions per call):');
  for (const s of r.spread) {
    L.push(`  ${s.id}: ${s.medians.length} rounds, ${s.medians.length ? `${Math.min(...s.medians).toFixed(1)}–${Math.max(...s.medians).toFixed(1)}` : 'none'}, spread ${pct(s.spread, 4)}, madSd ${pct(s.madSd, 4)}`);
  }
  L.push('');
  L.push(`A/A runs: ${r.aa.runs}; false fails ${r.aa.falseFails.k}/${r.aa.falseFails.n} (95% upper ${pct(r.aa.falseFails.upper, 1)}); false warnings ${r.aa.falseWarnings.k}/${r.aa.falseWarnings.n} (95% upper ${pct(r.aa.falseWarnings.upper, 1)})`);
  L.push(`  verdicts: ${Object.entries(r.aa.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const [k, v] of Object.entries(r.aa.flagged)) L.push(`  flagged: ${k} ×${v}`);
  L.push('');
  L.push(`Injected extra work into ${r.target.id} (${r.target.countPerCall.toFixed(1)} instructions a call; loop ${r.target.loopPerIteration.toFixed(2)} a iteration):`);
  for (const l of r.injection) {
    L.push(`  aim +${pct(l.level, 1)}: ${l.iterations} iterations, achieved +${pct(l.achieved, 3)}; detected (minor or worse) ${l.detected.k}/${l.detected.n}; gate failed ${l.failed}/${l.runs}; verdicts ${Object.entries(l.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (r.failedRounds.length) {
    L.push('');
    L.push(`Failed rounds: ${r.failedRounds.length}`);
    for (const f of r.failedRounds.slice(0, 10)) L.push(`  ${f}`);
  }
  return `${L.join('\n')}\n`;
}
