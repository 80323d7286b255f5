// The Actions cache as baseline store, through the bundled Action: a push to main saves, a pull
// request restores the base branch's newest entry, a branch without one passes "no baseline yet".
// @actions/cache talks to a local cache service (cache service v2) with Azurite as blob storage.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, ROOT, runAction } from './helpers/action.ts';
import { startCacheService, type CacheService } from './helpers/cache-server.ts';

const PR_EVENT = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/events/pull_request.json'), 'utf8'));
const PUSH_EVENT = path.join(ROOT, 'test/fixtures/events/push.json');
const INPUTS = { rounds: '5', 'task-time': '60', build: 'none', baseline: 'cache', comment: 'never', 'github-token': 'test-token' };

describe('baseline: cache (dist/index.js)', () => {
  let cache: CacheService;
  let project: string;
  beforeAll(async () => {
    cache = await startCacheService();
    project = makeProject('cache');
  }, 120_000);
  afterAll(async () => {
    await cache?.stop();
  });

  it('a pull request before any save passes with "no baseline yet"', async () => {
    const run = await runAction({ inputs: INPUTS, eventName: 'pull_request', event: PR_EVENT, workspace: project, env: cache.env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.summary).toMatch(/no baseline yet/i);
    expect(run.outputs.verdict).toBe('pass');
  });

  it('a push to the default branch saves; a pull request for that base restores and compares', async () => {
    const push = await runAction({ inputs: INPUTS, eventName: 'push', event: PUSH_EVENT, workspace: project, env: cache.env });
    expect(push.code, push.stdout + push.stderr).toBe(0);
    expect(push.stdout).toMatch(/baseline saved/);
    const keys = cache.entries().map((e) => e.key);
    expect(keys.some((k) => k.startsWith('perfgate-v1-Linux-main-'))).toBe(true);

    const pr = await runAction({
      inputs: INPUTS,
      eventName: 'pull_request',
      event: PR_EVENT,
      workspace: project,
      env: { ...cache.env, PERFGATE_INJECT: JSON.stringify({ '*': 3 }) },
    });
    expect(pr.code, pr.stdout + pr.stderr).toBe(1);
    const comparison = JSON.parse(readFileSync(pr.outputs['comparison-json'], 'utf8'));
    expect(comparison.mode).toBe('stored');
    expect(comparison.crossMachine).toBe(false);
    expect(comparison.base.source).toMatch(/perfgate-v1-Linux-main-/);
    expect(comparison.benchmarks.map((b: { verdict: string }) => b.verdict)).toEqual(['critical', 'critical']);
  });

  it('a pull request never saves', async () => {
    const before = cache.entries().length;
    const pr = await runAction({ inputs: INPUTS, eventName: 'pull_request', event: PR_EVENT, workspace: project, env: cache.env });
    expect(pr.code, pr.stdout + pr.stderr).toBe(0);
    expect(pr.stdout).toMatch(/a pull request never saves a baseline/);
    expect(cache.entries().length).toBe(before);
  });

  it('a failing push to main is not saved unless save-baseline is true', async () => {
    const before = cache.entries().length;
    const slow = { ...cache.env, PERFGATE_INJECT: JSON.stringify({ '*': 3 }) };
    const push = await runAction({ inputs: INPUTS, eventName: 'push', event: PUSH_EVENT, workspace: project, env: slow });
    expect(push.code).toBe(1);
    expect(push.stdout).toMatch(/NOT saved as the new baseline/);
    expect(cache.entries().length).toBe(before);

    // Another workflow run (a cache key is never reused: entries are immutable).
    const forced = await runAction({ inputs: { ...INPUTS, 'save-baseline': 'true' }, eventName: 'push', event: PUSH_EVENT, workspace: project, env: { ...slow, GITHUB_RUN_ID: '1001' } });
    expect(forced.code).toBe(1);
    expect(forced.stdout).toMatch(/baseline saved/);
    expect(cache.entries().length).toBe(before + 1);
  });

  it('a cache service answering 500 is a warning; the gate still decides', async () => {
    cache.fail('*', 500, 20);
    try {
      const pr = await runAction({ inputs: INPUTS, eventName: 'pull_request', event: PR_EVENT, workspace: project, env: cache.env });
      expect(pr.code, pr.stdout + pr.stderr).toBe(0);
      expect(pr.stdout).toMatch(/::warning::.*(unavailable|500)/i);
      expect(pr.outputs.verdict).toBe('pass');
    } finally {
      cache.clearFailures();
    }
  });
});
