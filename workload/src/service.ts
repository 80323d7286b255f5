// The reference service of the load suite: a small HTTP API on 127.0.0.1 (ephemeral port) that
// serves product records through the multi-level cache (read-through), with every dependency
// call wrapped in retry (exponential backoff, full jitter, budget) around a circuit breaker.
// The dependency injects faults from a seeded generator: transient failures (10% by default)
// and slow calls, so the success rate depends on the retries doing their job.
//
//   GET /products/:id   200 JSON | 502 (dependency failed after retries) | 503 (breaker open)
//   PUT /products/:id   204 (write-through)
//   GET /health         200
//   GET /stats          200 JSON: cache, breaker, retry budget and dependency counters
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CircuitBreaker, CircuitOpenError } from './breaker.ts';
import { MultiLevelCache, type CacheTier } from './cache.ts';
import { createRandom, type Random } from './random.ts';
import { retry, RetryBudget } from './retry.ts';

export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

export interface Product {
  id: string;
  name: string;
  priceCents: number;
  stock: number;
  tags: string[];
}

export interface FaultOptions {
  /** Share of calls failing with a TransientError (default 0.1). */
  failureRate?: number;
  /** Share of calls that take `slowMs` (default 0.02). */
  slowRate?: number;
  slowMs?: number;
  seed?: number;
}

/** A stand-in for a remote inventory service: asynchronous, occasionally slow or failing. */
export class FaultyDependency {
  private readonly rng: Random;
  private readonly failureRate: number;
  private readonly slowRate: number;
  private readonly slowMs: number;
  private readonly overrides = new Map<string, Product>();
  calls = 0;
  failures = 0;
  slow = 0;

  constructor(options: FaultOptions = {}) {
    this.rng = createRandom(options.seed ?? 42);
    this.failureRate = options.failureRate ?? 0.1;
    this.slowRate = options.slowRate ?? 0.02;
    this.slowMs = options.slowMs ?? 15;
  }

  async fetch(id: string): Promise<Product> {
    this.calls++;
    const r = this.rng.next();
    if (r < this.slowRate) {
      this.slow++;
      await new Promise((resolve) => setTimeout(resolve, this.slowMs));
    } else {
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.rng.next() < this.failureRate) {
      this.failures++;
      throw new TransientError(`inventory: transient failure fetching ${id}`);
    }
    return this.overrides.get(id) ?? productOf(id);
  }

  async write(product: Product): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.overrides.set(product.id, product);
  }
}

function productOf(id: string): Product {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return { id, name: `product ${id}`, priceCents: 100 + (h % 100_000), stock: h % 500, tags: ['catalog', h % 2 ? 'outdoor' : 'indoor'] };
}

export interface ServiceOptions {
  faults?: FaultOptions;
  /** L2 tier (default: in-process sharded store). */
  l2?: CacheTier;
  /** L1 TTL, ms (default 250: short, so misses keep reaching the dependency). */
  l1TtlMs?: number;
  l2TtlMs?: number;
  l1MaxEntries?: number;
  /** Attempts per dependency call, first included (default 4). */
  attempts?: number;
}

export interface ReferenceService {
  url: string;
  port: number;
  cache: MultiLevelCache<Product>;
  breaker: CircuitBreaker;
  budget: RetryBudget;
  dependency: FaultyDependency;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Starts the service on 127.0.0.1 with an ephemeral port. */
export async function startReferenceService(options: ServiceOptions = {}): Promise<ReferenceService> {
  const dependency = new FaultyDependency(options.faults);
  const cache = new MultiLevelCache<Product>({ l1: { maxEntries: options.l1MaxEntries ?? 2000 }, l1TtlMs: options.l1TtlMs ?? 250, l2TtlMs: options.l2TtlMs ?? 1000, l2: options.l2 });
  const breaker = new CircuitBreaker({ failureRateThreshold: 0.5, minimumCalls: 20, window: { type: 'count', size: 100 }, resetTimeoutMs: 1000, halfOpenMaxCalls: 5 });
  const budget = new RetryBudget({ ratio: 0.3, minRetriesPerSecond: 50 });
  const attempts = options.attempts ?? 4;

  const load = (id: string): Promise<Product> =>
    retry(() => breaker.execute(() => dependency.fetch(id)), { maxAttempts: attempts, baseDelayMs: 1, maxDelayMs: 20, jitter: 'full', budget });

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const m = /^\/products\/([\w-]{1,64})$/.exec(url);
    if (m && req.method === 'GET') {
      cache.getOrLoad(m[1], load).then(
        (product) => send(res, 200, product),
        (error: unknown) => send(res, error instanceof CircuitOpenError ? 503 : 502, { error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    if (m && req.method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let product: Product;
        try {
          product = { ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Product), id: m[1] };
        } catch {
          send(res, 400, { error: 'body is not JSON' });
          return;
        }
        dependency
          .write(product)
          .then(() => cache.set(m[1], product))
          .then(
            () => send(res, 204),
            (error: unknown) => send(res, 502, { error: String(error) }),
          );
      });
      return;
    }
    if (url === '/health') return send(res, 200, { ok: true });
    if (url === '/stats') {
      return send(res, 200, { cache: cache.stats(), breaker: breaker.stats(), budget: { calls: budget.calls, retries: budget.retries, refused: budget.refused }, dependency: { calls: dependency.calls, failures: dependency.failures, slow: dependency.slow } });
    }
    send(res, 404, { error: `no route ${req.method} ${url}` });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cache,
    breaker,
    budget,
    dependency,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Product ids with a skewed popularity (a few hot, a long tail), from a seeded generator. */
export function productPicker(seed: number, keys = 20_000): () => string {
  const rng = createRandom(seed);
  return () => `p${Math.floor(keys * rng.next() ** 3)}`;
}
