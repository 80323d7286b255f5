// Measures one task inside the child harness: warmup, batch calibration, sampling on the chosen
// clock, an untimed leak probe. No tinybench code runs here: perfgate takes each task's function
// and hooks and times them itself, so batching, the clock and the stopping rule are its own.
//
// Batching. One sample is k back-to-back calls timed as one interval; its value is
// (interval − one clock reading) / k per operation. k is calibrated on the wall clock so that one
// sample lasts at least `target` = max(minSampleNs (50 µs), taskTimeMs / maxSamples (the budget
// buys longer samples rather than being cut short by the sample cap), 100 × the clock's
// resolution, 100 × the cost of one clock reading), the last two measured at the start of the
// round on the chosen clock. k grows (×2 to ×100 at a time) until a batch reaches the target and
// is re-checked after warmup (the JIT makes code faster); it only grows.
// Tasks with beforeEach/afterEach hooks run the hooks outside the timed interval: each call is
// timed on its own and a sample is the sum of k such intervals (k sized on the timed part, a
// sample's wall time capped at taskTimeMs / 10). A task whose function returns tinybench's
// `{ overriddenDuration }` (ms) is not batched and that duration is its sample.
//
// Warmup (adaptive). After calibration the task runs batches of k, in blocks of WARMUP_WINDOW
// (5), until (a) at least `warmupMs` have passed since the end of its first call, and (b) the
// per-operation cost stopped improving: the median of each of the last two blocks is no more
// than WARMUP_TOLERANCE (3%) below that of the block before it (`warmupSettled`). It stops
// anyway at `warmupMaxMs` (the harness's default: max(warmupMs, min(1 s, 5 × taskTimeMs))).
// Code with a long JIT warm-up (a big library such as the yaml package) keeps warming until it
// is steady; code that is warm at once stops after `warmupMs`.
//
// No forced GC while timing. A forced full GC (`gc()`) makes V8 drop optimized code and type
// feedback of JIT-sensitive code, so it runs several times slower for a while afterwards (the
// yaml package: 2-3× for tens of calls). The only forced GCs are before the task's warmup, after
// timed sampling and inside the leak probe, never between timed samples. One exception, under
// the instructions clock only: a sample of a single call (k = 1) starts with a scavenge (a minor
// GC, which keeps optimized code), so whether a scavenge falls inside the call depends on the
// call's own allocations, not on how full the young generation was (docs/instructions-clock.md).
//
// Memory. Heap used after a forced GC is taken before the task (before its hooks) and once the
// task ended (after its afterAll and teardown): heapRetainedBytes = after − before − what the
// leak probe added, i.e. what warmup and timed sampling left behind.
//
// Leak probe (untimed, after timed sampling, still inside the run phase's hooks). The task runs
// for about `leakProbeMs` more (harness default: min(taskTimeMs, 100 ms)) in four quarters of
// equal call counts (sized from the sampling rate; at least one batch each; a quarter also ends
// after 4× its share of the time should the code have slowed down), with a heap-after-GC
// checkpoint before the first quarter and after each: always five checkpoints, fed to the
// in-round leak rule (`inRoundLeak`). The samples of the probe are discarded.
//
// Stopping. Sampling stops after `taskTimeMs` (wall) once there are at least `minSamples`, or at
// `maxSamples`, or after 10 × taskTimeMs whatever the count.
//
// Slowdown injection (for the accuracy calibration only). PERFGATE_INJECT is JSON mapping
// `<suite>/<task>` (or `*` for every task) to a factor f > 1. After each sample's real work of
// measured cost d, the harness busy-waits (f − 1) × d on the same clock inside the sample, so the
// measured cost becomes ≈ f × d: a known, true slowdown of the measured code path. For the
// instructions clock (which cannot be read mid-interval), and for a task that reports its own
// duration (`overriddenDuration`), the cost is multiplied by f instead.
//
// Speed reference (wall and cpu clocks). This VM's vCPUs have slow spells: for seconds at a time
// one runs 1.3–1.6× slower, across unrelated code. A fixed reference loop (REFERENCE_ITERATIONS
// integer steps, the same code in every process and session) is timed on the task's clock before
// a sampling window, every REFERENCE_EVERY_MS of it, and after it (best of REFERENCE_REPEATS each,
// about 1% of the sampling time). Its median over the task's windows is `reference` (ns per
// loop): what the CPU's speed was while this task was measured. A check more than
// SLOW_SPELL_FACTOR slower than the fastest check of the process counts as a slow spell.
import type { MeasureClock, TaskOutput } from './protocol.ts';
import { median, sorted } from './stats.ts';

