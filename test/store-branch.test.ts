// Branch store against a real local bare repository as the remote: round trip, concurrent
// writers, history caps, corrupt baselines, unreachable remotes.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, Results } from '../src/schema/results.ts';
import { StoreUnavailableError, createStore, stringifyResults } from '../src/store/index.ts';
import { createBranchStore, type BranchStoreOptions } from '../src/store/branch.ts';
import { commitFiles, git, listFiles, makeBareRepo, makeClone, readAt, type BareRepo } from './helpers/git.ts';

function bench(value: number): Benchmark {
  return { id: 'parse/json', suite: 'parse', name: 'json', unit: 'ns', direction: 'lower', status: 'ok', rounds: [value, value], samples: [value] };
}

function results(commit: string, value: number, padding = 0): Results {
  return {
    schema: 'perfgate/results@1',
    tool: { name: 'perfgate', version: '0.1.0' },
    source: { kind: 'perfgate' },
    commit,
    startedAt: '2025-01-02T03:04:05.000Z',
    clock: 'wall',
    machine: { fingerprint: 'x'.repeat(1 + padding), os: 'linux', arch: 'x64', cpuModel: 'cpu', cores: 2, memoryBytes: 1, node: '20', v8: '11' },
    benchmarks: [bench(value)],
  };
}

const sha = (i: number): string => i.toString(16).padStart(2, '0').repeat(20);

/** A clock that moves one second per call, so history entries sort in save order. */
function steppingClock(start = Date.UTC(2025, 0, 1)): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

let remote: BareRepo;
const envBackup: Record<string, string | undefined> = {};

