// Sharding, pure part and the `merge` command: stable assignment, merging, missing shards.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.ts';
import type { Results } from '../src/schema/results.ts';
import {
  mergeShards,
  parseShard,
  parseShardArtifactName,
  parseShardTotal,
  selectShard,
  shardArtifactName,
  shardMeta,
  writeShardFiles,
  type Shard,
  type ShardPart,
} from '../src/shard/index.ts';
import { makeProject } from './helpers/action.ts';
import { bench, results } from './helpers/results.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfgate-shard-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SUITES = ['bench/z.bench.ts', 'bench/a.bench.ts', 'bench/m/n.bench.mjs', 'bench/b.bench.js', 'bench/c.bench.ts'];
const sorted = [...SUITES].sort();

function part(s: Shard, benchIds: string[], extra: Partial<Results> = {}, allSuites = sorted): ShardPart {
  const r = { ...results(benchIds.map((id) => bench(id, [10, 11, 12, 13]))), commit: 'abc1234def', ...extra };
  return { meta: shardMeta(s, selectShard(allSuites, s), allSuites, r), results: r, location: `shard-${s.index}` };
}

describe('shard assignment', () => {
  it('parses i/n and explains a bad value', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0', '1/999', '']) expect(() => parseShard(bad, 'input "shard"')).toThrow(/input "shard" is ".*"; expected i\/n/);
    expect(parseShardTotal('4')).toBe(4);
    expect(parseShardTotal('*/4')).toBe(4);
    expect(parseShardTotal('3/4')).toBe(4);
    expect(parseShardTotal('')).toBeUndefined();
    expect(() => parseShardTotal('x')).toThrow(/number of shards/);
  });

  it('puts every suite on exactly one shard, balanced, whatever order the list came in', () => {
    for (const total of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: total }, (_, k) => selectShard(SUITES, { index: k + 1, total }));
      expect(shards.flat().sort()).toEqual(sorted);
      const sizes = shards.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      const shuffled = [...SUITES].reverse();
      expect(Array.from({ length: total }, (_, k) => selectShard(shuffled, { index: k + 1, total }))).toEqual(shards);
    }
    expect(selectShard(SUITES, { index: 1, total: 2 })).toEqual(['bench/a.bench.ts', 'bench/c.bench.ts', 'bench/z.bench.ts']);
  });

  it('names artifacts perfgate-shard-i-of-n and reads the names back', () => {
    expect(shardArtifactName({ index: 3, total: 4 })).toBe('perfgate-shard-3-of-4');
    expect(parseShardArtifactName('perfgate-shard-3-of-4')).toEqual({ index: 3, total: 4 });
    expect(parseShardArtifactName('perfgate-shard-5-of-4')).toBeUndefined();
    expect(parseShardArtifactName('perfgate-report')).toBeUndefined();
  });
});

