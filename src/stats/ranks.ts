// Ranks with ties, shared by the rank tests.

/**
 * Mid-ranks (1-based) of `values`: tied values share the mean of the ranks they span.
 * Also returns the sizes of the tie groups (only groups of 2 or more), for tie corrections.
 */
export function rank(values: readonly number[]): { ranks: number[]; ties: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  const ties: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const mid = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = mid;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

/** Σ (t³ − t) over tie groups: the quantity every rank-test tie correction uses. */
export function tieSum(ties: readonly number[]): number {
  let s = 0;
  for (const t of ties) s += t * t * t - t;
  return s;
}

/** Sorted copy, ascending. */
export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Median of an already sorted array (mean of the two middle values for even lengths). */
export function medianOfSorted(s: readonly number[]): number {
  const n = s.length;
  if (n === 0) return Number.NaN;
  const h = n >> 1;
  return n % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Median (NaN for no values). */
export function median(values: readonly number[]): number {
  return medianOfSorted(sorted(values));
}
