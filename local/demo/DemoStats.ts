import { sumCounts } from '../../lambdas/lib/sumCounts';
import { MALFORMED_KINDS, type MalformedKind } from './orderEvents';

/** Counts that describe a dataset (or one object of it) and what a v2 backfill should do with it. */
export interface DemoStats {
  readonly objects: number;
  /** Source lines, malformed ones included. */
  readonly records: number;
  readonly valid: number;
  readonly malformed: number;
  readonly malformedByKind: Readonly<Record<MalformedKind, number>>;
  /** Items in the target table before the fix. */
  readonly targetItems: number;
  /** Valid records whose order has no target item. */
  readonly missing: number;
  /** Valid records whose target item was since rewritten by live traffic at version + 1. */
  readonly liveUpdated: number;
  /** Valid records whose v1 item differs from their v2 item (whatever the target holds). */
  readonly v1Wrong: number;
  /** ... of which the orderDate differs (bug 2). */
  readonly v1WrongDate: number;
  /** ... of which the totalCents differs (bug 1). */
  readonly v1WrongTotal: number;
  /** What a backfill with order-summary@2 should do, per valid record (they sum to `valid`). */
  readonly expected: {
    /** Missing items to write. */
    readonly created: number;
    /** Stored v1 items that v2 changes. */
    readonly updated: number;
    /** Stored v1 items equal to their v2 item: no write needed. */
    readonly unchanged: number;
    /** Items at a newer version than the source record: must be left alone. */
    readonly skippedNewer: number;
  };
}

/**
 * The zero of {@link addDemoStats}.
 * @example
 *   emptyDemoStats().records; // 0
 */
export function emptyDemoStats(): DemoStats {
  return {
    objects: 0, records: 0, valid: 0, malformed: 0,
    malformedByKind: Object.fromEntries(MALFORMED_KINDS.map((kind) => [kind, 0])) as Record<MalformedKind, number>,
    targetItems: 0, missing: 0, liveUpdated: 0, v1Wrong: 0, v1WrongDate: 0, v1WrongTotal: 0,
    expected: { created: 0, updated: 0, unchanged: 0, skippedNewer: 0 },
  };
}

/**
 * The sum of two sets of counts.
 * @example
 *   const total = [...dataset.parts()].reduce((sum, part) => addDemoStats(sum, part.stats), emptyDemoStats());
 */
export function addDemoStats(a: DemoStats, b: DemoStats): DemoStats {
  return sumCounts(a, b);
}
