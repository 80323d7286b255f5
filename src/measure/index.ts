// The measure stage: suite discovery, one fresh process per round, results@1 assembly.
export { DEFAULT_SUITE_PATTERN, discoverSuites, suiteNameFromFile } from './discover.ts';
export { SUITE_TASK, benchmarkId } from './names.ts';
export type { HarnessConfig, HarnessOutput, MeasureClock, TaskOutput } from './protocol.ts';
export {
  BUSY_STEAL_PERCENT,
  BUSY_SWITCHES_PER_SEC,
  BUSY_OTHER_CORES,
  otherCores,
  type BuildResultsInput,
  type CpuTimes,
  type MeasureOptions,
  type RoundOptions,
  type RoundResult,
  type SuiteMeta,
  type SuiteRounds,
  aggregateLoad,
  allowedCores,
  buildResults,
  harnessPath,
  leakSuspected,
  loaderArgs,
  measure,
  pinCore,
  readCpuTimes,
  runSuiteRound,
  stealPercent,
  suiteMetaSchema,
  taskMetaSchema,
} from './runner.ts';
