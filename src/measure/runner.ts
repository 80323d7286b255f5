// The parent side of measuring: one fresh Node process per round of a suite (the child harness,
// harness.ts), rounds collected into perfgate/results@1.
//
// Isolation. Every round of every suite is its own process started with --expose-gc, so JIT and
// GC state never leak between suites or rounds ("GC between rounds" is implicit). Within a round
// the suite order is shuffled, so a slow suite never always follows the same neighbour.
// Pinning. Off by default: the scheduler places the child. PERFGATE_CPU=<n> pins every child to
// core n with `taskset` (Linux), PERFGATE_CPU=auto to the highest-numbered core this process may
// use (core 0 usually takes more interrupts); without taskset it is skipped silently. Measured on
// a busy 2-core runner (6 alternating rounds pinned/unpinned per session, 3-4 sessions): a pinned
// child cannot leave a core that another process keeps busy (two perfgate runs pin to the same
// core), so whole sessions came out 2-3× slow with a small CV: a bias no spread shows. The medians
// of the yaml-based config task over sessions spread 3.4× pinned against 1.27× unpinned, and
// pinning serialises the Rust scanner's threads (29-37% slower on the idle box). On an idle
// machine pinning narrowed the spread of some tasks, hence the opt-in.
// TypeScript suites. In order: the project's own tsx (resolved from <cwd>/package.json, passed as
// `--import`), Node's built-in type stripping (Node ≥ 22.18 / ≥ 23.6: erasable syntax and
// explicit `.ts` import extensions only), perfgate's own tsx; else a clear error. The project's
// tsx comes first because it also runs suites that import extensionless paths or use enums.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { machineInfo } from '../machine.ts';
import {
  type Benchmark,
  type Load,
  type Machine,
  MAX_SAMPLES,
  RESULTS_SCHEMA,
  type Results,
  describeIssues,
  directionSchema,
  loadSchema,
  slaSchema,
} from '../schema/results.ts';
import { VERSION } from '../version.ts';
import { clockLaunch } from './callgrind.ts';
import { discoverSuites } from './discover.ts';
import { SUITE_TASK, benchmarkId, suiteNameFromFile } from './names.ts';
import type { HarnessConfig, HarnessOutput, MeasureClock, TaskOutput } from './protocol.ts';
import { shuffle, summarize } from '../stats/index.ts';
import { median, spearmanWithIndex, theilSenSlope, thin } from './stats.ts';

export interface RoundOptions {
  cwd: string;
  clock: MeasureClock;
  /** Seconds the process may run before its process group is killed. */
  timeoutSec: number;
  /** Extra environment for the suite process (e.g. PERFGATE_INJECT). */
  env?: Record<string, string>;
  /** Sampling budget per task per round, ms (default 200). */
  taskTimeMs?: number;
  /** Shortest warmup per task, ms (default min(100, taskTimeMs / 2)). */
  warmupMs?: number;
  /** Longest (adaptive) warmup per task, ms (default max(warmupMs, min(1000, 5 × taskTimeMs))). */
  warmupMaxMs?: number;
  /**
   * Pin the child to one core with taskset (see the header): false never; true to PERFGATE_CPU's
   * core, else the highest allowed core; unset (default) only when PERFGATE_CPU names a core.
   */
  pin?: boolean;
  /** Extra Node/V8 flags for the child, before the harness. */
  nodeFlags?: string[];
}

export interface RoundResult {
  /** The suite file as given (relative to cwd, or absolute). */
  suiteFile: string;
  /** Suite name the child reported (perfgate.suite ?? base name); the base name when it did not report. */
  suite: string;
  tasks: TaskOutput[];
  /** The suite module's raw `perfgate` export. */
  meta?: unknown;
  /** Set when the round failed as a whole: load error, crash, signal, timeout, unavailable clock. */
  error?: string;
  exitCode?: number | null;
  signal?: string | null;
  timedOut?: boolean;
  /** Wall time of the child process as seen by the parent, ms. */
  wallMs: number;
  rusage?: HarnessOutput['rusage'];
  probe?: string;
  clockResolution?: number;
  clockOverhead?: number;
}

