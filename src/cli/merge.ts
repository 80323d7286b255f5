// `perfgate merge`: joins the results of `perfgate run --shard i/n` (or of the Action's shard
// artifacts, downloaded into folders) into one results file.
import type { Command } from 'commander';
import path from 'node:path';
import { readShards } from '../shard/files.ts';
import { mergeShards, parseShardTotal, ShardError, type ShardPart } from '../shard/shard.ts';
import { log, UsageError, writeOut, type CmdOpts, type Wrap } from './common.ts';

async function mergeCommand(folders: string[], cmdOpts: CmdOpts): Promise<number> {
  const cwd = process.cwd();
  let total: number | undefined;
  try {
    total = typeof cmdOpts.shards === 'string' ? parseShardTotal(cmdOpts.shards, '--shards') : undefined;
    const parts: ShardPart[] = [];
    for (const folder of folders.length ? folders : ['.perfgate']) {
      const found = readShards(path.resolve(cwd, folder), total);
      parts.push(...found.parts);
      total ??= found.total;
    }
    const merged = mergeShards(parts, total!);
    for (const n of merged.notices) log.warning(n);
    const out = typeof cmdOpts.out === 'string' ? cmdOpts.out : path.join('.perfgate', 'results.json');
    writeOut(out, JSON.stringify(merged.results, null, 2));
    log.info(`merged ${total} shards: ${merged.results.benchmarks.length} benchmarks written to ${out}`);
    return 0;
  } catch (err) {
    if (err instanceof ShardError) throw new UsageError(err.message);
    throw err;
  }
}

export function register(program: Command, wrap: Wrap): void {
  program
    .command('merge')
    .description('join the results of sharded runs (folders written by `perfgate run --shard i/n`, or shard artifacts) into one results file; checks that no shard is missing')
    .argument('[folders...]', 'folders holding the shards (searched for shard.json + results.json; default .perfgate)')
    .option('--shards <n>', 'number of shards to expect (default: from the shards found)')
    .option('-o, --out <file>', 'merged results file (default: .perfgate/results.json)')
    .action(wrap((folders: string[], o: CmdOpts) => mergeCommand(folders, o)));
}
