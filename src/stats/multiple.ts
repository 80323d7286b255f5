// Multiple-testing adjustments. Both return adjusted p-values in input order, as R's p.adjust.

function check(p: readonly number[], name: string): void {
  for (const v of p) if (!(v >= 0 && v <= 1)) throw new Error(`${name}: p-values must lie in [0, 1]; got ${v}`);
}

/**
 * Holm's step-down adjustment (Holm 1979), controlling the family-wise error rate:
 * with p sorted ascending, p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)).
 * Same as R's p.adjust(p, "holm").
 */
export function holm(pvalues: readonly number[]): number[] {
  check(pvalues, 'holm');
  const m = pvalues.length;
  const order = pvalues.map((_, i) => i).sort((a, b) => pvalues[a] - pvalues[b]);
  const out = new Array<number>(m);
  let running = 0;
  order.forEach((idx, i) => {
    running = Math.max(running, Math.min(1, (m - i) * pvalues[idx]));
    out[idx] = running;
  });
  return out;
}

/**
 * Benjamini-Hochberg step-up adjustment (Benjamini and Hochberg 1995), controlling the false
 * discovery rate: with p sorted ascending, p̃_(i) = min_{j ≥ i} min(1, m/j · p_(j)).
 * Same as R's p.adjust(p, "BH").
 */
export function benjaminiHochberg(pvalues: readonly number[]): number[] {
  check(pvalues, 'benjaminiHochberg');
  const m = pvalues.length;
  const order = pvalues.map((_, i) => i).sort((a, b) => pvalues[b] - pvalues[a]); // descending
  const out = new Array<number>(m);
  let running = 1;
  order.forEach((idx, k) => {
    const rankAsc = m - k; // 1-based rank in ascending order
    running = Math.min(running, (m / rankAsc) * pvalues[idx]);
    out[idx] = Math.min(1, running);
  });
  return out;
}
