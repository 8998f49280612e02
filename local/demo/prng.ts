/**
 * Seeded pseudo-randomness for the demo dataset: every draw is a function of (seed, stream, index),
 * so any record can be regenerated on its own and a dataset never depends on Math.random or the
 * clock.
 */

/** A 32-bit finalizer (murmur3 fmix32): a bijection on 32-bit integers that scatters the bits. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit hash of a seed, a stream number (what the draws are for) and an index.
 * @example
 *   hash32(42, 1, 0) === hash32(42, 1, 0); // true, always
 */
export function hash32(seed: number, stream: number, index: number): number {
  return fmix32(fmix32(fmix32(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) + index);
}

/** A stream of uniform draws in [0, 1) (mulberry32). */
export type Random = () => number;

/**
 * The draws of one (seed, stream, index), e.g. one record's.
 * @example
 *   const random = randomFor(seed, RECORD_STREAM, index);
 *   const u = random(); // in [0, 1), the same on every run
 */
export function randomFor(seed: number, stream: number, index: number): Random {
  let state = hash32(seed, stream, index);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A whole number in [0, n).
 * @example
 *   below(random, 6) + 1; // a die roll
 */
export function below(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** Values with weights, prepared once for fast {@link pick}s. */
export interface Weighted<T> {
  readonly cumulative: readonly number[];
  readonly values: readonly T[];
}

/**
 * Prepares a weighted choice (weights need not sum to 1).
 * @example
 *   const CURRENCIES = weighted([[0.7, 'USD'], [0.3, 'EUR']]);
 */
export function weighted<T>(choices: readonly (readonly [number, T])[]): Weighted<T> {
  const total = choices.reduce((sum, [weight]) => sum + weight, 0);
  let running = 0;
  return {
    cumulative: choices.map(([weight]) => (running += weight / total)),
    values: choices.map(([, value]) => value),
  };
}

/**
 * Picks a value by weight.
 * @example
 *   pick(random, CURRENCIES); // 'USD' 70% of the time
 */
export function pick<T>(random: Random, choices: Weighted<T>): T {
  const u = random();
  const { cumulative, values } = choices;
  for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]!) return values[i]!;
  return values[values.length - 1]!;
}

/**
 * A seeded bijection of 32-bit integers: distinct indexes give distinct, scattered ids.
 * @example
 *   scramble32(7, 0) !== scramble32(7, 1); // true for any two indexes below 2^32
 */
export function scramble32(seed: number, index: number): number {
  let x = (Math.imul(index, 0x2c1b3c6d) + fmix32(seed)) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x297a2d39) >>> 0;
  return (x ^ (x >>> 12)) >>> 0;
}
