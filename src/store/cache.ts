// Cache store: the GitHub Actions cache (@actions/cache, cache service v2).
//
// Keys: `perfgate-v1-<os>-<branch>-<commit>-<run id>-<attempt>`. Default-branch runs save under a
// fresh key (entries are immutable); a pull request restores the newest entry whose key starts
// with `perfgate-v1-<os>-<base branch>-`. In the branch part every character outside
// [A-Za-z0-9._/] is percent-encoded, `-` included, so the prefix of `main` never matches the keys
// of `main-old`.
//
// @actions/cache deliberately swallows service errors (it warns and reports a miss), which would
// turn a cache outage into a silent "no baseline yet". So on v2 the lookup is made here first
// (one Twirp call, same key, restore keys and version as @actions/cache computes): a 5xx, a
// network error or a refused token becomes StoreUnavailableError, `ok: false` is a real miss, and
// only then does restoreCache download and unpack the entry it found. The round-trip test against
// the local cache service (test/store-cache.test.ts) breaks if that version computation drifts
// from the library's.
//
// History (opt-in, `history: true`; the weekly mode uses it): each save also appends the run to a
// rolling history file (`history.json`, the newest `historyEntries` runs without raw samples),
// saved as its own entry under `perfgate-history-v1-<os>-<branch>-…` and read back by history().
// The Actions cache evicts entries unused for 7 days, so this history is best effort; the data
// branch is the durable home of a history.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { restoreCache, saveCache } from '@actions/cache';
import { HttpClient } from '@actions/http-client';
import type { Results } from '../schema/results.ts';
import { parseStoredResults, stringifyResults, withMeta } from './json.ts';
import { StoreUnavailableError, type BaselineStore, type LoadResult, type SaveMeta, type SaveResult } from './types.ts';

export const CACHE_KEY_VERSION = 'perfgate-v1';
export const HISTORY_KEY_VERSION = 'perfgate-history-v1';
export const HISTORY_SCHEMA = 'perfgate/cache-history@1';
const FILE_NAME = 'baseline.json';
const HISTORY_FILE = 'history.json';
const SERVICE = 'github.actions.results.api.v1.CacheService';

export interface CacheStoreOptions {
  /** OS part of the key (default RUNNER_OS, else from the platform: Linux, macOS, Windows). */
  os?: string;
  /**
   * Folder holding the file that is cached. Its path is part of the cache version, so saving and
   * restoring runs must use the same one (default `$RUNNER_TEMP/perfgate-baseline`).
   */
  dir?: string;
  /** Run id and attempt for unique keys (default GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT). */
  runId?: string;
  runAttempt?: string;
  /** Attempts and first delay of the lookup on 5xx and network errors (default 3, 1000 ms). */
  lookupAttempts?: number;
  lookupRetryMs?: number;
  now?: () => Date;
  /** Keep a rolling history of saved runs beside the baseline (default false). */
  history?: boolean;
  /** Runs the rolling history keeps, newest first (default 100). */
  historyEntries?: number;
}

function platformOs(): string {
  return process.platform === 'win32' ? 'Windows' : process.platform === 'darwin' ? 'macOS' : 'Linux';
}

