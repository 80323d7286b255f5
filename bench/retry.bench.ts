// Retry: one op = one call through retry(). Sleep is injected (no timer), so the figures are the
// retry machinery's own cost: attempts, the retryable check, backoff with full jitter, the budget.
// (A non-retryable error stopping at once is covered by the unit tests.)
import { retry, RetryBudget } from '../workload/src/retry.ts';
import { keep, runIfMain, Suite } from './support.ts';

const noWait = () => Promise.resolve();
const budget = new RetryBudget({ ratio: 10, maxTokens: 1e9 });
const transient = new Error('transient');
let calls = 0;

const suite = new Suite('retry');
suite.add('success on the first attempt', async () => keep(await retry(() => 42, { sleep: noWait, budget })));
suite.add('two transient failures, then success', async () => {
  calls = 0;
  keep(await retry(() => (++calls < 3 ? Promise.reject(transient) : 42), { maxAttempts: 5, sleep: noWait, budget }));
});

export const perfgate = suite.perfgate;
export default suite.bench;
await runIfMain(suite, import.meta.url);
