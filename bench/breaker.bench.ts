// Circuit breaker: one op = one call through the breaker (the guarded function itself is trivial,
// so the figures are the breaker's own cost): closed, open (rejecting), and closed with 10%
// failures feeding the failure-rate window. The synchronous `call` is in the figures script.
import { CircuitBreaker, CircuitOpenError } from '../workload/src/breaker.ts';
import { keep, runIfMain, Suite, suiteClock } from './support.ts';

// The window and reset timeout read this: the system clock, or a logical one under clock instructions (support.ts).
const clock = suiteClock();

const closed = new CircuitBreaker({ clock, window: { type: 'count', size: 100 } });
const open = new CircuitBreaker({ clock, resetTimeoutMs: 3_600_000, minimumCalls: 1 });
try {
  open.call(() => {
    throw new Error('down');
  });
} catch {
  // the breaker is now open
}
const flaky = new CircuitBreaker({ clock, failureRateThreshold: 0.5, window: { type: 'time', ms: 10_000, buckets: 10 } });
const failure = new Error('dependency failed');
let n = 0;
const ok = () => 42;

const suite = new Suite('breaker');
suite.add('execute, closed (async)', async () => keep(await closed.execute(ok)), { sla: [{ metric: 'p95', max: 50_000 }] });
suite.add('reject, open', async () => {
  try {
    await open.execute(ok);
  } catch (e) {
    keep(e as CircuitOpenError);
  }
});
suite.add('execute, 10% failures', async () => {
  try {
    keep(await flaky.execute(() => (++n % 10 === 0 ? Promise.reject(failure) : 42)));
  } catch {
    // counted by the breaker
  }
});

export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
