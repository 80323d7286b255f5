// A multi-level cache: L1 is an in-process LRU with TTL and a size bound (O(1) get/set through a
// hash map plus an intrusive doubly linked list); L2 is any CacheTier: by default a second,
// sharded in-process store, or a real Redis server (redis.ts) when REDIS_URL is set.
// Reads are read-through (L1, then L2, then the loader, with concurrent misses of one key
// sharing one load); writes are write-through (L1 and L2). Hit ratio and per-operation latency
// (sampled) are reported by stats().
import { LatencyRecorder, systemClock, type Clock, type LatencySummary } from './stats.ts';

// ---------------------------------------------------------------------------------------------
// L1: LRU with TTL

interface Node<V> {
  key: string;
  value: V;
  expires: number;
  size: number;
  prev: Node<V> | null;
  next: Node<V> | null;
}

export interface LruOptions<V> {
  /** Most entries kept (least recently used evicted first). */
  maxEntries: number;
  /** Optional bound on the summed `sizeOf` of the values. */
  maxSize?: number;
  sizeOf?: (value: V, key: string) => number;
  /** Default time to live, ms (Infinity: no expiry). */
  ttlMs?: number;
  clock?: Clock;
}

export class LruCache<V> {
  private readonly map = new Map<string, Node<V>>();
  /** Most recently used. */
  private head: Node<V> | null = null;
  /** Least recently used. */
  private tail: Node<V> | null = null;
  private totalSize = 0;
  private readonly maxEntries: number;
  private readonly maxSize: number;
  private readonly sizeOf?: (value: V, key: string) => number;
  private readonly ttlMs: number;
  private readonly clock: Clock;
  evictions = 0;
  expirations = 0;

  constructor(options: LruOptions<V>) {
    if (!(options.maxEntries >= 1)) throw new Error(`maxEntries must be at least 1, got ${options.maxEntries}`);
    this.maxEntries = options.maxEntries;
    this.maxSize = options.maxSize ?? Infinity;
    this.sizeOf = options.sizeOf;
    this.ttlMs = options.ttlMs ?? Infinity;
    this.clock = options.clock ?? systemClock;
  }

  get size(): number {
    return this.map.size;
  }

  /** Summed sizes (with `sizeOf`), else the entry count. */
  get weight(): number {
    return this.sizeOf ? this.totalSize : this.map.size;
  }

  /** The live value of `key` (marking it most recently used), or undefined. */
  get(key: string): V | undefined {
    const node = this.map.get(key);
    if (node === undefined) return undefined;
    if (node.expires <= this.clock.now()) {
      this.remove(node);
      this.expirations++;
      return undefined;
    }
    if (node !== this.head) {
      this.unlink(node);
      this.pushFront(node);
    }
    return node.value;
  }

  /** Like get, without touching recency. */
  peek(key: string): V | undefined {
    const node = this.map.get(key);
    return node !== undefined && node.expires > this.clock.now() ? node.value : undefined;
  }

  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  set(key: string, value: V, ttlMs: number = this.ttlMs): void {
    const size = this.sizeOf ? this.sizeOf(value, key) : 1;
    if (size > this.maxSize) {
      // larger than the whole cache: keep it out, and drop a stale copy
      this.delete(key);
      return;
    }
    const expires = ttlMs === Infinity ? Infinity : this.clock.now() + ttlMs;
    let node = this.map.get(key);
    if (node !== undefined) {
      this.totalSize += size - node.size;
      node.value = value;
      node.expires = expires;
      node.size = size;
      if (node !== this.head) {
        this.unlink(node);
        this.pushFront(node);
      }
    } else {
      node = { key, value, expires, size, prev: null, next: null };
      this.map.set(key, node);
      this.totalSize += size;
      this.pushFront(node);
    }
    while (this.map.size > this.maxEntries || this.totalSize > this.maxSize) {
      const lru = this.tail;
      if (lru === null || lru === node) break;
      this.remove(lru);
      this.evictions++;
    }
  }

