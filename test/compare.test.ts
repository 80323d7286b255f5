// The decision rule end to end on synthetic, seeded samples: log-normal rounds with a given
// coefficient of variation, 10 rounds a side unless said otherwise.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, type Thresholds } from '../src/options.ts';
import { comparisonSchema, type BenchmarkComparison, type Comparison } from '../src/schema/comparison.ts';
import type { Benchmark, Results } from '../src/schema/results.ts';
import { capLearnedFloor, compare, decide, groupGrade, gradeAtOrBelow, estimateChange, type CompareInput } from '../src/compare/index.ts';
import { createRandom } from '../src/stats/index.ts';
import { bench, failedBench, lognormal, results } from './helpers/results.ts';

const T: Thresholds = { ...DEFAULTS.thresholds };

function run(base: Results | null, head: Results, extra: Partial<CompareInput> = {}): Comparison {
  const c = compare({ base, head, thresholds: T, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'baselines/ (file)', ...extra });
  comparisonSchema.parse(c); // the output contract holds in every test
  return c;
}

/** One benchmark, base median 1000 ns, head median 1000·factor, seeded log-normal noise. */
function pair(factor: number, { seed = 1, cv = 0.02, n = 10, direction = 'lower' as Benchmark['direction'], id = 'core/parse', extra = {} as Partial<Benchmark> } = {}) {
  return {
    base: bench(id, lognormal(seed * 2, n, 1000, cv), { direction, ...extra }),
    head: bench(id, lognormal(seed * 2 + 1, n, 1000 * factor, cv), { direction, ...extra }),
  };
}

function one(factor: number, opts: Parameters<typeof pair>[1] = {}, extra: Partial<CompareInput> = {}): { c: Comparison; b: BenchmarkComparison } {
  const p = pair(factor, opts);
  const c = run(results([p.base]), results([p.head]), extra);
  return { c, b: c.benchmarks[0] };
}

/** Paired rounds: a shared per-round disturbance (10% CV) plus 1% own noise on each side. */
function pairedRounds(factor: number, seed: number, n = 10, m = n) {
  const r = createRandom(seed);
  const drift = r.many(Math.max(n, m), () => r.lognormal(1, 0.1));
  return {
    base: bench('core/parse', drift.slice(0, n).map((d) => 1000 * d * r.lognormal(1, 0.01))),
    head: bench('core/parse', drift.slice(0, m).map((d) => 1000 * factor * d * r.lognormal(1, 0.01))),
  };
}

