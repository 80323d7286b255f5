// Charts: every Mermaid block perfgate writes is parsed by Mermaid's own parser (the `mermaid`
// package, under Node with jsdom providing the DOM its sanitizer needs), and every SVG by a real
// XML parser.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildHistory } from '../src/history/index.ts';
import { compare } from '../src/compare/index.ts';
import { DEFAULTS } from '../src/options.ts';
import {
  appendIfFits,
  chartFileName,
  chartNumber,
  mermaidBeforeAfter,
  mermaidText,
  mermaidTrend,
  mermaidXYChart,
  svgBeforeAfter,
  svgTrend,
} from '../src/report/charts.ts';
import { renderExecutiveSummary } from '../src/weekly/executive.ts';
import { renderMarkdown } from '../src/report/index.ts';
import type { Comparison } from '../src/schema/comparison.ts';
import { analyzeWeekly } from '../src/weekly/index.ts';
import { bench, lognormal, results } from './helpers/results.ts';
import { STEP_SPECS, weeklyHistory, type SeriesSpec } from './helpers/weekly.ts';

interface Mermaid {
  parse(text: string): Promise<unknown>;
}
interface Dom {
  window: { DOMParser: new () => { parseFromString(text: string, type: string): { getElementsByTagName(tag: string): { length: number }; documentElement: { nodeName: string } } } };
}

let mermaid: Mermaid;
let dom: Dom;

beforeAll(async () => {
  // Mermaid's parser runs in Node; its text sanitizer (DOMPurify) needs a window, which jsdom gives.
  const jsdomModule = 'jsdom';
  const { JSDOM } = (await import(jsdomModule)) as { JSDOM: new (html: string) => Dom & { window: { document: unknown } } };
  dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: (dom.window as unknown as { document: unknown }).document });
  mermaid = (await import('mermaid')).default as unknown as Mermaid;
}, 120_000);

/** The bodies of the ```mermaid blocks in `markdown`. */
function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

async function expectValid(block: string): Promise<void> {
  const body = block.startsWith('```mermaid') ? mermaidBlocks(block)[0] : block;
  expect(body, block).toBeDefined();
  await expect(mermaid.parse(body), body).resolves.toMatchObject({ diagramType: 'xychart' });
}

