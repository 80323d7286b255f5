import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineLoad, isLoopbackHost, lastLoad, loadSuite, LoadSession, runLoad } from 'perfgate/load';
import { loadSchema } from 'perfgate/results';
import { CORPUS_VERSION, ensureCorpus } from '../src/corpus.ts';
import { productPicker, startReferenceService } from '../src/service.ts';

describe('load runner', () => {
  it('runs N users against a function and reports the window', async () => {
    // The number of requests comes from the input (maxRequests), not from how many this machine
    // fits in a window: a starved test process once completed 1 request in 600 ms. Requests still
    // in flight when the limit is reached are stopped and not counted (at most users - 1 more).
    let inFlight = 0;
    let peak = 0;
    let n = 0;
    const r = await runLoad({
      users: 8,
      durationMs: 60_000,
      maxRequests: 400,
      target: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((res) => setTimeout(res, 2));
        inFlight--;
        if (++n % 10 === 0) throw new Error('every tenth fails');
      },
    });
    expect(peak).toBe(8);
    expect(r.users).toBe(8);
    expect(r.durationMs).toBeLessThan(60_000);
    expect(r.requests).toBeGreaterThanOrEqual(400 - 8);
    expect(r.requests).toBeLessThanOrEqual(400);
    expect(r.errors).toBeGreaterThan(0);
    expect(r.successRate).toBeCloseTo(0.9, 1);
    expect(r.errorKinds).toEqual({ Error: r.errors });
    expect(r.throughput / (((r.requests - r.errors) * 1000) / r.durationMs)).toBeCloseTo(1, 2);
    expect(r.latencyMs.p50).toBeGreaterThan(1);
    expect(r.latencyMs.p50).toBeLessThanOrEqual(r.latencyMs.p95);
    expect(r.latencyMs.p95).toBeLessThanOrEqual(r.latencyMs.p99);
    expect(loadSchema.safeParse({ ...r, errorKinds: undefined, maxLatencyMs: undefined }).success).toBe(true);
    // Without a request limit the window lasts the duration asked for, however many requests fit.
    const timed = await runLoad({ users: 2, durationMs: 300, target: () => new Promise((res) => setTimeout(res, 1)) });
    expect(timed.durationMs).toBeGreaterThanOrEqual(300);
    expect(timed.requests).toBeGreaterThan(0);
  });

  it('bounds requests and times out hung requests', async () => {
    // maxRequests ends the run, not the duration: 20 instant requests never take the minute asked
    // for (the bound is the run's own duration, not a guess at how fast this machine is).
    const capped = await runLoad({ users: 4, durationMs: 60_000, maxRequests: 20, target: () => undefined });
    expect(capped.requests).toBe(20);
    expect(capped.durationMs).toBeLessThan(60_000);
    const hung = await runLoad({ users: 2, durationMs: 200, timeoutMs: 50, target: () => new Promise(() => {}) });
    expect(hung.successRate).toBe(0);
    expect(hung.errorKinds.timeout).toBeGreaterThan(0);
  });

  it('refuses targets that are not on this machine, and bad numbers', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('example.com')).toBe(false);
    expect(() => new LoadSession({ users: 1, durationMs: 10, target: { url: 'http://10.1.2.3/' } })).toThrow(/not on this machine/);
    expect(() => new LoadSession({ users: 0, durationMs: 10, target: () => 1 })).toThrow(/users must be a positive integer/);
    expect(() => new LoadSession({ users: 1, durationMs: 0, target: () => 1 })).toThrow(/durationMs/);
    expect(() => defineLoad({ name: 'x', users: 1, durationMs: 10 })).toThrow(/exactly one of target and resolveTarget/);
  });

  it('the reference service keeps 99% success under 10% injected faults thanks to retries', async () => {
    const service = await startReferenceService({ faults: { failureRate: 0.1, slowRate: 0.02, slowMs: 10, seed: 1 } });
    try {
      const pick = productPicker(2);
      // A request count from the input, not a window (see the first test).
      const r = await runLoad({ users: 20, durationMs: 60_000, maxRequests: 300, target: { url: `${service.url}/products/p0`, path: () => `/products/${pick()}` } });
      expect(r.requests).toBeGreaterThanOrEqual(300 - 20);
      expect(r.successRate).toBeGreaterThanOrEqual(0.99);
      expect(service.dependency.failures).toBeGreaterThan(0);
      expect(service.budget.retries).toBeGreaterThan(0);
      expect(service.breaker.state).toBe('closed');
      // without retries the same faults show
      const bare = await startReferenceService({ faults: { failureRate: 0.1, slowRate: 0, seed: 1 }, attempts: 1, l1TtlMs: 1, l2TtlMs: 1 });
      try {
        const r2 = await runLoad({ users: 10, durationMs: 60_000, maxRequests: 200, target: { url: `${bare.url}/products/p0`, path: () => `/products/${pick()}` } });
        expect(r2.successRate).toBeLessThan(0.97);
        expect(r2.errorKinds['HTTP 502']).toBeGreaterThan(0);
      } finally {
        await bare.close();
      }
    } finally {
      await service.close();
    }
  });
});

