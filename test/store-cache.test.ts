// Cache store against a real local Actions cache service (Twirp v2) with Azurite as blob storage:
// @actions/cache itself does the upload, download, tar and zstd, as on a runner.
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { saveCache } from '@actions/cache';
import { BlockBlobClient } from '@azure/storage-blob';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Benchmark, Results } from '../src/schema/results.ts';
import { StoreUnavailableError, cacheKeyPrefix, createStore } from '../src/store/index.ts';
import { startCacheService, type CacheService } from './helpers/cache-server.ts';

function bench(suite: string, name: string, value: number): Benchmark {
  return { id: `${suite}/${name}`, suite, name, unit: 'ns', direction: 'lower', status: 'ok', rounds: [value, value], samples: [value] };
}

function results(commit: string, value: number): Results {
  return {
    schema: 'perfgate/results@1',
    tool: { name: 'perfgate', version: '0.1.0' },
    source: { kind: 'perfgate' },
    commit,
    startedAt: '2025-01-02T03:04:05.000Z',
    clock: 'wall',
    machine: { fingerprint: 'abc', os: 'linux', arch: 'x64', cpuModel: 'cpu', cores: 2, memoryBytes: 1, node: '20', v8: '11' },
    benchmarks: [bench('parse', 'json', value)],
  };
}

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const SHA_C = 'c'.repeat(40);

let cache: CacheService;
let workspace: string;
const saved = new Map<string, string | undefined>();

/** Sets process.env as the runner would for one job; restored after each test. */
function job(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!saved.has(k)) saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

function pushJob(runId: string, sha: string): void {
  job({
    ...cache.env,
    ACTIONS_CACHE_URL: undefined,
    ACTIONS_CACHE_MODE: undefined,
    GITHUB_WORKSPACE: workspace,
    RUNNER_OS: 'Linux',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: sha,
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_DEBUG: undefined,
  });
}

function pullRequestJob(): void {
  job({
    ...cache.env,
    ACTIONS_CACHE_URL: undefined,
    ACTIONS_CACHE_MODE: undefined,
    GITHUB_WORKSPACE: workspace,
    RUNNER_OS: 'Linux',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REF: 'refs/pull/7/merge',
    GITHUB_BASE_REF: 'main',
    GITHUB_HEAD_REF: 'feature',
    GITHUB_SHA: 'd'.repeat(40),
    GITHUB_RUN_ID: '900',
    GITHUB_RUN_ATTEMPT: '1',
  });
}

beforeAll(async () => {
  cache = await startCacheService();
  workspace = await mkdtemp(path.join(os.tmpdir(), 'perfgate-workspace-'));
});

