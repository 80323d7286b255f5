import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CHARS, GITHUB_COMMENT_LIMIT, renderMarkdown, renderSummary } from '../src/report/index.ts';
import type { BenchmarkComparison } from '../src/schema/comparison.ts';
import { bench, comparison, seedComparison } from './helpers/comparison.ts';

const MARKER = '<!-- perfgate:gate -->';

/** Table lines of a Markdown document. */
function tableLines(md: string): string[] {
  return md.split('\n').filter((l) => l.startsWith('|'));
}

/** Cell separators: pipes not escaped by a backslash (an even run of backslashes before them). */
function separators(line: string): number {
  return (line.match(/(?<!\\)(?:\\\\)*\|/g) ?? []).length;
}

/** Every table in the document: consecutive table lines. Each must have a constant column count. */
function tables(md: string): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length) {
      out.push(current);
      current = [];
    }
  }
  if (current.length) out.push(current);
  return out;
}

function expectWellFormedTables(md: string): void {
  for (const t of tables(md)) {
    const n = separators(t[0]);
    for (const line of t) expect(separators(line), line).toBe(n);
  }
}

describe('renderMarkdown: a comparison shaped like the seed report', () => {
  const c = seedComparison();
  const md = renderMarkdown(c, { marker: MARKER, runUrl: 'https://github.com/acme/engine/actions/runs/42' });

  it('starts with the marker, then the headline with grade, label and regressions', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[1]).toBe('## perfgate: grade **C** (Weak) — gate failed: 2 regressions (1 major, 1 minor)');
    expect(md).toContain('Gate: **failed**');
  });

  it('has a counts line with only the non-zero counts', () => {
    expect(md).toContain('1 improved · 6 unchanged · 1 minor · 1 major · 1 inconclusive');
    expect(md).not.toMatch(/0 critical|0 new|0 missing/);
  });

  it('says inconclusive plainly', () => {
    expect(md).toContain('1 benchmark inconclusive: too noisy to tell — not counted as unchanged');
  });

  it('describes the regressions in words, direction-aware', () => {
    expect(md).toContain('**Circuit Breaker Latency**: 22.8% slower (95% CI +18.1% … +27.9%, p = 0.002)');
    expect(md).toContain('**Rust Infrastructure Scanning**: 12.6% lower throughput (95% CI −15.0% … −10.1%, p = 0.004)');
  });

  it('puts both regressions in the changed table, worst first, before the collapsed details', () => {
    const details = md.indexOf('<details>');
    expect(details).toBeGreaterThan(0);
    const changedTable = tables(md.slice(0, details)).at(-1)!;
    const major = changedTable.findIndex((l) => l.includes('Circuit Breaker Latency'));
    const minor = changedTable.findIndex((l) => l.includes('Rust Infrastructure Scanning'));
    expect(major).toBeGreaterThan(1);
    expect(minor).toBeGreaterThan(major);
    expect(changedTable[major]).toContain('+22.8% [+18.1, +27.9]');
    expect(changedTable[major]).toContain('❌ major');
    expect(changedTable[major]).toMatch(/\|\s*D\s*\|$/);
    expect(changedTable[minor]).toContain('−12.6% [−15.0, −10.1]');
    expect(changedTable[minor]).toContain('⚠️ minor');
    expect(changedTable[minor]).toContain('55× vs TypeScript');
    // Unchanged benchmarks are not in the changed table.
    expect(changedTable.some((l) => l.includes('Distributed Cache Reads'))).toBe(false);
    expect(changedTable.at(-1)).toContain('**run**');
  });

  it('collapses all benchmarks, grouped by suite with geomean rows and a run row', () => {
    expect(md).toContain('<details><summary>All 10 benchmarks</summary>');
    expect(md).not.toContain('<details open');
    const inside = md.slice(md.indexOf('<details>'), md.indexOf('</details>'));
    const all = tables(inside)[0];
    expect(all.filter((l) => l.includes('**geomean**'))).toHaveLength(6);
    expect(all.at(-1)).toContain('**run**');
    expect(all.at(-1)).toContain('**+2.5% worse**');
    const circuitGeomean = all.find((l) => l.startsWith('| circuit-breaker') && l.includes('**geomean**'))!;
    expect(circuitGeomean).toContain('**D**');
    expect(inside).toContain('Distributed Cache Reads');
    expect(inside).toContain('95.2 MB');
    expect(inside).toContain('208,253 ops/s');
  });

  it('has the columns, with the native speedup column because some rows have one', () => {
    expect(tableLines(md)[0]).toMatch(/^\| Suite\s+\| Benchmark\s+\| +Base \| +Head \| +Change \(95% CI\) \| +Native speedup \| n \(base\/head\) \| Verdict\s+\| Grade \|$/);
    expect(md).toContain('7.9× vs TypeScript');
    expectWellFormedTables(md);
  });

  it('ends with the decision rule, from the thresholds', () => {
    const legend = md.split('\n').find((l) => l.startsWith('Decision rule:'))!;
    expect(legend).toContain('α = 0.05');
    expect(legend).toContain('Holm');
    expect(legend).toContain('Benjamini-Hochberg');
    expect(legend).toContain('noise floor (1%)');
    expect(legend).toContain('minor ≥ 5%, major ≥ 15%, critical ≥ 50%');
    expect(legend).toContain('paired');
    expect(legend).toContain('same machine');
    expect(md).toContain('[Workflow run](https://github.com/acme/engine/actions/runs/42)');
    expect(md.indexOf('Decision rule:')).toBeGreaterThan(md.indexOf('</details>'));
  });

  it('stays plain Markdown: no images', () => {
    expect(md).not.toMatch(/!\[|<img/i);
  });
});

