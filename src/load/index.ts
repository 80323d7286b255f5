// The load-test suite type (reusable by perfgate's users): N concurrent virtual users against an
// async function or a loopback HTTP service for a bounded duration, reporting throughput,
// latency percentiles and success rate. See run.ts (the engine) and suite.ts (as tinybench tasks).
export { HttpStatusError, isLoopbackHost, LoadSession, runLoad, toLoadMetrics, validateLoadOptions } from './run.ts';
export type { HttpTarget, LoadContext, LoadFunction, LoadOptions, LoadResult, LoadTarget } from './run.ts';
export { addLoadTask, defineLoad, lastLoad, loadSuite } from './suite.ts';
export type { LoadScenario, LoadTaskMeta, PerfgateMeta } from './suite.ts';
