// The gate's verdict and exit code (src/gate/verdict.ts): known answers for every mode, no I/O.
import { describe, expect, it } from 'vitest';
import { EXIT_FAIL, EXIT_PASS, gateVerdict, regressionCount, weeklyVerdict, withMissingBaselinePolicy } from '../src/gate/verdict.ts';
import { DEFAULTS } from '../src/options.ts';
import { analyzeWeekly } from '../src/weekly/index.ts';
import { bench, comparison } from './helpers/comparison.ts';
import { FLAT_SPECS, weeklyHistory } from './helpers/weekly.ts';

const fine = bench({ suite: 's', name: 'fine', verdict: 'unchanged', base: 100, change: 0.002 });
const faster = bench({ suite: 's', name: 'faster', verdict: 'improved', base: 100, change: -0.2 });
const minor = bench({ suite: 's', name: 'minor', verdict: 'minor', base: 100, change: 0.08 });
const major = bench({ suite: 's', name: 'major', verdict: 'major', base: 100, change: 0.25 });

describe('gateVerdict', () => {
  it('passes a run without regressions, exit 0', () => {
    const v = gateVerdict(comparison([fine, faster]));
    expect(v).toEqual({ verdict: 'pass', exitCode: EXIT_PASS, failed: false, reason: 'no regression at or above major', regressions: 0, improvements: 1 });
  });

  it('warns on a minor regression without failing, exit 0', () => {
    const v = gateVerdict(comparison([fine, minor]));
    expect(v.verdict).toBe('warn');
    expect(v.exitCode).toBe(0);
    expect(v.failed).toBe(false);
    expect(v.regressions).toBe(1);
  });

  it('fails when the comparison\'s gate failed, exit 1, with its reason', () => {
    const c = comparison([minor, major]);
    const v = gateVerdict(c);
    expect(v.verdict).toBe('fail');
    expect(v.exitCode).toBe(EXIT_FAIL);
    expect(v.failed).toBe(true);
    expect(v.reason).toBe(c.gate.reason);
    expect(v.regressions).toBe(regressionCount(c));
    expect(v.regressions).toBe(2);
  });

  it('follows the gate field, not the verdicts: fail-on never keeps a major regression a warning', () => {
    const c = comparison([major], { gate: { failed: false, failOn: 'never', reason: 'fail-on is never: the gate does not fail' } });
    expect(gateVerdict(c)).toMatchObject({ verdict: 'warn', exitCode: 0, failed: false, regressions: 1 });
  });
});

describe('withMissingBaselinePolicy', () => {
  const none = comparison([], { gate: { failed: false, failOn: 'major', reason: 'nothing compared' } });

  it('keeps the comparison\'s gate when a baseline was found or the policy is off', () => {
    expect(withMissingBaselinePolicy(none, { found: true, source: 'baselines/ (file)' }, true)).toBe(none.gate);
    expect(withMissingBaselinePolicy(none, { found: false, source: 'baselines/ (file)' }, false)).toBe(none.gate);
  });

  it('fails without a baseline when fail-on-missing-baseline is true, naming why', () => {
    expect(withMissingBaselinePolicy(none, { found: false, reason: 'cache miss', source: 'cache' }, true)).toEqual({
      failed: true,
      failOn: 'major',
      reason: 'no baseline (cache miss) and fail-on-missing-baseline is true',
    });
    expect(withMissingBaselinePolicy(none, { found: false, source: 'cache key x' }, true).reason).toBe('no baseline (cache key x) and fail-on-missing-baseline is true');
  });
});

describe('weeklyVerdict', () => {
  it('never fails a weekly run: a flat history passes with exit 0', () => {
    const runs = weeklyHistory(12, FLAT_SPECS, 3);
    const a = analyzeWeekly({ latest: runs[11], history: runs.slice(0, 11), options: { thresholds: DEFAULTS.thresholds, failOn: 'major' }, branch: 'main', source: 'test' });
    const v = weeklyVerdict(a);
    expect(v.failed).toBe(false);
    expect(v.exitCode).toBe(0);
    expect(v.verdict).toBe(v.regressions > 0 ? 'warn' : 'pass');
  });

  it('warns, never fails, when the latest run regressed against the rolling baseline', () => {
    const specs = FLAT_SPECS.map((s, k) => (k === 0 ? { ...s, level: (i: number) => s.level(i) * (i === 11 ? 1.6 : 1), noise: 0.005 } : s));
    const runs = weeklyHistory(12, specs, 3);
    const a = analyzeWeekly({ latest: runs[11], history: runs.slice(0, 11), options: { thresholds: DEFAULTS.thresholds, failOn: 'major' }, branch: 'main', source: 'test' });
    const v = weeklyVerdict(a);
    expect(v.verdict).toBe('warn');
    expect(v.failed).toBe(false);
    expect(v.exitCode).toBe(0);
    expect(v.regressions).toBeGreaterThan(0);
  });
});
