// The instructions clock under valgrind (callgrind): docs/instructions-clock.md.
//
// `clock: instructions` counts hardware instructions through perf_event_open where the kernel
// allows it (the native probe). Where it does not (most cloud VMs), each suite process starts
// under `valgrind --tool=callgrind` instead, with V8 in a deterministic mode, and counting is
// switched on only around the measured calls with valgrind client requests issued from the
// native probe (native/src/valgrind.rs):
//
//   parent (runner.ts)  valgrind --tool=callgrind --instr-atstart=no --collect-atstart=yes
//                         --callgrind-out-file=<round dir>/callgrind.out ... node <V8 flags> harness
//   child (harness.ts)  makes the clock: CALLGRIND_START_INSTRUMENTATION once (the suite is loaded:
//                       node's startup and the imports ran at the speed of valgrind's core, not
//                       instrumented, and are never counted);
//                       start(): CALLGRIND_ZERO_STATS;
//                       stop():  CALLGRIND_DUMP_STATS, which writes <out>.<n> (n = 1, 2, ...);
//                       its `totals:` line is the batch's count, every thread's instructions
//                       (collection is on in every thread; the costs of all threads are kept
//                       together, so the zero and the dump cover them all).
//
// Which source: PERFGATE_INSTRUCTIONS=perf|callgrind forces one; otherwise perf where the
// hardware counters work and callgrind elsewhere on Linux. Errors name the fix (install valgrind,
// or `clock: wall`).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync, rmSync } from 'node:fs';
import { machine } from 'node:os';
import path from 'node:path';
import type { CallgrindControl } from '../../native/index.js';
import { probe } from '../../native/index.js';
import type { HarnessConfig } from './protocol.ts';
import type { ClockSource } from './sampler.ts';

/**
 * V8 in a deterministic mode (measured, docs/instructions-clock.md): `--single-threaded` (no
 * concurrent compiler, marker or sweeper threads, whose work and timing varied the count by up
 * to 10%), `--predictable` (no time-based heuristics), `--predictable-gc-schedule` (the heap's
 * growth and the young generation's size fixed, not sized from GC speeds measured in wall time:
 * without it config parse in TypeScript read 29.1 M and 33.2 M instructions a call in two rounds
 * on a busy machine, 14%; with it 0.40% over three), fixed hash and Math.random seeds (hash
 * tables and random inputs are the same in every process).
 */
export const V8_DETERMINISTIC_FLAGS: readonly string[] = ['--single-threaded', '--predictable', '--predictable-gc-schedule', '--hash-seed=1', '--random-seed=1'];

/** Environment variable naming the dump file base in the child (set by the parent). */
export const CALLGRIND_OUT_ENV = 'PERFGATE_CALLGRIND_OUT';

/** Environment variable forcing the instructions source: `perf` or `callgrind` (default: auto). */
export const INSTRUCTIONS_SOURCE_ENV = 'PERFGATE_INSTRUCTIONS';

export type InstructionsPlan =
  | { source: 'perf' }
  | { source: 'callgrind'; valgrind: string }
  | { source: 'none'; error: string };

