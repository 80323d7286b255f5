// Baseline stores behind one interface: `file` (the committed baselines/ folder), `cache` (the
// GitHub Actions cache) and `branch` (a git data branch with a bounded history).
import { createBranchStore, type BranchStoreOptions } from './branch.ts';
import { createCacheStore, type CacheStoreOptions } from './cache.ts';
import { createFileStore, type FileStoreOptions } from './file.ts';
import type { BaselineStore, StoreKind } from './types.ts';

export { StoreUnavailableError } from './types.ts';
export type { BaselineStore, LoadResult, SaveMeta, SaveResult, StoreKind } from './types.ts';
export { createFileStore, loadFileBaseline, saveFileBaseline, mergeResults, splitBySuite } from './file.ts';
export type { FileStoreOptions, SaveFileOptions } from './file.ts';
export { createCacheStore, cacheKey, cacheKeyPrefix } from './cache.ts';
export type { CacheStoreOptions } from './cache.ts';
export { createBranchStore, DEFAULT_DATA_BRANCH, DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BYTES } from './branch.ts';
export type { BranchStoreOptions } from './branch.ts';
export { stringifyResults, parseStoredResults } from './json.ts';

export interface StoreOptions {
  file?: FileStoreOptions;
  cache?: CacheStoreOptions;
  branch?: BranchStoreOptions;
}

/**
 * The store for `kind`. `opts` holds each kind's options; `file` needs `dir`
 * (default `baselines`, relative to `cwd`).
 */
export function createStore(kind: StoreKind, opts: StoreOptions = {}): BaselineStore {
  switch (kind) {
    case 'file':
      return createFileStore(opts.file ?? { dir: 'baselines' });
    case 'cache':
      return createCacheStore(opts.cache);
    case 'branch':
      return createBranchStore(opts.branch);
    default: {
      const never: never = kind;
      throw new Error(`Unknown baseline store "${String(never)}"; expected file, cache or branch.`);
    }
  }
}
export { poolSessions } from './sessions.ts';
