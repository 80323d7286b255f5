// `perfgate calibrate --designs` (src/calibrate/designs.ts) on simulated pairs: every variant runs
// the same number of interleaved A/A runs with its own settings (the duet's base worker on
// another CPU than its head), the spread of the per-pair log-ratios is computed per benchmark,
// and the variant with the smallest spread is named. No timing.
import { describe, expect, it } from 'vitest';
import { canPin, type PairInput, type PairOutput } from '../src/ab/slices.ts';
import { madSd } from '../src/stats/index.ts';
import { renderDesignStudy, studyDesigns, type DesignVariant } from '../src/calibrate/designs.ts';
import type { RoundResult } from '../src/measure/index.ts';
import { parseOptions } from '../src/options.ts';
import { createRandom } from '../src/stats/index.ts';
import { machine } from './helpers/results.ts';

/** The design study's premise, simulated: a pair's log-ratio has sd 2% pinned, 12% unpinned, 9% in duet. */
const SPREAD: Record<DesignVariant, number> = { pinned: 0.02, unpinned: 0.12, duet: 0.09 };

function simulator(seen: PairInput[]) {
  const r = createRandom(11);
  return async (input: PairInput): Promise<PairOutput> => {
    seen.push(input);
    const variant: DesignVariant = input.settings.duet ? 'duet' : input.settings.pin ? 'pinned' : 'unpinned';
    const round = (values: Record<string, number>): RoundResult => ({
      suiteFile: input.file,
      suite: 's',
      tasks: Object.entries(values).map(([name, v]) => ({ name, samples: [v], median: v, batch: 1, calls: 1, async: false })),
      wallMs: 1,
    });
    const base: Record<string, number> = {};
    const head: Record<string, number> = {};
    const logRatios: Record<string, number> = {};
    for (const t of ['a', 'b', 'c']) {
      const d = r.normal(0, SPREAD[variant]);
      base[t] = 1000;
      head[t] = 1000 * Math.exp(d);
      logRatios[t] = d;
    }
    return { head: round(head), base: round(base), logRatios, switches: 0, slices: 0, blocks: 0, excludedBlocks: 0, wallMs: 1 };
  };
}

describe('robust sd', () => {
  it('is 1.4826 × the median absolute deviation', () => {
    expect(madSd([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 10);
    expect(madSd([5])).toBe(0);
  });
});

describe('the design study', () => {
  it('runs every variant alike, measures their spread and names the best', async () => {
    const opts = parseOptions([{ raw: { rounds: '6' }, source: { kind: 'test' } }]);
    const seen: PairInput[] = [];
    const study = await studyDesigns(opts, { cwd: '/repo', suites: ['bench/s.bench.mjs'], clock: 'wall', runs: 3, seed: 5, pairRunner: simulator(seen), machine: machine() });
    const by = Object.fromEntries(study.variants.map((v) => [v.variant, v]));
    expect(study.variants.map((v) => v.variant)).toEqual(['pinned', 'unpinned', 'duet']);
    expect(by.unpinned.runs).toBe(3);
    // Each run: one look, pairs raised to what 3 benchmarks need (2^-6 ≤ 0.05 / 3).
    expect(by.unpinned.pairs).toBe(6);
    expect(by.unpinned.benchmarks.map((b) => b.id).sort()).toEqual(['s/a', 's/b', 's/c']);
    expect(by.unpinned.benchmarks.every((b) => b.n === 18)).toBe(true);
    expect(seen.filter((p) => !p.settings.pin).every((p) => p.cpu === null)).toBe(true);
    if (canPin()) {
      for (const v of ['pinned', 'duet'] as const) expect(by[v].runs).toBe(3);
      // The duet's base worker runs on another CPU than its head; the pinned pair shares one.
      const duet = seen.filter((p) => p.settings.duet);
      expect(duet.length).toBe(18);
      expect(duet.every((p) => p.baseCpu !== undefined && p.baseCpu !== p.cpu)).toBe(true);
      expect(seen.filter((p) => p.settings.pin && !p.settings.duet).every((p) => p.baseCpu === undefined && p.cpu !== null)).toBe(true);
      // The simulated spreads come back in order, and the pinned variant is named best.
      expect(by.pinned.robustSd).toBeLessThan(by.duet.robustSd);
      expect(by.pinned.plainSd).toBeLessThan(0.04);
      expect(by.unpinned.plainSd).toBeGreaterThan(0.06);
      expect(study.best).toBe('pinned');
    } else {
      expect(by.pinned.unavailable).toMatch(/could not be pinned|needs two CPUs/);
      expect(study.best).toBe('unpinned');
    }
    const text = renderDesignStudy(study);
    expect(text).toMatch(/^pinned +\d/m);
    expect(text).toMatch(/^unpinned +3 /m);
    expect(text).toMatch(/Best here \(smallest robust spread of the per-pair estimate\): /);
  });
});