describe('stored mode: one benchmark', () => {
  it('no change → unchanged (A, or A- when the estimate leans worse)', () => {
    for (const seed of [1, 2, 3]) {
      const { b, c } = one(1, { seed });
      expect(b.verdict).toBe('unchanged');
      expect(b.grade).toBe(b.worse! > b.noiseFloor! ? 'A-' : 'A');
      expect(b.worseCi![0]).toBeLessThan(b.worse!);
      expect(b.worseCi![1]).toBeGreaterThan(b.worse!);
      expect(c.gate.failed).toBe(false);
    }
  });

  it('8% slower → minor, grade B: a warning under fail-on major, a failure under fail-on minor', () => {
    const { b, c } = one(1.08);
    expect(b).toMatchObject({ verdict: 'minor', grade: 'B' });
    expect(b.worse).toBeGreaterThan(0.05);
    expect(b.worse).toBeLessThan(0.1);
    expect(b.reason).toMatch(/^\d+\.\d% slower \(95% CI \d+\.\d%–\d+\.\d%\), significant after Benjamini-Hochberg \(p[=<]/);
    expect(c.gate.failed).toBe(false);
    expect(one(1.08, {}, { failOn: 'minor' }).c.gate).toMatchObject({ failed: true, failOn: 'minor' });
  });

  it('12.6% slower → minor, grade C', () => {
    const { b } = one(1.126);
    expect(b).toMatchObject({ verdict: 'minor', grade: 'C' });
  });

  it('22.8% slower → major, grade D, and the gate fails', () => {
    const { b, c } = one(1.228);
    expect(b).toMatchObject({ verdict: 'major', grade: 'D' });
    expect(b.ratio).toBeGreaterThan(1.2);
    expect(b.ratio).toBeLessThan(1.26);
    expect(b.reason).toMatch(/^2\d\.\d% slower \(95% CI \d+\.\d%–\d+\.\d%\), significant after Holm \(p[=<]0\.\d+\)$/);
    expect(c.gate.failed).toBe(true);
    expect(c.gate.reason).toContain('core/parse (major)');
    expect(c.overall.grade).toBe('D');
  });

  it('30% slower → major; 2x slower → critical, grade F', () => {
    expect(one(1.3).b).toMatchObject({ verdict: 'major', grade: 'D' });
    const { b } = one(2);
    expect(b).toMatchObject({ verdict: 'critical', grade: 'F' });
    expect(b.reason).toMatch(/^2\.\d\dx slower .*critical threshold/);
  });

  it('15% faster → improved A+; 6% faster → improved A', () => {
    const fast = one(0.85).b;
    expect(fast).toMatchObject({ verdict: 'improved', grade: 'A+' });
    expect(fast.reason).toMatch(/^1\d\.\d% faster/);
    const bit = one(0.94).b;
    expect(bit).toMatchObject({ verdict: 'improved', grade: 'A' });
    expect(bit.worse).toBeLessThanOrEqual(-0.05);
    expect(bit.worse).toBeGreaterThan(-0.1);
  });

  it('very noisy (30% CV, 4 rounds) with a +10% shift → inconclusive, no grade, said plainly', () => {
    const { b, c } = one(1.1, { cv: 0.3, n: 4 });
    expect(b.verdict).toBe('inconclusive');
    expect(b.grade).toBeUndefined();
    expect(b.reason).toMatch(/^too noisy to tell: .*major\) regression cannot be ruled out/);
    expect(c.gate.failed).toBe(false);
    expect(c.overall.grade).toBeUndefined();
    expect(c.overall.label).toBe('Not graded');
  });

  it('too few rounds for the test to ever be significant → inconclusive, even for a clear 2x', () => {
    const { b } = one(2, { n: 3 });
    expect(b.verdict).toBe('inconclusive');
    expect(b.reason).toMatch(/^too few rounds to tell \(3 base and 3 head rounds; need at least 4 a side\)/);
    expect(b.pHolm).toBeUndefined();
  });

  it('a failed head benchmark → critical, grade F, with its error; the gate fails', () => {
    const base = results([bench('core/parse', lognormal(1, 10, 1000, 0.02))]);
    const head = results([failedBench('core/parse', 'TypeError: x is not a function')]);
    const c = run(base, head);
    expect(c.benchmarks[0]).toMatchObject({ verdict: 'critical', grade: 'F', error: 'TypeError: x is not a function', reason: 'failed: TypeError: x is not a function' });
    expect(c.benchmarks[0].base).toBeDefined();
    expect(c.benchmarks[0].head).toBeUndefined();
    expect(c.gate.failed).toBe(true);
  });

  it('higher is better: throughput 20% lower → major (25% worse)', () => {
    const { b } = one(0.8, { direction: 'higher' });
    expect(b.verdict).toBe('major');
    expect(b.ratio).toBeCloseTo(0.8, 1);
    expect(b.worse).toBeCloseTo(0.25, 1);
    expect(b.reason).toMatch(/^\d+\.\d% lower/);
    // and 20% higher throughput is an improvement
    expect(one(1.2, { direction: 'higher' }).b).toMatchObject({ verdict: 'improved', grade: 'A+' });
  });

  it("a learned noise floor above the change makes it unchanged (the baseline's own noiseFloor by default)", () => {
    const p = pair(1.03);
    const c = run(results([p.base], { noiseFloor: { 'core/parse': 0.045 } }), results([p.head]));
    expect(c.benchmarks[0]).toMatchObject({ verdict: 'unchanged', grade: 'A', noiseFloor: 0.045 });
    expect(c.benchmarks[0].reason).toMatch(/^within the 4\.5% noise floor/);
    const explicit = run(results([p.base]), results([p.head]), { noiseFloor: { 'core/parse': 0.045 } });
    expect(explicit.benchmarks[0]).toMatchObject({ verdict: 'unchanged', grade: 'A' });
    // Without the floor the same change leans worse.
    expect(run(results([p.base]), results([p.head])).benchmarks[0].grade).toBe('A-');
  });

  it('a learned noise floor is capped at the minor threshold where it enters a decision: it cannot hide an 8% regression', () => {
    expect(capLearnedFloor({ a: 0.3, b: 0.02 }, T)).toEqual({ a: 0.05, b: 0.02 });
    expect(capLearnedFloor(undefined, T)).toBeUndefined();
    const p = pair(1.08);
    const c = run(results([p.base]), results([p.head]), { noiseFloor: capLearnedFloor({ 'core/parse': 0.3 }, T) });
    expect(c.benchmarks[0].noiseFloor).toBe(0.05);
    expect(c.benchmarks[0].verdict).not.toBe('unchanged');
  });
});