function expectWellFormedSvg(svg: string): void {
  const doc = new dom.window.DOMParser().parseFromString(svg, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror').length, svg.slice(0, 400)).toBe(0);
  expect(doc.documentElement.nodeName).toBe('svg');
}

const HOSTILE = [
  'a "quoted" name',
  'back`tick``` fence',
  'hash #quot; and #35; entity',
  '<script>alert(1)</script> & ;',
  'multi\nline\r\nname',
  'brackets [1], {2} (3) | pipe',
  'comma, colon: --> arrow',
  'µs · 55× faster — ünïcödé 日本',
  '%% not a comment',
  '@scope/pkg $x$ ~~strike~~',
];

function comparisonOf(names: string[], worse: (k: number) => number): Comparison {
  const base = results(names.map((n) => bench(`suite/${n}`, lognormal(1, 8, 1000, 0.01))));
  const head = results(names.map((n, k) => bench(`suite/${n}`, lognormal(2 + k, 8, 1000 * (1 + worse(k)), 0.01))));
  return compare({ base, head, thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'test' });
}

describe('the real Mermaid parser', () => {
  it('rejects broken xychart text (the validator is not a no-op)', async () => {
    await expect(mermaid.parse('xychart-beta\n  line [1, 2,')).rejects.toThrow();
    await expect(mermaid.parse('xychart-beta\n  title "a "b" c"\n  line [1, 2]')).rejects.toThrow();
    await expect(mermaid.parse('xychart-beta\n  line [2e3, 1]')).rejects.toThrow();
  });

  it('accepts a trend chart of 60 runs with a step (numeric x axis, level line)', async () => {
    const runs = weeklyHistory(60, STEP_SPECS, 3);
    const h = buildHistory(runs, { source: 'test' });
    const series = h.benchmarks.find((b) => b.id === 'cache/read')!;
    const chart = mermaidTrend(series, h.entries, { steps: [40] });
    expect(chart).toMatch(/^```mermaid\nxychart-beta\n/);
    expect(chart).toContain('x-axis "run (1 = oldest of 60)" 1 --> 60');
    expect(chart.match(/^ {2}line \[/gm)).toHaveLength(2);
    expect(chart).toContain('step at run 41');
    await expectValid(chart);
  });

  it('accepts a short trend with categorical labels, and hostile benchmark names everywhere', async () => {
    for (const name of HOSTILE) {
      const runs = weeklyHistory(8, [{ id: `s"x/${name}`, level: () => 1234 }], 1);
      const h = buildHistory(runs, { source: 'test' });
      const chart = mermaidTrend(h.benchmarks[0], h.entries);
      expect(chart).toContain('x-axis ["');
      await expectValid(chart);
    }
    const c = comparisonOf(HOSTILE, (k) => (k % 3 === 0 ? 0.3 : k % 3 === 1 ? -0.2 : 0));
    const ba = mermaidBeforeAfter(c);
    expect(ba).not.toMatch(/<|>(?!\s)/); // no raw HTML; only the axis arrows "-->"
    for (const line of ba.split('\n').slice(2, -1)) expect((line.match(/"/g) ?? []).length % 2, line).toBe(0); // quotes balanced
    await expectValid(ba);
  });

  it('accepts values of every magnitude (never an exponent)', async () => {
    for (const v of [1e-9, 3.3e-7, 0.000123, 1, 12345.678, 9.87e11, 1e21]) {
      expect(chartNumber(v)).not.toMatch(/e/i);
      expect(chartNumber(-v)).toMatch(/^-/);
    }
    expect(chartNumber(1234.5678)).toBe('1235');
    expect(chartNumber(0.012345)).toBe('0.01235');
    expect(chartNumber(2)).toBe('2');
    const chart = mermaidXYChart({ title: 'magnitudes', x: { labels: ['a', 'b', 'c'] }, y: { title: 'v', min: 0, max: 1e12 }, lines: [[1e-9, 5e11, 9.87e11]], bars: [[0.5, 2, 3]] });
    await expectValid(chart);
  });

  it('accepts every chart of a weekly executive summary and of a PR comment', async () => {
    const runs = weeklyHistory(60, STEP_SPECS, 5);
    const a = analyzeWeekly({ latest: runs[59], history: runs.slice(0, 59), options: { thresholds: DEFAULTS.thresholds, failOn: 'major' } });
    const md = renderExecutiveSummary(a);
    const blocks = mermaidBlocks(md);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const b of blocks) await expectValid(b);

    const c = comparisonOf(['parse', 'scan', 'read', 'write'], (k) => [0.25, -0.3, 0, 0.02][k]);
    const comment = appendIfFits(renderMarkdown(c), mermaidBeforeAfter(c), 60_000);
    expect(mermaidBlocks(comment)).toHaveLength(1);
    await expectValid(mermaidBlocks(comment)[0]);
  });
});

describe('charts in the size budget', () => {
  it('appends a chart only when the whole still fits', () => {
    const c = comparisonOf(['a', 'b'], () => 0.2);
    const chart = mermaidBeforeAfter(c);
    const md = 'x'.repeat(1000);
    expect(appendIfFits(md, chart, 1000 + chart.length + 10)).toContain('```mermaid');
    expect(appendIfFits(md, chart, 1000 + chart.length)).toBe(md);
    expect(appendIfFits(md, '', 5)).toBe(md);
  });

  it('limits the before/after chart to 20 bars, worst first, and says how many', () => {
    const names = Array.from({ length: 30 }, (_, k) => `b${k}`);
    const c = comparisonOf(names, (k) => (k === 7 ? 0.4 : 0));
    const chart = mermaidBeforeAfter(c);
    const labels = /x-axis \[(.*)\]/.exec(chart)![1].split(', ');
    expect(labels).toHaveLength(20);
    expect(labels[0]).toBe('"b7"');
    expect(chart).toContain('20 of 30');
  });

  it('escapes Mermaid labels: no double quote or HTML survives, # " % & < > become entities', () => {
    expect(mermaidText('a "b" #c %%d')).toBe('a #quot;b#quot; #35;c #37;#37;d');
    expect(mermaidText('<b>x</b> & y')).toBe('#60;b#62;x#60;/b#62; #38; y');
    expect(mermaidText('x'.repeat(100))).toHaveLength(40);
    expect(mermaidText('line\nbreak')).toBe('line break');
  });
});

describe('SVG charts', () => {
  it('are well-formed XML with hostile names escaped', () => {
    const runs = weeklyHistory(60, [{ id: `s/${HOSTILE.join(' ')}`, level: (i) => (i >= 40 ? 1150 : 1000) } satisfies SeriesSpec], 2);
    const h = buildHistory(runs, { source: 'test' });
    const svg = svgTrend(h.benchmarks[0], h.entries, { steps: [40] });
    expectWellFormedSvg(svg);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('>step</text>');
    const c = comparisonOf(HOSTILE, (k) => (k % 2 ? 0.2 : -0.1));
    const bars = svgBeforeAfter(c);
    expectWellFormedSvg(bars);
    expect(bars).not.toContain('<script>');
    expect(bars.match(/<rect /g)!.length).toBe(HOSTILE.length + 1);
    expectWellFormedSvg(svgTrend({ ...h.benchmarks[0], values: [1] }, h.entries));
    expectWellFormedSvg(svgBeforeAfter({ ...c, benchmarks: [] }));
  });

  it('get stable, safe file names', () => {
    expect(chartFileName('trend', 'cache/read')).toMatch(/^trend-cache-read-[0-9a-f]{6}\.svg$/);
    expect(chartFileName('trend', '../../etc/passwd')).toMatch(/^trend-etc-passwd-[0-9a-f]{6}\.svg$/);
    expect(chartFileName('trend', 'a/b')).not.toBe(chartFileName('trend', 'a-b'));
  });
});
