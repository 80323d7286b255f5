// The child harness: one fresh Node process (started with --expose-gc) per round of one suite.
// Usage: node --expose-gc harness.js '<HarnessConfig JSON>'
//
// 1. Before the suite loads, it patches every copy of tinybench the suite can import (found by
//    walking up node_modules from the suite's folder and from cwd): `Bench#add` records each
//    task's function and options, and `Bench#run` / `Bench#runSync` become no-ops that return the
//    tasks, so a suite that still ends with `await bench.run()` (and prints a table) does not
//    measure twice. PERFGATE_HARNESS=1 is set for suites that want to skip their own reporting.
// 2. It imports the suite and takes `export default` (a Bench, an array of them, or a function
//    returning either or a promise of either); without a default export, the Bench instances the
//    module filled with tasks. The named export `perfgate` (metadata) is passed to the parent:
//    its `suite` name is read right after the import; the whole object is serialised after the
//    tasks ran (or failed), since tasks may fill it in (load tasks write `tasks[name].load`).
// 3. It measures each task in declaration order with sampler.ts on the chosen clock.
// 4. It writes one JSON line (HarnessOutput) to the file named in the config and exits 0.
//    Suite output on stdout/stderr is never parsed.
import { existsSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { probe } from '../../native/index.js';
import { backgroundOf } from './background.ts';
import { CALLGRIND_OUT_ENV, callgrindClock, virtualNow } from './callgrind.ts';
import { suiteNameFromFile } from './names.ts';
import type { HarnessConfig, HarnessOutput, TaskOutput } from './protocol.ts';
import type { ServeReply, ServeRequest } from './protocol.ts';
import { type ClockSource, type GcFunction, SAMPLER_DEFAULTS, type SamplerConfig, TaskSession, clockCharacter, describeError, leakProbeDefaultMs, measureTask, minorGc, type TaskSpec, warmupBounds } from './sampler.ts';

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface Captured {
  fn: Fn;
  opts: Record<string, unknown>;
}
interface BenchLike {
  name?: string;
  tasks: Array<{ name: string }>;
  add: Fn;
  setup?: (task: unknown, mode: 'warmup' | 'run') => unknown;
  teardown?: (task: unknown, mode: 'warmup' | 'run') => unknown;
}

const captured = new WeakMap<object, Map<string, Captured>>();
const filledBenches: object[] = [];
const PATCHED = Symbol.for('perfgate.patched');

function isBench(x: unknown): x is BenchLike {
  return !!x && typeof x === 'object' && typeof (x as BenchLike).add === 'function' && Array.isArray((x as BenchLike).tasks);
}

function patchBenchClass(Bench: unknown): boolean {
  if (typeof Bench !== 'function') return false;
  const proto = (Bench as { prototype: Record<string | symbol, unknown> }).prototype;
  if (!proto || typeof proto.add !== 'function') return false;
  if (proto[PATCHED]) return true;
  const add = proto.add as Fn;
  proto.add = function (this: object, name: unknown, fn: unknown, opts?: unknown) {
    const result = add.call(this, name, fn, opts);
    let map = captured.get(this);
    if (!map) {
      map = new Map();
      captured.set(this, map);
      filledBenches.push(this);
    }
    if (typeof fn === 'function') map.set(String(name), { fn: fn as Fn, opts: (opts && typeof opts === 'object' ? opts : {}) as Record<string, unknown> });
    return result;
  };
  proto.run = async function (this: BenchLike) {
    return this.tasks;
  };
  proto.runSync = function (this: BenchLike) {
    return this.tasks;
  };
  proto[PATCHED] = true;
  return true;
}

function collectTargets(x: unknown, out: Set<string>): void {
  if (typeof x === 'string') out.add(x);
  else if (Array.isArray(x)) for (const v of x) collectTargets(v, out);
  else if (x && typeof x === 'object') {
    for (const [cond, v] of Object.entries(x)) if (cond !== 'types' && !cond.startsWith('./')) collectTargets(v, out);
  }
}

/** Directories of the tinybench packages visible from `dirs` (walking up node_modules, and Node's own resolution). */
function tinybenchDirs(dirs: string[]): string[] {
  const found = new Set<string>();
  for (const start of dirs) {
    let d = path.resolve(start);
    for (;;) {
      const pj = path.join(d, 'node_modules', 'tinybench', 'package.json');
      if (existsSync(pj)) found.add(realpathSync(path.dirname(pj)));
      const up = path.dirname(d);
      if (up === d) break;
      d = up;
    }
    try {
      const f = createRequire(path.join(start, 'noop.js')).resolve('tinybench');
      for (let d2 = path.dirname(f); d2 !== path.dirname(d2); d2 = path.dirname(d2)) {
        const pj = path.join(d2, 'package.json');
        if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'tinybench') {
          found.add(realpathSync(d2));
          break;
        }
      }
    } catch {
      // not resolvable from here
    }
  }
  return [...found];
}

