// The report stage: pure rendering of a Comparison (Markdown for the PR comment and the job
// summary, terminal, JSON). Delivery (comments, summaries, annotations) lives in src/github.
export {
  DEFAULT_MAX_CHARS,
  GITHUB_COMMENT_LIMIT,
  MAX_REGRESSION_LINES,
  SUMMARY_MAX_CHARS,
  renderMarkdown,
  renderSummary,
  type MarkdownOptions,
  type SummaryOptions,
} from './markdown.ts';
export { renderTerminal, stripAnsi, visibleLength, type TerminalOptions } from './terminal.ts';
export { orderBySchema, renderJson } from './json.ts';
export {
  MINUS,
  changeWords,
  describeChange,
  formatBytes,
  formatChangeCompact,
  formatDuration,
  formatFactor,
  formatGeomean,
  formatInteger,
  formatInterval,
  formatNumber,
  formatP,
  formatPercent,
  formatThroughput,
  formatValue,
  metricChange,
  unitKind,
  type MetricChange,
  type UnitKind,
} from './format.ts';
export { MAX_NAME_CHARS, escapeHtml, escapeMarkdown, flattenText, markdownCell, safeUrl, terminalText, truncateText } from './escape.ts';
export {
  COUNT_ORDER,
  SEVERITY_ORDER,
  VERDICT_MARKDOWN,
  VERDICT_TERMINAL,
  changedBenchmarks,
  countVerdicts,
  countsText,
  headline,
  isRegression,
  legendText,
  notices,
  regressionWords,
  regressionsText,
  type Headline,
  type VerdictCounts,
} from './model.ts';
export { appendIfFits, chartFileName, chartNumber, mermaidBeforeAfter, mermaidText, mermaidTrend, mermaidXYChart, svgBeforeAfter, svgTrend, type MermaidXYChart, type TrendOptions } from './charts.ts';
export { renderHistoryJson, renderHistoryText, type HistoryTextOptions } from './history.ts';
