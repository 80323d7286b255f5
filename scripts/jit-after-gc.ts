// Probe: what a forced collection after the warmup does to a JIT-sensitive task. Config parse in
// TypeScript (the yaml package; the config suite's own files, imported from bench/config.bench.ts)
// warms for 1.5 s, then KIND=full runs a full collection, KIND=minor a scavenge, KIND=none nothing
// (it prints how long the collection took), and the next 120 calls are timed one by one (medians
// of calls 0-9, 10-19, 20-39, 40-79, 80-119). Not part of the gate; the README
// ("Same-runner A/B on this repository") quotes it. Run pinned, nothing else running:
//   KIND=full taskset -c 1 node scripts/jit-after-gc.ts            (Node 22.6+ strips types)
//   KIND=full taskset -c 1 node --import tsx scripts/jit-after-gc.ts (Node 20)
import v8 from 'node:v8';
import vm from 'node:vm';
import { fixture } from '../bench/config.bench.ts';
import { checkConfigs } from '../workload/src/config.ts';
import type { GcFunction } from '../src/measure/sampler.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as GcFunction;
const { files } = fixture;
const kind = process.env.KIND ?? 'none';

const t0 = performance.now();
while (performance.now() - t0 < 1500) checkConfigs(files, 'ts');
const times = (n: number): number[] => {
  const r: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = performance.now();
    checkConfigs(files, 'ts');
    r.push(performance.now() - a);
  }
  return r;
};
const before = times(40);
const g0 = performance.now();
if (kind === 'full') gc();
else if (kind === 'minor') gc({ type: 'minor' });
const gcMs = performance.now() - g0;
const after = times(120);
const med = (x: number[]): number => [...x].sort((a, b) => a - b)[x.length >> 1];
const stretches = [0, 10, 20, 40, 80].map((s, i, a) => med(after.slice(s, a[i + 1] ?? 120)).toFixed(3));
console.log(`jit-after-gc ${process.version} ${kind}: collection ${gcMs.toFixed(2)} ms; before ${med(before).toFixed(3)} ms; after, calls 0-9, 10-19, 20-39, 40-79, 80-119: ${stretches.join(' ')} ms`);