export interface MeasureOptions {
  cwd: string;
  /** Glob patterns or paths of suite files, relative to cwd. */
  suites: string[];
  rounds: number;
  clock: MeasureClock;
  /** Seconds one suite process may run. */
  suiteTimeout: number;
  /** Seconds for the whole measurement: no new round starts after it (two rounds always run). */
  timeBudget?: number;
  env?: Record<string, string>;
  /** `index`/`suites`: the suite's position in this round's (shuffled) order, and how many there are. */
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number; index?: number; suites?: number }) => void;
  /** Notes worth showing the user (time budget reached, metadata for unknown tasks, ...). */
  log?: (message: string) => void;
  commit?: string;
  ref?: string;
  /** Sampling budget per task per round, ms (default 200). */
  taskTimeMs?: number;
  /** Pin the suite processes to one core (see RoundOptions.pin; default: only with PERFGATE_CPU). */
  pin?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Child process plumbing

/** The harness to run: dist/harness.js next to the bundle, or src/measure/harness.ts from source. */
export function harnessPath(): string {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  return here.endsWith('.ts') ? path.join(dir, 'harness.ts') : path.join(dir, 'harness.js');
}

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;

function nodeStripsTypes(version = process.versions.node): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
}

function tryResolve(from: string, id: string): string | undefined {
  try {
    return createRequire(from).resolve(id);
  } catch {
    return undefined;
  }
}

/**
 * Node arguments that let the child load `harness` and `suiteFile` (TypeScript loader), or an
 * Error message when a TypeScript file cannot run here.
 */
export function loaderArgs(cwd: string, suiteFile: string, harness = harnessPath()): { args: string[] } | { error: string } {
  const needTs = TS_FILE.test(suiteFile) || TS_FILE.test(harness);
  if (!needTs) return { args: [] };
  const userTsx = tryResolve(path.join(cwd, 'package.json'), 'tsx');
  if (userTsx) return { args: ['--import', pathToFileURL(userTsx).href] };
  if (nodeStripsTypes()) return { args: [] };
  const ownTsx = tryResolve(fileURLToPath(import.meta.url), 'tsx');
  if (ownTsx) return { args: ['--import', pathToFileURL(ownTsx).href] };
  const what = TS_FILE.test(suiteFile) ? `TypeScript suite ${suiteFile}` : `perfgate's harness from source (${harness})`;
  return { error: `cannot run ${what} on Node ${process.versions.node}: install tsx (npm i -D tsx) or use Node ≥ 22.18` };
}

const tasksetWorks = new Map<number, boolean>();

/** The cores this process may run on (Linux /proc/self/status), or [] when unknown. */
export function allowedCores(): number[] {
  try {
    const list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
    return list
      .split(',')
      .flatMap((part) => {
        const [a, b] = part.split('-').map(Number);
        return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
      })
      .filter((n) => Number.isInteger(n));
  } catch {
    return [];
  }
}

/**
 * The core to pin children to, or null (the default: no pinning; not Linux; no taskset;
 * PERFGATE_CPU=none). PERFGATE_CPU=<n> names the core, PERFGATE_CPU=auto (or `force`, from
 * `pin: true`) takes the highest allowed one.
 */
export function pinCore(force = false): number | null {
  const env = process.env.PERFGATE_CPU?.trim().toLowerCase();
  if (process.platform !== 'linux' || env === 'none' || env === 'off' || env === 'false') return null;
  let core: number | undefined;
  if (env && /^\d+$/.test(env)) core = Number(env);
  else if (env === 'auto' || force) {
    const cores = allowedCores();
    core = cores.length ? Math.max(...cores) : undefined;
  }
  if (core === undefined) return null;
  let ok = tasksetWorks.get(core);
  if (ok === undefined) {
    ok = spawnSync('taskset', ['-c', String(core), 'true'], { stdio: 'ignore' }).status === 0;
    tasksetWorks.set(core, ok);
  }
  return ok ? core : null;
}

/**
 * The live suite processes, and whether the cleanup below is installed: one of each per process,
 * kept on globalThis, so that several copies of this module (a bundle beside the sources, or a
 * test runner that loads it once per test file) share them and install one set of listeners.
 */
const shared = ((globalThis as { [k: symbol]: unknown })[Symbol.for('perfgate.runner.children')] ??= { live: new Set<ChildProcess>(), cleanupInstalled: false }) as {
  live: Set<ChildProcess>;
  cleanupInstalled: boolean;
};
const live = shared.live;

/**
 * Children run in their own process group (so a timeout kills everything a suite started), which
 * also means Ctrl-C does not reach them: on exit, SIGINT and SIGTERM, kill the live groups; then,
 * when nobody else handles the signal, re-raise it so the default (terminate) still happens.
 */