describe('load scenarios as tinybench tasks', () => {
  it('fills perfgate.tasks[name].load after the run and tears the service down', async () => {
    let service: Awaited<ReturnType<typeof startReferenceService>> | null = null;
    let tornDown = false;
    const { bench, perfgate } = loadSuite(
      [
        defineLoad({
          name: 'api, 10 users',
          users: 10,
          durationMs: 300,
          setup: async () => {
            service = await startReferenceService({ faults: { failureRate: 0.05, seed: 9 } });
          },
          teardown: async () => {
            await service!.close();
            tornDown = true;
          },
          resolveTarget: () => ({ url: `${service!.url}/health` }),
          sla: [{ metric: 'successRate', min: 0.99 }],
        }),
      ],
      { suite: 'load-test', bench: { time: 100, warmupTime: 20 } },
    );
    expect(perfgate.tasks['api, 10 users']).toMatchObject({ direction: 'lower', unit: 'ns', sla: [{ metric: 'successRate', min: 0.99 }] });
    expect(perfgate.tasks['api, 10 users'].load).toBeUndefined();
    await bench.run();
    const load = perfgate.tasks['api, 10 users'].load!;
    expect(loadSchema.parse(load)).toEqual(load);
    expect(load.users).toBe(10);
    expect(load.durationMs).toBeGreaterThanOrEqual(300);
    expect(load.successRate).toBe(1);
    expect(lastLoad('api, 10 users')?.requests).toBe(load.requests);
    expect(tornDown).toBe(true);
    expect(bench.tasks[0].result.state).toBe('completed');
    // the metadata survives JSON, as the harness sends it
    expect(JSON.parse(JSON.stringify(perfgate)).tasks['api, 10 users'].load).toEqual(load);
  });
});

function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(dir, p)).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('corpus', () => {
  it('is deterministic: the same seed gives the same bytes, another seed others', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'perfgate-corpus-'));
    try {
      const a = ensureCorpus(path.join(base, 'a'), { services: 5, apps: 3 });
      const b = ensureCorpus(path.join(base, 'b'), { services: 5, apps: 3 });
      const c = ensureCorpus(path.join(base, 'c'), { services: 5, apps: 3, seed: 1 });
      expect(hashTree(a.infra)).toBe(hashTree(b.infra));
      expect(hashTree(a.config)).toBe(hashTree(b.config));
      expect(hashTree(a.infra)).not.toBe(hashTree(c.infra));
      expect(readFileSync(path.join(a.root, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('regenerates a corpus made by another generator version', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'perfgate-corpus-'));
    try {
      const dir = path.join(base, 'x');
      const first = ensureCorpus(dir, { services: 2, apps: 1 });
      writeFileSync(path.join(first.root, 'manifest.json'), JSON.stringify({ version: CORPUS_VERSION - 1 }));
      writeFileSync(path.join(first.infra, 'stale.env'), 'X=1\n');
      ensureCorpus(dir, { services: 2, apps: 1 });
      expect(readdirSync(first.infra)).not.toContain('stale.env');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
