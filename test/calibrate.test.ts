// `perfgate calibrate`: the power-curve SVG, and a small real calibration (one A/A run, one run
// with a 50% injected slowdown, a few bootstrap replays) on a quick fixture suite. Figures are
// asserted only through decisions (a 50% slowdown of a stable task is detected), never timings.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CALIBRATION_SCHEMA, ROUNDS_SCHEMA, powerCurveSvg, renderCalibration, runCalibration, type CalibrationReport, type SavedRounds } from '../src/calibrate/index.ts';
import { parseOptions } from '../src/options.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'perfgate-calibrate-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('power curve SVG', () => {
  it('draws measured points, the bootstrap curve and the 80% line, with text escaped', () => {
    const svg = powerCurveSvg(
      [
        { slowdown: 0.02, measured: { rate: 0.1, lo: 0, hi: 0.4, trials: 10 }, bootstrap: 0.08 },
        { slowdown: 0.1, measured: { rate: 0.9, lo: 0.6, hi: 1, trials: 10 }, bootstrap: 0.85 },
        { slowdown: 0.5, bootstrap: 1 },
      ],
      { title: 'A <b> & "c"', subtitle: 'sub', minor: 0.05, major: 0.15 },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('A &lt;b&gt; &amp; &quot;c&quot;');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('>80%</text>');
    // Two measured points and the legend swatch.
    expect(svg.match(/<rect x="[\d.]+" y="[\d.]+" width="8" height="8" fill="#111"\/>/g)).toHaveLength(3);
    expect(svg).toMatch(/<path d="M[\d. L]+" fill="none" stroke="#2563eb"/);
    expect(svg).toContain('>minor</text>');
    // Every tag is closed or self-closing.
    const opened = (svg.match(/<(?!\/)[a-z]+[^>]*[^/]>/g) ?? []).length;
    const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
    expect(opened).toBe(closed);
  });
});

describe('runCalibration', () => {
  let report: CalibrationReport;
  it('runs A/A and injection runs, writes calibration.json and the SVG', async () => {
    const opts = parseOptions([{ raw: { suites: 'test/fixtures/ab/quick.bench.mjs', rounds: '6', 'task-time': '20', 'time-budget': '120', clock: 'cpu' }, source: { kind: 'test' } }]);
    const lines: string[] = [];
    report = await runCalibration(opts, {
      cwd: root,
      runs: 1,
      injectionRuns: 1,
      levels: [0.5],
      improvement: 0.5,
      bootstrap: 40,
      seed: 7,
      adaptive: { maxLooks: 1 },
      outDir: out,
      log: { info: (m) => lines.push(m), warning: (m) => lines.push(m) },
    });
    expect(existsSync(path.join(out, 'calibration.json'))).toBe(true);
    expect(readFileSync(path.join(out, 'calibration.svg'), 'utf8')).toContain('<svg');
    const json = JSON.parse(readFileSync(path.join(out, 'calibration.json'), 'utf8')) as CalibrationReport;
    expect(json.schema).toBe(CALIBRATION_SCHEMA);
    expect(json.aa.runs).toBe(1);
    expect(json.injection.runs).toBe(1);
    expect(json.settings.plannedRounds).toEqual([6]);
    expect(json.aa.bootstrap?.runs).toBe(40);
    expect(lines.join('\n')).toMatch(/A\/A run 1/);
  });

  it('counts false alarms with the exact bound and detects a 50% slowdown', () => {
    const a = report.aa;
    expect(a.falseFails.n).toBe(1);
    // 0 false fails in 1 run: the exact 95% upper bound is 1 − 0.05^(1/1) = 0.95.
    if (a.falseFails.k === 0) expect(a.falseFails.upper).toBeCloseTo(0.95, 12);
    const fifty = report.injection.levels.find((l) => l.kind === 'slowdown' && l.level === 0.5)!;
    expect(fifty.detected.n).toBe(1);
    expect(fifty.detected.k).toBe(1);
    expect(fifty.bootstrap!.detected.rate).toBeGreaterThan(0.9);
    const imp = report.injection.levels.find((l) => l.kind === 'improvement')!;
    expect(imp.bootstrap!.failed.k).toBe(0);
    expect(report.noiseFloor['quick/arith']).toBeGreaterThanOrEqual(0.01);
    expect(report.aa.noise.map((n) => n.id)).toEqual(['quick/arith']);
    const text = renderCalibration(report);
    expect(text).toMatch(/false fails\s+\d\/1/);
    expect(text).toMatch(/50% slower/);
    expect(text).toMatch(/Targets:/);
  });

  it('replays the saved round pairs offline (calibration-rounds.json), measuring nothing', async () => {
    const saved = JSON.parse(readFileSync(path.join(out, 'calibration-rounds.json'), 'utf8')) as SavedRounds;
    expect(saved.schema).toBe(ROUNDS_SCHEMA);
    expect(saved.benchmarks).toEqual({ quick: ['quick/arith'] });
    expect(saved.pools['test/fixtures/ab/quick.bench.mjs'].length).toBeGreaterThanOrEqual(6);
    const opts = parseOptions([{ raw: { rounds: '6' }, source: { kind: 'test' } }]);
    const replayDir = path.join(out, 'replay');
    const r = await runCalibration(opts, {
      cwd: '/nonexistent',
      fromRounds: saved,
      levels: [0.5],
      improvement: 0,
      bootstrap: 40,
      seed: 3,
      outDir: replayDir,
      log: { info: () => {}, warning: () => {} },
    });
    expect(r.aa.runs).toBe(0);
    expect(r.injection.runs).toBe(0);
    expect(r.aa.bootstrap?.runs).toBe(40);
    expect(r.injection.levels).toHaveLength(1);
    expect(r.injection.levels[0].bootstrap!.detected.rate).toBeGreaterThan(0.9);
    expect(existsSync(path.join(replayDir, 'calibration.json'))).toBe(true);
    expect(existsSync(path.join(replayDir, 'calibration-rounds.json'))).toBe(false);
    expect(renderCalibration(r)).toMatch(/replay/i);
  });

  it("judges the project's detection targets: 20% ≥ 99%, 10% ≥ 90%, 5% ≥ 40% (≥ 80% at minor-threshold 2)", async () => {
    const saved = JSON.parse(readFileSync(path.join(out, 'calibration-rounds.json'), 'utf8')) as SavedRounds;
    const targetsAt = async (raw: Record<string, string>) => {
      const r = await runCalibration(parseOptions([{ raw: { rounds: '6', ...raw }, source: { kind: 'test' } }]), {
        cwd: '/nonexistent',
        fromRounds: saved,
        levels: [0.05, 0.1, 0.2],
        improvement: 0,
        bootstrap: 20,
        seed: 3,
        outDir: path.join(out, `targets-${Object.values(raw).join('-') || 'default'}`),
        log: { info: () => {}, warning: () => {} },
      });
      return r.targets.map((t) => t.target).filter((t) => /slowdown caught/.test(t));
    };
    expect(await targetsAt({})).toEqual(['20% slowdown caught ≥ 99%', '10% slowdown caught ≥ 90%', '5% slowdown caught ≥ 40%']);
    expect(await targetsAt({ 'minor-threshold': '2' })).toContain('5% slowdown caught ≥ 80%');
  });
});
