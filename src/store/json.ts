// Deterministic serialisation of stored baselines, and parsing with messages that name the place.
// The same results always give the same bytes: keys in schema order, benchmarks sorted by id,
// record keys sorted, 2-space indent, arrays of plain values on one line, a trailing newline.
// That keeps committed baselines diff-friendly and makes "did anything change" a byte compare.
import { parseResults, type Results } from '../schema/results.ts';

/** Validates and normalises: schema key order (zod rebuilds objects in shape order), sorted ids. */
export function canonicalResults(results: Results): Results {
  const parsed = parseResults(results, 'the results to save');
  const benchmarks = [...parsed.benchmarks].sort((a, b) => compareStrings(a.id, b.id));
  const out: Results = { ...parsed, benchmarks };
  if (parsed.noiseFloor) out.noiseFloor = sortRecord(parsed.noiseFloor);
  if (parsed.sessions) out.sessions = sortRecord(parsed.sessions);
  return out;
}

export function stringifyResults(results: Results): string {
  return `${format(canonicalResults(results), '')}\n`;
}

/**
 * Parses stored text as perfgate/results@1. Throws an Error naming `label` (a path, a cache key,
 * `perfgate-data:baselines/main.json`), the problem, and `fix`.
 */
export function parseStoredResults(text: string, label: string, fix: string): Results {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${label} is not valid JSON (${reason}).\n${fix}`);
  }
  try {
    return parseResults(value, label);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${fix}`);
  }
}

/** Code-unit order: the same on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort(compareStrings)) out[key] = record[key];
  return out;
}

function isPlain(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

function format(value: unknown, indent: string): string {
  if (isPlain(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every(isPlain)) return `[${value.map((v) => JSON.stringify(v) ?? 'null').join(', ')}]`;
    return `[\n${value.map((v) => inner + format(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** The results as stored: the run's commit and ref filled in from `meta` when given. */
export function withMeta(results: Results, meta: { commit?: string; ref?: string }): Results {
  const out = { ...results };
  if (meta.commit) out.commit = meta.commit;
  if (meta.ref) out.ref = meta.ref;
  return out;
}
