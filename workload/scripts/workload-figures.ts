// Throughput of the reference workload's components, TypeScript and Rust twins side by side, with
// the machine's memory-copy speed as the physical reference. Prints a Markdown table (and JSON
// with --json FILE). Each figure is the best of several timed repetitions (best = least disturbed).
//
//   npm run build:native && npx tsx workload/scripts/workload-figures.ts [--quick] [--json figures.json]
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad } from 'perfgate/load';
import { CircuitBreaker } from '../src/breaker.ts';
import { MultiLevelCache } from '../src/cache.ts';
import { checkConfigs, listConfigFiles, parseConfigNative, parseConfigTs } from '../src/config.ts';
import { ensureCorpus } from '../src/corpus.ts';
import { nativeWorkload } from '../src/native.ts';
import { retry, RetryBudget } from '../src/retry.ts';
import { listInfraFiles, packFiles, scanDirectory, scanDirectoryNative, scanTexts, scanTextsNative } from '../src/scan.ts';
import { productPicker, startReferenceService } from '../src/service.ts';
import { generateEmbeddings, NativeVectorIndex, nativePair, VectorIndex, dot } from '../src/vector.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
const REPS = values.quick ? 3 : 7;
const MIN_MS = values.quick ? 100 : 300;

interface Row {
  component: string;
  op: string;
  impl: string;
  opsPerSec: number;
  mbPerSec?: number;
  p95Ms?: number;
  note?: string;
}
const rows: Row[] = [];

/** Best ops/s of `fn` (one call = `opsPerCall` ops) over REPS repetitions of at least MIN_MS each. */
async function rate(fn: () => unknown, opsPerCall = 1): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm up
  let best = 0;
  for (let r = 0; r < REPS; r++) {
    let calls = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < MIN_MS) {
      const v = fn();
      if (v instanceof Promise) await v;
      calls++;
      if ((calls & 15) === 0 || calls < 16) t = performance.now();
    }
    t = performance.now();
    best = Math.max(best, (calls * opsPerCall * 1000) / (t - t0));
  }
  return best;
}

/** p95 latency (ms) of single async operations. */
async function p95(fn: () => Promise<unknown>, n = 20_000): Promise<number> {
  const lat = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    lat[i] = performance.now() - t;
  }
  lat.sort();
  return lat[Math.floor(n * 0.95)];
}

function add(row: Row): void {
  rows.push(row);
  process.stderr.write(`  ${row.component} · ${row.op} · ${row.impl}: ${Math.round(row.opsPerSec).toLocaleString('en-US')} ops/s\n`);
}

const native = { scan: nativeWorkload('scan'), config: nativeWorkload('config'), vector: nativeWorkload('vector') };

// ---- memory copy (the physical reference) ----
{
  const big = Buffer.alloc(256 * 1024 * 1024, 1);
  const dst = Buffer.alloc(big.length);
  let copyBest = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    big.copy(dst);
    copyBest = Math.max(copyBest, big.length / 1e6 / ((performance.now() - t) / 1000));
  }
  add({ component: 'memory', op: 'Buffer.copy of 256 MB', impl: 'V8/libc', opsPerSec: copyBest / 256, mbPerSec: copyBest });
}

// The load test runs first, in a process not yet filled by the other measurements.
{
  const service = await startReferenceService({ faults: { failureRate: 0.1, slowRate: 0.02, slowMs: 15, seed: 3 } });
  const pick = productPicker(11);
  const r = await runLoad({ users: 50, durationMs: values.quick ? 1000 : 3000, target: { url: `${service.url}/products/p0`, path: () => `/products/${pick()}` } });
  await service.close();
  add({
    component: 'load',
    op: `50 users, 10% transient faults + 2% slow, ${(r.durationMs / 1000).toFixed(1)} s`,
    impl: 'TypeScript (HTTP, retry + breaker + cache)',
    opsPerSec: r.throughput,
    p95Ms: r.latencyMs.p95,
    note: `success ${(r.successRate * 100).toFixed(2)}% of ${r.requests} requests; p50 ${r.latencyMs.p50.toFixed(2)} ms, p99 ${r.latencyMs.p99.toFixed(2)} ms`,
  });
}

