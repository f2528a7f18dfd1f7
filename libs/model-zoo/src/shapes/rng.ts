// Seeded pseudo-random numbers (mulberry32): the shapes world and training are reproducible from a seed.
export type Rng = () => number;

/** A uniform [0,1) generator fully determined by a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [0, n). */
export const randInt = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** Uniform pick from a non-empty list. */
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[randInt(rng, items.length)];

/** Uniform float in [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
