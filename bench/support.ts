// Shared by this repository's suites (not a suite itself: no .bench. in the name). Builds a
// tinybench Bench plus the `perfgate` metadata the runner reads: twin tasks (TypeScript and Rust
// implementations of the same work) share a group, and SLA targets ride along.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench, type Fn, type FnOptions } from 'tinybench';
import type { Sla } from 'perfgate/results';
import { systemClock, type Clock } from '../workload/src/stats.ts';

export interface TaskMeta {
  group?: string;
  impl?: 'ts' | 'rust';
  sla?: Sla[];
  direction?: 'lower' | 'higher';
  unit?: string;
}

export interface SuiteMeta {
  suite?: string;
  tasks: Record<string, TaskMeta>;
}

/** Results are stored here so the engine cannot drop the work as dead code. */
export let sink: unknown;

export function keep<T>(value: T): T {
  sink = value;
  return value;
}

/**
 * Calls `fn` for about `ms` milliseconds at import time, so code with a long JIT warm-up (a big
 * library such as the yaml package) is measured in its optimized, steady state rather than
 * within the harness's short warmup. Under perfgate's instructions clock (the harness sets
 * PERFGATE_CLOCK=instructions in the suite process) it calls `fn` exactly `calls` times instead: there
 * the time a call takes depends on how busy the machine is, and a prewarm of varying length
 * changes what V8 has optimized when counting starts (config parse in TypeScript read 34.3 M and
 * 33.1 M instructions a call in two rounds, 3.4% apart). Give `calls` about what `ms` buys
 * natively.
 */
export function prewarm(fn: () => unknown, ms: number, calls: number): void {
  if (process.env.PERFGATE_CLOCK === 'instructions') {
    for (let i = 0; i < calls; i++) keep(fn());
    return;
  }
  const end = performance.now() + ms;
  do keep(fn());
  while (performance.now() < end);
}

/** How far the logical clock of `suiteClock` moves at each reading, ms (1 µs). */
export const LOGICAL_CLOCK_STEP_MS = 0.001;

/**
 * The clock for the time-dependent parts of the workload (cache TTLs, the breaker's time window and
 * reset timeout, latency samples): the system clock, or under perfgate's instructions clock a
 * logical one that starts at 0 and moves LOGICAL_CLOCK_STEP_MS at every reading. Under valgrind the
 * code runs 50-100× slower, and slower still on a busy machine, so in real time a 60 s TTL ran out
 * during a round at calls that depended on the machine's load (cache read-through read 7,927 and
 * 7,784 instructions a call in two rounds, 1.9% apart). A step of 1 µs a reading keeps the real
 * code's rhythm: a round's thousands of calls span milliseconds, as they do natively.
 */
export function suiteClock(): Clock {
  if (process.env.PERFGATE_CLOCK !== 'instructions') return systemClock;
  let t = 0;
  return { now: () => (t += LOGICAL_CLOCK_STEP_MS) };
}

export class Suite {
  readonly bench: Bench;
  readonly perfgate: SuiteMeta;

  constructor(name: string) {
    // tinybench's own budget when the file runs without perfgate (npx tsx bench/x.bench.ts)
    this.bench = new Bench({ name, time: 300, warmupTime: 100 });
    this.perfgate = { suite: name, tasks: {} };
  }

  add(name: string, fn: Fn, meta: TaskMeta = {}, opts?: FnOptions): this {
    this.bench.add(name, fn, opts);
    if (Object.keys(meta).length > 0) this.perfgate.tasks[name] = meta;
    return this;
  }

  /**
   * The same work in TypeScript and in Rust: tasks "<label> (TypeScript)" and "<label> (Rust)"
   * in group <label>. Without the Rust twin (no addon) only the TypeScript task is added.
   */
  twin(label: string, ts: Fn, rust: Fn | null, meta: Omit<TaskMeta, 'group' | 'impl'> = {}): this {
    this.add(`${label} (TypeScript)`, ts, { ...meta, group: label, impl: 'ts' });
    if (rust) this.add(`${label} (Rust)`, rust, { ...meta, group: label, impl: 'rust' });
    return this;
  }
}

/**
 * Runs the suite with tinybench and prints a table when the file is executed directly
 * (`npx tsx bench/scan.bench.ts`), not under perfgate's harness.
 */
export async function runIfMain(suite: Suite | Bench, moduleUrl: string, after?: () => void): Promise<void> {
  if (process.env.PERFGATE_HARNESS || !process.argv[1]) return;
  if (path.resolve(process.argv[1]) !== fileURLToPath(moduleUrl)) return;
  const bench = suite instanceof Suite ? suite.bench : suite;
  await bench.run();
  console.table(bench.table());
  after?.();
}
