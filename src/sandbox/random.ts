/**
 * A small seeded PRNG (mulberry32) so the same seed always builds the same world.
 * Every consumer gets its own generator (derived with `fork`), so one tracking's randomness
 * never depends on how many API calls happened in between.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** n lower-case hex characters. */
  hex(n: number): string;
  /** n characters of [a-z0-9]. */
  alnum(n: number): string;
  digits(n: number): string;
  letters(n: number): string;
  /** A new independent generator derived from this one and a label. */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a hash of a string: a stable seed from any label. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const chars = (alphabet: string, n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
  const rng: Rng = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    hex: (n) => chars('0123456789abcdef', n),
    alnum: (n) => chars('abcdefghijklmnopqrstuvwxyz0123456789', n),
    digits: (n) => chars('0123456789', n),
    letters: (n) => chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', n),
    fork: (label) => createRng(hashString(`${state}:${label}`)),
  };
  return rng;
}
