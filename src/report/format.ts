// Number formatting for reports. Pure and locale-independent (no Intl): the same numbers render
// the same on every runner.
import type { BenchmarkComparison } from '../schema/comparison.ts';
import type { Direction } from '../schema/results.ts';

/** The typographic minus used in changes and intervals. */
export const MINUS = '\u2212';

/** "1234567" → "1,234,567" (digits only; keeps a leading sign). */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function sign(x: number, text: string): string {
  return x < 0 ? `${MINUS}${text}` : text;
}

/**
 * A number with three significant digits, grouped when large: 812, 81.2, 8.12, 0.00812, 1,234.
 * Non-finite values render as "—".
 */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const rounded = Number(abs.toPrecision(digits));
  let text: string;
  if (rounded >= 10 ** digits) text = group(Math.round(abs).toString());
  else if (rounded >= 1) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(rounded) + 1e-9));
    text = rounded.toFixed(decimals);
  } else text = rounded.toPrecision(digits); // 0.00812; tiny values come out as 8.12e-7
  if (/e/.test(text)) text = rounded.toExponential(digits - 1);
  return sign(value, text);
}

/** Integer with thousands separators: 1231000 → "1,231,000". */
export function formatInteger(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const r = Math.round(value);
  return sign(r, group(Math.abs(r).toString()));
}

const TIME_UNITS_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // micro sign
  'μs': 1e3, // greek mu
  ms: 1e6,
  s: 1e9,
  sec: 1e9,
};

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  byte: 1,
  bytes: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

export type UnitKind = 'time' | 'throughput' | 'bytes' | 'percent' | 'other';

/** What a unit measures, for choosing a formatter and the words of a change. */
export function unitKind(unit: string): UnitKind {
  const u = unit.trim();
  if (u in TIME_UNITS_NS) return 'time';
  if (u.toLowerCase() in BYTE_UNITS) return 'bytes';
  if (u === '%') return 'percent';
  if (/^(hz|rps|qps)$/i.test(u) || /\/\s*(s|sec|second)$/i.test(u)) return 'throughput';
  return 'other';
}

/** Time in nanoseconds → "812 ns", "1.24 µs", "3.50 ms", "1.20 s". */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—';
  const abs = Math.abs(Number(Math.abs(ns).toPrecision(3)));
  if (abs < 1e3) return `${formatNumber(ns)} ns`;
  if (abs < 1e6) return `${formatNumber(ns / 1e3)} µs`;
  if (abs < 1e9) return `${formatNumber(ns / 1e6)} ms`;
  return `${formatNumber(ns / 1e9)} s`;
}

/**
 * Operations per second. Compact (default): "812 ops/s", "208,253 ops/s", "1.23M ops/s";
 * full: "1,231,000 ops/s".
 */