  delete(key: string): boolean {
    const node = this.map.get(key);
    if (node === undefined) return false;
    this.remove(node);
    return true;
  }

  clear(): void {
    this.map.clear();
    this.head = this.tail = null;
    this.totalSize = 0;
  }

  /** Keys from most to least recently used (for tests and debugging). */
  keys(): string[] {
    const out: string[] = [];
    for (let n = this.head; n !== null; n = n.next) out.push(n.key);
    return out;
  }

  private remove(node: Node<V>): void {
    this.unlink(node);
    this.map.delete(node.key);
    this.totalSize -= node.size;
  }

  private unlink(node: Node<V>): void {
    if (node.prev !== null) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next !== null) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = node.next = null;
  }

  private pushFront(node: Node<V>): void {
    node.next = this.head;
    node.prev = null;
    if (this.head !== null) this.head.prev = node;
    this.head = node;
    if (this.tail === null) this.tail = node;
  }
}

// ---------------------------------------------------------------------------------------------
// L2 tiers

/** A second-level store of serialized values. Methods may be synchronous or return promises. */
export interface CacheTier {
  readonly name: string;
  get(key: string): string | undefined | Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): void | Promise<void>;
  delete(key: string): boolean | Promise<boolean>;
  close?(): void | Promise<void>;
}

/** FNV-1a, 32 bits: the shard of a key. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The default L2: `shards` independent LRU stores (a key's shard by FNV-1a hash), standing in
 * for a shared cache service in one process. Values are kept serialized, as a remote tier would.
 */
export class ShardedStore implements CacheTier {
  readonly name = 'sharded';
  private readonly shards: Array<LruCache<string>>;

  constructor(options: { shards?: number; maxEntries?: number; clock?: Clock } = {}) {
    const count = options.shards ?? 16;
    const per = Math.max(1, Math.ceil((options.maxEntries ?? 100_000) / count));
    this.shards = Array.from({ length: count }, () => new LruCache<string>({ maxEntries: per, clock: options.clock }));
  }

  private shard(key: string): LruCache<string> {
    return this.shards[fnv1a(key) % this.shards.length];
  }

  get(key: string): string | undefined {
    return this.shard(key).get(key);
  }

  set(key: string, value: string, ttlMs: number): void {
    this.shard(key).set(key, value, ttlMs);
  }

  delete(key: string): boolean {
    return this.shard(key).delete(key);
  }

  get size(): number {
    return this.shards.reduce((n, s) => n + s.size, 0);
  }
}

// ---------------------------------------------------------------------------------------------
// The multi-level cache

export interface Codec<V> {
  encode(value: V): string;
  decode(text: string): V;
}

export const jsonCodec: Codec<unknown> = { encode: (v) => JSON.stringify(v), decode: (t) => JSON.parse(t) as unknown };

export interface MultiLevelOptions<V> {
  l1?: Partial<LruOptions<V>>;
  /** Default: a ShardedStore. */
  l2?: CacheTier;
  /** TTL of L1 entries, ms (default 30 s). */
  l1TtlMs?: number;
  /** TTL of L2 entries, ms (default 5 min). */
  l2TtlMs?: number;
  codec?: Codec<V>;
  clock?: Clock;
  /** Record the latency of one operation in `latencySampleEvery` (1: all; default 8). */
  latencySampleEvery?: number;
}

export interface CacheStats {
  gets: number;
  l1Hits: number;
  l2Hits: number;
  misses: number;
  loads: number;
  sets: number;
  deletes: number;
  /** (L1 + L2 hits) / gets. */
  hitRatio: number;
  l1HitRatio: number;
  l1Size: number;
  evictions: number;
  expirations: number;
  latencyMs: { get: LatencySummary; set: LatencySummary };
}

