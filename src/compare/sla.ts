// Absolute targets (SLAs) of one head benchmark. Pure.
import type { Benchmark, Sla } from '../schema/results.ts';
import { summarize } from '../stats/index.ts';
import { formatNumber, percent } from './format.ts';

/** Below this headroom a met SLA caps the benchmark's grade at A-. */
export const SLA_TIGHT_HEADROOM = 0.2;

export interface SlaStatus {
  met: boolean;
  /**
   * Smallest headroom over the targets: (max − value)/max for a maximum, (value − min)/min for a
   * minimum, and for successRate the share of the error budget left, (value − min)/(1 − min).
   * Negative when broken; absent when no target allows a ratio (a target of 0).
   */
  headroom?: number;
  /** Each target in words, broken ones first: "p95 12.3 ms > max 10 ms". */
  detail: string;
}

type Metric = Sla['metric'];

const LABELS: Record<Metric, string> = {
  value: 'median',
  p95: 'p95',
  p99: 'p99',
  throughput: 'throughput',
  successRate: 'success rate',
  latencyP95Ms: 'latency p95',
  latencyP99Ms: 'latency p99',
  peakRssBytes: 'peak RSS',
  heapRetainedBytes: 'retained heap',
};

function unitOf(metric: Metric, b: Benchmark): string {
  switch (metric) {
    case 'value':
    case 'p95':
    case 'p99':
      return ` ${b.unit}`;
    case 'throughput':
      return ' req/s';
    case 'latencyP95Ms':
    case 'latencyP99Ms':
      return ' ms';
    case 'peakRssBytes':
    case 'heapRetainedBytes':
      return ' B';
    case 'successRate':
      return '';
  }
}

function show(metric: Metric, value: number, b: Benchmark): string {
  if (metric === 'successRate') return percent(value, 2);
  if (metric === 'peakRssBytes' || metric === 'heapRetainedBytes') {
    if (Math.abs(value) >= 1024 * 1024) return `${formatNumber(value / (1024 * 1024))} MiB`;
    if (Math.abs(value) >= 1024) return `${formatNumber(value / 1024)} KiB`;
  }
  return `${formatNumber(value)}${unitOf(metric, b)}`;
}

/**
 * The head's value of an SLA metric, or undefined when this run did not measure it. `value` is the
 * median of the per-round values (what the comparison shows as the head median); p95 and p99 come
 * from the benchmark's summary statistics (computed from the raw samples when absent).
 */
export function slaValue(metric: Metric, b: Benchmark): number | undefined {
  const raw = b.samples.length ? b.samples : b.rounds;
  switch (metric) {
    case 'value':
      if (b.rounds.length) return summarize(b.rounds).median;
      return b.stats?.median ?? (raw.length ? summarize(raw).median : undefined);
    case 'p95':
      return b.stats?.p95 ?? (raw.length ? summarize(raw).p95 : undefined);
    case 'p99':
      return b.stats?.p99 ?? (raw.length ? summarize(raw).p99 : undefined);
    case 'throughput':
      return b.load?.throughput;
    case 'successRate':
      return b.load?.successRate;
    case 'latencyP95Ms':
      return b.load?.latencyMs.p95;
    case 'latencyP99Ms':
      return b.load?.latencyMs.p99;
    case 'peakRssBytes':
      return b.memory?.peakRssBytes;
    case 'heapRetainedBytes':
      return b.memory?.heapRetainedBytes;
  }
}

/**
 * Checks every SLA entry of a (successfully run) head benchmark. A metric the run did not measure
 * counts as broken: a target that cannot be checked must not pass silently.
 */
export function checkSla(b: Benchmark): SlaStatus | undefined {
  if (!b.sla || b.sla.length === 0) return undefined;
  const broken: string[] = [];
  const met: string[] = [];
  let headroom: number | undefined;
  const take = (h: number) => {
    headroom = headroom === undefined ? h : Math.min(headroom, h);
  };
  for (const target of b.sla) {
    const label = LABELS[target.metric];
    const value = slaValue(target.metric, b);
    if (value === undefined || !Number.isFinite(value)) {
      broken.push(`${label}: not measured by this run, so its SLA cannot be checked`);
      continue;
    }
    if (target.max !== undefined) {
      const ok = value <= target.max;
      if (target.max > 0) take((target.max - value) / target.max);
      (ok ? met : broken).push(`${label} ${show(target.metric, value, b)} ${ok ? '≤' : '>'} max ${show(target.metric, target.max, b)}`);
    }
    if (target.min !== undefined) {
      const ok = value >= target.min;
      if (target.metric === 'successRate' && target.min < 1) take((value - target.min) / (1 - target.min));
      else if (target.min > 0) take((value - target.min) / target.min);
      (ok ? met : broken).push(`${label} ${show(target.metric, value, b)} ${ok ? '≥' : '<'} min ${show(target.metric, target.min, b)}`);
    }
  }
  const ok = broken.length === 0;
  const room = headroom !== undefined && ok ? ` (${percent(headroom, 0)} headroom)` : '';
  return { met: ok, ...(headroom !== undefined ? { headroom } : {}), detail: [...broken, ...met].join('; ') + room };
}
