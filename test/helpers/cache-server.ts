// A local GitHub Actions cache service (v2, the one @actions/cache 4+ talks to) for tests: a real
// HTTP server speaking Twirp JSON at `/twirp/github.actions.results.api.v1.CacheService/<Method>`
// (CreateCacheEntry, FinalizeCacheEntryUpload, GetCacheEntryDownloadURL), with Azurite as the
// blob storage behind SAS URLs, as on GitHub.
//
// Matching follows the real service: entries are scoped by version (a hash of the cached paths
// and compression); a lookup tries the key exactly, then each restore key as a prefix, and among
// prefix matches the newest finalized entry wins.
//
// Use from any test, including runs of the bundled Action (`node dist/index.js`):
//   const cache = await startCacheService();
//   spawn(process.execPath, ['dist/index.js'], { env: { ...baseEnv, ...cache.env } });
//   ... cache.entries(), cache.requests, cache.fail('CreateCacheEntry', 500) ...
//   await cache.stop();
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startAzurite, type Azurite } from './azurite.ts';

export const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.CacheService/';
export type CacheMethod = 'CreateCacheEntry' | 'FinalizeCacheEntryUpload' | 'GetCacheEntryDownloadURL';

export interface CacheEntry {
  id: number;
  key: string;
  version: string;
  blobName: string;
  sizeBytes: number;
  /** Order of creation (higher is newer). */
  createdAt: number;
  finalized: boolean;
}

export interface RecordedRequest {
  method: string;
  body: Record<string, unknown>;
  authorization: string | undefined;
  status: number;
}

export interface CacheService {
  /** Base URL of the Twirp service (the value of ACTIONS_RESULTS_URL without the trailing slash). */
  url: string;
  /**
   * The variables the runner sets for a job that may use the cache: ACTIONS_RESULTS_URL,
   * ACTIONS_RUNTIME_TOKEN, ACTIONS_CACHE_SERVICE_V2, GITHUB_SERVER_URL (github.com: any other
   * host makes @actions/cache assume GHES and fall back to the v1 service) and RUNNER_TEMP (a temp
   * folder owned by this service; @actions/cache needs it, and perfgate's cache store keeps its
   * file there, so keep the same RUNNER_TEMP for a saving run and a restoring run).
   */
  env: Record<string, string>;
  /** Finalized entries, newest last (pass `{ pending: true }` to include unfinished uploads). */
  entries(options?: { pending?: boolean }): CacheEntry[];
  /** Every Twirp call received, in order. */
  requests: RecordedRequest[];
  /** Make the next `times` calls of `method` (or every method: '*') answer `status` with a Twirp error. */
  fail(method: CacheMethod | '*', status?: number, times?: number): void;
  clearFailures(): void;
  azurite: Azurite;
  stop(): Promise<void>;
}

const TWIRP_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  429: 'resource_exhausted',
  500: 'internal',
  503: 'unavailable',
};

