// Load generation: N concurrent virtual users issue requests back to back (optionally with think
// time) against an async function or an HTTP endpoint on this machine, for a bounded duration or
// request count; the result is throughput, latency percentiles and success rate.
//
// HTTP targets must be loopback (127.0.0.0/8, ::1, localhost) unless `allowNonLoopback` is set:
// a load test from a CI runner should not hit other hosts by accident.
import http from 'node:http';
import type { Load } from '../schema/results.ts';

export interface LoadContext {
  /** 0-based virtual user. */
  user: number;
  /** 0-based request of this user. */
  iteration: number;
  /** Aborted when the request times out or the run stops. */
  signal: AbortSignal;
}

/** One request: resolve for success, throw (or reject) for failure. */
export type LoadFunction = (ctx: LoadContext) => unknown;

export interface HttpTarget {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | ((ctx: LoadContext) => string);
  /** Path per request (overrides the URL's path), e.g. to spread keys. */
  path?: (ctx: LoadContext) => string;
  /** Which statuses count as success (default 2xx). */
  ok?: (status: number) => boolean;
}

export type LoadTarget = LoadFunction | HttpTarget;

export interface LoadOptions {
  /** Concurrent virtual users. */
  users: number;
  /** Length of the measured window, ms. */
  durationMs: number;
  target: LoadTarget;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number;
  /** Pause of a user between its requests, ms (default 0). */
  thinkTimeMs?: number;
  /** Stop after this many requests in all (default: no limit but the duration). */
  maxRequests?: number;
  /** Allow an HTTP target that is not on this machine (default false). */
  allowNonLoopback?: boolean;
}

export interface LoadResult extends Load {
  /** Failures by kind (`HTTP 503`, `timeout`, an error's name). */
  errorKinds: Record<string, number>;
  maxLatencyMs: number;
}

