// Weekly mode, pure part: the rolling baseline, change points with known answers, KPIs and the
// executive summary.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/options.ts';
import { rankedRegressions, renderExecutiveSummary, statusOf } from '../src/weekly/executive.ts';
import { analyzeWeekly, computeKpis, pseudoBaseline, type WeeklyOptions } from '../src/weekly/index.ts';
import { FLAT_SPECS, STEP_SPECS, commitOf, weeklyHistory, weeklyRun, type SeriesSpec } from './helpers/weekly.ts';

const OPTIONS: WeeklyOptions = { thresholds: DEFAULTS.thresholds, failOn: 'major' };

/** 60 weekly points: 59 saved runs and the latest run as the 60th. */
function analyze(specs: SeriesSpec[], seed: number, n = 60) {
  const runs = weeklyHistory(n, specs, seed);
  return analyzeWeekly({ latest: runs[n - 1], history: runs.slice(0, n - 1), options: OPTIONS, branch: 'main', source: 'test' });
}

describe('change points in a weekly history (known answers)', () => {
  it('finds the 15% step at point 40 (±1) and no other, for many noise draws', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const a = analyze(STEP_SPECS, seed);
      expect(a.history.entries).toHaveLength(60);
      expect(a.steps.map((s) => s.id), `seed ${seed}`).toEqual(['cache/read']);
      const [step] = a.steps;
      expect(Math.abs(step.index - 40), `seed ${seed}: step at ${step.index}`).toBeLessThanOrEqual(1);
      expect(step.worse).toBeGreaterThan(0.11);
      expect(step.worse).toBeLessThan(0.19);
      expect(['minor', 'major']).toContain(step.kind);
      expect(step.recovered).toBe(false);
      expect(step.entry.commit).toBe(commitOf(step.index));
    }
  });

  it('finds nothing in a flat history of 60 noisy points', () => {
    for (let seed = 1; seed <= 25; seed++) expect(analyze(FLAT_SPECS, seed).steps, `seed ${seed}`).toEqual([]);
  });

  it('sees a step that went away as recovered', () => {
    const specs: SeriesSpec[] = [{ id: 'cache/read', level: (i) => (i >= 20 && i < 40 ? 1300 : 1000) }];
    const a = analyze(specs, 3);
    const regressions = a.steps.filter((s) => s.worse > 0);
    expect(regressions).toHaveLength(1);
    expect(Math.abs(regressions[0].index - 20)).toBeLessThanOrEqual(1);
    expect(regressions[0].recovered).toBe(true);
    expect(a.steps.some((s) => s.kind === 'improvement' && Math.abs(s.index - 40) <= 1)).toBe(true);
    expect(rankedRegressions(a)).toEqual([]);
  });

  it('reads direction: a throughput step down is a regression, up an improvement', () => {
    const down = analyze([{ id: 'load/rps', unit: 'ops/s', direction: 'higher', level: (i) => (i >= 30 ? 800 : 1000) }], 5);
    expect(down.steps).toHaveLength(1);
    expect(down.steps[0].change).toBeLessThan(-0.15);
    expect(down.steps[0].worse).toBeGreaterThan(0.2);
    expect(down.steps[0].kind).toBe('major');
    const up = analyze([{ id: 'load/rps', unit: 'ops/s', direction: 'higher', level: (i) => (i >= 30 ? 1250 : 1000) }], 5);
    expect(up.steps[0].kind).toBe('improvement');
  });

  it('does not look for steps in a short history, and says why', () => {
    const a = analyze(STEP_SPECS, 1, 6);
    expect(a.steps).toEqual([]);
    expect(a.tooShort).toContain('cache/read');
    expect(a.notices.join(' ')).toMatch(/at least 10 points/);
  });
});