export interface ClockSource {
  kind: MeasureClock;
  /** Starts one interval; returns a token for stop(). */
  start(): number;
  /** The interval's cost since start(token): ns (wall, cpu) or instructions. */
  stop(token: number): number;
  /** A continuous reading on the same clock (wall, cpu); absent for instructions. */
  now?: () => number;
  /** Smallest observed positive step, in the clock's unit. */
  resolution: number;
  /** Cost of one reading, in the clock's unit. */
  overhead: number;
  /**
   * Running totals of what the clock counted (instructions clock under callgrind with its cache
   * simulation): instructions and estimated cycles. The sampler takes the ratio over a task's
   * timed samples to give its estimated cycles per call.
   */
  totals?: () => { instructions: number; cycles: number };
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;
type Hook = (this: unknown, mode?: 'warmup' | 'run') => unknown;

export interface TaskSpec {
  name: string;
  fn: AnyFn;
  /** `this` for the function and its hooks (tinybench passes the Task). */
  self: unknown;
  beforeAll?: Hook;
  afterAll?: Hook;
  beforeEach?: Hook;
  afterEach?: Hook;
  /** tinybench's `async` option; otherwise detected (AsyncFunction, or the first call returns a promise). */
  async?: boolean;
  /** Bench-level tinybench setup/teardown (task, mode). */
  setup?: (task: unknown, mode: 'warmup' | 'run') => unknown;
  teardown?: (task: unknown, mode: 'warmup' | 'run') => unknown;
}

export interface SamplerConfig {
  taskTimeMs: number;
  /** Shortest warmup (wall ms from the end of the first call): the adaptive warmup never stops earlier. */
  warmupMs: number;
  /** Longest warmup (wall ms from the end of the first call), whether the cost stopped improving or not (default: warmupMs). */
  warmupMaxMs?: number;
  minSamples: number;
  maxSamples: number;
  minSampleNs: number;
  /** Run the untimed leak probe with its heap checkpoints (forced GCs) after timed sampling. */
  heapCheckpoints: boolean;
  /** Length of the leak probe, wall ms (default: min(taskTimeMs, 100)). */
  leakProbeMs?: number;
  /** Injected slowdown factor for this task (1 = none). */
  inject: number;
  /** Involuntary context switches of the measuring thread so far (for disturbance), if known. */
  switches?: () => number | undefined;
  /** Time the speed reference around the sampling windows (default true; never for instructions). */
  reference?: boolean;
}

export const SAMPLER_DEFAULTS = {
  taskTimeMs: 200,
  minSamples: 5,
  maxSamples: 1000,
  minSampleNs: 50_000,
} as const;

/** Monotonic wall clock in ns for budgets and calibration. */
export type WallNow = () => number;

const MIB = 1024 * 1024;

/** Adaptive warmup: batches per window compared, and the improvement below which code counts as warm. */
export const WARMUP_WINDOW = 5;
export const WARMUP_TOLERANCE = 0.03;

/** Speed reference (see the header): loop length, spacing of the checks, repeats per check, slow-spell factor. */
export const REFERENCE_ITERATIONS = 20_000;
export const REFERENCE_EVERY_MS = 5;
export const REFERENCE_REPEATS = 3;
export const SLOW_SPELL_FACTOR = 1.2;

let referenceSink = 1;
/** The reference loop: fixed integer work the JIT cannot drop (its result feeds the next call). */
export function referenceWork(): number {
  let x = referenceSink | 1;
  for (let i = 0; i < REFERENCE_ITERATIONS; i++) x = (Math.imul(x ^ (x >>> 13), 0x5bd1e995) + i) | 0;
  referenceSink = x;
  return x;
}

/** The process's speed reference: checks on one clock, and the fastest seen (slow spells are judged against it). */
class SpeedReference {
  fastest = Infinity;
  private warmed = false;
  /** One check: the best of REFERENCE_REPEATS timed loops on `clock`, in its unit. */
  check(clock: ClockSource): number {
    if (!this.warmed) {
      this.warmed = true;
      for (let i = 0; i < 200; i++) referenceWork(); // optimized before any check counts
    }
    let best = Infinity;
    for (let r = 0; r < REFERENCE_REPEATS; r++) {
      const t = clock.start();
      referenceWork();
      best = Math.min(best, Math.max(0, clock.stop(t) - clock.overhead));
    }
    if (best > 0) this.fastest = Math.min(this.fastest, best);
    return best;
  }
}
const speed = new SpeedReference();

/** Speed-reference checks that fell in a slow spell: slower than SLOW_SPELL_FACTOR × the fastest. */
export function slowChecks(checks: readonly number[], fastest: number): number {
  return checks.filter((c) => c > SLOW_SPELL_FACTOR * fastest).length;
}

/** Default warmup bounds for a task budget: [min, max] ms (an explicit warmupMs raises both floors). */
export function warmupBounds(taskTimeMs: number, warmupMs?: number): { warmupMs: number; warmupMaxMs: number } {
  const min = warmupMs ?? Math.min(100, taskTimeMs / 2);
  return { warmupMs: min, warmupMaxMs: Math.max(min, Math.min(1000, 5 * taskTimeMs)) };
}

/** Default length of the leak probe, ms. */
export function leakProbeDefaultMs(taskTimeMs: number): number {
  return Math.min(taskTimeMs, 100);
}

/**
 * Whether warmup may stop, checked when a block of `window` warm batches is complete: the median
 * per-op cost of each of the last two blocks is no more than `tolerance` below that of the block
 * before it (two steps without improvement, so one noisy block does not end warmup early).
 */
export function warmupSettled(perOp: readonly number[], window = WARMUP_WINDOW, tolerance = WARMUP_TOLERANCE): boolean {
  const n = perOp.length;
  if (n < 3 * window || n % window !== 0) return false;
  const m = [3, 2, 1].map((b) => median(perOp.slice(n - b * window, n - (b - 1) * window)));
  return m[1] >= m[0] * (1 - tolerance) && m[2] >= m[1] * (1 - tolerance);
}

/** Result sink so the engine cannot drop calls whose results are unused. */
let sink: unknown;
export function lastSink(): unknown {
  return sink;
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return !!x && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function';
}

async function maybeAwait(x: unknown): Promise<unknown> {
  return isThenable(x) ? await x : x;
}

function overriddenMs(result: unknown): number | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const d = (result as { overriddenDuration?: unknown }).overriddenDuration;
  return typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : undefined;
}

