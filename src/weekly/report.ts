// Files of a weekly report: the executive summary (weekly.md), the analysis (weekly.json,
// perfgate/weekly@1) and SVG charts (charts/*.svg).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chartFileName, svgBeforeAfter, svgTrend } from '../report/charts.ts';
import { renderExecutiveSummary, rankedRegressions, type ExecutiveOptions } from './executive.ts';
import { orderBySchema } from '../report/json.ts';
import { comparisonSchema } from '../schema/comparison.ts';
import type { WeeklyAnalysis } from './analyze.ts';

/** The analysis as JSON: the comparison in schema order, everything else as is. */
export function renderWeeklyJson(a: WeeklyAnalysis): string {
  const regressions = rankedRegressions(a).map(({ comparison, step, ...rest }) => ({
    ...rest,
    ...(comparison ? { verdict: comparison.verdict } : {}),
    ...(step ? { step: { index: step.index, change: step.change, commit: step.entry.commit, startedAt: step.entry.startedAt } } : {}),
  }));
  const out = { ...a, comparison: orderBySchema(a.comparison, comparisonSchema), regressions };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** SVG charts of a weekly analysis: one trend per benchmark with a step or a change, and before/after. */
export function weeklyCharts(a: WeeklyAnalysis, max = 24): Map<string, string> {
  const files = new Map<string, string>();
  const ids: string[] = [];
  for (const r of rankedRegressions(a)) ids.push(r.id);
  for (const s of a.steps) if (!ids.includes(s.id)) ids.push(s.id);
  for (const b of a.history.benchmarks) if (!ids.includes(b.id)) ids.push(b.id);
  for (const id of ids.slice(0, max)) {
    const series = a.history.benchmarks.find((b) => b.id === id);
    if (!series) continue;
    const steps = a.steps.filter((s) => s.id === id).map((s) => s.index);
    files.set(chartFileName('trend', id), svgTrend(series, a.history.entries, { steps }));
  }
  files.set('before-after.svg', svgBeforeAfter(a.comparison, { title: `This run vs the median of the last ${a.window} runs (base = 100, higher is better)` }));
  return files;
}

export interface WeeklyFiles {
  markdown: string;
  json: string;
  chartsDir: string;
  charts: string[];
}

/** Writes weekly.md, weekly.json and charts/*.svg into `dir`; returns their paths. */
export function writeWeeklyReport(dir: string, a: WeeklyAnalysis, opts: ExecutiveOptions = {}): WeeklyFiles {
  mkdirSync(dir, { recursive: true });
  const markdown = path.join(dir, 'weekly.md');
  const json = path.join(dir, 'weekly.json');
  const chartsDir = path.join(dir, 'charts');
  writeFileSync(markdown, renderExecutiveSummary(a, opts));
  writeFileSync(json, renderWeeklyJson(a));
  mkdirSync(chartsDir, { recursive: true });
  const charts: string[] = [];
  for (const [name, svg] of weeklyCharts(a)) {
    const file = path.join(chartsDir, name);
    writeFileSync(file, svg);
    charts.push(file);
  }
  return { markdown, json, chartsDir, charts };
}
