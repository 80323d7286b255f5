// The static dashboard: a fixture history of 64 weekly runs of this repository's 22 benchmarks
// (ids, units and levels from baselines/*.json; a 20% step in one series) plus 6 runs of a
// feature branch, written as results files; `perfgate dashboard --dir` (the CLI from source, as
// `npx perfgate` runs it) builds the page; a real headless Chromium opens it from file:// and the
// test checks what a reader sees. Skips only when no Chromium is installed.
// PERFGATE_SCREENSHOT=1 also writes docs/dashboard.png (the screenshot in the docs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../src/dashboard/index.ts';
import { DEFAULTS } from '../src/options.ts';
import type { Results } from '../src/schema/results.ts';
import { summarize } from '../src/stats/index.ts';
import { ROOT } from './helpers/action.ts';
import { findChromium, launchChromium, type Browser, type BrowserPage } from './helpers/browser.ts';
import { commitOf, weeklyHistory, type SeriesSpec } from './helpers/weekly.ts';

const RUNS = 64;
const STEPPED = 'cache/read, L1 hit';
const STEP_AT = 40;

/** One series per benchmark of baselines/*.json, at its median; STEPPED 20% slower from run STEP_AT. */
function repoSpecs(): SeriesSpec[] {
  const specs: SeriesSpec[] = [];
  for (const f of readdirSync(path.join(ROOT, 'baselines')).filter((x) => x.endsWith('.json')).sort()) {
    const r = JSON.parse(readFileSync(path.join(ROOT, 'baselines', f), 'utf8')) as Results;
    for (const b of r.benchmarks) {
      const level = b.stats?.median ?? 1000;
      specs.push({
        id: b.id,
        unit: b.unit,
        direction: b.direction,
        level: (i) => (b.id === STEPPED && i >= STEP_AT ? level * 1.2 : level),
        extra: { suite: b.suite, name: b.name, ...(b.memory ? { memory: { peakRssBytes: b.memory.peakRssBytes, heapRetainedBytes: b.memory.heapRetainedBytes } } : {}), ...(b.load ? { load: b.load } : {}) },
      });
    }
  }
  return specs;
}

/** The helper's rounds spread 0.2% around each run's point; 2.5% shows the intervals. */
function widen(r: Results): Results {
  return {
    ...r,
    benchmarks: r.benchmarks.map((b) => {
      const m = summarize(b.rounds).median;
      const rounds = b.rounds.map((v) => m + (v - m) * 12.5);
      return { ...b, rounds, samples: rounds, stats: summarize(rounds) };
    }),
  };
}

function fixtureRuns(specs: SeriesSpec[]): Results[] {
  const main = weeklyHistory(RUNS, specs, 7).map(widen);
  const feature = weeklyHistory(6, specs, 8).map((r, i) => ({ ...widen(r), ref: 'refs/heads/feature/x', commit: commitOf(1000 + i), startedAt: new Date(Date.parse(main[RUNS - 6 + i].startedAt) + 86_400_000).toISOString() }));
  return [...main, ...feature];
}

function perfgate(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const specs = repoSpecs();
const ids = specs.map((s) => s.id).sort();
let dir: string;
let site: string;
let cli: ReturnType<typeof perfgate>;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-dashboard-'));
  const runsDir = path.join(dir, 'runs');
  mkdirSync(runsDir);
  fixtureRuns(specs).forEach((r, i) => writeFileSync(path.join(runsDir, `${String(i).padStart(3, '0')}.json`), JSON.stringify(r)));
  site = path.join(dir, 'site');
  cli = perfgate(['dashboard', '--dir', runsDir, '--out', site, '--title', 'perfgate <fixture>', '--commit-url', 'https://github.com/o/r/commit/{commit}']);
});

