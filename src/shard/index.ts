// Sharding: a stable subset of suites per matrix job, results as artifacts, one merge.
export {
  MAX_SHARDS,
  SHARD_SCHEMA,
  ShardError,
  mergeShards,
  missingShardsMessage,
  parseShard,
  parseShardArtifactName,
  parseShardTotal,
  selectShard,
  shardArtifactName,
  type Shard,
  type ShardMeta,
  type ShardPart,
} from './shard.ts';
export { SHARD_META_FILE, SHARD_RESULTS_FILE, findShardDirs, readShardDir, readShards, shardMeta, writeShardFiles } from './files.ts';
export { downloadShards, uploadShard } from './io.ts';
export { measureShard, type ShardRun } from './run.ts';
