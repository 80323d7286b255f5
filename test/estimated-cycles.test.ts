// Estimated cycles (clock instructions under callgrind's cache simulation) from the harness's
// per-task figure through the results (per round, aligned with `rounds`), the comparison (head
// over base, beside the count's verdict) and both reports' "Est. cycles" column. Synthetic inputs
// only; the measured path under valgrind is in test/valgrind.test.ts.
import { describe, expect, it } from 'vitest';
import { compare } from '../src/compare/index.ts';
import { machineInfo } from '../src/machine.ts';
import { buildResults, type RoundResult } from '../src/measure/index.ts';
import type { TaskOutput } from '../src/measure/protocol.ts';
import { DEFAULTS } from '../src/options.ts';
import { renderMarkdown, renderTerminal } from '../src/report/index.ts';
import { comparisonSchema } from '../src/schema/comparison.ts';
import { parseResults, type Results } from '../src/schema/results.ts';

const machine = machineInfo();

function task(name: string, count: number, cycles?: number): TaskOutput {
  return { name, samples: [count, count, count], median: count, batch: 1, calls: 3, async: false, ...(cycles === undefined ? {} : { estimatedCycles: cycles }) };
}

function rounds(perRound: Array<Array<[string, number, number | undefined]>>): RoundResult[] {
  return perRound.map((tasks) => ({ suiteFile: 'bench/s.bench.ts', suite: 's', tasks: tasks.map(([n, c, y]) => task(n, c, y)), wallMs: 100 }));
}

function results(perRound: Array<Array<[string, number, number | undefined]>>): Results {
  const r = buildResults({ suites: [{ file: 'bench/s.bench.ts', rounds: rounds(perRound) }], clock: 'instructions', startedAt: '2026-12-06T00:00:00Z', machine });
  return parseResults(JSON.parse(JSON.stringify(r)), 'built');
}

/** 8 rounds of two tasks: `mem` has the same count on both sides but `memCycles` estimated cycles. */
function side(memCycles: number): Results {
  return results(Array.from({ length: 8 }, (_, i) => [['cpu', 5_000 + (i % 2), 6_000], ['mem', 20_000 + (i % 3), memCycles]]));
}

describe('estimated cycles', () => {
  it('are kept per round, aligned with rounds, only when every counted round has them', () => {
    const r = results([
      [['a', 1000, 1500], ['b', 2000, 2500]],
      [['a', 1010, 1520], ['b', 2000, undefined]],
    ]);
    const a = r.benchmarks.find((b) => b.id === 's/a')!;
    expect(a.rounds).toEqual([1000, 1010]);
    expect(a.estimatedCycles).toEqual([1500, 1520]);
    expect(r.benchmarks.find((b) => b.id === 's/b')!.estimatedCycles).toBeUndefined();
  });

  it('compare: head over base beside the count, which alone makes the verdict', () => {
    const c = compare({ base: side(40_000), head: side(52_000), thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'paired', baseSource: 'base commit' });
    comparisonSchema.parse(c);
    const mem = c.benchmarks.find((b) => b.id === 's/mem')!;
    expect(mem.cycles).toEqual({ base: 40_000, head: 52_000, change: 52_000 / 40_000 - 1 });
    // The counts did not move: unchanged, whatever the cache simulation says.
    expect(mem.verdict).toBe('unchanged');
    expect(c.benchmarks.find((b) => b.id === 's/cpu')!.cycles).toEqual({ base: 6_000, head: 6_000, change: 0 });
    expect(c.gate.failed).toBe(false);
  });

  it('reports: an "Est. cycles" column and its legend when a row has them, nothing otherwise', () => {
    const c = compare({ base: side(40_000), head: side(52_000), thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'paired', baseSource: 'base commit' });
    const md = renderMarkdown(c, { details: 'all' });
    const header = md.split('\n').find((l) => l.startsWith('| Suite'))!;
    expect(header).toMatch(/\| Change[^|]*\| +Est\. cycles \|/);
    const memLine = md.split('\n').find((l) => l.includes('| mem '))!;
    expect(memLine).toContain('+30.0%');
    expect(md).toContain('Est. cycles: callgrind');
    expect(md).toContain('instruction counts, not time');
    const term = renderTerminal(c, { color: false, width: 200 });
    expect(term).toContain('Est. cycles');
    expect(term).toContain('+30.0%');
    // Without the figures (wall clock, hardware counters): no column, no legend.
    const plain = compare({ base: results([[['cpu', 5000, undefined]], [['cpu', 5001, undefined]]]), head: results([[['cpu', 5000, undefined]], [['cpu', 5001, undefined]]]), thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'paired', baseSource: 'base commit' });
    expect(plain.benchmarks[0].cycles).toBeUndefined();
    expect(renderMarkdown(plain, { details: 'all' })).not.toContain('Est. cycles');
    expect(renderTerminal(plain, { color: false })).not.toContain('Est. cycles');
  });
});
