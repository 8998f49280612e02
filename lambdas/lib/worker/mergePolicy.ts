import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import { withoutStamp } from './stamps';
import type { Target } from './targetKeys';

/**
 * The one total order on items a transform produces for one key, used within a batch (two records
 * for one key) and across batches and runs (the stored item was written by the same transform): the
 * higher version wins; at equal version the greater canonical JSON of the item without its stamp.
 * Content alone decides, never which line, batch or run came first, so the same input gives the
 * same table in any order.
 * @example
 *   outranks({ id: 'a', version: 2, v: 'B' }, { id: 'a', version: 2, v: 'A' }, 'version'); // true
 */
export function outranks(a: TargetItem, b: TargetItem, versionAttribute: string): boolean {
  const va = Number(a[versionAttribute]);
  const vb = Number(b[versionAttribute]);
  return va !== vb ? va > vb : canonicalJson(withoutStamp(a)) > canonicalJson(withoutStamp(b));
}

/** What to do with a recomputed item given the stored one, before any write. */
export type WriteDecision = 'write' | 'unchanged' | 'skippedNewer';

/**
 * The merge policy: what to do with a recomputed, stamped item given the stored one.
 * - absent: write;
 * - a newer version stored (live traffic): skippedNewer;
 * - equal content, whoever stamped it: unchanged;
 * - same version, stored by the same transform (another batch of this run, or an earlier run of
 *   it): both are candidates of one merge, so {@link outranks} decides: write only when the
 *   recomputed item wins, else unchanged (the key already holds the winner);
 * - otherwise (an older version, or the same version from another writer: the fix): write.
 * @example
 *   decideWrite(stored, stampItem(recomputed, stamp), spec.target); // 'write' | 'unchanged' | 'skippedNewer'
 */
export function decideWrite(stored: TargetItem | undefined, recomputed: TargetItem, target: Target): WriteDecision {
  if (!stored) return 'write';
  const storedVersion = Number(stored[target.versionAttribute]);
  const version = Number(recomputed[target.versionAttribute]);
  if (storedVersion > version) return 'skippedNewer';
  if (canonicalJson(withoutStamp(stored)) === canonicalJson(withoutStamp(recomputed))) return 'unchanged';
  const sameTransform = stored.backfillTransform !== undefined && stored.backfillTransform === recomputed.backfillTransform;
  if (storedVersion === version && sameTransform && !outranks(recomputed, stored, target.versionAttribute)) return 'unchanged';
  return 'write';
}
