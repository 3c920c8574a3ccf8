/**
 * A small seeded PRNG (mulberry32) so the same seed always builds the same world.
 * Every consumer gets its own generator (derived with `fork`), so one tracking's randomness
 * never depends on how many API calls happened in between. A class, not closures: the seed
 * creates two generators per shipment, 100,000s of them.
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
  /** The seed `fork(label)` would use: `createRng(forkKey(label))` is that generator (kept as a number to rebuild it later). */
  forkKey(label: string): number;
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

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * 40 hex characters from two 32-bit FNV-style lanes over the text, spread into five words: a
 * stable, cheap de-duplication key (checkpoint `hash`), not a cryptographic digest.
 */
export function hash160(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x5bd1e995);
  }
  let out = '';
  for (let k = 0; k < 5; k++) out += hex8(fmix32(a + Math.imul(k + 1, 0x9e3779b9)) ^ fmix32(b ^ k));
  return out;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** 8 lower-case hex characters of a 32-bit value. */
function hex8(v: number): string {
  return BYTE_HEX[(v >>> 24) & 255] + BYTE_HEX[(v >>> 16) & 255] + BYTE_HEX[(v >>> 8) & 255] + BYTE_HEX[v & 255];
}

const HEX = '0123456789abcdef';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

class Mulberry32 implements Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  private chars(alphabet: string, n: number): string {
    // Char codes, then one flat string: `+=` would leave a rope of n pieces per id in memory.
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) codes[i] = alphabet.charCodeAt(Math.floor(this.next() * alphabet.length));
    return String.fromCharCode(...codes);
  }

  hex(n: number): string {
    return this.chars(HEX, n);
  }

  alnum(n: number): string {
    return this.chars(ALNUM, n);
  }

  digits(n: number): string {
    return this.chars(DIGITS, n);
  }

  letters(n: number): string {
    return this.chars(LETTERS, n);
  }

  fork(label: string): Rng {
    return new Mulberry32(this.forkKey(label));
  }

  forkKey(label: string): number {
    return hashString(`${this.state}:${label}`);
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed >>> 0);
}
