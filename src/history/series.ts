// A branch's history as series: one entry per saved run (oldest first), and per benchmark the
// value of each entry (the median of its per-round values), aligned with the entries. Pure.
import type { Benchmark, Direction, Results } from '../schema/results.ts';
import { summarize } from '../stats/index.ts';

export const HISTORY_SCHEMA = 'perfgate/history@1' as const;

export interface HistoryEntry {
  /** Position in the history, 0-based, oldest first. */
  index: number;
  commit?: string;
  ref?: string;
  startedAt: string;
  fingerprint: string;
}

export interface BenchmarkSeries {
  id: string;
  suite: string;
  name: string;
  /** The unit of the newest entry that has this benchmark; entries in another unit are null. */
  unit: string;
  direction: Direction;
  /** One value per entry (aligned with `History.entries`); null where the benchmark did not run or failed. */
  values: Array<number | null>;
}

export interface History {
  schema: typeof HISTORY_SCHEMA;
  /** The branch whose history this is, when known. */
  branch?: string;
  /** Where the entries came from, in words ("perfgate-data branch (origin)", "folder results/"). */
  source: string;
  entries: HistoryEntry[];
  /** Sorted by id. */
  benchmarks: BenchmarkSeries[];
}

/**
 * The value one run contributes to a series: the median of the per-round values (the raw samples
 * when a source has no rounds, else the summary's median). Undefined for failed benchmarks.
 */
export function entryValue(b: Benchmark): number | undefined {
  if (b.status !== 'ok') return undefined;
  const values = b.rounds.length ? b.rounds : b.samples;
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length) return summarize(finite).median;
  return b.stats && Number.isFinite(b.stats.median) ? b.stats.median : undefined;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Runs oldest first (by startedAt, then commit), exact duplicates (same start and commit) once. */
export function orderRuns(runs: readonly Results[]): Results[] {
  const sorted = runs
    .map((r, i) => ({ r, i }))
    .sort((x, y) => compareText(x.r.startedAt, y.r.startedAt) || compareText(x.r.commit ?? '', y.r.commit ?? '') || x.i - y.i)
    .map(({ r }) => r);
  const seen = new Set<string>();
  return sorted.filter((r) => {
    const key = `${r.startedAt}\u0000${r.commit ?? ''}\u0000${r.machine.fingerprint}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Builds the series of `runs` (any order; sorted oldest first here). */
export function buildHistory(runs: readonly Results[], opts: { branch?: string; source: string }): History {
  const ordered = orderRuns(runs);
  const entries: HistoryEntry[] = ordered.map((r, index) => ({
    index,
    ...(r.commit ? { commit: r.commit } : {}),
    ...(r.ref ? { ref: r.ref } : {}),
    startedAt: r.startedAt,
    fingerprint: r.machine.fingerprint,
  }));
  // The newest definition of each benchmark decides its unit, direction and names.
  const latest = new Map<string, Benchmark>();
  for (const r of ordered) for (const b of r.benchmarks) latest.set(b.id, b);
  const benchmarks: BenchmarkSeries[] = [...latest.values()]
    .sort((a, b) => compareText(a.id, b.id))
    .map((def) => ({
      id: def.id,
      suite: def.suite,
      name: def.name,
      unit: def.unit,
      direction: def.direction,
      values: ordered.map((r) => {
        const b = r.benchmarks.find((x) => x.id === def.id);
        if (!b || b.unit !== def.unit) return null;
        return entryValue(b) ?? null;
      }),
    }));
  return { schema: HISTORY_SCHEMA, ...(opts.branch ? { branch: opts.branch } : {}), source: opts.source, entries, benchmarks };
}

/** The points of a series that have a value, with their entry index. */
export function presentPoints(values: ReadonlyArray<number | null>): Array<{ index: number; value: number }> {
  const out: Array<{ index: number; value: number }> = [];
  values.forEach((value, index) => {
    if (value !== null && Number.isFinite(value)) out.push({ index, value });
  });
  return out;
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line sparkline of the values (missing points as spaces); higher value, taller bar. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return '';
  const lo = Math.min(...present);
  const hi = Math.max(...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return ' ';
      if (hi === lo) return BARS[3];
      return BARS[Math.min(BARS.length - 1, Math.floor(((v - lo) / (hi - lo)) * BARS.length))];
    })
    .join('');
}

/** "abc1234" from a commit, or the entry's date when there is no commit. */
export function entryLabel(e: Pick<HistoryEntry, 'commit' | 'startedAt'>): string {
  if (e.commit && /^[0-9a-f]{7,64}$/i.test(e.commit)) return e.commit.slice(0, 7).toLowerCase();
  return e.startedAt.slice(0, 10);
}

/** "abc1234 (2026-03-02)", or the date alone when the entry has no commit; for an unknown entry "an unknown run". */
export function entryText(e: HistoryEntry | undefined): string {
  if (!e) return 'an unknown run';
  const label = entryLabel(e);
  const date = entryDate(e);
  return label === date ? date : `${label} (${date})`;
}

/** "2026-03-02" from an entry. */
export function entryDate(e: Pick<HistoryEntry, 'startedAt'>): string {
  return e.startedAt.slice(0, 10);
}
