// Weekly mode: the latest run against the rolling history, change points, the executive summary,
// and one issue per regression step.
export {
  DEFAULT_MIN_SEGMENT,
  DEFAULT_WINDOW,
  WEEKLY_SCHEMA,
  analyzeWeekly,
  bySeverity,
  classifyStep,
  detectSteps,
  isRegressionStep,
  pseudoBaseline,
  type StepFinding,
  type StepKind,
  type WeeklyAnalysis,
  type WeeklyOptions,
} from './analyze.ts';
export { computeKpis, medianKpis, opsPerSecond, type RunKpis } from './kpis.ts';
export {
  ISSUE_LABEL,
  STEP_MARKER_PREFIX,
  findStepIssues,
  matchIssue,
  parseStepMarker,
  stepIssueBody,
  stepIssueTitle,
  stepMarker,
  syncStepIssues,
  type IssueOutcome,
  type SyncOptions,
} from './issues.ts';
export { WEEKLY_MARKER, executiveHeadline, rankedRegressions, renderExecutiveSummary, statusOf, stepWords, type ExecutiveOptions, type RegressionItem, type Status } from './executive.ts';
export { renderWeeklyJson, weeklyCharts, writeWeeklyReport, type WeeklyFiles } from './report.ts';
