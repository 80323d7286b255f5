// `perfgate calibrate --clock instructions` (src/calibrate/instructions.ts) and the extra work it
// injects (PERFGATE_INJECT_WORK, src/measure/harness.ts): the pools, runs and rates on rounds
// with known counts, and the injected loop's real extra instructions under callgrind.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { calibrateInstructions, renderInstructionsCalibration, PROBE_ITERATIONS } from '../src/calibrate/instructions.ts';
import { findOnPath } from '../src/measure/callgrind.ts';
import type { RoundResult } from '../src/measure/index.ts';
import { runSuiteRound } from '../src/measure/index.ts';
import { DEFAULTS, INSTRUCTIONS_DEFAULTS, INSTRUCTIONS_SUITE_TIMEOUT, parseOptions } from '../src/options.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const valgrind = findOnPath('valgrind');

/** A round of suite "s" with tasks steady (1000 a call) and wobbly (±2% by round), plus n × 5 extra on steady. */
function fakeRound(round: number, env: Record<string, string> | undefined): RoundResult {
  const work = env?.PERFGATE_INJECT_WORK ? (JSON.parse(env.PERFGATE_INJECT_WORK) as Record<string, number>)['s/steady'] ?? 0 : 0;
  const task = (name: string, median: number) => ({ name, samples: [median], median, batch: 1, calls: 100, async: false });
  return {
    suiteFile: 'bench/s.bench.ts',
    suite: 's',
    tasks: [task('steady', 1000 + 5 * work + (round % 3) * 0.01), task('wobbly', 5000 * (1 + 0.02 * Math.sin(round * 1.7)))],
    wallMs: 1000,
  };
}

describe('calibrate --clock instructions', () => {
  it('builds A/A and injected runs from pools of rounds and counts false alarms and detections', async () => {
    let n = 0;
    const opts = parseOptions([{ raw: { 'minor-threshold': '1', 'noise-floor': '0.5', rounds: '6' }, source: { kind: 'option' } }]);
    const report = await calibrateInstructions(opts, { cwd: root, suites: ['bench/s.bench.ts'], runs: 20, injectionRuns: 10, aaRounds: 12, injectRounds: 10, target: 's/steady', runRound: async (_f, env) => fakeRound(n++, env) });
    expect(report.processes.total).toBe(12 + 1 + 2 * 10);
    expect(report.target).toEqual({ id: 's/steady', countPerCall: expect.closeTo(1000, 0) as number, loopPerIteration: expect.closeTo(5, 1) as number });
    const steady = report.spread.find((s) => s.id === 's/steady')!;
    expect(steady.medians).toHaveLength(12);
    expect(steady.spread).toBeLessThan(0.0001);
    expect(report.spread.find((s) => s.id === 's/wobbly')!.spread).toBeGreaterThan(0.03);
    expect(report.aa.runs).toBe(20);
    expect(report.aa.falseFails.k).toBe(0);
    // The wobbly task (±2% between rounds) inside the 0.5% floor's reach is the only one that may warn.
    for (const k of Object.keys(report.aa.flagged)) expect(k).toMatch(/^s\/wobbly/);
    const [one, two] = report.injection;
    expect(one.level).toBe(0.01);
    expect(one.iterations).toBe(2); // 1% of 1000 at 5 a iteration
    expect(one.achieved).toBeCloseTo(0.01, 4);
    expect(two.iterations).toBe(4);
    expect(two.detected).toMatchObject({ k: 10, n: 10 });
    expect(two.verdicts).toEqual({ minor: 10 });
    expect(renderInstructionsCalibration(report)).toMatch(/aim \+2\.0%: 4 iterations, achieved \+2\.000%; detected \(minor or worse\) 10\/10/);
  });

  it('refuses pools too small for the runs', async () => {
    const opts = parseOptions([{ raw: { rounds: '6' }, source: { kind: 'option' } }]);
    await expect(calibrateInstructions(opts, { cwd: root, suites: ['x'], aaRounds: 10, runRound: async (_f, env) => fakeRound(0, env) })).rejects.toThrow(/2 × 6 distinct rounds; the A\/A pool has 10/);
  });
});

describe('defaults under clock: instructions (src/options.ts)', () => {
  const parse = (raw: Record<string, string>) => parseOptions([{ raw, source: { kind: 'option' } }]).thresholds;
  it('lowers the minor threshold and the noise floor where nobody set them, and only there', () => {
    expect(INSTRUCTIONS_DEFAULTS).toEqual({ 'minor-threshold': 0.01, 'noise-floor': 0.005 });
    expect(parse({ clock: 'instructions' })).toMatchObject({ minor: 0.01, noiseFloor: 0.005, major: 0.15, critical: 0.5 });
    expect(parse({ clock: 'wall' })).toMatchObject({ minor: 0.05, noiseFloor: 0.01 });
    expect(parse({})).toMatchObject({ minor: 0.05, noiseFloor: 0.01 });
    expect(parse({ clock: 'instructions', 'minor-threshold': '3' })).toMatchObject({ minor: 0.03, noiseFloor: 0.005 });
    expect(parse({ clock: 'instructions', 'noise-floor': '0.1' })).toMatchObject({ minor: 0.01, noiseFloor: 0.001 });
    expect(parse({ clock: 'instructions', 'minor-threshold': '0.2' })).toMatchObject({ minor: 0.002, noiseFloor: 0.002 });
    const all = (raw: Record<string, string>) => parseOptions([{ raw, source: { kind: 'option' } }]);
    expect(all({ clock: 'instructions' })).toMatchObject({ rounds: 8, abDesign: 'rounds' });
    expect(all({ clock: 'instructions', 'ab-design': 'slices' }).abDesign).toBe('slices');
    expect(all({ clock: 'wall' }).abDesign).toBe('slices');
    // valgrind is 50-100x slower: the suite timeout grows unless it was set
    expect(INSTRUCTIONS_SUITE_TIMEOUT).toBe(3600);
    expect(all({ clock: 'instructions' }).suiteTimeout).toBe(3600);
    expect(all({ clock: 'instructions', 'suite-timeout': '120' }).suiteTimeout).toBe(120);
    expect(all({ clock: 'wall' }).suiteTimeout).toBe(DEFAULTS.suiteTimeout);
    expect(DEFAULTS.suiteTimeout).toBe(300);
  });
});

describe('PERFGATE_INJECT_WORK under callgrind', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-native.mjs'), '--probe-only'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  });

  it.runIf(valgrind)('adds real instructions to every call, in proportion to the iterations', async () => {
    const suite = 'test/fixtures/valgrind/tiny.bench.mjs';
    const round = (n: number) =>
      runSuiteRound(suite, { cwd: root, clock: 'instructions', timeoutSec: 200, taskTimeMs: 20, env: { PERFGATE_INJECT_WORK: JSON.stringify({ 'tiny/sum 200': n }) } });
    // Both with the wrapper (0 iterations on one side): they differ by the loop alone.
    const [plain, more] = await Promise.all([round(0), round(PROBE_ITERATIONS)]);
    expect(plain.error).toBeUndefined();
    expect(more.error).toBeUndefined();
    const extra = more.tasks[0].median - plain.tasks[0].median;
    // An LCG step is a handful of instructions once optimized: 1,000 of them add thousands, not millions.
    expect(extra / PROBE_ITERATIONS).toBeGreaterThan(2);
    expect(extra / PROBE_ITERATIONS).toBeLessThan(50);
  }, 240_000);
});
