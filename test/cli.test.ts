// The CLI end to end (dist/cli.js) in a temporary project: run, save a baseline, slow a benchmark
// down, run again; and every kind of bad input gets exit 2 with a message naming it.
import { steadySuite } from './helpers/steady-suite.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeProject, ROOT } from './helpers/action.ts';

const CLI = path.join(ROOT, 'dist', 'cli.js');
// Thread CPU time: the decision is about the code, not about what else the machine runs meanwhile.
const FAST = ['--rounds', '6', '--task-time', '60', '--clock', 'cpu', '--quiet', '--no-color'];

function perfgate(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, PERFGATE_QUIET_NATIVE: '1', ...env }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The project's suite with the amount of work of the `sum` task set to `n` loop iterations: it
 * reports 0.06 ms per 20,000 (steadySuite), so the verdicts come from the input, not the machine.
 */
function writeSuite(dir: string, n: number): void {
  writeFileSync(path.join(dir, 'bench', 'work.bench.mjs'), steadySuite({ sum: (0.06 * n) / 20_000, sort: 0.026 }));
}

interface Verdicts {
  [id: string]: { verdict: string; grade?: string };
}
function verdicts(file: string): Verdicts {
  const c = JSON.parse(readFileSync(file, 'utf8')) as { benchmarks: Array<{ id: string; verdict: string; grade?: string }> };
  return Object.fromEntries(c.benchmarks.map((b) => [b.id, { verdict: b.verdict, grade: b.grade }]));
}

describe('perfgate CLI, end to end', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject('cli');
    writeSuite(dir, 20_000);
  });

  it('passes a first run without a baseline and says so', () => {
    const r = perfgate(dir, [...FAST, '--json', 'first.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no baseline yet/i);
    const c = JSON.parse(readFileSync(path.join(dir, 'first.json'), 'utf8'));
    expect(c.mode).toBe('none');
    expect(c.benchmarks.every((b: { verdict: string }) => b.verdict === 'new')).toBe(true);
  });

  it('runs, saves a baseline, fails on a doubled benchmark and grades a halved one A+', () => {
    const run = perfgate(dir, ['run', ...FAST, '--out', 'results.json']);
    expect(run.code, run.stderr).toBe(0);
    const results = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8'));
    expect(results.schema).toBe('perfgate/results@1');
    expect(results.benchmarks.map((b: { id: string }) => b.id).sort()).toEqual(['work/sort', 'work/sum']);
    expect(results.benchmarks.every((b: { rounds: number[] }) => b.rounds.length === 6)).toBe(true);

    const save = perfgate(dir, ['baseline', 'save', '--from', 'results.json']);
    expect(save.code, save.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'baselines', 'work.json'))).toBe(true);

    writeSuite(dir, 40_000); // twice the work
    const slow = perfgate(dir, [...FAST, '--json', 'slow.json', '--markdown', 'slow.md']);
    expect(slow.code, slow.stdout + slow.stderr).toBe(1);
    const v = verdicts(path.join(dir, 'slow.json'));
    expect(['major', 'critical']).toContain(v['work/sum'].verdict);
    expect(['major', 'critical']).not.toContain(v['work/sort'].verdict);
    expect(slow.stdout).toMatch(/gate failed/);
    expect(readFileSync(path.join(dir, 'slow.md'), 'utf8')).toMatch(/\| work +\| sum/);

    writeSuite(dir, 10_000); // half the work
    const fast = perfgate(dir, [...FAST, '--json', 'fast.json']);
    expect(fast.code, fast.stdout + fast.stderr).toBe(0);
    const w = verdicts(path.join(dir, 'fast.json'));
    expect(w['work/sum']).toEqual({ verdict: 'improved', grade: 'A+' });
  });
});

describe('perfgate baseline save --sessions', () => {
  it('measures separate sessions, pools their rounds and keeps how much they differ; a stored gate then says it tested against that spread', () => {
    const dir = makeProject('cli-sessions');
    writeSuite(dir, 20_000);
    const save = perfgate(dir, ['baseline', 'save', '--sessions', '3', '--rounds', '2', '--task-time', '30', '--clock', 'cpu', '--quiet']);
    expect(save.code, save.stderr).toBe(0);
    expect(save.stderr).toMatch(/session 3 of 3/);
    const stored = JSON.parse(readFileSync(path.join(dir, 'baselines', 'work.json'), 'utf8'));
    expect(stored.benchmarks.map((b: { rounds: number[] }) => b.rounds.length)).toEqual([6, 6]);
    expect(Object.keys(stored.sessions).sort()).toEqual(['work/sort', 'work/sum']);
    for (const s of Object.values(stored.sessions) as Array<{ n: number; sd: number }>) {
      expect(s.n).toBe(3);
      expect(s.sd).toBeGreaterThanOrEqual(0);
    }
    const gate = perfgate(dir, ['--rounds', '4', '--task-time', '30', '--clock', 'cpu', '--json', 'c.json', '--quiet']);
    expect([0, 1]).toContain(gate.code);
    const c = JSON.parse(readFileSync(path.join(dir, 'c.json'), 'utf8'));
    expect(c.notices.join(' ')).toMatch(/tested against how much separate sessions of the same code differ/);
    const bad = perfgate(dir, ['baseline', 'save', '--sessions', 'two']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"--sessions" is "two"; expected a whole number from 1 to 100/);
  });
});

