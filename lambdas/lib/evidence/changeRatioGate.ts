import type { BatchCounts } from '../ledger';
import type { Validation } from '../spec';
import { InvalidStageCountError } from './errors';
import { decimalOf } from './exactSum';

/** The spec's band of changed items, in % of items produced. */
export type ChangeBand = NonNullable<Validation['expectedChangePercent']>;

/** The gate's verdict on a stage's change ratio. */
export interface ChangeRatioResult {
  readonly produced: number;
  readonly written: number;
  /** 100 × written ÷ produced; null when the stage produced nothing (the ratio is undefined). */
  readonly changePercent: number | null;
  /** The band it was held to; absent when the spec gives none. */
  readonly band?: ChangeBand;
  readonly passed: boolean;
  /** Why the gate failed, naming the ratio and the band; absent when it passed. */
  readonly message?: string;
}

const COUNT_NAMES = ['read', 'malformed', 'produced', 'written', 'created', 'unchanged', 'skippedNewer', 'skippedChanged'] as const;

/**
 * The change ratio of a stage and whether it lies in the spec's `expectedChangePercent` band.
 *
 * The ratio is `written ÷ produced`: of the items the transform produced, the share the stage
 * wrote (in dry-run: would write), created items included; items left alone because they were
 * unchanged, newer or changed by another writer do not count as changed. It is compared as
 * `min × produced ≤ 100 × written ≤ max × produced` in exact decimals (no float rounding), so a
 * ratio exactly on an edge passes.
 * A stage that produced nothing has no ratio: with a band it fails (nothing was shown to be in
 * it), without one it passes. Without a band every ratio passes.
 *
 * @throws InvalidStageCountError when a count is not a whole number of 0 or more.
 * @example
 *   changeRatioGate({ ...ZERO_COUNTS, produced: 200, written: 3 }, { min: 0, max: 1 });
 *   // { produced: 200, written: 3, changePercent: 1.5, band: { min: 0, max: 1 }, passed: false,
 *   //   message: 'the stage changed 1.5% of the items it produced (3 of 200), outside expectedChangePercent 0–1%; …' }
 */
export function changeRatioGate(counts: BatchCounts, expectedChangePercent?: ChangeBand): ChangeRatioResult {
  for (const name of COUNT_NAMES) {
    const value: unknown = counts[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new InvalidStageCountError(name, value);
  }
  const { produced, written } = counts;
  const changePercent = produced === 0 ? null : (100 * written) / produced;
  const common = { produced, written, changePercent, ...(expectedChangePercent === undefined ? {} : { band: expectedChangePercent }) };
  if (expectedChangePercent === undefined) return { ...common, passed: true };
  const { min, max } = expectedChangePercent;
  const band = `expectedChangePercent ${min}–${max}%`;
  if (produced === 0) {
    return { ...common, passed: false, message: `the stage produced no items, so it has no change ratio to hold to ${band}; check the stage's source records, or remove expectedChangePercent` };
  }
  if (atMost(min, produced, written) && atMost(-max, produced, -written)) return { ...common, passed: true };
  return {
    ...common,
    passed: false,
    message: `the stage changed ${changePercent}% of the items it produced (${written} of ${produced}), outside ${band}; review the evidence, or widen expectedChangePercent in the spec if this change is intended`,
  };
}

/** Whether `percent × produced ≤ 100 × written`, exactly: floats would put 0.07 × 10000 above 700. */
function atMost(percent: number, produced: number, written: number): boolean {
  const { digits, scale } = decimalOf(percent);
  return digits * BigInt(produced) <= 100n * BigInt(written) * 10n ** BigInt(scale);
}
