// Same-runner A/B by alternating slices between long-lived worker pairs (the default design).
//
// Why. On a shared runner the cost of code sits at one of a few speed levels that hold for
// 50 ms to seconds, and on a 2-vCPU VM the slow spells are per vCPU: a process that moves to the
// slow vCPU slows down. Whole-suite rounds seconds apart (the round design, interleave.ts) see
// different spells on the two sides and pairing cancels nothing. A design study on this project's
// tasks (docs/calibration/, ../shared/studies/ab-design) found that alternating short slices of
// one task between a base and a head worker, both pinned to the SAME vCPU, cancels the spells:
// plain sd of the per-pair estimate 1.3–4.0% against 8–25% unpinned or in rounds.
//
// The design, per suite and per process pair (the unit of the test; `pairs` of them per suite,
// so between-process effects such as JIT decisions and code layout stay in the error term):
// 1. Start one base and one head worker (the harness in serve mode, a fresh process each, the
//    one started first chosen at random), both pinned to one CPU chosen at random for the pair
//    (`taskset`; when pinning is unavailable the report says so).
// 2. For each task: warm it on both sides, one after the other (adaptive warmup: until the cost
//    per op stops improving), run `settle` blocks that are set aside, then `slices` slices a side
//    in blocks of four, ABBA or BAAB at random. A slice is timed batches for `sliceMs` (at least MIN_OPS_PER_SLICE calls), reduced
//    to the median per-op cost of its batches. A task with background work (a load test's
//    virtual users, src/measure/background.ts) runs it only during its own side's slices when
//    both sides can pause it (`quiet` slices), so the other worker does not load the shared CPU.
// 3. The pair's estimate for the task: the median over blocks of the block's log-ratio
//    ln(mean head slices / mean base slices) (a block's two sides straddle the same moment, so a
//    spell or a drift cancels within it). A block whose slices were preempted far more often than
//    the pair's others (another thread took the CPU during one side) is set aside (pairValues).
// 4. The pair's values: base = median of its base slices; head = base × e^estimate. These are
//    the `rounds` of the results (round i of base and head is pair i): the paired comparison
//    (Wilcoxon signed-rank over pairs, Hodges-Lehmann) decides on them as on any paired rounds.
// A/B spends its time on what it decides: no leak probe and no forced GC in the workers but one:
// a young-generation collection (scavenge) after each task's warmup, in each worker
// (collectAfterWarmup). Without it the two workers of a pair start slicing at different points of
// their collection cycles, and a task that leaves garbage outside the JS heap shows it: the Rust
// dot products return a 16 KB buffer a call and make no scavenges of their own (a call leaves
// almost nothing on the JS heap), so the buffers are freed only by the mark-compact that the
// external memory triggers every few hundred ms; until then each lands on fresh pages (≈ 3 minor
// page faults a call, 20–35% slower), and on Node 24 a worker whose warmup ended before its first
// such collection sliced a whole pair that way while its partner did not (README, "Same-runner
// A/B on this repository"). A scavenge frees the warmup's buffers as well as a full collection
// does, and unlike one it keeps optimized code (harness.ts, scavenge).
//
// Power and looks. The signed-rank test over n pairs cannot give p below 2^−n; Holm's first step
// needs p ≤ a/m for m compared benchmarks at a look of level a. Pairs run in passes with looks as
// in the round design (adaptive.ts; default two looks, 6 pairs apart, O'Brien-Fleming spending):
// the first look comes after the least n_1 with 2^−n_1 ≤ a_1/m (22 benchmarks: 11 pairs), so a
// large regression of every benchmark can always fail there; a benchmark resolved at a look is
// frozen there, and the later pairs of its suite warm and slice only the benchmarks still
// unresolved (the others are reported `skipped` on both sides, so every row stays paired by
// pair); a suite whose benchmarks are all resolved stops. Before the first look, when it comes
// later than the pairs asked for, the screen (adaptive.ts) sets aside the benchmarks unchanged
// beyond doubt in the same way; it decides nothing else. `pairsFor` is the same bound for a
// single look. A row still unresolved at the end whose pairs disagree with each other far more
// than their own blocks allow is named in a "Between processes" notice (betweenProcesses).
// PERFGATE_SLICE_LOG=<file> appends every pair's blocks per task to a file (the workers then
// also count each slice's major collections and minor page faults).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { machineInfo } from '../machine.ts';
import { allowedCores, buildResults, harnessPath, loaderArgs, readCpuTimes, suiteNameFromFile, type MeasureClock, type RoundResult } from '../measure/index.ts';
import type { HarnessConfig, ServeReply, ServeRequest, TaskOutput } from '../measure/protocol.ts';
import type { Machine, Results } from '../schema/results.ts';
import { madSd, median, shuffle, signedRankMinP } from '../stats/index.ts';
import { compare, MIN_PAIRS } from '../compare/index.ts';
import type { FailOn, Thresholds } from '../options.ts';
import { lookAlpha, planLooks, resolution, screenedOut, type LookPlan } from './adaptive.ts';
import { suiteNames, type LookRecord, type SameRunnerInput, type SideSpec } from './interleave.ts';

/** A slice is at least this many calls (a 10 ms slice of a 4 ms task would hold one). */
export const MIN_OPS_PER_SLICE = 3;
/** …and at most this many batches (a batch lasts ≥ 50 µs, so only instant tasks that report their own duration reach it). */
export const MAX_BATCHES_PER_SLICE = 1000;

export interface SliceSettings {
  /** Process pairs per suite (the units of the test); raised to what the test needs (pairsFor). */
  pairs: number;
  /** Slices per side per task and pair (a multiple of 2: blocks of ABBA / BAAB). */
  slices: number;
  /** Length of one slice, ms. */
  sliceMs: number;
  /**
   * ABBA/BAAB blocks run first and set aside for every task (the settling blocks): the switch
   * from warming one side after the other to alternating leaves the first slices disturbed (the
   * side warmed first has been idle with its caches cold; the other's background compiler and GC
   * threads, which share the pinned CPU, are still finishing its warmup's work).
   */
  settle: number;
  /**
   * `slices-max` (default 3 × slices; 0 or absent: off): a pair whose measured blocks disagree, their
   * log-ratios' robust sd above `extendSd`, slices on to this many slices a side for that task.
   * The choice looks at the spread alone, never at the sign, so it cannot bias the pair's estimate;
   * it spends time on the tasks whose single calls vary (a call of config parse in TypeScript costs
   * 3.6–18 ms depending on where GC falls) instead of on every task.
   */
  slicesMax?: number;
  /** The robust sd of a pair's block log-ratios above which it is extended (default EXTEND_BLOCK_SD). */
  extendSd?: number;
  /** Shortest and longest adaptive warmup per task and side, ms. */
  warmupMs: number;
  warmupMaxMs: number;
  /** Pin both workers of a pair to one CPU (Linux, taskset). */
  pin: boolean;
  /** With pinning and several CPUs: run pairs of different suites at once, one per CPU. */
  parallel: boolean;
  /** Most looks (see runSliced), and pairs added per look to the suites still unresolved. */
  looks: number;
  batch: number;
  /**
   * The duet variant (for `perfgate calibrate --designs`): the two workers of a pair on two
   * different CPUs, slicing at the same moments instead of alternating. Needs pinning and two CPUs.
   */
  duet?: boolean;
  /**
   * One young-generation collection in each worker after each task's warmup (default on; see the
   * header): the slices of both sides start with the warmup's garbage collected.
   */
  collectAfterWarmup?: boolean;
}

