// Stored comparisons that know how much sessions differ: pooling sessions into a baseline, the
// session-spread test, the assumed spread when a baseline has none, and the busy-machine rule.
// Synthetic, seeded sessions at the scale of this repository (22 benchmarks): each session moves
// every benchmark by a session effect (the machine busier or quieter), and its rounds vary
// around that.
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/options.ts';
import { compare, DEFAULT_SESSION_SD, sessionSpreads, type CompareInput } from '../src/compare/index.ts';
import { comparisonSchema, type Comparison } from '../src/schema/comparison.ts';
import type { Results } from '../src/schema/results.ts';
import { createRandom, studentTQuantile } from '../src/stats/index.ts';
import { poolSessions } from '../src/store/sessions.ts';
import { stringifyResults, parseStoredResults, splitBySuite, mergeResults } from '../src/store/index.ts';
import { bench, results } from './helpers/results.ts';

const IDS = Array.from({ length: 22 }, (_, i) => `suite${i % 7}/task ${i}`);

/**
 * One session of all 22 benchmarks: every benchmark's level is multiplied by `factor` (the
 * code's change) and by a session effect e^N(0, sessionSd) (shared by the session's rounds),
 * each of its 8 rounds by e^N(0, roundSd).
 */
function session(seed: number, { factor = 1, sessionSd = 0.1, roundSd = 0.03, rounds = 8 } = {}): Results {
  const r = createRandom(seed);
  const shared = r.normal(0, sessionSd); // the machine's state for the whole session
  return results(
    IDS.map((id, i) => {
      const own = r.normal(0, sessionSd / 3); // tasks are not slowed alike
      return bench(
        id,
        r.many(rounds, () => (1000 + 100 * i) * factor * Math.exp(shared + own + r.normal(0, roundSd))),
      );
    }),
  );
}

function stored(base: Results, head: Results, extra: Partial<CompareInput> = {}): Comparison {
  const c = compare({ base, head, thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'baselines/ (file)', assumeSessionSd: DEFAULT_SESSION_SD, ...extra });
  comparisonSchema.parse(c);
  return c;
}

const count = (c: Comparison, verdicts: string[]) => c.benchmarks.filter((b) => verdicts.includes(b.verdict)).length;

describe("Student's t quantile", () => {
  it('matches published values', () => {
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776445, 5);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228139, 5);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.749996, 5);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.776445, 5);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959964, 5);
  });
});

describe('poolSessions', () => {
  it('pools rounds, keeps the spread of session medians, and survives the file store', () => {
    const sessions = [1, 2, 3, 4, 5].map((s) => session(s));
    const pooled = poolSessions(sessions);
    expect(pooled.benchmarks).toHaveLength(22);
    expect(pooled.benchmarks[0].rounds).toHaveLength(40);
    const sp = pooled.sessions![IDS[0]];
    expect(sp.n).toBe(5);
    // The sd of the log of the five session medians, computed by hand.
    const logs = sessions.map((s) => {
      const r = [...s.benchmarks[0].rounds].sort((a, b) => a - b);
      return Math.log((r[3] + r[4]) / 2);
    });
    const m = logs.reduce((a, b) => a + b, 0) / 5;
    expect(sp.sd).toBeCloseTo(Math.sqrt(logs.reduce((a, x) => a + (x - m) ** 2, 0) / 4), 12);
    // Written per suite and read back: the spread stays with its benchmarks.
    const files = splitBySuite(pooled);
    const back = mergeResults([...files].map(([name, doc]) => ({ name, results: parseStoredResults(stringifyResults(doc), name, '') })));
    expect(back.sessions).toEqual(pooled.sessions);
  });

  it('keeps a failure, and gives no spread to a benchmark missing from a session', () => {
    const a = session(1);
    const b = session(2);
    b.benchmarks[0] = { ...b.benchmarks[0], status: 'failed', error: 'Error: boom', rounds: [], samples: [] };
    b.benchmarks.pop();
    const pooled = poolSessions([a, b]);
    expect(pooled.benchmarks.find((x) => x.id === IDS[0])!.status).toBe('failed');
    expect(pooled.sessions![IDS[0]]).toBeUndefined();
    expect(pooled.sessions![IDS[21]]).toBeUndefined();
    expect(pooled.sessions![IDS[1]].n).toBe(2);
  });
});

