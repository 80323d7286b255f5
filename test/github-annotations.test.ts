// annotationsFor: pure mapping from a comparison to run annotations; emitAnnotations and
// writeJobSummary through @actions/core's workflow commands and summary file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitAnnotations, writeJobSummary } from '../src/action/toolkit.ts';
import { annotationsFor } from '../src/github/annotations.ts';
import { comparisonSchema, type BenchmarkComparison, type Comparison, type Verdict } from '../src/schema/comparison.ts';

function bench(id: string, verdict: Verdict, worse: number | undefined, reason: string, extra: Partial<BenchmarkComparison> = {}): BenchmarkComparison {
  const [suite, name] = id.split('/');
  return { id, suite, name, unit: 'ns', direction: 'lower', verdict, worse, reason, ...extra };
}

function comparison(benchmarks: BenchmarkComparison[], extra: Partial<Comparison> = {}): Comparison {
  const counts = { improved: 0, unchanged: 0, inconclusive: 0, minor: 0, major: 0, critical: 0, new: 0, missing: 0 };
  const c: Comparison = {
    schema: 'perfgate/comparison@1',
    mode: 'paired',
    crossMachine: false,
    base: { commit: 'f95f852', fingerprint: 'linux-x64-abc', source: 'base commit f95f852' },
    head: { commit: 'ec26c3e', fingerprint: 'linux-x64-abc' },
    thresholds: { minor: 0.05, major: 0.15, critical: 0.5, noiseFloor: 0.01, alpha: 0.05 },
    benchmarks,
    suites: [],
    overall: { name: '(run)', grade: 'D', label: 'Poor', counts },
    gate: { failed: true, failOn: 'major', reason: '1 major regression' },
    notices: [],
    ...extra,
  };
  return comparisonSchema.parse(c);
}

describe('annotationsFor', () => {
  it('warning per minor, error per major or critical, worst first; nothing for the rest', () => {
    const c = comparison([
      bench('config/parse', 'unchanged', 0.002, 'No significant change.'),
      bench('cache/read', 'minor', 0.126, 'Significantly slower: +12.6%.'),
      bench('retry/backoff', 'major', 0.228, 'Significantly slower: +22.8%.'),
      bench('simd/dot', 'improved', -0.3, 'Faster.'),
      bench('load/users-50', 'critical', undefined, 'The benchmark crashed.', { error: 'exit code 134' }),
      bench('scan/infra', 'inconclusive', 0.04, 'Too noisy to tell.'),
      bench('breaker/trip', 'minor', 0.07, 'Slower than the minor threshold.', { worseCi: [0.055, 0.09] }),
    ]);
    expect(annotationsFor(c)).toEqual([
      { level: 'error', title: 'perfgate: load/users-50 critical', message: 'The benchmark crashed. Error: exit code 134' },
      { level: 'error', title: 'perfgate: retry/backoff major', message: 'Significantly slower: +22.8%.' },
      { level: 'warning', title: 'perfgate: cache/read minor', message: 'Significantly slower: +12.6%.' },
      { level: 'warning', title: 'perfgate: breaker/trip minor', message: 'Slower than the minor threshold. Change: +7.0% worse (95% CI +5.5% to +9.0%).' },
    ]);
  });

  it('notices for a cross-machine comparison, for no baseline, and the comparison\'s own notices', () => {
    const cross = comparison([bench('cache/read', 'minor', 0.1, 'Slower: +10%.')], {
      mode: 'stored',
      crossMachine: true,
      base: { fingerprint: 'other', source: 'cache perfgate-main-Linux' },
      notices: ['Clock: wall.'],
    });
    const a = annotationsFor(cross);
    expect(a.map((x) => [x.level, x.title])).toEqual([
      ['warning', 'perfgate: cache/read minor'],
      ['notice', 'perfgate: cross-machine comparison'],
      ['notice', 'perfgate'],
    ]);
    expect(a[1].message).toMatch(/cache perfgate-main-Linux.*another machine.*do not fail/);

    const none = comparison([bench('cache/read', 'new', undefined, 'New benchmark.')], { mode: 'none', base: undefined });
    expect(annotationsFor(none)).toEqual([expect.objectContaining({ level: 'notice', title: 'perfgate: no baseline' })]);
  });

  it('caps each level at 10 (GitHub shows no more), the last one saying how many more', () => {
    const many = Array.from({ length: 14 }, (_, i) => bench(`s/b${i}`, 'major', 0.2 + i / 100, `+${20 + i}%`));
    const a = annotationsFor(comparison(many));
    expect(a).toHaveLength(10);
    expect(a[0].title).toBe('perfgate: s/b13 major');
    expect(a[9]).toEqual({ level: 'error', title: 'perfgate: 5 more', message: '5 more major or critical regressions: see the job summary for the full table.' });
  });
});

describe('actions.ts (core)', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('emitAnnotations writes ::error/::warning/::notice commands with the title, escaped', () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
    emitAnnotations([
      { level: 'error', title: 'perfgate: a/b major', message: 'slower\nby 20%' },
      { level: 'warning', title: 'perfgate: a/c, minor', message: 'slower' },
      { level: 'notice', title: 'perfgate', message: 'cross-machine' },
    ]);
    expect(out.join('')).toBe(
      '::error title=perfgate%3A a/b major::slower%0Aby 20%25\n::warning title=perfgate%3A a/c%2C minor::slower\n::notice title=perfgate::cross-machine\n',
    );
  });

  it('writeJobSummary appends to GITHUB_STEP_SUMMARY, and only logs when it is unset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-summary-'));
    try {
      const file = join(dir, 'summary.md');
      process.env.GITHUB_STEP_SUMMARY = file;
      const lines: string[] = [];
      const log = { info: (m: string) => void lines.push(m), warning: (m: string) => void lines.push(`W ${m}`) };
      // @actions/core opens the file for append and requires it to exist, as on a runner.
      (await import('node:fs')).writeFileSync(file, '');
      expect(await writeJobSummary('## perfgate: grade A\n', log)).toBe(true);
      expect(await writeJobSummary('second\n', log)).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe('## perfgate: grade A\n\nsecond\n\n');

      delete process.env.GITHUB_STEP_SUMMARY;
      expect(await writeJobSummary('x', log)).toBe(false);
      expect(lines).toEqual([expect.stringMatching(/GITHUB_STEP_SUMMARY is not set/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