/** "Error: message first line (at top stack frame)". */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const first = String(e.message || '').split('\n')[0];
    const head = first ? `${e.name}: ${first}` : e.name;
    const frame = (e.stack ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('at '));
    return frame ? `${head} (${frame})` : head;
  }
  return `thrown: ${String(e).split('\n')[0]}`;
}

/**
 * In-round leak rule: heap-after-GC checkpoints (the leak probe's: before its first quarter and
 * after each of its four) rise at every step, by at least 1 MiB in total, and the last quarter
 * still adds at least 10% of the growth (a cache that fills once and plateaus does not qualify).
 */
export function inRoundLeak(checkpoints: readonly number[]): boolean {
  if (checkpoints.length < 4) return false;
  for (let i = 1; i < checkpoints.length; i++) if (!(checkpoints[i] > checkpoints[i - 1])) return false;
  const total = checkpoints[checkpoints.length - 1] - checkpoints[0];
  const last = checkpoints[checkpoints.length - 1] - checkpoints[checkpoints.length - 2];
  return total >= MIB && last >= 0.1 * total;
}

/**
 * A young-generation GC (scavenge) through `gc` (default: the global one), or undefined without
 * it (no --expose-gc). Under the instructions
 * clock a sample of one call starts with an empty young generation, so whether a scavenge falls
 * inside the call depends on the call's own allocations, not on what came before it (a minor GC
 * keeps optimized code; a full gc() would not).
 */
export function minorGc(gc: GcFunction | undefined = (globalThis as { gc?: GcFunction }).gc): (() => void) | undefined {
  return typeof gc === 'function' ? () => gc({ type: 'minor' }) : undefined;
}

/** V8's gc() (--expose-gc) with its options. */
export type GcFunction = (options?: { type: 'minor' | 'major' }) => void;

