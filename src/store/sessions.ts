// A baseline measured over several separate sessions (`perfgate baseline save --sessions N`):
// the sessions' rounds pooled, and how much the sessions differ kept with it, so that stored
// comparisons can test a change against the spread between sessions (compare/estimate.ts).
// Pure.
import { thin } from '../measure/stats.ts';
import { MAX_SAMPLES, type Benchmark, type Results } from '../schema/results.ts';
import { median, sd, summarize } from '../stats/index.ts';


/**
 * Pools N sessions of the same code into one baseline. Per benchmark that ran in every session:
 * `rounds` and `samples` concatenated in session order (samples thinned to MAX_SAMPLES, `stats`
 * over all of them), the rest from the last session; `sessions[id]` = { n, sd of ln(session
 * median) }. A benchmark that failed in any session is kept as that failure (no spread); one that
 * is missing from some session is kept from the sessions that have it, without a spread.
 * Metadata (machine, commit, noise floor) from the last session, `startedAt` from the first.
 */
export function poolSessions(sessions: readonly Results[]): Results {
  if (sessions.length === 0) throw new Error('poolSessions needs at least one session');
  const last = sessions[sessions.length - 1];
  const ids: string[] = [];
  for (const s of sessions) for (const b of s.benchmarks) if (!ids.includes(b.id)) ids.push(b.id);
  const benchmarks: Benchmark[] = [];
  const spread: NonNullable<Results['sessions']> = {};
  for (const id of ids) {
    const runs = sessions.map((s) => s.benchmarks.find((b) => b.id === id)).filter((b): b is Benchmark => b !== undefined);
    const failed = runs.find((b) => b.status === 'failed');
    if (failed) {
      benchmarks.push(failed);
      continue;
    }
    const rounds = runs.flatMap((b) => b.rounds);
    const samples = runs.flatMap((b) => b.samples);
    const pooled: Benchmark = { ...runs[runs.length - 1], rounds, samples: thin(samples, MAX_SAMPLES) };
    if (samples.length) pooled.stats = summarize(samples);
    // The speed reference stays aligned with the rounds, or goes.
    if (runs.every((b) => b.reference?.length === b.rounds.length)) pooled.reference = runs.flatMap((b) => b.reference!);
    else delete pooled.reference;
    const spells = runs.filter((b) => b.slowSpells);
    if (spells.length) pooled.slowSpells = { checks: spells.reduce((a, b) => a + b.slowSpells!.checks, 0), slow: spells.reduce((a, b) => a + b.slowSpells!.slow, 0) };
    benchmarks.push(pooled);
    const medians = runs.filter((b) => b.rounds.length && b.rounds.every((v) => v > 0)).map((b) => Math.log(median(b.rounds)));
    if (runs.length === sessions.length && medians.length === sessions.length && medians.length >= 2) spread[id] = { n: medians.length, sd: sd(medians) };
  }
  const out: Results = { ...last, startedAt: sessions[0].startedAt, benchmarks };
  if (Object.keys(spread).length) out.sessions = spread;
  else delete out.sessions;
  return out;
}
