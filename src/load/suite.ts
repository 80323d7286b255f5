// Load scenarios as tinybench tasks, so a load test is a suite like any other.
//
// Each scenario becomes one task. While the task runs, its virtual users load the target in the
// background; the task's own function is one extra "probe" request, so the harness's samples
// are the latency of a request under that load. When the task's sampling ends (its afterAll
// hook), the session runs on until the window has lasted `durationMs`, stops, and writes its
// load metrics (throughput, p50/p95/p99, success rate) into `perfgate.tasks[name].load`, where
// the runner picks them up after the round (the harness serializes `perfgate` after running the
// tasks). Standalone tinybench runs work too: the metrics are also on `lastLoad(name)`.
// As an A/B worker (serve mode) the harness pauses the users between this side's slices, so the
// two workers sharing a CPU do not load it at once (src/measure/background.ts).
//
//   const { bench, perfgate } = loadSuite([defineLoad({ name: 'checkout, 50 users', users: 50,
//     durationMs: 1000, target: { url: 'http://127.0.0.1:8080/checkout' } })]);
//   export { perfgate };
//   export default bench;
import { Bench, type BenchOptions } from 'tinybench';
import { registerBackground } from '../measure/background.ts';
import type { Load, Sla } from '../schema/results.ts';
import { LoadSession, toLoadMetrics, validateLoadOptions, type LoadOptions, type LoadResult, type LoadTarget } from './run.ts';

export interface LoadScenario extends Omit<LoadOptions, 'target'> {
  /** The task name. */
  name: string;
  /** The target; or give `resolveTarget` instead. */
  target?: LoadTarget;
  /** Gives the target once `setup` has run (for example a server's ephemeral URL). */
  resolveTarget?: () => LoadTarget | Promise<LoadTarget>;
  /** Runs before the users start (start a service...). */
  setup?: () => unknown;
  /** Runs after they stopped. */
  teardown?: () => unknown;
  /** Absolute targets, e.g. `{ metric: 'successRate', min: 0.99 }`, `{ metric: 'latencyP95Ms', max: 20 }`. */
  sla?: Sla[];
  group?: string;
}

export interface LoadTaskMeta {
  group?: string;
  impl?: string;
  sla?: Sla[];
  direction?: 'lower' | 'higher';
  unit?: string;
  /** Filled when the task has run: the load metrics of its measured window. */
  load?: Load;
}

export interface PerfgateMeta {
  suite?: string;
  tasks: Record<string, LoadTaskMeta>;
}

/** Checks a scenario early (a bad suite fails when it loads, not mid-round). */
export function defineLoad(scenario: LoadScenario): LoadScenario {
  if (!scenario.name || typeof scenario.name !== 'string') throw new Error('load: a scenario needs a name');
  if ((scenario.target === undefined) === (scenario.resolveTarget === undefined)) {
    throw new Error(`load scenario "${scenario.name}": give exactly one of target and resolveTarget`);
  }
  // a resolved target is checked again when the session starts
  validateLoadOptions({ ...scenario, target: scenario.target ?? (() => undefined) });
  return scenario;
}

const results = new Map<string, LoadResult>();

/** The last result of the task `name` in this process (for standalone runs and tests). */
export function lastLoad(name: string): LoadResult | undefined {
  return results.get(name);
}

/**
 * Adds one load scenario to `bench` as a task and declares it in `meta` (unit ns per probe
 * request, lower is better, the scenario's SLA).
 */
export function addLoadTask(bench: Bench, scenario: LoadScenario, meta: PerfgateMeta): void {
  let session: LoadSession | null = null;
  let setupDone = false;
  const taskMeta: LoadTaskMeta = { direction: 'lower', unit: 'ns' };
  if (scenario.sla) taskMeta.sla = scenario.sla;
  if (scenario.group) taskMeta.group = scenario.group;
  meta.tasks[scenario.name] = taskMeta;

  const begin = async (): Promise<void> => {
    if (session) return;
    if (!setupDone) {
      await scenario.setup?.();
      setupDone = true;
    }
    const target = scenario.target ?? (await scenario.resolveTarget!());
    session = new LoadSession({ ...scenario, target });
    session.start();
  };

  // An A/B worker quiets the users while the other side of its pair is measured (background.ts).
  registerBackground(scenario.name, {
    pause: () => session?.pause(),
    resume: () => session?.resume(),
  });

  const end = async (): Promise<void> => {
    if (!session) return;
    const s = session;
    session = null;
    try {
      const result = await s.stop(scenario.durationMs);
      results.set(scenario.name, result);
      taskMeta.load = toLoadMetrics(result);
    } finally {
      if (setupDone) {
        setupDone = false;
        await scenario.teardown?.();
      }
    }
  };

  bench.add(
    scenario.name,
    async () => {
      if (!session) await begin();
      await session!.probe();
    },
    {
      beforeAll: async (mode) => {
        await begin();
        // the measured window is the run phase (warmup requests do not count)
        if (mode !== 'warmup') session!.resetStats();
      },
      afterAll: async (mode) => {
        if (mode !== 'warmup') await end();
      },
    },
  );
}

/** A Bench with one task per scenario, and the `perfgate` metadata to export beside it. */
export function loadSuite(scenarios: LoadScenario[], options: { suite?: string; bench?: BenchOptions } = {}): { bench: Bench; perfgate: PerfgateMeta } {
  const bench = new Bench({ time: 500, warmupTime: 100, ...options.bench });
  const perfgate: PerfgateMeta = { ...(options.suite ? { suite: options.suite } : {}), tasks: {} };
  for (const s of scenarios) addLoadTask(bench, s, perfgate);
  return { bench, perfgate };
}
