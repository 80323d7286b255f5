import { describe, expect, it } from 'vitest';
import { renderJson, renderTerminal, stripAnsi, visibleLength } from '../src/report/index.ts';
import { comparisonSchema } from '../src/schema/comparison.ts';
import { bench, comparison, seedComparison } from './helpers/comparison.ts';

const ESC = '\u001b';

/** The table block: from the header line to the first blank line after it. */
function tableBlock(text: string): string[] {
  const lines = stripAnsi(text).split('\n');
  const start = lines.findIndex((l) => l.startsWith('Suite'));
  const end = lines.indexOf('', start);
  return lines.slice(start, end);
}

/** Column spans [start, end) from the rule line (runs of ─ separated by two spaces). */
function spans(rule: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const chars = Array.from(rule);
  let i = 0;
  while (i < chars.length) {
    if (chars[i] === '─') {
      const start = i;
      while (chars[i] === '─') i++;
      out.push([start, i]);
    } else i++;
  }
  return out;
}

function expectAligned(text: string): void {
  const [header, rule, ...rows] = tableBlock(text);
  const cols = spans(rule);
  expect(cols.length).toBeGreaterThanOrEqual(8);
  for (const line of [header, ...rows]) {
    const chars = Array.from(line);
    // Gaps between columns are blank on every line.
    for (let c = 1; c < cols.length; c++) {
      for (let x = cols[c - 1][1]; x < cols[c][0]; x++) expect(chars[x] ?? ' ', line).toBe(' ');
    }
    // Nothing spills past the last column.
    expect(chars.length).toBeLessThanOrEqual(cols.at(-1)![1]);
  }
  // Right-aligned numeric columns (Base, Head, n) end on their column's last character.
  const base = cols[2];
  for (const line of rows.filter((l) => /ops\/s|µs|ns|ms|MB/.test(l))) expect(Array.from(line)[base[1] - 1]).not.toBe(' ');
}

describe('renderTerminal', () => {
  const c = seedComparison();

  it('colours when asked and only then', () => {
    const colored = renderTerminal(c, { color: true });
    const plain = renderTerminal(c, { color: false });
    expect(colored).toContain(ESC);
    expect(plain).not.toContain(ESC);
    expect(renderTerminal(c)).not.toContain(ESC);
    // Same text either way.
    expect(stripAnsi(colored)).toBe(plain);
    // Verdict colours: red major, yellow minor, green improved, magenta inconclusive, dim unchanged.
    expect(colored).toContain(`${ESC}[31m✗ major`);
    expect(colored).toContain(`${ESC}[33m! minor`);
    expect(colored).toContain(`${ESC}[32m✓ improved`);
    expect(colored).toContain(`${ESC}[35m? inconclusive`);
    expect(colored).toContain(`${ESC}[2m  unchanged`);
  });

  it('has the headline, the regressions, geomean rows and the overall grade line', () => {
    const plain = renderTerminal(c);
    const lines = plain.split('\n');
    expect(lines[0]).toBe('perfgate: grade C (Weak) — gate failed: 2 regressions (1 major, 1 minor)');
    expect(plain).toContain('Circuit Breaker Latency: 22.8% slower (95% CI +18.1% … +27.9%, p = 0.002)');
    expect(plain).toContain('Rust Infrastructure Scanning: 12.6% lower throughput');
    const table = tableBlock(plain);
    expect(table.filter((l) => /\bgeomean\b/.test(l))).toHaveLength(6);
    expect(table.at(-1)).toMatch(/^\s+run\s+\+2\.5% worse\s+C$/);
    expect(plain).toContain('Overall: grade C (Weak) · run geomean +2.5% worse · gate failed');
    expect(plain).toContain('55× vs TypeScript');
    expect(plain).toContain('Decision rule:');
  });

  it('aligns the table columns by visible width, coloured or not', () => {
    expectAligned(renderTerminal(c, { color: false }));
    expectAligned(renderTerminal(c, { color: true }));
    const colored = renderTerminal(c, { color: true });
    const widths = tableBlock(colored).map((l) => visibleLength(l));
    expect(Math.max(...widths)).toBe(Array.from(tableBlock(colored)[1]).length);
  });

  it('fits a width by shortening names, and wraps prose', () => {
    const long = comparison([
      bench({ suite: 'a-suite-with-a-very-long-name-indeed', name: 'x'.repeat(120), base: 100, head: 100, verdict: 'unchanged' }),
      bench({ suite: 'short', name: 'y', base: 100, change: 0.2, verdict: 'major', grade: 'D' }),
    ]);
    const text = renderTerminal(long, { width: 120 });
    for (const line of tableBlock(text)) expect(visibleLength(line)).toBeLessThanOrEqual(120);
    for (const line of stripAnsi(text).split('\n').filter((l) => l.startsWith('Decision rule') || l.startsWith('leans'))) {
      expect(visibleLength(line)).toBeLessThanOrEqual(120);
    }
    expect(text).toContain('…');
    expectAligned(text);
  });

  it('neutralises control characters in names', () => {
    const evil = comparison([bench({ suite: 's', name: `red${ESC}[31m\nbell\u0007 rtl\u202e`, base: 100, head: 100, verdict: 'unchanged' })]);
    const text = renderTerminal(evil, { color: false });
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\u0007');
    expect(text).not.toContain('\u202e');
    expect(text).toContain('red [31m bell rtl');
  });

  it('only changed rows on request; no-baseline runs say so', () => {
    const changedOnly = tableBlock(renderTerminal(c, { rows: 'changed' }));
    expect(changedOnly).toHaveLength(2 + 4 + 1);
    const none = comparison([bench({ suite: 's', name: 'a', verdict: 'new' })], { mode: 'none', base: undefined });
    const text = renderTerminal(none);
    expect(text.split('\n')[0]).toBe('perfgate: no baseline yet: nothing compared (1 benchmark measured)');
    expect(text).toContain('Nothing to compare against yet');
  });
});

describe('renderJson', () => {
  it('is pretty JSON in schema key order and round-trips', () => {
    const c = seedComparison();
    // The input's keys in reverse order.
    const reversed = Object.fromEntries(Object.entries(c).reverse()) as typeof c;
    reversed.benchmarks = c.benchmarks.map((b) => Object.fromEntries(Object.entries(b).reverse()) as typeof b);
    const json = renderJson(reversed);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json).toContain('\n  "schema": "perfgate/comparison@1",');
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(Object.keys(comparisonSchema.shape).filter((k) => k in c));
    expect(Object.keys(parsed.benchmarks[0]).slice(0, 6)).toEqual(['id', 'suite', 'name', 'unit', 'direction', 'base']);
    expect(Object.keys(parsed.overall.counts)).toEqual(['improved', 'unchanged', 'inconclusive', 'minor', 'major', 'critical', 'new', 'missing']);
    expect(comparisonSchema.parse(parsed)).toEqual(comparisonSchema.parse(c));
    expect(renderJson(c)).toBe(json);
  });

  it('keeps unknown keys, after the known ones', () => {
    const c = { extra: 1, ...seedComparison() } as ReturnType<typeof seedComparison> & { extra: number };
    const parsed = JSON.parse(renderJson(c));
    expect(Object.keys(parsed).at(-1)).toBe('extra');
  });
});