beforeAll(() => {
  // Keep the developer's own git configuration (identity, signing, hooks) out of these tests.
  for (const [k, v] of Object.entries({ GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' })) {
    envBackup[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(envBackup)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
beforeEach(async () => {
  remote = await makeBareRepo();
});
afterEach(async () => {
  await remote.cleanup();
});

function store(extra: BranchStoreOptions = {}) {
  return createBranchStore({ remoteUrl: remote.dir, retryBaseMs: 50, ...extra });
}

describe('branch store', () => {
  it('saves and loads a baseline, with a history entry, on a new orphan data branch', async () => {
    const s = store({ now: steppingClock() });
    expect(s.kind).toBe('branch');
    const before = await s.load('main');
    expect(before.found).toBe(false);
    expect(!before.found && before.reason).toMatch(/^no baseline yet for branch main: .*remote\.git has no perfgate-data branch$/);
    expect(await s.history!('main')).toEqual([]);

    const saved = await s.save('main', results(sha(1), 10), { commit: sha(1), ref: 'refs/heads/main' });
    expect(saved).toEqual({ location: 'perfgate-data:baselines/main.json', notices: [] });
    await s.save('main', results(sha(2), 20), { commit: sha(2) });
    await s.save('release/1.x', results(sha(3), 30), { commit: sha(3) });

    const loaded = await s.load('main');
    expect(loaded.found).toBe(true);
    if (!loaded.found) return;
    expect(loaded.location).toBe('perfgate-data:baselines/main.json');
    expect(loaded.results.commit).toBe(sha(2));
    expect(loaded.results.benchmarks[0].rounds).toEqual([20, 20]);
    expect(await s.load('feature')).toEqual({ found: false, reason: 'no baseline yet for branch feature on perfgate-data (no baselines/feature.json)' });

    const files = (await listFiles(remote.dir, 'perfgate-data')).map((f) => f.path);
    expect(files).toEqual([
      'baselines/main.json',
      'baselines/release%2F1.x.json',
      expect.stringMatching(/^history\/main\/20250101T000001000Z-0101010-[0-9a-f]{6}\.json$/),
      expect.stringMatching(/^history\/main\/20250101T000002000Z-0202020-[0-9a-f]{6}\.json$/),
      expect.stringMatching(/^history\/release%2F1\.x\/20250101T000003000Z-0303030-[0-9a-f]{6}\.json$/),
    ]);
    // Stored bytes are the deterministic serialisation; the ref from meta is kept.
    expect(await readAt(remote.dir, 'perfgate-data', 'baselines/main.json')).toBe(stringifyResults(results(sha(2), 20)));
    expect(await readAt(remote.dir, 'perfgate-data', files[2])).toContain('"ref": "refs/heads/main"');

    const history = await s.history!('main');
    expect(history.map((r) => r.commit)).toEqual([sha(2), sha(1)]);
    expect((await s.history!('main', 1)).map((r) => r.commit)).toEqual([sha(2)]);

    // Orphan branch, one commit per save, perfgate as the author when git has no identity.
    expect((await git(['rev-list', '--count', 'perfgate-data'], { cwd: remote.dir })).trim()).toBe('3');
    expect((await git(['log', '-1', '--format=%an <%ae>|%s', 'perfgate-data'], { cwd: remote.dir })).trim()).toBe(
      'perfgate <perfgate@users.noreply.github.com>|perfgate: baseline for release/1.x at 0303030',
    );
  });

  it('uses the origin remote and the git identity of the repository it runs in', async () => {
    const clone = await makeClone(remote.dir);
    try {
      // origin as a path relative to the clone: resolved against the clone, not the store's temp repo.
      await git(['remote', 'set-url', 'origin', path.relative(clone.dir, remote.dir)], { cwd: clone.dir });
      await git(['config', 'user.name', 'CI Bot'], { cwd: clone.dir });
      await git(['config', 'user.email', 'ci@example.com'], { cwd: clone.dir });
      const s = createStore('branch', { branch: { cwd: clone.dir, dataBranch: 'bench-data' } });
      expect(s.describe()).toBe('bench-data branch (origin)');
      await s.save('main', results(sha(1), 1), {});
      const loaded = await s.load('main');
      expect(loaded.found && loaded.results.commit).toBe(sha(1));
      expect((await git(['log', '-1', '--format=%an <%ae>', 'bench-data'], { cwd: remote.dir })).trim()).toBe('CI Bot <ci@example.com>');
    } finally {
      await clone.cleanup();
    }
  });

  it('loses no entry when 8 writers save at once', async () => {
    const writers = Array.from({ length: 8 }, (_, i) => i + 1);
    // Default backoff (as in production): each writer has its own store and its own temporary clone.
    const stores = writers.map(() => createBranchStore({ remoteUrl: remote.dir }));
    await Promise.all(writers.map((i) => stores[i - 1].save('main', results(sha(i), i), { commit: sha(i) })));

    const history = await store().history!('main');
    expect(history.map((r) => r.commit).sort()).toEqual(writers.map(sha).sort());
    const files = await listFiles(remote.dir, 'perfgate-data');
    expect(files.filter((f) => f.path.startsWith('history/main/'))).toHaveLength(8);
    const latest = await store().load('main');
    expect(latest.found && writers.map(sha)).toContain(latest.found ? latest.results.commit : '');
    // Every writer made exactly one commit: no lost or doubled change.
    expect((await git(['rev-list', '--count', 'perfgate-data'], { cwd: remote.dir })).trim()).toBe('8');
  });

  it('caps the history per branch by count, oldest first', async () => {
    const s = store({ maxEntries: 3, now: steppingClock() });
    for (let i = 1; i <= 5; i++) await s.save('main', results(sha(i), i), { commit: sha(i) });
    await s.save('other', results(sha(9), 9), { commit: sha(9) });
    expect((await s.history!('main')).map((r) => r.commit)).toEqual([sha(5), sha(4), sha(3)]);
    expect((await s.history!('other')).map((r) => r.commit)).toEqual([sha(9)]);
    const last = await s.save('main', results(sha(6), 6), { commit: sha(6) });
    expect(last.notices).toEqual(['Dropped 1 old history entry of main to stay within 3 entries and 20971520 bytes.']);
    expect((await s.history!('main')).map((r) => r.commit)).toEqual([sha(6), sha(5), sha(4)]);
  });

  it('caps the history per branch by bytes, oldest first, keeping the newest entry', async () => {
    const size = Buffer.byteLength(stringifyResults(results(sha(1), 1, 1000)));
    const s = store({ maxBytes: Math.floor(size * 2.5), now: steppingClock() });
    for (let i = 1; i <= 4; i++) await s.save('main', results(sha(i), i, 1000), { commit: sha(i) });
    const entries = (await listFiles(remote.dir, 'perfgate-data')).filter((f) => f.path.startsWith('history/main/'));
    expect(entries).toHaveLength(2);
    expect(entries.reduce((sum, e) => sum + e.size, 0)).toBeLessThanOrEqual(size * 2.5);
    expect((await s.history!('main')).map((r) => r.commit)).toEqual([sha(4), sha(3)]);

    // One entry larger than the cap on its own is still kept (the newest is never dropped).
    const tiny = store({ maxBytes: 10, now: steppingClock(Date.UTC(2026, 0, 1)) });
    await tiny.save('main', results(sha(5), 5), { commit: sha(5) });
    expect((await tiny.history!('main')).map((r) => r.commit)).toEqual([sha(5)]);
  });

  it('names a corrupt baseline on the branch and moves it aside instead of overwriting it', async () => {
    const s = store({ now: () => new Date('2025-06-07T08:09:10.011Z') });
    await s.save('main', results(sha(1), 1), { commit: sha(1) });
    const garbage = '{"schema": "perfgate/results@1", "benchmarks": [';
    await commitFiles(remote.dir, 'perfgate-data', { 'baselines/main.json': garbage }, 'someone edits by hand');

    const error = await s.load('main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(/^perfgate-data:baselines\/main\.json is not valid JSON \(.+\)\.\nFix or delete it on the perfgate-data branch/);

    // Schema-invalid is named too, with the field.
    await commitFiles(remote.dir, 'perfgate-data', { 'baselines/main.json': '{"schema": "perfgate/results@1"}' });
    await expect(s.load('main')).rejects.toThrow(/perfgate-data:baselines\/main\.json is not valid perfgate\/results@1:\n\s+- tool:/);
    await commitFiles(remote.dir, 'perfgate-data', { 'baselines/main.json': garbage });

    const saved = await s.save('main', results(sha(2), 2), { commit: sha(2) });
    expect(saved.notices).toHaveLength(1);
    expect(saved.notices[0]).toMatch(/^perfgate-data:baselines\/main\.json is not valid JSON .* Moved it to perfgate-data:corrupt\/main-20250607T080910011Z\.json in the same commit/);
    expect(await readAt(remote.dir, 'perfgate-data', 'corrupt/main-20250607T080910011Z.json')).toBe(garbage);
    const loaded = await s.load('main');
    expect(loaded.found && loaded.results.commit).toBe(sha(2));
    // The move and the new baseline are one commit.
    const changed = await git(['show', '--name-status', '--format=', 'perfgate-data'], { cwd: remote.dir });
    expect(changed).toMatch(/A\tcorrupt\/main-20250607T080910011Z\.json/);
    expect(changed).toMatch(/M\tbaselines\/main\.json/);
  });

  it('names a corrupt history entry', async () => {
    const s = store();
    await s.save('main', results(sha(1), 1), { commit: sha(1) });
    await commitFiles(remote.dir, 'perfgate-data', { 'history/main/29990101T000000000Z-bad.json': 'nope' });
    await expect(s.history!('main')).rejects.toThrow(/perfgate-data:history\/main\/29990101T000000000Z-bad\.json is not valid JSON/);
  });

  it('turns an unreachable remote into StoreUnavailableError without printing credentials', async () => {
    const token = 'ghs_supersecrettoken123';
    const withToken = createBranchStore({ remoteUrl: 'http://127.0.0.1:9/owner/repo.git', token });
    const e1 = await withToken.load('main').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(StoreUnavailableError);
    expect((e1 as Error).message).toMatch(/^Could not fetch perfgate-data from http:\/\/127\.0\.0\.1:9\/owner\/repo\.git: /);
    expect((e1 as Error).message).not.toContain(token);

    const inUrl = createBranchStore({ remoteUrl: `http://x-access-token:${token}@127.0.0.1:9/owner/repo.git` });
    expect(inUrl.describe()).toBe('perfgate-data branch (http://***@127.0.0.1:9/owner/repo.git)');
    const e2 = await inUrl.save('main', results(sha(1), 1), {}).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(StoreUnavailableError);
    expect((e2 as Error).message).toContain('http://***@127.0.0.1:9/owner/repo.git');
    expect((e2 as Error).message).not.toContain(token);
  });

  it("sends the checkout's credentials or the token to the remote, and never prints them", async () => {
    // A local HTTP server standing in for github.com: it records the Authorization header of git's
    // first request and answers 401, as GitHub does for a token without access.
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('denied');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const clone = await makeClone(`${base}owner/repo.git`);
    try {
      // What actions/checkout leaves in .git/config.
      const checkoutHeader = Buffer.from('x-access-token:ghs_fromcheckout123').toString('base64');
      await git(['config', `http.${base}.extraheader`, `AUTHORIZATION: basic ${checkoutHeader}`], { cwd: clone.dir });
      const e1 = await createBranchStore({ cwd: clone.dir }).load('main').catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(StoreUnavailableError);
      expect(seen.at(-1)).toBe(`basic ${checkoutHeader}`);
      expect((e1 as Error).message).not.toContain(checkoutHeader);
      expect((e1 as Error).message).toMatch(/permissions: contents: write/);

      const token = 'ghs_explicit456';
      const e2 = await createBranchStore({ cwd: clone.dir, token }).save('main', results(sha(1), 1), {}).catch((e: unknown) => e);
      expect(e2).toBeInstanceOf(StoreUnavailableError);
      expect(seen.at(-1)).toBe(`basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
      expect((e2 as Error).message).not.toContain(token);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await clone.cleanup();
    }
  });
});
