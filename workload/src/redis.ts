// A minimal Redis client (RESP2 over node:net, no dependency) and the cache tier built on it:
// the multi-level cache's L2 when REDIS_URL is set. Commands are pipelined: each is written at
// once and replies are matched to callers in order.
import net from 'node:net';
import type { CacheTier } from './cache.ts';

export type RespValue = string | number | null | RespValue[];

export class RedisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisError';
  }
}

/** `*n $len arg ...` for one command. */
export function encodeCommand(args: ReadonlyArray<string | number>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/**
 * Incremental RESP2 reply parser: feed() bytes as they arrive; complete replies come out in
 * order (an error reply comes out as a RedisError value).
 */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);

  feed(chunk: Buffer): Array<RespValue | RedisError> {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: Array<RespValue | RedisError> = [];
    let pos = 0;
    for (;;) {
      const r = this.parse(pos);
      if (r === null) break;
      out.push(r.value);
      pos = r.end;
    }
    this.buf = this.buf.subarray(pos);
    return out;
  }

  private line(pos: number): { text: string; end: number } | null {
    const cr = this.buf.indexOf('\r\n', pos);
    if (cr < 0) return null;
    return { text: this.buf.toString('utf8', pos, cr), end: cr + 2 };
  }

  private parse(pos: number): { value: RespValue | RedisError; end: number } | null {
    if (pos >= this.buf.length) return null;
    const type = String.fromCharCode(this.buf[pos]);
    const l = this.line(pos + 1);
    if (l === null) return null;
    switch (type) {
      case '+':
        return { value: l.text, end: l.end };
      case '-':
        return { value: new RedisError(l.text), end: l.end };
      case ':':
        return { value: Number(l.text), end: l.end };
      case '$': {
        const len = Number(l.text);
        if (len < 0) return { value: null, end: l.end };
        if (this.buf.length < l.end + len + 2) return null;
        return { value: this.buf.toString('utf8', l.end, l.end + len), end: l.end + len + 2 };
      }
      case '*': {
        const n = Number(l.text);
        if (n < 0) return { value: null, end: l.end };
        const items: RespValue[] = [];
        let p = l.end;
        for (let i = 0; i < n; i++) {
          const r = this.parse(p);
          if (r === null) return null;
          items.push(r.value instanceof RedisError ? r.value.message : r.value);
          p = r.end;
        }
        return { value: items, end: p };
      }
      default:
        throw new RedisError(`unexpected RESP type byte ${JSON.stringify(type)}`);
    }
  }
}

export interface RedisUrl {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db: number;
}

export function parseRedisUrl(url: string): RedisUrl {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`REDIS_URL "${url}" is not a URL; expected redis://[user:password@]host[:port][/db]`);
  }
  if (u.protocol !== 'redis:') throw new Error(`REDIS_URL "${url}": only redis:// is supported (no TLS), got ${u.protocol}`);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error(`REDIS_URL "${url}": database "${u.pathname.slice(1)}" is not a number`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
  };
}

export class RedisClient {
  private readonly socket: net.Socket;
  private readonly parser = new RespParser();
  private readonly pending: Array<{ resolve: (v: RespValue) => void; reject: (e: Error) => void }> = [];
  private closedError: Error | null = null;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let replies: Array<RespValue | RedisError>;
      try {
        replies = this.parser.feed(chunk);
      } catch (error) {
        this.fail(error as Error);
        return;
      }
      for (const r of replies) {
        const p = this.pending.shift();
        if (!p) continue;
        if (r instanceof RedisError) p.reject(r);
        else p.resolve(r);
      }
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new RedisError('connection closed')));
  }

  private fail(error: Error): void {
    this.closedError ??= error;
    for (const p of this.pending.splice(0)) p.reject(error);
  }

  /** Connects (AUTH and SELECT when the URL asks for them). */
  static async connect(url: string, options: { timeoutMs?: number } = {}): Promise<RedisClient> {
    const target = parseRedisUrl(url);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host: target.host, port: target.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`Redis at ${target.host}:${target.port} did not answer within ${options.timeoutMs ?? 2000} ms`));
      }, options.timeoutMs ?? 2000);
      s.once('connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`cannot connect to Redis at ${target.host}:${target.port}: ${e.message}`));
      });
    });
    const client = new RedisClient(socket);
    try {
      if (target.password !== undefined) {
        await client.command(target.username ? ['AUTH', target.username, target.password] : ['AUTH', target.password]);
      }
      if (target.db !== 0) await client.command(['SELECT', target.db]);
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return client;
  }

  command(args: ReadonlyArray<string | number>): Promise<RespValue> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise<RespValue>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.socket.write(encodeCommand(args));
    });
  }

  async close(): Promise<void> {
    if (this.closedError) return;
    try {
      await this.command(['QUIT']);
    } catch {
      // closing anyway
    }
    this.socket.destroy();
  }
}

/** L2 on Redis: GET, SET ... PX ttl, DEL, under a key prefix. */
export class RedisTier implements CacheTier {
  readonly name = 'redis';
  private readonly client: RedisClient;
  private readonly prefix: string;

  constructor(client: RedisClient, prefix = 'perfgate:') {
    this.client = client;
    this.prefix = prefix;
  }

  async get(key: string): Promise<string | undefined> {
    const v = await this.client.command(['GET', this.prefix + key]);
    return typeof v === 'string' ? v : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    const args: Array<string | number> = ['SET', this.prefix + key, value];
    if (Number.isFinite(ttlMs)) args.push('PX', Math.max(1, Math.round(ttlMs)));
    await this.client.command(args);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.client.command(['DEL', this.prefix + key])) === 1;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** A Redis tier when REDIS_URL is set, else null. */
export async function redisTierFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RedisTier | null> {
  const url = env.REDIS_URL?.trim();
  if (!url) return null;
  return new RedisTier(await RedisClient.connect(url));
}