async function patchTinybench(dirs: string[]): Promise<number> {
  let patched = 0;
  for (const dir of tinybenchDirs(dirs)) {
    let pkg: { exports?: unknown; main?: string; module?: string };
    try {
      pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const targets = new Set<string>();
    const exp = pkg.exports;
    if (exp && typeof exp === 'object' && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith('.'))) {
      collectTargets((exp as Record<string, unknown>)['.'], targets);
    } else collectTargets(exp, targets);
    if (pkg.module) targets.add(pkg.module);
    if (pkg.main) targets.add(pkg.main);
    if (targets.size === 0) targets.add('index.js');
    for (const t of targets) {
      const file = path.resolve(dir, t);
      if (!existsSync(file) || /\.d\.[cm]?ts$/.test(file)) continue;
      try {
        const ns = (await import(pathToFileURL(realpathSync(file)).href)) as { Bench?: unknown; default?: { Bench?: unknown } };
        if (patchBenchClass(ns.Bench ?? ns.default?.Bench)) patched++;
      } catch {
        // a build for another runtime; skip it
      }
    }
  }
  return patched;
}

function makeClock(kind: HarnessConfig['clock'], wallNow: () => number): ClockSource {
  if (kind === 'wall') {
    const read = (): number => probe.monotonicNs();
    const c = clockCharacter(read, wallNow);
    return { kind, start: read, stop: (t) => read() - t, now: read, ...c };
  }
  if (kind === 'cpu') {
    const read = (): number => probe.threadCpuNs();
    const c = clockCharacter(read, wallNow);
    return { kind, start: read, stop: (t) => read() - t, now: read, ...c };
  }
  const callgrindOut = process.env[CALLGRIND_OUT_ENV];
  if (callgrindOut) return callgrindClock(callgrindOut);
  const counter = probe.instructions();
  if (!counter.available) throw new Error(`clock instructions is unavailable here: ${counter.reason}; use --clock wall or cpu`);
  const overheads: number[] = [];
  for (let i = 0; i < 21; i++) overheads.push(counter.stop(counter.start()));
  overheads.sort((a, b) => a - b);
  return { kind, start: () => counter.start(), stop: (h) => counter.stop(h), resolution: 1, overhead: overheads[10] };
}

/** The value a `{"<suite>/<task>": v, "*": v}` JSON map in the variable `name` gives a task (the specific key wins). */
function taskEnvValue(name: string, env: string | undefined, suite: string, task: string): unknown {
  if (!env) return undefined;
  let map: Record<string, unknown>;
  try {
    map = JSON.parse(env);
  } catch {
    throw new Error(`${name} is not JSON: ${env.slice(0, 80)}`);
  }
  return map[`${suite}/${task}`] ?? map['*'];
}

/** PERFGATE_INJECT: {"<suite>/<task>": factor, "*": factor}; the specific key wins. */
function injectFactor(env: string | undefined, suite: string, task: string): number {
  const v = taskEnvValue('PERFGATE_INJECT', env, suite, task);
  if (v === undefined) return 1;
  const f = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(f) && f > 1 ? f : 1;
}

/**
 * PERFGATE_INJECT_WORK: {"<suite>/<task>": n, "*": n} (calibrate --clock instructions; the specific
 * key wins): every call of the task first runs `n` iterations of a fixed integer loop, real extra
 * instructions inside the measured call (not a timer spin, which a count would not see as work).
 * A task named with n = 0 gets the wrapper without the loop, so that both sides of a comparison
 * carry the wrapper's own cost and only the loop differs. -1: not named, not wrapped.
 */
