// Probe: the minor page faults and µs per call of the Rust dot products right after the vector
// suite's other tasks have run in the same process (as in an A/B worker), in three windows of
// 700 ms. Not part of the gate; README "Same-runner A/B" quotes its figures. Run it pinned to one
// CPU on each Node, nothing else running:
//   taskset -c 1 node scripts/fault-probe.ts                  (Node 22.6+ strips types)
//   taskset -c 1 node --import tsx scripts/fault-probe.ts     (Node 20)
// With FIRST=rust the other tasks are skipped (the dot products first, in a fresh process).
// Under `strace -f -e trace=brk,munmap,madvise` it shows where the fresh pages come from.
import { fixture } from '../bench/vector.bench.ts';

// The suite's own data and indexes (the same module a worker loads).
const { query, queries, ts, rs } = fixture;
if (!rs) throw new Error('fault-probe: the Rust addon is not built (npm run build:native)');
let sink: unknown;
const run = (label: string, f: () => unknown, ms: number): void => {
  const f0 = process.resourceUsage().minorPageFault;
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    sink = f();
    n++;
  }
  const dt = performance.now() - t0;
  console.log(`fault-probe ${process.version} ${label}: ${((dt * 1000) / n).toFixed(0)} µs per call, minor page faults per call ${((process.resourceUsage().minorPageFault - f0) / n).toFixed(2)}${sink === undefined ? ' ' : ''}`);
};
if (process.env.FIRST !== 'rust') {
  run('cosine top-10 (TypeScript)', () => ts.topK(query, 10), 1000);
  run('batch of 4 (TypeScript)', () => ts.topKBatch(queries, 10), 1000);
  run('dot products (TypeScript)', () => ts.dotAll(query), 1000);
  run('cosine top-10 (Rust)', () => rs.topK(query, 10), 500);
  run('batch of 4 (Rust)', () => rs.topKBatch(queries, 10), 500);
}
for (let i = 1; i <= 3; i++) run(`dot products (Rust), window ${i} of 700 ms`, () => rs.dotAll(query), 700);
