// `perfgate run`: run the suites and write perfgate/results@1 JSON; with --shard i/n, only shard
// i's suites, into a shard folder for `perfgate merge`.
import type { Command } from 'commander';
import path from 'node:path';
import { gitInfo } from '../git.ts';
import type { Options } from '../options.ts';
import { writeShardFiles } from '../shard/files.ts';
import { measureShard } from '../shard/run.ts';
import { parseShard, shardArtifactName, ShardError } from '../shard/shard.ts';
import { addGateOptions, LAST_RESULTS, log, measureHere, progressReporter, resolveOptions, stderr, UsageError, writeOut, type CmdOpts, type Wrap } from './common.ts';

async function runCommand(cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  const opts = await resolveOptions(cmdOpts, cwd);
  if (typeof cmdOpts.shard === 'string') return runShardCommand(opts, cmdOpts.shard, cmdOpts);
  const results = await measureHere(opts, cwd, Boolean(cmdOpts.quiet));
  const out = (cmdOpts.out as string | undefined) ?? LAST_RESULTS;
  writeOut(out, JSON.stringify(results, null, 2));
  const failed = results.benchmarks.filter((b) => b.status === 'failed');
  stderr(`perfgate: ${results.benchmarks.length} benchmarks measured${failed.length ? `, ${failed.length} failed` : ''}; results in ${out}`);
  for (const b of failed) stderr(`perfgate:   failed: ${b.id}: ${b.error ?? 'unknown error'}`);
  return 0;
}

/** `run --shard i/n`: measures the shard's suites into a shard folder (results.json + shard.json). */
async function runShardCommand(opts: Options, shardText: string, cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  let shard: ReturnType<typeof parseShard>;
  try {
    shard = parseShard(shardText, '--shard');
  } catch (err) {
    throw new UsageError((err as ShardError).message);
  }
  const progress = progressReporter(Boolean(cmdOpts.quiet), opts.timeBudget);
  const { commit, ref } = gitInfo(cwd);
  let run: Awaited<ReturnType<typeof measureShard>>;
  try {
    run = await measureShard(opts, shard, { cwd, commit, ref, log, onProgress: progress.onProgress });
  } finally {
    progress.done();
  }
  const dir = path.resolve(cwd, typeof cmdOpts.outDir === 'string' ? cmdOpts.outDir : path.join('.perfgate', shardArtifactName(shard)));
  writeShardFiles(dir, run.meta, run.results);
  if (typeof cmdOpts.out === 'string') writeOut(cmdOpts.out, JSON.stringify(run.results, null, 2));
  stderr(`perfgate: shard ${shard.index}/${shard.total}: ${run.suites.length} of ${run.allSuites.length} suites, ${run.results.benchmarks.length} benchmarks measured; shard folder ${path.relative(cwd, dir) || '.'} (join the shards with \`perfgate merge\`)`);
  return 0;
}

export function register(program: Command, wrap: Wrap): void {
  addGateOptions(program.command('run').description('run the suites and write perfgate/results@1 JSON'), { measures: true })
    .option('-o, --out <file>', `results file (default: ${LAST_RESULTS})`)
    .option('--shard <i/n>', 'measure only shard i of n (the sorted suite files, round-robin) into a shard folder for `perfgate merge`')
    .option('--out-dir <dir>', 'with --shard: the shard folder (default: .perfgate/perfgate-shard-<i>-of-<n>)')
    .action(wrap((o: CmdOpts) => runCommand(o)));
}
