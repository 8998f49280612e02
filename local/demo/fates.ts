import { MALFORMED_KINDS, type MalformedKind } from './orderEvents';
import { below, hash32, randomFor } from './prng';

// Streams of seeded draws (see prng.ts): day weights use 1, records 2.
const MALFORMED_STREAM = 3;
const FATE_STREAM = 4;
/** One malformed line per block of this many records (0.1%). */
const MALFORMED_BLOCK = 1000;
/** Per block of this many records: one order missing from the target (1%), two updated by live traffic (2%). */
const FATE_BLOCK = 100;

/** What became of one record of the dataset. */
export type Fate = { kind: 'malformed'; malformed: MalformedKind } | { kind: 'stored' } | { kind: 'missing' } | { kind: 'live-updated' };

/**
 * Decides, per block of records, which are malformed, missing or live-updated: exact rates for any
 * record count, and a function of (seed, index) only. Remembers the current block, so call it with
 * ascending indexes for speed (any order is correct).
 * @example
 *   const fateOf = fates(seed);
 *   fateOf(0); // { kind: 'stored' } (usually)
 */
export function fates(seed: number): (index: number) => Fate {
  const kindShift = hash32(seed, MALFORMED_STREAM, -1) % MALFORMED_KINDS.length;
  let malformedBlock = -1;
  let malformedAt = -1;
  let fateBlock = -1;
  let missingAt = -1;
  let liveAt: number[] = [];
  return (index) => {
    const mb = Math.floor(index / MALFORMED_BLOCK);
    if (mb !== malformedBlock) {
      malformedBlock = mb;
      malformedAt = mb * MALFORMED_BLOCK + below(randomFor(seed, MALFORMED_STREAM, mb), MALFORMED_BLOCK);
    }
    if (index === malformedAt) return { kind: 'malformed', malformed: MALFORMED_KINDS[(mb + kindShift) % MALFORMED_KINDS.length]! };
    const fb = Math.floor(index / FATE_BLOCK);
    if (fb !== fateBlock) {
      fateBlock = fb;
      const random = randomFor(seed, FATE_STREAM, fb);
      const offsets: number[] = [];
      while (offsets.length < 3) {
        const offset = below(random, FATE_BLOCK);
        if (!offsets.includes(offset)) offsets.push(offset);
      }
      [missingAt, ...liveAt] = offsets.map((o) => fb * FATE_BLOCK + o);
    }
    if (index === missingAt) return { kind: 'missing' };
    if (liveAt.includes(index)) return { kind: 'live-updated' };
    return { kind: 'stored' };
  };
}
