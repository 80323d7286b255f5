// The weekly summary's "Biggest wins" are changes over time; native speedups (a Rust twin against
// its TypeScript twin in the same run) get their own line, and only from the wall clock, which
// counts every thread the task waits for.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/options.ts';
import { renderExecutiveSummary, speedupLine } from '../src/weekly/executive.ts';
import { analyzeWeekly } from '../src/weekly/index.ts';
import { weeklyHistory, type SeriesSpec } from './helpers/weekly.ts';

// Flat series (no change over time), two twin groups: Rust 20× and 4× faster than TypeScript.
const SPECS: SeriesSpec[] = [
  { id: 'scan/rules (TypeScript)', level: () => 40_000, extra: { group: 'rules', impl: 'ts' } },
  { id: 'scan/rules (Rust)', level: () => 2_000, extra: { group: 'rules', impl: 'rust' } },
  { id: 'vector/dot (TypeScript)', level: () => 8_000, extra: { group: 'dot', impl: 'ts' } },
  { id: 'vector/dot (Rust)', level: () => 2_000, extra: { group: 'dot', impl: 'rust' } },
];

function analysis(clock: 'wall' | 'cpu') {
  const runs = weeklyHistory(20, SPECS, 3).map((r) => ({ ...r, clock }));
  return analyzeWeekly({ latest: runs[19], history: runs.slice(0, 19), options: { thresholds: DEFAULTS.thresholds, failOn: 'major' }, branch: 'main' });
}

function winsSection(md: string): string {
  return md.slice(md.indexOf('## 🏆 Biggest wins'), md.indexOf('## ⚠️ Regressions'));
}

describe('native speedups in the weekly summary', () => {
  it('are not wins: their own line, from the wall clock, without the doubled word', () => {
    const a = analysis('wall');
    expect(a.clock).toBe('wall');
    const wins = winsSection(renderExecutiveSummary(a, { project: 'p' }));
    expect(wins).toContain('No significant improvements this week.');
    expect(wins).not.toMatch(/^\d+\. .*speedup/m); // not in the numbered wins
    const line = speedupLine(a)!;
    expect(line).toMatch(/^⚡ \*\*Native speedups\*\* \(wall clock, which counts all of a task's threads; the same code in two languages, not a change over time\): \*\*scan\/rules \(Rust\)\*\* (19|20|21)× over its TypeScript twin; \*\*vector\/dot \(Rust\)\*\* 4(\.\d)?× over its TypeScript twin\.$/);
    expect(line).not.toContain('TypeScript twin TypeScript');
    expect(wins).toContain(line);
  });

  it('are not shown from the cpu clock, which misses a native twin\'s other threads, and the line says why', () => {
    const a = analysis('cpu');
    const line = speedupLine(a)!;
    expect(line).toBe(
      '⚡ **Native speedups** are not shown: this run used the cpu clock, which sees only the thread that runs the benchmark, and a native twin may work on other threads. Measure with the wall clock (`clock: wall`, the default) to see them.',
    );
    expect(line).not.toMatch(/\d×/);
    expect(winsSection(renderExecutiveSummary(a, { project: 'p' }))).toContain(line);
  });

  it('say nothing when there are no twins', () => {
    const runs = weeklyHistory(12, [{ id: 'cache/read', level: () => 1000 }], 1);
    const a = analyzeWeekly({ latest: runs[11], history: runs.slice(0, 11), options: { thresholds: DEFAULTS.thresholds, failOn: 'major' } });
    expect(speedupLine(a)).toBeUndefined();
    expect(renderExecutiveSummary(a)).not.toContain('Native speedups');
  });
});
