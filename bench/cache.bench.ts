// Multi-level cache: L1 in-process LRU (TTL, size bound) over an L2 tier (in-process sharded
// store; a Redis server when REDIS_URL is set). One op = one read or write of a ~150-byte record.
// SLA: reads and writes at p95 under 0.2 ms, the seed's target.
import { MultiLevelCache } from '../workload/src/cache.ts';
import { redisTierFromEnv } from '../workload/src/redis.ts';
import { createRandom } from '../workload/src/random.ts';
import { keep, runIfMain, Suite, suiteClock } from './support.ts';

const l2 = (await redisTierFromEnv()) ?? undefined;
// TTLs and latency samples read this: the system clock, or a logical one under clock instructions (support.ts).
const clock = suiteClock();
const KEYS = 1024;
const keys = Array.from({ length: KEYS }, (_, i) => `user:${i}`);
const record = (i: number) => ({ id: i, name: `user ${i}`, email: `user${i}@example.com`, roles: ['reader', i % 7 ? 'writer' : 'admin'], updatedAt: 1718236800000 + i });

// reads that hit L1
const hot = new MultiLevelCache({ l2, clock, l1: { maxEntries: 4096 }, l1TtlMs: 3_600_000 });
// an L1 of one entry: every read of a rotating key misses L1 and is served (and promoted) from L2
const cold = new MultiLevelCache({ l2, clock, l1: { maxEntries: 1 }, l1TtlMs: 3_600_000 });
for (let i = 0; i < KEYS; i++) {
  await hot.set(keys[i], record(i));
  await cold.set(keys[i], record(i));
}
// read-through over 20,000 keys with a skewed popularity, L1 of 2,000 entries
const mixed = new MultiLevelCache({ l2, clock, l1: { maxEntries: 2000 }, l1TtlMs: 60_000 });
const rng = createRandom(7);
const mixKeys = Array.from({ length: 4096 }, () => `item:${Math.floor(20_000 * rng.next() ** 3)}`);
const load = async (key: string) => ({ key, loadedAt: 1718236800000 });

let r = 0;
let w = 0;
let m = 0;
const p95 = (ms: number) => [{ metric: 'p95' as const, max: ms * 1e6 }];

const suite = new Suite('cache');
suite.add('read, L1 hit', async () => keep(await hot.get(keys[r++ & (KEYS - 1)])), { sla: p95(0.2) });
suite.add('read, L2 hit', async () => keep(await cold.get(keys[r++ & (KEYS - 1)])), { sla: p95(0.2) });
suite.add('write-through', async () => {
  const i = w++ & (KEYS - 1);
  await hot.set(keys[i], record(i));
}, { sla: p95(0.2) });
suite.add('read-through, skewed keys', async () => keep(await mixed.getOrLoad(mixKeys[m++ & 4095], load)), { sla: p95(0.2) });

export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
if (!process.env.PERFGATE_HARNESS) await hot.close();