afterAll(async () => {
  await cache?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

afterEach(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  saved.clear();
  cache.clearFailures();
});

describe('cache store', () => {
  it('reports a miss as "no baseline yet" before anything is saved', async () => {
    pullRequestJob();
    const store = createStore('cache');
    expect(store.describe()).toBe('Actions cache (key prefix perfgate-v1-Linux-<branch>-)');
    const res = await store.load('main');
    expect(res).toEqual({ found: false, reason: 'no baseline yet for branch main in cache (key prefix perfgate-v1-Linux-main-)' });
    const lookup = cache.requests.at(-1)!;
    expect(lookup.method).toBe('GetCacheEntryDownloadURL');
    expect(lookup.body).toMatchObject({ key: 'perfgate-v1-Linux-main-', restore_keys: ['perfgate-v1-Linux-main-'] });
    expect(lookup.authorization).toBe(`Bearer ${cache.env.ACTIONS_RUNTIME_TOKEN}`);
  });

  it('saves on pushes and restores the newest entry of the base branch on a pull request', async () => {
    pushJob('101', SHA_A);
    const savedA = await createStore('cache').save('main', results(SHA_A, 10), { commit: SHA_A, ref: 'refs/heads/main' });
    expect(savedA).toEqual({ location: `Actions cache entry perfgate-v1-Linux-main-${SHA_A}-101-1`, notices: [] });

    pushJob('102', SHA_B);
    await createStore('cache').save('main', results(SHA_B, 20), { commit: SHA_B, ref: 'refs/heads/main' });

    // A later save on a branch whose name starts with "main-" must not shadow main's baseline.
    pushJob('103', SHA_C);
    await createStore('cache').save('main-old', results(SHA_C, 30), { commit: SHA_C, ref: 'refs/heads/main-old' });

    expect(cache.entries().map((e) => e.key)).toEqual([
      `perfgate-v1-Linux-main-${SHA_A}-101-1`,
      `perfgate-v1-Linux-main-${SHA_B}-102-1`,
      `perfgate-v1-Linux-main%2Dold-${SHA_C}-103-1`,
    ]);
    expect(new Set(cache.entries().map((e) => e.version)).size).toBe(1);
    expect(cache.entries().every((e) => e.sizeBytes > 0)).toBe(true);
    // The path-style Azurite SAS URLs the service hands out work with the Azure SDK's BlockBlobClient.
    const first = cache.entries()[0];
    const props = await new BlockBlobClient(cache.azurite.sasUrl(first.blobName, 'r')).getProperties();
    expect(props.contentLength).toBe(first.sizeBytes);

    pullRequestJob();
    const res = await createStore('cache').load('main');
    expect(res.found).toBe(true);
    if (!res.found) return;
    expect(res.location).toBe(`Actions cache entry perfgate-v1-Linux-main-${SHA_B}-102-1`);
    expect(res.results.commit).toBe(SHA_B);
    expect(res.results.ref).toBe('refs/heads/main');
    expect(res.results.benchmarks[0].rounds).toEqual([20, 20]);

    const old = await createStore('cache').load('main-old');
    expect(old.found && old.results.commit).toBe(SHA_C);
    expect(cacheKeyPrefix('Linux', 'main-old')).toBe('perfgate-v1-Linux-main%2Dold-');
  });

  it('turns a 500 from the cache service into StoreUnavailableError, not a miss or a crash', async () => {
    pullRequestJob();
    cache.fail('GetCacheEntryDownloadURL', 500);
    const before = cache.requests.length;
    const error = await createStore('cache', { cache: { lookupAttempts: 2, lookupRetryMs: 20 } })
      .load('main')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).store).toBe('cache');
    expect((error as Error).message).toMatch(/cache service did not answer the lookup for perfgate-v1-Linux-main-\* \(HTTP 500: injected failure \(500\)\)/);
    expect(cache.requests.slice(before).map((r) => r.status)).toEqual([500, 500]);
  });

  it('recovers when the service fails once and then answers', async () => {
    pullRequestJob();
    cache.fail('GetCacheEntryDownloadURL', 503, 1);
    const res = await createStore('cache', { cache: { lookupRetryMs: 20 } }).load('main');
    expect(res.found).toBe(true);
  });

  it('turns a refused save into StoreUnavailableError', async () => {
    pushJob('104', SHA_C);
    cache.fail('CreateCacheEntry', 403, 1);
    await expect(createStore('cache').save('main', results(SHA_C, 1), {})).rejects.toThrow(StoreUnavailableError);
    expect(cache.entries().some((e) => e.key.includes('-104-'))).toBe(false);
  });

  it('says the cache is unavailable outside a runner, and when the job may not write', async () => {
    pushJob('105', SHA_C);
    job({ ACTIONS_RESULTS_URL: undefined });
    await expect(createStore('cache').load('main')).rejects.toThrow(/Actions cache is not available here \(ACTIONS_RESULTS_URL not set\)/);
    pushJob('105', SHA_C);
    job({ ACTIONS_CACHE_MODE: 'read' });
    await expect(createStore('cache').save('main', results(SHA_C, 1), {})).rejects.toThrow(/does not allow writes .*ACTIONS_CACHE_MODE=read/);
  });

  it('names a corrupt cache entry and how to get rid of it', async () => {
    pushJob('106', SHA_A);
    // Save garbage under the key layout the store uses, with @actions/cache directly.
    const dir = path.join(cache.env.RUNNER_TEMP, 'perfgate-baseline');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'baseline.json'), '{"schema": "perfgate/results@1"');
    const key = `${cacheKeyPrefix('Linux', 'broken')}${SHA_A}-106-1`;
    expect(await saveCache([path.join(dir, 'baseline.json')], key)).toBeGreaterThan(0);
    pullRequestJob();
    const error = await createStore('cache').load('broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toContain(`Actions cache entry ${key} is not valid JSON`);
    expect((error as Error).message).toContain(`gh cache delete ${key}`);
  });
});