describe('perfgate CLI, bad input (exit 2, message naming it)', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject('cli-bad');
    writeSuite(dir, 1000);
    const good = {
      schema: 'perfgate/results@1',
      tool: { name: 'perfgate', version: '0' },
      source: { kind: 'perfgate' },
      startedAt: '2026-01-01T00:00:00Z',
      clock: 'wall',
      machine: { fingerprint: 'x', os: 'linux', arch: 'x64', cpuModel: 'cpu', cores: 2, memoryBytes: 1, node: 'v20', v8: '11' },
      benchmarks: [{ id: 's/a', suite: 's', name: 'a', unit: 'ns', direction: 'lower', status: 'ok', rounds: [1, 2, 3, 4], samples: [] }],
    };
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify(good));
    writeFileSync(path.join(dir, 'notjson.json'), '{"schema": "perfgate/results@1", ');
    const missing = structuredClone(good) as Record<string, unknown>;
    delete (missing.benchmarks as Array<Record<string, unknown>>)[0].direction;
    writeFileSync(path.join(dir, 'missing.json'), JSON.stringify(missing));
  });

  it.each([
    ['a results file that is not JSON', ['compare', 'good.json', 'notjson.json'], /notjson\.json is not JSON/],
    ['a results file with a missing field', ['compare', 'good.json', 'missing.json'], /missing\.json is not valid perfgate\/results@1:\n\s+- benchmarks\.0\.direction: .*expected/i],
    ['a results file that does not exist', ['compare', 'good.json', 'nope.json'], /Cannot read results file nope\.json: it does not exist/],
    ['a thresholds value like abc', ['compare', 'good.json', 'good.json', '--minor-threshold', 'abc'], /option "--minor-threshold" is "abc"; expected a percentage/],
    ['a suite file that does not exist', ['run', '--suites', 'bench/nope.bench.ts'], /Suite file "bench\/nope\.bench\.ts" does not exist/],
    ['a glob that matches nothing', ['run', '--suites', 'nowhere/**/*.bench.ts'], /nowhere\/\*\*\/\*\.bench\.ts/],
    ['an unknown option', ['run', '--roundz', '3'], /unknown option '--roundz'/],
    ['a bad fail-on', ['compare', 'good.json', 'good.json', '--fail-on', 'sometimes'], /Allowed choices are major, minor, never/],
  ])('%s', (_, args, message) => {
    const r = perfgate(dir, args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([[['frobnicate']], [['--quiet', 'frobnicate', 'now']]])('an unknown command is named and the commands listed: %j', (args) => {
    const r = perfgate(dir, args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^perfgate: error: unknown command "frobnicate"\. Commands: gate, run, compare, ab, calibrate, baseline, ingest, history, weekly, dashboard, merge, init\b/m);
    expect(r.stderr).not.toMatch(/too many arguments/);
    expect(r.stdout).toBe('');
  });

  it('an unknown config key', () => {
    writeFileSync(path.join(dir, 'perfgate.config.json'), JSON.stringify({ 'minor-treshold': 5 }));
    try {
      const r = perfgate(dir, ['compare', 'good.json', 'good.json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/Unknown key in perfgate\.config\.json "minor-treshold"\. Did you mean "minor-threshold"\?/);
    } finally {
      writeFileSync(path.join(dir, 'perfgate.config.json'), '{}');
    }
  });

  it('a config value of the wrong kind names the file and key', () => {
    writeFileSync(path.join(dir, 'perfgate.config.json'), JSON.stringify({ 'major-threshold': 'abc' }));
    try {
      const r = perfgate(dir, ['compare', 'good.json', 'good.json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/key in perfgate\.config\.json "major-threshold" is "abc"/);
    } finally {
      writeFileSync(path.join(dir, 'perfgate.config.json'), '{}');
    }
  });

  it('--help lists every command and option', () => {
    const r = perfgate(dir, ['--help']);
    expect(r.code).toBe(0);
    for (const word of ['gate', 'run', 'compare', 'baseline', 'ingest', '--suites', '--rounds', '--clock', '--minor-threshold', '--major-threshold', '--fail-on', '--time-budget', '--config', '--json', '--markdown']) {
      expect(r.stdout).toContain(word);
    }
  });
});
