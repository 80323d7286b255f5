// History: series from saved runs, reading a folder of results, the data branch (a real local bare
// repository), and the `history` / `weekly` / `merge` commands run in process.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatProgress, main } from '../src/cli.ts';
import { buildHistory, loadRunsFromDir, sparkline } from '../src/history/index.ts';
import { renderHistoryText } from '../src/report/history.ts';
import { remoteLocation } from '../src/history/load.ts';
import type { Results } from '../src/schema/results.ts';
import { createBranchStore } from '../src/store/branch.ts';
import { makeBareRepo, type BareRepo } from './helpers/git.ts';
import { STEP_SPECS, commitOf, weeklyHistory, weeklyRun } from './helpers/weekly.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-history-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs the CLI in process; returns its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'perfgate', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('series', () => {
  it('orders runs oldest first and aligns every benchmark with the entries', () => {
    const runs = weeklyHistory(5, STEP_SPECS, 1);
    runs[2] = { ...runs[2], benchmarks: runs[2].benchmarks.filter((b) => b.id !== 'cache/write') };
    runs[3].benchmarks[0] = { ...runs[3].benchmarks[0], status: 'failed', error: 'boom', rounds: [], samples: [] };
    delete runs[3].benchmarks[0].stats;
    const h = buildHistory([runs[4], runs[0], runs[3], runs[1], runs[2], runs[0]], { branch: 'main', source: 'test' });
    expect(h.schema).toBe('perfgate/history@1');
    expect(h.entries.map((e) => e.commit)).toEqual([0, 1, 2, 3, 4].map(commitOf));
    const read = h.benchmarks.find((b) => b.id === 'cache/read')!;
    expect(read.values[3]).toBeNull();
    expect(read.values[4]).toBeCloseTo(runs[4].benchmarks[0].rounds.sort((a, b) => a - b)[4], -1);
    expect(h.benchmarks.find((b) => b.id === 'cache/write')!.values[2]).toBeNull();
    expect(h.benchmarks.map((b) => b.id)).toEqual(['cache/read', 'cache/write', 'config/parse', 'load/users-50']);
  });

  it('leaves out points measured in another unit', () => {
    const runs = weeklyHistory(3, [{ id: 'a/b', level: () => 5 }], 1);
    runs[0].benchmarks[0] = { ...runs[0].benchmarks[0], unit: 'ms' };
    const h = buildHistory(runs, { source: 'test' });
    expect(h.benchmarks[0].unit).toBe('ns');
    expect(h.benchmarks[0].values[0]).toBeNull();
  });

  it('draws sparklines with gaps', () => {
    expect(sparkline([1, 2, null, 8])).toBe('▁▂ █');
    expect(sparkline([3, 3])).toBe('▄▄');
    expect(sparkline([])).toBe('');
  });

  it('prints each benchmark with its medians, newest last', () => {
    const h = buildHistory(weeklyHistory(3, [{ id: 'cache/read', level: (i) => 1000 * (i + 1), noise: 0 }], 1), { branch: 'main', source: 'folder x' });
    const text = renderHistoryText(h, { color: false });
    expect(text).toContain('perfgate history of main: 3 entries, 2025-01-06 … 2025-01-20');
    expect(text).toMatch(/cache\/read \(ns, lower is better, 3 of 3 entries\) {2}▁[▄▅]█/);
    expect(text).toMatch(/1\.00 µs, 2\.00 µs, 3\.00 µs/);
    expect(renderHistoryText(buildHistory([], { source: 'nowhere' }))).toMatch(/No history yet/);
  });
});

