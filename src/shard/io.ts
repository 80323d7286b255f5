// Shard artifacts: a shard uploads its folder (results.json + shard.json) as the artifact
// `perfgate-shard-i-of-n`; the merge downloads every shard's artifact and reads them.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { downloadArtifact, localArtifactRoot, artifactServiceAvailable, uploadArtifact, type ArtifactResult } from '../github/artifact.ts';
import type { Log } from '../github/retry.ts';
import { readShardDir } from './files.ts';
import { missingShardsMessage, parseShardArtifactName, shardArtifactName, ShardError, type Shard, type ShardPart } from './shard.ts';

type Env = Record<string, string | undefined>;

export interface UploadShardOptions {
  shard: Shard;
  dir: string;
  files: string[];
  env: Env;
  log: Log;
}

export async function uploadShard(o: UploadShardOptions): Promise<ArtifactResult> {
  return uploadArtifact({ name: shardArtifactName(o.shard), rootDir: o.dir, files: o.files, env: o.env, log: o.log, retentionDays: 7 });
}

/** Shard counts seen among the artifacts of this run (local fallback: the artifact folder). */
async function discoverTotal(env: Env): Promise<number | undefined> {
  let names: string[] = [];
  if (artifactServiceAvailable(env)) {
    const { DefaultArtifactClient } = await import('@actions/artifact');
    const { artifacts } = await new DefaultArtifactClient().listArtifacts({ latest: true });
    names = artifacts.map((a) => a.name);
  } else {
    const root = localArtifactRoot(env);
    names = existsSync(root) ? readdirSync(root) : [];
  }
  const totals = [...new Set(names.map(parseShardArtifactName).filter((s): s is Shard => Boolean(s)).map((s) => s.total))];
  if (totals.length > 1) {
    throw new ShardError(`Shard artifacts of several splits are here (${totals.map((t) => `of ${t}`).join(', ')}); give the merge the number of shards (shard: N).`);
  }
  return totals[0];
}

export interface DownloadShardsOptions {
  /** Expected number of shards; undefined: found from the artifact names. */
  total?: number;
  destination: string;
  env: Env;
  log: Log;
}

/** Downloads every shard's artifact and reads them; a missing shard throws a ShardError naming it and the fix. */
export async function downloadShards(o: DownloadShardsOptions): Promise<{ parts: ShardPart[]; total: number }> {
  const total = o.total ?? (await discoverTotal(o.env));
  if (!total) {
    throw new ShardError(
      'No shard results found: there is no perfgate-shard-<i>-of-<n> artifact in this workflow run. Run the shard jobs first (a matrix with shard: ${{ matrix.shard }}/N), make the merge job depend on them (needs:), and give the merge the number of shards (shard: N).',
    );
  }
  const parts: ShardPart[] = [];
  const missing: number[] = [];
  for (let index = 1; index <= total; index++) {
    const name = shardArtifactName({ index, total });
    const dest = path.join(o.destination, name);
    try {
      await downloadArtifact({ name, destination: dest, env: o.env, log: o.log });
    } catch (err) {
      o.log.info(`perfgate: ${name}: ${(err as Error).message}`);
      missing.push(index);
      continue;
    }
    parts.push(readShardDir(dest));
  }
  if (missing.length) throw new ShardError(missingShardsMessage(missing, total));
  return { parts, total };
}