export class MultiLevelCache<V = unknown> {
  readonly l1: LruCache<V>;
  readonly l2: CacheTier;
  private readonly l1TtlMs: number;
  private readonly l2TtlMs: number;
  private readonly codec: Codec<V>;
  private readonly clock: Clock;
  private readonly every: number;
  private readonly inflight = new Map<string, Promise<V>>();
  private readonly getLatency = new LatencyRecorder();
  private readonly setLatency = new LatencyRecorder();
  private counters = { gets: 0, l1Hits: 0, l2Hits: 0, misses: 0, loads: 0, sets: 0, deletes: 0 };

  constructor(options: MultiLevelOptions<V> = {}) {
    this.clock = options.clock ?? systemClock;
    this.l1TtlMs = options.l1TtlMs ?? 30_000;
    this.l2TtlMs = options.l2TtlMs ?? 300_000;
    this.l1 = new LruCache<V>({ maxEntries: 10_000, ttlMs: this.l1TtlMs, clock: this.clock, ...options.l1 });
    this.l2 = options.l2 ?? new ShardedStore({ clock: this.clock });
    this.codec = options.codec ?? (jsonCodec as Codec<V>);
    this.every = Math.max(1, Math.floor(options.latencySampleEvery ?? 8));
  }

  /** Read: L1, then L2 (promoting the value into L1). */
  async get(key: string): Promise<V | undefined> {
    const n = ++this.counters.gets;
    const t0 = n % this.every === 0 ? this.clock.now() : -1;
    const hit = this.l1.get(key);
    if (hit !== undefined) {
      this.counters.l1Hits++;
      if (t0 >= 0) this.getLatency.record(this.clock.now() - t0);
      return hit;
    }
    const text = await this.l2.get(key);
    let value: V | undefined;
    if (text !== undefined) {
      this.counters.l2Hits++;
      value = this.codec.decode(text);
      this.l1.set(key, value, this.l1TtlMs);
    } else {
      this.counters.misses++;
    }
    if (t0 >= 0) this.getLatency.record(this.clock.now() - t0);
    return value;
  }

  /**
   * Read-through: the cached value, or `load(key)`'s, stored in both levels. Concurrent misses of
   * one key wait for a single load. A failed load caches nothing and rejects every waiter.
   */
  async getOrLoad(key: string, load: (key: string) => Promise<V> | V): Promise<V> {
    const cached = await this.get(key);
    if (cached !== undefined) return cached;
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      pending = (async () => {
        try {
          this.counters.loads++;
          const value = await load(key);
          await this.set(key, value);
          return value;
        } finally {
          this.inflight.delete(key);
        }
      })();
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** Write-through: L1 and L2. */
  async set(key: string, value: V): Promise<void> {
    const n = ++this.counters.sets;
    const t0 = n % this.every === 0 ? this.clock.now() : -1;
    this.l1.set(key, value, this.l1TtlMs);
    const done = this.l2.set(key, this.codec.encode(value), this.l2TtlMs);
    if (done !== undefined) await done;
    if (t0 >= 0) this.setLatency.record(this.clock.now() - t0);
  }

  async delete(key: string): Promise<boolean> {
    this.counters.deletes++;
    const a = this.l1.delete(key);
    const b = await this.l2.delete(key);
    return a || b;
  }

  stats(): CacheStats {
    const c = this.counters;
    return {
      ...c,
      hitRatio: c.gets ? (c.l1Hits + c.l2Hits) / c.gets : 0,
      l1HitRatio: c.gets ? c.l1Hits / c.gets : 0,
      l1Size: this.l1.size,
      evictions: this.l1.evictions,
      expirations: this.l1.expirations,
      latencyMs: { get: this.getLatency.summary(), set: this.setLatency.summary() },
    };
  }

  resetStats(): void {
    this.counters = { gets: 0, l1Hits: 0, l2Hits: 0, misses: 0, loads: 0, sets: 0, deletes: 0 };
    this.getLatency.reset();
    this.setLatency.reset();
  }

  async close(): Promise<void> {
    await this.l2.close?.();
  }
}