describe('the rolling baseline', () => {
  it('is a pseudo-run whose rounds are the last `window` weekly medians', () => {
    const runs = weeklyHistory(30, FLAT_SPECS, 2);
    const base = pseudoBaseline(runs, 10)!;
    const read = base.benchmarks.find((b) => b.id === 'cache/read')!;
    expect(read.rounds).toHaveLength(10);
    expect(base.commit).toBe(commitOf(29));
    expect(pseudoBaseline([], 10)).toBeNull();
  });

  it('compares the latest run in stored mode: a fresh 30% slowdown is major, the rest unchanged', () => {
    const specs: SeriesSpec[] = STEP_SPECS.map((s) => (s.id === 'cache/read' ? { ...s, level: (i: number) => (i === 59 ? 1300 : 1000) } : s));
    const a = analyze(specs, 4);
    const read = a.comparison.benchmarks.find((b) => b.id === 'cache/read')!;
    expect(a.comparison.mode).toBe('stored');
    expect(read.verdict).toBe('major');
    expect(a.comparison.benchmarks.filter((b) => b.id !== 'cache/read').every((b) => b.verdict === 'unchanged')).toBe(true);
    expect(a.window).toBe(10);
    expect(a.comparison.base?.source).toMatch(/median of the last 10/);
    expect(statusOf(a)).toBe('action');
  });

  it('does not call week-to-week wander a regression: the run-to-run spread is the noise floor', () => {
    let weeksWithRegression = 0;
    for (let seed = 1; seed <= 50; seed++) if (rankedRegressions(analyze(FLAT_SPECS, seed)).length) weeksWithRegression++;
    expect(weeksWithRegression).toBeLessThanOrEqual(2);
    const a = analyze(FLAT_SPECS, 1);
    const nf = a.comparison.benchmarks.find((b) => b.id === 'cache/read')!.noiseFloor!;
    // 3% run-to-run noise, 10 runs: the 99% prediction half-width is about 3.25 · 3% · 1.05 ≈ 10%.
    expect(nf).toBeGreaterThan(0.05);
    expect(nf).toBeLessThan(0.16);
  });

  it('drops the latest run from the history when it was saved already', () => {
    const runs = weeklyHistory(20, FLAT_SPECS, 2);
    const a = analyzeWeekly({ latest: runs[19], history: runs, options: OPTIONS });
    expect(a.history.entries).toHaveLength(20);
    expect(a.windowEntries.map((e) => e.commit)).toEqual(runs.slice(9, 19).map((r) => r.commit));
  });

  it('starts a history: no baseline, nothing compared, a notice', () => {
    const a = analyzeWeekly({ latest: weeklyRun(0, FLAT_SPECS, 1), history: [], options: OPTIONS });
    expect(a.comparison.mode).toBe('none');
    expect(a.notices.join(' ')).toMatch(/No history yet/);
    const md = renderExecutiveSummary(a);
    expect(md).toMatch(/not graded/);
    expect(md).toMatch(/Keep the weekly job running/);
  });
});

describe('KPIs', () => {
  it('sums throughput, weights latency and success by requests, and reports memory', () => {
    const k = computeKpis(weeklyRun(0, [
      { id: 'a/x', unit: 'ns', level: () => 1000, noise: 0 },
      { id: 'a/y', unit: 'ms', level: () => 2, noise: 0 },
      ...STEP_SPECS.slice(3).map((s) => ({ ...s, noise: 0 })),
    ], 1));
    // 1e6 ops/s + 500 ops/s + 9000 req/s (the load benchmark's own throughput).
    expect(k.throughput!.opsPerSec / (1e6 + 500 + 9000)).toBeCloseTo(1, 2);
    expect(k.throughput!.counted).toBe(3);
    expect(k.responseTime).toMatchObject({ meanMs: 5.2, p95Ms: 9.8, source: 'load', counted: 1 });
    expect(k.successRate).toMatchObject({ rate: 0.98, total: 45_000, failures: 900, source: 'load' });
    expect(k.memory).toMatchObject({ averagePeakRssBytes: 140e6, peakRssBytes: 140e6, peakRssOf: 'load/users-50' });
  });

  it('falls back to time per operation and benchmark success without load benchmarks', () => {
    const run = weeklyRun(0, [{ id: 'a/x', level: () => 2e6, noise: 0 }, { id: 'a/y', level: () => 4e6, noise: 0 }], 1);
    run.benchmarks[1] = { ...run.benchmarks[1], status: 'failed', error: 'boom', rounds: [], samples: [] };
    const k = computeKpis(run);
    expect(k.responseTime).toMatchObject({ source: 'operations', counted: 1 });
    expect(k.responseTime!.meanMs).toBeCloseTo(2, 2);
    expect(k.successRate).toMatchObject({ rate: 0.5, source: 'benchmarks' });
    expect(k.failed).toBe(1);
  });
});

