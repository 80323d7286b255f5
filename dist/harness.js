import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/measure/harness.ts
import { existsSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path2 from "node:path";
import { pathToFileURL } from "node:url";
import { probe } from "../native/index.js";

// src/measure/names.ts
import path from "node:path";
var SUITE_EXT = /\.bench\.(?:[cm]?[jt]s|tsx|jsx)$/;
function suiteNameFromFile(file) {
  const base = path.basename(file);
  if (SUITE_EXT.test(base)) return base.replace(SUITE_EXT, "");
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

// src/measure/stats.ts
function sorted(values) {
  return [...values].sort((a, b) => a - b);
}
function quantileSorted(s, q) {
  if (s.length === 0) return 0;
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
function median(values) {
  return quantileSorted(sorted(values), 0.5);
}

// src/measure/sampler.ts
var SAMPLER_DEFAULTS = {
  taskTimeMs: 200,
  minSamples: 5,
  maxSamples: 1e3,
  minSampleNs: 5e4
};
var MIB = 1024 * 1024;
var WARMUP_WINDOW = 5;
var WARMUP_TOLERANCE = 0.03;
function warmupBounds(taskTimeMs, warmupMs) {
  const min = warmupMs ?? Math.min(100, taskTimeMs / 2);
  return { warmupMs: min, warmupMaxMs: Math.max(min, Math.min(1e3, 5 * taskTimeMs)) };
}
function leakProbeDefaultMs(taskTimeMs) {
  return Math.min(taskTimeMs, 100);
}
function warmupSettled(perOp, window = WARMUP_WINDOW, tolerance = WARMUP_TOLERANCE) {
  const n = perOp.length;
  if (n < 3 * window || n % window !== 0) return false;
  const m = [3, 2, 1].map((b) => median(perOp.slice(n - b * window, n - (b - 1) * window)));
  return m[1] >= m[0] * (1 - tolerance) && m[2] >= m[1] * (1 - tolerance);
}
var sink;
function isThenable(x) {
  return !!x && (typeof x === "object" || typeof x === "function") && typeof x.then === "function";
}
async function maybeAwait(x) {
  return isThenable(x) ? await x : x;
}
function overriddenMs(result) {
  if (!result || typeof result !== "object") return void 0;
  const d = result.overriddenDuration;
  return typeof d === "number" && Number.isFinite(d) && d >= 0 ? d : void 0;
}
function describeError(e) {
  if (e instanceof Error) {
    const first = String(e.message || "").split("\n")[0];
    const head = first ? `${e.name}: ${first}` : e.name;
    const frame = (e.stack ?? "").split("\n").map((l) => l.trim()).find((l) => l.startsWith("at "));
    return frame ? `${head} (${frame})` : head;
  }
  return `thrown: ${String(e).split("\n")[0]}`;
}
function inRoundLeak(checkpoints) {
  if (checkpoints.length < 4) return false;
  for (let i = 1; i < checkpoints.length; i++) if (!(checkpoints[i] > checkpoints[i - 1])) return false;
  const total = checkpoints[checkpoints.length - 1] - checkpoints[0];
  const last = checkpoints[checkpoints.length - 1] - checkpoints[checkpoints.length - 2];
  return total >= MIB && last >= 0.1 * total;
}
function heapAfterGc() {
  const gc = globalThis.gc;
  if (typeof gc !== "function") return void 0;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
async function measureTask(spec, clock, wallNow, cfg) {
  const out = { name: spec.name, samples: [], median: 0, batch: 1, calls: 0, async: false };
  const { fn, self } = spec;
  const hooks = !!(spec.beforeEach || spec.afterEach);
  let isAsync = spec.async ?? fn.constructor?.name === "AsyncFunction";
  let overridden = false;
  let mode = "warmup";
  const call = () => fn.call(self);
  const sample = async (k, timed = true) => {
    const w0 = wallNow();
    let cost = 0;
    if (overridden) {
      for (let i = 0; i < k; i++) {
        if (spec.beforeEach) await maybeAwait(spec.beforeEach.call(self, mode));
        const r = isAsync ? await call() : call();
        sink = r;
        cost += (overriddenMs(r) ?? 0) * 1e6;
        if (spec.afterEach) await maybeAwait(spec.afterEach.call(self, mode));
      }
    } else if (hooks) {
      for (let i = 0; i < k; i++) {
        if (spec.beforeEach) {
          const h = spec.beforeEach.call(self, mode);
          if (isThenable(h)) await h;
        }
        if (isAsync) {
          const t = clock.start();
          sink = await call();
          cost += clock.stop(t);
        } else {
          const t = clock.start();
          sink = call();
          cost += clock.stop(t);
        }
        if (spec.afterEach) {
          const h = spec.afterEach.call(self, mode);
          if (isThenable(h)) await h;
        }
      }
    } else if (isAsync) {
      const t = clock.start();
      for (let i = 0; i < k; i++) sink = await call();
      cost = clock.stop(t);
    } else {
      const t = clock.start();
      for (let i = 0; i < k; i++) sink = call();
      cost = clock.stop(t);
    }
    if (!overridden) cost = Math.max(0, cost - clock.overhead * (hooks ? k : 1));
    if (timed && cfg.inject > 1 && !overridden) {
      if (clock.now) {
        const extra = (cfg.inject - 1) * cost;
        const s = clock.now();
        let e = 0;
        while ((e = clock.now() - s) < extra) ;
        cost += e;
      } else {
        cost *= cfg.inject;
      }
    }
    return { cost, wall: wallNow() - w0 };
  };
  const before = heapAfterGc();
  let probeGrowth = 0;
  let setupDone = null;
  let beforeAllDone = false;
  try {
    if (spec.setup) await maybeAwait(spec.setup(self, "warmup"));
    setupDone = "warmup";
    if (spec.beforeAll) await maybeAwait(spec.beforeAll.call(self, "warmup"));
    beforeAllDone = true;
    try {
      if (spec.beforeEach) await maybeAwait(spec.beforeEach.call(self, mode));
      const first = call();
      if (isThenable(first)) isAsync = true;
      const firstValue = isAsync ? await first : first;
      if (spec.afterEach) await maybeAwait(spec.afterEach.call(self, mode));
      if (overriddenMs(firstValue) !== void 0 && clock.kind !== "instructions") overridden = true;
      out.async = isAsync;
      const timeClock = clock.kind !== "instructions";
      const target = Math.max(cfg.minSampleNs, cfg.taskTimeMs * 1e6 / cfg.maxSamples, timeClock ? 100 * clock.resolution : 0, timeClock ? 100 * clock.overhead : 0);
      const warmupNs = cfg.warmupMs * 1e6;
      const warmupMaxNs = Math.max(warmupNs, (cfg.warmupMaxMs ?? cfg.warmupMs) * 1e6);
      const wStart = wallNow();
      for (let i = 0; i < 10 && wallNow() - wStart < warmupNs / 4; i++) await sample(1);
      const timedCost = (r) => hooks && clock.kind !== "instructions" ? r.cost : r.wall;
      const wallCap = hooks ? Math.max(target, cfg.taskTimeMs * 1e6 / 10) : Infinity;
      let k = 1;
      if (!overridden) {
        for (; ; ) {
          const r = await sample(k);
          const t = timedCost(r);
          if (t >= target || r.wall >= wallCap || k >= 1e9) break;
          const factor = Math.min(100, Math.max(2, Math.ceil(target * 1.25 / Math.max(t, 1))));
          k = Math.min(1e9, k * factor, hooks ? Math.max(k + 1, Math.floor(k * wallCap / Math.max(r.wall, 1))) : Infinity);
        }
      }
      let recent = [];
      const perOp = [];
      for (; ; ) {
        const r = await sample(k);
        recent.push(r);
        perOp.push(r.cost / k);
        const elapsed = wallNow() - wStart;
        if (elapsed >= warmupMaxNs || perOp.length >= 1e4) break;
        if (elapsed >= warmupNs && warmupSettled(perOp)) break;
      }
      out.warmupSamples = perOp.length;
      for (let i = 0; i < 5 && !overridden; i++) {
        const last = recent.slice(-3);
        const t = median(last.map(timedCost));
        const w = median(last.map((r) => r.wall));
        if (!(t > 0) || t >= target * 0.8 || w >= wallCap || k >= 1e9) break;
        k = Math.min(1e9, Math.ceil(k * target * 1.1 / t), hooks ? Math.max(k + 1, Math.floor(k * wallCap / Math.max(w, 1))) : Infinity);
        recent = [];
        for (let j = 0; j < 3; j++) recent.push(await sample(k));
      }
      out.batch = k;
      out.warmupMs = (wallNow() - wStart) / 1e6;
    } finally {
      if (beforeAllDone && spec.afterAll) await maybeAwait(spec.afterAll.call(self, "warmup"));
      beforeAllDone = false;
    }
    if (spec.teardown) await maybeAwait(spec.teardown(self, "warmup"));
    setupDone = null;
    mode = "run";
    if (spec.setup) await maybeAwait(spec.setup(self, "run"));
    setupDone = "run";
    if (spec.beforeAll) await maybeAwait(spec.beforeAll.call(self, "run"));
    beforeAllDone = true;
    try {
      const k = out.batch;
      const budget = cfg.taskTimeMs * 1e6;
      const sw0 = cfg.switches?.();
      const t0 = wallNow();
      let elapsed = 0;
      for (; ; ) {
        const { cost } = await sample(k);
        out.samples.push(cost / k);
        out.calls += k;
        const n = out.samples.length;
        elapsed = wallNow() - t0;
        if (n >= cfg.maxSamples) break;
        if (elapsed >= budget && n >= cfg.minSamples) break;
        if (elapsed >= 10 * budget) break;
      }
      out.samplingMs = elapsed / 1e6;
      const sw1 = cfg.switches?.();
      if (sw0 !== void 0 && sw1 !== void 0) out.involuntarySwitches = Math.max(0, sw1 - sw0);
      const c0 = cfg.heapCheckpoints ? heapAfterGc() : void 0;
      if (c0 !== void 0) {
        const checkpoints = [c0];
        const quarterNs = (cfg.leakProbeMs ?? leakProbeDefaultMs(cfg.taskTimeMs)) * 1e6 / 4;
        const perSample = elapsed / Math.max(1, out.samples.length);
        const samplesPerQuarter = Math.max(1, Math.min(1e5, Math.round(quarterNs / Math.max(perSample, 1))));
        let probeCalls = 0;
        for (let q = 0; q < 4; q++) {
          const q0 = wallNow();
          for (let i = 0; i < samplesPerQuarter; i++) {
            await sample(k, false);
            probeCalls += k;
            if (wallNow() - q0 >= 4 * quarterNs) break;
          }
          checkpoints.push(heapAfterGc());
        }
        out.heapCheckpoints = checkpoints;
        out.leakInRound = inRoundLeak(checkpoints);
        out.leakProbeCalls = probeCalls;
        probeGrowth = Math.max(0, checkpoints[checkpoints.length - 1] - c0);
      }
    } finally {
      if (beforeAllDone && spec.afterAll) await maybeAwait(spec.afterAll.call(self, "run"));
      beforeAllDone = false;
    }
    if (spec.teardown) await maybeAwait(spec.teardown(self, "run"));
    setupDone = null;
  } catch (e) {
    out.error = describeError(e);
    if (setupDone && spec.teardown) {
      try {
        await maybeAwait(spec.teardown(self, setupDone));
      } catch {
      }
    }
  }
  out.median = out.samples.length ? median(out.samples) : 0;
  const after = heapAfterGc();
  if (before !== void 0 && after !== void 0) {
    out.heapAfterBytes = after - probeGrowth;
    out.heapRetainedBytes = out.heapAfterBytes - before;
  }
  return out;
}
function clockCharacter(read, wallNow) {
  for (let i = 0; i < 1e3; i++) read();
  let resolution = Infinity;
  for (let trial = 0; trial < 50; trial++) {
    const a = read();
    let b = read();
    const w0 = wallNow();
    while (b === a && wallNow() - w0 < 2e7) b = read();
    if (b > a) resolution = Math.min(resolution, b - a);
  }
  const deltas = [];
  for (let i = 0; i < 200; i++) {
    const t = read();
    for (let j = 0; j < 9; j++) read();
    deltas.push((read() - t) / 10);
  }
  const overhead = sorted(deltas)[Math.floor(deltas.length / 2)];
  return { resolution: Number.isFinite(resolution) ? resolution : 1, overhead: Math.max(0, overhead) };
}

// src/measure/harness.ts
var captured = /* @__PURE__ */ new WeakMap();
var filledBenches = [];
var PATCHED = /* @__PURE__ */ Symbol.for("perfgate.patched");
function isBench(x) {
  return !!x && typeof x === "object" && typeof x.add === "function" && Array.isArray(x.tasks);
}
function patchBenchClass(Bench) {
  if (typeof Bench !== "function") return false;
  const proto = Bench.prototype;
  if (!proto || typeof proto.add !== "function") return false;
  if (proto[PATCHED]) return true;
  const add = proto.add;
  proto.add = function(name, fn, opts) {
    const result = add.call(this, name, fn, opts);
    let map = captured.get(this);
    if (!map) {
      map = /* @__PURE__ */ new Map();
      captured.set(this, map);
      filledBenches.push(this);
    }
    if (typeof fn === "function") map.set(String(name), { fn, opts: opts && typeof opts === "object" ? opts : {} });
    return result;
  };
  proto.run = async function() {
    return this.tasks;
  };
  proto.runSync = function() {
    return this.tasks;
  };
  proto[PATCHED] = true;
  return true;
}
function collectTargets(x, out) {
  if (typeof x === "string") out.add(x);
  else if (Array.isArray(x)) for (const v of x) collectTargets(v, out);
  else if (x && typeof x === "object") {
    for (const [cond, v] of Object.entries(x)) if (cond !== "types" && !cond.startsWith("./")) collectTargets(v, out);
  }
}
function tinybenchDirs(dirs) {
  const found = /* @__PURE__ */ new Set();
  for (const start of dirs) {
    let d = path2.resolve(start);
    for (; ; ) {
      const pj = path2.join(d, "node_modules", "tinybench", "package.json");
      if (existsSync(pj)) found.add(realpathSync(path2.dirname(pj)));
      const up = path2.dirname(d);
      if (up === d) break;
      d = up;
    }
    try {
      const f = createRequire(path2.join(start, "noop.js")).resolve("tinybench");
      for (let d2 = path2.dirname(f); d2 !== path2.dirname(d2); d2 = path2.dirname(d2)) {
        const pj = path2.join(d2, "package.json");
        if (existsSync(pj) && JSON.parse(readFileSync(pj, "utf8")).name === "tinybench") {
          found.add(realpathSync(d2));
          break;
        }
      }
    } catch {
    }
  }
  return [...found];
}
async function patchTinybench(dirs) {
  let patched = 0;
  for (const dir of tinybenchDirs(dirs)) {
    let pkg;
    try {
      pkg = JSON.parse(readFileSync(path2.join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    const targets = /* @__PURE__ */ new Set();
    const exp = pkg.exports;
    if (exp && typeof exp === "object" && !Array.isArray(exp) && Object.keys(exp).some((k) => k.startsWith("."))) {
      collectTargets(exp["."], targets);
    } else collectTargets(exp, targets);
    if (pkg.module) targets.add(pkg.module);
    if (pkg.main) targets.add(pkg.main);
    if (targets.size === 0) targets.add("index.js");
    for (const t of targets) {
      const file = path2.resolve(dir, t);
      if (!existsSync(file) || /\.d\.[cm]?ts$/.test(file)) continue;
      try {
        const ns = await import(pathToFileURL(realpathSync(file)).href);
        if (patchBenchClass(ns.Bench ?? ns.default?.Bench)) patched++;
      } catch {
      }
    }
  }
  return patched;
}
function makeClock(kind, wallNow) {
  if (kind === "wall") {
    const read = () => probe.monotonicNs();
    const c = clockCharacter(read, wallNow);
    return { kind, start: read, stop: (t) => read() - t, now: read, ...c };
  }
  if (kind === "cpu") {
    const read = () => probe.threadCpuNs();
    const c = clockCharacter(read, wallNow);
    return { kind, start: read, stop: (t) => read() - t, now: read, ...c };
  }
  const counter = probe.instructions();
  if (!counter.available) throw new Error(`clock instructions is unavailable here: ${counter.reason}; use --clock wall or cpu`);
  const overheads = [];
  for (let i = 0; i < 21; i++) overheads.push(counter.stop(counter.start()));
  overheads.sort((a, b) => a - b);
  return { kind, start: () => counter.start(), stop: (h) => counter.stop(h), resolution: 1, overhead: overheads[10] };
}
function injectFactor(env, suite, task) {
  if (!env) return 1;
  let map;
  try {
    map = JSON.parse(env);
  } catch {
    throw new Error(`PERFGATE_INJECT is not JSON: ${env.slice(0, 80)}`);
  }
  const v = map[`${suite}/${task}`] ?? map["*"];
  const f = typeof v === "number" ? v : Number(v);
  return Number.isFinite(f) && f > 1 ? f : 1;
}
function switchCounter() {
  if (process.platform === "linux") {
    const read = () => {
      try {
        const m = /nonvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync("/proc/thread-self/status", "utf8"));
        return m ? Number(m[1]) : void 0;
      } catch {
        return void 0;
      }
    };
    if (read() !== void 0) return read;
  }
  return () => probe.rusage().involuntaryContextSwitches;
}
function jsonSafe(x) {
  try {
    return x === void 0 ? void 0 : JSON.parse(JSON.stringify(x));
  } catch {
    return void 0;
  }
}
async function resolveBenches(mod, file) {
  let def = mod.default;
  try {
    if (typeof def === "function" && !isBench(def)) def = await def();
    else if (def && typeof def.then === "function") def = await def;
  } catch (e) {
    throw new Error(`its default export failed: ${describeError(e)}`);
  }
  if (isBench(def)) return [def];
  if (Array.isArray(def) && def.length && def.every(isBench)) return def;
  if (def === void 0) {
    const filled = filledBenches.filter(isBench);
    if (filled.length) return filled;
    throw new Error(`${file} defines no tinybench tasks: add \`export default bench\` (a tinybench Bench with tasks added).`);
  }
  throw new Error(`the default export of ${file} is not a tinybench Bench (nor a function returning one); export the Bench: \`export default bench\`.`);
}
async function main() {
  const started = performance.now();
  const cfg = JSON.parse(process.argv[2] ?? "{}");
  process.env.PERFGATE_HARNESS = "1";
  if (cfg.deadlineMs) setTimeout(() => process.exit(124), cfg.deadlineMs).unref();
  const out = { suite: suiteNameFromFile(cfg.suiteFile), tasks: [], elapsedMs: 0, probe: probe.kind };
  const wallNow = () => probe.monotonicNs();
  let mod;
  try {
    await patchTinybench([path2.dirname(cfg.suiteFile), process.cwd()]);
    try {
      mod = await import(pathToFileURL(cfg.suiteFile).href);
    } catch (e) {
      throw new Error(`failed to load: ${describeError(e)}`);
    }
    const name = mod.perfgate?.suite;
    if (typeof name === "string" && name.trim()) out.suite = name.trim();
    const benches = await resolveBenches(mod, path2.basename(cfg.suiteFile));
    const specs = [];
    const seen = /* @__PURE__ */ new Set();
    for (const bench of benches) {
      for (const task of bench.tasks) {
        let name2 = benches.length > 1 && bench.name ? `${bench.name}: ${task.name}` : task.name;
        for (let i = 2; seen.has(name2); i++) name2 = `${task.name} (${i})`;
        seen.add(name2);
        const cap = captured.get(bench)?.get(task.name);
        const legacy = task;
        const fn = cap?.fn ?? (typeof legacy.fn === "function" ? legacy.fn : void 0);
        const opts = cap?.opts ?? legacy.opts ?? legacy.fnOpts ?? {};
        if (!fn) {
          specs.push({
            name: name2,
            samples: [],
            median: 0,
            batch: 1,
            calls: 0,
            async: false,
            error: `perfgate could not reach the function of task "${task.name}": the suite's tinybench is not a copy found under node_modules from ${path2.dirname(cfg.suiteFile)}`
          });
          continue;
        }
        const hook = (k) => typeof opts[k] === "function" ? opts[k] : void 0;
        specs.push({
          name: name2,
          fn,
          self: task,
          beforeAll: hook("beforeAll"),
          afterAll: hook("afterAll"),
          beforeEach: hook("beforeEach"),
          afterEach: hook("afterEach"),
          async: typeof opts.async === "boolean" ? opts.async : void 0,
          setup: typeof bench.setup === "function" ? bench.setup.bind(bench) : void 0,
          teardown: typeof bench.teardown === "function" ? bench.teardown.bind(bench) : void 0
        });
      }
    }
    if (specs.length === 0) throw new Error(`${path2.basename(cfg.suiteFile)} exports a Bench without tasks.`);
    let clock;
    try {
      clock = makeClock(cfg.clock, wallNow);
    } catch (e) {
      out.tasks = specs.map((s) => ({ name: s.name, samples: [], median: 0, batch: 1, calls: 0, async: false, error: e.message }));
      throw e;
    }
    out.clockResolution = clock.resolution;
    out.clockOverhead = clock.overhead;
    const taskTimeMs = cfg.taskTimeMs ?? SAMPLER_DEFAULTS.taskTimeMs;
    const warmup = warmupBounds(taskTimeMs, cfg.warmupMs);
    const switches = switchCounter();
    for (const s of specs) {
      if (!("fn" in s)) {
        out.tasks.push(s);
        continue;
      }
      out.tasks.push(
        await measureTask(s, clock, wallNow, {
          taskTimeMs,
          warmupMs: warmup.warmupMs,
          warmupMaxMs: Math.max(warmup.warmupMs, cfg.warmupMaxMs ?? warmup.warmupMaxMs),
          minSamples: cfg.minSamples ?? SAMPLER_DEFAULTS.minSamples,
          maxSamples: cfg.maxSamples ?? SAMPLER_DEFAULTS.maxSamples,
          minSampleNs: cfg.minSampleNs ?? SAMPLER_DEFAULTS.minSampleNs,
          heapCheckpoints: cfg.heapCheckpoints ?? true,
          leakProbeMs: cfg.leakProbeMs ?? leakProbeDefaultMs(taskTimeMs),
          inject: injectFactor(process.env.PERFGATE_INJECT, out.suite, s.name),
          switches
        })
      );
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : describeError(e);
  }
  if (mod?.perfgate !== void 0) out.meta = jsonSafe(mod.perfgate);
  const ru = probe.rusage();
  out.rusage = { maxRssBytes: ru.maxRssBytes, involuntaryContextSwitches: ru.involuntaryContextSwitches, voluntaryContextSwitches: ru.voluntaryContextSwitches };
  out.elapsedMs = performance.now() - started;
  writeFileSync(cfg.outFile, `${JSON.stringify(out)}
`);
  process.exit(0);
}
void main().catch((e) => {
  process.stderr.write(`perfgate harness: ${describeError(e)}
`);
  process.exit(70);
});
//# sourceMappingURL=harness.js.map