export class HttpStatusError extends Error {
  readonly status: number;
  constructor(status: number, method: string, url: string) {
    super(`${method} ${url} answered ${status}`);
    this.name = 'HttpStatusError';
    this.status = status;
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function validateLoadOptions(o: LoadOptions): void {
  if (!Number.isInteger(o.users) || o.users < 1) throw new Error(`load: users must be a positive integer, got ${o.users}`);
  if (!(o.durationMs > 0) || !Number.isFinite(o.durationMs)) throw new Error(`load: durationMs must be a positive number of milliseconds, got ${o.durationMs}`);
  if (o.maxRequests !== undefined && !(o.maxRequests >= 1)) throw new Error(`load: maxRequests must be at least 1, got ${o.maxRequests}`);
  if (typeof o.target !== 'function') {
    let url: URL;
    try {
      url = new URL(o.target.url);
    } catch {
      throw new Error(`load: target url "${o.target.url}" is not a URL`);
    }
    if (url.protocol !== 'http:') throw new Error(`load: target url "${o.target.url}" must be http:// (https is not supported)`);
    if (!o.allowNonLoopback && !isLoopbackHost(url.hostname)) {
      throw new Error(`load: target ${url.host} is not on this machine; load tests go to loopback addresses (127.0.0.1, ::1, localhost) unless allowNonLoopback is set`);
    }
  }
}

/** The request function of an HTTP target, on a keep-alive agent with `sockets` sockets. */
function httpRequester(target: HttpTarget, sockets: number): { send: LoadFunction; agent: http.Agent } {
  const url = new URL(target.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const method = (target.method ?? 'GET').toUpperCase();
  const ok = target.ok ?? ((s: number) => s >= 200 && s < 300);
  const basePath = url.pathname + url.search;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || 80;
  const send: LoadFunction = (ctx) =>
    new Promise<void>((resolve, reject) => {
      const body = typeof target.body === 'function' ? target.body(ctx) : target.body;
      const path = target.path ? target.path(ctx) : basePath;
      const req = http.request(
        { host, port, path, method, agent, headers: body === undefined ? target.headers : { ...target.headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (ok(status)) resolve();
            else reject(new HttpStatusError(status, method, path));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      // abort (timeout, stop) destroys the request; cheaper than http's own `signal` option
      ctx.signal.addEventListener('abort', () => req.destroy(ctx.signal.reason as Error), { once: true });
      req.end(body);
    });
  return { send, agent };
}

/** Bounded store of latencies: all of them up to `cap`, then a uniform reservoir sample. */
class LatencyReservoir {
  private values: Float64Array;
  private n = 0;
  private seen = 0;
  private readonly cap: number;
  private rng = 0x9e3779b9;
  max = 0;
  sum = 0;

  constructor(cap = 200_000) {
    this.cap = cap;
    this.values = new Float64Array(Math.min(cap, 4096));
  }

  add(ms: number): void {
    this.seen++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
    if (this.n < this.cap) {
      if (this.n === this.values.length) {
        const grown = new Float64Array(Math.min(this.cap, this.values.length * 2));
        grown.set(this.values);
        this.values = grown;
      }
      this.values[this.n++] = ms;
      return;
    }
    // xorshift32 for the reservoir slot (Algorithm R)
    this.rng ^= this.rng << 13;
    this.rng ^= this.rng >>> 17;
    this.rng ^= this.rng << 5;
    const j = (this.rng >>> 0) % this.seen;
    if (j < this.cap) this.values[j] = ms;
  }

  percentiles(): { p50: number; p95: number; p99: number; mean: number } {
    if (this.n === 0) return { p50: 0, p95: 0, p99: 0, mean: 0 };
    const sorted = this.values.slice(0, this.n).sort();
    const at = (p: number): number => {
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      const hi = Math.min(sorted.length - 1, lo + 1);
      return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    };
    return { p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: this.sum / this.seen };
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A running load: `start()` launches the users, `resetStats()` starts the measured window anew,
 * `probe()` makes one extra request (not counted; for a harness that times requests under load),
 * `stop()` ends the run and reports the window.
 */
export class LoadSession {
  private readonly options: LoadOptions;
  private readonly send: LoadFunction;
  private readonly agent: http.Agent | null;
  private readonly inflight = new Set<AbortController>();
  private users: Array<Promise<void>> = [];
  private started = false;
  private stopped = false;
  private paused = false;
  private issued = 0;
  /** Each user's next iteration (a resumed user goes on counting). */
  private nextIteration: number[] = [];
  /** Running time of the window before `activeSince` (pauses do not count), ms. */
  private activeMs = 0;
  /** When the users last started or resumed. */
  private activeSince = 0;
  private ok = 0;
  private failed = 0;
  private kinds: Record<string, number> = {};
  private latencies = new LatencyReservoir();
  private probes = 0;

  constructor(options: LoadOptions) {
    validateLoadOptions(options);
    this.options = options;
    if (typeof options.target === 'function') {
      this.send = options.target;
      this.agent = null;
    } else {
      const r = httpRequester(options.target, options.users + 1);
      this.send = r.send;
      this.agent = r.agent;
    }
  }

  get running(): boolean {
    return this.started && !this.paused && !this.stopped;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.resetStats();
    this.launch();
  }

  private launch(): void {
    this.activeSince = performance.now();
    this.users = [];
    for (let u = 0; u < this.options.users; u++) this.users.push(this.user(u));
  }

  /**
   * Stops the users until `resume()`: they issue no new request, and this resolves once their
   * requests in flight have finished (those still count). The paused time is left out of the
   * window (its duration and throughput are running time). An A/B worker pauses a load task while
   * the other side of its pair is measured (src/measure/background.ts).
   */
  async pause(): Promise<void> {
    if (!this.started || this.paused || this.stopped) return;
    this.paused = true;
    this.activeMs += performance.now() - this.activeSince;
    await Promise.all(this.users);
  }

  /** Starts the users again after `pause()`. */
  resume(): void {
    if (!this.paused || this.stopped) return;
    this.paused = false;
    this.launch();
  }

  /** Running time of the measured window so far, ms. */
  private windowMs(): number {
    return this.activeMs + (this.paused ? 0 : performance.now() - this.activeSince);
  }

  resetStats(): void {
    this.activeMs = 0;
    this.activeSince = performance.now();
    this.ok = this.failed = 0;
    this.kinds = {};
    this.latencies = new LatencyReservoir();
  }

  private async one(user: number, iteration: number): Promise<{ ok: boolean; ms: number; kind?: string }> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const ac = new AbortController();
    this.inflight.add(ac);
    let timer: NodeJS.Timeout | undefined;
    // one promise rejects on timeout and on stop (a target that ignores its signal is left behind)
    const guard = new Promise<never>((_, reject) => {
      ac.signal.onabort = () => reject(ac.signal.reason);
      timer = setTimeout(() => ac.abort(Object.assign(new Error(`request timed out after ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    });
    guard.catch(() => {});
    const t0 = performance.now();
    try {
      await Promise.race([this.send({ user, iteration, signal: ac.signal }), guard]);
      return { ok: true, ms: performance.now() - t0 };
    } catch (error) {
      const kind = error instanceof HttpStatusError ? `HTTP ${error.status}` : error instanceof Error ? (error.name === 'TimeoutError' ? 'timeout' : error.name) : 'error';
      return { ok: false, ms: performance.now() - t0, kind };
    } finally {
      clearTimeout(timer);
      ac.signal.onabort = null;
      this.inflight.delete(ac);
    }
  }

  private async user(u: number): Promise<void> {
    const { maxRequests, thinkTimeMs, durationMs } = this.options;
    // hard stop in case the caller never calls stop(): twice the window (from each start or resume)
    const deadline = performance.now() + Math.max(durationMs * 2, durationMs + 10_000);
    for (let i = this.nextIteration[u] ?? 0; !this.stopped && !this.paused; i++) {
      if (maxRequests !== undefined && this.issued >= maxRequests) break;
      if (performance.now() > deadline) break;
      this.nextIteration[u] = i + 1;
      this.issued++;
      const r = await this.one(u, i);
      if (this.stopped) break;
      if (r.ok) {
        this.ok++;
        this.latencies.add(r.ms);
      } else {
        this.failed++;
        const kind = r.kind ?? 'error';
        this.kinds[kind] = (this.kinds[kind] ?? 0) + 1;
      }
      if (thinkTimeMs) await sleep(thinkTimeMs);
    }
  }

  /** One request outside the statistics; never throws. */
  async probe(): Promise<boolean> {
    const r = await this.one(this.options.users, this.probes++);
    return r.ok;
  }

  /**
   * Ends the run: resumes a paused session, waits until the window has run `minWindowMs`
   * (default: durationMs; paused time not counted) or the request limit is reached, stops the
   * users, waits for their last requests, and reports.
   */
  async stop(minWindowMs: number = this.options.durationMs): Promise<LoadResult> {
    const { maxRequests } = this.options;
    this.resume();
    while (this.windowMs() < minWindowMs && !(maxRequests !== undefined && this.issued >= maxRequests)) {
      await sleep(Math.min(20, Math.max(1, minWindowMs - this.windowMs())));
    }
    const windowMs = this.windowMs();
    const result: LoadResult = {
      users: this.options.users,
      durationMs: Math.round(windowMs),
      requests: this.ok + this.failed,
      errors: this.failed,
      throughput: windowMs > 0 ? (this.ok * 1000) / windowMs : 0,
      successRate: this.ok + this.failed > 0 ? this.ok / (this.ok + this.failed) : 0,
      latencyMs: this.latencies.percentiles(),
      errorKinds: { ...this.kinds },
      maxLatencyMs: this.latencies.max,
    };
    this.stopped = true;
    const stop = Object.assign(new Error('load run stopped'), { name: 'AbortError' });
    for (const ac of this.inflight) ac.abort(stop);
    await Promise.all(this.users);
    this.agent?.destroy();
    return result;
  }
}

/** Runs one load test to the end and reports it. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const session = new LoadSession(options);
  session.start();
  return session.stop();
}

/** The `load` metrics of the results schema (extras dropped). */
export function toLoadMetrics(r: LoadResult): Load {
  return { users: r.users, durationMs: r.durationMs, requests: r.requests, errors: r.errors, throughput: r.throughput, successRate: r.successRate, latencyMs: r.latencyMs };
}