// ---- scan ----
const corpus = ensureCorpus();
const infraFiles = listInfraFiles(corpus.infra).files.map((file) => ({ file, bytes: readFileSync(path.join(corpus.infra, file)) }));
const infraBytes = infraFiles.reduce((n, f) => n + f.bytes.length, 0);
const nFiles = infraFiles.length;
const mb = (opsPerSec: number, bytesPerOp: number): number => (opsPerSec * bytesPerOp) / 1e6;
{
  const r = await rate(() => scanDirectory(corpus.infra), nFiles);
  add({ component: 'scan', op: `walk + read + scan (${nFiles} files, ${(infraBytes / 1024).toFixed(0)} KiB)`, impl: 'TypeScript', opsPerSec: r, mbPerSec: mb(r, infraBytes / nFiles) });
  if (native.scan) {
    const r2 = await rate(() => scanDirectoryNative(corpus.infra), nFiles);
    add({ component: 'scan', op: `walk + read + scan (${nFiles} files, ${(infraBytes / 1024).toFixed(0)} KiB)`, impl: `Rust (${cpus().length} threads)`, opsPerSec: r2, mbPerSec: mb(r2, infraBytes / nFiles) });
    const r3 = await rate(() => scanDirectoryNative(corpus.infra, 1), nFiles);
    add({ component: 'scan', op: `walk + read + scan (${nFiles} files, ${(infraBytes / 1024).toFixed(0)} KiB)`, impl: 'Rust (1 thread)', opsPerSec: r3, mbPerSec: mb(r3, infraBytes / nFiles) });
  }
  const m = await rate(() => scanTexts(infraFiles), nFiles);
  add({ component: 'scan', op: 'rules on files in memory', impl: 'TypeScript', opsPerSec: m, mbPerSec: mb(m, infraBytes / nFiles) });
  if (native.scan) {
    const packed = packFiles(infraFiles);
    const m2 = await rate(() => scanTextsNative(packed), nFiles);
    add({ component: 'scan', op: 'rules on files in memory', impl: `Rust (${cpus().length} threads)`, opsPerSec: m2, mbPerSec: mb(m2, infraBytes / nFiles) });
    const m3 = await rate(() => scanTextsNative(packed, 1), nFiles);
    add({ component: 'scan', op: 'rules on files in memory', impl: 'Rust (1 thread)', opsPerSec: m3, mbPerSec: mb(m3, infraBytes / nFiles) });
  }
}

// ---- config ----
{
  const files = listConfigFiles(corpus.config).map((file) => ({ file, bytes: readFileSync(path.join(corpus.config, file)) }));
  const bytes = files.reduce((n, f) => n + f.bytes.length, 0);
  const docs = checkConfigs(files, 'ts').documents;
  const label = `parse + validate (${docs} documents, ${(bytes / 1024).toFixed(0)} KiB)`;
  const r = await rate(() => checkConfigs(files, 'ts'), docs);
  add({ component: 'config', op: label, impl: 'TypeScript (yaml + zod)', opsPerSec: r, mbPerSec: mb(r, bytes / docs) });
  if (native.config) {
    const r2 = await rate(() => checkConfigs(files, 'rust'), docs);
    add({ component: 'config', op: label, impl: 'Rust parser + zod', opsPerSec: r2, mbPerSec: mb(r2, bytes / docs) });
  }
  const p = await rate(() => files.forEach((f) => parseConfigTs(f.bytes, f.file)), docs);
  add({ component: 'config', op: 'parse only', impl: 'TypeScript (yaml, JSON.parse)', opsPerSec: p, mbPerSec: mb(p, bytes / docs) });
  if (native.config) {
    const j = await rate(() => files.forEach((f) => parseConfigNative(f.bytes, f.file, 'json')), docs);
    add({ component: 'config', op: 'parse only', impl: 'Rust → JSON text → JSON.parse', opsPerSec: j, mbPerSec: mb(j, bytes / docs) });
    const v = await rate(() => files.forEach((f) => parseConfigNative(f.bytes, f.file, 'values')), docs);
    add({ component: 'config', op: 'parse only', impl: 'Rust → Node-API objects', opsPerSec: v, mbPerSec: mb(v, bytes / docs) });
  }
}

// ---- vector ----
{
  const DIMS = 1536;
  const COUNT = 2000;
  const all = generateEmbeddings(COUNT + 8, DIMS, 20250613);
  const data = all.subarray(0, COUNT * DIMS);
  const queries = all.slice(COUNT * DIMS);
  const q = queries.subarray(0, DIMS);
  const ts = new VectorIndex(data, DIMS);
  const rs = native.vector ? NativeVectorIndex.create(data, DIMS) : null;
  const simd = rs ? rs.simd : 'n/a';
  add({ component: 'vector', op: 'cosine top-10 over 2,000 × 1536 (op = query)', impl: 'TypeScript', opsPerSec: await rate(() => ts.topK(q, 10)) });
  if (rs) add({ component: 'vector', op: 'cosine top-10 over 2,000 × 1536 (op = query)', impl: `Rust (${simd})`, opsPerSec: await rate(() => rs.topK(q, 10)) });
  add({ component: 'vector', op: 'top-10, batches of 8 queries (op = query)', impl: 'TypeScript', opsPerSec: await rate(() => ts.topKBatch(queries, 10), 8) });
  if (rs) add({ component: 'vector', op: 'top-10, batches of 8 queries (op = query)', impl: `Rust (${simd})`, opsPerSec: await rate(() => rs.topKBatch(queries, 10), 8) });
  add({ component: 'vector', op: '1536-d dot products, one query × 2,000 (op = dot product)', impl: 'TypeScript', opsPerSec: await rate(() => ts.dotAll(q), COUNT) });
  if (rs) add({ component: 'vector', op: '1536-d dot products, one query × 2,000 (op = dot product)', impl: `Rust (${simd})`, opsPerSec: await rate(() => rs.dotAll(q), COUNT) });
  const v = data.subarray(DIMS, 2 * DIMS);
  add({ component: 'vector', op: 'one 1536-d dot product per call', impl: 'TypeScript', opsPerSec: await rate(() => dot(q, v)) });
  const pair = nativePair();
  if (pair) add({ component: 'vector', op: 'one 1536-d dot product per call', impl: `Rust (${simd})`, opsPerSec: await rate(() => pair.dot(q, v)), note: 'per-call cost of crossing into the addon and copying both vectors dominates' });
  rs?.free();
}

