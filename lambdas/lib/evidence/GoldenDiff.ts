import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { SHOWN_VALUE_CHARS } from '../rollback/diffItems';
import type { DiffSummary } from './DiffSummary';
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

interface KeptSample {
  readonly sortKey: string;
  readonly sample: AttributeSample;
}

interface Tally {
  added: number;
  removed: number;
  changed: number;
  readonly samples: BoundedSamples<KeptSample>;
  readonly before: ExactSum;
  readonly after: ExactSum;
  numeric: boolean;
}

/** A sample's value as shown: cut past SHOWN_VALUE_CHARS as in the rollback's rehearsal, else a copy in canonical key order. */
function shown(value: unknown, text: string): unknown {
  if (typeof value === 'string') return value.length <= SHOWN_VALUE_CHARS ? value : `${value.slice(0, SHOWN_VALUE_CHARS)}… (${value.length} chars)`;
  return text.length > SHOWN_VALUE_CHARS ? `${text.slice(0, SHOWN_VALUE_CHARS)}… (${text.length} chars of JSON)` : JSON.parse(text);
}

/** Equal canonically; strings, finite numbers and booleans without building their JSON. */
function sameValue(before: unknown, after: unknown, texts: () => [string, string]): boolean {
  const kind = typeof before;
  if (kind === typeof after && (kind === 'string' || kind === 'boolean' || (kind === 'number' && Number.isFinite(before) && Number.isFinite(after)))) return before === after;
  const [beforeText, afterText] = texts();
  return beforeText === afterText;
}

/**
 * Accumulates the per-attribute diff of a stage's items, pre-image → intended image, in memory
 * bounded by the number of distinct attribute names × `maxSamples` (not by the number of items).
 * Attributes are the items' top-level names (but `ignoredAttributes`); a nested value (map, list)
 * counts as changed when it differs canonically (key order does not matter). The samples are
 * those with the smallest canonical keys, so the result does not depend on the order items are
 * added in, and copies in canonical key order, so it does not depend on how an item was read.
 * Numeric shifts are exact sums (no float drift): numbers while every value and the sum are safe
 * integers, decimal strings otherwise. A batch's diff is kept as a {@link DiffSummary}; merging the
 * summaries of a stage's batches gives exactly the diff of all their items.
 *
 * @throws InvalidEvidenceOptionError when maxSamples is not a whole number from 0 to {@link MAX_DIFF_SAMPLES}.
 * @example
 *   const diff = new GoldenDiff({ maxSamples: 2 });
 *   diff.add({ orderId: 'o1' }, { orderId: 'o1', totalCents: 1998 }, { orderId: 'o1', totalCents: 1999 });
 *   diff.result().attributes[1]; // { attribute: 'totalCents', items: 1, changed: 1, …, shift: { before: 1998, after: 1999 } }
 */
export class GoldenDiff {
  readonly maxSamples: number;
  private readonly ignored: ReadonlySet<string>;
  private readonly tallies = new Map<string, Tally>();
  private created = 0;
  private updated = 0;
  private unchanged = 0;

  constructor(options: { readonly maxSamples?: number; readonly ignoredAttributes?: readonly string[] } = {}) {
    const { maxSamples = DEFAULT_DIFF_SAMPLES, ignoredAttributes = [] } = options;
    if (!Number.isInteger(maxSamples) || maxSamples < 0 || maxSamples > MAX_DIFF_SAMPLES) {
      throw new InvalidEvidenceOptionError('maxSamples', maxSamples, `a whole number from 0 to ${MAX_DIFF_SAMPLES}`);
    }
    this.maxSamples = maxSamples;
    this.ignored = new Set(ignoredAttributes);
  }

