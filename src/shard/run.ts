// Measuring one shard: the suites of the run, the shard's share of them, and its results.
import { machineInfo } from '../machine.ts';
import { discoverSuites } from '../measure/discover.ts';
import type { Options } from '../options.ts';
import { measureSuites, resolveClock, type MeasureContext } from '../pipeline.ts';
import { RESULTS_SCHEMA, type Results } from '../schema/results.ts';
import { VERSION } from '../version.ts';
import { shardMeta } from './files.ts';
import { selectShard, type Shard, type ShardMeta } from './shard.ts';

export interface ShardRun {
  results: Results;
  meta: ShardMeta;
  /** This shard's suite files. */
  suites: string[];
  /** Every suite file of the run. */
  allSuites: string[];
}

/**
 * Discovers the suites, picks shard `s`'s share (round-robin over the sorted list) and measures
 * only those. A shard with no suites (more shards than suites) returns empty results, so the
 * merge still finds every shard.
 */
export async function measureShard(opts: Options, s: Shard, ctx: MeasureContext): Promise<ShardRun> {
  const allSuites = await discoverSuites(ctx.cwd, opts.suites);
  const suites = selectShard(allSuites, s);
  let results: Results;
  if (suites.length === 0) {
    ctx.log.info(`shard ${s.index}/${s.total}: no suites (${allSuites.length} suite file${allSuites.length === 1 ? '' : 's'} for ${s.total} shards); nothing to measure.`);
    const now = new Date().toISOString();
    results = {
      schema: RESULTS_SCHEMA,
      tool: { name: 'perfgate', version: VERSION },
      source: { kind: 'perfgate' },
      ...(ctx.commit ? { commit: ctx.commit } : {}),
      ...(ctx.ref ? { ref: ctx.ref } : {}),
      startedAt: now,
      finishedAt: now,
      clock: resolveClock(opts),
      machine: machineInfo(),
      benchmarks: [],
    };
  } else {
    ctx.log.info(`shard ${s.index}/${s.total}: ${suites.length} of ${allSuites.length} suite files: ${suites.join(', ')}`);
    results = await measureSuites({ ...opts, suites }, ctx);
  }
  return { results, meta: shardMeta(s, suites, allSuites, results), suites, allSuites };
}