describe('unresolved benchmarks (adaptive sampling ran out)', () => {
  it('turn an unchanged verdict into inconclusive, and leave a regression as it is', () => {
    const same = one(1, {}, { unresolved: { 'core/parse': 'time budget spent' } }).b;
    expect(same.verdict).toBe('inconclusive');
    expect(same.grade).toBeUndefined();
    expect(same.reason).toMatch(/^not resolved: time budget spent; /);
    expect(one(1.228, {}, { unresolved: { 'core/parse': 'time budget spent' } }).b.verdict).toBe('major');
  });
});

describe('paired mode', () => {
  const paired = (factor: number, seed = 1, n = 10, m = n) => {
    const p = pairedRounds(factor, seed, n, m);
    const c = run(results([p.base]), results([p.head]), { mode: 'paired' });
    return { c, b: c.benchmarks[0] };
  };

  it('removes the shared per-round disturbance and reaches the same verdicts', () => {
    expect(paired(1).b.verdict).toBe('unchanged');
    expect(paired(1.08).b).toMatchObject({ verdict: 'minor', grade: 'B' });
    expect(paired(1.126).b).toMatchObject({ verdict: 'minor', grade: 'C' });
    expect(paired(1.228).b).toMatchObject({ verdict: 'major', grade: 'D' });
    expect(paired(2).b).toMatchObject({ verdict: 'critical', grade: 'F' });
    expect(paired(0.85).b).toMatchObject({ verdict: 'improved', grade: 'A+' });
    expect(paired(1.228).c.mode).toBe('paired');
  });

  it('pairing is what makes it precise: the paired interval is much narrower than the two-sample one', () => {
    const p = pairedRounds(1.228, 1);
    const pairedCi = estimateChange(p.base.rounds, p.head.rounds, 'lower', 'paired', 0.01, 0.05).shiftCi;
    const storedCi = estimateChange(p.base.rounds, p.head.rounds, 'lower', 'stored', 0.01, 0.05).shiftCi;
    expect(pairedCi[1] - pairedCi[0]).toBeLessThan((storedCi[1] - storedCi[0]) / 3);
  });

  it('needs 6 pairs; unequal lengths pair the first min(n) rounds and say so', () => {
    const few = paired(1.228, 1, 5);
    expect(few.b.verdict).toBe('inconclusive');
    expect(few.b.reason).toMatch(/need at least 6/);
    const uneven = paired(1.228, 1, 10, 8);
    expect(uneven.b.verdict).toBe('major');
    expect(uneven.b.base!.n).toBe(10);
    expect(uneven.c.notices).toContain('core/parse: base has 10 rounds and head 8: paired the first 8.');
  });
});

