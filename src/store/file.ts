// File store: the committed `baselines/` folder. One perfgate/results@1 file per suite
// (`baselines/<suite>.json`, diff-friendly in pull requests); loading merges them into one Results.
// The folder holds one baseline, the committed one, so the branch argument is not used.
//
// Corrupt files: load() throws naming the file and the fix. save() never overwrites a corrupt
// file: it renames it to `<suite>.json.corrupt-<timestamp>` (no longer matched by `*.json`, so
// it stays out of later loads but is kept for inspection) and reports that as a notice.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from '../schema/results.ts';
import { compareStrings, canonicalResults, parseStoredResults, stringifyResults, withMeta } from './json.ts';
import { compactTimestamp, encodeName } from './names.ts';
import type { BaselineStore, LoadResult, SaveResult } from './types.ts';

export interface FileStoreOptions {
  /** The folder, absolute or relative to `cwd`. */
  dir: string;
  cwd?: string;
  /** Delete suite files whose suite is not in the saved results (default false: keep them). */
  prune?: boolean;
  now?: () => Date;
}

export interface SaveFileOptions {
  /** Delete suite files whose suite is not in the saved results (default false: keep them). */
  prune?: boolean;
  now?: () => Date;
  /** Receives what the caller should log: a corrupt file moved aside, a pruned file. */
  notice?: (message: string) => void;
}

const SAVE_HINT = 'save one with `perfgate baseline save`';

function fixFor(file: string): string {
  return `Fix it, restore it from git (\`git checkout -- ${file}\`), or delete it and ${SAVE_HINT} (saving moves a corrupt file aside).`;
}

/** The `*.json` files of `dir`, sorted; undefined when the folder does not exist. */
function listJson(dir: string): string[] | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.json'))
    .map((d) => d.name)
    .sort(compareStrings);
}

/**
 * Loads and merges every `*.json` in `dir` into one Results; undefined when there are none.
 * A file that is not valid perfgate/results@1 throws an Error naming it and the fix.
 */
export function loadFileBaseline(dir: string): Results | null {
  const names = listJson(dir);
  if (!names || names.length === 0) return null;
  const docs = names.map((name) => {
    const file = path.join(dir, name);
    return { name: file, results: parseStoredResults(readFileSync(file, 'utf8'), file, fixFor(file)) };
  });
  return mergeResults(docs);
}

/**
 * Merges per-suite documents: run metadata from the most recently started one, all benchmarks
 * (sorted by id) and noise floors. The same benchmark id in two files is an error naming both.
 */
export function mergeResults(docs: { name: string; results: Results }[]): Results {
  if (docs.length === 0) throw new Error('mergeResults needs at least one document.');
  let newest = docs[0];
  for (const doc of docs) if (doc.results.startedAt > newest.results.startedAt) newest = doc;
  const merged = joinResults(
    newest.results,
    docs,
    (doc) => doc.results,
    (id, first, second) => new Error(`Benchmark "${id}" is in both ${first.name} and ${second.name}; keep it in one file (its suite's) and delete it from the other.`),
  );
  return canonicalResults(merged);
}

/**
 * The join shared by the file store (per-suite files) and the shard merge (src/shard): `base`'s
 * run metadata with every benchmark of every part, in order, and their noise floors merged. The
 * same benchmark id in two parts throws the error `duplicate` makes.
 */
export function joinResults<P>(base: Results, parts: readonly P[], resultsOf: (part: P) => Results, duplicate: (id: string, first: P, second: P) => Error): Results {
  const seen = new Map<string, P>();
  const benchmarks: Results['benchmarks'] = [];
  let noiseFloor: Record<string, number> | undefined;
  let sessions: Results['sessions'];
  for (const part of parts) {
    const results = resultsOf(part);
    for (const b of results.benchmarks) {
      if (seen.has(b.id)) throw duplicate(b.id, seen.get(b.id)!, part);
      seen.set(b.id, part);
      benchmarks.push(b);
    }
    if (results.noiseFloor) noiseFloor = { ...noiseFloor, ...results.noiseFloor };
    if (results.sessions) sessions = { ...sessions, ...results.sessions };
  }
  const joined: Results = { ...base, benchmarks };
  if (noiseFloor) joined.noiseFloor = noiseFloor;
  else delete joined.noiseFloor;
  if (sessions) joined.sessions = sessions;
  else delete joined.sessions;
  return joined;
}

