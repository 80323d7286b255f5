// The cache store's rolling history (opt-in; weekly mode) against the local Actions cache service
// with Azurite: each save appends the run, history() reads it back newest first, bounded.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore, HISTORY_KEY_VERSION } from '../src/store/cache.ts';
import { startCacheService, type CacheService } from './helpers/cache-server.ts';
import { STEP_SPECS, weeklyRun } from './helpers/weekly.ts';

let cache: CacheService;
let workspace: string;
const saved = new Map<string, string | undefined>();

function job(runId: string): void {
  const vars: Record<string, string | undefined> = {
    ...cache.env,
    ACTIONS_CACHE_URL: undefined,
    ACTIONS_CACHE_MODE: undefined,
    GITHUB_WORKSPACE: workspace,
    RUNNER_OS: 'Linux',
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
  };
  for (const [k, v] of Object.entries(vars)) {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

beforeAll(async () => {
  cache = await startCacheService();
  workspace = await mkdtemp(path.join(os.tmpdir(), 'perfgate-history-cache-'));
}, 120_000);
afterAll(async () => {
  await cache?.stop();
  await rm(workspace, { recursive: true, force: true });
});
afterEach(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  saved.clear();
  cache.clearFailures();
});

describe('cache store history', () => {
  it('appends each saved run to a bounded rolling history, newest first, without raw samples', async () => {
    for (let i = 0; i < 4; i++) {
      job(String(200 + i));
      const run = weeklyRun(i, STEP_SPECS, 1);
      const out = await createCacheStore({ history: true, historyEntries: 3 }).save('main', run, { commit: run.commit, ref: 'main' });
      expect(out.notices).toEqual([]);
    }
    job('300');
    const store = createCacheStore({ history: true });
    const runs = await store.history!('main');
    expect(runs.map((r) => r.commit)).toEqual([3, 2, 1].map((i) => weeklyRun(i, STEP_SPECS, 1).commit));
    expect(runs[0].benchmarks[0].samples).toEqual([]);
    expect(runs[0].benchmarks[0].rounds).toHaveLength(8);
    expect(await store.history!('main', 1)).toHaveLength(1);
    expect(await store.history!('other')).toEqual([]);
    expect(cache.entries().filter((e) => e.key.startsWith(`${HISTORY_KEY_VERSION}-Linux-main-`))).toHaveLength(4);
    // The baseline itself is where it always was.
    const base = await store.load('main');
    expect(base.found && base.results.commit).toBe(runs[0].commit);
  });

  it('is off by default: no history entries, no history()', async () => {
    job('400');
    const before = cache.entries().length;
    const store = createCacheStore();
    expect(store.history).toBeUndefined();
    await store.save('plain', weeklyRun(0, STEP_SPECS, 1), {});
    expect(cache.entries().length).toBe(before + 1);
  });

  it('keeps the baseline saved when the history cannot be read', async () => {
    job('500');
    cache.fail('GetCacheEntryDownloadURL', 500, 3);
    const out = await createCacheStore({ history: true, lookupAttempts: 1 }).save('main', weeklyRun(5, STEP_SPECS, 1), {});
    expect(out.location).toMatch(/perfgate-v1-Linux-main-/);
    expect(out.notices.join(' ')).toMatch(/could not be read .* starting a new one/);
  });
});