describe('the executive summary', () => {
  it('renders the seed report\'s sections with the step as a concrete recommended action', () => {
    const a = analyze(STEP_SPECS, 7);
    const md = renderExecutiveSummary(a, { project: 'octo-org/perfgate-demo' });
    const step = a.steps[0];
    for (const heading of ['# Weekly performance summary', '## 🎯 Executive summary', '### Key metrics', '## 🏆 Biggest wins', '## ⚠️ Regressions, by severity', '### Recommended actions', '## 📏 SLA status', '## 📈 Trends']) {
      expect(md).toContain(heading);
    }
    expect(md).toMatch(/Overall grade \*\*A\*\* \(Very good\)/);
    for (const metric of ['Total throughput', 'Average response time', 'Success rate', 'Memory']) expect(md).toContain(`| ${metric} |`);
    expect(md).toContain('98.0% of 45,000 requests under load');
    expect(md).toContain(`Profile **cache/read**: +`);
    expect(md).toContain(`since ${step.entry.commit!.slice(0, 7)} (${step.entry.startedAt.slice(0, 10)}) (step detected at run ${step.index + 1} of 60)`);
    expect(md).toContain(`git log ${step.previous!.commit!.slice(0, 7)}..${step.entry.commit!.slice(0, 7)}`);
    expect(md).toMatch(/All 1 SLA met/);
    expect(md).toMatch(/```mermaid\nxychart-beta/);
    expect(md).toContain('Change-point detection over 60 runs found 1 step: 1 regression.');
    expect(statusOf(a)).toBe(step.kind === 'major' ? 'action' : 'attention');
  });

  it('ranks regressions by severity and puts failures first', () => {
    const runs = weeklyHistory(30, [
      { id: 's/minor', level: (i) => (i === 29 ? 1080 : 1000), noise: 0.005 },
      { id: 's/major', level: (i) => (i === 29 ? 1300 : 1000), noise: 0.005 },
      { id: 's/broken', level: () => 1000, noise: 0.005 },
    ], 9);
    const latest = runs[29];
    latest.benchmarks[2] = { ...latest.benchmarks[2], status: 'failed', error: 'TypeError: x is undefined', rounds: [], samples: [] };
    delete latest.benchmarks[2].stats;
    const a = analyzeWeekly({ latest, history: runs.slice(0, 29), options: OPTIONS });
    expect(rankedRegressions(a).map((r) => [r.id, r.severity])).toEqual([
      ['s/broken', 'critical'],
      ['s/major', 'major'],
      ['s/minor', 'minor'],
    ]);
    const md = renderExecutiveSummary(a);
    expect(md.indexOf('s/broken')).toBeLessThan(md.indexOf('s/major'));
    expect(md).toContain('Fix **s/broken**: it failed (TypeError: x is undefined)');
    expect(md).toMatch(/re-run to confirm before bisecting/);
  });

  it('stays under its size cap with many benchmarks, dropping charts and rows first', () => {
    const specs: SeriesSpec[] = Array.from({ length: 300 }, (_, k) => ({ id: `suite${k % 7}/bench-${k}-${'x'.repeat(40)}`, level: (i: number) => (k % 11 === 0 && i >= 30 ? 1300 : 1000) }));
    const runs = weeklyHistory(40, specs, 11, 5);
    const a = analyzeWeekly({ latest: runs[39], history: runs.slice(0, 39), options: OPTIONS });
    const md = renderExecutiveSummary(a, { maxChars: 60_000 });
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain('## ⚠️ Regressions, by severity');
    expect(md).toContain('### Method');
  });
});
