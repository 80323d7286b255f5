// Suite files for end-to-end tests whose verdicts must not depend on how busy the machine is.
// Each task does a little real work (so the whole path runs: harness, processes, files) and
// reports its own duration through tinybench's `overriddenDuration`: `ms` per call with a seeded
// ±1% jitter. The measured values are then a property of the input, the same on a busy CI
// machine as on a quiet one; PERFGATE_INJECT multiplies reported durations like measured ones.

/** Source of a tinybench suite (ESM) with the given tasks: name → reported milliseconds per call. */
export function steadySuite(tasks: Record<string, number>): string {
  const adds = Object.entries(tasks)
    .map(
      ([name, ms]) =>
        `bench.add(${JSON.stringify(name)}, () => { let s = 0; for (let i = 0; i < 200; i++) s += i % 7; sink += s; return { overriddenDuration: ${ms} * jitter() }; });`,
    )
    .join('\n');
  return `import { Bench } from 'tinybench';
const bench = new Bench();
let sink = 0;
// mulberry32, seeded: the same ±1% sequence in every process
let seed = 12345;
function jitter() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return 0.99 + 0.02 * u;
}
${adds}
export default bench;
`;
}
