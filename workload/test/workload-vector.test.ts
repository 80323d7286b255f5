import { describe, expect, it } from 'vitest';
import { nativeUnavailableReason } from '../src/native.ts';
import { cosine, dot, generateEmbeddings, NativeVectorIndex, nativePair, VectorIndex } from '../src/vector.ts';

const noRust = nativeUnavailableReason('vector');
const f32 = (...v: number[]) => Float32Array.from(v);

describe('vector kernels (TypeScript)', () => {
  it('dot and cosine: known answers', () => {
    expect(dot(f32(1, 2, 3), f32(4, 5, 6))).toBe(32);
    expect(dot(f32(1, 2, 3, 4, 5), f32(1, 1, 1, 1, 1))).toBe(15);
    expect(cosine(f32(1, 2, 3), f32(2, 4, 6))).toBeCloseTo(1, 12);
    expect(cosine(f32(1, 0), f32(0, 1))).toBe(0);
    expect(cosine(f32(0, 0), f32(1, 1))).toBe(0);
    expect(() => dot(f32(1), f32(1, 2))).toThrow(/differ in length/);
  });

  it('top-k equals a brute-force sort, ties broken by id', () => {
    const dims = 16;
    const data = generateEmbeddings(300, dims, 5);
    const index = new VectorIndex(data, dims);
    const q = data.slice(7 * dims, 8 * dims);
    const all = Array.from({ length: 300 }, (_, i) => ({ id: i, score: cosine(q, data.subarray(i * dims, (i + 1) * dims)) })).sort((a, b) => b.score - a.score || a.id - b.id);
    const top = index.topK(q, 5);
    expect(top.map((n) => n.id)).toEqual(all.slice(0, 5).map((n) => n.id));
    expect(top[0].id).toBe(7);
    expect(top[0].score).toBeCloseTo(1, 6);
    // duplicates score alike: the lower id first
    const dup = new VectorIndex(Float32Array.from([...q, ...q, ...q]), dims);
    expect(dup.topK(q, 3).map((n) => n.id)).toEqual([0, 1, 2]);
    expect(() => new VectorIndex(new Float32Array(10), 3)).toThrow(/do not make vectors/);
  });

  it('generates the same embeddings for the same seed', () => {
    expect(generateEmbeddings(10, 8, 3)).toEqual(generateEmbeddings(10, 8, 3));
    expect(generateEmbeddings(10, 8, 3)).not.toEqual(generateEmbeddings(10, 8, 4));
  });
});

describe.skipIf(noRust)(`vector twins agree${noRust ? ` (skipped: ${noRust})` : ''}`, () => {
  const DIMS = 1536;
  const COUNT = 2000;
  const all = generateEmbeddings(COUNT + 32, DIMS, 20250613);
  const data = all.subarray(0, COUNT * DIMS);
  const queries = all.slice(COUNT * DIMS);
  const ts = new VectorIndex(data, DIMS);

  it('the SIMD kernel in use is named', () => {
    const rs = NativeVectorIndex.create(data, DIMS)!;
    expect(['avx2+fma', 'neon', 'scalar']).toContain(rs.simd);
    rs.free();
  });

  it('same top-10 ids for 32 queries over 2,000 × 1536, scores within 1e-5', () => {
    const rs = NativeVectorIndex.create(data, DIMS)!;
    try {
      const a = ts.topKBatch(queries, 10);
      const b = rs.topKBatch(queries, 10);
      expect(b.map((l) => l.map((n) => n.id))).toEqual(a.map((l) => l.map((n) => n.id)));
      for (let q = 0; q < a.length; q++) for (let j = 0; j < 10; j++) expect(Math.abs(a[q][j].score - b[q][j].score)).toBeLessThan(1e-5);
      // one query at a time (the multi-threaded row split) gives the same answer
      expect(rs.topK(queries.subarray(0, DIMS), 10).map((n) => n.id)).toEqual(a[0].map((n) => n.id));
    } finally {
      rs.free();
    }
  });

  it('dot products of a query with every vector, and single pairs, within float tolerance', () => {
    const rs = NativeVectorIndex.create(data, DIMS)!;
    const q = queries.subarray(DIMS, 2 * DIMS);
    const a = ts.dotAll(q);
    const b = rs.dotAll(q);
    expect(b.length).toBe(COUNT);
    for (let i = 0; i < COUNT; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3 * (1 + Math.abs(a[i])));
    const pair = nativePair()!;
    const v = data.subarray(0, DIMS);
    expect(pair.dot(q, v)).toBeCloseTo(dot(q, v), 2);
    expect(pair.cosine(q, v)).toBeCloseTo(cosine(q, v), 6);
    expect(() => pair.dot(q, f32(1, 2))).toThrow(/differ in length/);
    rs.free();
  });

  it('a freed index cannot be queried; bad shapes are refused', () => {
    const rs = NativeVectorIndex.create(data.subarray(0, 10 * DIMS), DIMS)!;
    expect(() => rs.dotAll(new Float32Array(3))).toThrow(/expected 1536 floats/);
    rs.free();
    expect(() => rs.topK(queries.subarray(0, DIMS), 3)).toThrow(/no vector index/);
    expect(() => NativeVectorIndex.create(new Float32Array(10), 3)).toThrow(/do not make vectors/);
  });
});