describe('a folder of results files', () => {
  it('reads results files (nested), skips other JSON, filters by branch, keeps the newest `limit`', () => {
    const dir = folder('runs');
    const runs = weeklyHistory(6, STEP_SPECS, 2);
    runs.forEach((r, i) => {
      const sub = path.join(dir, i % 2 ? 'odd' : '');
      mkdirSync(sub, { recursive: true });
      writeFileSync(path.join(sub, `run-${5 - i}.json`), JSON.stringify(r));
    });
    writeFileSync(path.join(dir, 'comparison.json'), JSON.stringify({ schema: 'perfgate/comparison@1' }));
    writeFileSync(path.join(dir, 'feature.json'), JSON.stringify({ ...weeklyRun(9, STEP_SPECS, 2), ref: 'refs/heads/feature' }));
    const all = loadRunsFromDir(dir);
    expect(all.runs.map((r) => r.commit)).toEqual([...runs.map((r) => r.commit), commitOf(9)]);
    expect(all.notices.join(' ')).toMatch(/1 JSON file .* not perfgate\/results@1/);
    const main = loadRunsFromDir(dir, { branch: 'main', limit: 4 });
    expect(main.runs.map((r) => r.commit)).toEqual(runs.slice(2).map((r) => r.commit));
    expect(main.notices.join(' ')).toMatch(/1 run of other branches left out/);
  });

  it('names a bad results file and a missing folder', () => {
    const dir = folder('bad');
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ schema: 'perfgate/results@1', benchmarks: 'no' }));
    expect(() => loadRunsFromDir(dir)).toThrow(/broken\.json is not valid perfgate\/results@1/);
    writeFileSync(path.join(dir, 'broken.json'), '{ not json');
    expect(() => loadRunsFromDir(dir)).toThrow(/broken\.json is not valid JSON/);
    expect(() => loadRunsFromDir(path.join(dir, 'nope'))).toThrow(/does not exist/);
  });
});

