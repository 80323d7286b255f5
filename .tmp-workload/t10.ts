import { startReferenceService, productPicker } from '../src/workload/service.ts';
import { runLoad } from '../src/load/index.ts';
const svc = await startReferenceService();
const pick = productPicker(1);
const r = await runLoad({ users: 50, durationMs: 1000, target: { url: svc.url + '/products/p1', path: () => `/products/${pick()}` } });
console.log(r);
console.log(JSON.stringify({ cache: svc.cache.stats().hitRatio, breaker: svc.breaker.stats(), budget: svc.budget, dep: svc.dependency }));
await svc.close();
