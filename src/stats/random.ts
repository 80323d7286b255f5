// Seeded pseudo-random numbers for tests, simulations and anything that must be reproducible.
// Pure: no global state; every generator carries its own seed.

/**
 * mulberry32: a 32-bit generator by Tommy Ettinger (public domain), period 2^32. Good enough for
 * simulations and tests; not for cryptography. Returns a function giving floats in [0, 1).
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
  uniform(): number;
  /** Normal with the given mean and standard deviation (Box-Muller transform). */
  normal(mean?: number, sd?: number): number;
  /**
   * Log-normal with median `median` and coefficient of variation `cv`
   * (sigma of the log = sqrt(ln(1 + cv^2))).
   */
  lognormal(median: number, cv: number): number;
  /** An array of `n` draws of `draw`. */
  many(n: number, draw: () => number): number[];
}

/** A seeded generator: mulberry32 for uniforms, Box-Muller (Box and Muller 1958) for normals. */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  let spare: number | undefined;
  const standardNormal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next(); // avoid log(0)
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  return {
    uniform: next,
    normal: (mean = 0, sd = 1) => mean + sd * standardNormal(),
    lognormal: (median, cv) => median * Math.exp(Math.sqrt(Math.log(1 + cv * cv)) * standardNormal()),
    many: (n, draw) => Array.from({ length: n }, () => draw()),
  };
}

/** A shuffled copy of `items` (Fisher-Yates, Durstenfeld's in-place form); `random` gives floats in [0, 1). */
export function shuffle<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