describe('the data branch and the commands', () => {
  let remote: BareRepo;
  const runs = weeklyHistory(24, STEP_SPECS.map((s) => (s.id === 'cache/read' ? { ...s, level: (i: number) => (i >= 14 ? 1200 : 1000) } : s)), 4);

  beforeAll(async () => {
    remote = await makeBareRepo();
    let t = Date.UTC(2025, 0, 1);
    const store = createBranchStore({ remoteUrl: remote.dir, now: () => new Date((t += 1000)) });
    for (const r of runs) await store.save('main', r, { commit: r.commit, ref: 'main' });
  }, 120_000);
  afterAll(() => remote.cleanup());
  afterEach(() => vi.restoreAllMocks());

  it('`history --json` prints the series from the data branch, newest last', async () => {
    const r = await cli(['history', '--remote', remote.dir, '--branch', 'main', '--limit', '20', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const h = JSON.parse(r.stdout) as ReturnType<typeof buildHistory>;
    expect(h.schema).toBe('perfgate/history@1');
    expect(h.branch).toBe('main');
    expect(h.source).toMatch(/perfgate-data branch/);
    expect(h.entries.map((e) => e.commit)).toEqual(runs.slice(4).map((x) => x.commit));
    const read = h.benchmarks.find((b) => b.id === 'cache/read')!;
    expect(read.values).toHaveLength(20);
    expect(read.values[19]! / read.values[0]!).toBeGreaterThan(1.1);
  });

  it('`history` prints a listing; a branch without history says so', async () => {
    const r = await cli(['history', '--remote', remote.dir, '--branch', 'main', '--no-color']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/perfgate history of main: 24 entries/);
    expect(r.stdout).toMatch(/load\/users-50 \(req\/s, higher is better, 24 of 24 entries\)/);
    expect(r.stdout).not.toMatch(/\u001b\[/);
    const none = await cli(['history', '--remote', remote.dir, '--branch', 'release/2.x', '--no-color']);
    expect(none.stdout).toMatch(/0 entries[\s\S]*No history yet/);
    const bad = await cli(['history', '--remote', remote.dir, '--limit', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--limit is "many"/);
  });

  it('`weekly --latest` reports on the data branch: executive summary, JSON and SVG files', async () => {
    const outDir = folder('weekly-out');
    const r = await cli(['weekly', '--remote', remote.dir, '--branch', 'main', '--latest', '--out-dir', outDir, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^# Weekly performance summary/);
    expect(r.stdout).toMatch(/Profile \*\*cache\/read\*\*: \+\d+\.\d% since [0-9a-f]{7} \(\d{4}-\d\d-\d\d\) \(step detected at run 1[456] of 24\)/);
    expect(r.stderr).toMatch(/weekly: grade .*change point/);
    expect(existsSync(path.join(outDir, 'weekly.md'))).toBe(true);
    const json = JSON.parse(readFileSync(path.join(outDir, 'weekly.json'), 'utf8'));
    expect(json.schema).toBe('perfgate/weekly@1');
    expect(json.steps.map((s: { id: string }) => s.id)).toEqual(['cache/read']);
    expect(readdirSync(path.join(outDir, 'charts')).filter((f) => f.endsWith('.svg')).length).toBeGreaterThanOrEqual(5);
    const j = await cli(['weekly', '--remote', remote.dir, '--branch', 'main', '--latest', '--out-dir', outDir, '--json', '--window', '6']);
    expect(JSON.parse(j.stdout).window).toBe(6);
  });

  it('`weekly --results FILE --dir DIR` compares a file with a folder of runs', async () => {
    const dir = folder('weekly-dir');
    runs.slice(0, 20).forEach((x, i) => writeFileSync(path.join(dir, `${i}.json`), JSON.stringify(x)));
    const latest = path.join(tmp, 'latest.json');
    const slow: Results = { ...runs[23], benchmarks: runs[23].benchmarks.map((b) => (b.id === 'config/parse' ? { ...b, rounds: b.rounds.map((v) => v * 1.3), samples: b.samples.map((v) => v * 1.3) } : b)) };
    writeFileSync(latest, JSON.stringify(slow));
    const r = await cli(['weekly', '--dir', dir, '--results', latest, '--out-dir', folder('weekly-dir-out'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const w = JSON.parse(r.stdout);
    expect(w.history.entries).toHaveLength(21);
    const parse = w.comparison.benchmarks.find((b: { id: string }) => b.id === 'config/parse');
    expect(parse.verdict).toBe('major');
    expect(w.regressions[0]).toMatchObject({ id: 'config/parse', severity: 'major', verdict: 'major' });
    const both = await cli(['weekly', '--dir', dir, '--results', latest, '--latest']);
    expect(both.code).toBe(2);
  });
});

describe('remotes, progress', () => {
  it('tells remote names from URLs and paths', () => {
    expect(remoteLocation('origin', '/w')).toBeUndefined();
    expect(remoteLocation('https://github.com/o/r.git', '/w')).toBe('https://github.com/o/r.git');
    expect(remoteLocation('git@github.com:o/r.git', '/w')).toBe('git@github.com:o/r.git');
    expect(remoteLocation('../data.git', '/w/x')).toBe('/w/data.git');
  });

  it('shows suite k of m, the round and an ETA capped by the time budget', () => {
    const e = { suite: 'bench/a.bench.ts', round: 2, rounds: 8, elapsedMs: 30_000, index: 3, suites: 5 };
    // 7 of 40 steps done in 30 s: 33 left at 4.29 s each.
    expect(formatProgress(e)).toBe('round 2/8 · suite 3/5 · bench/a.bench.ts · 30 s · ETA 2 min 21 s');
    // 30 s of budget left, plus the rest of this round (3 suites at 4.29 s): rounds stop at the budget.
    expect(formatProgress(e, { timeBudgetSec: 60 })).toBe('round 2/8 · suite 3/5 · bench/a.bench.ts · 30 s · ETA ≤ 43 s (time budget)');
    expect(formatProgress(e, { bar: true })).toMatch(/^\[████░{16}\] 17% · round 2\/8/);
    expect(formatProgress({ suite: 'x', round: 1, rounds: 4, elapsedMs: 500 })).toBe('round 1/4 · x · 0.5 s');
    expect(formatProgress({ ...e, round: 1, index: 1 })).not.toMatch(/ETA/);
  });
});
