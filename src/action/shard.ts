// The Action's side of sharding and of ready-made results: a shard job (measure a subset, upload
// it); a merge job's head (download every shard, check none is missing, join them); and results
// read from files (`results-file`, `format`) instead of measured.
import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readAndIngest } from '../ingest/io.ts';
import { machineInfo } from '../machine.ts';
import { OptionsError, type Options } from '../options.ts';
import type { Log } from '../pipeline.ts';
import { parseResults, type Results } from '../schema/results.ts';
import { VERSION } from '../version.ts';
import { readShards, writeShardFiles } from '../shard/files.ts';
import { downloadShards, uploadShard } from '../shard/io.ts';
import { measureShard } from '../shard/run.ts';
import { mergeShards, shardArtifactName, ShardError, type Shard } from '../shard/shard.ts';
import type { JobInputs } from './inputs.ts';
import { coreLog } from './toolkit.ts';

type Env = Record<string, string | undefined>;

/** Reads the head from `results-file` (perfgate/results@1, or another harness's output with `format`). */
export async function readInputResults(j: JobInputs, cwd: string, meta: { commit?: string; ref?: string }, log: Log): Promise<Results> {
  const files = j.resultsFiles.map((f) => path.resolve(cwd, f));
  if (j.format === 'perfgate' || j.format === 'perfgate/results@1') {
    if (files.length !== 1) throw new OptionsError(`input "results-file" names ${files.length} files; a perfgate/results@1 head is one file (other harnesses' outputs take format: and several files).`);
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(files[0], 'utf8'));
    } catch (err) {
      throw new OptionsError(`input "results-file": cannot read ${files[0]} as JSON (${(err as Error).message}).`);
    }
    const results = parseResults(value, files[0]);
    return { ...results, ...(meta.commit && !results.commit ? { commit: meta.commit } : {}), ...(meta.ref && !results.ref ? { ref: meta.ref } : {}) };
  }
  const { results, notices } = await readAndIngest(j.format, files, { machine: machineInfo(), commit: meta.commit, ref: meta.ref, startedAt: new Date().toISOString(), toolVersion: VERSION });
  for (const n of notices) log.info(`perfgate: ${n}`);
  log.info(`perfgate: ${results.benchmarks.length} benchmarks read from ${files.length} ${j.format} file(s)`);
  return results;
}

export interface ShardJobInput {
  opts: Options;
  shard: Shard;
  cwd: string;
  env: Env;
  commit?: string;
  ref?: string;
  reportDir: string;
  onProgress?: (e: { suite: string; round: number; rounds: number; elapsedMs: number; index?: number; suites?: number }) => void;
}

/** Measures this shard's suites and uploads them as `perfgate-shard-i-of-n`. Returns the results file. */
export async function runShardJob(i: ShardJobInput): Promise<{ resultsFile: string; results: Results }> {
  const run = await measureShard(i.opts, i.shard, { cwd: i.cwd, commit: i.commit, ref: i.ref, log: coreLog, onProgress: i.onProgress });
  const dir = path.join(i.reportDir, shardArtifactName(i.shard));
  const files = writeShardFiles(dir, run.meta, run.results);
  await uploadShard({ shard: i.shard, dir, files, env: i.env, log: coreLog });
  const failed = run.results.benchmarks.filter((b) => b.status === 'failed').length;
  core.info(
    `perfgate: shard ${i.shard.index}/${i.shard.total} measured ${run.suites.length} of ${run.allSuites.length} suites (${run.results.benchmarks.length} benchmarks${failed ? `, ${failed} failed` : ''}) and uploaded them as ${shardArtifactName(i.shard)}; the merge job (mode: merge) compares and reports.`,
  );
  return { resultsFile: files[0], results: run.results };
}

/** The merged head of a merge job: every shard downloaded (or read from `results-dir`) and joined. */
export async function mergedHead(j: JobInputs, cwd: string, env: Env, reportDir: string): Promise<Results> {
  try {
    const found = j.resultsDir
      ? readShards(path.resolve(cwd, j.resultsDir), j.shardTotal)
      : await downloadShards({ total: j.shardTotal, destination: path.join(reportDir, 'shards'), env, log: coreLog });
    const merged = mergeShards(found.parts, found.total);
    for (const n of merged.notices) core.warning(`perfgate: ${n}`);
    core.info(`perfgate: merged ${found.total} shards: ${merged.results.benchmarks.length} benchmarks`);
    return merged.results;
  } catch (err) {
    if (err instanceof ShardError) throw new OptionsError(err.message);
    throw err;
  }
}