function injectWorkIterations(env: string | undefined, suite: string, task: string): number {
  const v = taskEnvValue('PERFGATE_INJECT_WORK', env, suite, task);
  if (v === undefined) return -1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`PERFGATE_INJECT_WORK: ${suite}/${task} is ${JSON.stringify(v)}; expected a whole number of iterations ≥ 0`);
  return n;
}

let injectedWorkSink = 0;

/** The extra work of PERFGATE_INJECT_WORK: n steps of a linear congruential generator. */
export function extraWork(n: number): void {
  let x = injectedWorkSink | 0;
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  injectedWorkSink = x;
}

/** `fn` with `n` iterations of extraWork before each call; async-ness and `this` kept. */
function withExtraWork(fn: Fn, n: number): Fn {
  return function (this: unknown) {
    extraWork(n);
    return fn.call(this);
  } as Fn;
}

/** Involuntary context switches of the calling thread (Linux), else of the process. */
function switchCounter(): () => number | undefined {
  if (process.platform === 'linux') {
    const read = (): number | undefined => {
      try {
        const m = /nonvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync('/proc/thread-self/status', 'utf8'));
        return m ? Number(m[1]) : undefined;
      } catch {
        return undefined;
      }
    };
    if (read() !== undefined) return read;
  }
  return () => probe.rusage().involuntaryContextSwitches;
}

function jsonSafe(x: unknown): unknown {
  try {
    return x === undefined ? undefined : JSON.parse(JSON.stringify(x));
  } catch {
    return undefined;
  }
}

async function resolveBenches(mod: Record<string, unknown>, file: string): Promise<BenchLike[]> {
  let def: unknown = mod.default;
  try {
    if (typeof def === 'function' && !isBench(def)) def = await (def as () => unknown)();
    else if (def && typeof (def as PromiseLike<unknown>).then === 'function') def = await def;
  } catch (e) {
    throw new Error(`its default export failed: ${describeError(e)}`);
  }
  if (isBench(def)) return [def];
  if (Array.isArray(def) && def.length && def.every(isBench)) return def as BenchLike[];
  if (def === undefined) {
    const filled = filledBenches.filter(isBench);
    if (filled.length) return filled;
    throw new Error(`${file} defines no tinybench tasks: add \`export default bench\` (a tinybench Bench with tasks added).`);
  }
  throw new Error(`the default export of ${file} is not a tinybench Bench (nor a function returning one); export the Bench: \`export default bench\`.`);
}

/**
 * The major (mark-compact) collections of this process, from a `gc` PerformanceObserver:
 * `between(t0, t1)` counts those that started in [t0, t1) (performance.now() times) and sums their
 * pauses. The observer's entries arrive asynchronously, so it first lets two event-loop turns pass.
 * Undefined when the runtime has no gc entries.
 */
function majorGcLog(): { between(t0: number, t1: number): Promise<{ count: number; ms: number }> } | undefined {
  const seen: Array<{ start: number; ms: number }> = [];
  try {
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = (e as { detail?: { kind?: number } }).detail?.kind;
        if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) seen.push({ start: e.startTime, ms: e.duration });
      }
    });
    obs.observe({ entryTypes: ['gc'] });
  } catch {
    return undefined;
  }
  return {
    async between(t0, t1) {
      // Node queues gc entries for the next check phase, so the second turn sees them.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
      let count = 0;
      let ms = 0;
      for (const g of seen) {
        if (g.start >= t0 && g.start < t1) {
          count++;
          ms += g.ms;
        }
      }
      while (seen.length && seen[0].start < t1) seen.shift();
      return { count, ms };
    },
  };
}

/**
 * Serve mode's one collection after a task's warmup: a young-generation collection (scavenge).
 * It frees the warmup's dead young objects and the memory outside the heap that they hold (the
 * 16 KB buffers of the Rust dot products), so the slices reuse those pages instead of touching
 * fresh ones; a full collection would do that too, but it makes V8 drop optimized code, and the
 * yaml-based config task then runs 3–5× slower for its next 20 calls and over 2× for the 20
 * after (scripts/jit-after-gc.ts; after a scavenge, no change). `gc` is obtained without
 * --expose-gc, for this context only, so `globalThis.gc` stays unset and the sampler's
 * retained-heap and leak-probe collections stay off in A/B workers.
 */
