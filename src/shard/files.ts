// Shard folders on disk: results.json (perfgate/results@1) and shard.json (which shard, which
// suites). No artifact service here, so the CLI can use it without bundling @actions/artifact.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseResults, type Results } from '../schema/results.ts';
import { SHARD_SCHEMA, ShardError, type Shard, type ShardMeta, type ShardPart } from './shard.ts';

export const SHARD_RESULTS_FILE = 'results.json';
export const SHARD_META_FILE = 'shard.json';

export function shardMeta(s: Shard, suites: string[], allSuites: string[], results: Results): ShardMeta {
  return {
    schema: SHARD_SCHEMA,
    index: s.index,
    total: s.total,
    suites,
    allSuites,
    ...(results.commit ? { commit: results.commit } : {}),
    startedAt: results.startedAt,
  };
}

/** Writes results.json and shard.json into `dir`; returns their paths. */
export function writeShardFiles(dir: string, meta: ShardMeta, results: Results): string[] {
  mkdirSync(dir, { recursive: true });
  const files = [path.join(dir, SHARD_RESULTS_FILE), path.join(dir, SHARD_META_FILE)];
  writeFileSync(files[0], `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(files[1], `${JSON.stringify(meta, null, 2)}\n`);
  return files;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ShardError(`Cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}.`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ShardError(`${file} is not valid JSON (${(err as Error).message}).`);
  }
}

function parseMeta(value: unknown, file: string): ShardMeta {
  const v = value as Partial<ShardMeta> | null;
  const ok =
    v &&
    v.schema === SHARD_SCHEMA &&
    Number.isInteger(v.index) &&
    Number.isInteger(v.total) &&
    Array.isArray(v.suites) &&
    Array.isArray(v.allSuites) &&
    typeof v.startedAt === 'string';
  if (!ok) throw new ShardError(`${file} is not a ${SHARD_SCHEMA} file (expected schema, index, total, suites, allSuites, startedAt).`);
  return v as ShardMeta;
}

/** Reads a shard folder (results.json + shard.json). */
export function readShardDir(dir: string): ShardPart {
  const meta = parseMeta(readJson(path.join(dir, SHARD_META_FILE)), path.join(dir, SHARD_META_FILE));
  const resultsFile = path.join(dir, SHARD_RESULTS_FILE);
  let results: Results;
  try {
    results = parseResults(readJson(resultsFile), resultsFile);
  } catch (err) {
    throw new ShardError((err as Error).message);
  }
  return { meta, results, location: dir };
}

/**
 * Shard folders under `dir`: `dir` itself when it holds shard.json, else its subfolders that do
 * (as actions/download-artifact leaves them: one folder per artifact), searched 3 levels deep.
 */
export function findShardDirs(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ShardError(`Shard results folder ${dir} does not exist.`);
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (existsSync(path.join(d, SHARD_META_FILE))) {
      out.push(d);
      return;
    }
    if (depth >= 3) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) if (e.isDirectory()) walk(path.join(d, e.name), depth + 1);
  };
  walk(dir, 0);
  return out;
}

/** Reads shard folders under `dir` (e.g. downloaded by actions/download-artifact). */
export function readShards(dir: string, total?: number): { parts: ShardPart[]; total: number } {
  const parts = findShardDirs(dir).map(readShardDir);
  if (parts.length === 0) throw new ShardError(`No shard results (${SHARD_META_FILE} + ${SHARD_RESULTS_FILE}) under ${dir}.`);
  const totals = [...new Set(parts.map((p) => p.meta.total))];
  const n = total ?? (totals.length === 1 ? totals[0] : undefined);
  if (!n) throw new ShardError(`The shard results under ${dir} come from several splits (${totals.map((t) => `of ${t}`).join(', ')}); give the number of shards.`);
  return { parts, total: n };
}