describe('perfgate dashboard', () => {
  it('has the 22 benchmarks of this repository in its fixture', () => {
    expect(ids).toHaveLength(22);
  });

  it('writes one self-contained index.html from a folder of runs', () => {
    expect(cli.stderr).toMatch(/dashboard: .*index\.html \(70 runs on 2 branches, 22 benchmarks/);
    expect(cli.code).toBe(0);
    const html = readFileSync(path.join(site, 'index.html'), 'utf8');
    expect(readdirSync(site)).toEqual(['index.html']);
    // Nothing loaded from elsewhere, and the names are data: the title's "<" never closes an element.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('<title>perfgate &lt;fixture&gt;</title>');
    expect(html).not.toContain('perfgate <fixture>');
  });

  it('finds the step and grades each run against the runs before it', () => {
    const runs = fixtureRuns(specs).filter((r) => r.ref === 'main');
    const data = buildDashboard({ runs, source: 'fixture', thresholds: DEFAULTS.thresholds, failOn: DEFAULTS.failOn });
    const main = data.branches[0];
    expect(main.runs).toHaveLength(RUNS);
    expect(main.runs[0].grade).toBeUndefined();
    expect(main.runs.filter((r) => r.grade).length).toBeGreaterThan(RUNS - 5);
    const stepped = main.benchmarks.find((b) => b.id === STEPPED)!;
    expect(stepped.steps.map((s) => [s.at, s.prev, s.kind])).toEqual([[STEP_AT, STEP_AT - 1, 'major']]);
    // The run with the step is graded down in that benchmark.
    expect(stepped.grades[STEP_AT]).toMatch(/^[CDF]$/);
    for (let i = 0; i < RUNS; i++) expect(stepped.lo[i]! <= stepped.median[i]! && stepped.median[i]! <= stepped.hi[i]!).toBe(true);
    const load = main.benchmarks.find((b) => b.suite === 'load')!;
    expect(load.metrics.map((m) => m.key)).toEqual(expect.arrayContaining(['peakRss', 'throughput', 'successRate', 'latencyP95']));
  });

  it('rejects a commit link without {commit}, naming the flag and the fix', () => {
    const r = perfgate(['dashboard', '--dir', path.join(dir, 'runs'), '--out', path.join(dir, 'bad'), '--commit-url', 'https://github.com/o/r']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--commit-url is "https:\/\/github\.com\/o\/r"; expected an http\(s\) URL containing \{commit\}/);
  });
});

const CHROMIUM = findChromium();
const browserSuite = CHROMIUM ? 'the dashboard in headless Chromium' : 'the dashboard in headless Chromium (skipped: no chromium on PATH; apt-get install chromium, or set PERFGATE_CHROMIUM)';

describe.skipIf(!CHROMIUM)(browserSuite, () => {
  let browser: Browser;
  let url: string;
  const firstChart: number[] = [];

  beforeAll(async () => {
    browser = await launchChromium(CHROMIUM!);
    url = pathToFileURL(path.join(site, 'index.html')).href;
  });
  afterAll(async () => {
    await browser?.close();
    if (firstChart.length) console.log(`dashboard: first chart ${firstChart.map((t) => `${t.toFixed(0)} ms`).join(', ')} after navigation (${RUNS} runs × ${ids.length} benchmarks)`);
  });

  async function open(hash = ''): Promise<BrowserPage> {
    const page = await browser.newPage({ width: 1280, height: 900 });
    await page.navigate(url + hash);
    await page.waitFor('window.perfgateDashboard && window.perfgateDashboard.firstChartMs !== null', 20_000);
    firstChart.push(await page.evaluate<number>('window.perfgateDashboard.firstChartMs'));
    return page;
  }

  const cards = `[...document.querySelectorAll('.card')].map((c) => ({ id: c.dataset.id, points: c.querySelectorAll('.plot circle.pt').length, steps: c.querySelectorAll('.plot line.step').length }))`;

  it('draws a chart with a point per run for every benchmark, lazily, with no console error and no request off disk', async () => {
    const page = await open();
    // Only the charts in view are drawn at first.
    const drawnAtFirst = await page.evaluate<number>(`document.querySelectorAll('.card[data-drawn]').length`);
    expect(drawnAtFirst).toBeGreaterThan(0);
    expect(drawnAtFirst).toBeLessThan(ids.length);
    // Scroll each card not yet drawn into view, until every one is: on a busy machine the browser
    // can compute intersections after a quick scroll has already moved past a card, which then
    // stays undrawn until it is in view again (as it would for a user scrolling back).
    await page.evaluate(
      `(async () => { for (let pass = 0; pass < 20 && document.querySelectorAll('.card:not([data-drawn])').length; pass++) { for (const c of document.querySelectorAll('.card:not([data-drawn])')) { c.scrollIntoView(); await new Promise((r) => setTimeout(r, 30 + 50 * pass)); } } })()`,
    );
    await page.waitFor(`document.querySelectorAll('.card[data-drawn]').length === ${ids.length}`);
    const shown = await page.evaluate<Array<{ id: string; points: number; steps: number }>>(cards);
    expect(shown.map((c) => c.id).sort()).toEqual(ids);
    for (const c of shown) expect(c.points, c.id).toBe(RUNS);
    expect(shown.find((c) => c.id === STEPPED)!.steps).toBe(1);
    expect(await page.evaluate<number>(`document.querySelectorAll('svg.grades rect.run-grade').length`)).toBe(RUNS);
    expect(await page.evaluate<string>(`document.querySelector('#branch').value`)).toBe('main');
    // The first chart within a generous sanity bound (the figure itself is reported, not asserted).
    expect(firstChart[0]).toBeLessThan(20_000);
    expect(page.errors).toEqual([]);
    expect(page.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    if (process.env.PERFGATE_SCREENSHOT) {
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot(path.join(ROOT, 'docs', 'dashboard.png'), { fullPage: true, maxHeight: 1500 });
    }
  });

  it('narrows the cards by suite, by name and by branch', async () => {
    const page = await open();
    const shownIds = async () => (await page.evaluate<Array<{ id: string }>>(cards)).map((c) => c.id);
    await page.evaluate(`(() => { const s = document.querySelector('#suite'); s.value = 'vector'; s.dispatchEvent(new Event('change')); })()`);
    expect(await shownIds()).toEqual(ids.filter((id) => id.startsWith('vector/')));
    await page.evaluate(`(() => { const q = document.querySelector('#q'); q.value = 'rust'; q.dispatchEvent(new Event('input')); })()`);
    expect(await shownIds()).toEqual(ids.filter((id) => id.startsWith('vector/') && id.endsWith('(Rust)')));
    expect(await page.evaluate<string>(`document.querySelector('#count').textContent`)).toBe('3 of 22 benchmarks');
    await page.evaluate(`(() => { const b = document.querySelector('#branch'); b.value = 'feature/x'; b.dispatchEvent(new Event('change')); })()`);
    await page.waitFor(`document.querySelectorAll('.card[data-drawn]').length === 3`);
    expect(await page.evaluate<number>(`document.querySelectorAll('svg.grades rect.run-grade').length`)).toBe(6);
    expect((await page.evaluate<Array<{ points: number }>>(cards)).map((c) => c.points)).toEqual([6, 6, 6]);
    expect(page.errors).toEqual([]);
  });

  it('opens one benchmark from a deep link, with its change point, the commits around it and its memory charts', async () => {
    const page = await open(`#bench=${encodeURIComponent(STEPPED)}`);
    const shown = await page.evaluate<Array<{ id: string; points: number; steps: number }>>(cards);
    expect(shown).toEqual([{ id: STEPPED, points: RUNS, steps: 1 }]);
    expect(await page.evaluate<string>(`document.querySelector('.card').className`)).toContain('detail');
    const row = await page.evaluate<string>(`document.querySelector('table.steps tr.step-row').textContent`);
    expect(row).toContain('major');
    expect(row).toContain(commitOf(STEP_AT - 1).slice(0, 7));
    expect(row).toContain(commitOf(STEP_AT).slice(0, 7));
    const links = await page.evaluate<string[]>(`[...document.querySelectorAll('table.steps a')].map((a) => a.href)`);
    expect(links).toEqual([`https://github.com/o/r/commit/${commitOf(STEP_AT - 1)}`, `https://github.com/o/r/commit/${commitOf(STEP_AT)}`]);
    const metrics = await page.evaluate<string[]>(`[...document.querySelectorAll('.metric h4')].map((h) => h.textContent)`);
    expect(metrics).toEqual(['peak RSS', 'heap retained after GC']);
    // Back to all benchmarks with the button.
    await page.evaluate(`document.querySelector('#all').click()`);
    expect((await page.evaluate<unknown[]>(cards)).length).toBe(ids.length);
    expect(page.errors).toEqual([]);
  });
});
