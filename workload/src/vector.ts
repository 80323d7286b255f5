// Vector processing, TypeScript twin: dot product, cosine similarity and top-k nearest neighbours
// over f32 embeddings in Float32Arrays. The Rust twin (workload/native/src/vector.rs: AVX2+FMA, NEON or
// scalar) gives the same top-k ids and scores within float tolerance.
import { nativeWorkload, type WorkloadAddon } from './native.ts';
import { createRandom } from './random.ts';

export interface Neighbour {
  id: number;
  score: number;
}

/** Dot product (accumulated in float64, four independent sums). */
export function dot(a: Float32Array, b: Float32Array): number {
  const n = a.length;
  if (b.length !== n) throw new Error(`vectors differ in length: ${n} and ${b.length}`);
  return dotAt(a, 0, b, 0, n);
}

function dotAt(a: Float32Array, ao: number, b: Float32Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const main = n - (n % 4);
  let i = 0;
  for (; i < main; i += 4) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
    s2 += a[ao + i + 2] * b[bo + i + 2];
    s3 += a[ao + i + 3] * b[bo + i + 3];
  }
  let sum = s0 + s1 + (s2 + s3);
  for (; i < n; i++) sum += a[ao + i] * b[bo + i];
  return sum;
}

/** Cosine similarity; 0 when either vector is zero. */
export function cosine(a: Float32Array, b: Float32Array): number {
  const aa = dot(a, a);
  const bb = dot(b, b);
  if (aa === 0 || bb === 0) return 0;
  return dot(a, b) / (Math.sqrt(aa) * Math.sqrt(bb));
}

/** Keeps `best` sorted best first (score descending, then id ascending), at most k long. */
function pushBest(best: Neighbour[], k: number, id: number, score: number): void {
  if (best.length === k) {
    const worst = best[k - 1];
    if (score < worst.score || (score === worst.score && id > worst.id)) return;
    best.pop();
  }
  let pos = best.length;
  while (pos > 0 && (best[pos - 1].score < score || (best[pos - 1].score === score && best[pos - 1].id > id))) pos--;
  best.splice(pos, 0, { id, score });
}

/** Interface shared by both twins' indexes. */
export interface VectorSearch {
  readonly dims: number;
  readonly count: number;
  /** Cosine top-k of one query. */
  topK(query: Float32Array, k: number): Neighbour[];
  /** Cosine top-k of each query in `queries` (q × dims floats). */
  topKBatch(queries: Float32Array, k: number): Neighbour[][];
  /** Dot product of `query` with every vector. */
  dotAll(query: Float32Array): Float64Array;
  free(): void;
}

/** TypeScript index: the vectors (row-major) and their norms. */
export class VectorIndex implements VectorSearch {
  readonly dims: number;
  readonly count: number;
  readonly data: Float32Array;
  readonly norms: Float64Array;

  constructor(data: Float32Array, dims: number) {
    if (!Number.isInteger(dims) || dims <= 0 || data.length % dims !== 0) throw new Error(`${data.length} floats do not make vectors of ${dims} dimensions`);
    this.dims = dims;
    this.count = data.length / dims;
    this.data = data;
    this.norms = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) this.norms[i] = Math.sqrt(dotAt(data, i * dims, data, i * dims, dims));
  }

  topK(query: Float32Array, k: number): Neighbour[] {
    return this.topKAt(query, 0, k);
  }

  private topKAt(queries: Float32Array, offset: number, k: number): Neighbour[] {
    const { dims, data, norms } = this;
    const qn = Math.sqrt(dotAt(queries, offset, queries, offset, dims));
    const best: Neighbour[] = [];
    for (let i = 0; i < this.count; i++) {
      const d = dotAt(queries, offset, data, i * dims, dims);
      const denom = qn * norms[i];
      pushBest(best, k, i, denom === 0 ? 0 : d / denom);
    }
    return best;
  }

  topKBatch(queries: Float32Array, k: number): Neighbour[][] {
    if (queries.length % this.dims !== 0) throw new Error(`${queries.length} floats are not whole queries of ${this.dims} dimensions`);
    const out: Neighbour[][] = [];
    for (let q = 0; q < queries.length; q += this.dims) out.push(this.topKAt(queries, q, k));
    return out;
  }

  dotAll(query: Float32Array): Float64Array {
    if (query.length !== this.dims) throw new Error(`expected ${this.dims} floats, got ${query.length}`);
    const out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = dotAt(query, 0, this.data, i * this.dims, this.dims);
    return out;
  }

  free(): void {}
}

const finalizer = new FinalizationRegistry<{ native: WorkloadAddon; handle: number }>(({ native, handle }) => {
  native.vectorIndexFree(handle);
});

/** Rust index: the vectors are copied once into the addon; queries cross the boundary alone. */
export class NativeVectorIndex implements VectorSearch {
  readonly dims: number;
  readonly count: number;
  readonly simd: string;
  private handle: number;
  private readonly native: WorkloadAddon;

  private constructor(native: WorkloadAddon, data: Float32Array, dims: number) {
    this.native = native;
    this.dims = dims;
    this.count = data.length / dims;
    this.handle = native.vectorIndexCreate(data, dims);
    this.simd = native.vectorSimd();
    finalizer.register(this, { native, handle: this.handle }, this);
  }

  /** Null without the addon. */
  static create(data: Float32Array, dims: number): NativeVectorIndex | null {
    const native = nativeWorkload('vector');
    return native ? new NativeVectorIndex(native, data, dims) : null;
  }

  topK(query: Float32Array, k: number): Neighbour[] {
    return this.topKBatch(query, k)[0] ?? [];
  }

  topKBatch(queries: Float32Array, k: number): Neighbour[][] {
    const { ids, scores } = this.native.vectorTopK(this.handle, queries, k);
    const nq = queries.length / this.dims;
    const per = Math.min(k, this.count);
    const out: Neighbour[][] = [];
    for (let q = 0; q < nq; q++) {
      const list: Neighbour[] = [];
      for (let j = q * per; j < (q + 1) * per; j++) list.push({ id: ids[j], score: scores[j] });
      out.push(list);
    }
    return out;
  }

  dotAll(query: Float32Array): Float64Array {
    return this.native.vectorDotAll(this.handle, query);
  }

  free(): void {
    if (this.handle) {
      this.native.vectorIndexFree(this.handle);
      finalizer.unregister(this);
      this.handle = 0;
    }
  }
}

/** Rust dot product and cosine of one pair (each call copies both vectors across). Null without the addon. */
export function nativePair(): { dot(a: Float32Array, b: Float32Array): number; cosine(a: Float32Array, b: Float32Array): number } | null {
  const native = nativeWorkload('vector');
  return native ? { dot: (a, b) => native.vectorDot(a, b), cosine: (a, b) => native.vectorCosine(a, b) } : null;
}

/**
 * Deterministic embeddings: `count` vectors of `dims` floats around `clusters` random centres
 * (so that nearest neighbours mean something), from a seed.
 */
export function generateEmbeddings(count: number, dims: number, seed: number, clusters = 32): Float32Array {
  const rng = createRandom(seed);
  const centres = new Float32Array(clusters * dims);
  for (let i = 0; i < centres.length; i++) centres[i] = rng.gaussian();
  const out = new Float32Array(count * dims);
  for (let v = 0; v < count; v++) {
    const c = Math.floor(rng.next() * clusters) * dims;
    for (let d = 0; d < dims; d++) out[v * dims + d] = centres[c + d] + 0.8 * rng.gaussian();
  }
  return out;
}