/** Heap used after a full GC (two passes: the second catches what finalizers released), or undefined without --expose-gc. */
export function heapAfterGc(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return undefined;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * One task opened for measuring, in phases: `warm()` (tinybench mode 'warmup': first call, batch
 * calibration, adaptive warmup; then the run phase is opened: setup 'run', beforeAll), any number
 * of `sampleFor()` windows (timed batches of k calls, no forced GC), the optional `leakProbe()`,
 * and `close()` (afterAll, teardown, retained heap). measureTask() is these phases in a row; the
 * long-lived A/B worker (harness.ts, serve mode) drives them slice by slice. No method throws: a
 * failure of the task or its hooks ends up in `out.error` and later phases do nothing.
 */
export class TaskSession {
  readonly out: TaskOutput;
  private readonly hooks: boolean;
  private isAsync: boolean;
  private overridden = false;
  private mode: 'warmup' | 'run' = 'warmup';
  private setupDone: 'warmup' | 'run' | null = null;
  private beforeAllDone = false;
  private before: number | undefined;
  private probeGrowth = 0;
  private closed = false;
  /** Speed-reference checks around and inside this task's sampling windows (clock units per loop). */
  private readonly refChecks: number[] = [];
  /** What the clock's totals grew by over this task's kept (timed) sampling windows. */
  private readonly counted = { instructions: 0, cycles: 0 };

  private readonly spec: TaskSpec;
  private readonly clock: ClockSource;
  private readonly wallNow: WallNow;
  private readonly cfg: SamplerConfig;

  constructor(spec: TaskSpec, clock: ClockSource, wallNow: WallNow, cfg: SamplerConfig) {
    this.spec = spec;
    this.clock = clock;
    this.wallNow = wallNow;
    this.cfg = cfg;
    this.out = { name: spec.name, samples: [], median: 0, batch: 1, calls: 0, async: false, ...(cfg.inject > 1 ? { injected: cfg.inject } : {}) };
    this.hooks = !!(spec.beforeEach || spec.afterEach);
    this.isAsync = spec.async ?? spec.fn.constructor?.name === 'AsyncFunction';
  }

  get failed(): boolean {
    return this.out.error !== undefined;
  }

  private call(): unknown {
    return this.spec.fn.call(this.spec.self);
  }

  /**
   * One sample of k calls: returns the cost on the clock (and the wall duration). `timed` false
   * (the leak probe) skips the injected slowdown: nobody reads that cost.
   */
  private async sample(k: number, timed = true): Promise<{ cost: number; wall: number }> {
    const { spec, clock, cfg, wallNow } = this;
    const self = spec.self;
    const mode = this.mode;
    const w0 = wallNow();
    let cost = 0;
    if (this.overridden) {
      for (let i = 0; i < k; i++) {
        if (spec.beforeEach) await maybeAwait(spec.beforeEach.call(self, mode));
        const r = this.isAsync ? await this.call() : this.call();
        sink = r;
        cost += (overriddenMs(r) ?? 0) * 1e6;
        if (spec.afterEach) await maybeAwait(spec.afterEach.call(self, mode));
      }
    } else if (this.hooks) {
      for (let i = 0; i < k; i++) {
        if (spec.beforeEach) {
          const h = spec.beforeEach.call(self, mode);
          if (isThenable(h)) await h;
        }
        if (this.isAsync) {
          const t = clock.start();
          sink = await this.call();
          cost += clock.stop(t);
        } else {
          const t = clock.start();
          sink = this.call();
          cost += clock.stop(t);
        }
        if (spec.afterEach) {
          const h = spec.afterEach.call(self, mode);
          if (isThenable(h)) await h;
        }
      }
    } else if (this.isAsync) {
      const t = clock.start();
      for (let i = 0; i < k; i++) sink = await this.call();
      cost = clock.stop(t);
    } else {
      const t = clock.start();
      for (let i = 0; i < k; i++) sink = this.call();
      cost = clock.stop(t);
    }
    // Each timed interval includes about one clock reading: take it out, but never below one tick
    // of the clock per interval. A call costs more than nothing; when it costs less than the reading
    // (a cheap task timed alone between hooks), the overhead measured at start can exceed what the
    // interval held, and a zero would make a ratio of nothing (a 0 ns round).
    if (!this.overridden) {
      const intervals = this.hooks ? k : 1;
      cost = Math.max(clock.resolution * intervals, cost - clock.overhead * intervals);
    }
    if (timed && cfg.inject > 1 && this.overridden) {
      cost *= cfg.inject; // a reported duration: the report is what gets slower
    } else if (timed && cfg.inject > 1) {
      if (clock.now) {
        const extra = (cfg.inject - 1) * cost;
        const s = clock.now();
        let e = 0;
        while ((e = clock.now() - s) < extra);
        cost += e;
      } else {
        cost *= cfg.inject;
      }
    }
    return { cost, wall: wallNow() - w0 };
  }

  private async fail(e: unknown): Promise<void> {
    this.out.error ??= describeError(e);
    const { spec } = this;
    if (this.beforeAllDone && spec.afterAll) {
      this.beforeAllDone = false;
      try {
        await maybeAwait(spec.afterAll.call(spec.self, this.mode));
      } catch {
        // the first error is the one worth reporting
      }
    }
    if (this.setupDone && spec.teardown) {
      const phase = this.setupDone;
      this.setupDone = null;
      try {
        await maybeAwait(spec.teardown(spec.self, phase));
      } catch {
        // the first error is the one worth reporting
      }
    }
  }

  /** The warmup phase, then the run phase opened. Returns false when the task failed. */
  async warm(): Promise<boolean> {
    const { spec, clock, cfg, wallNow, out } = this;
    const self = spec.self;
    // The only forced GC before timed sampling: the retained-heap baseline, before any hook
    // (none without --expose-gc, as in the A/B worker).
    this.before = heapAfterGc();
    try {
      if (spec.setup) await maybeAwait(spec.setup(self, 'warmup'));
      this.setupDone = 'warmup';
      if (spec.beforeAll) await maybeAwait(spec.beforeAll.call(self, 'warmup'));
      this.beforeAllDone = true;
      if (spec.beforeEach) await maybeAwait(spec.beforeEach.call(self, this.mode));
      const first = this.call();
      if (isThenable(first)) this.isAsync = true;
      const firstValue = this.isAsync ? await first : first;
      if (spec.afterEach) await maybeAwait(spec.afterEach.call(self, this.mode));
      if (overriddenMs(firstValue) !== undefined && clock.kind !== 'instructions') this.overridden = true;
      out.async = this.isAsync;

      const timeClock = clock.kind !== 'instructions';
      const target = Math.max(cfg.minSampleNs, (cfg.taskTimeMs * 1e6) / cfg.maxSamples, timeClock ? 100 * clock.resolution : 0, timeClock ? 100 * clock.overhead : 0);
      const warmupNs = cfg.warmupMs * 1e6;
      const warmupMaxNs = Math.max(warmupNs, (cfg.warmupMaxMs ?? cfg.warmupMs) * 1e6);
      const wStart = wallNow();
      // A few single calls first so calibration does not size k on cold (interpreted) code.
      for (let i = 0; i < 10 && wallNow() - wStart < warmupNs / 4; i++) await this.sample(1);
      // What calibration sizes: the wall duration of a batch, or with per-call hooks the timed
      // part only (on the clock; wall for instructions), with a batch's wall time capped at a
      // tenth of the task budget so slow hooks still leave room for samples.
      const hooks = this.hooks;
      const timedCost = (r: { cost: number; wall: number }): number => (hooks && clock.kind !== 'instructions' ? r.cost : r.wall);
      const wallCap = hooks ? Math.max(target, (cfg.taskTimeMs * 1e6) / 10) : Infinity;
      let k = 1;
      if (!this.overridden) {
        for (;;) {
          const r = await this.sample(k);
          const t = timedCost(r);
          if (t >= target || r.wall >= wallCap || k >= 1e9) break;
          const factor = Math.min(100, Math.max(2, Math.ceil((target * 1.25) / Math.max(t, 1))));
          k = Math.min(1e9, k * factor, hooks ? Math.max(k + 1, Math.floor((k * wallCap) / Math.max(r.wall, 1))) : Infinity);
        }
      }
      // Adaptive warmup at batch k (see the header): at least warmupMs and 3 blocks of
      // WARMUP_WINDOW batches, then until the per-op cost stops improving, at most warmupMaxMs.
      let recent: Array<{ cost: number; wall: number }> = [];
      const perOp: number[] = [];
      for (;;) {
        const r = await this.sample(k);
        recent.push(r);
        perOp.push(r.cost / k);
        const elapsed = wallNow() - wStart;
        if (elapsed >= warmupMaxNs || perOp.length >= 10_000) break;
        if (elapsed >= warmupNs && warmupSettled(perOp)) break;
      }
      out.warmupSamples = perOp.length;
      // Re-size k on the warm code: the JIT usually makes it faster than during calibration. k only grows.
      for (let i = 0; i < 5 && !this.overridden; i++) {
        const last = recent.slice(-3);
        const t = median(last.map(timedCost));
        const w = median(last.map((r) => r.wall));
        if (!(t > 0) || t >= target * 0.8 || w >= wallCap || k >= 1e9) break;
        k = Math.min(1e9, Math.ceil((k * target * 1.1) / t), hooks ? Math.max(k + 1, Math.floor((k * wallCap) / Math.max(w, 1))) : Infinity);
        recent = [];
        for (let j = 0; j < 3; j++) recent.push(await this.sample(k));
      }
      out.batch = k;
      out.warmupMs = (wallNow() - wStart) / 1e6;
      this.beforeAllDone = false;
      if (spec.afterAll) await maybeAwait(spec.afterAll.call(self, 'warmup'));
      this.setupDone = null;
      if (spec.teardown) await maybeAwait(spec.teardown(self, 'warmup'));

      // ---- run phase (tinybench mode 'run') opened: sampling windows follow.
      this.mode = 'run';
      if (spec.setup) await maybeAwait(spec.setup(self, 'run'));
      this.setupDone = 'run';
      if (spec.beforeAll) await maybeAwait(spec.beforeAll.call(self, 'run'));
      this.beforeAllDone = true;
      return true;
    } catch (e) {
      await this.fail(e);
      return false;
    }
  }

  /**
   * Timed batches of k calls for at least `ms` wall milliseconds and at least `minBatches`
   * batches (at most `maxBatches`, or 10 × ms whatever the count): the per-op cost of each batch.
   * They are also appended to `out.samples` when `keep` (the round design keeps all of them).
   */
  async sampleFor(ms: number, minBatches: number, maxBatches: number, keep = true): Promise<number[]> {
    if (this.failed || this.mode !== 'run') return [];
    const k = this.out.batch;
    const budget = ms * 1e6;
    const costs: number[] = [];
    // The speed reference is for the round design's windows (kept samples); the A/B worker's
    // slices cancel spells by alternation and do not pay for it.
    const reference = keep && this.cfg.reference !== false && this.clock.kind !== 'instructions' && !this.overridden;
    const checkEvery = REFERENCE_EVERY_MS * 1e6;
    if (reference) this.refChecks.push(speed.check(this.clock));
    const totals0 = keep ? this.clock.totals?.() : undefined;
    const t0 = this.wallNow();
    let lastCheck = t0;
    let elapsed = 0;
    const scavenge = this.clock.kind === 'instructions' && k === 1 ? minorGc() : undefined;
    try {
      for (;;) {
        scavenge?.();
        const { cost } = await this.sample(k);
        costs.push(cost / k);
        this.out.calls += k;
        const now = this.wallNow();
        elapsed = now - t0;
        if (reference && now - lastCheck >= checkEvery) {
          this.refChecks.push(speed.check(this.clock));
          lastCheck = this.wallNow();
        }
        if (costs.length >= maxBatches) break;
        if (elapsed >= budget && costs.length >= minBatches) break;
        if (elapsed >= 10 * budget) break;
      }
    } catch (e) {
      await this.fail(e);
    }
    if (reference && costs.length) this.refChecks.push(speed.check(this.clock));
    const totals1 = totals0 && this.clock.totals?.();
    if (totals0 && totals1) {
      this.counted.instructions += totals1.instructions - totals0.instructions;
      this.counted.cycles += totals1.cycles - totals0.cycles;
    }
    this.out.samplingMs = (this.out.samplingMs ?? 0) + elapsed / 1e6;
    if (keep) for (const c of costs) this.out.samples.push(c);
    return costs;
  }

  /** The untimed leak probe: four quarters of equal call counts, a heap checkpoint around each. */
  async leakProbe(): Promise<void> {
    if (this.failed || this.mode !== 'run') return;
    const { cfg, out, wallNow } = this;
    const c0 = cfg.heapCheckpoints ? heapAfterGc() : undefined;
    if (c0 === undefined) return;
    try {
      const k = out.batch;
      const checkpoints = [c0];
      const quarterNs = ((cfg.leakProbeMs ?? leakProbeDefaultMs(cfg.taskTimeMs)) * 1e6) / 4;
      const perSample = ((out.samplingMs ?? 0) * 1e6) / Math.max(1, out.samples.length);
      const samplesPerQuarter = Math.max(1, Math.min(100_000, Math.round(quarterNs / Math.max(perSample, 1))));
      let probeCalls = 0;
      for (let q = 0; q < 4; q++) {
        const q0 = wallNow();
        for (let i = 0; i < samplesPerQuarter; i++) {
          await this.sample(k, false);
          probeCalls += k;
          if (wallNow() - q0 >= 4 * quarterNs) break;
        }
        checkpoints.push(heapAfterGc() as number);
      }
      out.heapCheckpoints = checkpoints;
      out.leakInRound = inRoundLeak(checkpoints);
      out.leakProbeCalls = probeCalls;
      this.probeGrowth = Math.max(0, checkpoints[checkpoints.length - 1] - c0);
    } catch (e) {
      await this.fail(e);
    }
  }

  /** Ends the run phase (afterAll, teardown); the output with its median and retained heap. */
  async close(): Promise<TaskOutput> {
    const { spec, out } = this;
    if (this.closed) return out;
    this.closed = true;
    if (!this.failed) {
      try {
        if (this.beforeAllDone && spec.afterAll) {
          this.beforeAllDone = false;
          await maybeAwait(spec.afterAll.call(spec.self, this.mode));
        }
        if (this.setupDone && spec.teardown) {
          const phase = this.setupDone;
          this.setupDone = null;
          await maybeAwait(spec.teardown(spec.self, phase));
        }
      } catch (e) {
        await this.fail(e);
      }
    }
    out.median = out.samples.length ? median(out.samples) : 0;
    // Estimated cycles per call: the median count scaled by the estimated cycles per instruction
    // of the same timed windows (their totals include the clock's own small overhead per batch).
    if (out.samples.length && this.counted.instructions > 0 && this.counted.cycles > 0) {
      out.estimatedCycles = out.median * (this.counted.cycles / this.counted.instructions);
    }
    const checks = this.refChecks.filter((c) => c > 0);
    if (checks.length) {
      out.reference = median(checks);
      out.referenceChecks = checks.length;
      out.referenceSlow = slowChecks(checks, speed.fastest);
    }
    const after = this.before === undefined ? undefined : heapAfterGc();
    if (this.before !== undefined && after !== undefined) {
      out.heapAfterBytes = after - this.probeGrowth;
      out.heapRetainedBytes = out.heapAfterBytes - this.before;
    }
    return out;
  }
}

/** Measures one task (the round design). Never throws: a failure of the task or its hooks ends up in `error`. */
export async function measureTask(spec: TaskSpec, clock: ClockSource, wallNow: WallNow, cfg: SamplerConfig): Promise<TaskOutput> {
  const session = new TaskSession(spec, clock, wallNow, cfg);
  if (await session.warm()) {
    const sw0 = cfg.switches?.();
    await session.sampleFor(cfg.taskTimeMs, cfg.minSamples, cfg.maxSamples);
    const sw1 = cfg.switches?.();
    if (sw0 !== undefined && sw1 !== undefined) session.out.involuntarySwitches = Math.max(0, sw1 - sw0);
    await session.leakProbe();
  }
  return session.close();
}

/** Resolution (smallest step) and per-read overhead of a continuous clock, in its unit. */
export function clockCharacter(read: () => number, wallNow: WallNow): { resolution: number; overhead: number } {
  for (let i = 0; i < 1000; i++) read(); // warm the call path
  let resolution = Infinity;
  for (let trial = 0; trial < 50; trial++) {
    const a = read();
    let b = read();
    const w0 = wallNow();
    while (b === a && wallNow() - w0 < 20e6) b = read();
    if (b > a) resolution = Math.min(resolution, b - a);
  }
  const deltas: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = read();
    for (let j = 0; j < 9; j++) read();
    deltas.push((read() - t) / 10);
  }
  const overhead = sorted(deltas)[Math.floor(deltas.length / 2)];
  return { resolution: Number.isFinite(resolution) ? resolution : 1, overhead: Math.max(0, overhead) };
}