/** The executable `name` on `PATH` (a PATH-style list), or undefined. */
export function findOnPath(name: string, pathList = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathList.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface PlanInput {
  platform?: NodeJS.Platform;
  /** PATH to look for valgrind on. */
  pathList?: string;
  /** PERFGATE_INSTRUCTIONS. */
  force?: string;
  /** The hardware counter's status (probe.instructions()). */
  hardware?: { available: true } | { available: false; reason: string };
  /** Whether the native probe (which issues the client requests) is loaded. */
  nativeProbe?: boolean;
}

const WALL_FIX = 'use `clock: wall` (CLI: --clock wall)';

/**
 * How `clock: instructions` counts here: hardware counters (perf) first, callgrind where they are
 * unavailable, or the reason neither works with the fix.
 */
export function planInstructions(input: PlanInput = {}): InstructionsPlan {
  const platform = input.platform ?? process.platform;
  const force = (input.force ?? process.env[INSTRUCTIONS_SOURCE_ENV] ?? '').trim().toLowerCase();
  if (force && force !== 'perf' && force !== 'callgrind' && force !== 'auto') {
    return { source: 'none', error: `${INSTRUCTIONS_SOURCE_ENV}=${force} is not a source of instruction counts: use perf, callgrind or auto` };
  }
  const hardware = input.hardware ?? probe.instructions();
  if (force === 'perf' || ((force === '' || force === 'auto') && hardware.available)) {
    return hardware.available ? { source: 'perf' } : { source: 'none', error: `clock instructions: hardware instruction counters are unavailable here (${hardware.reason}); unset ${INSTRUCTIONS_SOURCE_ENV}=perf to count under valgrind instead, or ${WALL_FIX}` };
  }
  const why = hardware.available ? `${INSTRUCTIONS_SOURCE_ENV}=callgrind` : `hardware instruction counters are unavailable here (${hardware.reason})`;
  if (platform !== 'linux') {
    return { source: 'none', error: `clock instructions: ${why}, and counting under valgrind (callgrind) is supported on Linux only, not ${platform}: ${WALL_FIX}` };
  }
  const valgrind = findOnPath('valgrind', input.pathList ?? process.env.PATH ?? '');
  if (!valgrind) {
    return {
      source: 'none',
      error: `clock instructions: ${why}, and valgrind, which counts them instead, is not installed (no valgrind on PATH). Install it (\`sudo apt-get install valgrind\` on Debian/Ubuntu) or ${WALL_FIX}`,
    };
  }
  if (!(input.nativeProbe ?? probe.kind === 'native')) {
    return { source: 'none', error: `clock instructions under valgrind needs perfgate's native probe (it issues the client requests that switch counting on and off), which did not load: build it with \`npm run build:native\` (needs Rust/cargo), or ${WALL_FIX}` };
  }
  return { source: 'callgrind', valgrind };
}

let cachedPlan: InstructionsPlan | undefined;

/** planInstructions() once per process (environment as it was at the first call). */
export function instructionsPlan(): InstructionsPlan {
  cachedPlan ??= planInstructions();
  return cachedPlan;
}

/** `valgrind --version` of the given executable, or undefined when it does not run. */
export function valgrindVersion(valgrind: string): string | undefined {
  const r = spawnSync(valgrind, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * The valgrind command line that runs `command` under callgrind with counting off until the
 * harness switches it on: `--instr-atstart=no` (node's start-up and the suite's imports run
 * uninstrumented, several times faster; the harness starts instrumentation once the suite is
 * loaded, before the first warmup, so the JIT's code is instrumented when counted),
 * `--collect-atstart=yes` (every thread collects once instrumentation is on, so the threads the
 * measured code starts count too; start() zeroes the costs and stop() dumps them, so only what
 * ran in between is read), no per-line or per-instruction
 * data in the dumps (only their totals are read), and `--cache-sim=yes` for estimated cycles.
 */
export function callgrindArgs(outFile: string, opts: { cacheSim?: boolean } = {}): string[] {
  return [
    '--tool=callgrind',
    '--instr-atstart=no',
    '--collect-atstart=yes',
    `--callgrind-out-file=${outFile}`,
    '--dump-line=no',
    '--dump-instr=no',
    `--cache-sim=${opts.cacheSim ? 'yes' : 'no'}`,
    '--quiet',
  ];
}

export interface CallgrindCounts {
  /** Event name → count (Ir, and with the cache simulation I1mr, ILmr, Dr, D1mr, DLmr, Dw, D1mw, DLmw). */
  events: Record<string, number>;
}

/** The `events:` and `totals:` (or `summary:`) lines of a callgrind dump. */
export function parseCallgrindDump(text: string, file = 'callgrind dump'): CallgrindCounts {
  const names = /^events:\s*(.+)$/m.exec(text)?.[1]?.trim().split(/\s+/);
  const totals = (/^totals:\s*(.*)$/m.exec(text) ?? /^summary:\s*(.*)$/m.exec(text))?.[1]?.trim();
  if (!names || totals === undefined) throw new Error(`${file} has no events:/totals: lines (not a callgrind dump?)`);
  const values = totals === '' ? [] : totals.split(/\s+/).map(Number);
  const events: Record<string, number> = {};
  names.forEach((n, i) => {
    const v = values[i] ?? 0; // callgrind leaves trailing zeros out
    if (!Number.isFinite(v)) throw new Error(`${file}: totals value ${values[i]} of ${n} is not a number`);
    events[n] = v;
  });
  return { events };
}

/**
 * Estimated cycles from callgrind's cache simulation, KCachegrind's cycle estimation restricted
 * to the cache events: Ir + 10 × (I1mr + D1mr + D1mw) + 100 × (ILmr + DLmr + DLmw). An L1 miss
 * costs about 10 cycles, a last-level miss about 100 more. Undefined without the cache events.
 */
export function estimatedCycles(events: Record<string, number>): number | undefined {
  const need = ['Ir', 'I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw'];
  if (!need.every((n) => typeof events[n] === 'number')) return undefined;
  const e = (n: string): number => events[n];
  return e('Ir') + 10 * (e('I1mr') + e('D1mr') + e('D1mw')) + 100 * (e('ILmr') + e('DLmr') + e('DLmw'));
}

/**
 * The child's side: a ClockSource counting instructions with callgrind. Starts instrumentation,
 * then measures the cost of an empty start()/stop() pair (the overhead the sampler subtracts).
 * Throws, naming the fix, when the process does not run under callgrind.
 */
export function callgrindClock(outFile: string, control: CallgrindControl = probe.callgrind()): ClockSource {
  if (!control.available) {
    throw new Error(`clock instructions (callgrind): ${control.reason}; the parent starts the suite under valgrind when ${CALLGRIND_OUT_ENV} is set`);
  }
  control.instrument(true);
  let dumps = 0;
  const totals = { instructions: 0, cycles: 0 };
  const read = (): number => {
    dumps++;
    const file = `${outFile}.${dumps}`;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`callgrind dump ${file} is missing (${(e as Error).message}): is the process running under valgrind --tool=callgrind with --callgrind-out-file=${outFile}?`);
    }
    rmSync(file, { force: true });
    const { events } = parseCallgrindDump(text, file);
    const ir = events.Ir ?? 0;
    virtualNs += ir * VIRTUAL_NS_PER_INSTRUCTION;
    totals.instructions += ir;
    totals.cycles += estimatedCycles(events) ?? 0;
    return ir;
  };
  const start = (): number => {
    control.collect();
    return 0;
  };
  const stop = (_token: number): number => {
    control.dump();
    return read();
  };
  const overheads: number[] = [];
  for (let i = 0; i < 9; i++) overheads.push(stop(start()));
  overheads.sort((a, b) => a - b);
  return { kind: 'instructions', start, stop, resolution: 1, overhead: overheads[4], totals: () => ({ ...totals }) };
}

/**
 * The sampler's budgets (batch size, warmup, sampling, leak probe) are wall time. Under callgrind
 * the code runs ~50× slower, and slower still when the machine is busy, so the wall clock would
 * make the number of calls before and while counting vary between processes, and with it what
 * V8 has optimized by then (measured: a task whose warmup got 13 calls instead of 22-36 counted
 * 5,361 instead of 4,923 instructions a call). Under callgrind the harness gives the sampler a
 * virtual wall clock instead (`virtualNow`): counted instructions at VIRTUAL_NS_PER_INSTRUCTION
 * each, plus VIRTUAL_NS_PER_READING per reading (so a loop reading it always ends). Every budget
 * then depends on counts alone, and the whole sequence of calls is the same in every process.
 */
export const VIRTUAL_NS_PER_INSTRUCTION = 1;
export const VIRTUAL_NS_PER_READING = 100;
/**
 * Shortest sample under callgrind, virtual ns (1 ms = 1,000,000 instructions): each sample ends
 * with a dump (a file written and read), so a batch of calls should be long next to it.
 */
export const CALLGRIND_MIN_SAMPLE_NS = 1_000_000;

let virtualNs = 0;

/** The virtual wall clock under callgrind, ns (see VIRTUAL_NS_PER_INSTRUCTION). */
export function virtualNow(): number {
  virtualNs += VIRTUAL_NS_PER_READING;
  return virtualNs;
}

/** Environment variable switching callgrind's cache simulation (estimated cycles) off: `no`. */
export const CACHE_SIM_ENV = 'PERFGATE_CACHE_SIM';

/**
 * Whether callgrind simulates the caches (estimated cycles; measured here to make the retry suite's
 * two rounds take 97–129 s instead of 61–64 s): yes unless PERFGATE_CACHE_SIM says no.
 */
export function cacheSimulation(value = process.env[CACHE_SIM_ENV]): boolean | { error: string } {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'yes' || v === '1' || v === 'true') return true;
  if (v === 'no' || v === '0' || v === 'false') return false;
  return { error: `${CACHE_SIM_ENV}=${value} is not yes or no: set it to no to skip callgrind's cache simulation (no estimated cycles, about 1.5–2× faster), or unset it` };
}

const noAslrByPath = new Map<string, string[]>();

/**
 * `setarch <machine> -R`: starts a command with address space randomization off
 * (ADDR_NO_RANDOMIZE), where util-linux's setarch is on PATH and the kernel lets it set the
 * personality; otherwise nothing. Config parse in TypeScript read 28.79–28.92 M instructions a
 * call over four processes with randomization and 28.78–28.82 M without it (4 rounds each, side by
 * side; code that hashes or compares addresses is the plausible reason, not shown).
 * iai-callgrind turns it off likewise.
 */
export function noAslrPrefix(pathList = process.env.PATH ?? ''): string[] {
  const known = noAslrByPath.get(pathList);
  if (known) return known;
  let prefix: string[] = [];
  const setarch = process.platform === 'linux' ? findOnPath('setarch', pathList) : undefined;
  if (setarch) {
    const args = [machine(), '-R'];
    if (spawnSync(setarch, [...args, 'true'], { stdio: 'ignore' }).status === 0) prefix = [setarch, ...args];
  }
  noAslrByPath.set(pathList, prefix);
  return prefix;
}

/** What runner.ts changes for one suite process: a command prefix, V8 flags, environment, harness settings. */
export interface ClockLaunch {
  /** Goes before `node` (the valgrind command line), or empty. */
  prefix: string[];
  nodeFlags: string[];
  env: Record<string, string>;
  config: Partial<Pick<HarnessConfig, 'minSampleNs'>>;
}

/**
 * How to start a suite process measuring on `clock` with its files in `dir`: unchanged except for
 * `instructions` counted by callgrind; `{ error }` when the clock cannot work here.
 */
export function clockLaunch(clock: string, dir: string): ClockLaunch | { error: string } {
  const none: ClockLaunch = { prefix: [], nodeFlags: [], env: {}, config: {} };
  if (clock !== 'instructions') return none;
  const plan = instructionsPlan();
  if (plan.source === 'none') return { error: plan.error };
  if (plan.source === 'perf') return none;
  const cacheSim = cacheSimulation();
  if (typeof cacheSim === 'object') return cacheSim;
  const outFile = path.join(dir, 'callgrind.out');
  return {
    prefix: [...noAslrPrefix(), plan.valgrind, ...callgrindArgs(outFile, { cacheSim })],
    nodeFlags: [...V8_DETERMINISTIC_FLAGS],
    env: { [CALLGRIND_OUT_ENV]: outFile },
    config: { minSampleNs: CALLGRIND_MIN_SAMPLE_NS },
  };
}