describe('merging shards', () => {
  const parts = [part({ index: 2, total: 3 }, ['b/x']), part({ index: 1, total: 3 }, ['a/x', 'a/y'], { startedAt: '2026-01-01T00:00:05.000Z' }), part({ index: 3, total: 3 }, [])];

  it('joins all benchmarks, sorted, with the earliest start', () => {
    const { results: merged, notices } = mergeShards(parts, 3);
    expect(merged.benchmarks.map((b) => b.id)).toEqual(['a/x', 'a/y', 'b/x']);
    expect(merged.startedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(notices).toEqual([]);
  });

  it('names the missing shards and the fix', () => {
    expect(() => mergeShards([parts[0]], 3)).toThrow(
      /needs all 3 shards, but shards 1 \(artifact perfgate-shard-1-of-3\), 3 \(artifact perfgate-shard-3-of-3\) are missing\. Fix: make the merge job wait/,
    );
    expect(() => mergeShards(parts.slice(0, 2), 3)).toThrow(/shard 3 \(artifact perfgate-shard-3-of-3\) is missing/);
  });

  it('refuses shards of another split, twice the same shard, a benchmark on two shards, or different suite lists', () => {
    expect(() => mergeShards([...parts, part({ index: 1, total: 4 }, [])], 3)).toThrow(/shard 1 of 4, but this merge expects 3/);
    expect(() => mergeShards([...parts, part({ index: 1, total: 3 }, [])], 3)).toThrow(/Shard 1 of 3 arrived twice/);
    expect(() => mergeShards([parts[0], parts[1], part({ index: 3, total: 3 }, ['b/x'])], 3)).toThrow(/"b\/x" was measured by shard 2 and shard 3/);
    expect(() => mergeShards([parts[0], parts[1], part({ index: 3, total: 3 }, [], {}, [...sorted, 'bench/new.bench.ts'])], 3)).toThrow(/saw other suite files than shard 1/);
  });

  it('notes different commits and machines', () => {
    const other = part({ index: 3, total: 3 }, ['c/x'], { commit: 'fff0000aaa', machine: { ...parts[0].results.machine, fingerprint: 'machine-b' } });
    const { notices } = mergeShards([parts[0], parts[1], other], 3);
    expect(notices.join(' ')).toMatch(/different commits \(abc1234, fff0000\)/);
    expect(notices.join(' ')).toMatch(/2 kinds of machine/);
  });
});

describe('`perfgate run --shard`', () => {
  it('measures only its share of the suites into a shard folder that `merge` reads', async () => {
    const project = makeProject('cli-shards');
    writeFileSync(path.join(project, 'bench', 'second.bench.mjs'), readFileSync(path.join(project, 'bench', 'work.bench.mjs'), 'utf8'));
    const here = process.cwd();
    let stderr = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    process.chdir(project);
    try {
      for (const i of [1, 2]) expect(await main(['node', 'perfgate', 'run', '--shard', `${i}/2`, '--rounds', '2', '--task-time', '20', '--quiet']), stderr).toBe(0);
      expect(await main(['node', 'perfgate', 'run', '--shard', '3/2'])).toBe(2);
      expect(await main(['node', 'perfgate', 'merge', '.perfgate', '-o', 'merged.json'])).toBe(0);
    } finally {
      process.chdir(here);
      err.mockRestore();
    }
    expect(stderr).toMatch(/shard 1\/2: 1 of 2 suites, 2 benchmarks measured; shard folder \.perfgate\/perfgate-shard-1-of-2/);
    expect(stderr).toMatch(/--shard is "3\/2"; expected i\/n/);
    const one = JSON.parse(readFileSync(path.join(project, '.perfgate', 'perfgate-shard-1-of-2', 'shard.json'), 'utf8'));
    expect(one).toMatchObject({ index: 1, total: 2, suites: ['bench/second.bench.mjs'], allSuites: ['bench/second.bench.mjs', 'bench/work.bench.mjs'] });
    const merged = JSON.parse(readFileSync(path.join(project, 'merged.json'), 'utf8')) as Results;
    expect(merged.benchmarks.map((b) => b.suite).sort()).toEqual(['second', 'second', 'work', 'work']);
  }, 120_000);
});

describe('`perfgate merge`', () => {
  async function cli(args: string[]) {
    let stderr = '';
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    try {
      return { code: await main(['node', 'perfgate', ...args]), stderr };
    } finally {
      err.mockRestore();
    }
  }

  it('joins shard folders and fails clearly on a missing one', async () => {
    const dir = path.join(tmp, 'shards');
    for (const p of [part({ index: 1, total: 3 }, ['a/x']), part({ index: 2, total: 3 }, ['b/x'])]) {
      const d = path.join(dir, shardArtifactName(p.meta));
      mkdirSync(d, { recursive: true });
      writeShardFiles(d, p.meta, p.results);
    }
    const out = path.join(tmp, 'merged.json');
    const missing = await cli(['merge', dir, '-o', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard 3 \(artifact perfgate-shard-3-of-3\) is missing/);

    const p3 = part({ index: 3, total: 3 }, ['c/x']);
    const d3 = path.join(dir, shardArtifactName(p3.meta));
    mkdirSync(d3, { recursive: true });
    writeShardFiles(d3, p3.meta, p3.results);
    const ok = await cli(['merge', dir, '-o', out, '--shards', '3']);
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as Results).benchmarks.map((b) => b.id)).toEqual(['a/x', 'b/x', 'c/x']);
    expect(ok.stderr).toMatch(/merged 3 shards: 3 benchmarks/);
  });
});