/** Splits results into one document per suite, keyed by file name. */
export function splitBySuite(results: Results): Map<string, Results> {
  const canonical = canonicalResults(results);
  const bySuite = new Map<string, Results['benchmarks']>();
  for (const b of canonical.benchmarks) {
    const list = bySuite.get(b.suite) ?? [];
    list.push(b);
    bySuite.set(b.suite, list);
  }
  const out = new Map<string, Results>();
  for (const [suite, benchmarks] of bySuite) {
    const doc: Results = { ...canonical, benchmarks };
    delete doc.noiseFloor;
    delete doc.sessions;
    const ids = new Set(benchmarks.map((b) => b.id));
    const own = <T>(record: Record<string, T> | undefined): Record<string, T> | undefined => {
      const kept = Object.entries(record ?? {}).filter(([id]) => ids.has(id));
      return kept.length ? Object.fromEntries(kept) : undefined;
    };
    const floor = own(canonical.noiseFloor);
    if (floor) doc.noiseFloor = floor;
    const sessions = own(canonical.sessions);
    if (sessions) doc.sessions = sessions;
    out.set(`${encodeName(suite)}.json`, doc);
  }
  return out;
}

function isValid(file: string): boolean {
  try {
    parseStoredResults(readFileSync(file, 'utf8'), file, '');
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes one file per suite of `results` into `dir` (created if needed) and returns their paths.
 * An existing corrupt file is renamed to `<name>.corrupt-<timestamp>` first, never overwritten.
 */
export function saveFileBaseline(dir: string, results: Results, options: SaveFileOptions = {}): string[] {
  const now = options.now ?? (() => new Date());
  const notice = options.notice ?? (() => {});
  const files = splitBySuite(results);
  mkdirSync(dir, { recursive: true });
  const existing = listJson(dir) ?? [];

  const moveAside = (name: string): void => {
    const file = path.join(dir, name);
    const aside = `${file}.corrupt-${compactTimestamp(now())}`;
    renameSync(file, aside);
    notice(`${file} was not valid perfgate/results@1; moved it aside to ${aside} instead of overwriting it.`);
  };

  const written: string[] = [];
  for (const [name, doc] of files) {
    const file = path.join(dir, name);
    if (existing.includes(name) && !isValid(file)) moveAside(name);
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    writeFileSync(tmp, stringifyResults(doc));
    renameSync(tmp, file);
    written.push(file);
  }
  if (options.prune) {
    for (const name of existing) {
      if (files.has(name)) continue;
      const file = path.join(dir, name);
      if (isValid(file)) {
        rmSync(file);
        notice(`Removed ${file}: its suite is not in the saved results.`);
      } else {
        moveAside(name);
      }
    }
  }
  if (files.size === 0) notice(`The results hold no benchmarks; nothing was written to ${dir}.`);
  return written;
}

export function createFileStore(options: FileStoreOptions): BaselineStore {
  const cwd = options.cwd ?? process.cwd();
  const dir = path.resolve(cwd, options.dir);
  const shown = `${path.relative(cwd, dir) || '.'}/`;
  return {
    kind: 'file',
    describe: () => `${shown} (file)`,
    async load(): Promise<LoadResult> {
      const results = loadFileBaseline(dir);
      if (!results) return { found: false, reason: `no baseline yet in ${shown} (no .json files there); ${SAVE_HINT}` };
      const count = listJson(dir)?.length ?? 0;
      return { found: true, results, location: `${shown} (${count} file${count === 1 ? '' : 's'})` };
    },
    async save(_branch, results, meta): Promise<SaveResult> {
      const notices: string[] = [];
      const written = saveFileBaseline(dir, withMeta(results, meta), { prune: options.prune, now: options.now, notice: (m) => notices.push(m) });
      return { location: `${shown} (${written.map((f) => path.relative(cwd, f)).join(', ')})`, notices };
    },
  };
}
