// Alpha spending for repeated looks at accumulating data (adaptive sampling stops early when a
// look is already decisive).
import { normalQuantile, normalSf } from './distributions.ts';

export type SpendingFunction = 'obrien-fleming' | 'pocock';

/**
 * Cumulative alpha spent by information fraction t ∈ [0, 1] (Lan and DeMets 1983):
 * - O'Brien-Fleming-like: f(t) = 2 − 2Φ(z_{1−α/2} / √t), spends almost nothing early;
 * - Pocock-like: f(t) = α · ln(1 + (e − 1) t), spends evenly.
 * Both give f(0) = 0 and f(1) = α.
 */
export function spentAlpha(alpha: number, t: number, kind: SpendingFunction = 'obrien-fleming'): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  if (kind === 'pocock') return alpha * Math.log(1 + (Math.E - 1) * t);
  return 2 * normalSf(normalQuantile(1 - alpha / 2) / Math.sqrt(t));
}

/**
 * Nominal alpha for look `look` (1-based) of `maxLooks` equally spaced looks: the increment
 * f(t_k) − f(t_{k−1}) of the Lan-DeMets spending function, t_k = k / maxLooks.
 *
 * Using each increment as that look's own threshold is a Bonferroni-style bound: the chance of a
 * false alarm at any look is at most the sum of the increments, which telescopes to α. It is
 * conservative (the exact group-sequential boundaries, which use the correlation between looks,
 * are a little wider), never anti-conservative.
 */
export function alphaSpending(alpha: number, look: number, maxLooks: number, kind: SpendingFunction = 'obrien-fleming'): number {
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alphaSpending: alpha must be in (0, 1); got ${alpha}`);
  if (!Number.isInteger(maxLooks) || maxLooks < 1) throw new Error(`alphaSpending: maxLooks must be a whole number ≥ 1; got ${maxLooks}`);
  if (!Number.isInteger(look) || look < 1 || look > maxLooks) throw new Error(`alphaSpending: look must be a whole number from 1 to ${maxLooks}; got ${look}`);
  const before = spentAlpha(alpha, (look - 1) / maxLooks, kind);
  const now = look === maxLooks ? alpha : spentAlpha(alpha, look / maxLooks, kind);
  return Math.max(0, now - before);
}
