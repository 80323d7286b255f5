// Probe: how often V8 collects while a loop like the vector suite's runs, and what that does to
// 10 ms slices. Not part of the gate; README "Same-runner A/B" quotes its figures. Run it pinned
// to one CPU with the GC trace on, on each Node, e.g.
//   taskset -c 1 node --trace-gc scripts/gc-probe.ts                  (Node 22.6+ strips types)
//   taskset -c 1 node --import tsx --trace-gc scripts/gc-probe.ts     (Node 20)
// and count the trace's Mark-Compact and Scavenge lines after "warmup done" (the last line gives
// the slices' µs per call). PROBE picks the loop:
//   dot       (default) the Rust dot products: a 16 KB Float64Array returned per ~200 µs call
//   topk      the Rust cosine top-10: small results, about the same time per call
//   fresh-js  no native call: a fresh 16 KB Float32Array per ~190 µs of work, kept in a ring of 8
// Each loads the workload's vector module first (it builds the 12 MB index), as the suite does.
import { NativeVectorIndex, generateEmbeddings } from '../workload/src/vector.ts';

const probe = process.env.PROBE ?? 'dot';
if (!['dot', 'topk', 'fresh-js'].includes(probe)) throw new Error(`gc-probe: PROBE=${probe} is not one of dot, topk, fresh-js`);
const DIMS = 1536;
const COUNT = 2000;
const all = generateEmbeddings(COUNT + 4, DIMS, 20250613);
const query = all.slice(COUNT * DIMS).subarray(0, DIMS);
const rs = NativeVectorIndex.create(all.subarray(0, COUNT * DIMS), DIMS);
if (!rs) throw new Error('gc-probe: the Rust addon is not built (npm run build:native)');
const ring: Float32Array[] = new Array(8);
let turn = 0;
let sink = 0;
const call = (): void => {
  if (probe === 'dot') sink += rs.dotAll(query)[0];
  else if (probe === 'topk') sink += rs.topK(query, 10)[0].score;
  else {
    const fresh = new Float32Array(4000);
    fresh[0] = turn;
    ring[turn++ & 7] = fresh;
    const end = performance.now() + 0.19;
    while (performance.now() < end) sink++;
  }
};
const warm = performance.now();
while (performance.now() - warm < 2000) call();
console.log(`gc-probe: warmup done at ${Math.round(performance.now())} ms since start`);
const per: number[] = [];
const faults0 = process.resourceUsage().minorPageFault;
let calls = 0;
for (let s = 0; s < 60; s++) {
  let n = 0;
  const a = performance.now();
  while (performance.now() - a < 10) {
    call();
    n++;
  }
  per.push(((performance.now() - a) * 1000) / n);
  calls += n;
}
const faultsPerCall = (process.resourceUsage().minorPageFault - faults0) / calls;
per.sort((x, y) => x - y);
const q = (p: number) => per[Math.round(p * (per.length - 1))].toFixed(0);
console.log(`gc-probe ${process.version} ${probe}: µs per call over 60 slices of 10 ms: min ${q(0)}, median ${q(0.5)}, 90th ${q(0.9)}, max ${q(1)}; minor page faults per call ${faultsPerCall.toFixed(2)}${sink === 0 ? ' ' : ''}`);
