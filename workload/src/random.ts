// Seeded pseudo-random numbers for the reference workload's corpora and fault injection, on
// mulberry32: integer arithmetic only, so a seed always produces the same corpus byte for byte on
// every platform. (perfgate's src/stats/random.ts uses the same generator; the workload is a
// project of its own and does not reach into perfgate's internals, so it carries its own copy.)

/**
 * mulberry32: a 32-bit generator by Tommy Ettinger (public domain), period 2^32. Returns a
 * function giving floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