export async function startCacheService(options: { token?: string } = {}): Promise<CacheService> {
  const token = options.token ?? `perfgate-test-${randomUUID()}`;
  const azurite = await startAzurite();
  const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'perfgate-runner-temp-'));
  const entries: CacheEntry[] = [];
  const requests: RecordedRequest[] = [];
  const failures: { method: string; status: number; times: number }[] = [];
  let clock = 0;
  let nextId = 1;

  const handle = async (method: string, body: Record<string, unknown>): Promise<[number, unknown]> => {
    const key = String(body.key ?? '');
    const version = String(body.version ?? '');
    if (!key || !version) return [400, { code: 'invalid_argument', msg: 'key and version are required' }];
    switch (method) {
      case 'CreateCacheEntry': {
        if (entries.some((e) => e.key === key && e.version === version)) {
          return [409, { code: 'already_exists', msg: `cache entry with key ${key} and version ${version} already exists` }];
        }
        const entry: CacheEntry = { id: nextId++, key, version, blobName: `${randomUUID()}.tar`, sizeBytes: 0, createdAt: ++clock, finalized: false };
        entries.push(entry);
        return [200, { ok: true, signed_upload_url: azurite.sasUrl(entry.blobName, 'cw') }];
      }
      case 'FinalizeCacheEntryUpload': {
        const entry = entries.find((e) => e.key === key && e.version === version && !e.finalized);
        if (!entry) return [404, { code: 'not_found', msg: `no pending cache entry with key ${key}` }];
        const size = await azurite.blobSize(entry.blobName);
        const expected = Number(body.size_bytes ?? body.sizeBytes);
        if (size === undefined || size !== expected) {
          return [200, { ok: false, entry_id: '0', message: `uploaded blob has ${size ?? 'no'} bytes, expected ${expected}` }];
        }
        entry.finalized = true;
        entry.sizeBytes = size;
        entry.createdAt = ++clock;
        return [200, { ok: true, entry_id: String(entry.id) }];
      }
      case 'GetCacheEntryDownloadURL': {
        const candidates = entries.filter((e) => e.finalized && e.version === version);
        const newest = (list: CacheEntry[]): CacheEntry | undefined => list.sort((a, b) => b.createdAt - a.createdAt)[0];
        let match = candidates.find((e) => e.key === key);
        const restoreKeys = Array.isArray(body.restore_keys) ? body.restore_keys.map(String) : [];
        for (const prefix of restoreKeys) {
          if (match) break;
          match = newest(candidates.filter((e) => e.key.startsWith(prefix)));
        }
        if (!match) return [200, { ok: false, signed_download_url: '', matched_key: '' }];
        return [200, { ok: true, signed_download_url: azurite.sasUrl(match.blobName, 'r'), matched_key: match.key }];
      }
      default:
        return [404, { code: 'bad_route', msg: `no handler for ${method}` }];
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        const method = url.pathname.startsWith(TWIRP_PREFIX) ? url.pathname.slice(TWIRP_PREFIX.length) : url.pathname;
        let body: Record<string, unknown> = {};
        try {
          body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
        } catch {
          body = {};
        }
        let status: number;
        let payload: unknown;
        const failure = failures.find((f) => (f.method === '*' || f.method === method) && f.times > 0);
        if (req.method !== 'POST' || !url.pathname.startsWith(TWIRP_PREFIX)) {
          [status, payload] = [404, { code: 'bad_route', msg: `no route ${req.method} ${url.pathname}` }];
        } else if (req.headers.authorization !== `Bearer ${token}`) {
          [status, payload] = [401, { code: 'unauthenticated', msg: 'missing or wrong runtime token' }];
        } else if (failure) {
          failure.times -= 1;
          [status, payload] = [failure.status, { code: TWIRP_CODES[failure.status] ?? 'unknown', msg: `injected failure (${failure.status})` }];
        } else {
          try {
            [status, payload] = await handle(method, body);
          } catch (error) {
            [status, payload] = [500, { code: 'internal', msg: (error as Error).message }];
          }
        }
        requests.push({ method, body, authorization: req.headers.authorization, status });
        const text = JSON.stringify(payload);
        res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
        res.end(text);
      })();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await azurite.stop();
    await rm(runnerTemp, { recursive: true, force: true });
    throw error;
  }
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    env: {
      ACTIONS_RESULTS_URL: `${url}/`,
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_CACHE_SERVICE_V2: 'True',
      GITHUB_SERVER_URL: 'https://github.com',
      RUNNER_TEMP: runnerTemp,
    },
    entries: ({ pending = false } = {}) =>
      entries.filter((e) => pending || e.finalized).sort((a, b) => a.createdAt - b.createdAt).map((e) => ({ ...e })),
    requests,
    fail(method, status = 500, times = Number.POSITIVE_INFINITY) {
      failures.push({ method, status, times });
    },
    clearFailures() {
      failures.length = 0;
    },
    azurite,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await azurite.stop();
      await rm(runnerTemp, { recursive: true, force: true });
    },
  };
}