export function formatThroughput(value: number, unit = 'ops/s', opts: { compact?: boolean } = {}): string {
  if (!Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const compact = opts.compact ?? true;
  if (compact && abs >= 1e9) return `${formatNumber(value / 1e9)}G ${unit}`;
  if (compact && abs >= 1e6) return `${formatNumber(value / 1e6)}M ${unit}`;
  if (abs >= 1e3) return `${formatInteger(value)} ${unit}`;
  return `${formatNumber(value)} ${unit}`;
}

/** Bytes (decimal prefixes): "812 B", "95.2 MB", "1.20 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  const abs = Math.abs(Number(Math.abs(bytes).toPrecision(3)));
  const steps: Array<[number, string]> = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, label] of steps) if (abs >= size) return `${formatNumber(bytes / size)} ${label}`;
  return `${formatNumber(bytes)} B`;
}

/** A value in its unit, humanised where the unit is known; other units are kept: "12.3 widgets". */
export function formatValue(value: number, unit: string, opts: { compact?: boolean } = {}): string {
  if (!Number.isFinite(value)) return '—';
  const u = unit.trim();
  switch (unitKind(u)) {
    case 'time':
      return formatDuration(value * TIME_UNITS_NS[u]);
    case 'bytes':
      return formatBytes(value * BYTE_UNITS[u.toLowerCase()]);
    case 'throughput':
      return formatThroughput(value, u, opts);
    case 'percent':
      return `${formatNumber(value)}%`;
    default:
      return u ? `${formatNumber(value)} ${u}` : formatNumber(value);
  }
}

/** The digits of a percentage (no sign, no %): 22.8, 0.04, 1,250. */
function percentDigits(absPct: number): string {
  if (absPct >= 100) return formatInteger(absPct);
  if (absPct >= 0.005 && absPct < 0.095) return absPct.toFixed(2);
  return absPct.toFixed(1);
}

/**
 * A fraction as a signed percentage: 0.228 → "+22.8%", −0.126 → "−12.6%", 0 → "0.0%".
 * `percent: false` leaves out the % sign (for interval bounds).
 */
export function formatPercent(fraction: number, opts: { sign?: boolean; percent?: boolean } = {}): string {
  if (!Number.isFinite(fraction)) return '—';
  const pct = fraction * 100;
  const digits = percentDigits(Math.abs(pct));
  const isZero = Number(digits.replace(/,/g, '')) === 0;
  const withSign = opts.sign ?? true;
  const prefix = isZero ? '' : pct < 0 ? MINUS : withSign ? '+' : '';
  return `${prefix}${digits}${opts.percent === false ? '' : '%'}`;
}

/** A speedup factor: 7.9 → "7.9×", 55.2 → "55×", 1234 → "1,234×". */
export function formatFactor(factor: number): string {
  if (!Number.isFinite(factor)) return '—';
  if (factor >= 100) return `${formatInteger(factor)}×`;
  if (factor >= 10) return `${Math.round(factor)}×`;
  if (factor >= 1) return `${factor.toFixed(1)}×`;
  return `${formatNumber(factor, 2)}×`;
}

/** The change of a benchmark's metric itself (head/base − 1), with its 95% interval when known. */
export interface MetricChange {
  /** head/base − 1 of the metric: positive means the number went up (slower for time). */
  change: number;
  ci?: [number, number];
}

/**
 * The change of the metric, from `ratio`/`ratioCi` when present, else from the direction-aware
 * `worse`/`worseCi`, else from the two medians. Undefined when nothing was compared.
 */
export function metricChange(b: Pick<BenchmarkComparison, 'ratio' | 'ratioCi' | 'worse' | 'worseCi' | 'direction' | 'base' | 'head'>): MetricChange | undefined {
  if (b.ratio !== undefined && Number.isFinite(b.ratio)) {
    return { change: b.ratio - 1, ci: b.ratioCi ? [b.ratioCi[0] - 1, b.ratioCi[1] - 1] : undefined };
  }
  if (b.worse !== undefined && Number.isFinite(b.worse)) {
    if (b.direction === 'lower') return { change: b.worse, ci: b.worseCi ? [b.worseCi[0], b.worseCi[1]] : undefined };
    const inv = (w: number) => 1 / (1 + w) - 1;
    return { change: inv(b.worse), ci: b.worseCi ? [inv(b.worseCi[1]), inv(b.worseCi[0])] : undefined };
  }
  if (b.base && b.head && b.base.median !== 0 && Number.isFinite(b.head.median / b.base.median)) {
    return { change: b.head.median / b.base.median - 1 };
  }
  return undefined;
}

/** Compact, for tables: "+22.8% [+18.1, +27.9]" (the change of the metric itself). */
export function formatChangeCompact(m: MetricChange | undefined): string {
  if (!m) return '—';
  const est = formatPercent(m.change);
  if (!m.ci) return est;
  return `${est} [${formatPercent(m.ci[0], { percent: false })}, ${formatPercent(m.ci[1], { percent: false })}]`;
}

/** Interval in full: "(95% CI +18.1% … +27.9%)". */
export function formatInterval(ci: [number, number] | undefined): string {
  return ci ? `95% CI ${formatPercent(ci[0])} … ${formatPercent(ci[1])}` : '';
}

/** The words for "the metric went up" / "went down", by what the unit measures. */
export function changeWords(unit: string, direction: Direction): { up: string; down: string } {
  switch (unitKind(unit)) {
    case 'time':
      return { up: 'slower', down: 'faster' };
    case 'throughput':
      return { up: 'higher throughput', down: 'lower throughput' };
    case 'bytes':
      return { up: 'more memory', down: 'less memory' };
    default:
      return direction === 'lower' ? { up: 'higher (worse)', down: 'lower (better)' } : { up: 'higher (better)', down: 'lower (worse)' };
  }
}

/**
 * A change in words: "22.8% slower (95% CI +18.1% … +27.9%)", "12.6% lower throughput (…)",
 * "no measurable change" when it rounds to zero. `extra` items join the parenthesis ("p = 0.002").
 */
export function describeChange(
  b: Pick<BenchmarkComparison, 'ratio' | 'ratioCi' | 'worse' | 'worseCi' | 'direction' | 'base' | 'head' | 'unit'>,
  extra: string[] = [],
): string {
  const m = metricChange(b);
  if (!m) return 'not compared';
  const inner = [m.ci ? formatInterval(m.ci) : '', ...extra].filter(Boolean).join(', ');
  const paren = inner ? ` (${inner})` : '';
  const magnitude = formatPercent(Math.abs(m.change), { sign: false });
  if (magnitude === '0.0%') return `no measurable change${paren}`;
  const words = changeWords(b.unit, b.direction);
  return `${magnitude} ${m.change > 0 ? words.up : words.down}${paren}`;
}

/** A geometric mean of worse-ratios as a change: 1.031 → "+3.1% worse", 0.98 → "−2.0% better". */
export function formatGeomean(worseRatio: number | undefined): string {
  if (worseRatio === undefined || !Number.isFinite(worseRatio)) return '—';
  const change = worseRatio - 1;
  const text = formatPercent(change);
  if (text === '0.0%') return text;
  return `${text} ${change > 0 ? 'worse' : 'better'}`;
}

/** A p-value: "p = 0.003", "p < 0.001". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'p = —';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p.toFixed(3)}`;
}