describe('renderMarkdown: headlines', () => {
  it('no regressions', () => {
    const c = comparison([
      bench({ suite: 's', name: 'a', base: 100, head: 101, verdict: 'unchanged' }),
      bench({ suite: 's', name: 'b', base: 100, change: -0.2, verdict: 'improved', grade: 'A+' }),
    ], { overallGrade: 'A' });
    const md = renderMarkdown(c);
    expect(md.split('\n')[0]).toBe('## perfgate: grade **A** (Very good) — no regressions');
    expect(md).toContain('1 improved · 1 unchanged');
  });

  it('no regressions but inconclusive ones: says so in the headline', () => {
    const c = comparison([bench({ suite: 's', name: 'a', base: 100, head: 110, ci: [-0.1, 0.3], verdict: 'inconclusive' })], { overallGrade: 'A-' });
    expect(renderMarkdown(c).split('\n')[0]).toBe('## perfgate: grade **A-** (Good) — no regressions found, 1 inconclusive');
  });

  it('compared but nothing could be graded', () => {
    const c = comparison([
      bench({ suite: 's', name: 'a', base: 100, head: 110, ci: [-0.1, 0.3], verdict: 'inconclusive' }),
      bench({ suite: 's', name: 'b', base: 100, head: 90, ci: [-0.3, 0.1], verdict: 'inconclusive' }),
    ]);
    c.overall = { ...c.overall, grade: undefined, label: 'Not graded' };
    c.suites = c.suites.map((s) => ({ ...s, grade: undefined, label: 'Not graded' }));
    const md = renderMarkdown(c);
    expect(md.split('\n')[0]).toBe('## perfgate: not graded — no regressions found, 2 inconclusive');
    expect(md).toContain('2 benchmarks inconclusive: too noisy to tell — not counted as unchanged');
    expect(md).toMatch(/\| \*\*run\*\* +\|.*\| +— +\|$/m);
  });

  it('one major regression failing the gate', () => {
    const c = comparison([bench({ suite: 's', name: 'a', base: 100, change: 0.3, verdict: 'major', grade: 'D' })]);
    expect(renderMarkdown(c).split('\n')[0]).toBe('## perfgate: grade **D** (Poor) — gate failed: 1 major regression');
  });

  it('several minor regressions, gate passing', () => {
    const c = comparison([
      bench({ suite: 's', name: 'a', base: 100, change: 0.06, verdict: 'minor', grade: 'B' }),
      bench({ suite: 's', name: 'b', base: 100, change: 0.12, verdict: 'minor', grade: 'C' }),
    ]);
    expect(renderMarkdown(c).split('\n')[0]).toBe('## perfgate: grade **C** (Weak) — 2 minor regressions');
  });

  it('no baseline yet', () => {
    const benchmarks = ['a', 'b', 'c'].map((name) => bench({ suite: 's', name, verdict: 'new' }));
    const c = comparison(benchmarks, { mode: 'none', base: undefined });
    const md = renderMarkdown(c, { title: 'perf *gate*' });
    expect(md.split('\n')[0]).toBe('## perf \\*gate\\*: no baseline yet: nothing compared (3 benchmarks measured)');
    expect(md).toContain('3 new');
    expect(md).toContain('Nothing to compare against yet');
    expect(md).toContain('<details><summary>All 3 benchmarks (measured; no baseline to compare with)</summary>');
    expect(md).toContain('1.00 µs');
  });

  it('an empty comparison still says something', () => {
    const c = comparison([], { mode: 'none', base: undefined });
    const md = renderMarkdown(c);
    expect(md).toContain('nothing compared (0 benchmarks measured)');
    expect(md).toContain('no benchmarks');
    expect(md).toContain('Decision rule:');
  });

  it('cross-machine notice, other notices, failed benchmarks', () => {
    const c = comparison(
      [
        bench({ suite: 's', name: 'ok', base: 100, head: 100, verdict: 'unchanged' }),
        { ...bench({ suite: 's', name: 'boom', base: 100, verdict: 'critical', grade: 'F' }), head: undefined, ratio: undefined, ratioCi: undefined, worse: undefined, worseCi: undefined, error: 'Error: exploded\n  at x.ts:1' },
        bench({ suite: 's', name: 'gone', base: 100, verdict: 'missing' }),
      ],
      { crossMachine: true, notices: ['The machine was disturbed: 12% steal time.'], base: { fingerprint: 'fp-old', source: 'branch perfgate-data' } },
    );
    const md = renderMarkdown(c);
    expect(md).toContain('Cross-machine comparison');
    expect(md).toContain('fp-old');
    expect(md).toContain('The machine was disturbed: 12% steal time.');
    expect(md).toContain('🛑 critical');
    expect(md).toContain('failed: Error: exploded at x.ts:1');
    expect(md).toContain('1 unchanged · 1 critical · 1 missing');
    expect(md).toContain('cross-machine baseline');
    expectWellFormedTables(md);
  });
});