describe('stored comparison against the spread between sessions (22 benchmarks)', () => {
  it('unchanged code in a busier or quieter session neither fails nor improves', () => {
    const base = poolSessions([101, 102, 103, 104, 105].map((s) => session(s)));
    let fails = 0;
    let runsFlagged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const c = stored(base, session(1000 + seed));
      if (c.gate.failed) fails++;
      if (count(c, ['minor', 'major', 'critical', 'improved']) > 0) runsFlagged++;
    }
    expect(fails).toBe(0);
    // A session effect moves all 22 rows together, so a run either flags several or none: the
    // share of runs with any flagged row stays within alpha (0.05 × 40 = 2, plus three standard
    // errors of a binomial count: 2 + 3·√1.9 ≈ 6).
    expect(runsFlagged).toBeLessThanOrEqual(6);
  });

  it('the same sessions compared on their rounds alone cry wolf (why the spread is needed)', () => {
    const base = session(101);
    let fails = 0;
    for (let seed = 1; seed <= 20; seed++) if (compare({ base, head: session(1000 + seed), thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'stored', baseSource: 'x' }).gate.failed) fails++;
    expect(fails).toBeGreaterThan(2); // more than 10% of runs of unchanged code fail
  });

  it('a doubling fails every time, with every row major or critical', () => {
    const base = poolSessions([101, 102, 103, 104, 105].map((s) => session(s)));
    for (let seed = 1; seed <= 10; seed++) {
      const c = stored(base, session(2000 + seed, { factor: 2 }));
      expect(c.gate.failed).toBe(true);
      expect(count(c, ['major', 'critical'])).toBe(22);
    }
  });

  it('a 25% regression fails against a measured spread', () => {
    const base = poolSessions([101, 102, 103, 104, 105].map((s) => session(s, { sessionSd: 0.04 })));
    const c = stored(base, session(3000, { factor: 1.25, sessionSd: 0.04 }));
    expect(c.gate.failed).toBe(true);
    expect(c.notices.join(' ')).toMatch(/pooled sd/);
  });

  it('without a measured spread, the assumed one: unchanged code passes, a doubling still fails, and the report says so', () => {
    const base = session(101); // one session, no `sessions`
    let fails = 0;
    for (let seed = 1; seed <= 20; seed++) if (stored(base, session(4000 + seed)).gate.failed) fails++;
    expect(fails).toBe(0);
    // Sessions that differ by a few percent: a doubling stands out from the assumed 15%.
    const doubled = stored(session(102, { sessionSd: 0.04 }), session(5000, { factor: 2, sessionSd: 0.04 }));
    expect(doubled.gate.failed).toBe(true);
    expect(doubled.notices.join(' ')).toMatch(/carries no measure of how much separate sessions differ, so perfgate assumes 15%/);
    expect(sessionSpreads(base, 0.15)('x')).toEqual({ sd: 0.15, sessions: 1, measured: false });
  });

  it('a disturbed run is tested against what a busy machine can do: +30% is "machine busy, re-run", a doubling still fails', () => {
    const base = poolSessions([101, 102, 103, 104, 105].map((s) => session(s, { sessionSd: 0.04 })));
    const busy = { involuntaryContextSwitches: 5000, otherCores: 1, warning: 'The machine was disturbed while measuring: test.' };
    const slower = session(6000, { factor: 1.3, sessionSd: 0.04 });
    slower.disturbance = busy;
    const c = stored(base, slower);
    expect(c.gate.failed).toBe(false);
    expect(count(c, ['inconclusive'])).toBe(22);
    expect(c.benchmarks[0].reason).toMatch(/^machine busy while measuring, re-run: /);
    expect(c.notices.join(' ')).toMatch(/busy while measuring .* a change of up to 50% may be the machine's/);
    const doubled = session(6001, { factor: 2, sessionSd: 0.04 });
    doubled.disturbance = busy;
    const d = stored(base, doubled);
    expect(d.gate.failed).toBe(true);
    expect(count(d, ['critical'])).toBe(22);
    // No improvement is claimed on a busy machine.
    const faster = session(6002, { factor: 0.7, sessionSd: 0.04 });
    faster.disturbance = busy;
    expect(count(stored(base, faster), ['improved'])).toBe(0);
    // In paired (same-runner) mode both sides saw the same machine: nothing is excused. (10 pairs:
    // 2^-10 passes Holm's first step for 22 benchmarks, 2^-8 would not.)
    const paired = compare({ base: session(7000, { factor: 1.3, rounds: 10 }), head: { ...session(7000, { factor: 1.3 * 1.3, rounds: 10 }), disturbance: busy }, thresholds: DEFAULTS.thresholds, failOn: 'major', failOnCrossMachine: false, mode: 'paired', baseSource: 'x' });
    expect(paired.gate.failed).toBe(true);
  });
});