/** Defaults (see the README, "Same-runner A/B", and docs/calibration for the figures). */
export const SLICE_DEFAULTS: SliceSettings = { pairs: 6, slices: 16, sliceMs: 10, settle: 2, slicesMax: 48, warmupMs: 300, warmupMaxMs: 1500, pin: true, parallel: true, looks: 2, batch: 6, collectAfterWarmup: true };

/**
 * Pairs needed so that the exact one-sided signed-rank test can pass Holm's first step for
 * `family` benchmarks at level `alpha`: the least n ≥ min with 2^−n ≤ alpha / family.
 */
export function pairsFor(alpha: number, family: number, min: number): number {
  let n = Math.max(1, min);
  while (signedRankMinP(n) > alpha / Math.max(1, family) && n < 64) n++;
  return n;
}

/** Robust sd of a pair's block log-ratios above which `slicesMax` extends it. */
export const EXTEND_BLOCK_SD = 0.1;

/**
 * The spread of a pair's blocks: the robust sd (1.4826 × MAD) of their log-ratios. It depends on
 * the distances between the blocks only, so flipping the sign of every block gives the same value.
 */
export function blockSpread(p: PairSlices): number {
  const ratios = p.blocks
    .filter((b) => b.base[0] + b.base[1] > 0 && b.head[0] + b.head[1] > 0)
    .map((b) => Math.log((b.head[0] + b.head[1]) / (b.base[0] + b.base[1])))
    .filter((x) => Number.isFinite(x));
  return ratios.length < 2 ? 0 : madSd(ratios);
}

/**
 * The standard error of a pair's estimate from its own blocks: 1.25 × the robust sd of their
 * log-ratios / √blocks (the median's), or undefined under 4 blocks. What the pairs' estimates
 * would scatter by if nothing else differed from pair to pair (betweenProcesses).
 */
export function withinSe(p: PairSlices): number | undefined {
  return p.blocks.length >= 4 ? (1.2533 * blockSpread(p)) / Math.sqrt(p.blocks.length) : undefined;
}

/**
 * Whether a benchmark's pairs disagree with each other far more than their own blocks explain: a
 * between-process effect (each pair's two workers ran at different speeds throughout). `ests` and
 * `ses`: per pair, its log-ratio and the standard error its blocks give (PairOutput.withinSe).
 * A pair is off when its estimate is further from the median pair's than max(3 × the median
 * standard error, 3%): a pair's blocks alone would put it there about 1 time in 300. Yes when, over
 * at least 6 pairs with both figures, at least 2 pairs and 15% of them are off. (A robust spread
 * would not do: a third of the pairs off leaves the median absolute deviation small.)
 */
export function betweenProcesses(ests: ReadonlyArray<number | undefined>, ses: ReadonlyArray<number | undefined>): { off: number; pairs: number; limit: number; within: number } | null {
  const both = ests.map((e, i) => [e, ses[i]] as const).filter((x): x is readonly [number, number] => Number.isFinite(x[0]) && Number.isFinite(x[1]));
  if (both.length < 6) return null;
  const within = median(both.map((x) => x[1]));
  const limit = Math.max(3 * within, 0.03);
  const mid = median(both.map((x) => x[0]));
  const off = both.filter((x) => Math.abs(x[0] - mid) > limit).length;
  return off >= 2 && off >= 0.15 * both.length ? { off, pairs: both.length, limit, within } : null;
}

/** The slice orders of one task in a pair: `slices / 2` blocks, each ABBA or BAAB at random. */
export function blockOrders(slices: number, random: () => number): Array<'ABBA' | 'BAAB'> {
  if (!Number.isInteger(slices) || slices < 2 || slices % 2 !== 0) throw new Error(`slices must be an even whole number ≥ 2; got ${slices}`);
  return Array.from({ length: slices / 2 }, () => (random() < 0.5 ? 'ABBA' : 'BAAB'));
}

/** One slice's statistic: the median per-op cost of its batches (robust to a preempted batch). */
export function sliceStat(costs: readonly number[]): number {
  return median(costs);
}

/** One number per slice of a block, in the block's slice order. */
type Quad = [number, number, number, number];

export interface PairSlices {
  /**
   * Per block, the two base (A) and two head (B) slice statistics, and the involuntary context
   * switches of the measuring threads during its four slices (when known); with a slice log
   * (PERFGATE_SLICE_LOG), the major collections and minor page faults of each slice, in slice
   * order, when any.
   */
  blocks: Array<{ base: [number, number]; head: [number, number]; switches?: number; majorGc?: Quad; minorFaults?: Quad }>;
}

/**
 * A block is set aside as disturbed when its slices were preempted more than this many times
 * and more than DISTURBED_FACTOR × the pair's median: another thread took the CPU for a while
 * during one side's slice, so the two sides did not see the same machine.
 */
export const DISTURBED_SWITCHES = 4;
export const DISTURBED_FACTOR = 3;

/**
 * The pair's estimate and values from its blocks (steps 3 and 4 of the header), after setting
 * aside disturbed blocks (see DISTURBED_SWITCHES) as long as at least half the blocks remain (a
 * pair disturbed throughout keeps them all: then the disturbance is the condition, not an
 * outlier). Estimate = median of ln(mean head / mean base) per block; base value = median of the
 * kept base slices; head value = base × e^estimate. Null when no block has positive values.
 */
export function pairValues(p: PairSlices): { base: number; head: number; logRatio: number; excluded: number } | null {
  const usable = p.blocks.filter((b) => b.base[0] + b.base[1] > 0 && b.head[0] + b.head[1] > 0 && [...b.base, ...b.head].every((v) => Number.isFinite(v)));
  if (!usable.length) return null;
  const counts = usable.map((b) => b.switches).filter((x): x is number => x !== undefined);
  let kept = usable;
  if (counts.length === usable.length) {
    const limit = Math.max(DISTURBED_SWITCHES, DISTURBED_FACTOR * median(counts));
    const calm = usable.filter((b) => (b.switches ?? 0) <= limit);
    if (calm.length * 2 >= usable.length) kept = calm;
  }
  const ratios = kept.map((b) => Math.log((b.head[0] + b.head[1]) / (b.base[0] + b.base[1])));
  const logRatio = median(ratios);
  const base = median(kept.flatMap((b) => b.base));
  return { base, head: base * Math.exp(logRatio), logRatio, excluded: usable.length - kept.length };
}

// ---------------------------------------------------------------------------------------------
// Workers

let tasksetOk: boolean | undefined;
/** Whether `taskset` can pin a child here (Linux with util-linux). */
export function canPin(): boolean {
  if (process.platform !== 'linux') return false;
  tasksetOk ??= spawnSync('taskset', ['-c', String(allowedCores()[0] ?? 0), 'true'], { stdio: 'ignore' }).status === 0;
  return tasksetOk;
}

