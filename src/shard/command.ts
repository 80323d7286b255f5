// `perfgate merge`: joins the results of `perfgate run --shard i/n` (or of the Action's shard
// artifacts, downloaded into folders) into one results file.
import path from 'node:path';
import type { Command } from 'commander';
import type { CliDeps } from '../history/command.ts';
import { readShards } from './files.ts';
import { mergeShards, parseShardTotal, ShardError, type ShardPart } from './shard.ts';

async function mergeCommand(folders: string[], cmdOpts: Record<string, unknown>, deps: CliDeps): Promise<number> {
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
    for (const n of merged.notices) deps.log.warning(n);
    const out = typeof cmdOpts.out === 'string' ? cmdOpts.out : path.join('.perfgate', 'results.json');
    deps.writeOut(out, JSON.stringify(merged.results, null, 2));
    deps.log.info(`merged ${total} shards: ${merged.results.benchmarks.length} benchmarks written to ${out}`);
    return 0;
  } catch (err) {
    if (err instanceof ShardError) throw deps.usageError(err.message);
    throw err;
  }
}

export function registerMergeCommand(program: Command, deps: CliDeps): void {
  program
    .command('merge')
    .description('join the results of sharded runs (folders written by `perfgate run --shard i/n`, or shard artifacts) into one results file; checks that no shard is missing')
    .argument('[folders...]', 'folders holding the shards (searched for shard.json + results.json; default .perfgate)')
    .option('--shards <n>', 'number of shards to expect (default: from the shards found)')
    .option('-o, --out <file>', 'merged results file (default: .perfgate/results.json)')
    .action(deps.wrap((folders: string[], o: Record<string, unknown>) => mergeCommand(folders, o, deps)));
}
