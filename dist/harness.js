import { createRequire as __pgCreateRequire } from 'node:module'; const require = __pgCreateRequire(import.meta.url);

// src/measure/harness.ts
import { existsSync, readFileSync as readFileSync2, realpathSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path2 from "node:path";
import { PerformanceObserver, constants as perfConstants } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { probe as probe2 } from "../native/index.js";

// src/measure/background.ts
var KEY = /* @__PURE__ */ Symbol.for("perfgate.background");
function registry() {
  const g = globalThis;
  return g[KEY] ??= /* @__PURE__ */ new Map();
}
function backgroundOf(task) {
  return registry().get(task);
}

// src/measure/callgrind.ts
import { accessSync, constants, readFileSync, rmSync } from "node:fs";
import { probe } from "../native/index.js";
var CALLGRIND_OUT_ENV = "PERFGATE_CALLGRIND_OUT";
function parseCallgrindDump(text, file = "callgrind dump") {
  const names = /^events:\s*(.+)$/m.exec(text)?.[1]?.trim().split(/\s+/);
  const totals = (/^totals:\s*(.*)$/m.exec(text) ?? /^summary:\s*(.*)$/m.exec(text))?.[1]?.trim();
  if (!names || totals === void 0) throw new Error(`${file} has no events:/totals: lines (not a callgrind dump?)`);
  const values = totals === "" ? [] : totals.split(/\s+/).map(Number);
  const events = {};
  names.forEach((n, i) => {
    const v = values[i] ?? 0;
    if (!Number.isFinite(v)) throw new Error(`${file}: totals value ${values[i]} of ${n} is not a number`);
    events[n] = v;
  });
  return { events };
}
function estimatedCycles(events) {
  const need = ["Ir", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"];
  if (!need.every((n) => typeof events[n] === "number")) return void 0;
  const e = (n) => events[n];
  return e("Ir") + 10 * (e("I1mr") + e("D1mr") + e("D1mw")) + 100 * (e("ILmr") + e("DLmr") + e("DLmw"));
}
function callgrindClock(outFile, control = probe.callgrind()) {
  if (!control.available) {
    throw new Error(`clock instructions (callgrind): ${control.reason}; the parent starts the suite under valgrind when ${CALLGRIND_OUT_ENV} is set`);
  }
  control.instrument(true);
  let dumps = 0;
  const totals = { instructions: 0, cycles: 0 };
  const read = () => {
    dumps++;
    const file = `${outFile}.${dumps}`;
    let text;
    try {
      text = readFileSync(file, "utf8");
    } catch (e) {
      throw new Error(`callgrind dump ${file} is missing (${e.message}): is the process running under valgrind --tool=callgrind with --callgrind-out-file=${outFile}?`);
    }
    rmSync(file, { force: true });
    const { events } = parseCallgrindDump(text, file);
    const ir = events.Ir ?? 0;
    virtualNs += ir * VIRTUAL_NS_PER_INSTRUCTION;
    totals.instructions += ir;
    totals.cycles += estimatedCycles(events) ?? 0;
    return ir;
  };
  const start = () => {
    control.collect();
    return 0;
  };
  const stop = (_token) => {
    control.dump();
    return read();
  };
  const overheads = [];
  for (let i = 0; i < 9; i++) overheads.push(stop(start()));
  overheads.sort((a, b) => a - b);
  return { kind: "instructions", start, stop, resolution: 1, overhead: overheads[4], totals: () => ({ ...totals }) };
}
var VIRTUAL_NS_PER_INSTRUCTION = 1;
var VIRTUAL_NS_PER_READING = 100;
var virtualNs = 0;
function virtualNow() {
  virtualNs += VIRTUAL_NS_PER_READING;
  return virtualNs;
}

// src/measure/names.ts
import path from "node:path";
var SUITE_EXT = /\.bench\.(?:[cm]?[jt]s|tsx|jsx)$/;
function suiteNameFromFile(file) {
  const base = path.basename(file);
  if (SUITE_EXT.test(base)) return base.replace(SUITE_EXT, "");
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

// src/stats/ranks.ts
function sorted(values) {
  return [...values].sort((a, b) => a - b);
}
function medianOfSorted(s) {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
function median(values) {
  return medianOfSorted(sorted(values));
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
var REFERENCE_ITERATIONS = 2e4;
var REFERENCE_EVERY_MS = 5;
var REFERENCE_REPEATS = 3;
var SLOW_SPELL_FACTOR = 1.2;
var referenceSink = 1;
function referenceWork() {
  let x = referenceSink | 1;
  for (let i = 0; i < REFERENCE_ITERATIONS; i++) x = Math.imul(x ^ x >>> 13, 1540483477) + i | 0;
  referenceSink = x;
  return x;
}
var SpeedReference = class {
  fastest = Infinity;
  warmed = false;
  /** One check: the best of REFERENCE_REPEATS timed loops on `clock`, in its unit. */
  check(clock) {
    if (!this.warmed) {
      this.warmed = true;
      for (let i = 0; i < 200; i++) referenceWork();
    }
    let best = Infinity;
    for (let r = 0; r < REFERENCE_REPEATS; r++) {
      const t = clock.start();
      referenceWork();
      best = Math.min(best, Math.max(0, clock.stop(t) - clock.overhead));
    }
    if (best > 0) this.fastest = Math.min(this.fastest, best);
    return best;
  }
};
var speed = new SpeedReference();
function slowChecks(checks, fastest) {
  return checks.filter((c) => c > SLOW_SPELL_FACTOR * fastest).length;
}
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
function minorGc(gc = globalThis.gc) {
  return typeof gc === "function" ? () => gc({ type: "minor" }) : void 0;
}
function heapAfterGc() {
  const gc = globalThis.gc;
  if (typeof gc !== "function") return void 0;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
var TaskSession = class {
  out;
  hooks;
  isAsync;
  overridden = false;
  mode = "warmup";
  setupDone = null;
  beforeAllDone = false;
  before;
  probeGrowth = 0;
  closed = false;
  /** Speed-reference checks around and inside this task's sampling windows (clock units per loop). */
  refChecks = [];
  /** What the clock's totals grew by over this task's kept (timed) sampling windows. */
  counted = { instructions: 0, cycles: 0 };
  spec;
  clock;
  wallNow;
  cfg;
  constructor(spec, clock, wallNow, cfg) {
    this.spec = spec;
    this.clock = clock;
    this.wallNow = wallNow;
    this.cfg = cfg;
    this.out = { name: spec.name, samples: [], median: 0, batch: 1, calls: 0, async: false, ...cfg.inject > 1 ? { injected: cfg.inject } : {} };
    this.hooks = !!(spec.beforeEach || spec.afterEach);
    this.isAsync = spec.async ?? spec.fn.constructor?.name === "AsyncFunction";
  }
  get failed() {
    return this.out.error !== void 0;
  }
  call() {
    return this.spec.fn.call(this.spec.self);
  }
  /**
   * One sample of k calls: returns the cost on the clock (and the wall duration). `timed` false
   * (the leak probe) skips the injected slowdown: nobody reads that cost.
   */
  async sample(k, timed = true) {
    const { spec, clock, cfg, wallNow } = this;
    const self = spec.self;
    const mode = this.mode;
    const w0 = wallNow();
    let cost = 0;
    if (this.overridden) {
      for (let i = 0; i < k; i++) {
        if (spec.beforeEach) await maybeAwait(spec.beforeEach.call(self, mode));
        const r = this.isAsync ? await this.call() : this.call();
        sink = r;
        cost += (overriddenMs(r) ?? 0) * 1e6;
        if (spec.afterEach) await maybeAwait(spec.afterEach.call(self, mode));
      }
    } else if (this.hooks) {
      for (let i = 0; i < k; i++) {
        if (spec.beforeEach) {
          const h = spec.beforeEach.call(self, mode);
          if (isThenable(h)) await h;
        }
        if (this.isAsync) {
          const t = clock.start();
          sink = await this.call();
          cost += clock.stop(t);
        } else {
          const t = clock.start();
          sink = this.call();
          cost += clock.stop(t);
        }
        if (spec.afterEach) {
          const h = spec.afterEach.call(self, mode);
          if (isThenable(h)) await h;
        }
      }
    } else if (this.isAsync) {
      const t = clock.start();
      for (let i = 0; i < k; i++) sink = await this.call();
      cost = clock.stop(t);
    } else {
      const t = clock.start();
      for (let i = 0; i < k; i++) sink = this.call();
      cost = clock.stop(t);
    }
    if (!this.overridden) {
      const intervals = this.hooks ? k : 1;
      cost = Math.max(clock.resolution * intervals, cost - clock.overhead * intervals);
    }
    if (timed && cfg.inject > 1 && this.overridden) {
      cost *= cfg.inject;
    } else if (timed && cfg.inject > 1) {
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
  }
  async fail(e) {
    this.out.error ??= describeError(e);
    const { spec } = this;
    if (this.beforeAllDone && spec.afterAll) {
      this.beforeAllDone = false;
      try {
        await maybeAwait(spec.afterAll.call(spec.self, this.mode));
      } catch {
      }
    }
    if (this.setupDone && spec.teardown) {
      const phase = this.setupDone;
      this.setupDone = null;
      try {
        await maybeAwait(spec.teardown(spec.self, phase));
      } catch {
      }
    }
  }
  /** The warmup phase, then the run phase opened. Returns false when the task failed. */
  async warm() {
    const { spec, clock, cfg, wallNow, out } = this;
    const self = spec.self;
    this.before = heapAfterGc();
    try {
      if (spec.setup) await maybeAwait(spec.setup(self, "warmup"));
      this.setupDone = "warmup";
      if (spec.beforeAll) await maybeAwait(spec.beforeAll.call(self, "warmup"));
      this.beforeAllDone = true;
      if (spec.beforeEach) await maybeAwait(spec.beforeEach.call(self, this.mode));
      const first = this.call();
      if (isThenable(first)) this.isAsync = true;
      const firstValue = this.isAsync ? await first : first;
      if (spec.afterEach) await maybeAwait(spec.afterEach.call(self, this.mode));
      if (overriddenMs(firstValue) !== void 0 && clock.kind !== "instructions") this.overridden = true;
      out.async = this.isAsync;
      const timeClock = clock.kind !== "instructions";
      const target = Math.max(cfg.minSampleNs, cfg.taskTimeMs * 1e6 / cfg.maxSamples, timeClock ? 100 * clock.resolution : 0, timeClock ? 100 * clock.overhead : 0);
      const warmupNs = cfg.warmupMs * 1e6;
      const warmupMaxNs = Math.max(warmupNs, (cfg.warmupMaxMs ?? cfg.warmupMs) * 1e6);
      const wStart = wallNow();
      for (let i = 0; i < 10 && wallNow() - wStart < warmupNs / 4; i++) await this.sample(1);
      const hooks = this.hooks;
      const timedCost = (r) => hooks && clock.kind !== "instructions" ? r.cost : r.wall;
      const wallCap = hooks ? Math.max(target, cfg.taskTimeMs * 1e6 / 10) : Infinity;
      let k = 1;
      if (!this.overridden) {
        for (; ; ) {
          const r = await this.sample(k);
          const t = timedCost(r);
          if (t >= target || r.wall >= wallCap || k >= 1e9) break;
          const factor = Math.min(100, Math.max(2, Math.ceil(target * 1.25 / Math.max(t, 1))));
          k = Math.min(1e9, k * factor, hooks ? Math.max(k + 1, Math.floor(k * wallCap / Math.max(r.wall, 1))) : Infinity);
        }
      }
      let recent = [];
      const perOp = [];
      for (; ; ) {
        const r = await this.sample(k);
        recent.push(r);
        perOp.push(r.cost / k);
        const elapsed = wallNow() - wStart;
        if (elapsed >= warmupMaxNs || perOp.length >= 1e4) break;
        if (elapsed >= warmupNs && warmupSettled(perOp)) break;
      }
      out.warmupSamples = perOp.length;
      for (let i = 0; i < 5 && !this.overridden; i++) {
        const last = recent.slice(-3);
        const t = median(last.map(timedCost));
        const w = median(last.map((r) => r.wall));
        if (!(t > 0) || t >= target * 0.8 || w >= wallCap || k >= 1e9) break;
        k = Math.min(1e9, Math.ceil(k * target * 1.1 / t), hooks ? Math.max(k + 1, Math.floor(k * wallCap / Math.max(w, 1))) : Infinity);
        recent = [];
        for (let j = 0; j < 3; j++) recent.push(await this.sample(k));
      }
      out.batch = k;
      out.warmupMs = (wallNow() - wStart) / 1e6;
      this.beforeAllDone = false;
      if (spec.afterAll) await maybeAwait(spec.afterAll.call(self, "warmup"));
      this.setupDone = null;
      if (spec.teardown) await maybeAwait(spec.teardown(self, "warmup"));
      this.mode = "run";
      if (spec.setup) await maybeAwait(spec.setup(self, "run"));
      this.setupDone = "run";
      if (spec.beforeAll) await maybeAwait(spec.beforeAll.call(self, "run"));
      this.beforeAllDone = true;
      return true;
    } catch (e) {
      await this.fail(e);
      return false;
    }
  }
  /**
   * Timed batches of k calls for at least `ms` wall milliseconds and at least `minBatches`
   * batches (at most `maxBatches`, or 10 × ms whatever the count): the per-op cost of each batch.
   * They are also appended to `out.samples` when `keep` (the round design keeps all of them).
   */
  async sampleFor(ms, minBatches, maxBatches, keep = true) {
    if (this.failed || this.mode !== "run") return [];
    const k = this.out.batch;
    const budget = ms * 1e6;
    const costs = [];
    const reference = keep && this.cfg.reference !== false && this.clock.kind !== "instructions" && !this.overridden;
    const checkEvery = REFERENCE_EVERY_MS * 1e6;
    if (reference) this.refChecks.push(speed.check(this.clock));
    const totals0 = keep ? this.clock.totals?.() : void 0;
    const t0 = this.wallNow();
    let lastCheck = t0;
    let elapsed = 0;
    const scavenge2 = this.clock.kind === "instructions" && k === 1 ? minorGc() : void 0;
    try {
      for (; ; ) {
        scavenge2?.();
        const { cost } = await this.sample(k);
        costs.push(cost / k);
        this.out.calls += k;
        const now = this.wallNow();
        elapsed = now - t0;
        if (reference && now - lastCheck >= checkEvery) {
          this.refChecks.push(speed.check(this.clock));
          lastCheck = this.wallNow();
        }
        if (costs.length >= maxBatches) break;
        if (elapsed >= budget && costs.length >= minBatches) break;
        if (elapsed >= 10 * budget) break;
      }
    } catch (e) {
      await this.fail(e);
    }
    if (reference && costs.length) this.refChecks.push(speed.check(this.clock));
    const totals1 = totals0 && this.clock.totals?.();
    if (totals0 && totals1) {
      this.counted.instructions += totals1.instructions - totals0.instructions;
      this.counted.cycles += totals1.cycles - totals0.cycles;
    }
    this.out.samplingMs = (this.out.samplingMs ?? 0) + elapsed / 1e6;
    if (keep) for (const c of costs) this.out.samples.push(c);
    return costs;
  }
  /** The untimed leak probe: four quarters of equal call counts, a heap checkpoint around each. */
  async leakProbe() {
    if (this.failed || this.mode !== "run") return;
    const { cfg, out, wallNow } = this;
    const c0 = cfg.heapCheckpoints ? heapAfterGc() : void 0;
    if (c0 === void 0) return;
    try {
      const k = out.batch;
      const checkpoints = [c0];
      const quarterNs = (cfg.leakProbeMs ?? leakProbeDefaultMs(cfg.taskTimeMs)) * 1e6 / 4;
      const perSample = (out.samplingMs ?? 0) * 1e6 / Math.max(1, out.samples.length);
      const samplesPerQuarter = Math.max(1, Math.min(1e5, Math.round(quarterNs / Math.max(perSample, 1))));
      let probeCalls = 0;
      for (let q = 0; q < 4; q++) {
        const q0 = wallNow();
        for (let i = 0; i < samplesPerQuarter; i++) {
          await this.sample(k, false);
          probeCalls += k;
          if (wallNow() - q0 >= 4 * quarterNs) break;
        }
        checkpoints.push(heapAfterGc());
      }
      out.heapCheckpoints = checkpoints;
      out.leakInRound = inRoundLeak(checkpoints);
      out.leakProbeCalls = probeCalls;
      this.probeGrowth = Math.max(0, checkpoints[checkpoints.length - 1] - c0);
    } catch (e) {
      await this.fail(e);
    }
  }
  /** Ends the run phase (afterAll, teardown); the output with its median and retained heap. */
  async close() {
    const { spec, out } = this;
    if (this.closed) return out;
    this.closed = true;
    if (!this.failed) {
      try {
        if (this.beforeAllDone && spec.afterAll) {
          this.beforeAllDone = false;
          await maybeAwait(spec.afterAll.call(spec.self, this.mode));
        }
        if (this.setupDone && spec.teardown) {
          const phase = this.setupDone;
          this.setupDone = null;
          await maybeAwait(spec.teardown(spec.self, phase));
        }
      } catch (e) {
        await this.fail(e);
      }
    }
    out.median = out.samples.length ? median(out.samples) : 0;
    if (out.samples.length && this.counted.instructions > 0 && this.counted.cycles > 0) {
      out.estimatedCycles = out.median * (this.counted.cycles / this.counted.instructions);
    }
    const checks = this.refChecks.filter((c) => c > 0);
    if (checks.length) {
      out.reference = median(checks);
      out.referenceChecks = checks.length;
      out.referenceSlow = slowChecks(checks, speed.fastest);
    }
    const after = this.before === void 0 ? void 0 : heapAfterGc();
    if (this.before !== void 0 && after !== void 0) {
      out.heapAfterBytes = after - this.probeGrowth;
      out.heapRetainedBytes = out.heapAfterBytes - this.before;
    }
    return out;
  }
};
async function measureTask(spec, clock, wallNow, cfg) {
  const session = new TaskSession(spec, clock, wallNow, cfg);
  if (await session.warm()) {
    const sw0 = cfg.switches?.();
    await session.sampleFor(cfg.taskTimeMs, cfg.minSamples, cfg.maxSamples);
    const sw1 = cfg.switches?.();
    if (sw0 !== void 0 && sw1 !== void 0) session.out.involuntarySwitches = Math.max(0, sw1 - sw0);
    await session.leakProbe();
  }
  return session.close();
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
        if (existsSync(pj) && JSON.parse(readFileSync2(pj, "utf8")).name === "tinybench") {
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
      pkg = JSON.parse(readFileSync2(path2.join(dir, "package.json"), "utf8"));
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
    const read = () => probe2.monotonicNs();
    const c = clockCharacter(read, wallNow);
    return { kind, start: read, stop: (t) => read() - t, now: read, ...c };
  }
  if (kind === "cpu") {
    const read = () => probe2.threadCpuNs();
    const c = clockCharacter(read, wallNow);
    return { kind, start: read, stop: (t) => read() - t, now: read, ...c };
  }
  const callgrindOut = process.env[CALLGRIND_OUT_ENV];
  if (callgrindOut) return callgrindClock(callgrindOut);
  const counter = probe2.instructions();
  if (!counter.available) throw new Error(`clock instructions is unavailable here: ${counter.reason}; use --clock wall or cpu`);
  const overheads = [];
  for (let i = 0; i < 21; i++) overheads.push(counter.stop(counter.start()));
  overheads.sort((a, b) => a - b);
  return { kind, start: () => counter.start(), stop: (h) => counter.stop(h), resolution: 1, overhead: overheads[10] };
}
function taskEnvValue(name, env, suite, task) {
  if (!env) return void 0;
  let map;
  try {
    map = JSON.parse(env);
  } catch {
    throw new Error(`${name} is not JSON: ${env.slice(0, 80)}`);
  }
  return map[`${suite}/${task}`] ?? map["*"];
}
function injectFactor(env, suite, task) {
  const v = taskEnvValue("PERFGATE_INJECT", env, suite, task);
  if (v === void 0) return 1;
  const f = typeof v === "number" ? v : Number(v);
  return Number.isFinite(f) && f > 1 ? f : 1;
}
function injectWorkIterations(env, suite, task) {
  const v = taskEnvValue("PERFGATE_INJECT_WORK", env, suite, task);
  if (v === void 0) return -1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`PERFGATE_INJECT_WORK: ${suite}/${task} is ${JSON.stringify(v)}; expected a whole number of iterations \u2265 0`);
  return n;
}
var injectedWorkSink = 0;
function extraWork(n) {
  let x = injectedWorkSink | 0;
  for (let i = 0; i < n; i++) x = Math.imul(x, 1664525) + 1013904223 | 0;
  injectedWorkSink = x;
}
function withExtraWork(fn, n) {
  return function() {
    extraWork(n);
    return fn.call(this);
  };
}
function switchCounter() {
  if (process.platform === "linux") {
    const read = () => {
      try {
        const m = /nonvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync2("/proc/thread-self/status", "utf8"));
        return m ? Number(m[1]) : void 0;
      } catch {
        return void 0;
      }
    };
    if (read() !== void 0) return read;
  }
  return () => probe2.rusage().involuntaryContextSwitches;
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
function majorGcLog() {
  const seen = [];
  try {
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const kind = e.detail?.kind;
        if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) seen.push({ start: e.startTime, ms: e.duration });
      }
    });
    obs.observe({ entryTypes: ["gc"] });
  } catch {
    return void 0;
  }
  return {
    async between(t0, t1) {
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
      let count = 0;
      let ms = 0;
      for (const g of seen) {
        if (g.start >= t0 && g.start < t1) {
          count++;
          ms += g.ms;
        }
      }
      while (seen.length && seen[0].start < t1) seen.shift();
      return { count, ms };
    }
  };
}
var serveScavenge;
function scavenge() {
  if (!serveScavenge) {
    v8.setFlagsFromString("--expose-gc");
    serveScavenge = minorGc(vm.runInNewContext("gc"));
  }
  serveScavenge?.();
}
async function serve(out, specs, open, meta) {
  const send = (m) => new Promise((resolve) => process.send(m, void 0, void 0, () => resolve()));
  if (typeof process.send !== "function") throw new Error("serve mode needs an IPC channel to the parent");
  const sessions = /* @__PURE__ */ new Map();
  const byName = new Map(specs.map((s) => [s.name, s]));
  await send({
    kind: "ready",
    suite: out.suite,
    tasks: specs.map((s) => ({ name: s.name, ..."fn" in s ? {} : { error: s.error } })),
    probe: out.probe,
    clockResolution: out.clockResolution,
    clockOverhead: out.clockOverhead
  });
  const switches = switchCounter();
  const majorGcs = process.env.PERFGATE_SLICE_LOG ? majorGcLog() : void 0;
  const handle = async (m) => {
    if (m.cmd === "exit") {
      const ru = probe2.rusage();
      return { kind: "exit", id: m.id, meta: meta(), rusage: { maxRssBytes: ru.maxRssBytes, involuntaryContextSwitches: ru.involuntaryContextSwitches, voluntaryContextSwitches: ru.voluntaryContextSwitches } };
    }
    const spec = byName.get(m.task);
    if (!spec) return { kind: "error", id: m.id, error: `no task named "${m.task}" in this suite` };
    if (!("fn" in spec)) return { kind: "error", id: m.id, error: spec.error ?? "task unavailable" };
    if (m.cmd === "warm") {
      const session2 = open(spec);
      sessions.set(m.task, session2);
      const ok = await session2.warm();
      if (!ok) return { kind: "error", id: m.id, error: session2.out.error ?? "warmup failed" };
      if (m.collect) scavenge();
      return { kind: "warm", id: m.id, batch: session2.out.batch, warmupMs: session2.out.warmupMs ?? 0, async: session2.out.async, ...backgroundOf(m.task) ? { background: true } : {} };
    }
    const session = sessions.get(m.task);
    if (!session) return { kind: "error", id: m.id, error: `task "${m.task}" was not warmed` };
    if (m.cmd === "pause") {
      await backgroundOf(m.task)?.pause();
      return { kind: "paused", id: m.id };
    }
    if (m.cmd === "slice") {
      const background = m.quiet ? backgroundOf(m.task) : void 0;
      await background?.resume();
      const faults0 = majorGcs ? process.resourceUsage().minorPageFault : 0;
      const sw0 = switches();
      const t0 = performance.now();
      const costs = await session.sampleFor(m.ms, m.minBatches, m.maxBatches, false);
      const t1 = performance.now();
      const wallMs = t1 - t0;
      const sw1 = switches();
      const minorFaults = majorGcs ? process.resourceUsage().minorPageFault - faults0 : void 0;
      await background?.pause();
      if (session.failed) return { kind: "error", id: m.id, error: session.out.error ?? "failed" };
      const majorGc = await majorGcs?.between(t0, t1);
      return { kind: "slice", id: m.id, costs, wallMs, ...sw0 !== void 0 && sw1 !== void 0 ? { switches: Math.max(0, sw1 - sw0) } : {}, ...majorGc ? { majorGc, minorFaults } : {} };
    }
    await backgroundOf(m.task)?.resume();
    const done = await session.close();
    sessions.delete(m.task);
    return done.error ? { kind: "error", id: m.id, error: done.error } : { kind: "closed", id: m.id, calls: done.calls };
  };
  await new Promise((resolve) => {
    let queue = Promise.resolve();
    process.on("message", (m) => {
      queue = queue.then(async () => {
        let reply;
        try {
          reply = await handle(m);
        } catch (e) {
          reply = { kind: "error", id: m.id, error: describeError(e) };
        }
        await send(reply);
        if (m.cmd === "exit") resolve();
      });
    });
    process.on("disconnect", () => resolve());
  });
}
async function main() {
  const started = performance.now();
  const cfg = JSON.parse(process.argv[2] ?? "{}");
  process.env.PERFGATE_HARNESS = "1";
  process.env.PERFGATE_CLOCK = cfg.clock;
  process.env.PERFGATE_MODE = cfg.serve ? "serve" : "run";
  if (cfg.deadlineMs) setTimeout(() => process.exit(124), cfg.deadlineMs).unref();
  const out = { suite: suiteNameFromFile(cfg.suiteFile), tasks: [], elapsedMs: 0, probe: probe2.kind };
  const wallNow = process.env[CALLGRIND_OUT_ENV] ? virtualNow : () => probe2.monotonicNs();
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
        const work = injectWorkIterations(process.env.PERFGATE_INJECT_WORK, out.suite, name2);
        const isAsync = typeof opts.async === "boolean" ? opts.async : work >= 0 ? fn.constructor?.name === "AsyncFunction" || void 0 : void 0;
        specs.push({
          name: name2,
          fn: work >= 0 ? withExtraWork(fn, work) : fn,
          self: task,
          beforeAll: hook("beforeAll"),
          afterAll: hook("afterAll"),
          beforeEach: hook("beforeEach"),
          afterEach: hook("afterEach"),
          async: isAsync,
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
    const samplerConfig = (s) => ({
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
    });
    if (cfg.serve) {
      await serve(out, specs, (s) => new TaskSession(s, clock, wallNow, samplerConfig(s)), () => mod?.perfgate === void 0 ? void 0 : jsonSafe(mod.perfgate));
      process.exit(0);
    }
    for (const s of specs) {
      if (!("fn" in s)) {
        out.tasks.push(s);
        continue;
      }
      out.tasks.push(await measureTask(s, clock, wallNow, samplerConfig(s)));
    }
  } catch (e) {
    out.error = e instanceof Error ? e.message : describeError(e);
  }
  if (cfg.serve) {
    if (typeof process.send === "function") process.send({ kind: "ready", suite: out.suite, tasks: out.tasks.map((t) => ({ name: t.name, error: t.error })), error: out.error }, void 0, void 0, () => process.exit(0));
    else process.exit(70);
    return;
  }
  if (mod?.perfgate !== void 0) out.meta = jsonSafe(mod.perfgate);
  const ru = probe2.rusage();
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
export {
  extraWork
};
//# sourceMappingURL=harness.js.map
