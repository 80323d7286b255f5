// The instructions clock under valgrind (callgrind), docs/instructions-clock.md: the client
// requests from the native probe under a real valgrind, the deterministic V8 flags, the messages
// where valgrind is missing or cannot run, and a tiny suite measured end to end by the CLI.
// valgrind runs ~50× slower than native: everything under it here is a few calls.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V8_DETERMINISTIC_FLAGS, cacheSimulation, callgrindArgs, estimatedCycles, findOnPath, noAslrPrefix, parseCallgrindDump, planInstructions } from '../src/measure/callgrind.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.join(root, 'test', 'fixtures', 'valgrind');
const tsx = pathToFileURL(path.join(root, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs')).href;
const valgrind = findOnPath('valgrind');
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-valgrind-test-'));
  // The client requests come from the addon: build it when it is stale (a no-op otherwise).
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-native.mjs'), '--probe-only'], { cwd: root, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('instructions clock under callgrind', () => {
  it('says natively that it is not under valgrind', () => {
    const r = spawnSync(process.execPath, ['--import', tsx, path.join(fixtures, 'count.mjs')], { encoding: 'utf8', env: { ...process.env, PERFGATE_QUIET_NATIVE: '1' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ available: false, reason: 'not running under valgrind' });
  });

  it.runIf(valgrind)('counts only between the client requests, in proportion to the work', () => {
    const out = path.join(tmp, 'callgrind.out');
    const r = spawnSync(valgrind!, [...callgrindArgs(out), process.execPath, ...V8_DETERMINISTIC_FLAGS, '--import', tsx, path.join(fixtures, 'count.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, PERFGATE_CALLGRIND_OUT: out, PERFGATE_QUIET_NATIVE: '1' },
      timeout: 200_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { available: boolean; running: number; overhead: number; counts: Record<string, number>; threaded: Record<string, number> };
    expect(got.available).toBe(true);
    expect(got.running).toBe(1);
    const [c1, c2, c4] = [got.counts[1000], got.counts[2000], got.counts[4000]].map((c) => c - got.overhead);
    // The loop body is a few instructions an iteration; node's start-up (hundreds of millions) is not counted.
    expect(c1).toBeGreaterThan(1000);
    expect(c4).toBeLessThan(1_000_000);
    expect(c2 / c1).toBeGreaterThan(1.8);
    expect(c2 / c1).toBeLessThan(2.2);
    expect(c4 / c2).toBeGreaterThan(1.8);
    expect(c4 / c2).toBeLessThan(2.2);
    // Work on another thread (libuv's pool runs pbkdf2) counts too, in proportion: 4× the
    // iterations read about 4× the instructions. Counted on the measuring thread alone, the two
    // would read about the same (that thread only waits).
    const [t500, t2000] = [got.threaded[500], got.threaded[2000]].map((c) => c - got.overhead);
    expect(t500).toBeGreaterThan(500 * 1000);
    expect(t2000 / t500).toBeGreaterThan(3.3);
    expect(t2000 / t500).toBeLessThan(4.2);
  }, 240_000);

  it('starts V8 deterministic: the flags are accepted and seed Math.random and hashing', () => {
    // After a burst of short-lived allocations the young generation has the size the GC schedule
    // fixes (--predictable-gc-schedule: two semi-spaces of 4 MiB), not one V8 grew by itself.
    const script =
      "let k = []; for (let i = 0; i < 2e6; i++) { k.push({ i }); if (k.length > 1000) k = []; } " +
      "const young = require('v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size; " +
      'process.stdout.write(JSON.stringify({ r: Math.random(), argv: process.execArgv, young }))';
    const runs = [0, 1].map(() => {
      const r = spawnSync(process.execPath, [...V8_DETERMINISTIC_FLAGS, '-e', script], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { r: number; argv: string[]; young: number };
    });
    expect(runs[0].argv).toEqual(expect.arrayContaining([...V8_DETERMINISTIC_FLAGS]));
    expect(runs[1].r).toBe(runs[0].r);
    expect(runs.map((r) => r.young)).toEqual([8 * 2 ** 20, 8 * 2 ** 20]);
    expect(V8_DETERMINISTIC_FLAGS).toEqual(expect.arrayContaining(['--single-threaded', '--predictable', '--predictable-gc-schedule', '--hash-seed=1', '--random-seed=1']));
    // And the valgrind command line never counts outside the requests.
    expect(callgrindArgs('/x/callgrind.out')).toEqual(expect.arrayContaining(['--tool=callgrind', '--collect-atstart=yes', '--instr-atstart=no', '--callgrind-out-file=/x/callgrind.out']));
  });

  const setarch = process.platform === 'linux' ? findOnPath('setarch') : undefined;
  it.runIf(setarch)('starts the counted process with address space randomization off (setarch -R), where setarch works', () => {
    const prefix = noAslrPrefix();
    expect(prefix).toEqual([setarch, os.machine(), '-R']);
    // ADDR_NO_RANDOMIZE is 0x0040000 in the personality the process runs with.
    const off = spawnSync(prefix[0], [...prefix.slice(1), 'cat', '/proc/self/personality'], { encoding: 'utf8' });
    expect(off.status, off.stderr).toBe(0);
    expect(Number.parseInt(off.stdout.trim(), 16) & 0x0040000).toBe(0x0040000);
    const on = spawnSync('cat', ['/proc/self/personality'], { encoding: 'utf8' });
    expect(Number.parseInt(on.stdout.trim(), 16) & 0x0040000).toBe(0);
  });

  it('starts the counted process as it is where setarch is not on PATH', () => {
    expect(noAslrPrefix('/nonexistent')).toEqual([]);
  });

  it('names the fix where valgrind is missing or cannot run', () => {
    const hardware = { available: false as const, reason: 'perf_event_open: not supported on this machine (errno 2, ENOENT)' };
    const missing = planInstructions({ platform: 'linux', pathList: tmp, hardware, nativeProbe: true, force: '' });
    expect(missing.source).toBe('none');
    const text = 'error' in missing ? missing.error : '';
    expect(text).toContain('perf_event_open: not supported');
    expect(text).toContain('no valgrind on PATH');
    expect(text).toContain('apt-get install valgrind');
    expect(text).toContain('clock: wall');
    const mac = planInstructions({ platform: 'darwin', hardware, nativeProbe: true, force: '' });
    expect('error' in mac ? mac.error : '').toMatch(/Linux only, not darwin: use `clock: wall`/);
    const bad = planInstructions({ platform: 'linux', hardware, force: 'cachegrind' });
    expect('error' in bad ? bad.error : '').toContain('PERFGATE_INSTRUCTIONS=cachegrind');
    if (valgrind) {
      expect(planInstructions({ platform: 'linux', hardware, nativeProbe: true, force: '' })).toEqual({ source: 'callgrind', valgrind });
      expect(planInstructions({ platform: 'linux', hardware: { available: true }, nativeProbe: true, force: 'callgrind' }).source).toBe('callgrind');
    }
    expect(planInstructions({ platform: 'linux', hardware: { available: true }, nativeProbe: true, force: '' })).toEqual({ source: 'perf' });
  });

  it('fails the suite with that message through the CLI when valgrind is not on PATH', () => {
    // A PATH with node alone.
    const bin = path.join(tmp, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    symlinkSync(process.execPath, path.join(bin, 'node'));
    const out = path.join(tmp, 'missing.json');
    const r = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'src', 'cli.ts'), 'run', '--clock', 'instructions', '-s', 'test/fixtures/valgrind/tiny.bench.mjs', '--rounds', '2', '--quiet', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PATH: bin, PERFGATE_INSTRUCTIONS: 'callgrind', PERFGATE_QUIET_NATIVE: '1' },
      timeout: 200_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { benchmarks: Array<{ status: string; error?: string }> };
    expect(results.benchmarks).toHaveLength(1);
    expect(results.benchmarks[0].status).toBe('failed');
    expect(results.benchmarks[0].error).toContain('apt-get install valgrind');
    expect(r.stderr).toContain('clock: wall');
  }, 240_000);

  it('reads callgrind dumps and estimates cycles with documented weights', () => {
    const dump = ['# callgrind format', 'version: 1', 'events: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw', 'fn=(1) f', '0 10 1', 'totals: 1000 2 1 300 5 1 200 3'].join('\n');
    const { events } = parseCallgrindDump(dump);
    expect(events).toEqual({ Ir: 1000, I1mr: 2, ILmr: 1, Dr: 300, D1mr: 5, DLmr: 1, Dw: 200, D1mw: 3, DLmw: 0 });
    // Ir + 10 × (I1mr + D1mr + D1mw) + 100 × (ILmr + DLmr + DLmw)
    expect(estimatedCycles(events)).toBe(1000 + 10 * (2 + 5 + 3) + 100 * (1 + 1 + 0));
    expect(estimatedCycles({ Ir: 5 })).toBeUndefined();
    // The cache simulation is on unless PERFGATE_CACHE_SIM says no; a bad value names the fix.
    expect(cacheSimulation(undefined)).toBe(true);
    expect(cacheSimulation('yes')).toBe(true);
    expect(cacheSimulation('no')).toBe(false);
    expect(cacheSimulation('0')).toBe(false);
    expect(cacheSimulation('maybe')).toEqual({ error: expect.stringMatching(/PERFGATE_CACHE_SIM=maybe is not yes or no: set it to no .*or unset it/) });
    expect(callgrindArgs('/x/o', { cacheSim: true })).toContain('--cache-sim=yes');
    expect(callgrindArgs('/x/o', { cacheSim: false })).toContain('--cache-sim=no');
    expect(() => parseCallgrindDump('hello', 'f.out')).toThrow(/f\.out has no events/);
  });

  it.runIf(valgrind)('measures a tiny suite end to end: `run --clock instructions`', () => {
    const out = path.join(tmp, 'results.json');
    const r = spawnSync(
      process.execPath,
      ['--import', tsx, path.join(root, 'src', 'cli.ts'), 'run', '--clock', 'instructions', '-s', 'test/fixtures/valgrind/tiny.bench.mjs', '--rounds', '2', '--task-time', '50', '--quiet', '--out', out],
      { cwd: root, encoding: 'utf8', env: { ...process.env, PERFGATE_INSTRUCTIONS: 'callgrind', PERFGATE_QUIET_NATIVE: '1' }, timeout: 230_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as { clock: string; benchmarks: Array<{ id: string; status: string; error?: string; unit: string; rounds: number[]; estimatedCycles?: number[] }> };
    expect(results.clock).toBe('instructions');
    const [b] = results.benchmarks;
    expect(b.id).toBe('tiny/sum 200');
    expect(b.status, b.error).toBe('ok');
    expect(b.unit).toBe('instructions');
    expect(b.rounds).toHaveLength(2);
    // A 200-element loop: hundreds to a few thousand instructions a call, the same in both processes.
    for (const v of b.rounds) {
      expect(v).toBeGreaterThan(200);
      expect(v).toBeLessThan(20_000);
    }
    expect(Math.abs(b.rounds[0] / b.rounds[1] - 1)).toBeLessThan(0.01);
    // The cache simulation's estimated cycles, per round: at least the count (misses only add).
    expect(b.estimatedCycles).toHaveLength(2);
    b.estimatedCycles!.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(b.rounds[i]));
  }, 240_000);
});
