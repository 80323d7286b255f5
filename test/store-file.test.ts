// File store (baselines/ folder) and the deterministic JSON every store writes.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Benchmark, Results } from '../src/schema/results.ts';
import { createStore, loadFileBaseline, saveFileBaseline, stringifyResults } from '../src/store/index.ts';
import { decodeName, encodeName } from '../src/store/names.ts';

function bench(suite: string, name: string, value: number): Benchmark {
  return {
    id: `${suite}/${name}`,
    suite,
    name,
    unit: 'ns',
    direction: 'lower',
    status: 'ok',
    rounds: [value, value + 1, value - 1],
    samples: [value, value + 2],
  };
}

function results(benchmarks: Benchmark[], extra: Partial<Results> = {}): Results {
  return {
    schema: 'perfgate/results@1',
    tool: { name: 'perfgate', version: '0.1.0' },
    source: { kind: 'perfgate' },
    startedAt: '2025-01-02T03:04:05.000Z',
    clock: 'wall',
    machine: { fingerprint: 'abc', os: 'linux', arch: 'x64', cpuModel: 'cpu', cores: 2, memoryBytes: 1, node: '20', v8: '11' },
    benchmarks,
    ...extra,
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'perfgate-file-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('deterministic JSON', () => {
  it('gives the same bytes whatever the key and benchmark order', () => {
    const a = results([bench('s', 'b', 2), bench('s', 'a', 1)], { noiseFloor: { 's/b': 0.02, 's/a': 0.01 } });
    // Same content, keys inserted in another order.
    const shuffled = JSON.parse(JSON.stringify(a), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as Results;
    shuffled.benchmarks.reverse();
    const text = stringifyResults(a);
    expect(stringifyResults(shuffled)).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.startsWith('{\n  "schema": "perfgate/results@1",\n  "tool": {\n    "name": "perfgate"')).toBe(true);
    expect(text).toContain('"rounds": [1, 2, 0]');
    expect(text.indexOf('"id": "s/a"')).toBeLessThan(text.indexOf('"id": "s/b"'));
    expect(text.indexOf('"s/a": 0.01')).toBeLessThan(text.indexOf('"s/b": 0.02'));
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify({ ...a, benchmarks: [...a.benchmarks].reverse() })));
  });

  it('encodes branch and suite names into safe, distinct file names', () => {
    for (const name of ['main', 'release/1.x', 'feature/a b', '..', '.hidden', 'ümlaut', 'a%2Fb']) {
      const enc = encodeName(name);
      expect(enc).toMatch(/^[A-Za-z0-9_%-][A-Za-z0-9._%-]*$/);
      expect(decodeName(enc)).toBe(name);
    }
    expect(encodeName('main')).toBe('main');
    expect(encodeName('release/1.x')).toBe('release%2F1.x');
    expect(encodeName('a/b')).not.toBe(encodeName('a%2Fb'));
  });
});

describe('file store', () => {
  it('writes one file per suite and loads them merged', async () => {
    const r = results([bench('parse', 'json', 10), bench('cache', 'read', 5), bench('parse', 'yaml', 20), bench('a/b', 'x', 1)], {
      noiseFloor: { 'parse/json': 0.01, 'cache/read': 0.03 },
    });
    const written = saveFileBaseline(dir, r);
    expect(written.map((f) => path.basename(f)).sort()).toEqual(['a%2Fb.json', 'cache.json', 'parse.json']);
    const parse = JSON.parse(await readFile(path.join(dir, 'parse.json'), 'utf8')) as Results;
    expect(parse.benchmarks.map((b) => b.id)).toEqual(['parse/json', 'parse/yaml']);
    expect(parse.noiseFloor).toEqual({ 'parse/json': 0.01 });

    const loaded = loadFileBaseline(dir);
    expect(loaded?.benchmarks.map((b) => b.id)).toEqual(['a/b/x', 'cache/read', 'parse/json', 'parse/yaml']);
    expect(loaded?.noiseFloor).toEqual({ 'cache/read': 0.03, 'parse/json': 0.01 });

    // Saving the same results again changes no byte.
    const before = await readFile(path.join(dir, 'parse.json'), 'utf8');
    saveFileBaseline(dir, r);
    expect(await readFile(path.join(dir, 'parse.json'), 'utf8')).toBe(before);
  });

  it('keeps other suites unless prune is asked for', async () => {
    saveFileBaseline(dir, results([bench('a', 'x', 1), bench('b', 'y', 2)]));
    saveFileBaseline(dir, results([bench('a', 'x', 3)]));
    expect((await readdir(dir)).sort()).toEqual(['a.json', 'b.json']);
    const notices: string[] = [];
    saveFileBaseline(dir, results([bench('a', 'x', 3)]), { prune: true, notice: (m) => notices.push(m) });
    expect(await readdir(dir)).toEqual(['a.json']);
    expect(notices.join('\n')).toContain('b.json');
  });

  it('reports a missing baseline as not found, with the reason', async () => {
    expect(loadFileBaseline(path.join(dir, 'nope'))).toBeNull();
    const store = createStore('file', { file: { dir: 'baselines', cwd: dir } });
    expect(store.describe()).toBe('baselines/ (file)');
    const res = await store.load('main');
    expect(res).toEqual({ found: false, reason: 'no baseline yet in baselines/ (no .json files there); save one with `perfgate baseline save`' });
  });

  it('names a corrupt file and the fix, and never overwrites it on save', async () => {
    const store = createStore('file', { file: { dir: 'baselines', cwd: dir, now: () => new Date('2025-03-04T05:06:07.089Z') } });
    await store.save('main', results([bench('a', 'x', 1), bench('b', 'y', 2)]), { commit: 'abcdef1234567' });
    const corrupt = path.join(dir, 'baselines', 'a.json');
    await writeFile(corrupt, '{ "schema": "perfgate/results@1", "benchmarks": [');
    await expect(store.load('main')).rejects.toThrow(/baselines\/a\.json is not valid JSON .*\n.*git checkout -- .*baselines\/a\.json/);

    await writeFile(corrupt, JSON.stringify({ schema: 'perfgate/results@1', benchmarks: 'nope' }));
    await expect(store.load('main')).rejects.toThrow(/a\.json is not valid perfgate\/results@1:\n\s+- tool:/);

    const saved = await store.save('main', results([bench('a', 'x', 7)]), { commit: 'abcdef1234567' });
    expect(saved.notices).toHaveLength(1);
    expect(saved.notices[0]).toMatch(/a\.json was not valid perfgate\/results@1; moved it aside to .*a\.json\.corrupt-20250304T050607089Z/);
    const aside = await readFile(`${corrupt}.corrupt-20250304T050607089Z`, 'utf8');
    expect(aside).toContain('"nope"');
    const loaded = await store.load('main');
    expect(loaded.found && loaded.results.benchmarks.map((b) => [b.id, b.rounds[0]])).toEqual([
      ['a/x', 7],
      ['b/y', 2],
    ]);
    expect(loaded.found && loaded.results.commit).toBe('abcdef1234567');
  });

  it('rejects the same benchmark in two files, naming both', async () => {
    saveFileBaseline(dir, results([bench('a', 'x', 1)]));
    await writeFile(path.join(dir, 'copy.json'), await readFile(path.join(dir, 'a.json'), 'utf8'));
    expect(() => loadFileBaseline(dir)).toThrow(/"a\/x" is in both .*a\.json and .*copy\.json/);
  });
});
