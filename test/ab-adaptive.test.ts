// Adaptive sampling of same-runner A/B: the look schedule, the staged alpha (known Lan-DeMets
// values), the resolution rule, and the whole loop on simulated rounds (no processes): sampling
// until significant does not raise false alarms above alpha, only unresolved suites get more
// rounds, and the time budget cuts the schedule.
import { describe, expect, it } from 'vitest';
import { decideSameRunner, lookAlpha, planLooks, resolution, runInterleaved, ADAPTIVE_DEFAULTS, type SameRunnerResult } from '../src/ab/index.ts';
import { screenedOut } from '../src/ab/adaptive.ts';
import type { RoundOptions, RoundResult } from '../src/measure/index.ts';
import { DEFAULTS, type Thresholds } from '../src/options.ts';
import type { BenchmarkComparison } from '../src/schema/comparison.ts';
import { machineInfo } from '../src/machine.ts';
import { createRandom, signedRankPmf, spentAlpha, wilcoxonSignedRank } from '../src/stats/index.ts';

const ALPHA = 0.05;
const settings = { ...ADAPTIVE_DEFAULTS, rounds: 8, alpha: ALPHA };

describe('staged alpha spending (Lan-DeMets, O\'Brien-Fleming type)', () => {
  it('matches the published cumulative alpha at information fractions 1/4, 1/2, 3/4, 1 (two-sided 0.05)', () => {
    // Lan & DeMets (1983), Table 1; gsDesign sfLDOF: 0.0001, 0.0056, 0.0236, 0.0500.
    expect(spentAlpha(0.05, 0.25)).toBeCloseTo(0.0001, 4);
    expect(spentAlpha(0.05, 0.5)).toBeCloseTo(0.0056, 4);
    expect(spentAlpha(0.05, 0.75)).toBeCloseTo(0.0236, 4);
    expect(spentAlpha(0.05, 1)).toBe(0.05);
    // More digits at t = 0.5: 2 − 2Φ(1.959964·√2) = 0.005574596.
    expect(spentAlpha(0.05, 0.5)).toBeCloseTo(0.005574596, 8);
  });

  it('plans looks at 8/12/16 rounds by default, spending alpha by information fraction', () => {
    const plan = planLooks(settings);
    expect(plan.rounds).toEqual([8, 12, 16]);
    expect(plan.spent[0]).toBeCloseTo(0.005574596, 8); // t = 8/16
    expect(plan.spent[1]).toBeCloseTo(spentAlpha(0.05, 0.75), 14);
    expect(plan.spent[2]).toBe(0.05);
    const a = [1, 2, 3].map((k) => lookAlpha(plan, k, false));
    expect(a[0]).toBeCloseTo(0.005574596, 8);
    expect(a[1]).toBeCloseTo(0.023640 - 0.005575, 4);
    expect(a[2]).toBeCloseTo(0.05 - 0.023640, 4);
    // The levels of the looks made never add up to more than alpha.
    expect(a.reduce((s, x) => s + x, 0)).toBeCloseTo(0.05, 14);
    expect(a.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(0.05 + 1e-15);
    // At the first look the exact test can reach its level: 2^−8 ≤ a_1.
    expect(2 ** -8).toBeLessThanOrEqual(a[0]);
  });

  it('raises the first look until the exact signed-rank test can reach its alpha', () => {
    // rounds 6 with 3 looks of +4: t_1 = 6/14 gives a_1 = 0.0028 < 2^−6; n_1 = 8 is the first that works.
    expect(planLooks({ ...settings, rounds: 6 }).rounds).toEqual([8, 12, 16]);
    // 5 looks of +2 from 6: a_1 is tiny, so the first look moves out until 2^−n ≤ a_1.
    const p = planLooks({ ...settings, rounds: 6, batch: 2, maxLooks: 5 });
    expect(2 ** -p.rounds[0]).toBeLessThanOrEqual(lookAlpha(p, 1, false));
    expect(2 ** -(p.rounds[0] - 1)).toBeGreaterThan(spentAlpha(0.05, (p.rounds[0] - 1) / (p.rounds[0] - 1 + 8)));
    // A fixed design (one look) is the plain test at alpha.
    const one = planLooks({ ...settings, maxLooks: 1 });
    expect(one.rounds).toEqual([8]);
    expect(lookAlpha(one, 1, false)).toBe(0.05);
    // The last look made may spend what is left.
    expect(lookAlpha(planLooks(settings), 2, true)).toBeCloseTo(0.05 - 0.005574596, 8);
  });

  it('uses the exact small-n signed-rank distribution (published critical values)', () => {
    // Wilcoxon table, n = 10: P(V ≤ 8) = 25/1024 = 0.0244 (one-sided 2.5% critical value 8),
    // P(V ≤ 10) = 43/1024 = 0.0420 (5% critical value 10); n = 6: P(V ≤ 0) = 1/64.
    const cdf = (n: number, v: number) => Array.from(signedRankPmf(n)).slice(0, v + 1).reduce((s, p) => s + p, 0);
    expect(cdf(10, 8)).toBeCloseTo(25 / 1024, 14);
    expect(cdf(10, 9)).toBeGreaterThan(0.025);
    expect(cdf(10, 10)).toBeCloseTo(43 / 1024, 14);
    expect(cdf(10, 11)).toBeGreaterThan(0.05);
    expect(cdf(6, 0)).toBe(1 / 64);
    // Eight positive paired log-ratios give p = 2^−8 exactly.
    expect(wilcoxonSignedRank([0.1, 0.2, 0.15, 0.12, 0.3, 0.11, 0.14, 0.13], { alternative: 'greater' }).p).toBe(1 / 256);
  });
});

describe('resolution', () => {
  const t: Thresholds = DEFAULTS.thresholds;
  const b = (worseCi?: [number, number], extra: Partial<BenchmarkComparison> = {}): BenchmarkComparison => ({
    id: 's/x',
    suite: 's',
    name: 'x',
    unit: 'ns',
    direction: 'lower',
    verdict: 'unchanged',
    reason: '',
    ...(worseCi ? { worseCi } : {}),
    ...extra,
  });
  it('is resolved when the interval lies on one side of the minor and of the major threshold', () => {
    expect(resolution(b([-0.02, 0.03]), t).resolved).toBe(true); // cannot be a regression
    expect(resolution(b([-0.2, -0.08]), t).resolved).toBe(true); // an improvement
    expect(resolution(b([0.07, 0.12]), t).resolved).toBe(true); // minor for sure
    expect(resolution(b([0.2, 0.4]), t).resolved).toBe(true); // major for sure
    expect(resolution(b([0.03, 0.08]), t)).toMatchObject({ resolved: false, why: expect.stringContaining('5.0% minor') });
    expect(resolution(b([0.1, 0.2]), t)).toMatchObject({ resolved: false, why: expect.stringContaining('15.0% major') });
    expect(resolution(b([-0.1, 0.5]), t).resolved).toBe(false);
  });
  it('the screen sets aside only an unchanged row whose whole interval lies strictly within ±minor', () => {
    expect(screenedOut(b([-0.04, 0.049]), t)).toBe(true);
    expect(screenedOut(b([-0.01, 0.05]), t)).toBe(false); // touches the minor threshold
    expect(screenedOut(b([-0.05, 0.01]), t)).toBe(false); // …or its mirror: an improvement is not ruled out
    expect(screenedOut(b([-0.02, 0.08]), t)).toBe(false);
    expect(screenedOut(b([-0.03, 0.03], { verdict: 'inconclusive' }), t)).toBe(false);
    expect(screenedOut(b([0.01, 0.04], { verdict: 'minor' }), t)).toBe(false);
    expect(screenedOut(b([-0.04, -0.01], { verdict: 'improved' }), t)).toBe(false);
    expect(screenedOut(b([-0.01, 0.01], { error: 'boom' }), t)).toBe(false);
    expect(screenedOut(b(undefined), t)).toBe(false);
    // With minor-threshold 2 the band narrows with it.
    expect(screenedOut(b([-0.01, 0.03]), { ...t, minor: 0.02 })).toBe(false);
    expect(screenedOut(b([-0.01, 0.019]), { ...t, minor: 0.02 })).toBe(true);
  });
  it('treats failed, new and missing benchmarks as resolved, and no interval as unresolved', () => {
    expect(resolution(b(undefined, { verdict: 'critical', error: 'boom' }), t).resolved).toBe(true);
    expect(resolution(b(undefined, { verdict: 'new' }), t).resolved).toBe(true);
    expect(resolution(b(undefined, { verdict: 'inconclusive' }), t).resolved).toBe(false);
    // Too few pairs for the test: unresolved whatever the interval says.
    expect(resolution(b([-0.01, 0.01], { verdict: 'inconclusive', reason: 'too few rounds to tell' }), t)).toMatchObject({ resolved: false, why: 'too few rounds to tell' });
  });
});

// ---------------------------------------------------------------------------------------------
// The loop on simulated rounds.

interface SimTask {
  name: string;
  /** Median per-op cost on the base side. */
  base: number;
  /** head/base factor. */
  factor: number;
  /** Coefficient of variation of a round's median. */
  cv: number;
}

function simulator(suites: Record<string, SimTask[]>, seed: number, opts: { sleepMs?: number } = {}) {
  const rnd = createRandom(seed);
  const calls: Record<string, number> = {};
  const runner = async (file: string, o: RoundOptions): Promise<RoundResult> => {
    if (opts.sleepMs) await new Promise((r) => setTimeout(r, opts.sleepMs));
    const side = o.cwd === '/head' ? 'head' : 'base';
    calls[`${file}:${side}`] = (calls[`${file}:${side}`] ?? 0) + 1;
    const tasks = suites[file].map((t) => {
      const v = rnd.lognormal(t.base * (side === 'head' ? t.factor : 1), t.cv);
      return { name: t.name, samples: [v], median: v, batch: 1, calls: 1, async: false };
    });
    return { suiteFile: file, suite: file.replace(/\.bench\.mjs$/, ''), tasks, wallMs: 1 };
  };
  return { runner, calls };
}

const machine = machineInfo();

async function simulate(suites: Record<string, SimTask[]>, seed: number, over: { thresholds?: Thresholds; timeBudget?: number; sleepMs?: number; maxLooks?: number } = {}) {
  const sim = simulator(suites, seed, { sleepMs: over.sleepMs });
  const out = await runInterleaved({
    suites: Object.keys(suites).map((file) => ({ file, inBase: true })),
    head: { cwd: '/head' },
    base: { cwd: '/base' },
    clock: 'wall',
    suiteTimeout: 10,
    timeBudget: over.timeBudget ?? 1e6,
    thresholds: over.thresholds ?? DEFAULTS.thresholds,
    failOn: 'minor',
    settings: { ...settings, maxLooks: over.maxLooks ?? settings.maxLooks },
    random: createRandom(seed + 1).uniform,
    runner: sim.runner,
    machine,
  });
  return { out, calls: sim.calls };
}

describe('adaptive sampling on simulated rounds', () => {
  it('does not raise false alarms above alpha when it samples until significant', async () => {
    // Pure significance (no noise floor, no minor threshold): every look can "find" a
    // regression in identical code, the classic way optional stopping inflates the error rate.
    const t: Thresholds = { minor: 0, major: 0.15, critical: 0.5, noiseFloor: 0, alpha: ALPHA };
    const runs = 600;
    let falseAlarms = 0;
    let looksMade = 0;
    for (let i = 0; i < runs; i++) {
      const { out } = await simulate({ 'aa.bench.mjs': [{ name: 'x', base: 1000, factor: 1, cv: 0.03 }] }, 1000 + i, { thresholds: t });
      looksMade += out.looks.length;
      if (out.comparison.benchmarks.some((b) => b.verdict === 'minor' || b.verdict === 'major' || b.verdict === 'critical')) falseAlarms++;
    }
    // Under H0 the one-sided rate is at most the sum of the looks' levels (0.05); the Monte Carlo
    // standard error at 600 runs is about 0.009.
    expect(falseAlarms / runs).toBeLessThanOrEqual(0.05 + 0.02);
    expect(looksMade / runs).toBeGreaterThan(2); // it did look repeatedly
  });

  it('catches a 10% slowdown at noise 3% and reports it at the last look\'s alpha', async () => {
    const { out } = await simulate({ 'reg.bench.mjs': [{ name: 'x', base: 1000, factor: 1.1, cv: 0.03 }] }, 7);
    const b = out.comparison.benchmarks[0];
    expect(b.verdict).toBe('minor');
    expect(out.comparison.thresholds.alpha).toBe(out.alpha);
    expect(out.alpha).toBe(out.looks[out.looks.length - 1].alpha);
  });

  it('gives more rounds only to unresolved suites, and stops when all are resolved', async () => {
    const { out, calls } = await simulate(
      {
        'quiet.bench.mjs': [{ name: 'q', base: 1000, factor: 1, cv: 0.002 }],
        'noisy.bench.mjs': [{ name: 'n', base: 1000, factor: 1.05, cv: 0.08 }],
      },
      3,
    );
    // Two benchmarks: the first look waits until the signed-rank test can pass Holm's first step
    // (2^-n <= a_1 / 2): 9 rounds instead of 8, then 4 more per look.
    expect(out.plan.rounds).toEqual([9, 13, 17]);
    expect(out.notices.join(' ')).toMatch(/2 benchmarks are compared: Holm's first step/);
    expect(out.roundsBySuite['quiet.bench.mjs']).toBe(9);
    expect(calls['quiet.bench.mjs:head']).toBe(9);
    expect(calls['quiet.bench.mjs:base']).toBe(9);
    expect(out.roundsBySuite['noisy.bench.mjs']).toBe(17);
    expect(out.looks[0].unresolvedSuites).toEqual(['noisy.bench.mjs']);
    const noisy = out.comparison.benchmarks.find((b) => b.id === 'noisy/n')!;
    expect(out.unresolved['noisy/n']).toBeDefined();
    expect(['inconclusive', 'minor', 'major']).toContain(noisy.verdict);
    if (noisy.verdict === 'inconclusive') expect(noisy.reason).toMatch(/not resolved|too noisy/);
    expect(out.comparison.benchmarks.find((b) => b.id === 'quiet/q')!.verdict).toBe('unchanged');
    // Identical quiet code resolves at the first look.
    const quiet = await simulate({ 'quiet.bench.mjs': [{ name: 'q', base: 1000, factor: 1, cv: 0.002 }] }, 4);
    expect(quiet.out.stoppedBy).toBe('resolved');
    expect(quiet.out.looks).toHaveLength(1);
    expect(quiet.out.alpha).toBeCloseTo(0.005574596, 8);
  });

  it('fits the number of looks to the time budget after the first round', async () => {
    // 2 × 20 ms per round: 16 rounds do not fit in 0.45 s, 8 do: a single look at alpha 0.05.
    const { out } = await simulate({ 'slow.bench.mjs': [{ name: 's', base: 1000, factor: 1, cv: 0.05 }] }, 5, { timeBudget: 0.45, sleepMs: 20 });
    expect(out.plan.rounds).toEqual([8]);
    expect(out.alpha).toBe(0.05);
    expect(out.notices.join(' ')).toMatch(/allows a single look/);
  });
});

describe('decideSameRunner', () => {
  it('compares at the last look\'s alpha, reports unresolved "unchanged" as inconclusive, and adds the notices', async () => {
    const { out } = await simulate({ 'noisy.bench.mjs': [{ name: 'n', base: 1000, factor: 1.02, cv: 0.15 }] }, 11);
    const ab: SameRunnerResult = {
      head: out.head,
      base: out.base,
      missingInBase: [],
      rounds: out.rounds,
      elapsedMs: out.elapsedMs,
      notices: ['note'],
      sha: 'a'.repeat(40),
      alpha: out.alpha,
      unresolved: { 'noisy/n': 'its interval still contains the 5.0% minor threshold' },
      looks: out.looks,
    };
    const c = decideSameRunner(DEFAULTS, ab);
    expect(c.mode).toBe('paired');
    expect(c.thresholds.alpha).toBe(out.alpha);
    expect(c.base?.source).toBe('base commit aaaaaaa (same runner)');
    const b = c.benchmarks[0];
    expect(b.verdict).not.toBe('unchanged');
    if (b.verdict === 'inconclusive') expect(b.grade).toBeUndefined();
    expect(c.notices).toContain('note');
  });

  it('without a base, compares nothing and says it is not a pass', async () => {
    const { out } = await simulate({ 'x.bench.mjs': [{ name: 'x', base: 1000, factor: 1, cv: 0.01 }] }, 12);
    const c = decideSameRunner(DEFAULTS, {
      head: out.head,
      base: null,
      baseProblem: 'the base commit bbbbbbb did not build: `npm run build` failed',
      missingInBase: [],
      rounds: 8,
      elapsedMs: 1,
      notices: [],
      sha: 'b'.repeat(40),
      alpha: 0.05,
      unresolved: {},
      looks: [],
    });
    expect(c.mode).toBe('none');
    expect(c.benchmarks.every((b) => b.verdict === 'new')).toBe(true);
    expect(c.gate.failed).toBe(false);
    expect(c.notices.join(' ')).toMatch(/did not build.*not a pass of unchanged code/);
  });
});