/** A request before it gets its id. */
type Unsent = ServeRequest extends infer Q ? (Q extends ServeRequest ? Omit<Q, 'id'> : never) : never;

interface WorkerInit {
  cwd: string;
  suiteFile: string;
  clock: MeasureClock;
  env?: Record<string, string>;
  cpu: number | null;
  taskTimeMs?: number;
  warmupMs: number;
  warmupMaxMs: number;
  /** Seconds any one request may take before the worker is killed. */
  timeoutSec: number;
}

/** One serving harness process: requests go one at a time, each with a timeout. */
export class SliceWorker {
  private readonly child: ChildProcess;
  private next = 0;
  private pending = new Map<number, (r: ServeReply) => void>();
  private stderr = '';
  private exitText?: string;
  readonly ready: Promise<Extract<ServeReply, { kind: 'ready' }>>;
  readonly started = performance.now();
  /** Settles once the process has exited and been reaped (its CPU time is then in our children's). */
  readonly exited: Promise<void>;
  private readonly init: WorkerInit;

  constructor(init: WorkerInit) {
    this.init = init;
    const abs = path.resolve(init.cwd, init.suiteFile);
    const harness = harnessPath();
    const loader = loaderArgs(init.cwd, abs, harness);
    if ('error' in loader) throw new Error(loader.error);
    const cfg: HarnessConfig = {
      suiteFile: abs,
      outFile: '',
      clock: init.clock,
      taskTimeMs: init.taskTimeMs,
      warmupMs: init.warmupMs,
      warmupMaxMs: init.warmupMaxMs,
      heapCheckpoints: false,
      serve: true,
    };
    const nodeArgs = [...loader.args, harness, JSON.stringify(cfg)];
    const [cmd, argv] = init.cpu === null ? [process.execPath, nodeArgs] : ['taskset', ['-c', String(init.cpu), process.execPath, ...nodeArgs]];
    this.child = spawn(cmd, argv as string[], {
      cwd: init.cwd,
      env: { ...process.env, ...init.env, PERFGATE_HARNESS: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      detached: process.platform !== 'win32',
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.child.stderr?.on('data', (c: Buffer) => {
      this.stderr = (this.stderr + c.toString('utf8')).slice(-4000);
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill();
        reject(new Error(`${init.suiteFile} did not load within ${init.timeoutSec} s`));
      }, init.timeoutSec * 1000);
      this.child.on('message', (m: ServeReply) => {
        if (m.kind === 'ready') {
          clearTimeout(timer);
          resolve(m);
          return;
        }
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.(m);
      });
      this.child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      this.child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.exitText = `${signal ? `was killed by ${signal}` : `exited with code ${code}`}${this.stderrTail()}`;
        reject(new Error(`${init.suiteFile} ${this.exitText}`));
        for (const [id, p] of this.pending) p({ kind: 'error', id, error: `the worker ${this.exitText}` });
        this.pending.clear();
      });
    });
    this.ready.catch(() => {});
  }

  private stderrTail(): string {
    const t = this.stderr.replace(/\s+$/, '').split('\n').slice(-8).join('\n');
    return t ? `\nLast lines of its output:\n${t}` : '';
  }

  /** Sends one request; a timeout kills the worker and answers with an error. */
  call<R extends ServeReply['kind']>(req: Unsent): Promise<Extract<ServeReply, { kind: R }> | Extract<ServeReply, { kind: 'error' }>> {
    if (this.exitText) return Promise.resolve({ kind: 'error', id: -1, error: `the worker ${this.exitText}` });
    const id = ++this.next;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.kill();
        resolve({ kind: 'error', id, error: `no answer within ${this.init.timeoutSec} s (${req.cmd}); the worker was killed` });
      }, this.init.timeoutSec * 1000);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r as Extract<ServeReply, { kind: R }>);
      });
      this.child.send({ ...req, id } as ServeRequest);
    });
  }

  kill(): void {
    if (this.child.pid === undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill('SIGKILL');
      else process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Asks for the metadata and rusage, then ends the process (and anything it started). */
  async close(): Promise<Extract<ServeReply, { kind: 'exit' }> | undefined> {
    const r = await this.call<'exit'>({ cmd: 'exit' });
    this.kill();
    return r.kind === 'exit' ? r : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// One pair

/** What one pair produced for one side: a round in the shape buildResults reads. */
function emptyRound(file: string, suite: string): RoundResult {
  return { suiteFile: file, suite, tasks: [], wallMs: 0 };
}

export interface PairInput {
  file: string;
  /** false: the suite is not in the base; the head side runs alone. */
  inBase: boolean;
  head: SideSpec;
  base: SideSpec;
  clock: MeasureClock;
  settings: SliceSettings;
  taskTimeMs?: number;
  cpu: number | null;
  /** Duet only: the base worker's CPU (the head's is `cpu`). */
  baseCpu?: number | null;
  timeoutSec: number;
  random: () => number;
  /** Called before each task of the pair (progress). */
  onTask?: (task: string) => void;
  /**
   * Measure only these tasks (the benchmarks still unresolved at the last look); the others are
   * reported `skipped` on both sides, neither warmed nor sliced. Absent: every task.
   */
  only?: ReadonlySet<string>;
}

export interface PairOutput {
  head: RoundResult;
  base: RoundResult;
  /** Per task: the pair's log-ratio (head vs base). */
  logRatios: Record<string, number>;
  /** Per task: the standard error of that log-ratio from the pair's own blocks (withinSe). */
  withinSe?: Record<string, number>;
  /** Involuntary context switches of the workers' measuring threads while slicing, and slices. */
  switches: number;
  slices: number;
  /** Blocks measured, and blocks set aside as disturbed (pairValues). */
  blocks: number;
  excludedBlocks: number;
  /** Tasks whose blocks disagreed enough to be sliced on to `slicesMax` (SliceSettings). */
  extended?: number;
  wallMs: number;
  /**
   * Where the pair's time went, ms: starting its workers until both were ready (`start`), warming
   * tasks (`warm`), slicing them, settling blocks included (`slice`: the round trips to the workers,
   * whose own timed part is `sliceWork`), and the rest (closing tasks and workers).
   */
  phases?: PairPhases;
  /** Per task: the pair's time spent on it (warming, slicing and closing it on both sides), ms. */
  taskMs?: Record<string, number>;
}

export interface PairPhases {
  start: number;
  warm: number;
  slice: number;
  sliceWork: number;
}

function taskFailed(name: string, error: string): TaskOutput {
  return { name, samples: [], median: 0, batch: 1, calls: 0, async: false, error };
}

/** A task this pair leaves out by design (PairInput.only). */
export function taskSkipped(name: string): TaskOutput {
  return { name, samples: [], median: 0, batch: 1, calls: 0, async: false, skipped: true };
}

/**
 * Runs one process pair of one suite (see the header). Never throws: a side that cannot start or
 * crashes is reported in that side's round (`error`, or a task's `error`).
 */
export async function runPair(input: PairInput): Promise<PairOutput> {
  const t0 = performance.now();
  const { settings: s, random } = input;
  const suite = suiteNameFromFile(input.file);
  const out: PairOutput = { head: emptyRound(input.file, suite), base: emptyRound(input.file, suite), logRatios: {}, switches: 0, slices: 0, blocks: 0, excludedBlocks: 0, wallMs: 0, phases: { start: 0, warm: 0, slice: 0, sliceWork: 0 } };
  const sides: Array<'head' | 'base'> = input.inBase ? (random() < 0.5 ? ['head', 'base'] : ['base', 'head']) : ['head'];
  const workers: Partial<Record<'head' | 'base', SliceWorker>> = {};
  try {
    for (const side of sides) {
      try {
        workers[side] = new SliceWorker({
          cwd: input[side].cwd,
          suiteFile: input.file,
          clock: input.clock,
          env: input[side].env,
          cpu: side === 'base' && s.duet && input.baseCpu !== undefined ? input.baseCpu : input.cpu,
          taskTimeMs: input.taskTimeMs,
          warmupMs: s.warmupMs,
          warmupMaxMs: s.warmupMaxMs,
          timeoutSec: input.timeoutSec,
        });
      } catch (e) {
        out[side].error = `Suite ${input.file} could not start: ${(e as Error).message}`;
      }
    }
    const ready: Partial<Record<'head' | 'base', Extract<ServeReply, { kind: 'ready' }>>> = {};
    for (const side of sides) {
      const w = workers[side];
      if (!w) continue;
      try {
        const r = await w.ready;
        ready[side] = r;
        out[side].suite = r.suite;
        out[side].probe = r.probe;
        out[side].clockResolution = r.clockResolution;
        out[side].clockOverhead = r.clockOverhead;
        if (r.error) {
          out[side].error = `Suite ${input.file}: ${r.error}`;
          out[side].tasks = r.tasks.filter((t) => t.error).map((t) => taskFailed(t.name, t.error!));
        }
      } catch (e) {
        out[side].error = `Suite ${input.file}: ${(e as Error).message}`;
      }
    }
    out.phases!.start = performance.now() - t0;
    const head = ready.head;
    if (head && !head.error) {
      const baseTasks = new Set((ready.base && !ready.base.error ? ready.base.tasks : []).filter((t) => !t.error).map((t) => t.name));
      if (ready.base && !ready.base.error) for (const t of ready.base.tasks) if (t.error) out.base.tasks.push(taskFailed(t.name, t.error));
      for (const t of head.tasks) {
        if (t.error) {
          out.head.tasks.push(taskFailed(t.name, t.error));
          continue;
        }
        if (input.only && !input.only.has(t.name)) {
          out.head.tasks.push(taskSkipped(t.name));
          if (baseTasks.has(t.name)) out.base.tasks.push(taskSkipped(t.name));
          continue;
        }
        input.onTask?.(t.name);
        const tt = performance.now();
        await runTask(t.name, baseTasks.has(t.name), workers as Record<'head' | 'base', SliceWorker>, input, out);
        (out.taskMs ??= {})[t.name] = performance.now() - tt;
      }
    }
    for (const side of sides) {
      const w = workers[side];
      if (!w || !ready[side]) continue;
      const bye = await w.close();
      if (bye) {
        out[side].meta = bye.meta;
        out[side].rusage = bye.rusage;
      }
    }
  } finally {
    for (const w of Object.values(workers)) w?.kill();
    await Promise.all(Object.values(workers).map((w) => w?.exited));
  }
  out.wallMs = performance.now() - t0;
  out.head.wallMs = out.wallMs;
  out.base.wallMs = out.wallMs;
  return out;
}

async function runTask(name: string, inBase: boolean, workers: Record<'head' | 'base', SliceWorker>, input: PairInput, out: PairOutput): Promise<void> {
  const { settings: s, random } = input;
  const sides: Array<'head' | 'base'> = inBase ? (random() < 0.5 ? ['head', 'base'] : ['base', 'head']) : ['head'];
  const fresh = (): TaskOutput => ({ name, samples: [], median: 0, batch: 1, calls: 0, async: false });
  const task: Record<'head' | 'base', TaskOutput> = { head: fresh(), base: fresh() };
  const fail = (side: 'head' | 'base', error: string): void => {
    task[side].error = error;
  };
  // Warm one after the other (both share one CPU).
  const phases = out.phases!; // runPair made it
  const tw = performance.now();
  let quietSides = 0;
  for (const side of sides) {
    const r = await workers[side].call<'warm'>({ cmd: 'warm', task: name, ...(s.collectAfterWarmup === false ? {} : { collect: true }) });
    if (r.kind === 'error') fail(side, r.error);
    else {
      task[side].batch = r.batch;
      task[side].async = r.async;
      task[side].warmupMs = r.warmupMs;
      if (r.background) quietSides++;
    }
  }
  // Background work (a load test's users) runs only during its side's slices when both sides can
  // pause it: both are paused now, and each slice resumes and pauses its own. Otherwise (a base
  // whose perfgate/load predates pausing) neither side's is touched: both run from their warmup on,
  // as before, so the two sides are measured alike.
  const quiet = inBase && quietSides === 2;
  if (quiet) {
    for (const side of sides) {
      const r = await workers[side].call<'paused'>({ cmd: 'pause', task: name });
      if (r.kind === 'error') fail(side, r.error);
    }
  }
  phases.warm += performance.now() - tw;
  const alive = (side: 'head' | 'base'): boolean => !task[side].error;
  let blockSwitches: number | undefined;
  let lastWatch = { gc: 0, faults: 0 };
  const slice = async (side: 'head' | 'base'): Promise<number> => {
    const ts = performance.now();
    const r = await workers[side].call<'slice'>({ cmd: 'slice', task: name, ms: s.sliceMs, minBatches: MIN_OPS_PER_SLICE, maxBatches: MAX_BATCHES_PER_SLICE, ...(quiet ? { quiet } : {}) });
    phases.slice += performance.now() - ts;
    if (r.kind === 'error') {
      fail(side, r.error);
      return NaN;
    }
    out.switches += r.switches ?? 0;
    lastWatch = { gc: r.majorGc?.count ?? 0, faults: r.minorFaults ?? 0 };
    blockSwitches = r.switches === undefined || blockSwitches === undefined ? undefined : blockSwitches + r.switches;
    out.slices++;
    task[side].calls += r.costs.length * task[side].batch;
    task[side].samplingMs = (task[side].samplingMs ?? 0) + r.wallMs;
    phases.sliceWork += r.wallMs;
    return sliceStat(r.costs);
  };
  if (inBase && alive('head') && alive('base')) {
    // The settling blocks: alternated like the others, then set aside.
    for (const order of s.duet || !(s.settle > 0) ? [] : blockOrders(2 * s.settle, random)) {
      for (const who of order) {
        if (!alive('head') || !alive('base')) break;
        await slice(who === 'A' ? 'base' : 'head');
      }
    }
    const pair: PairSlices = { blocks: [] };
    const orders: string[] = [];
    const measureBlocks = async (slices: number): Promise<void> => {
      for (const order of blockOrders(slices, random)) {
        const got: Record<'A' | 'B', number[]> = { A: [], B: [] };
        const gcs: number[] = [];
        const faults: number[] = [];
        blockSwitches = 0;
        if (s.duet) {
          // Duet: both sides slice at the same moments, each on its own CPU.
          for (let k = 0; k < 2 && alive('head') && alive('base'); k++) {
            const [a, b] = await Promise.all([slice('base'), slice('head')]);
            got.A.push(a);
            got.B.push(b);
            gcs.push(0, 0); // not told apart when both sides slice at once
            faults.push(0, 0);
          }
        } else {
          for (const who of order) {
            if (!alive('head') || !alive('base')) break;
            got[who as 'A' | 'B'].push(await slice(who === 'A' ? 'base' : 'head'));
            gcs.push(lastWatch.gc);
            faults.push(lastWatch.faults);
          }
        }
        if (got.A.length !== 2 || got.B.length !== 2) break;
        orders.push(s.duet ? 'duet' : order);
        pair.blocks.push({ base: [got.A[0], got.A[1]], head: [got.B[0], got.B[1]], ...(blockSwitches === undefined ? {} : { switches: blockSwitches }), ...(gcs.some((g) => g > 0) ? { majorGc: gcs as Quad } : {}), ...(faults.some((f) => f > 0) ? { minorFaults: faults as Quad } : {}) });
      }
    };
    await measureBlocks(s.slices);
    const more = (s.slicesMax ?? 0) - s.slices;
    if (!s.duet && more >= 2 && alive('head') && alive('base') && blockSpread(pair) > (s.extendSd ?? EXTEND_BLOCK_SD)) {
      await measureBlocks(more);
      out.extended = (out.extended ?? 0) + 1;
    }
    const v = alive('head') && alive('base') ? pairValues(pair) : null;
    if (process.env.PERFGATE_SLICE_LOG) appendFileSync(process.env.PERFGATE_SLICE_LOG, `${JSON.stringify({ suite: input.file, task: name, cpu: input.cpu, orders, blocks: pair.blocks, logRatio: v?.logRatio ?? null })}\n`);
    if (v) {
      task.base.samples = pair.blocks.flatMap((b) => b.base);
      task.head.samples = pair.blocks.flatMap((b) => b.head);
      task.base.median = v.base;
      task.head.median = v.head;
      out.logRatios[name] = v.logRatio;
      const se = withinSe(pair);
      if (se !== undefined) (out.withinSe ??= {})[name] = se;
      out.blocks += pair.blocks.length;
      out.excludedBlocks += v.excluded;
    } else {
      for (const side of ['head', 'base'] as const) if (alive(side)) fail(side, 'no usable slices in this pair');
    }
  } else if (alive('head')) {
    const stats: number[] = [];
    for (let i = 0; i < s.slices && alive('head'); i++) stats.push(await slice('head'));
    if (alive('head')) {
      task.head.samples = stats;
      task.head.median = median(stats);
    }
  }
  for (const side of sides) {
    if (alive(side)) {
      const r = await workers[side].call<'closed'>({ cmd: 'close', task: name });
      if (r.kind === 'error') fail(side, r.error);
    }
    out[side].tasks.push(task[side]);
  }
}

// ---------------------------------------------------------------------------------------------
// The run

/** `timeBudget` here: no new pair starts once one more would likely overrun it; two pairs a suite always run. */
export interface SlicedInput extends SameRunnerInput {
  alpha: number;
  settings: SliceSettings;
  /**
   * The decision's thresholds (and learned floor), which the looks need to tell a resolved
   * benchmark (see adaptive.ts). Without them the design is fixed: one look after `pairs`.
   */
  thresholds?: Thresholds;
  failOn?: FailOn;
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number; unit?: 'round' | 'pair' }) => void;
  /** Runs one pair (default runPair); tests simulate here. */
  pairRunner?: (input: PairInput) => Promise<PairOutput>;
}

export interface SlicedOutput {
  head: Results;
  base: Results;
  /** Pairs each suite got. */
  pairsBySuite: Record<string, number>;
  /** The most pairs any suite got. */
  pairs: number;
  /** The look schedule (pairs per suite at each look) and the looks made. */
  plan: LookPlan;
  looks: LookRecord[];
  /** Alpha of the last look made: the level of the final comparison. */
  alpha: number;
  /** Benchmarks still unresolved at the end (id → why): an `unchanged` among them is inconclusive. */
  unresolved: Record<string, string>;
  stoppedBy: 'resolved' | 'looks' | 'budget';
  /** The screen, when one was made (adaptive.ts): after how many pairs, benchmarks set aside of those compared. */
  screen?: { pairs: number; setAside: number; compared: number };
  /** CPUs the pairs were pinned to, or null when unpinned. */
  pinned: number[] | null;
  notices: string[];
  elapsedMs: number;
  processMs: { head: number; base: number };
  /** Slices measured, and the involuntary context switches of the measuring threads during them. */
  slices: number;
  switches: number;
  blocks: number;
  excludedBlocks: number;
  /** Per suite file, the pairs' log-ratios per task (for the calibration). */
  logRatios: Record<string, Array<Record<string, number>>>;
  /** Per suite file, the pairs' rounds per side, matched by index (for the calibration's replays). */
  raw: Record<string, { head: RoundResult[]; base: RoundResult[] }>;
}

/** Time spent on one benchmark over the run's pairs (PairOutput.taskMs summed by suite and task). */
export interface TaskTime {
  suite: string;
  task: string;
  ms: number;
  pairs: number;
}

/** How many of the costliest benchmarks the report names. */
export const COSTLIEST_TASKS = 5;

/**
 * Where the pairs' time went, for the report (PairOutput.phases summed over the run's pairs), and
 * the benchmarks that took most of it (warming, slicing and closing them, both sides).
 */
export function phaseText(p: PairPhases & { total: number }, lanes: number, tasks: readonly TaskTime[] = []): string {
  const sec = (ms: number): string => `${Math.round(ms / 1000)} s`;
  const pct = (ms: number): string => `${Math.round((100 * ms) / p.total)}%`;
  const rest = Math.max(0, p.total - p.start - p.warm - p.slice);
  const top = [...tasks].sort((a, b) => b.ms - a.ms || `${a.suite}/${a.task}`.localeCompare(`${b.suite}/${b.task}`)).slice(0, COSTLIEST_TASKS);
  const costliest = top.length
    ? ` The costliest benchmarks: ${top.map((t) => `${t.suite}/${t.task} ${sec(t.ms)} (${pct(t.ms)}, ${t.pairs} pair${t.pairs === 1 ? '' : 's'})`).join(', ')}.`
    : '';
  return (
    `Where the pairs' time went (${sec(p.total)} of pair time${lanes > 1 ? ` on ${lanes} CPUs at once` : ''}): starting the workers ${sec(p.start)} (${pct(p.start)}), ` +
    `warming tasks ${sec(p.warm)} (${pct(p.warm)}), slicing ${sec(p.slice)} (${pct(p.slice)}; ${sec(p.sliceWork)} of it timed work in the workers, the rest round trips), closing ${sec(rest)} (${pct(rest)}).` +
    costliest
  );
}

/**
 * The order of one pass: the suites whose pairs took longest last time first (those not yet timed
 * before them, in random order), so that the pass ends on short pairs and the two lanes reach a
 * look at about the same time instead of one idling while the other finishes a long pair (the load
 * test's pairs take about 12 s, the retry suite's about 1 s). Ties and untimed suites are shuffled.
 * The order of suites never touches a comparison: the two sides of a task are compared within its pair.
 */
export function passOrder<T extends { file: string }>(suites: readonly T[], lastPairMs: ReadonlyMap<string, number>, random: () => number): T[] {
  const key = (s: T): number => lastPairMs.get(s.file) ?? Infinity;
  return shuffle(suites, random).sort((a, b) => key(b) - key(a) || 0);
}

/**
 * Runs process pairs of every suite in pass order (every active suite's next pair, longest pairs
 * first each pass, see passOrder; the lanes pull the next pair from one queue as they free up, so no lane
 * idles at the end of a pass), so every suite samples the machine's conditions over the whole run, with
 * looks as in the round design (adaptive.ts): look k comes after n_k pairs of a suite; the first
 * look's n_1 is raised (after the first pass, once the number m of compared benchmarks is known)
 * until the signed-rank test can pass Holm's first step at that look's alpha (2^−n_1 ≤ a_1 / m),
 * so a large regression can fail at the first look; a suite whose benchmarks are all resolved at
 * a look stops there, the others get `batch` more pairs; the final comparison is at the last
 * look's alpha, with the still unresolved benchmarks listed.
 */
export async function runSliced(input: SlicedInput): Promise<SlicedOutput> {
  const random = input.random ?? Math.random;
  const t0 = performance.now();
  const elapsed = () => performance.now() - t0;
  const startedAt = new Date().toISOString();
  const cpuBefore = readCpuTimes();
  const notices: string[] = [];
  const pin = input.settings.pin && canPin();
  const cpus = pin ? allowedCores() : [];
  if (input.settings.pin && !pin) {
    notices.push(
      'The two workers of a pair could not be pinned to one CPU here (needs Linux and taskset): slow spells of one CPU are not cancelled, so expect more noise.',
    );
  }
  const perFile = new Map(input.suites.map((s) => [s.file, { head: [] as RoundResult[], base: [] as RoundResult[], ratios: [] as Array<Record<string, number>>, withinSe: [] as Array<Record<string, number>>, attempts: 0 }]));
  /** Suite name (as in benchmark ids) → suite file, from the results measured so far. */
  const suiteFiles = (): Map<string, string> => new Map([...suiteNames([...perFile].map(([file, f]) => ({ file, head: f.head })))].map(([file, name]) => [name, file]));
  const processMs = { head: 0, base: 0 };
  let slices = 0;
  let switches = 0;
  let blocks = 0;
  let excludedBlocks = 0;
  let extended = 0;
  const phases: PairPhases & { total: number } = { start: 0, warm: 0, slice: 0, sliceWork: 0, total: 0 };
  const taskTimes = new Map<string, TaskTime>();
  const usedCpus: number[] = [];
  const runner = input.pairRunner ?? runPair;
  const machine = input.machine ?? machineInfo();
  const adaptive = input.thresholds && input.failOn ? { thresholds: input.thresholds, failOn: input.failOn } : undefined;
  const maxLooks = adaptive ? Math.max(1, input.settings.looks) : 1;
  const lookSettings = { rounds: Math.max(2, input.settings.pairs), batch: Math.max(1, input.settings.batch), maxLooks, alpha: input.alpha, spending: 'obrien-fleming' as const };
  let plan = planLooks({ ...lookSettings, family: 1 });

  /** Both sides' results so far. */
  const sides = (final = false): { head: Results; base: Results } => {
    const common = { clock: input.clock, startedAt, finishedAt: new Date().toISOString(), machine, cpuBefore, cpuAfter: readCpuTimes() };
    const head = buildResults({ ...common, suites: input.suites.map((s) => ({ file: s.file, rounds: perFile.get(s.file)!.head })), commit: input.head.commit, ref: input.head.ref, log: final ? input.log : undefined });
    const base = buildResults({ ...common, suites: input.suites.filter((s) => s.inBase).map((s) => ({ file: s.file, rounds: perFile.get(s.file)!.base })), commit: input.base.commit, ref: input.base.ref });
    if (input.noiseFloor) base.noiseFloor = { ...input.noiseFloor };
    return { head, base };
  };

  // Lanes: with `parallel` and pinning, one lane per allowed CPU, each running its pairs on its
  // own CPU (two pairs at once on two CPUs, never the two sides of one pair apart); otherwise one
  // lane, a CPU drawn at random for each pair.
  const duet = input.settings.duet === true;
  if (duet && (!pin || cpus.length < 2)) throw new Error('The duet variant needs two CPUs and pinning (Linux, taskset): it puts the two workers of a pair on two different CPUs.');
  const lanes: Array<number | null> = pin && input.settings.parallel && !duet && cpus.length > 1 ? [...cpus] : [null];
  // The pairs of one look run from a queue in pass order (every active suite's next pair, the
  // longest first, then the pass after), pulled by the lanes as they free up: no lane waits
  // for the other at the end of a pass. A lane prefers a pair of a suite that is not running on the
  // other lane at that moment.
  const pairWallMs: number[] = [];
  const lastPairMs = new Map<string, number>();
  const running = new Set<string>();
  let budgetHit = false;
  let budgetStop: { at: number; target: number } | undefined;
  const budgetMs = input.timeBudget * 1000;
  const runQueue = async (todo: Array<{ file: string; inBase: boolean }>, target: number): Promise<void> => {
    const planned = new Map(todo.map((s) => [s.file, perFile.get(s.file)!.attempts]));
    const queue: Array<{ file: string; inBase: boolean }> = [];
    for (;;) {
      const pass = passOrder(
        todo.filter((s) => planned.get(s.file)! < target),
        lastPairMs,
        random,
      );
      if (!pass.length) break;
      for (const s of pass) planned.set(s.file, planned.get(s.file)! + 1);
      queue.push(...pass);
    }
    const take = (): { file: string; inBase: boolean } | undefined => {
      const i = queue.findIndex((q) => !running.has(q.file));
      return queue.splice(i < 0 ? 0 : i, 1)[0];
    };
    const runLane = async (laneCpu: number | null): Promise<void> => {
      for (let st = take(); st; st = take()) {
        const f = perFile.get(st.file)!;
        // The time budget: no new pair once one more would likely overrun it, but never before
        // every suite has the two pairs a paired test needs.
        const minPairs = Math.min(...[...perFile.values()].map((v) => v.attempts));
        if (minPairs >= 2 && pairWallMs.length && elapsed() + median(pairWallMs) > budgetMs) {
          budgetHit = true;
          budgetStop ??= { at: f.attempts, target };
          continue;
        }
        const cpu = laneCpu ?? (pin && cpus.length ? cpus[Math.floor(random() * cpus.length)] : null);
        if (cpu !== null) usedCpus.push(cpu);
        // Duet: the base worker on another CPU than the head's.
        const others = cpus.filter((c) => c !== cpu);
        const baseCpu = duet && others.length ? others[Math.floor(random() * others.length)] : undefined;
        if (baseCpu !== undefined) usedCpus.push(baseCpu);
        const p = f.attempts++;
        running.add(st.file);
        input.onProgress?.({ suite: st.file, round: p + 1, rounds: target, elapsedMs: elapsed(), unit: 'pair' });
        const r = await runner({
          file: st.file,
          inBase: st.inBase,
          head: input.head,
          base: input.base,
          clock: input.clock,
          settings: input.settings,
          taskTimeMs: input.taskTimeMs,
          cpu,
          ...(baseCpu !== undefined ? { baseCpu } : {}),
          timeoutSec: input.suiteTimeout,
          random,
          ...(openTasks.has(st.file) ? { only: openTasks.get(st.file)! } : {}),
        }).finally(() => running.delete(st.file));
        pairWallMs.push(r.wallMs);
        lastPairMs.set(st.file, r.wallMs);
        slices += r.slices;
        switches += r.switches;
        blocks += r.blocks;
        excludedBlocks += r.excludedBlocks;
        extended += r.extended ?? 0;
        phases.total += r.wallMs;
        if (r.phases) for (const k of ['start', 'warm', 'slice', 'sliceWork'] as const) phases[k] += r.phases[k];
        for (const [task, ms] of Object.entries(r.taskMs ?? {})) {
          const key = `${r.head.suite}\u0000${task}`;
          const t = taskTimes.get(key) ?? { suite: r.head.suite, task, ms: 0, pairs: 0 };
          t.ms += ms;
          t.pairs++;
          taskTimes.set(key, t);
        }
        processMs.head += r.wallMs / (st.inBase ? 2 : 1);
        if (st.inBase) processMs.base += r.wallMs / 2;
        // A pair the base side could not run as a whole says nothing about the head: drop it on
        // both sides (the rounds stay paired by pair). A head failure is kept: it is a finding.
        if (st.inBase && r.base.error && !r.head.error) {
          notices.push(`${st.file}: pair ${p + 1} dropped, the base side failed: ${r.base.error.split('\n')[0]}`);
          continue;
        }
        f.head.push(r.head);
        if (st.inBase) f.base.push(r.base);
        f.ratios.push(r.logRatios);
        f.withinSe.push(r.withinSe ?? {});
      }
    };
    await Promise.all(lanes.map(runLane));
  };

  const frozen = new Set<string>();
  // Benchmarks resolved at a look are frozen there too: the later pairs of their suite measure
  // only the tasks still unresolved (openTasks, by suite file), so those pairs cost what they decide.
  const frozenIds = new Set<string>();
  const openTasks = new Map<string, Set<string>>();
  const looks: LookRecord[] = [];
  let look = 1;
  let stoppedBy: SlicedOutput['stoppedBy'] = 'looks';
  let lastAlpha = input.alpha;
  let unresolved: Record<string, string> = {};
  // The first pass alone: it tells how many benchmarks are compared (the family), which sets the
  // first look's number of pairs.
  await runQueue(input.suites, 1);
  {
    const family = [...perFile.values()].reduce((a, f) => a + (f.base[0]?.tasks.length ?? 0), 0);
    const replan = planLooks({ ...lookSettings, family: Math.max(1, family) });
    if (replan.rounds[0] !== plan.rounds[0]) {
      notices.push(
        `${family} benchmarks are compared: Holm's first step needs p ≤ a₁/${family} at the first look, which the signed-rank test reaches with ${replan.rounds[0]} pairs (2^−${replan.rounds[0]}); the first look comes after ${replan.rounds[0]} pairs instead of ${plan.rounds[0]}.`,
      );
    }
    plan = replan;
  }
  // The screen (adaptive.ts): when the first look comes later than the pairs asked for, a look at
  // that count sets aside the benchmarks already unchanged beyond doubt; it decides nothing else.
  // (At least the pairs at which the signed-rank test can reach the first look's level at all.)
  let screenAt = Math.max(MIN_PAIRS, lookSettings.rounds);
  while (signedRankMinP(screenAt) > lookAlpha(plan, 1, false)) screenAt++;
  let screen: SlicedOutput['screen'];
  const screening = adaptive && screenAt < plan.rounds[0];
  if (screening) {
    const todo = input.suites.filter((s) => perFile.get(s.file)!.attempts < screenAt);
    if (todo.length && !budgetHit) await runQueue(todo, screenAt);
  }
  if (screening && budgetHit) {
    // The budget ran out before the screen's pairs: no screen; the notice names the first look's pairs.
    if (budgetStop) budgetStop.target = plan.rounds[0];
  } else if (screening) {
    const alpha = lookAlpha(plan, 1, false);
    const now = sides();
    const cmp = compare({ base: now.base, head: now.head, thresholds: { ...adaptive.thresholds, alpha }, failOn: adaptive.failOn, failOnCrossMachine: false, mode: 'paired', baseSource: 'base', noiseFloor: input.noiseFloor });
    const fileOf = suiteFiles();
    const open = new Map<string, Set<string>>();
    let compared = 0;
    for (const b of cmp.benchmarks) {
      const file = fileOf.get(b.suite);
      if (!file || !input.suites.find((s) => s.file === file)?.inBase) continue;
      compared++;
      if (screenedOut(b, adaptive.thresholds)) frozenIds.add(b.id);
      else {
        if (!open.has(file)) open.set(file, new Set());
        open.get(file)!.add(b.name);
      }
    }
    for (const s of input.suites) {
      if (!s.inBase) continue;
      if (open.has(s.file)) openTasks.set(s.file, open.get(s.file)!);
      else frozen.add(s.file);
    }
    screen = { pairs: screenAt, setAside: frozenIds.size, compared };
    notices.push(
      `Screen after ${screenAt} pairs: ${frozenIds.size} of ${compared} benchmarks were set aside as unchanged beyond doubt (verdict unchanged and the whole ${Number(((1 - alpha) * 100).toPrecision(3))}% interval within ±${Math.round(adaptive.thresholds.minor * 100)}%), so their later pairs were not measured; the screen decides nothing else and spends no alpha (a benchmark set aside can be neither flagged nor claimed improved).`,
    );
  }
  for (;;) {
    const target = plan.rounds[look - 1];
    const todo = input.suites.filter((s) => !frozen.has(s.file) && perFile.get(s.file)!.attempts < target && (look === 1 || s.inBase));
    if (todo.length && !budgetHit) await runQueue(todo, target);
    if (budgetStop) {
      notices.push(`The time budget of ${input.timeBudget} s stopped the run at ${budgetStop.at} of ${budgetStop.target} planned pairs per suite; the comparison is weaker than planned. Raise time-budget.`);
      budgetStop = undefined;
    }
    // A look: the suites measured up to it.
    const last = budgetHit || look >= plan.rounds.length;
    const alpha = lookAlpha(plan, look, budgetHit);
    lastAlpha = alpha;
    if (!adaptive) break;
    const now = sides();
    const cmp = compare({ base: now.base, head: now.head, thresholds: { ...adaptive.thresholds, alpha }, failOn: adaptive.failOn, failOnCrossMachine: false, mode: 'paired', baseSource: 'base', noiseFloor: input.noiseFloor });
    const fileOf = suiteFiles();
    const unresolvedNow: Record<string, string> = {};
    const open = new Set<string>();
    const openNow = new Map<string, Set<string>>();
    for (const b of cmp.benchmarks) {
      const file = fileOf.get(b.suite);
      if (!file || frozen.has(file) || frozenIds.has(b.id)) continue;
      const r = resolution(b, adaptive.thresholds);
      if (!r.resolved) {
        unresolvedNow[b.id] = r.why ?? 'unresolved';
        open.add(file);
        if (!openNow.has(file)) openNow.set(file, new Set());
        openNow.get(file)!.add(b.name);
      } else {
        frozenIds.add(b.id);
      }
    }
    openTasks.clear();
    for (const [file, names] of openNow) openTasks.set(file, names);
    // Suites resolved at an earlier look keep that look's state (their rows resolved then).
    unresolved = Object.fromEntries(Object.entries({ ...unresolved, ...unresolvedNow }).filter(([id]) => id in unresolvedNow));
    for (const s of input.suites) if (!frozen.has(s.file) && !open.has(s.file)) frozen.add(s.file);
    looks.push({ look, alpha, rounds: Object.fromEntries(input.suites.map((s) => [s.file, perFile.get(s.file)!.head.length])), unresolvedSuites: [...open], elapsedMs: elapsed() });
    if (open.size === 0) {
      stoppedBy = 'resolved';
      break;
    }
    if (budgetHit) {
      stoppedBy = 'budget';
      break;
    }
    if (last) break;
    look++;
  }
  const { head, base } = sides(true);
  const pairs = Math.max(0, ...[...perFile.values()].map((f) => f.head.length));
  const cpuSet = [...new Set(usedCpus)].sort((a, b) => a - b);
  if (excludedBlocks) {
    notices.push(`${excludedBlocks} of ${blocks} slice blocks (${((100 * excludedBlocks) / Math.max(1, blocks)).toFixed(1)}%) were set aside as disturbed: a slice in them was preempted far more often than the rest of its pair.`);
  }
  if ((input.settings.slicesMax ?? 0) > input.settings.slices) {
    notices.push(
      `slices-max ${input.settings.slicesMax}: ${extended} task${extended === 1 ? '' : 's'} in a pair sliced on to ${input.settings.slicesMax} slices a side because their blocks disagreed (robust sd of the block log-ratios above ${Math.round(100 * (input.settings.extendSd ?? EXTEND_BLOCK_SD))}%).`,
    );
  }
  if (phases.total > 0 && phases.start + phases.warm + phases.slice > 0) notices.push(phaseText(phases, lanes.length, [...taskTimes.values()]));
  const ids = Object.keys(unresolved);
  const lopsided: string[] = [];
  const pc = (x: number) => `${(100 * x).toFixed(1)}%`;
  if (ids.length) {
    const fileOf = suiteFiles();
    for (const id of ids) {
      const at = id.indexOf('/');
      const f = perFile.get(fileOf.get(id.slice(0, at)) ?? '');
      const task = id.slice(at + 1);
      if (!f) continue;
      const b = betweenProcesses(
        f.ratios.map((r) => r[task]),
        f.withinSe.map((r) => r[task]),
      );
      if (b) lopsided.push(`${id} (${b.off} of ${b.pairs} pairs more than ${pc(Math.expm1(b.limit))} off the median pair, where a pair's own blocks give ±${pc(b.within)})`);
    }
  }
  if (ids.length) {
    const why = stoppedBy === 'budget' ? `the time budget of ${input.timeBudget} s ran out` : `the most pairs (${plan.rounds[plan.rounds.length - 1]}) were reached`;
    notices.push(
      `${ids.length} benchmark${ids.length === 1 ? '' : 's'} did not resolve before ${why}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}. ` +
        'Their intervals still straddle a threshold; an "unchanged" among them is reported inconclusive. Raise time-budget or reduce noise for a firmer answer.',
    );
  }
  if (lopsided.length) {
    notices.push(
      `Between processes: ${lopsided.join('; ')}. Those pairs differ from the others far more than their own blocks allow, so the two workers of such a pair ran at different speeds for the whole pair ` +
        "(the process's memory, its garbage collector's rhythm, its JIT): longer slicing within a pair would not settle it; more pairs narrow it (time-budget). PERFGATE_SLICE_LOG=<file> records every pair's blocks to see which side was slow.",
    );
  }
  const range = (xs: number[]) => (Math.min(...xs) === Math.max(...xs) ? `${xs[0]}` : `${Math.min(...xs)}–${Math.max(...xs)}`);
  const counts = [...perFile.values()].filter((f) => f.head.length).map((f) => f.head.length);
  const lookText = adaptive
    ? `; ${looks.length} look${looks.length === 1 ? '' : 's'} (planned after ${plan.rounds.join('/')} pairs, alpha spent O'Brien-Fleming-style; a benchmark resolved at a look is frozen there and the later pairs measure only the unresolved ones), ` +
      `stopped: ${{ resolved: 'every benchmark resolved', looks: 'the last planned look', budget: 'the time budget ran out' }[stoppedBy]}; tests and intervals at the last look's alpha ${Number(lastAlpha.toPrecision(2))}`
    : `; tests over the pairs at alpha ${input.alpha}`;
  notices.unshift(
    `Same-runner A/B in ${duet ? 'simultaneous (duet)' : 'alternating'} slices: per suite ${counts.length ? range(counts) : 0} fresh process pairs (base and head worker${duet ? `, each pinned to its own CPU (CPU ${cpuSet.join(', ')})` : pin ? `, both pinned to one CPU per pair: CPU ${cpuSet.join(', ')}${lanes.length > 1 ? `; ${lanes.length} pairs of different suites at a time, one per CPU` : ''}` : ', not pinned'}); ` +
      `per task ${input.settings.slices} slices of ${input.settings.sliceMs} ms a side in ABBA/BAAB blocks${(input.settings.slicesMax ?? 0) > input.settings.slices && !duet ? ` (up to ${input.settings.slicesMax} for a pair whose blocks disagree)` : ''}${lookText}.`,
  );
  return {
    head,
    base,
    pairsBySuite: Object.fromEntries([...perFile].map(([f, v]) => [f, v.head.length])),
    pairs,
    plan,
    looks,
    alpha: lastAlpha,
    unresolved,
    stoppedBy,
    ...(screen ? { screen } : {}),
    pinned: pin ? cpuSet : null,
    notices,
    elapsedMs: elapsed(),
    processMs,
    slices,
    switches,
    blocks,
    excludedBlocks,
    logRatios: Object.fromEntries([...perFile].map(([f, v]) => [f, v.ratios])),
    raw: Object.fromEntries([...perFile].map(([f, v]) => [f, { head: v.head, base: v.base }])),
  };
}
