// The native probe addon and its loader (native/index.js): the addon when it is built, the
// pure-JS fallback (forced with PERFGATE_NO_NATIVE=1) in a child process.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Probe, Rusage } from '../native/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const loaderUrl = pathToFileURL(join(root, 'native', 'index.js')).href;

type Loader = typeof import('../native/index.js');
let loader: Loader;
let addonBuilt = false;

function busyFor(ms: number): number {
  const end = performance.now() + ms;
  let x = 0;
  while (performance.now() < end) x = (x * 31 + 7) % 1_000_003;
  return x;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // The build is a no-op when the addon is up to date, and a soft skip without cargo.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(build.status, build.stderr).toBe(0);
  loader = await import('../native/index.js');
  addonBuilt = loader.addonFileNames().some((name) => existsSync(join(root, 'native', name)));
});

describe('native probe', () => {
  it('is the addon when the .node file exists', () => {
    const probe = loader.loadProbe({ quiet: true });
    if (addonBuilt) {
      expect(probe.kind).toBe('native');
      expect(probe.notice).toBeUndefined();
      expect(loader.addon).not.toBeNull();
      expect(loader.addonPath).toMatch(/perfgate\.[a-z0-9]+-[a-z0-9]+(-[a-z]+)?\.node$/);
    } else {
      expect(probe.kind).toBe('js');
      expect(probe.notice).toBeTruthy();
    }
    expect(loader.probe.kind).toBe(probe.kind);
    expect(loader.loadProbe()).toBe(probe);
  });

  it('reports the crate version', () => {
    if (!addonBuilt) return;
    const cargoToml = readFileSync(join(root, 'native', 'Cargo.toml'), 'utf8');
    const version = /^version = "([^"]+)"/m.exec(cargoToml)?.[1];
    expect((loader.addon as { version(): string }).version()).toBe(version);
  });

  it('has a monotonic clock in nanoseconds', async () => {
    const { monotonicNs } = loader.loadProbe({ quiet: true });
    const a = monotonicNs();
    const b = monotonicNs();
    expect(b).toBeGreaterThanOrEqual(a);
    const h0 = process.hrtime.bigint();
    const c = monotonicNs();
    await sleep(30);
    const d = monotonicNs();
    const hrElapsed = Number(process.hrtime.bigint() - h0);
    expect(d - c).toBeGreaterThan(25e6);
    expect(d - c).toBeLessThanOrEqual(hrElapsed + 1e6);
  });

  it('counts thread CPU time while busy, not while asleep', async () => {
    const { threadCpuNs } = loader.loadProbe({ quiet: true });
    // Busy until the clock shows 20 ms of CPU (a wall-clock budget would flake on a loaded
    // machine); a clock that does not count work would spin to the 3 s cap.
    const t0 = threadCpuNs();
    const cap = performance.now() + 3000;
    while (threadCpuNs() - t0 < 20e6 && performance.now() < cap) busyFor(1);
    const t1 = threadCpuNs();
    expect(t1 - t0).toBeGreaterThanOrEqual(20e6);
    await sleep(50);
    const t2 = threadCpuNs();
    expect(t2 - t1).toBeLessThan(20e6);
  });

  it('reads getrusage in bytes and nanoseconds', () => {
    const r: Rusage = loader.loadProbe({ quiet: true }).rusage();
    const keys = [
      'maxRssBytes',
      'minorFaults',
      'majorFaults',
      'voluntaryContextSwitches',
      'involuntaryContextSwitches',
      'userCpuNs',
      'systemCpuNs',
    ] as const;
    expect(Object.keys(r).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(typeof r[key], key).toBe('number');
      expect(r[key], key).toBeGreaterThanOrEqual(0);
    }
    expect(r.maxRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(r.userCpuNs + r.systemCpuNs).toBeGreaterThan(0);
    // Same getrusage as Node's (KiB there): the unit conversion is right.
    const nodeRss = process.resourceUsage().maxRSS * 1024;
    expect(Math.abs(nodeRss - r.maxRssBytes) / nodeRss).toBeLessThan(0.1);
  });

  it('counts instructions, or says why it cannot', () => {
    const counter = loader.loadProbe({ quiet: true }).instructions();
    if (counter.available) {
      const handle = counter.start();
      busyFor(5);
      expect(counter.stop(handle)).toBeGreaterThan(10_000);
    } else {
      expect(counter.reason).toMatch(/\S/);
    }
    if (!addonBuilt || process.platform !== 'linux') return;
    // Cross-check with perf(1) where it is installed.
    const perf = spawnSync('perf', ['stat', '-x,', '-e', 'instructions:u', 'true'], { encoding: 'utf8' });
    if (perf.error || perf.status !== 0) return;
    if (perf.stderr.includes('<not supported>')) {
      expect(counter.available).toBe(false);
      expect(counter.available === false && counter.reason).toMatch(/^perf_event_open: /);
    } else if (/^\d+,/m.test(perf.stderr)) {
      expect(counter.available).toBe(true);
    }
  });

  it('turns bad arguments into JavaScript errors', () => {
    if (!addonBuilt) return;
    const addon = loader.addon as Record<string, (...args: unknown[]) => unknown>;
    expect(() => addon.instructionsStop('x')).toThrow(/argument 0: expected a number, got string/);
    expect(() => addon.instructionsStop(1.5)).toThrow(/argument 0: expected a safe integer/);
    expect(() => addon.instructionsStop(987_654)).toThrow(/no running counter with handle 987654/);
    const counter = loader.loadProbe({ quiet: true }).instructions();
    if (!counter.available) expect(() => addon.instructionsStart()).toThrow(/unavailable/);
  });
});

