import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { boundedChanges } from '../rollback/diffItems';
import { BoundedSamples, sortKeyOf } from '../validation/BoundedSamples';
import { InvalidEvidenceOptionError } from './errors';
import { ExactSum } from './exactSum';

/** The spec's `validation.sampleSize` default: before → after samples kept per attribute. */
export const DEFAULT_DIFF_SAMPLES = 20;
/** The most samples per attribute one may ask for (the spec's own limit). */
export const MAX_DIFF_SAMPLES = 1000;

/**
 * One item's change of one attribute; `before`/`after` absent when the attribute was added/removed.
 * A value longer than SHOWN_VALUE_CHARS of JSON is cut and says its length (see boundedChanges).
 */
export interface AttributeSample {
  readonly key: Readonly<Record<string, unknown>>;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Σ of an attribute's numeric values over the updated items, before and after (see {@link ExactSum}). */
export interface NumericShift {
  readonly before: number | string;
  readonly after: number | string;
}

/** How the items that existed before changed one top-level attribute. */
export interface AttributeDiff {
  readonly attribute: string;
  /** Items that change it: added + removed + changed. */
  readonly items: number;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  /** The changes of the items with the smallest keys, at most `maxSamples`. */
  readonly samples: readonly AttributeSample[];
  /** Present when any updated item holds a number in it, before or after. */
  readonly shift?: NumericShift;
}

/** What a stage would do to the target, attribute by attribute. */
export interface GoldenDiffResult {
  /** Items added: created + updated. */
  readonly items: number;
  /** Items with no pre-image: new in the target, counted apart (their attributes are not diffed). */
  readonly created: number;
  /** Items that existed before (created items excluded), changed or not. */
  readonly updated: number;
  /** Of `updated`, items whose intended image equals the pre-image (canonically). */
  readonly unchanged: number;
  /** Attributes in name order, each one that any updated item holds before or after. */
  readonly attributes: readonly AttributeDiff[];
}

interface Tally {
  added: number;
  removed: number;
  changed: number;
  readonly samples: BoundedSamples<AttributeSample>;
  readonly before: ExactSum;
  readonly after: ExactSum;
  numeric: boolean;
}

/**
 * Accumulates the per-attribute diff of a stage's items, pre-image → intended image, in memory
 * bounded by the number of distinct attribute names × `maxSamples` (not by the number of items).
 * Attributes are the items' top-level names; a nested value (map, list) counts as changed when it
 * differs canonically (key order does not matter). The samples are those with the smallest
 * canonical keys, so the result does not depend on the order items are added in. Numeric shifts
 * are exact sums (no float drift): numbers while every value and the sum are safe integers,
 * decimal strings otherwise.
 *
 * @throws InvalidEvidenceOptionError when maxSamples is not a whole number from 0 to {@link MAX_DIFF_SAMPLES}.
 * @example
 *   const diff = new GoldenDiff({ maxSamples: 2 });
 *   diff.add({ orderId: 'o1' }, { orderId: 'o1', totalCents: 1998 }, { orderId: 'o1', totalCents: 1999 });
 *   diff.result().attributes[1]; // { attribute: 'totalCents', items: 1, changed: 1, …, shift: { before: 1998, after: 1999 } }
 */
export class GoldenDiff {
  private readonly maxSamples: number;
  private readonly tallies = new Map<string, Tally>();
  private created = 0;
  private updated = 0;
  private unchanged = 0;

  constructor(options: { readonly maxSamples?: number } = {}) {
    const { maxSamples = DEFAULT_DIFF_SAMPLES } = options;
    if (!Number.isInteger(maxSamples) || maxSamples < 0 || maxSamples > MAX_DIFF_SAMPLES) {
      throw new InvalidEvidenceOptionError('maxSamples', maxSamples, `a whole number from 0 to ${MAX_DIFF_SAMPLES}`);
    }
    this.maxSamples = maxSamples;
  }

  /** Adds one item: its key, what the target held before (undefined: nothing) and what the stage writes. */
  add(key: Readonly<Record<string, unknown>>, preImage: TargetItem | undefined, intended: TargetItem): void {
    if (preImage === undefined) {
      this.created += 1;
      return;
    }
    this.updated += 1;
    let same = true;
    for (const attribute of new Set([...Object.keys(preImage), ...Object.keys(intended)])) {
      const before = preImage[attribute];
      const after = intended[attribute];
      if (before === undefined && after === undefined) continue;
      const tally = this.tallyOf(attribute);
      if (typeof before === 'number' && Number.isFinite(before)) { tally.before.add(before); tally.numeric = true; }
      if (typeof after === 'number' && Number.isFinite(after)) { tally.after.add(after); tally.numeric = true; }
      if (before !== undefined && after !== undefined && canonicalJson(before) === canonicalJson(after)) continue;
      same = false;
      if (before === undefined) tally.added += 1;
      else if (after === undefined) tally.removed += 1;
      else tally.changed += 1;
      const sortKey = sortKeyOf(key, before, after);
      // Values are cut to SHOWN_VALUE_CHARS as in the rollback's rehearsal: a sample stays small.
      const [cut] = boundedChanges([{ path: attribute, kind: 'changed', before, after }], 1);
      tally.samples.offer(sortKey, {
        key: structuredClone(key),
        ...(before === undefined ? {} : { before: structuredClone(cut!.before) }),
        ...(after === undefined ? {} : { after: structuredClone(cut!.after) }),
      });
    }
    if (same) this.unchanged += 1;
  }

  /** The diff so far (may be read as often as wanted). */
  result(): GoldenDiffResult {
    const attributes = [...this.tallies.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([attribute, t]) => ({
        attribute, items: t.added + t.removed + t.changed, added: t.added, removed: t.removed, changed: t.changed,
        samples: t.samples.values(),
        ...(t.numeric ? { shift: { before: t.before.value(), after: t.after.value() } } : {}),
      }));
    return { items: this.created + this.updated, created: this.created, updated: this.updated, unchanged: this.unchanged, attributes };
  }

  private tallyOf(attribute: string): Tally {
    let tally = this.tallies.get(attribute);
    if (tally === undefined) {
      tally = { added: 0, removed: 0, changed: 0, samples: new BoundedSamples(this.maxSamples), before: new ExactSum(), after: new ExactSum(), numeric: false };
      this.tallies.set(attribute, tally);
    }
    return tally;
  }
}
