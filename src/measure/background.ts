// Background work a task keeps running besides its own calls (a load test's virtual users and
// the service they load), which an A/B worker quiets while the other side of its pair is measured.
//
// Why. Both workers of a same-runner pair share one CPU (src/ab/slices.ts). A load task's users
// run from its warmup to its close, so while one side's slice timed its probe requests, the other
// side's 50 users and service took the same CPU in bursts: the slices came out bimodal (9 or 14 ms
// for the repository's load test in a one-off probe, docs/calibration/ab-runs.txt), every pair was
// sliced on to slices-max and the benchmark stayed inconclusive. When both workers of a pair report that the task registered its background here,
// the parent pauses both once they have warmed the task, and each slice then resumes its own just
// before and pauses it again after (the close resumes it), so only the side being measured loads
// the CPU. When only one side registered it (a base whose perfgate/load predates pausing), neither
// is touched: both run from their warmup to their close, as before, and are measured alike.
//
// The registry lives on globalThis under a Symbol.for key: the harness and the suite's copy of
// `perfgate/load` may be different module instances (dist/ against src/, or two versions).

export interface Background {
  /** Stops the background work; resolves once it is quiet (its in-flight work finished). */
  pause(): unknown;
  /** Starts it again. */
  resume(): unknown;
}

const KEY = Symbol.for('perfgate.background');

function registry(): Map<string, Background> {
  const g = globalThis as { [KEY]?: Map<string, Background> };
  return (g[KEY] ??= new Map());
}

/** Registers the background work of the task `task` (one suite per process); returns the unregister. */
export function registerBackground(task: string, background: Background): () => void {
  const map = registry();
  map.set(task, background);
  return () => {
    if (map.get(task) === background) map.delete(task);
  };
}

/** The background work registered for `task`, if any. */
export function backgroundOf(task: string): Background | undefined {
  return registry().get(task);
}
