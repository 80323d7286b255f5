// Probe: how often V8 collects while this repository's Rust dot products run (16 KB Float64Array
// returned per ~200 µs call), and what that does to 10 ms slices. Run it pinned to one CPU with the
// GC trace on, on each Node, e.g.
//   taskset -c 1 node --trace-gc scripts/gc-probe.ts                  (Node 22.6+ strips types)
//   taskset -c 1 node --import tsx --trace-gc scripts/gc-probe.ts     (Node 20)
// and count the trace's Mark-Compact lines after the 2 s warmup (the line printed at the end gives
// the slices' µs per call). Not part of the gate; README "Same-runner A/B" quotes its figures.
import { NativeVectorIndex, generateEmbeddings } from '../workload/src/vector.ts';

const DIMS = 1536;
const COUNT = 2000;
const all = generateEmbeddings(COUNT + 4, DIMS, 20250613);
const query = all.slice(COUNT * DIMS).subarray(0, DIMS);
const rs = NativeVectorIndex.create(all.subarray(0, COUNT * DIMS), DIMS);
if (!rs) throw new Error('gc-probe: the Rust addon is not built (npm run build:native)');
let sink = 0;
const warm = performance.now();
while (performance.now() - warm < 2000) sink += rs.dotAll(query)[0];
console.log(`gc-probe: warmup done at ${Math.round(performance.now())} ms since start`);
const per: number[] = [];
for (let s = 0; s < 60; s++) {
  let n = 0;
  const a = performance.now();
  while (performance.now() - a < 10) {
    sink += rs.dotAll(query)[0];
    n++;
  }
  per.push(((performance.now() - a) * 1000) / n);
}
per.sort((x, y) => x - y);
const q = (p: number) => per[Math.round(p * (per.length - 1))].toFixed(0);
console.log(`gc-probe ${process.version}: µs per call over 60 slices of 10 ms: min ${q(0)}, median ${q(0.5)}, 90th ${q(0.9)}, max ${q(1)}${sink === 0 ? ' ' : ''}`);