describe('many benchmarks: multiple testing', () => {
  // Seed 20 at 12% CV and +20%: alone, p = 0.0073 and a 95% CI clear of the noise floor → major.
  const borderline = () => ({
    base: bench('big/borderline', lognormal(1020, 10, 1000, 0.12)),
    head: bench('big/borderline', lognormal(2020, 10, 1200, 0.12)),
  });

  it('alone, the borderline regression is major', () => {
    const b = borderline();
    const c = run(results([b.base]), results([b.head]));
    expect(c.benchmarks[0].verdict).toBe('major');
    expect(c.benchmarks[0].pWorse).toBeCloseTo(0.0073, 4);
  });

  it('among 20 benchmarks Holm lifts its p to 20 × 0.0073 = 0.15: not a failure, and not called unchanged', () => {
    const b = borderline();
    const others = Array.from({ length: 19 }, (_, i) => pair(1, { seed: 100 + i, id: `big/b${i}` }));
    const c = run(results([b.base, ...others.map((o) => o.base)]), results([b.head, ...others.map((o) => o.head)]));
    const x = c.benchmarks.find((r) => r.id === 'big/borderline')!;
    expect(x.pHolm).toBeCloseTo(20 * x.pWorse!, 10);
    expect(x.pHolm).toBeGreaterThan(0.05);
    expect(x.pBH).toBeGreaterThan(0.05);
    expect(x.verdict).toBe('inconclusive');
    expect(c.gate.failed).toBe(false);
    expect(c.benchmarks.filter((r) => r.verdict === 'unchanged')).toHaveLength(19);
    expect(c.overall.counts).toEqual({ improved: 0, unchanged: 19, inconclusive: 1, minor: 0, major: 0, critical: 0, new: 0, missing: 0 });
  });

  it('a clear 22.8% regression among 20 still fails after Holm', () => {
    const bad = pair(1.228, { id: 'big/bad' });
    const others = Array.from({ length: 19 }, (_, i) => pair(1, { seed: 100 + i, id: `big/b${i}` }));
    const c = run(results([bad.base, ...others.map((o) => o.base)]), results([bad.head, ...others.map((o) => o.head)]));
    expect(c.benchmarks[0].verdict).toBe('major');
    expect(c.gate.failed).toBe(true);
  });
});

