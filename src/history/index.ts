// History: the saved runs of a branch as series of medians (for `perfgate history`, the weekly
// report and its trend charts).
export {
  HISTORY_SCHEMA,
  buildHistory,
  entryDate,
  entryLabel,
  entryValue,
  orderRuns,
  presentPoints,
  sparkline,
  type BenchmarkSeries,
  type History,
  type HistoryEntry,
} from './series.ts';
export { branchName, loadRunsFromDir, loadRunsFromStore, remoteLocation, type LoadedRuns } from './load.ts';
