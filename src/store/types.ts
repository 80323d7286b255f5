// The one interface every baseline store implements, and the errors they share.
import type { Results } from '../schema/results.ts';

export type StoreKind = 'file' | 'cache' | 'branch';

/** Where the results being saved came from (the commit and ref of the run). */
export interface SaveMeta {
  commit?: string;
  ref?: string;
}

export type LoadResult =
  | { found: true; results: Results; location: string }
  | {
      found: false;
      /** A sentence for the report, e.g. "no baseline yet for branch main in cache (key prefix perfgate-v1-Linux-main-)". */
      reason: string;
    };

export interface SaveResult {
  /** Where the baseline now lives, e.g. "perfgate-data:baselines/main.json". */
  location: string;
  /** Things the caller should log, e.g. a corrupt file that was moved aside. */
  notices: string[];
}

export interface BaselineStore {
  readonly kind: StoreKind;
  /** A short human description, e.g. "baselines/ (file)". */
  describe(): string;
  /**
   * The latest baseline saved for `branch`. A missing baseline is `found: false`; a corrupt one
   * throws an Error naming where it is and the fix; an unreachable store throws
   * StoreUnavailableError.
   */
  load(branch: string): Promise<LoadResult>;
  save(branch: string, results: Results, meta: SaveMeta): Promise<SaveResult>;
  /** Saved baselines of `branch`, newest first (stores that keep a history only). */
  history?(branch: string, limit?: number): Promise<Results[]>;
}

/**
 * The store could not be reached or refused the operation for reasons outside the user's data: the
 * cache service is missing or answered 5xx, the git remote is unreachable, pushes kept racing.
 * Callers turn it into a warning and carry on ("no baseline" / "not saved"); it never fails a gate
 * by itself.
 */
export class StoreUnavailableError extends Error {
  readonly store: StoreKind;
  constructor(store: StoreKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
    this.store = store;
  }
}
