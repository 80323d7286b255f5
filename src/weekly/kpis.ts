// The run-level numbers of the executive summary: total throughput, average response time,
// success rate and memory, from one run's results. Pure.
import { unitKind } from '../report/format.ts';
import type { Benchmark, Results } from '../schema/results.ts';
import { median } from '../stats/index.ts';
import { entryValue } from '../history/series.ts';

const TIME_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, sec: 1e9 };

export interface RunKpis {
  /** Benchmarks in the run, those that ran, those that failed. */
  benchmarks: number;
  ok: number;
  failed: number;
  /**
   * Sum of operations per second over the benchmarks that have one: load benchmarks' successful
   * requests per second, 1/time per operation for timed benchmarks, and throughput-unit values.
   */
  throughput?: { opsPerSec: number; counted: number };
  /**
   * `load`: request-weighted mean latency of the load benchmarks (p95: the highest p95 among them).
   * `operations`: the mean time per operation of the timed benchmarks (no load benchmarks ran).
   */
  responseTime?: { meanMs: number; p95Ms?: number; source: 'load' | 'operations'; counted: number };
  /** `load`: successful requests over all requests; `benchmarks`: benchmarks that ran without failing. */
  successRate?: { rate: number; total: number; failures: number; source: 'load' | 'benchmarks' };
  /** Peak RSS of the suite processes (average over benchmarks, and the highest), retained heap. */
  memory?: { averagePeakRssBytes?: number; peakRssBytes?: number; peakRssOf?: string; averageHeapRetainedBytes?: number; counted: number };
  /** Benchmarks whose heap kept growing from round to round. */
  leakSuspected: string[];
}

/** Operations per second of one benchmark, when its unit allows one. */
export function opsPerSecond(b: Benchmark): number | undefined {
  if (b.status !== 'ok') return undefined;
  if (b.load && b.load.throughput > 0) return b.load.throughput;
  const v = entryValue(b);
  if (v === undefined || !(v > 0)) return undefined;
  const u = b.unit.trim();
  if (u in TIME_NS) return 1e9 / (v * TIME_NS[u]);
  if (unitKind(u) === 'throughput') return v;
  return undefined;
}

/** Milliseconds per operation of a timed benchmark. */
function msPerOp(b: Benchmark): number | undefined {
  if (b.status !== 'ok') return undefined;
  const u = b.unit.trim();
  if (!(u in TIME_NS)) return undefined;
  const v = entryValue(b);
  return v !== undefined && v > 0 ? (v * TIME_NS[u]) / 1e6 : undefined;
}

export function computeKpis(results: Results): RunKpis {
  const all = results.benchmarks;
  const ok = all.filter((b) => b.status === 'ok');
  const out: RunKpis = { benchmarks: all.length, ok: ok.length, failed: all.length - ok.length, leakSuspected: [] };

  const ops = ok.map(opsPerSecond).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (ops.length) out.throughput = { opsPerSec: ops.reduce((s, v) => s + v, 0), counted: ops.length };

  const loads = ok.filter((b) => b.load);
  if (loads.length) {
    const requests = loads.reduce((s, b) => s + b.load!.requests, 0);
    const weight = (b: Benchmark) => (requests > 0 ? b.load!.requests : 1);
    const totalWeight = loads.reduce((s, b) => s + weight(b), 0);
    out.responseTime = {
      meanMs: loads.reduce((s, b) => s + b.load!.latencyMs.mean * weight(b), 0) / totalWeight,
      p95Ms: Math.max(...loads.map((b) => b.load!.latencyMs.p95)),
      source: 'load',
      counted: loads.length,
    };
    const errors = loads.reduce((s, b) => s + b.load!.errors, 0);
    out.successRate =
      requests > 0
        ? { rate: (requests - errors) / requests, total: requests, failures: errors, source: 'load' }
        : { rate: loads.reduce((s, b) => s + b.load!.successRate, 0) / loads.length, total: 0, failures: 0, source: 'load' };
  } else {
    const times = ok.map(msPerOp).filter((v): v is number => v !== undefined);
    if (times.length) out.responseTime = { meanMs: times.reduce((s, v) => s + v, 0) / times.length, source: 'operations', counted: times.length };
    if (all.length) out.successRate = { rate: ok.length / all.length, total: all.length, failures: all.length - ok.length, source: 'benchmarks' };
  }

  const rss = all.filter((b) => b.memory?.peakRssBytes !== undefined && Number.isFinite(b.memory.peakRssBytes));
  const heap = all.map((b) => b.memory?.heapRetainedBytes).filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (rss.length || heap.length) {
    const peak = rss.reduce<Benchmark | undefined>((best, b) => (!best || b.memory!.peakRssBytes! > best.memory!.peakRssBytes! ? b : best), undefined);
    out.memory = {
      ...(rss.length ? { averagePeakRssBytes: rss.reduce((s, b) => s + b.memory!.peakRssBytes!, 0) / rss.length } : {}),
      ...(peak ? { peakRssBytes: peak.memory!.peakRssBytes!, peakRssOf: peak.id } : {}),
      ...(heap.length ? { averageHeapRetainedBytes: heap.reduce((s, v) => s + v, 0) / heap.length } : {}),
      counted: Math.max(rss.length, heap.length),
    };
  }
  out.leakSuspected = all.filter((b) => b.memory?.leakSuspected).map((b) => b.id);
  return out;
}

