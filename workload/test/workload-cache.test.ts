import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LruCache, MultiLevelCache, ShardedStore } from '../src/cache.ts';
import { encodeCommand, parseRedisUrl, RedisClient, RedisError, RedisTier, RespParser } from '../src/redis.ts';

function fakeClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('LRU (L1)', () => {
  it('evicts the least recently used entry; get refreshes recency', () => {
    const c = new LruCache<number>({ maxEntries: 3 });
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect(c.get('a')).toBe(1);
    c.set('d', 4);
    expect(c.keys()).toEqual(['d', 'a', 'c']);
    expect(c.get('b')).toBeUndefined();
    expect(c.evictions).toBe(1);
    c.set('c', 30);
    expect(c.keys()).toEqual(['c', 'd', 'a']);
    expect(c.delete('d')).toBe(true);
    expect(c.delete('d')).toBe(false);
    expect(c.keys()).toEqual(['c', 'a']);
  });

  it('expires entries after their TTL (injected clock)', () => {
    const clock = fakeClock();
    const c = new LruCache<string>({ maxEntries: 10, ttlMs: 100, clock });
    c.set('a', 'x');
    c.set('b', 'y', 1000);
    clock.advance(99);
    expect(c.get('a')).toBe('x');
    clock.advance(1);
    expect(c.get('a')).toBeUndefined();
    expect(c.peek('b')).toBe('y');
    expect(c.expirations).toBe(1);
    expect(c.size).toBe(1);
  });

  it('bounds the summed size and refuses a value larger than the whole cache', () => {
    const c = new LruCache<string>({ maxEntries: 100, maxSize: 10, sizeOf: (v) => v.length });
    c.set('a', 'xxxx');
    c.set('b', 'yyyy');
    c.set('c', 'zzzz');
    expect(c.keys()).toEqual(['c', 'b']);
    expect(c.weight).toBe(8);
    c.set('b', 'too large to fit');
    expect(c.get('b')).toBeUndefined();
    expect(c.keys()).toEqual(['c']);
    expect(() => new LruCache({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe('multi-level cache', () => {
  it('reads L1, then L2 (promoting), and counts hits', async () => {
    const l2 = new ShardedStore({ shards: 4 });
    const cache = new MultiLevelCache<{ n: number }>({ l2, l1: { maxEntries: 2 }, latencySampleEvery: 1 });
    await cache.set('a', { n: 1 });
    await cache.set('b', { n: 2 });
    await cache.set('c', { n: 3 }); // evicts a from L1; L2 keeps it
    expect(cache.l1.peek('a')).toBeUndefined();
    expect(await cache.get('a')).toEqual({ n: 1 }); // L2 hit, promoted
    expect(cache.l1.peek('a')).toEqual({ n: 1 });
    expect(await cache.get('a')).toEqual({ n: 1 }); // L1 hit
    expect(await cache.get('zz')).toBeUndefined();
    const s = cache.stats();
    expect(s).toMatchObject({ gets: 3, l1Hits: 1, l2Hits: 1, misses: 1, sets: 3 });
    expect(s.hitRatio).toBeCloseTo(2 / 3);
    expect(s.latencyMs.get.count).toBe(3);
    expect(s.latencyMs.get.p95).toBeGreaterThanOrEqual(0);
  });

  it('read-through: concurrent misses of one key share one load; failures cache nothing', async () => {
    const cache = new MultiLevelCache<string>();
    let loads = 0;
    const load = async (k: string) => {
      loads++;
      await new Promise((r) => setTimeout(r, 5));
      return `value of ${k}`;
    };
    const values = await Promise.all(Array.from({ length: 20 }, () => cache.getOrLoad('k', load)));
    expect(new Set(values)).toEqual(new Set(['value of k']));
    expect(loads).toBe(1);
    expect(await cache.l2.get('k')).toBe('"value of k"'); // written through to L2
    await expect(cache.getOrLoad('bad', async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('bad')).toBeUndefined();
    await expect(cache.getOrLoad('bad', async () => 'fine')).resolves.toBe('fine');
  });

  it('delete removes the key from both levels', async () => {
    const cache = new MultiLevelCache<number>();
    await cache.set('x', 1);
    expect(await cache.delete('x')).toBe(true);
    expect(await cache.get('x')).toBeUndefined();
    expect(await cache.delete('x')).toBe(false);
  });
});

/** A small RESP server on loopback: GET, SET (PX), DEL, PING, AUTH, SELECT, QUIT. */
function fakeRedis(): Promise<{ url: string; close: () => Promise<void>; commands: string[][] }> {
  const data = new Map<string, string>();
  const commands: string[][] = [];
  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        // parse one *n $len... command
        const text = buf.toString('latin1');
        const m = /^\*(\d+)\r\n/.exec(text);
        if (!m) return;
        let pos = m[0].length;
        const args: string[] = [];
        for (let i = 0; i < Number(m[1]); i++) {
          const lm = /^\$(\d+)\r\n/.exec(text.slice(pos));
          if (!lm) return;
          const len = Number(lm[1]);
          const start = pos + lm[0].length;
          if (buf.length < start + len + 2) return;
          args.push(buf.toString('utf8', start, start + len));
          pos = start + len + 2;
        }
        buf = buf.subarray(pos);
        commands.push(args);
        const [cmd, key, value] = args;
        switch (cmd.toUpperCase()) {
          case 'PING':
            sock.write('+PONG\r\n');
            break;
          case 'AUTH':
            sock.write(key === 'sesame' || value === 'sesame' ? '+OK\r\n' : '-WRONGPASS invalid password\r\n');
            break;
          case 'SELECT':
          case 'QUIT':
            sock.write('+OK\r\n');
            break;
          case 'SET':
            data.set(key, value);
            sock.write('+OK\r\n');
            break;
          case 'GET': {
            const v = data.get(key);
            sock.write(v === undefined ? '$-1\r\n' : `$${Buffer.byteLength(v)}\r\n${v}\r\n`);
            break;
          }
          case 'DEL':
            sock.write(`:${data.delete(key) ? 1 : 0}\r\n`);
            break;
          default:
            sock.write(`-ERR unknown command '${cmd}'\r\n`);
        }
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `redis://:sesame@127.0.0.1:${port}/2`, commands, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

describe('Redis tier (RESP over node:net)', () => {
  it('encodes commands and parses replies split across chunks', () => {
    expect(encodeCommand(['SET', 'k', 'é']).toString()).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n');
    const p = new RespParser();
    expect(p.feed(Buffer.from('+OK\r\n$5\r\nhel'))).toEqual(['OK']);
    expect(p.feed(Buffer.from('lo\r\n:42\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n-ERR x\r\n'))).toEqual(['hello', 42, null, ['a', 1], new RedisError('ERR x')]);
  });

  it('parses REDIS_URL and names what is wrong', () => {
    expect(parseRedisUrl('redis://user:p%40ss@cache:6380/3')).toEqual({ host: 'cache', port: 6380, username: 'user', password: 'p@ss', db: 3 });
    expect(parseRedisUrl('redis://127.0.0.1')).toMatchObject({ port: 6379, db: 0 });
    expect(() => parseRedisUrl('rediss://x')).toThrow(/only redis:\/\//);
    expect(() => parseRedisUrl('nope')).toThrow(/not a URL/);
  });

  it('works as L2 against a local RESP server (AUTH, SELECT, GET, SET PX, DEL)', async () => {
    const server = await fakeRedis();
    try {
      const tier = new RedisTier(await RedisClient.connect(server.url));
      const cache = new MultiLevelCache<{ v: number }>({ l2: tier, l1: { maxEntries: 1 } });
      await cache.set('a', { v: 1 });
      await cache.set('b', { v: 2 });
      expect(await cache.get('a')).toEqual({ v: 1 }); // from Redis
      expect(await cache.delete('a')).toBe(true);
      expect(await cache.get('a')).toBeUndefined();
      await cache.close();
      expect(server.commands[0]).toEqual(['AUTH', 'sesame']);
      expect(server.commands[1]).toEqual(['SELECT', '2']);
      expect(server.commands).toContainEqual(['SET', 'perfgate:a', '{"v":1}', 'PX', '300000']);
    } finally {
      await server.close();
    }
  });

  it('a refused connection and a server error are clear errors', async () => {
    await expect(RedisClient.connect('redis://127.0.0.1:1')).rejects.toThrow(/cannot connect to Redis at 127\.0\.0\.1:1/);
    const server = await fakeRedis();
    try {
      await expect(RedisClient.connect(server.url.replace('sesame', 'wrong'))).rejects.toThrow(/WRONGPASS/);
    } finally {
      await server.close();
    }
  });
});

const redisServer = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
const noRedis = redisServer ? null : 'no redis-server binary on PATH (apt-get install redis-server to run it)';

describe.skipIf(noRedis)(`real Redis${noRedis ? ` (skipped: ${noRedis})` : ''}`, () => {
  let child: ChildProcess;
  const port = 20000 + Math.floor(Math.random() * 20000);
  beforeAll(async () => {
    child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      try {
        const c = await RedisClient.connect(`redis://127.0.0.1:${port}`);
        await c.close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('redis-server did not start');
  });
  afterAll(() => {
    child?.kill();
  });

  it('is a working L2 with TTLs', async () => {
    const tier = new RedisTier(await RedisClient.connect(`redis://127.0.0.1:${port}`), `t${Date.now()}:`);
    await tier.set('k', 'v', 50);
    expect(await tier.get('k')).toBe('v');
    await new Promise((r) => setTimeout(r, 120));
    expect(await tier.get('k')).toBeUndefined();
    const cache = new MultiLevelCache<number>({ l2: tier, l1: { maxEntries: 1 } });
    await cache.set('x', 7);
    await cache.set('y', 8);
    expect(await cache.get('x')).toBe(7);
    await cache.close();
  });
});
