// A real headless Chromium for the tests, driven through the DevTools protocol over a pipe
// (--remote-debugging-pipe: commands on the child's fd 3, replies and events on fd 4, each
// message JSON ending in a NUL byte). No WebSocket and no npm dependency: Node 20 has no built-in
// WebSocket client, and the pipe is what puppeteer itself uses by default.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

/** The Chromium executable: PERFGATE_CHROMIUM, else the first of the usual names on PATH; undefined when none. */
export function findChromium(): string | undefined {
  const given = process.env.PERFGATE_CHROMIUM;
  if (given) return existsSync(given) ? given : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of NAMES) {
      const p = path.join(dir, name);
      if (dir && existsSync(p)) return p;
    }
  }
  return undefined;
}

interface Pending {
  resolve: (v: Record<string, unknown>) => void;
  reject: (e: Error) => void;
  method: string;
  timer: NodeJS.Timeout;
}

export interface PageProblems {
  /** console.error / console.assert calls, uncaught exceptions, and browser log entries at level error. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
}

export interface BrowserPage extends PageProblems {
  navigate(url: string): Promise<void>;
  /** Evaluates `expression` in the page (promises awaited) and returns its value as JSON. */
  evaluate<T>(expression: string): Promise<T>;
  /** Polls `expression` until it is truthy; throws after `timeoutMs` naming it. */
  waitFor(expression: string, timeoutMs?: number): Promise<void>;
  /** A PNG of the page: the viewport, or the whole page up to `maxHeight` pixels. */
  screenshot(file: string, opts?: { fullPage?: boolean; maxHeight?: number }): Promise<void>;
}

export interface Browser {
  newPage(viewport?: { width: number; height: number }): Promise<BrowserPage>;
  close(): Promise<void>;
}

export async function launchChromium(executable: string, opts: { timeoutMs?: number } = {}): Promise<Browser> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const profile = mkdtempSync(path.join(os.tmpdir(), 'perfgate-chromium-'));
  const args = [
    '--headless',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-extensions',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--mute-audio',
    `--user-data-dir=${profile}`,
    '--remote-debugging-pipe',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    'about:blank',
  ];
  const child: ChildProcess = spawn(executable, args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stderr?.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString('utf8')).slice(-2000)));
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners: Array<(msg: { method: string; params: Record<string, unknown>; sessionId?: string }) => void> = [];
  let exited: Error | undefined;
  const fail = (err: Error) => {
    exited = err;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
  };
  child.on('error', (err) => fail(new Error(`Chromium (${executable}) did not start: ${err.message}`)));
  child.on('exit', (code, signal) => fail(new Error(`Chromium exited (code ${code}, signal ${signal}). Its stderr ended with:\n${stderrTail}`)));

  let buffer = Buffer.alloc(0);
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    let end: number;
    while ((end = buffer.indexOf(0)) >= 0) {
      const text = buffer.subarray(0, end).toString('utf8');
      buffer = buffer.subarray(end + 1);
      const msg = JSON.parse(text) as { id?: number; result?: Record<string, unknown>; error?: { message: string }; method?: string; params?: Record<string, unknown>; sessionId?: string };
      if (msg.id !== undefined) {
        const p = pending.get(msg.id);
        if (!p) continue;
        pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.error) p.reject(new Error(`${p.method}: ${msg.error.message}`));
        else p.resolve(msg.result ?? {});
      } else if (msg.method) {
        for (const l of listeners) l({ method: msg.method, params: msg.params ?? {}, sessionId: msg.sessionId });
      }
    }
  });

  function send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no answer from Chromium in ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, method, timer });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  await send('Browser.getVersion');

  return {
    async newPage(viewport = { width: 1280, height: 900 }): Promise<BrowserPage> {
      const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
      const cmd = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
      const errors: string[] = [];
      const requests: string[] = [];
      let loaded: (() => void) | undefined;
      listeners.push(({ method, params, sessionId: s }) => {
        if (s !== sessionId) return;
        if (method === 'Runtime.consoleAPICalled' && (params.type === 'error' || params.type === 'assert')) {
          const parts = (params.args as Array<{ value?: unknown; description?: string }>).map((a) => String(a.value ?? a.description ?? ''));
          errors.push(`console.${String(params.type)}: ${parts.join(' ')}`);
        } else if (method === 'Runtime.exceptionThrown') {
          const d = params.exceptionDetails as { text: string; exception?: { description?: string } };
          errors.push(`uncaught: ${d.exception?.description ?? d.text}`);
        } else if (method === 'Log.entryAdded') {
          const e = params.entry as { level: string; text: string; url?: string };
          if (e.level === 'error') errors.push(`log: ${e.text}${e.url ? ` (${e.url})` : ''}`);
        } else if (method === 'Network.requestWillBeSent') {
          requests.push((params.request as { url: string }).url);
        } else if (method === 'Page.loadEventFired') {
          loaded?.();
        }
      });
      await Promise.all([cmd('Page.enable'), cmd('Runtime.enable'), cmd('Log.enable'), cmd('Network.enable')]);
      const setViewport = (width: number, height: number) => cmd('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
      await setViewport(viewport.width, viewport.height);

      const evaluate = async <T>(expression: string): Promise<T> => {
        const r = (await cmd('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
          result: { value?: unknown };
          exceptionDetails?: { text: string; exception?: { description?: string } };
        };
        if (r.exceptionDetails) throw new Error(`in the page, ${expression.slice(0, 80)}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
        return r.result.value as T;
      };

      return {
        errors,
        requests,
        async navigate(url: string) {
          const done = new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`${url} did not finish loading in ${timeoutMs} ms`)), timeoutMs);
            loaded = () => {
              clearTimeout(timer);
              loaded = undefined;
              resolve();
            };
          });
          const r = (await cmd('Page.navigate', { url })) as { errorText?: string };
          if (r.errorText) throw new Error(`Chromium could not open ${url}: ${r.errorText}`);
          await done;
        },
        evaluate,
        async waitFor(expression: string, waitMs = timeoutMs) {
          const until = Date.now() + waitMs;
          for (;;) {
            if (await evaluate<boolean>(`Boolean(${expression})`)) return;
            if (Date.now() > until) throw new Error(`waited ${waitMs} ms for ${expression}`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        async screenshot(file: string, shot = {}) {
          if (shot.fullPage) {
            const height = Math.min(shot.maxHeight ?? 4000, Math.ceil(await evaluate<number>('document.documentElement.scrollHeight')));
            await setViewport(viewport.width, height);
          }
          const { data } = (await cmd('Page.captureScreenshot', { format: 'png' })) as { data: string };
          writeFileSync(file, Buffer.from(data, 'base64'));
          if (shot.fullPage) await setViewport(viewport.width, viewport.height);
        },
      };
    },
    async close() {
      if (!exited) {
        const gone = new Promise<void>((r) => child.once('exit', () => r()));
        await send('Browser.close').catch(() => undefined);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}
