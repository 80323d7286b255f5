// Plain-words formatting of changes and p-values for `reason` strings. Pure.
import type { Direction } from '../schema/results.ts';

const TIME_UNITS = new Set(['ns', 'us', 'µs', 'μs', 'ms', 's', 'sec', 'seconds', 'cycles']);

/** 0.2283 → "22.8%"; −0.01 → "−1.0%". */
export function percent(x: number, digits = 1): string {
  const v = (x * 100).toFixed(digits);
  return `${v.replace(/^-/, '−')}%`;
}

/** p-value for people: "p=0.25", "p=0.012", "p=0.0004", "p<0.0001". */
export function formatP(p: number): string {
  if (p < 0.0001) return 'p<0.0001';
  if (p < 0.001) return `p=${p.toFixed(4)}`;
  return `p=${Number(p.toPrecision(2))}`;
}

/** A number with up to 4 significant digits, no exponent for everyday magnitudes. */
export function formatNumber(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-4) return x.toPrecision(3);
  return String(Number(x.toPrecision(4)));
}

/** Words for "more" and "less" of a metric: slower/faster for times, higher/lower otherwise. */
function words(direction: Direction, unit: string): { up: string; down: string } {
  if (direction === 'lower' && TIME_UNITS.has(unit)) return { up: 'slower', down: 'faster' };
  return { up: 'higher', down: 'lower' };
}

/**
 * The change of a metric in words, from the head/base ratio and its interval:
 * "22.8% slower (95% CI 18.1%–27.9%)", "2.00x slower (95% CI 1.85x–2.17x)", "20.0% lower (…)".
 */
export function describeChange(direction: Direction, unit: string, ratio: number, ci: [number, number] | undefined, confidence: number): string {
  const { up, down } = words(direction, unit);
  const conf = `${Number((confidence * 100).toPrecision(3))}% CI`;
  if (ratio >= 2 || ratio <= 0.5) {
    // Multiples read better than percentages for large changes.
    const big = ratio >= 1;
    const f = (r: number) => `${(big ? r : 1 / r).toFixed(2)}x`;
    const interval = ci ? ` (${conf} ${big ? f(ci[0]) : f(ci[1])}–${big ? f(ci[1]) : f(ci[0])})` : '';
    return `${f(ratio)} ${big ? up : down}${interval}`;
  }
  if (ratio >= 1) {
    const interval = ci ? ` (${conf} ${percent(ci[0] - 1)}–${percent(ci[1] - 1)})` : '';
    return `${percent(ratio - 1)} ${up}${interval}`;
  }
  const interval = ci ? ` (${conf} ${percent(1 - ci[1])}–${percent(1 - ci[0])})` : '';
  return `${percent(1 - ratio)} ${down}${interval}`;
}