describe('new, missing, no baseline, cross-machine', () => {
  it('new and missing benchmarks have no grade and do not fail', () => {
    const p = pair(1);
    const c = run(results([p.base, bench('core/gone', [5, 5, 5, 5])]), results([p.head, bench('core/added', [7, 7, 7, 7])]));
    const byId = Object.fromEntries(c.benchmarks.map((b) => [b.id, b]));
    expect(byId['core/added']).toMatchObject({ verdict: 'new', reason: 'new: not in the baseline' });
    expect(byId['core/gone']).toMatchObject({ verdict: 'missing', base: { median: 5, n: 4 } });
    expect(byId['core/added'].grade).toBeUndefined();
    expect(byId['core/gone'].grade).toBeUndefined();
    expect(c.notices).toContain('1 benchmark of the baseline did not run: core/gone.');
    expect(c.gate.failed).toBe(false);
    expect(c.suites[0].counts).toMatchObject({ new: 1, missing: 1, unchanged: 1 });
  });

  it('a benchmark whose baseline run failed is new-like, with the reason', () => {
    const c = run(results([failedBench('core/parse', 'OOM')]), results([bench('core/parse', lognormal(3, 10, 1000, 0.02))]));
    expect(c.benchmarks[0]).toMatchObject({ verdict: 'new', reason: "the baseline's run of this benchmark failed (OOM): nothing to compare" });
  });

  it('no baseline: mode none, every benchmark new, the gate passes', () => {
    const c = run(null, results([pair(1).head, pair(1, { id: 'core/scan' }).head]));
    expect(c.mode).toBe('none');
    expect(c.base).toBeUndefined();
    expect(c.benchmarks.map((b) => b.verdict)).toEqual(['new', 'new']);
    expect(c.gate).toEqual({ failed: false, failOn: 'major', reason: 'no baseline yet: nothing compared' });
    expect(c.overall.grade).toBeUndefined();
  });

  it('cross-machine: labelled, noticed, and a major regression does not fail unless opted in', () => {
    const p = pair(1.228);
    const base = results([p.base], { fingerprint: 'runner-a' });
    const head = results([p.head], { fingerprint: 'runner-b' });
    const c = run(base, head);
    expect(c.crossMachine).toBe(true);
    expect(c.benchmarks[0].verdict).toBe('major');
    expect(c.gate.failed).toBe(false);
    expect(c.gate.reason).toMatch(/another machine .*not failing, because fail-on-cross-machine is off/);
    expect(c.notices[0]).toMatch(/another machine \(fingerprint runner-a, this run runner-b\)/);
    expect(run(base, head, { failOnCrossMachine: true }).gate.failed).toBe(true);
  });

  it('cross-machine does not excuse a crash', () => {
    const base = results([bench('core/parse', lognormal(1, 10, 1000, 0.02))], { fingerprint: 'runner-a' });
    const head = results([failedBench('core/parse')], { fingerprint: 'runner-b' });
    expect(run(base, head).gate.failed).toBe(true);
  });

  it('fail-on never never fails, but names what it would have', () => {
    const c = one(2, {}, { failOn: 'never' }).c;
    expect(c.gate.failed).toBe(false);
    expect(c.gate.reason).toBe('fail-on is never: the gate does not fail (1 regression: core/parse (critical))');
  });
});

describe('SLAs', () => {
  it('a broken SLA is critical with grade F and names the target, with or without a baseline', () => {
    const sla = [{ metric: 'p95' as const, max: 900 }];
    const p = pair(1, { extra: { sla } });
    const c = run(results([p.base]), results([p.head]));
    expect(c.benchmarks[0]).toMatchObject({ verdict: 'critical', grade: 'F', sla: { met: false } });
    expect(c.benchmarks[0].reason).toMatch(/^SLA broken: p95 1\d{3}(\.\d+)? ns > max 900 ns; /);
    expect(c.gate.failed).toBe(true);
    const none = run(null, results([p.head]));
    expect(none.benchmarks[0].verdict).toBe('critical');
    expect(none.gate.failed).toBe(true);
  });

  it('a met SLA with under 20% headroom caps the grade at A-; a new benchmark keeps verdict new', () => {
    const sla = [{ metric: 'value' as const, max: 1100 }];
    const p = pair(1, { extra: { sla } });
    const c = run(results([p.base]), results([p.head]));
    expect(c.benchmarks[0]).toMatchObject({ verdict: 'unchanged', grade: 'A-' });
    expect(c.benchmarks[0].sla!.met).toBe(true);
    expect(c.benchmarks[0].sla!.headroom).toBeGreaterThan(0.05);
    expect(c.benchmarks[0].sla!.headroom).toBeLessThan(0.2);
    expect(c.benchmarks[0].reason).toMatch(/SLA met with only \d+% headroom$/);
    const fresh = run(null, results([p.head]));
    expect(fresh.benchmarks[0]).toMatchObject({ verdict: 'new', sla: { met: true } });
  });

  it('load and memory metrics; success rate headroom is the error budget left; unmeasured metrics break', () => {
    const load = { users: 50, durationMs: 10_000, requests: 10_000, errors: 20, throughput: 998, successRate: 0.998, latencyMs: { p50: 5, p95: 12, p99: 30, mean: 6 } };
    const ok = bench('load/api', [1, 1, 1, 1], {
      load,
      memory: { peakRssBytes: 300 * 2 ** 20 },
      sla: [
        { metric: 'successRate', min: 0.99 },
        { metric: 'latencyP95Ms', max: 50 },
        { metric: 'peakRssBytes', max: 512 * 2 ** 20 },
      ],
    });
    const c = run(null, results([ok]));
    expect(c.benchmarks[0].sla).toMatchObject({ met: true });
    expect(c.benchmarks[0].sla!.headroom).toBeCloseTo(212 / 512, 10); // the tightest target: peak RSS
    const rate = bench('load/api', [1, 1, 1, 1], { load, sla: [{ metric: 'successRate', min: 0.99 }] });
    expect(run(null, results([rate])).benchmarks[0].sla!.headroom).toBeCloseTo(0.8, 10); // (0.998 − 0.99) / (1 − 0.99)
    expect(c.benchmarks[0].sla!.detail).toContain('peak RSS 300 MiB ≤ max 512 MiB');
    const blind = bench('load/api', [1, 1, 1, 1], { sla: [{ metric: 'throughput', min: 100 }] });
    const b = run(null, results([blind])).benchmarks[0];
    expect(b.verdict).toBe('critical');
    expect(b.reason).toContain('throughput: not measured by this run');
  });
});

