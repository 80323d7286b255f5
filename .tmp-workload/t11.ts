import { startReferenceService } from '../src/workload/service.ts';
import { runLoad } from '../src/load/index.ts';
const svc = await startReferenceService();
for (const users of [1, 10, 50]) {
  const r = await runLoad({ users, durationMs: 500, target: { url: svc.url + '/health' } });
  console.log('health', users, r.requests, r.throughput.toFixed(0), r.latencyMs.p50.toFixed(2));
}
const r2 = await runLoad({ users: 50, durationMs: 500, target: async () => { await new Promise(r => setImmediate(r)); } });
console.log('fn', r2.requests, r2.throughput.toFixed(0), r2.latencyMs.p50.toFixed(3));
await svc.close();