function installCleanup(): void {
  if (shared.cleanupInstalled) return;
  shared.cleanupInstalled = true;
  process.once('exit', () => {
    for (const c of live) killGroup(c);
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      for (const c of live) killGroup(c);
      process.removeListener(sig, onSignal);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill('SIGKILL');
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function tail(text: string, lines = 12): string {
  return text.replace(/\s+$/, '').split('\n').slice(-lines).join('\n');
}

class Tail {
  text = '';
  push(chunk: Buffer): void {
    this.text += chunk.toString('utf8');
    if (this.text.length > 16_384) this.text = this.text.slice(-8_192);
  }
}

const primed = new Set<string>();

/**
 * Before a suite's first round under the instructions clock: imports it once in a plain node
 * process (the same loader, PERFGATE_CLOCK=instructions, PERFGATE_MODE=run), then exits. The TypeScript loader (tsx)
 * caches what it compiled on disk; a round whose import compiled the suite made and dropped more
 * objects before counting began, and its heap then met GC at other calls: scan corpus in
 * TypeScript read 108.9 M instructions a call in the first round after tsx's cache was emptied and
 * 93.2 M in the second (the other rounds of earlier runs: 93.1 M). A suite that generates data at
 * import (the corpus) does so here too. Failures are left to the round, which reports them.
 */
export async function primeSuite(cwd: string, abs: string, loaderArgs: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<boolean> {
  const key = `${cwd}\u0000${abs}`;
  if (primed.has(key)) return true;
  primed.add(key);
  installCleanup();
  const script = `import(${JSON.stringify(pathToFileURL(abs).href)}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...loaderArgs, '--input-type=module', '-e', script], {
      cwd,
      env: { ...env, PERFGATE_HARNESS: '1', PERFGATE_CLOCK: 'instructions', PERFGATE_MODE: 'run' },
      stdio: 'ignore',
      detached: process.platform !== 'win32',
    });
    live.add(child);
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      live.delete(child);
      killGroup(child);
      resolve(ok);
    };
    child.on('error', () => done(false));
    child.on('exit', (code) => done(code === 0));
  });
}

/** Runs one round of one suite in a fresh process. Never throws: failures are in `error`. */
export async function runSuiteRound(suiteFile: string, opts: RoundOptions): Promise<RoundResult> {
  const abs = path.resolve(opts.cwd, suiteFile);
  const base: RoundResult = { suiteFile, suite: suiteNameFromFile(suiteFile), tasks: [], wallMs: 0 };
  const harness = harnessPath();
  const loader = loaderArgs(opts.cwd, abs, harness);
  if ('error' in loader) return { ...base, error: loader.error };
  if (!existsSync(harness)) return { ...base, error: `perfgate's harness is missing at ${harness} (a broken install?)` };

  const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-round-'));
  // clock instructions without hardware counters: the process runs under callgrind (callgrind.ts).
  const launch = clockLaunch(opts.clock, dir);
  if ('error' in launch) {
    rmSync(dir, { recursive: true, force: true });
    return { ...base, error: launch.error };
  }
  if (opts.clock === 'instructions') await primeSuite(opts.cwd, abs, loader.args, { ...process.env, ...opts.env });
  const outFile = path.join(dir, 'out.json');
  const cfg: HarnessConfig = {
    suiteFile: abs,
    outFile,
    clock: opts.clock,
    taskTimeMs: opts.taskTimeMs,
    warmupMs: opts.warmupMs,
    warmupMaxMs: opts.warmupMaxMs,
    deadlineMs: opts.timeoutSec * 1000 + 5000,
  };
  Object.assign(cfg, launch.config);
  const nodeArgs = [...loader.args, '--expose-gc', ...launch.nodeFlags, ...(opts.nodeFlags ?? []), harness, JSON.stringify(cfg)];
  const core = opts.pin === false ? null : pinCore(opts.pin === true);
  const command = [...launch.prefix, process.execPath, ...nodeArgs];
  const [cmd, argv] = core === null ? [command[0], command.slice(1)] : ['taskset', ['-c', String(core), ...command]];

  installCleanup();

  const started = performance.now();
  const stderr = new Tail();
  const stdout = new Tail();
  let timedOut = false;
  const { code, signal, spawnError } = await new Promise<{ code: number | null; signal: string | null; spawnError?: Error }>((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(cmd, argv as string[], {
        cwd: opts.cwd,
        env: { ...process.env, ...opts.env, ...launch.env, PERFGATE_HARNESS: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (e) {
      resolve({ code: null, signal: null, spawnError: e as Error });
      return;
    }
    live.add(child);
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, opts.timeoutSec * 1000);
    let settled = false;
    const finish = (r: { code: number | null; signal: string | null; spawnError?: Error }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      live.delete(child);
      resolve(r);
    };
    child.on('error', (e) => finish({ code: null, signal: null, spawnError: e }));
    child.on('exit', (c, s) => {
      // Leftover grandchildren of the suite (servers it spawned) go with the round.
      killGroup(child);
      // Give the pipes a moment to drain, then settle even if something still holds them.
      const t = setTimeout(() => finish({ code: c, signal: s }), 500);
      child.once('close', () => {
        clearTimeout(t);
        finish({ code: c, signal: s });
      });
    });
  });
  const wallMs = performance.now() - started;

  let output: HarnessOutput | undefined;
  try {
    if (existsSync(outFile)) output = JSON.parse(readFileSync(outFile, 'utf8')) as HarnessOutput;
  } catch {
    output = undefined;
  }
  rmSync(dir, { recursive: true, force: true });

  const stderrTail = tail(stderr.text) || tail(stdout.text);
  const lastLines = stderrTail ? `\nLast lines of its output:\n${stderrTail}` : '';
  if (spawnError) return { ...base, wallMs, error: `Suite ${suiteFile} could not start: ${spawnError.message}` };
  if (timedOut) {
    return {
      ...base,
      suite: output?.suite ?? base.suite,
      wallMs,
      timedOut: true,
      exitCode: code,
      signal,
      error: `Suite ${suiteFile} did not finish within the suite timeout of ${opts.timeoutSec} s and was killed. Raise suite-timeout or make its tasks shorter.${lastLines}`,
    };
  }
  if (!output) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    return { ...base, wallMs, exitCode: code, signal, error: `Suite ${suiteFile} ${how} before reporting results.${lastLines}` };
  }
  return {
    suiteFile,
    suite: output.suite,
    tasks: output.tasks,
    meta: output.meta,
    error: output.error ? `Suite ${suiteFile}: ${output.error}` : undefined,
    exitCode: code,
    signal,
    wallMs,
    rusage: output.rusage,
    probe: output.probe,
    clockResolution: output.clockResolution,
    clockOverhead: output.clockOverhead,
  };
}

// ---------------------------------------------------------------------------------------------
// Results

/**
 * Per-task metadata: `export const perfgate = { suite?, tasks?: { [task]: TaskMeta } }`. `load`
 * is written by a load task (src/load) when it ends; the harness sends the metadata after the
 * tasks ran, so each round carries its own.
 */
export const taskMetaSchema = z.strictObject({
  group: z.string().min(1).optional(),
  impl: z.string().min(1).optional(),
  sla: z.array(slaSchema).optional(),
  direction: directionSchema.optional(),
  unit: z.string().min(1).optional(),
  load: loadSchema.optional(),
});
export const suiteMetaSchema = z.strictObject({
  suite: z.string().min(1).optional(),
  tasks: z.record(z.string(), taskMetaSchema).optional(),
});
export type SuiteMeta = z.infer<typeof suiteMetaSchema>;

const MIB = 1024 * 1024;

/**
 * Leak suspicion for one benchmark (documented in the README):
 * - in-round: in at least half of the rounds that took heap checkpoints (and at least one), the
 *   heap after GC rose at every checkpoint of the untimed leak probe that follows timed sampling,
 *   by ≥ 1 MiB, still growing in its last quarter (sampler.ts `inRoundLeak`). This is the rule that fires in practice: every round is a
 *   fresh process, so a leak shows as growth with the number of calls inside a round.
 * - across rounds: with ≥ 4 rounds, heapAfterRounds has a positive Theil–Sen slope, Spearman's ρ
 *   with the round index ≥ 1.645/√(n−1) (one-sided 5%), and slope × (n−1) ≥ 1 MiB. Fresh processes
 *   make this rare; it catches state that survives processes, and runners that reuse a process.
 */
export function leakSuspected(inRoundFlags: boolean[], heapAfterRounds: number[]): boolean {
  if (inRoundFlags.length) {
    const hits = inRoundFlags.filter(Boolean).length;
    if (hits >= 1 && hits * 2 >= inRoundFlags.length) return true;
  }
  const n = heapAfterRounds.length;
  if (n >= 4) {
    const slope = theilSenSlope(heapAfterRounds);
    const rho = spearmanWithIndex(heapAfterRounds);
    if (slope > 0 && rho >= 1.645 / Math.sqrt(n - 1) && slope * (n - 1) >= MIB) return true;
  }
  return false;
}

/**
 * Involuntary context switches of the measuring thread per second of sampling above which a run
 * is flagged (a CPU-bound thread alone on its core sees a few per second; a core shared with
 * another busy process, hundreds: the scheduler's slice is a few ms).
 */
export const BUSY_SWITCHES_PER_SEC = 50;
/** CPU steal (percent of all CPU time) above which a run is flagged. */
export const BUSY_STEAL_PERCENT = 5;

/**
 * Cores' worth of CPU time that other processes (not perfgate and the suite processes it started
 * and reaped) used on average while measuring, above which a run is flagged: another CPU-bound
 * process on a 2-core runner shows as about 1.
 */
export const BUSY_OTHER_CORES = 0.5;

export interface CpuTimes {
  steal: number;
  total: number;
  /** Busy ticks of all CPUs (total less idle, iowait and steal). */
  busy?: number;
  /** Ticks used by this process and its reaped children (/proc/self/stat utime+stime+cutime+cstime). */
  own?: number;
  /** CPUs counted in /proc/stat. */
  cpus?: number;
}

/** Aggregate CPU times from /proc/stat and /proc/self/stat (Linux), or undefined elsewhere. */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const line = lines.find((l) => l.startsWith('cpu '));
    if (!line) return undefined;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const total = f.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    const out: CpuTimes = { steal: f[7] ?? 0, total, busy: total - (f[3] ?? 0) - (f[4] ?? 0) - (f[7] ?? 0), cpus: lines.filter((l) => /^cpu\d+ /.test(l)).length };
    try {
      const st = readFileSync('/proc/self/stat', 'utf8');
      const fields = st.slice(st.lastIndexOf(')') + 2).split(' ').map(Number);
      // fields[0] is field 3 (state): utime, stime, cutime, cstime are fields 14-17
      out.own = fields[11] + fields[12] + fields[13] + fields[14];
    } catch {
      // no own times: the other-load figure is left out
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Cores' worth of CPU that other processes used between two readings (see BUSY_OTHER_CORES). */
export function otherCores(before?: CpuTimes, after?: CpuTimes): number | undefined {
  if (!before || !after || before.busy === undefined || after.busy === undefined || before.own === undefined || after.own === undefined || !after.cpus) return undefined;
  const elapsed = (after.total - before.total) / after.cpus;
  if (elapsed <= 0) return undefined;
  const other = after.busy - before.busy - (after.own - before.own);
  return Math.max(0, Math.round((other / elapsed) * 100) / 100);
}

export function stealPercent(before?: CpuTimes, after?: CpuTimes): number | undefined {
  if (!before || !after) return undefined;
  const total = after.total - before.total;
  if (total <= 0) return undefined;
  return Math.round(((after.steal - before.steal) / total) * 10_000) / 100;
}

export interface SuiteRounds {
  /** Suite file as discovered (relative to cwd). */
  file: string;
  /** Its rounds, in round order. */
  rounds: RoundResult[];
}

export interface BuildResultsInput {
  suites: SuiteRounds[];
  clock: MeasureClock;
  startedAt: string;
  finishedAt?: string;
  commit?: string;
  ref?: string;
  machine?: Machine;
  /** CPU times before and after (for stealPercent). */
  cpuBefore?: CpuTimes;
  cpuAfter?: CpuTimes;
  log?: (message: string) => void;
}

/**
 * The load metrics of one benchmark over its rounds (each round is one measured window):
 * `users` from the first round; `durationMs`, `requests` and `errors` summed;
 * `successRate` = (requests − errors) / requests over all rounds (0 without requests);
 * `throughput` and each latency figure (p50, p95, p99, mean) the median of the per-round values,
 * like the per-round medians of timed benchmarks (one slow round does not drag them).
 */
export function aggregateLoad(perRound: readonly Load[]): Load | undefined {
  if (perRound.length === 0) return undefined;
  const sum = (f: (l: Load) => number): number => perRound.reduce((a, l) => a + f(l), 0);
  const mid = (f: (l: Load) => number): number => median(perRound.map(f));
  const requests = sum((l) => l.requests);
  const errors = sum((l) => l.errors);
  return {
    users: perRound[0].users,
    durationMs: sum((l) => l.durationMs),
    requests,
    errors,
    throughput: mid((l) => l.throughput),
    successRate: requests > 0 ? (requests - errors) / requests : 0,
    latencyMs: { p50: mid((l) => l.latencyMs.p50), p95: mid((l) => l.latencyMs.p95), p99: mid((l) => l.latencyMs.p99), mean: mid((l) => l.latencyMs.mean) },
  };
}

function failureText(errors: Array<{ round: number; message: string }>, rounds: number): string {
  const byMessage = new Map<string, number[]>();
  for (const e of errors) byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), e.round]);
  return [...byMessage]
    .slice(0, 3)
    .map(([msg, rs]) => (rs.length === rounds ? msg : `${msg} (round${rs.length > 1 ? 's' : ''} ${rs.join(', ')} of ${rounds})`))
    .join('\n');
}

/**
 * Assembles perfgate/results@1 from rounds (pure apart from reading the machine when not given).
 * Per benchmark: `rounds` = the per-round medians of the rounds where it succeeded (round order);
 * `samples` = all its raw per-op samples of those rounds, thinned evenly to MAX_SAMPLES;
 * `stats` = summary of all raw samples (before thinning); `batch` = median calls per sample;
 * `memory.heapRetainedBytes` = median over rounds, `peakRssBytes` = max over rounds of the suite
 * process's peak RSS, `heapAfterRounds` per round, `leakSuspected` by `leakSuspected()`;
 * `load` = `aggregateLoad()` of the `perfgate.tasks[name].load` each successful round reported;
 * `status` failed when the task failed in any round or its suite failed in any round.
 */
/** SLA metrics read from the per-op timing, which are counts under clock instructions. */
const INSTRUCTIONS_TIMED_SLA: readonly string[] = ['value', 'p95', 'p99', 'throughput'];

export function buildResults(input: BuildResultsInput): Results {
  const benchmarks: Benchmark[] = [];
  const names = input.suites.map((s) => s.rounds.find((r) => !r.error && r.tasks.length)?.suite ?? s.rounds.find((r) => r.tasks.length)?.suite ?? suiteNameFromFile(s.file));
  const dup = new Set(names.filter((n, i) => names.indexOf(n) !== i));
  let switches = 0;
  let samplingMs = 0;
  let sawSwitches = false;

  input.suites.forEach((s, si) => {
    const suite = dup.has(names[si]) ? s.file.replace(/\.bench\.(?:[cm]?[jt]s|tsx|jsx)$/, '').replace(/\.[^./]+$/, '') : names[si];
    const n = s.rounds.length;
    for (const r of s.rounds) {
      for (const t of r.tasks) {
        if (t.involuntarySwitches === undefined || t.samplingMs === undefined) continue;
        sawSwitches = true;
        switches += t.involuntarySwitches;
        samplingMs += t.samplingMs;
      }
    }
    // Each round sends the metadata as it was after its tasks ran: the static fields (group, impl,
    // sla, ...) come from the first round that sent any, the load metrics from every round.
    const roundMeta: Array<SuiteMeta | undefined> = [];
    let meta: SuiteMeta | undefined;
    let metaError: string | undefined;
    for (const r of s.rounds) {
      if (r.meta === undefined) {
        roundMeta.push(undefined);
        continue;
      }
      const parsed = suiteMetaSchema.safeParse(r.meta);
      if (parsed.success) {
        roundMeta.push(parsed.data);
        meta ??= parsed.data;
      } else {
        roundMeta.push(undefined);
        const probs = describeIssues(parsed.error)
          .slice(0, 4)
          .map((p) => `perfgate.${p.path}: ${p.message}`)
          .join('; ');
        metaError ??= `the \`perfgate\` export of ${s.file} is invalid: ${probs}. Expected { suite?: string, tasks?: { [task]: { group?, impl?, sla?, direction?, unit?, load? } } }.`;
      }
    }
    meta ??= {};
    const taskNames: string[] = [];
    for (const r of s.rounds) for (const t of r.tasks) if (!taskNames.includes(t.name)) taskNames.push(t.name);
    for (const metaTask of Object.keys(meta.tasks ?? {})) {
      if (taskNames.length && !taskNames.includes(metaTask)) input.log?.(`${s.file}: perfgate.tasks has "${metaTask}", which is not a task of the suite.`);
    }
    if (taskNames.length === 0) {
      const errors = s.rounds.map((r, i) => ({ round: i + 1, message: r.error ?? `Suite ${s.file} reported no tasks.` }));
      benchmarks.push({
        id: benchmarkId(suite, SUITE_TASK),
        suite,
        name: SUITE_TASK,
        unit: input.clock === 'instructions' ? 'instructions' : 'ns',
        direction: 'lower',
        status: 'failed',
        error: failureText(errors, n) || `Suite ${s.file} did not run.`,
        rounds: [],
        samples: [],
      });
      return;
    }
    for (const name of taskNames) {
      const tm = meta.tasks?.[name] ?? {};
      const errors: Array<{ round: number; message: string }> = [];
      const medians: number[] = [];
      const raw: number[] = [];
      const batches: number[] = [];
      const retained: number[] = [];
      const heapAfter: number[] = [];
      const leakFlags: boolean[] = [];
      const loads: Load[] = [];
      const references: number[] = [];
      const cycles: number[] = [];
      const spells = { checks: 0, slow: 0 };
      let peakRss: number | undefined;
      s.rounds.forEach((r, i) => {
        if (r.rusage) peakRss = Math.max(peakRss ?? 0, r.rusage.maxRssBytes);
        const t = r.tasks.find((x) => x.name === name);
        if (r.error) {
          errors.push({ round: i + 1, message: t?.error && !r.error.includes(t.error) ? `${r.error}: ${t.error}` : r.error });
          return;
        }
        if (!t) {
          errors.push({ round: i + 1, message: `task "${name}" was missing from this round` });
          return;
        }
        if (t.skipped) return;
        if (t.error) {
          errors.push({ round: i + 1, message: t.error });
          return;
        }
        if (!t.samples.length) {
          errors.push({ round: i + 1, message: 'no samples were taken' });
          return;
        }
        medians.push(t.median);
        if (t.reference !== undefined && t.reference > 0) references.push(t.reference);
        if (t.estimatedCycles !== undefined && t.estimatedCycles >= 0) cycles.push(t.estimatedCycles);
        spells.checks += t.referenceChecks ?? 0;
        spells.slow += t.referenceSlow ?? 0;
        for (const v of t.samples) raw.push(v);
        batches.push(t.batch);
        if (t.heapRetainedBytes !== undefined) retained.push(t.heapRetainedBytes);
        if (t.heapAfterBytes !== undefined) heapAfter.push(t.heapAfterBytes);
        if (t.leakInRound !== undefined) leakFlags.push(t.leakInRound);
        const load = roundMeta[i]?.tasks?.[name]?.load;
        if (load) loads.push(load);
      });
      if (metaError) errors.unshift({ round: 0, message: metaError });
      const failed = errors.length > 0;
      const b: Benchmark = {
        id: benchmarkId(suite, name),
        suite,
        name,
        unit: tm.unit ?? (input.clock === 'instructions' ? 'instructions' : 'ns'),
        direction: tm.direction ?? 'lower',
        status: failed ? 'failed' : 'ok',
        rounds: medians,
        samples: thin(raw, MAX_SAMPLES),
      };
      if (failed) b.error = metaError ?? failureText(errors, n);
      if (!failed && references.length === medians.length && medians.length) b.reference = references;
      if (!failed && spells.checks) b.slowSpells = spells;
      if (!failed && cycles.length === medians.length && medians.length) b.estimatedCycles = cycles;
      if (batches.length) b.batch = Math.max(1, Math.round(median(batches)));
      if (raw.length) b.stats = summarize(raw);
      if (retained.length || peakRss !== undefined || heapAfter.length) {
        b.memory = {};
        if (retained.length) b.memory.heapRetainedBytes = median(retained);
        if (peakRss !== undefined) b.memory.peakRssBytes = peakRss;
        if (heapAfter.length) b.memory.heapAfterRounds = heapAfter;
        if (retained.length || heapAfter.length) b.memory.leakSuspected = leakSuspected(leakFlags, heapAfter);
      }
      const load = aggregateLoad(loads);
      if (load) b.load = load;
      if (tm.sla) {
        // Under clock instructions the per-op figures are counts, not ns: an SLA on value, p95,
        // p99 or throughput was written in time and would be read against counts (a 50,000 ns p95
        // "broken" by 50,001 instructions). Those are left out; load and memory targets stay.
        const kept = input.clock === 'instructions' ? tm.sla.filter((x) => !INSTRUCTIONS_TIMED_SLA.includes(x.metric)) : tm.sla;
        if (kept.length < tm.sla.length) input.log?.(`${b.id}: its SLA on ${tm.sla.filter((x) => !kept.includes(x)).map((x) => x.metric).join(', ')} is in time units and is not checked under clock instructions (the values are instruction counts).`);
        if (kept.length) b.sla = kept;
      }
      if (tm.group) b.group = tm.group;
      if (tm.impl) b.impl = tm.impl;
      benchmarks.push(b);
    }
  });

  const results: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: 'perfgate', version: VERSION },
    source: { kind: 'perfgate' },
    startedAt: input.startedAt,
    finishedAt: input.finishedAt ?? new Date().toISOString(),
    clock: input.clock,
    machine: input.machine ?? machineInfo(),
    benchmarks,
  };
  if (input.commit) results.commit = input.commit;
  if (input.ref) results.ref = input.ref;
  const steal = stealPercent(input.cpuBefore, input.cpuAfter);
  const others = otherCores(input.cpuBefore, input.cpuAfter);
  if (sawSwitches || steal !== undefined || others !== undefined) {
    const d: NonNullable<Results['disturbance']> = {};
    const warnings: string[] = [];
    if (sawSwitches) {
      d.involuntaryContextSwitches = switches;
      const perSec = switches / Math.max(samplingMs / 1000, 1e-3);
      if (perSec > BUSY_SWITCHES_PER_SEC && switches >= 20) {
        warnings.push(
          `the measuring thread was preempted ${switches} times in ${(samplingMs / 1000).toFixed(1)} s of sampling (${Math.round(perSec)}/s, above ${BUSY_SWITCHES_PER_SEC}/s): other processes competed for the CPU`,
        );
      }
    }
    if (steal !== undefined) {
      d.stealPercent = steal;
      if (steal > BUSY_STEAL_PERCENT) warnings.push(`${steal}% CPU steal (above ${BUSY_STEAL_PERCENT}%): the VM's host was busy`);
    }
    if (others !== undefined) {
      d.otherCores = others;
      if (others > BUSY_OTHER_CORES) warnings.push(`other processes kept ${others} cores busy on average (above ${BUSY_OTHER_CORES})`);
    }
    if (warnings.length) d.warning = `The machine was disturbed while measuring: ${warnings.join('; ')}. Expect more noise than usual.`;
    results.disturbance = d;
  }
  return results;
}


/**
 * Discovers the suites and runs `rounds` rounds of each, every round of every suite in a fresh
 * process, suite order shuffled per round. Stops starting new rounds once `timeBudget` seconds
 * have passed (two rounds always run). Failed suites and tasks are recorded, never thrown;
 * discovery errors (no suites) are thrown.
 */
export async function measure(opts: MeasureOptions): Promise<Results> {
  const files = await discoverSuites(opts.cwd, opts.suites);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const cpuBefore = readCpuTimes();
  const perFile = new Map<string, RoundResult[]>(files.map((f) => [f, []]));
  for (let round = 0; round < opts.rounds; round++) {
    if (round >= 2 && opts.timeBudget !== undefined && performance.now() - t0 > opts.timeBudget * 1000) {
      opts.log?.(`Time budget of ${opts.timeBudget} s reached after ${round} of ${opts.rounds} rounds; measuring stopped there.`);
      break;
    }
    for (const [k, file] of shuffle(files).entries()) {
      opts.onProgress?.({ suite: file, round: round + 1, rounds: opts.rounds, elapsedMs: performance.now() - t0, index: k + 1, suites: files.length });
      const r = await runSuiteRound(file, {
        cwd: opts.cwd,
        clock: opts.clock,
        timeoutSec: opts.suiteTimeout,
        env: opts.env,
        taskTimeMs: opts.taskTimeMs,
        pin: opts.pin,
      });
      perFile.get(file)?.push(r);
    }
  }
  return buildResults({
    suites: files.map((file) => ({ file, rounds: perFile.get(file) ?? [] })),
    clock: opts.clock,
    startedAt,
    finishedAt: new Date().toISOString(),
    commit: opts.commit,
    ref: opts.ref,
    cpuBefore,
    cpuAfter: readCpuTimes(),
    log: opts.log,
  });
}
