// Seeded pseudo-random numbers for the reference workload's corpora and fault injection, on the
// project's mulberry32 (src/stats/random.ts): integer arithmetic only, so a seed always produces
// the same corpus byte for byte on every platform.
import { mulberry32 } from '../stats/random.ts';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** Standard normal (Box-Muller). */
  gaussian(): number;
}

/** A seeded generator; equal seeds give equal sequences. */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    gaussian: () => {
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}