/** Branch names in keys: [A-Za-z0-9._/] kept, everything else (including `-` and `,`) as %XX. */
export function encodeKeyPart(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && /[A-Za-z0-9._/]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function cacheKeyPrefix(osName: string, branch: string): string {
  return `${CACHE_KEY_VERSION}-${encodeKeyPart(osName)}-${encodeKeyPart(branch)}-`;
}

export function cacheKey(osName: string, branch: string, parts: { commit?: string; runId?: string; runAttempt?: string; now: Date }): string {
  const commit = parts.commit && /^[0-9a-f]{4,64}$/i.test(parts.commit) ? parts.commit.toLowerCase() : 'nocommit';
  const run = parts.runId ? `${encodeKeyPart(parts.runId)}-${encodeKeyPart(parts.runAttempt ?? '1')}` : String(parts.now.getTime());
  const key = `${cacheKeyPrefix(osName, branch)}${commit}-${run}`;
  if (key.length > 512) throw new Error(`The cache key for branch "${branch}" would be ${key.length} characters; the Actions cache allows 512. Use the branch store (baseline: branch) for this branch.`);
  return key;
}

function serviceVersion(): 'v1' | 'v2' {
  // Mirrors @actions/cache: v2 when ACTIONS_CACHE_SERVICE_V2 is set, except on GHES (v1 only).
  const host = new URL(process.env.GITHUB_SERVER_URL || 'https://github.com').hostname.toUpperCase();
  const ghes = host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
  return !ghes && process.env.ACTIONS_CACHE_SERVICE_V2 ? 'v2' : 'v1';
}

/** Throws StoreUnavailableError unless the runner exposes the cache service to this step. */
function requireService(access: 'read' | 'write'): { version: 'v1' | 'v2'; url: string; token: string } {
  const version = serviceVersion();
  const urlVar = version === 'v2' ? 'ACTIONS_RESULTS_URL' : 'ACTIONS_CACHE_URL';
  const url = process.env[urlVar] || (version === 'v1' ? process.env.ACTIONS_RESULTS_URL : '') || '';
  const token = process.env.ACTIONS_RUNTIME_TOKEN || '';
  if (!url || !token) {
    const missing = [!url && urlVar, !token && 'ACTIONS_RUNTIME_TOKEN'].filter(Boolean).join(' and ');
    throw new StoreUnavailableError(
      'cache',
      `The Actions cache is not available here (${missing} not set). It exists only inside a GitHub Actions job; ` +
        'use `baseline: branch` or `baseline: file` elsewhere.',
    );
  }
  const mode = (process.env.ACTIONS_CACHE_MODE || '').trim().toLowerCase();
  const allowed = access === 'read' ? ['read', 'write'] : ['write', 'write-only'];
  if (['none', 'read', 'write', 'write-only'].includes(mode) && !allowed.includes(mode)) {
    throw new StoreUnavailableError('cache', `The Actions cache does not allow ${access}s in this job (ACTIONS_CACHE_MODE=${mode}).`);
  }
  return { version, url, token };
}

let zstdProbe: Promise<boolean> | undefined;

/** Same probe as @actions/cache: zstd is used when `zstd --quiet --version` prints anything. */
function zstdAvailable(): Promise<boolean> {
  zstdProbe ??= new Promise((resolve) => {
    execFile('zstd', ['--quiet', '--version'], { timeout: 10_000, windowsHide: true }, (_error, stdout, stderr) => {
      resolve(`${stdout ?? ''}${stderr ?? ''}`.trim() !== '');
    });
  });
  return zstdProbe;
}

/** The cache version @actions/cache computes for `paths` (it must match for the service to find entries). */
export async function cacheVersion(paths: string[]): Promise<string> {
  const components = [...paths, (await zstdAvailable()) ? 'zstd-without-long' : 'gzip'];
  if (process.platform === 'win32') components.push('windows-only');
  components.push('1.0');
  return createHash('sha256').update(components.join('|')).digest('hex');
}

interface Lookup {
  ok: boolean;
  matchedKey?: string;
}

async function lookupV2(service: { url: string; token: string }, prefix: string, version: string, attempts: number, retryMs: number): Promise<Lookup> {
  const url = new URL(`/twirp/${SERVICE}/GetCacheEntryDownloadURL`, service.url).href;
  const client = new HttpClient('perfgate', [], { socketTimeout: 30_000 });
  const body = JSON.stringify({ key: prefix, restore_keys: [prefix], version });
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let retryable = true;
    try {
      const res = await client.post(url, body, { 'Content-Type': 'application/json', Authorization: `Bearer ${service.token}` });
      const status = res.message.statusCode ?? 0;
      const text = await res.readBody();
      if (status >= 200 && status < 300) {
        const parsed = JSON.parse(text) as { ok?: boolean; matched_key?: string; matchedKey?: string };
        return { ok: Boolean(parsed.ok), matchedKey: parsed.matched_key ?? parsed.matchedKey };
      }
      let detail = '';
      try {
        detail = (JSON.parse(text) as { msg?: string }).msg ?? '';
      } catch {
        // not a Twirp error body
      }
      problem = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
      retryable = status >= 500 || status === 429;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (!retryable || attempt === attempts) break;
    await new Promise((r) => setTimeout(r, retryMs * 2 ** (attempt - 1) * (0.5 + Math.random())));
  }
  throw new StoreUnavailableError('cache', `The Actions cache service did not answer the lookup for ${prefix}* (${problem}); continuing without a cached baseline.`);
}

function labelFor(key: string): string {
  return `Actions cache entry ${key}`;
}

export function createCacheStore(options: CacheStoreOptions = {}): BaselineStore {
  const osName = () => options.os ?? process.env.RUNNER_OS ?? platformOs();
  const dir = () => options.dir ?? path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'perfgate-baseline');
  const now = options.now ?? (() => new Date());

  async function load(branch: string): Promise<LoadResult> {
    const service = requireService('read');
    const prefix = cacheKeyPrefix(osName(), branch);
    const file = path.join(dir(), FILE_NAME);
    const paths = [file];
    const miss = `no baseline yet for branch ${branch} in cache (key prefix ${prefix})`;
    let key: string | undefined;
    if (service.version === 'v2') {
      const found = await lookupV2(service, prefix, await cacheVersion(paths), options.lookupAttempts ?? 3, options.lookupRetryMs ?? 1000);
      if (!found.ok || !found.matchedKey) return { found: false, reason: miss };
      if (!found.matchedKey.startsWith(prefix)) {
        throw new StoreUnavailableError('cache', `The Actions cache answered ${found.matchedKey} for prefix ${prefix}; ignoring it.`);
      }
      await rm(file, { force: true });
      key = await callRestore(paths, found.matchedKey, []);
      if (!key) {
        throw new StoreUnavailableError('cache', `The Actions cache has ${found.matchedKey} but it could not be downloaded (see the @actions/cache warning above); continuing without a cached baseline.`);
      }
    } else {
      await rm(file, { force: true });
      key = await callRestore(paths, prefix, [prefix]);
      // v1 reports service errors only as warnings; a miss and an outage look alike here.
      if (!key) return { found: false, reason: `${miss}, or the cache service could not be reached (see any warning above)` };
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new StoreUnavailableError(
        'cache',
        `${labelFor(key)} was restored but ${file} is not in it: it was saved from another workspace or with another file layout. The next default-branch run saves a fresh one.`,
      );
    }
    const results = parseStoredResults(
      text,
      labelFor(key),
      `Cache entries cannot be edited: delete it (\`gh cache delete ${key}\`) and let the next default-branch run save a new baseline.`,
    );
    return { found: true, results, location: labelFor(key) };
  }

  async function save(branch: string, results: Results, meta: SaveMeta): Promise<SaveResult> {
    requireService('write');
    const key = cacheKey(osName(), branch, {
      commit: meta.commit ?? results.commit,
      runId: options.runId ?? process.env.GITHUB_RUN_ID,
      runAttempt: options.runAttempt ?? process.env.GITHUB_RUN_ATTEMPT,
      now: now(),
    });
    const file = path.join(dir(), FILE_NAME);
    await mkdir(dir(), { recursive: true });
    await writeFile(file, stringifyResults(withMeta(results, meta)));
    let id: number;
    try {
      id = await saveCache([file], key);
    } catch (error) {
      throw new StoreUnavailableError('cache', `Could not save the baseline to the Actions cache under ${key}: ${(error as Error).message}`, { cause: error });
    }
    if (id === -1) {
      throw new StoreUnavailableError(
        'cache',
        `Could not save the baseline to the Actions cache under ${key} (the @actions/cache message above says why: service unavailable, write denied, or the key exists).`,
      );
    }
    return { location: labelFor(key), notices: [] };
  }

  /** The rolling history of `branch`, newest first (empty when there is none yet). */
  async function history(branch: string, limit?: number): Promise<Results[]> {
    const service = requireService('read');
    const prefix = `${HISTORY_KEY_VERSION}-${encodeKeyPart(osName())}-${encodeKeyPart(branch)}-`;
    const file = path.join(dir(), HISTORY_FILE);
    const paths = [file];
    await rm(file, { force: true });
    let key: string | undefined;
    if (service.version === 'v2') {
      const found = await lookupV2(service, prefix, await cacheVersion(paths), options.lookupAttempts ?? 3, options.lookupRetryMs ?? 1000);
      if (!found.ok || !found.matchedKey || !found.matchedKey.startsWith(prefix)) return [];
      key = await callRestore(paths, found.matchedKey, []);
    } else key = await callRestore(paths, prefix, [prefix]);
    if (!key) return [];
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new StoreUnavailableError('cache', `${labelFor(key)} holds no readable history (${(error as Error).message}); the next save starts a new one.`);
    }
    const entries = (value as { schema?: unknown; entries?: unknown }).entries;
    if ((value as { schema?: unknown }).schema !== HISTORY_SCHEMA || !Array.isArray(entries)) {
      throw new StoreUnavailableError('cache', `${labelFor(key)} is not a ${HISTORY_SCHEMA} file; the next save starts a new history.`);
    }
    const runs = entries.map((e, i) => parseStoredResults(JSON.stringify(e), `${labelFor(key)} entry ${i + 1}`, `Delete it (\`gh cache delete ${key}\`); the next save starts a new history.`));
    return limit === undefined ? runs : runs.slice(0, Math.max(0, limit));
  }

  /** Appends `results` to the branch's rolling history (a new cache entry); returns notices. */
  async function appendHistory(branch: string, results: Results, meta: SaveMeta): Promise<string[]> {
    const max = Math.max(1, Math.floor(options.historyEntries ?? 100));
    let previous: Results[] = [];
    const notices: string[] = [];
    try {
      previous = await history(branch);
    } catch (error) {
      notices.push(`The cached history of ${branch} could not be read (${(error as Error).message}); starting a new one.`);
    }
    const compact = (r: Results): Results => ({ ...r, benchmarks: r.benchmarks.map((b) => ({ ...b, samples: [] })) });
    const entries = [compact(withMeta(results, meta)), ...previous].slice(0, max);
    const file = path.join(dir(), HISTORY_FILE);
    await mkdir(dir(), { recursive: true });
    await writeFile(file, `${JSON.stringify({ schema: HISTORY_SCHEMA, branch, entries })}\n`);
    const key = cacheKey(osName(), branch, {
      commit: meta.commit ?? results.commit,
      runId: options.runId ?? process.env.GITHUB_RUN_ID,
      runAttempt: options.runAttempt ?? process.env.GITHUB_RUN_ATTEMPT,
      now: now(),
    }).replace(`${CACHE_KEY_VERSION}-`, `${HISTORY_KEY_VERSION}-`);
    try {
      const id = await saveCache([file], key);
      if (id === -1) notices.push(`The history of ${branch} was not saved to the Actions cache under ${key} (see the @actions/cache message above).`);
    } catch (error) {
      notices.push(`The history of ${branch} was not saved to the Actions cache under ${key}: ${(error as Error).message}`);
    }
    return notices;
  }

  const store: BaselineStore = {
    kind: 'cache',
    describe: () => `Actions cache (key prefix ${CACHE_KEY_VERSION}-${osName()}-<branch>-)`,
    load,
    save,
  };
  if (options.history) {
    store.history = history;
    store.save = async (branch, results, meta) => {
      const saved = await save(branch, results, meta);
      return { ...saved, notices: [...saved.notices, ...(await appendHistory(branch, results, meta))] };
    };
  }
  return store;
}

async function callRestore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined> {
  try {
    return await restoreCache(paths, key, restoreKeys);
  } catch (error) {
    throw new StoreUnavailableError('cache', `Could not restore from the Actions cache (${(error as Error).message}).`, { cause: error });
  }
}
