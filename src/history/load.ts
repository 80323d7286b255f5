// Reading a history: from a baseline store that keeps one (the data branch, the Actions cache), or
// from a local folder of perfgate/results@1 files (one per run, e.g. saved by `perfgate run --out`).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseResults, RESULTS_SCHEMA, type Results } from '../schema/results.ts';
import type { BaselineStore } from '../store/types.ts';
import { orderRuns } from './series.ts';

export interface LoadedRuns {
  /** Oldest first. */
  runs: Results[];
  /** Where they came from, in words. */
  source: string;
  /** Things worth telling the user (files skipped, entries of other branches left out). */
  notices: string[];
}

/** A remote given as a URL or a path (not a remote name): URLs as they are, paths resolved from `cwd`. */
export function remoteLocation(remote: string, cwd: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(remote) || /^[^/\\]+@[^/\\]+:/.test(remote)) return remote;
  if (/[/\\]/.test(remote) || remote.endsWith('.git')) return path.resolve(cwd, remote);
  return undefined;
}

/** `refs/heads/main` → `main`. */
export function branchName(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
}

function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
    }
  };
  walk(dir, 0);
  return out.sort();
}

/**
 * The perfgate/results@1 files under `dir` (searched 4 levels deep), oldest first. JSON files of
 * other kinds (comparisons, configs) are skipped with a notice; a results file that does not
 * validate throws an Error naming it. With `branch`, runs whose `ref` names another branch are
 * left out (runs without a ref are kept). `limit` keeps the newest entries.
 */
export function loadRunsFromDir(dir: string, opts: { branch?: string; limit?: number } = {}): LoadedRuns {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new Error(`History folder ${dir} does not exist. Point --dir at a folder of perfgate/results@1 files (one per run).`);
  const notices: string[] = [];
  const runs: Results[] = [];
  let skipped = 0;
  let otherBranch = 0;
  for (const file of listJsonFiles(dir)) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file} is not valid JSON (${(err as Error).message}). Remove it from ${dir} or fix it.`);
    }
    if (!value || typeof value !== 'object' || (value as { schema?: unknown }).schema !== RESULTS_SCHEMA) {
      skipped++;
      continue;
    }
    const results = parseResults(value, file);
    const ref = branchName(results.ref);
    if (opts.branch && ref && ref !== opts.branch) {
      otherBranch++;
      continue;
    }
    runs.push(results);
  }
  if (skipped) notices.push(`${skipped} JSON file${skipped === 1 ? '' : 's'} in ${dir} ${skipped === 1 ? 'is' : 'are'} not perfgate/results@1 and ${skipped === 1 ? 'was' : 'were'} skipped.`);
  if (otherBranch) notices.push(`${otherBranch} run${otherBranch === 1 ? '' : 's'} of other branches left out (only ${opts.branch}).`);
  let ordered = orderRuns(runs);
  if (opts.limit !== undefined && ordered.length > opts.limit) ordered = ordered.slice(ordered.length - opts.limit);
  return { runs: ordered, source: `folder ${dir}`, notices };
}

/** The saved runs of `branch` in a store that keeps a history, oldest first (the newest `limit`). */
export async function loadRunsFromStore(store: BaselineStore, branch: string, limit?: number): Promise<LoadedRuns> {
  if (!store.history) {
    throw new Error(`The ${store.kind} store keeps no history; use the data branch (baseline: branch) or a folder of results files (--dir).`);
  }
  const newestFirst = await store.history(branch, limit);
  return { runs: orderRuns(newestFirst), source: store.describe(), notices: [] };
}
