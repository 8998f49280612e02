import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { boundedChanges, diffItems, type AttributeChange } from '../rollback/diffItems';
import { BoundedSamples, sortKeyOf } from '../validation/BoundedSamples';
import { InvalidEvidenceOptionError } from './errors';
import { DEFAULT_DIFF_SAMPLES, MAX_DIFF_SAMPLES } from './GoldenDiff';
import { goldenKeyOf, type GoldenItems } from './parseGolden';

/** Attribute differences kept per mismatch sample (values cut as in the rollback's rehearsal). */
export const MAX_MISMATCH_CHANGES = 20;

/** A golden key whose produced item differs from the golden one: golden → produced. */
export interface GoldenMismatch {
  readonly key: Readonly<Record<string, unknown>>;
  readonly line: number;
  readonly changes: readonly AttributeChange[];
}

/** A golden key nothing was produced for. */
export interface GoldenMissing {
  readonly key: Readonly<Record<string, unknown>>;
  readonly line: number;
}

/** Whether every golden key's produced item equals its golden item. */
export interface GoldenCheckResult {
  readonly golden: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly missing: number;
  /** Produced items whose key is not in the golden file (not checked). */
  readonly notGolden: number;
  readonly passed: boolean;
  /** Mismatches with the smallest keys, at most `maxSamples`. */
  readonly mismatches: readonly GoldenMismatch[];
  /** Missing keys, smallest first, at most `maxSamples`. */
  readonly missingKeys: readonly GoldenMissing[];
}

/** An accumulator: feed it every produced item, then read the result (as often as wanted). */
export interface GoldenChecker {
  add(produced: TargetItem): void;
  result(): GoldenCheckResult;
}

/**
 * Checks produced items against the golden ones (from {@link parseGolden}, keyed by its key
 * attributes): a golden key matches
 * when its produced item equals the golden item canonically. A key produced more than once
 * mismatches if any of its items differs, so the result does not depend on the order of adds.
 * Memory: one flag per golden item plus `maxSamples` mismatch samples.
 *
 * @throws InvalidEvidenceOptionError when maxSamples is not a whole number from 0 to {@link MAX_DIFF_SAMPLES}.
 * @example
 *   const check = goldenCheck(parseGolden(text, ['orderId']), { maxSamples: 20 });
 *   for (const item of produced) check.add(item);
 *   check.result().passed; // true when every golden key was produced as written
 */
export function goldenCheck(golden: GoldenItems, options: { readonly maxSamples?: number } = {}): GoldenChecker {
  const { maxSamples = DEFAULT_DIFF_SAMPLES } = options;
  const { keyAttributes, items } = golden;
  if (!Number.isInteger(maxSamples) || maxSamples < 0 || maxSamples > MAX_DIFF_SAMPLES) {
    throw new InvalidEvidenceOptionError('maxSamples', maxSamples, `a whole number from 0 to ${MAX_DIFF_SAMPLES}`);
  }
  const seen = new Map<string, 'matched' | 'mismatched'>();
  const mismatches = new BoundedSamples<GoldenMismatch>(maxSamples);
  let notGolden = 0;
  return {
    add(produced) {
      const key = goldenKeyOf(produced, keyAttributes);
      const expected = items.get(key);
      if (expected === undefined) {
        notGolden += 1;
        return;
      }
      const producedText = canonicalJson(produced);
      if (producedText === canonicalJson(expected.item)) {
        if (!seen.has(key)) seen.set(key, 'matched');
        return;
      }
      seen.set(key, 'mismatched');
      mismatches.offer(sortKeyOf(expected.key, producedText), {
        key: expected.key, line: expected.line, changes: boundedChanges(diffItems(expected.item, produced), MAX_MISMATCH_CHANGES),
      });
    },
    result() {
      const missingKeys = new BoundedSamples<GoldenMissing>(maxSamples);
      let matched = 0;
      let mismatched = 0;
      let missing = 0;
      for (const [key, { line, key: keyValue }] of items) {
        const state = seen.get(key);
        if (state === 'matched') matched += 1;
        else if (state === 'mismatched') mismatched += 1;
        else {
          missing += 1;
          missingKeys.offer(sortKeyOf(keyValue), { key: keyValue, line });
        }
      }
      return {
        golden: items.size, matched, mismatched, missing, notGolden, passed: mismatched === 0 && missing === 0,
        mismatches: mismatches.values(), missingKeys: missingKeys.values(),
      };
    },
  };
}
