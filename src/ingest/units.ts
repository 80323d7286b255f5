// Unit normalisation: time becomes nanoseconds per operation (unit `ns`); rates keep their unit
// with direction `higher`; everything else keeps the unit the harness gave.
import type { Direction } from '../schema/results.ts';

const NS_PER: Record<string, number> = {
  ns: 1,
  nanosecond: 1,
  nanoseconds: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  microsecond: 1e3,
  microseconds: 1e3,
  ms: 1e6,
  millisecond: 1e6,
  milliseconds: 1e6,
  s: 1e9,
  sec: 1e9,
  secs: 1e9,
  second: 1e9,
  seconds: 1e9,
};

/** Nanoseconds in one `unit` (`ms` → 1e6), or undefined when `unit` is not a time unit. */
export function nsPer(unit: string): number | undefined {
  const base = unit.trim().replace(/\/(op|iter|iteration|call)$/, '');
  // Symbols are case-sensitive (`MS` is not `ms`); spelled-out words are not (`Seconds`).
  return base.length <= 3 ? NS_PER[base] : NS_PER[base.toLowerCase()];
}

/** A unit that reads as "per second" (`MB/s`, `ops/sec`, `items_per_second`) is a rate. */
export function isRate(unit: string): boolean {
  return /(\/\s*(s|secs?|seconds?)|_per_second|per[ _]?sec(ond)?|persecond|^hz)$/i.test(unit.trim());
}

/** Direction a unit implies when the harness does not say: rates higher, everything else lower. */
export function directionOf(unit: string): Direction {
  return isRate(unit) ? 'higher' : 'lower';
}

/**
 * Normalises a value and its unit: time (per op) → ns; others unchanged.
 * Returns the factor so whole arrays can be scaled alike.
 */
export function normaliseUnit(unit: string): { unit: string; factor: number; direction: Direction } {
  const ns = nsPer(unit);
  if (ns !== undefined) return { unit: 'ns', factor: ns, direction: 'lower' };
  return { unit, factor: 1, direction: directionOf(unit) };
}

export function scale(values: number[], factor: number): number[] {
  return factor === 1 ? values : values.map((v) => v * factor);
}
