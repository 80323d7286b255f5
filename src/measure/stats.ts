// Small, dependency-free helpers of the measure stage (the child harness imports this, so it stays
// tiny; summaries and tests live in src/stats). Pure.

import { median, sorted } from '../stats/ranks.ts';

export { median, sorted };

/** Quantile of an ascending array, linear interpolation between order statistics (R type 7). */
export function quantileSorted(s: readonly number[], q: number): number {
  if (s.length === 0) return 0;
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** Keeps at most `max` values, dropping evenly (keeps first and last; order preserved). */
export function thin(values: readonly number[], max: number): number[] {
  if (values.length <= max) return [...values];
  if (max <= 0) return [];
  if (max === 1) return [values[0]];
  const out: number[] = [];
  const step = (values.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(values[Math.round(i * step)]);
  return out;
}

/** Theil–Sen slope: median of pairwise slopes of (i, y_i). */
export function theilSenSlope(y: readonly number[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < y.length; i++) for (let j = i + 1; j < y.length; j++) slopes.push((y[j] - y[i]) / (j - i));
  return slopes.length ? median(slopes) : 0;
}

function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k][1]] = avg;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation of y with its index (0 when undefined). */
export function spearmanWithIndex(y: readonly number[]): number {
  const n = y.length;
  if (n < 2) return 0;
  const ry = ranks(y);
  const rx = y.map((_, i) => i + 1);
  const mx = (n + 1) / 2;
  let num = 0;
  let dx = 0;
  let dy = 0;
  for (let i = 0; i < n; i++) {
    num += (rx[i] - mx) * (ry[i] - mx);
    dx += (rx[i] - mx) ** 2;
    dy += (ry[i] - mx) ** 2;
  }
  return dx && dy ? num / Math.sqrt(dx * dy) : 0;
}
