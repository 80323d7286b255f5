// Sharding on GitHub Actions' own matrix: `shard: i/n` measures a stable subset of the suites;
// `mode: merge` joins all n shards' results into one. Pure.
//
// Assignment: the suite files are sorted (discoverSuites returns them sorted, '/'-separated,
// relative to the project) and suite k (0-based) goes to shard (k mod n) + 1. Every runner of the
// matrix checks out the same commit and so sees the same sorted list, so each suite lands on
// exactly one shard, and the shards differ in size by at most one suite.
import type { Results } from '../schema/results.ts';
import { joinResults } from '../store/file.ts';

export const SHARD_SCHEMA = 'perfgate/shard@1' as const;
/** Most shards a run may be split into. */
export const MAX_SHARDS = 256;

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

export class ShardError extends Error {}

/** Parses `i/n` (1 ≤ i ≤ n ≤ 256). `where` names the input or flag in the message. */
export function parseShard(text: string, where = 'shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : Number.NaN;
  const total = m ? Number(m[2]) : Number.NaN;
  if (!m || !(total >= 1 && total <= MAX_SHARDS) || !(index >= 1 && index <= total)) {
    throw new ShardError(
      `${where} is "${text}"; expected i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, such as 2/4 (in a matrix: shard: \${{ matrix.shard }}/4).`,
    );
  }
  return { index, total };
}

/**
 * The shard count a merge expects, from `n`, `*\/n` or `i/n` (the index is ignored); undefined
 * for an empty value (the merge then finds the shards by their artifact names).
 */
export function parseShardTotal(text: string, where = 'shard'): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const m = /^(?:(?:\d+|\*|all)\s*\/\s*)?(\d+)$/i.exec(t);
  const total = m ? Number(m[1]) : Number.NaN;
  if (!(total >= 1 && total <= MAX_SHARDS)) {
    throw new ShardError(`${where} is "${text}"; in merge mode give the number of shards, such as 4 (or */4).`);
  }
  return total;
}

/** The suites of shard `s`: round-robin over the sorted list. */
export function selectShard(files: readonly string[], s: Shard): string[] {
  const sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted.filter((_, k) => k % s.total === s.index - 1);
}

export function shardArtifactName(s: Shard): string {
  return `perfgate-shard-${s.index}-of-${s.total}`;
}

const ARTIFACT_NAME = /^perfgate-shard-(\d+)-of-(\d+)$/;

export function parseShardArtifactName(name: string): Shard | undefined {
  const m = ARTIFACT_NAME.exec(name);
  if (!m) return undefined;
  const index = Number(m[1]);
  const total = Number(m[2]);
  return index >= 1 && index <= total && total <= MAX_SHARDS ? { index, total } : undefined;
}

/** What a shard writes beside its results (shard.json). */
export interface ShardMeta {
  schema: typeof SHARD_SCHEMA;
  index: number;
  total: number;
  /** The suite files this shard measured (relative, sorted). */
  suites: string[];
  /** The suite files of the whole run, as this shard saw them: every shard must agree. */
  allSuites: string[];
  commit?: string;
  startedAt: string;
}

export interface ShardPart {
  meta: ShardMeta;
  results: Results;
  /** Where it was read from, for messages. */
  location: string;
}

/** The message for shards that did not arrive. */
export function missingShardsMessage(missing: number[], total: number): string {
  const names = missing.map((i) => `${i} (artifact ${shardArtifactName({ index: i, total })})`);
  const which = missing.length === 1 ? `shard ${names[0]} is` : `shards ${names.join(', ')} are`;
  return (
    `The merge needs all ${total} shards, but ${which} missing. ` +
    `Fix: make the merge job wait for the whole matrix (needs: <the shard job>) and run only when it succeeded; ` +
    `check that the matrix runs shard: 1/${total} … ${total}/${total}; re-run the failed shard job(s), then this job.`
  );
}

/**
 * Joins the shards' results into one Results: every benchmark (sorted by id), metadata of shard 1,
 * the earliest start and the latest finish, noise floors merged. Throws a ShardError when shards
 * are missing, disagree on the count or the suite list, or measured the same benchmark twice.
 */
export function mergeShards(parts: readonly ShardPart[], total: number): { results: Results; notices: string[] } {
  const byIndex = new Map<number, ShardPart>();
  for (const p of parts) {
    if (p.meta.total !== total) {
      throw new ShardError(`${p.location} is shard ${p.meta.index} of ${p.meta.total}, but this merge expects ${total} shards. Use the same n in every shard: i/n and in the merge.`);
    }
    if (byIndex.has(p.meta.index)) throw new ShardError(`Shard ${p.meta.index} of ${total} arrived twice (${byIndex.get(p.meta.index)!.location} and ${p.location}).`);
    byIndex.set(p.meta.index, p);
  }
  const missing = Array.from({ length: total }, (_, k) => k + 1).filter((i) => !byIndex.has(i));
  if (missing.length) throw new ShardError(missingShardsMessage(missing, total));
  const ordered = Array.from({ length: total }, (_, k) => byIndex.get(k + 1)!);
  const notices: string[] = [];

  const reference = ordered[0].meta.allSuites.join('\n');
  for (const p of ordered.slice(1)) {
    if (p.meta.allSuites.join('\n') !== reference) {
      throw new ShardError(
        `Shard ${p.meta.index} saw other suite files than shard 1 (${p.meta.allSuites.length} vs ${ordered[0].meta.allSuites.length}), so the split is not consistent. All shards must check out the same commit with the same suites input.`,
      );
    }
  }
  const commits = [...new Set(ordered.map((p) => p.results.commit ?? p.meta.commit).filter(Boolean))];
  if (commits.length > 1) notices.push(`The shards measured different commits (${commits.map((c) => String(c).slice(0, 7)).join(', ')}); the merged results name shard 1's.`);
  const fingerprints = [...new Set(ordered.map((p) => p.results.machine.fingerprint))];
  if (fingerprints.length > 1) {
    notices.push(`The shards ran on ${fingerprints.length} kinds of machine (fingerprints ${fingerprints.join(', ')}); each suite's numbers come from one runner, and the merged results carry shard 1's machine.`);
  }

  const first = ordered[0].results;
  const startedAt = ordered.map((p) => p.results.startedAt).sort()[0];
  const finished = ordered.map((p) => p.results.finishedAt).filter((f): f is string => Boolean(f)).sort();
  const disturbances = ordered.map((p) => p.results.disturbance?.warning).filter(Boolean);
  const base: Results = {
    ...first,
    startedAt,
    ...(finished.length ? { finishedAt: finished[finished.length - 1] } : {}),
  };
  delete base.disturbance;
  if (disturbances.length) base.disturbance = { warning: disturbances.join(' ') };
  const results = joinResults(
    base,
    ordered,
    (p) => p.results,
    (id, a, b) => new ShardError(`Benchmark "${id}" was measured by shard ${a.meta.index} and shard ${b.meta.index}; a suite must belong to one shard.`),
  );
  results.benchmarks.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { results, notices };
}
