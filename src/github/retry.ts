// Retry for GitHub REST calls: 5xx, 429 and secondary rate limits (403 with Retry-After or an
// exhausted x-ratelimit-remaining) are retried with backoff, honouring Retry-After, up to a
// fixed number of attempts and a fixed total wait per call. Anything else fails at once.
// A call that still fails throws GitHubApiError, whose message names the call and the status
// and says that the gate's result is unaffected (delivery is not the decision).

export interface Log {
  info(message: string): void;
  warning(message: string): void;
}

export interface RetryOptions {
  /** Attempts in total, the first included. Default 3. */
  attempts?: number;
  /** Most the retries of one call may wait in total, in ms. Default 10 000. */
  maxTotalWaitMs?: number;
  /** First backoff for a 5xx without Retry-After, in ms; doubles each retry. Default 1 000. */
  baseDelayMs?: number;
  /** Injectable for tests. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable for tests. Default: Date.now. */
  now?: () => number;
}

/** An error from the GitHub API, after any retries. `status` is 0 when no response came back. */
export class GitHubApiError extends Error {
  readonly status: number;
  /** "POST /repos/o/r/issues/1/comments" */
  readonly call: string;
  readonly attempts: number;
  /** The message GitHub sent back, if any. */
  readonly apiMessage: string;

  constructor(message: string, fields: { status: number; call: string; attempts: number; apiMessage: string }) {
    super(message);
    this.name = 'GitHubApiError';
    this.status = fields.status;
    this.call = fields.call;
    this.attempts = fields.attempts;
    this.apiMessage = fields.apiMessage;
  }
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface ErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

function header(err: ErrorLike, name: string): string | undefined {
  const v = err.response?.headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

function apiMessageOf(err: ErrorLike): string {
  const data = err.response?.data as { message?: unknown } | undefined;
  if (data && typeof data.message === 'string') return data.message;
  return typeof err.message === 'string' ? err.message : String(err);
}

/**
 * How long to wait before retrying this failure, or null if it must not be retried.
 * `Infinity` means "retryable, but only after longer than we are willing to wait".
 */
export function retryDelayMs(err: unknown, attempt: number, baseDelayMs: number, now: number): number | null {
  const e = (err ?? {}) as ErrorLike;
  const status = typeof e.status === 'number' ? e.status : 0;
  const retryAfter = header(e, 'retry-after');
  const remaining = header(e, 'x-ratelimit-remaining');
  const reset = header(e, 'x-ratelimit-reset');
  const message = apiMessageOf(e);
  const secondary = /secondary rate limit|abuse detection/i.test(message);
  const rateLimited = status === 429 || (status === 403 && (retryAfter !== undefined || remaining === '0' || secondary));
  if (!(status >= 500 || status === 0 || rateLimited)) return null;
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (rateLimited && remaining === '0' && reset !== undefined && Number.isFinite(Number(reset))) {
    return Math.max(0, Number(reset) * 1000 - now);
  }
  if (rateLimited) return 60_000; // GitHub's advice for a secondary limit without Retry-After: wait a minute.
  return baseDelayMs * 2 ** (attempt - 1);
}

/**
 * Runs `fn` (one GitHub API request) with retries. `call` describes it for messages, e.g.
 * "GET /repos/o/r/issues/1/comments".
 */
export async function withRetry<T>(call: string, fn: () => Promise<T>, log: Log, opts: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? 3);
  const maxTotalWaitMs = opts.maxTotalWaitMs ?? 10_000;
  const baseDelayMs = opts.baseDelayMs ?? 1_000;
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const e = (err ?? {}) as ErrorLike;
      const status = typeof e.status === 'number' ? e.status : 0;
      const apiMessage = apiMessageOf(e);
      const delay = retryDelayMs(err, attempt, baseDelayMs, now());
      if (delay === null) {
        throw new GitHubApiError(`GitHub API ${call} failed with status ${status}: ${apiMessage}`, {
          status,
          call,
          attempts: attempt,
          apiMessage,
        });
      }
      const budgetLeft = maxTotalWaitMs - waited;
      if (attempt >= attempts || delay > budgetLeft) {
        const why =
          attempt >= attempts
            ? `after ${attempt} attempts`
            : `after ${attempt} attempt${attempt === 1 ? '' : 's'} (GitHub asked to wait ${Math.ceil(delay / 1000)} s, more than the ${Math.round(maxTotalWaitMs / 1000)} s retry budget)`;
        throw new GitHubApiError(
          `GitHub API ${call} failed with status ${status || 'no response'} ${why}: ${apiMessage}. ` +
            `This is a delivery problem only: the gate result is unaffected.`,
          { status, call, attempts: attempt, apiMessage },
        );
      }
      log.info(
        `GitHub API ${call} returned ${status || 'no response'} (${apiMessage}); retrying in ${Math.round(delay)} ms (attempt ${attempt + 1} of ${attempts}).`,
      );
      waited += delay;
      await sleep(delay);
    }
  }
}
