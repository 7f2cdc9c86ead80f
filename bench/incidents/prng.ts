// Seeded randomness: the same traffic and the same planted incidents on every run.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  /** Log-uniform in [lo, hi]: as many slow templates as fast ones per decade. */
  logUniform(lo: number, hi: number): number;
  pick<T>(xs: readonly T[]): T;
  poisson(lambda: number): number;
}

/** mulberry32 with Poisson draws (Knuth's product for small means, a rounded normal above 40). */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    logUniform: (lo, hi) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo))),
    pick: <T>(xs: readonly T[]): T => {
      const x = xs[Math.floor(next() * xs.length)];
      if (x === undefined) throw new Error('pick from an empty list');
      return x;
    },
    poisson: (lambda) => {
      if (lambda <= 0) return 0;
      if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal()));
      const l = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > l) {
        k++;
        p *= next();
      }
      return k;
    },
  };
}