describe('pure-JS fallback', () => {
  const script = `
    const m = await import(${JSON.stringify(loaderUrl)});
    const p = m.probe;
    const out = { kind: p.kind, notice: p.notice, same: m.loadProbe() === m.loadProbe({ quiet: true }) };
    const a = p.monotonicNs(), c0 = p.threadCpuNs();
    const cap = Date.now() + 3000; let x = 0;
    while (p.threadCpuNs() - c0 < 10e6 && Date.now() < cap) x++;
    const end = Date.now() + 30; while (Date.now() < end) x++;
    out.monotonicDelta = p.monotonicNs() - a;
    out.cpuDelta = p.threadCpuNs() - c0;
    out.rusage = m.loadProbe().rusage();
    out.instructions = p.instructions();
    out.addon = m.addon;
    console.log(JSON.stringify(out));
  `;

  function run(env: Record<string, string>, code = script) {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PERFGATE_QUIET_NATIVE: '', ...env },
    });
    expect(child.status, child.stderr).toBe(0);
    return child;
  }

  it('works and prints exactly one notice', () => {
    const child = run({ PERFGATE_NO_NATIVE: '1' });
    const out = JSON.parse(child.stdout) as {
      kind: Probe['kind'];
      notice: string;
      same: boolean;
      monotonicDelta: number;
      cpuDelta: number;
      rusage: Rusage;
      instructions: { available: boolean; reason?: string };
      addon: unknown;
    };
    expect(out.kind).toBe('js');
    expect(out.notice).toBe('disabled by PERFGATE_NO_NATIVE=1');
    expect(out.same).toBe(true);
    expect(out.addon).toBeNull();
    expect(out.monotonicDelta).toBeGreaterThan(25e6);
    expect(out.cpuDelta).toBeGreaterThanOrEqual(10e6);
    expect(out.rusage.maxRssBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(out.rusage.userCpuNs).toBeGreaterThan(0);
    expect(out.instructions).toEqual({ available: false, reason: 'native addon not loaded' });
    const lines = child.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines).toEqual([
      'perfgate: native probe not loaded (disabled by PERFGATE_NO_NATIVE=1); using the pure-JS probe. ' +
        'Build it with `npm run build:native` (needs Rust/cargo).',
    ]);
  });

  it('is silent with PERFGATE_QUIET_NATIVE=1, and on import alone', () => {
    expect(run({ PERFGATE_NO_NATIVE: '1', PERFGATE_QUIET_NATIVE: '1' }).stderr).toBe('');
    const importOnly = `await import(${JSON.stringify(loaderUrl)});`;
    expect(run({ PERFGATE_NO_NATIVE: '1' }, importOnly).stderr).toBe('');
  });

  it('explains a missing addon file', () => {
    const code = `const m = await import(${JSON.stringify(loaderUrl)}); console.log(m.loadProbe({ quiet: true }).notice);`;
    const child = run({ PERFGATE_NATIVE_PATH: join(root, 'native', 'missing.node') }, code);
    expect(child.stdout.trim()).toBe(`no ${join(root, 'native', 'missing.node')}`);
  });
});
