// SIMD vector processing: 2,000 embeddings of 1536 f32 dimensions (12 MB) around 32 clusters,
// generated from a seed. "cosine top-10": one query against all 2,000 vectors (one op = one
// query); "top-10, batch of 4 queries": four queries per call; "dot products": one query's dot
// product with all 2,000 vectors. Rust: AVX2+FMA / NEON / scalar, the index kept in the addon.
import { NativeVectorIndex, VectorIndex, generateEmbeddings } from '../workload/src/vector.ts';
import { keep, runIfMain, Suite } from './support.ts';

const DIMS = 1536;
const COUNT = 2000;
const all = generateEmbeddings(COUNT + 4, DIMS, 20250613);
const data = all.subarray(0, COUNT * DIMS);
const queries = all.slice(COUNT * DIMS);
const query = queries.subarray(0, DIMS);
const ts = new VectorIndex(data, DIMS);
const rs = NativeVectorIndex.create(data, DIMS);

const suite = new Suite('vector');
suite.twin(
  'cosine top-10 of 2,000 × 1536',
  () => keep(ts.topK(query, 10)),
  rs ? () => keep(rs.topK(query, 10)) : null,
);
suite.twin(
  'cosine top-10, batch of 4 queries',
  () => keep(ts.topKBatch(queries, 10)),
  rs ? () => keep(rs.topKBatch(queries, 10)) : null,
);
suite.twin(
  'dot products, 2,000 × 1536',
  () => keep(ts.dotAll(query)),
  rs ? () => keep(rs.dotAll(query)) : null,
);

/** The suite's data and indexes, for scripts that probe these tasks outside the gate (scripts/fault-probe.ts). */
export const fixture = { query, queries, ts, rs };
export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