let serveScavenge: (() => void) | undefined;
function scavenge(): void {
  if (!serveScavenge) {
    v8.setFlagsFromString('--expose-gc');
    serveScavenge = minorGc(vm.runInNewContext('gc') as GcFunction);
  }
  serveScavenge?.();
}

/**
 * Serve mode (the A/B worker, src/ab/slices.ts): the suite stays loaded and the parent drives its
 * tasks over the IPC channel, one request at a time: `warm` a task (the warmup phase, then its run
 * phase opened), `slice` it (timed batches for a few ms: the per-op cost of each), `close` it,
 * and `exit` (the metadata and rusage go back with the reply). See protocol.ts.
 */
async function serve(
  out: HarnessOutput,
  specs: Array<TaskSpec | TaskOutput>,
  open: (s: TaskSpec) => TaskSession,
  meta: () => unknown,
): Promise<void> {
  const send = (m: ServeReply): Promise<void> => new Promise((resolve) => process.send!(m, undefined, undefined, () => resolve()));
  if (typeof process.send !== 'function') throw new Error('serve mode needs an IPC channel to the parent');
  const sessions = new Map<string, TaskSession>();
  const byName = new Map(specs.map((s) => [s.name, s]));
  await send({
    kind: 'ready',
    suite: out.suite,
    tasks: specs.map((s) => ({ name: s.name, ...('fn' in s ? {} : { error: s.error }) })),
    probe: out.probe,
    clockResolution: out.clockResolution,
    clockOverhead: out.clockOverhead,
  });
  const switches = switchCounter();
  // Only when the parent keeps a slice log (PERFGATE_SLICE_LOG, slices.ts): an observer adds work to every collection.
  const majorGcs = process.env.PERFGATE_SLICE_LOG ? majorGcLog() : undefined;
  const handle = async (m: ServeRequest): Promise<ServeReply> => {
    if (m.cmd === 'exit') {
      const ru = probe.rusage();
      return { kind: 'exit', id: m.id, meta: meta(), rusage: { maxRssBytes: ru.maxRssBytes, involuntaryContextSwitches: ru.involuntaryContextSwitches, voluntaryContextSwitches: ru.voluntaryContextSwitches } };
    }
    const spec = byName.get(m.task);
    if (!spec) return { kind: 'error', id: m.id, error: `no task named "${m.task}" in this suite` };
    if (!('fn' in spec)) return { kind: 'error', id: m.id, error: spec.error ?? 'task unavailable' };
    if (m.cmd === 'warm') {
      const session = open(spec);
      sessions.set(m.task, session);
      const ok = await session.warm();
      if (!ok) return { kind: 'error', id: m.id, error: session.out.error ?? 'warmup failed' };
      // Asked for by the parent (slices.ts, collectAfterWarmup): the slices of both workers of a
      // pair then start with the warmup's garbage collected, instead of each at its own point of
      // its collection cycle.
      if (m.collect) scavenge();
      return { kind: 'warm', id: m.id, batch: session.out.batch, warmupMs: session.out.warmupMs ?? 0, async: session.out.async, ...(backgroundOf(m.task) ? { background: true } : {}) };
    }
    const session = sessions.get(m.task);
    if (!session) return { kind: 'error', id: m.id, error: `task "${m.task}" was not warmed` };
    if (m.cmd === 'pause') {
      await backgroundOf(m.task)?.pause();
      return { kind: 'paused', id: m.id };
    }
    if (m.cmd === 'slice') {
      // a quiet slice: the task's background work (a load test's users) runs during it only
      const background = m.quiet ? backgroundOf(m.task) : undefined;
      await background?.resume();
      const faults0 = majorGcs ? process.resourceUsage().minorPageFault : 0;
      const sw0 = switches();
      const t0 = performance.now();
      const costs = await session.sampleFor(m.ms, m.minBatches, m.maxBatches, false);
      const t1 = performance.now();
      const wallMs = t1 - t0;
      const sw1 = switches();
      const minorFaults = majorGcs ? process.resourceUsage().minorPageFault - faults0 : undefined;
      await background?.pause();
      if (session.failed) return { kind: 'error', id: m.id, error: session.out.error ?? 'failed' };
      const majorGc = await majorGcs?.between(t0, t1);
      return { kind: 'slice', id: m.id, costs, wallMs, ...(sw0 !== undefined && sw1 !== undefined ? { switches: Math.max(0, sw1 - sw0) } : {}), ...(majorGc ? { majorGc, minorFaults } : {}) };
    }
    await backgroundOf(m.task)?.resume();
    const done = await session.close();
    sessions.delete(m.task);
    return done.error ? { kind: 'error', id: m.id, error: done.error } : { kind: 'closed', id: m.id, calls: done.calls };
  };
  await new Promise<void>((resolve) => {
    let queue = Promise.resolve();
    process.on('message', (m: ServeRequest) => {
      queue = queue.then(async () => {
        let reply: ServeReply;
        try {
          reply = await handle(m);
        } catch (e) {
          reply = { kind: 'error', id: m.id, error: describeError(e) };
        }
        await send(reply);
        if (m.cmd === 'exit') resolve();
      });
    });
    process.on('disconnect', () => resolve());
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const cfg = JSON.parse(process.argv[2] ?? '{}') as HarnessConfig;
  process.env.PERFGATE_HARNESS = '1';
  // What a suite may read at import (README, "Suite files"): the clock that measures it
  // (a suite that prewarms by the clock makes a fixed number of calls under `instructions`, where
  // the time a call takes depends on how busy the machine is), and whether the harness runs it
  // for a round (`run`) or as an A/B worker that warms each task itself until steady (`serve`).
  process.env.PERFGATE_CLOCK = cfg.clock;
  process.env.PERFGATE_MODE = cfg.serve ? 'serve' : 'run';
  if (cfg.deadlineMs) setTimeout(() => process.exit(124), cfg.deadlineMs).unref();
  const out: HarnessOutput = { suite: suiteNameFromFile(cfg.suiteFile), tasks: [], elapsedMs: 0, probe: probe.kind };
  // Under callgrind the sampler's budgets run on counted instructions (callgrind.ts, virtualNow).
  const wallNow = process.env[CALLGRIND_OUT_ENV] ? virtualNow : (): number => probe.monotonicNs();
  let mod: Record<string, unknown> | undefined;
  try {
    await patchTinybench([path.dirname(cfg.suiteFile), process.cwd()]);
    try {
      mod = (await import(pathToFileURL(cfg.suiteFile).href)) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`failed to load: ${describeError(e)}`);
    }
    // The suite name now (PERFGATE_INJECT keys use it); the metadata itself once the tasks ran.
    const name = (mod.perfgate as { suite?: unknown } | null | undefined)?.suite;
    if (typeof name === 'string' && name.trim()) out.suite = name.trim();
    const benches = await resolveBenches(mod, path.basename(cfg.suiteFile));
    const specs: Array<TaskSpec | TaskOutput> = [];
    const seen = new Set<string>();
    for (const bench of benches) {
      for (const task of bench.tasks) {
        let name = benches.length > 1 && bench.name ? `${bench.name}: ${task.name}` : task.name;
        for (let i = 2; seen.has(name); i++) name = `${task.name} (${i})`;
        seen.add(name);
        const cap = captured.get(bench)?.get(task.name);
        const legacy = task as { fn?: unknown; opts?: unknown; fnOpts?: unknown };
        const fn = cap?.fn ?? (typeof legacy.fn === 'function' ? (legacy.fn as Fn) : undefined);
        const opts = (cap?.opts ?? legacy.opts ?? legacy.fnOpts ?? {}) as Record<string, unknown>;
        if (!fn) {
          specs.push({
            name,
            samples: [],
            median: 0,
            batch: 1,
            calls: 0,
            async: false,
            error: `perfgate could not reach the function of task "${task.name}": the suite's tinybench is not a copy found under node_modules from ${path.dirname(cfg.suiteFile)}`,
          });
          continue;
        }
        const hook = (k: string): TaskSpec['beforeAll'] => (typeof opts[k] === 'function' ? (opts[k] as TaskSpec['beforeAll']) : undefined);
        const work = injectWorkIterations(process.env.PERFGATE_INJECT_WORK, out.suite, name);
        const isAsync = typeof opts.async === 'boolean' ? opts.async : work >= 0 ? fn.constructor?.name === 'AsyncFunction' || undefined : undefined;
        specs.push({
          name,
          fn: work >= 0 ? withExtraWork(fn, work) : fn,
          self: task,
          beforeAll: hook('beforeAll'),
          afterAll: hook('afterAll'),
          beforeEach: hook('beforeEach'),
          afterEach: hook('afterEach'),
          async: isAsync,
          setup: typeof bench.setup === 'function' ? bench.setup.bind(bench) : undefined,
          teardown: typeof bench.teardown === 'function' ? bench.teardown.bind(bench) : undefined,
        });
      }
    }
    if (specs.length === 0) throw new Error(`${path.basename(cfg.suiteFile)} exports a Bench without tasks.`);
    let clock: ClockSource;
    try {
      clock = makeClock(cfg.clock, wallNow);
    } catch (e) {
      // Name the tasks so the parent can fail each with the reason.
      out.tasks = specs.map((s) => ({ name: s.name, samples: [], median: 0, batch: 1, calls: 0, async: false, error: (e as Error).message }));
      throw e;
    }
    out.clockResolution = clock.resolution;
    out.clockOverhead = clock.overhead;
    const taskTimeMs = cfg.taskTimeMs ?? SAMPLER_DEFAULTS.taskTimeMs;
    const warmup = warmupBounds(taskTimeMs, cfg.warmupMs);
    const switches = switchCounter();
    const samplerConfig = (s: TaskSpec): SamplerConfig => ({
      taskTimeMs,
      warmupMs: warmup.warmupMs,
      warmupMaxMs: Math.max(warmup.warmupMs, cfg.warmupMaxMs ?? warmup.warmupMaxMs),
      minSamples: cfg.minSamples ?? SAMPLER_DEFAULTS.minSamples,
      maxSamples: cfg.maxSamples ?? SAMPLER_DEFAULTS.maxSamples,
      minSampleNs: cfg.minSampleNs ?? SAMPLER_DEFAULTS.minSampleNs,
      heapCheckpoints: cfg.heapCheckpoints ?? true,
      leakProbeMs: cfg.leakProbeMs ?? leakProbeDefaultMs(taskTimeMs),
      inject: injectFactor(process.env.PERFGATE_INJECT, out.suite, s.name),
      switches,
    });
    if (cfg.serve) {
      await serve(out, specs, (s) => new TaskSession(s, clock, wallNow, samplerConfig(s)), () => (mod?.perfgate === undefined ? undefined : jsonSafe(mod.perfgate)));
      process.exit(0);
    }
    for (const s of specs) {
      if (!('fn' in s)) {
        out.tasks.push(s);
        continue;
      }
      out.tasks.push(await measureTask(s, clock, wallNow, samplerConfig(s)));
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : describeError(e);
  }
  if (cfg.serve) {
    // Could not load: tell the parent why, then end.
    if (typeof process.send === 'function') process.send({ kind: 'ready', suite: out.suite, tasks: out.tasks.map((t) => ({ name: t.name, error: t.error })), error: out.error } satisfies ServeReply, undefined, undefined, () => process.exit(0));
    else process.exit(70);
    return;
  }
  // After the tasks: what they wrote into the metadata (load metrics) goes along.
  if (mod?.perfgate !== undefined) out.meta = jsonSafe(mod.perfgate);
  const ru = probe.rusage();
  out.rusage = { maxRssBytes: ru.maxRssBytes, involuntaryContextSwitches: ru.involuntaryContextSwitches, voluntaryContextSwitches: ru.voluntaryContextSwitches };
  out.elapsedMs = performance.now() - started;
  writeFileSync(cfg.outFile, `${JSON.stringify(out)}\n`);
  // Suites may keep the event loop alive (servers, timers): the round is over.
  process.exit(0);
}

void main().catch((e: unknown) => {
  process.stderr.write(`perfgate harness: ${describeError(e)}\n`);
  process.exit(70);
});