// ---- cache ----
{
  const KEYS = 1024;
  const keys = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
  const record = (i: number) => ({ id: i, name: `user ${i}`, email: `user${i}@example.com`, roles: ['reader', 'writer'], updatedAt: 1718236800000 + i });
  const hot = new MultiLevelCache({ l1: { maxEntries: 4096 }, l1TtlMs: 3_600_000 });
  const cold = new MultiLevelCache({ l1: { maxEntries: 1 }, l1TtlMs: 3_600_000 });
  for (let i = 0; i < KEYS; i++) {
    await hot.set(keys[i], record(i));
    await cold.set(keys[i], record(i));
  }
  let i = 0;
  add({ component: 'cache', op: 'read, L1 hit', impl: 'TypeScript', opsPerSec: await rate(() => hot.get(keys[i++ & (KEYS - 1)])), p95Ms: await p95(() => hot.get(keys[i++ & (KEYS - 1)])) });
  add({ component: 'cache', op: 'read, L2 hit (decode + promote)', impl: 'TypeScript', opsPerSec: await rate(() => cold.get(keys[i++ & (KEYS - 1)])), p95Ms: await p95(() => cold.get(keys[i++ & (KEYS - 1)])) });
  add({ component: 'cache', op: 'write-through (L1 + L2)', impl: 'TypeScript', opsPerSec: await rate(() => hot.set(keys[i & (KEYS - 1)], record(i++ & 1023))), p95Ms: await p95(() => hot.set(keys[i & (KEYS - 1)], record(i++ & 1023))) });
}

// ---- breaker, retry ----
{
  const b = new CircuitBreaker();
  const ok = () => 42;
  add({ component: 'breaker', op: 'execute (async), closed', impl: 'TypeScript', opsPerSec: await rate(() => b.execute(ok)), p95Ms: await p95(() => b.execute(ok)) });
  add({ component: 'breaker', op: 'call (sync), closed', impl: 'TypeScript', opsPerSec: await rate(() => b.call(ok)) });
  const budget = new RetryBudget({ ratio: 10, maxTokens: 1e9 });
  const noWait = () => Promise.resolve();
  add({ component: 'retry', op: 'call, success on the first attempt', impl: 'TypeScript', opsPerSec: await rate(() => retry(ok, { sleep: noWait, budget })) });
  let c = 0;
  const err = new Error('transient');
  add({ component: 'retry', op: 'call, 2 transient failures then success (no wait)', impl: 'TypeScript', opsPerSec: await rate(() => ((c = 0), retry(() => (++c < 3 ? Promise.reject(err) : 42), { sleep: noWait, budget, maxAttempts: 5 }))) });
}

// ---- report ----
const fmt = (n: number | undefined, digits = 0): string => (n === undefined ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const lines = [
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}. Best of ${REPS} repetitions of ≥ ${MIN_MS} ms.`,
  '',
  '| component | operation | implementation | ops/s | MB/s | p95 ms | note |',
  '|---|---|---|--:|--:|--:|---|',
  ...rows.map((r) => `| ${r.component} | ${r.op} | ${r.impl} | ${fmt(r.opsPerSec)} | ${fmt(r.mbPerSec, 1)} | ${r.p95Ms === undefined ? '' : fmt(r.p95Ms, 4)} | ${r.note ?? ''} |`),
];
const speedups: string[] = [];
for (const r of rows) {
  if (!r.impl.startsWith('Rust')) continue;
  const base = rows.find((x) => x.component === r.component && x.op === r.op && x.impl.startsWith('TypeScript'));
  if (base) speedups.push(`- ${r.component}, ${r.op}: ${r.impl} is ${(r.opsPerSec / base.opsPerSec).toFixed(1)}× TypeScript`);
}
console.log([...lines, '', 'Rust over TypeScript:', ...speedups].join('\n'));
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.versions.node }, rows }, null, 2)}\n`);
process.exit(0);