describe('renderMarkdown: escaping', () => {
  const evil = '<img src=x onerror=alert(1)>|**x**';
  const c = comparison([
    bench({ suite: 'evil|suite<script>', name: evil, base: 100, change: 0.3, verdict: 'major', grade: 'D' }),
    bench({ suite: 's', name: 'multi\nline `tick` [link](http://x) @octocat', base: 100, head: 100, verdict: 'unchanged' }),
  ]);
  const md = renderMarkdown(c, { marker: MARKER });

  it('renders a hostile name as literal text', () => {
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<script>');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;\\|\\*\\*x\\*\\*');
    expect(md).toContain('evil\\|suite&lt;script&gt;');
    expect(md).toContain('multi line \\`tick\\` \\[link\\](http://x) @\u2060octocat');
  });

  it('keeps every table row at the header column count', () => {
    expectWellFormedTables(md);
    expect(tables(md).length).toBe(2);
  });
});

describe('renderMarkdown: size', () => {
  function many(n: number, verdictOf: (i: number) => BenchmarkComparison['verdict']): BenchmarkComparison[] {
    return Array.from({ length: n }, (_, i) => {
      const verdict = verdictOf(i);
      const change = verdict === 'minor' ? 0.07 : verdict === 'improved' ? -0.12 : 0.001;
      return bench({
        suite: `suite-${i % 10}`,
        name: `benchmark number ${i} with a fairly descriptive name`,
        base: 1000 + i,
        change,
        verdict,
        grade: verdict === 'minor' ? 'B' : verdict === 'improved' ? 'A+' : 'A',
      });
    });
  }

  it('5,000 benchmarks: truncates the all-benchmarks table first, with a note, under the cap', () => {
    const c = comparison(many(5000, (i) => (i % 50 === 0 ? 'minor' : i % 50 === 1 ? 'improved' : 'unchanged')));
    const md = renderMarkdown(c, { marker: MARKER });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    expect(md.split('\n')[0]).toBe(MARKER);
    expect(md).toContain('## perfgate: grade **B** (Fair) — 100 minor regressions');
    expect(md).toContain('100 improved · 4,800 unchanged · 100 minor');
    expect(md).toContain('Decision rule:');
    expect(md).toMatch(/… [\d,]+ more benchmarks not shown; see the job summary or the comparison JSON\./);
    expect(md).toMatch(/<details><summary>All 5,000 benchmarks \(first [\d,]+ shown\)<\/summary>/);
    expect(md.split('<details>').length).toBe(md.split('</details>').length);
    // The changed table is complete (all 200 changed rows) because it fits.
    const changed = tables(md.slice(0, md.indexOf('<details>'))).at(-1)!;
    expect(changed.length).toBe(2 + 200 + 1);
    expect(md).toContain('- … 90 more regressions in the table below.');
    expectWellFormedTables(md);
  });

  it('when even the changed table is too long, it is truncated too; headline, counts and legend stay', () => {
    const c = comparison(many(5000, () => 'minor'));
    const md = renderMarkdown(c, { marker: MARKER });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    expect(md).toContain('5,000 minor regressions');
    expect(md).toContain('5,000 minor');
    expect(md).toMatch(/… [\d,]+ more changed benchmarks not shown; see the job summary or the comparison JSON\./);
    expect(md).toContain('All 5,000 benchmarks: not shown (too long); see the job summary or the comparison JSON.');
    expect(md).not.toContain('<details>');
    expect(md).toContain('Decision rule:');
    expectWellFormedTables(md);
  });

  it('honours a small cap and never exceeds GitHub’s limit by default', () => {
    const c = comparison(many(300, (i) => (i % 3 === 0 ? 'minor' : 'unchanged')));
    for (const maxChars of [4000, 8000, 20_000]) {
      const md = renderMarkdown(c, { maxChars, marker: MARKER });
      expect(md.length).toBeLessThanOrEqual(maxChars);
      expect(md).toContain('## perfgate: grade');
      expect(md).toContain('Decision rule:');
    }
    expect(renderMarkdown(c).length).toBeLessThan(GITHUB_COMMENT_LIMIT);
  });

  it('the job summary has no marker and a larger cap', () => {
    const c = comparison(many(5000, (i) => (i % 50 === 0 ? 'minor' : 'unchanged')));
    const summary = renderSummary(c);
    expect(summary.startsWith('## perfgate:')).toBe(true);
    expect(summary).not.toContain('<!--');
    expect(summary.length).toBeGreaterThan(DEFAULT_MAX_CHARS);
    expect(summary.length).toBeLessThanOrEqual(300_000);
    const small = renderSummary(seedComparison());
    expect(small).toBe(renderMarkdown(seedComparison()));
  });

  it('details: all gives one open table of every benchmark', () => {
    const md = renderMarkdown(seedComparison(), { details: 'all' });
    expect(md).not.toContain('<details>');
    expect(tables(md)).toHaveLength(1);
    expect(tables(md)[0].filter((l) => !l.includes('**')).length).toBe(2 + 10);
  });

  it('appends a footer and ignores non-http run URLs', () => {
    const md = renderMarkdown(seedComparison(), { footer: '<sub>perfgate 0.1.0</sub>', runUrl: 'javascript:alert(1)' });
    expect(md.trimEnd().endsWith('<sub>perfgate 0.1.0</sub>')).toBe(true);
    expect(md).not.toContain('javascript:');
  });
});
