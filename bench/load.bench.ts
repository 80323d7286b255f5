// System load: 50 virtual users against the reference service (HTTP on 127.0.0.1, ephemeral
// port): product reads through the multi-level cache, each dependency call wrapped in retry around
// a circuit breaker; the dependency fails 10% of calls (transient) and is slow on 2%. The window
// lasts 1 s per round. The task's samples are the latency of one extra request under that load;
// the load metrics (throughput, p50/p95/p99, success rate) go to perfgate.tasks[...].load.
// SLA: success rate of at least 99% (the seed reached 93.1%), p95 latency under 250 ms.
import { defineLoad, loadSuite } from 'perfgate/load';
import { productPicker, startReferenceService, type ReferenceService } from '../workload/src/service.ts';
import { runIfMain } from './support.ts';

let service: ReferenceService | null = null;
const pick = productPicker(11);

const { bench, perfgate } = loadSuite(
  [
    defineLoad({
      name: 'product API, 50 users, 10% faults',
      users: 50,
      durationMs: 1000,
      timeoutMs: 5000,
      setup: async () => {
        service = await startReferenceService({ faults: { failureRate: 0.1, slowRate: 0.02, slowMs: 15, seed: 3 } });
      },
      teardown: async () => {
        await service?.close();
        service = null;
      },
      resolveTarget: () => ({ url: `${service!.url}/products/p0`, path: () => `/products/${pick()}` }),
      sla: [
        { metric: 'successRate', min: 0.99 },
        { metric: 'latencyP95Ms', max: 250 },
      ],
    }),
  ],
  { suite: 'load' },
);

export { perfgate };
export default bench;
await runIfMain(bench, import.meta.url, () => console.log(perfgate.tasks));