describe('grades of groups', () => {
  it('averages grade points and maps to the grade at or below', () => {
    expect(gradeAtOrBelow(3.85)).toBe('A-');
    expect(gradeAtOrBelow(4.0)).toBe('A');
    expect(gradeAtOrBelow(0.5)).toBe('F');
    expect(groupGrade(['A', 'A', 'A+'])).toBe('A'); // 4.1
    expect(groupGrade(['A', 'A-'])).toBe('A-'); // 3.85
    expect(groupGrade([undefined, undefined])).toBeUndefined();
  });

  it('caps at one grade above the worst: a D makes it at best C, an F at best D', () => {
    expect(groupGrade(['A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'D'])).toBe('C'); // mean 3.7 → A-, capped
    expect(groupGrade(['A+', 'A+', 'A+', 'A+', 'A+', 'A+', 'F'])).toBe('D'); // mean 3.69 → B, capped
    expect(groupGrade(['A', 'A', 'A', 'A', 'B'])).toBe('A-'); // mean 3.8 → A-, cap A- too
    expect(groupGrade(['A+', 'A+'])).toBe('A+');
    expect(groupGrade(['C', undefined, 'A'])).toBe('B'); // mean 3.0, cap B; ungraded skipped
  });

  it('suites and the run get grades, geometric means and counts', () => {
    const parse = pair(1.228, { id: 'core/parse' });
    const scan = [1, 2, 3].map((s) => pair(1, { seed: 10 + s, id: `core/scan${s}` }));
    const cache = pair(0.85, { id: 'cache/read' });
    const c = run(
      results([parse.base, ...scan.map((s) => s.base), cache.base]),
      results([parse.head, ...scan.map((s) => s.head), cache.head]),
    );
    const core = c.suites.find((s) => s.name === 'core')!;
    expect(c.suites.map((s) => s.name)).toEqual(['core', 'cache']);
    expect(core.grade).toBe('C'); // D among A's: at best C
    expect(core.label).toBe('Weak');
    expect(core.counts.major).toBe(1);
    const worse = c.benchmarks.filter((b) => b.suite === 'core').map((b) => 1 + b.worse!);
    expect(core.geomeanWorseRatio).toBeCloseTo(Math.exp(worse.reduce((s, w) => s + Math.log(w), 0) / worse.length), 12);
    expect(c.suites[1]).toMatchObject({ name: 'cache', grade: 'A+', label: 'Exceptional' });
    expect(c.overall.name).toBe('(run)');
    expect(c.overall.grade).toBe('C');
    expect(Object.keys(c.overall.counts).sort()).toEqual(['critical', 'improved', 'inconclusive', 'major', 'minor', 'missing', 'new', 'unchanged']);
  });
});

describe('native speedup', () => {
  it('sets the TypeScript twin over the native one on the non-ts twin', () => {
    const ts = bench('scan/rules-ts', [1000, 1010, 990, 1000], { group: 'scan-rules', impl: 'ts' });
    const rs = bench('scan/rules-rust', [250, 252, 248, 250], { group: 'scan-rules', impl: 'rust' });
    const tput = bench('simd/sum-ts', [100, 100, 100, 100], { group: 'simd', impl: 'ts', direction: 'higher', unit: 'ops/s' });
    const tputRs = bench('simd/sum-rust', [800, 800, 800, 800], { group: 'simd', impl: 'rust', direction: 'higher', unit: 'ops/s' });
    const c = run(null, results([ts, rs, tput, tputRs]));
    const byId = Object.fromEntries(c.benchmarks.map((b) => [b.id, b]));
    expect(byId['scan/rules-rust'].speedup).toEqual({ versus: 'TypeScript', factor: 4 });
    expect(byId['scan/rules-ts'].speedup).toBeUndefined();
    expect(byId['simd/sum-rust'].speedup).toEqual({ versus: 'TypeScript', factor: 8 });
  });
});

describe('decide() directly', () => {
  const estimate = (shift: number, ci: [number, number], pWorse: number) => ({
    mode: 'stored' as const,
    nBase: 10,
    nHead: 10,
    shift: Math.log1p(shift),
    shiftCi: [Math.log1p(ci[0]), Math.log1p(ci[1])] as [number, number],
    pWorse,
    pBetter: 1,
    minP: 1 / 184756,
    enough: true,
  });
  const base = { direction: 'lower' as const, unit: 'ns', thresholds: T, noiseFloor: 0.01 };

  it('a major-sized estimate significant after BH but not after Holm is not labelled minor: likely major, not yet proven', () => {
    const d = decide({ ...base, estimate: estimate(0.2, [0.05, 0.35], 0.01), pHolm: 0.2, pBH: 0.04 });
    expect(d.verdict).toBe('inconclusive');
    expect(d.grade).toBeUndefined();
    expect(d.reason).toMatch(/^likely a major regression, not yet proven: 20\.0% slower .*significant after Benjamini-Hochberg \(p=0\.04\) but not after Holm \(p=0\.2\)/);
    const big = decide({ ...base, estimate: estimate(2.57, [1.0, 3.0], 0.004), pHolm: 0.09, pBH: 0.004 });
    expect(big.verdict).toBe('inconclusive');
    expect(big.reason).toMatch(/^likely a critical regression, not yet proven/);
  });

  it('a minor-sized estimate significant after BH but not after Holm is a minor warning', () => {
    const d = decide({ ...base, estimate: estimate(0.11, [0.06, 0.16], 0.01), pHolm: 0.2, pBH: 0.04 });
    expect(d).toMatchObject({ verdict: 'minor', grade: 'C' });
  });

  it('significant but with the interval reaching into the noise floor is not a regression', () => {
    const d = decide({ ...base, estimate: estimate(0.06, [0.005, 0.12], 0.03), pHolm: 0.03, pBH: 0.03 });
    expect(d).toMatchObject({ verdict: 'unchanged', grade: 'A-' });
    expect(decide({ ...base, estimate: estimate(0.06, [0.005, 0.16], 0.03), pHolm: 0.03, pBH: 0.03 }).verdict).toBe('inconclusive');
  });

  it('a significant change below the minor threshold is unchanged, leaning worse (A-)', () => {
    const d = decide({ ...base, estimate: estimate(0.03, [0.02, 0.04], 0.0001), pHolm: 0.0001, pBH: 0.0001 });
    expect(d).toMatchObject({ verdict: 'unchanged', grade: 'A-' });
    expect(d.reason).toBe('3.0% slower (95% CI 2.0%–4.0%): significant but below the 5% minor threshold');
  });
});