  /** Adds one item: its key, what the target held before (undefined: nothing) and what the stage writes. */
  add(key: Readonly<Record<string, unknown>>, preImage: TargetItem | undefined, intended: TargetItem): void {
    if (preImage === undefined) {
      this.created += 1;
      return;
    }
    this.updated += 1;
    let same = true;
    let keyText: string | undefined;
    for (const attribute of new Set([...Object.keys(preImage), ...Object.keys(intended)])) {
      if (this.ignored.has(attribute)) continue;
      const before = preImage[attribute];
      const after = intended[attribute];
      if (before === undefined && after === undefined) continue;
      const tally = this.tallyOf(attribute);
      if (typeof before === 'number' && Number.isFinite(before)) { tally.before.add(before); tally.numeric = true; }
      if (typeof after === 'number' && Number.isFinite(after)) { tally.after.add(after); tally.numeric = true; }
      let texts: [string, string] | undefined;
      const textsOf = () => (texts ??= [canonicalJson(before), canonicalJson(after)]);
      if (before !== undefined && after !== undefined && sameValue(before, after, textsOf)) continue;
      same = false;
      if (before === undefined) tally.added += 1;
      else if (after === undefined) tally.removed += 1;
      else tally.changed += 1;
      const [beforeText, afterText] = textsOf();
      keyText ??= canonicalJson(key);
      // What sortKeyOf(key, before, after) gives, from the texts already built.
      const sortKey = `${keyText}\u0000${beforeText ?? 'undefined'}\u0000${afterText ?? 'undefined'}`;
      if (!tally.samples.accepts(sortKey)) continue;
      tally.samples.offer(sortKey, {
        sortKey,
        sample: {
          key: JSON.parse(keyText) as Record<string, unknown>,
          ...(before === undefined ? {} : { before: shown(before, beforeText) }),
          ...(after === undefined ? {} : { after: shown(after, afterText) }),
        },
      });
    }
    if (same) this.unchanged += 1;
  }

  /** The diff so far (may be read as often as wanted). */
  result(): GoldenDiffResult {
    const attributes = this.sortedTallies().map(([attribute, t]) => ({
      attribute, items: t.added + t.removed + t.changed, added: t.added, removed: t.removed, changed: t.changed,
      samples: t.samples.values().map((kept) => kept.sample),
      ...(t.numeric ? { shift: { before: t.before.value(), after: t.after.value() } } : {}),
    }));
    return { items: this.created + this.updated, created: this.created, updated: this.updated, unchanged: this.unchanged, attributes };
  }

  /**
   * The diff so far as a {@link DiffSummary}, to be stored and merged into another GoldenDiff.
   * @example
   *   const text = JSON.stringify(batchDiff.summary()); // on the batch record
   *   stageDiff.merge(DiffSummarySchema.parse(JSON.parse(text)));
   */
  summary(): DiffSummary {
    const attributes = this.sortedTallies().map(([attribute, t]) => ({
      attribute, added: t.added, removed: t.removed, changed: t.changed, numeric: t.numeric, before: t.before.state(), after: t.after.state(),
      samples: t.samples.values().map(({ sortKey, sample }) => (sortKey === sortKeyOf(sample.key, sample.before, sample.after) ? { ...sample } : { sortKey, ...sample })),
    }));
    return { version: 1, maxSamples: this.maxSamples, created: this.created, updated: this.updated, unchanged: this.unchanged, attributes };
  }

  /** Whether {@link merge} takes this summary: it must keep at least as many samples as this diff shows. */
  canMerge(summary: DiffSummary): boolean {
    return summary.maxSamples >= this.maxSamples;
  }

  /**
   * Adds another diff's items, as its {@link summary} kept them: the result is what adding those
   * items here one by one would give.
   * @throws InvalidEvidenceOptionError when the summary kept fewer samples than this diff shows (see {@link canMerge}).
   */
  merge(summary: DiffSummary): void {
    if (!this.canMerge(summary)) throw new InvalidEvidenceOptionError('summary.maxSamples', summary.maxSamples, `at least this diff's maxSamples (${this.maxSamples})`);
    this.created += summary.created;
    this.updated += summary.updated;
    this.unchanged += summary.unchanged;
    for (const part of summary.attributes) {
      const tally = this.tallyOf(part.attribute);
      tally.added += part.added;
      tally.removed += part.removed;
      tally.changed += part.changed;
      tally.numeric ||= part.numeric;
      tally.before.addState(part.before);
      tally.after.addState(part.after);
      for (const { sortKey, key, before, after } of part.samples) {
        const sample: AttributeSample = { key, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
        const order = sortKey ?? sortKeyOf(key, before, after);
        tally.samples.offer(order, { sortKey: order, sample });
      }
    }
  }

  private sortedTallies(): [string, Tally][] {
    return [...this.tallies.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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