function medianOf(values: number[]): number | undefined {
  return values.length ? median(values) : undefined;
}

/**
 * The typical KPIs of several runs (the baseline window): each number is the median over the runs
 * that have it. Undefined when there are no runs.
 */
export function medianKpis(runs: readonly Results[]): RunKpis | undefined {
  if (runs.length === 0) return undefined;
  const each = runs.map(computeKpis);
  const pick = <T>(get: (k: RunKpis) => T | undefined): T[] => each.map(get).filter((v): v is T => v !== undefined);
  const num = (get: (k: RunKpis) => number | undefined) => medianOf(pick(get));
  const out: RunKpis = {
    benchmarks: num((k) => k.benchmarks) ?? 0,
    ok: num((k) => k.ok) ?? 0,
    failed: num((k) => k.failed) ?? 0,
    leakSuspected: [],
  };
  const tp = num((k) => k.throughput?.opsPerSec);
  if (tp !== undefined) out.throughput = { opsPerSec: tp, counted: num((k) => k.throughput?.counted) ?? 0 };
  const rtRuns = pick((k) => k.responseTime);
  if (rtRuns.length) {
    const source = rtRuns[rtRuns.length - 1].source;
    const same = rtRuns.filter((r) => r.source === source);
    const p95 = medianOf(same.map((r) => r.p95Ms).filter((v): v is number => v !== undefined));
    out.responseTime = { meanMs: medianOf(same.map((r) => r.meanMs))!, ...(p95 !== undefined ? { p95Ms: p95 } : {}), source, counted: medianOf(same.map((r) => r.counted))! };
  }
  const srRuns = pick((k) => k.successRate);
  if (srRuns.length) {
    const source = srRuns[srRuns.length - 1].source;
    const same = srRuns.filter((r) => r.source === source);
    out.successRate = { rate: medianOf(same.map((r) => r.rate))!, total: medianOf(same.map((r) => r.total))!, failures: medianOf(same.map((r) => r.failures))!, source };
  }
  const avgRss = num((k) => k.memory?.averagePeakRssBytes);
  const peakRss = num((k) => k.memory?.peakRssBytes);
  const heap = num((k) => k.memory?.averageHeapRetainedBytes);
  if (avgRss !== undefined || peakRss !== undefined || heap !== undefined) {
    out.memory = {
      ...(avgRss !== undefined ? { averagePeakRssBytes: avgRss } : {}),
      ...(peakRss !== undefined ? { peakRssBytes: peakRss } : {}),
      ...(heap !== undefined ? { averageHeapRetainedBytes: heap } : {}),
      counted: num((k) => k.memory?.counted) ?? 0,
    };
  }
  return out;
}
