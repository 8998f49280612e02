import type { TargetItem } from '../../transforms/Transform';
import { canonicalJson } from '../canonicalJson';
import type { SnapshotEntry } from '../worker';

/** Two items are the same when their canonical JSON is (absent == absent). */
export const sameItem = (a: TargetItem | null, b: TargetItem | null): boolean => (a === null || b === null ? a === b : canonicalJson(a) === canonicalJson(b));

/** Why an item is a conflict. */
export type ConflictReason =
  /** The item is not as the run left it: live traffic changed or deleted it since. */
  | 'changed-since-run'
  /** It changed while the rollback was restoring it (its conditional write was refused, or its verification read another value). */
  | 'changed-during-rollback'
  /** Another run wrote it after this one (it carries that run's stamp): rolling this run back there would undo that run's write. */
  | 'written-by-later-run';

/** What rollback does with one snapshot entry, given the item as it is now. */
export type EntryAction =
  | { readonly kind: 'restore' }
  | { readonly kind: 'alreadyRestored' }
  | { readonly kind: 'untouched' }
  | { readonly kind: 'handledByOtherBatch'; readonly batchId: string }
  | { readonly kind: 'conflict'; readonly reason: ConflictReason; readonly laterRunId?: string };

export interface EntryState {
  readonly entry: SnapshotEntry;
  /** The item before the run touched it: the entry's pre-image, or, when another batch of this run wrote it first, that batch's. */
  readonly original: TargetItem | null;
  /** The item now (null: absent). */
  readonly current: TargetItem | null;
}

/**
 * Decides what rollback does with one entry of batch `batchId` of run `runId` (pure):
 * - the item carries this batch's stamp: restore it, unless the snapshot knows what the run wrote
 *   and the item differs from that (changed since, stamp kept): conflict;
 * - it equals the pre-run state: nothing to do (already restored, or untouched if the run never meant to write it);
 * - it carries another batch's stamp of this run: that batch wrote it last, and its rollback restores it;
 * - otherwise, if the run wrote it, it changed since: a conflict, `written-by-later-run` when it carries
 *   another run's stamp (that run wrote over this one's write), else `changed-since-run` (live
 *   traffic); if the run did not write it, it is none of our business.
 * @example
 *   classifyEntry({ entry, original: entry.preImage, current }, 'run-1', 'b0000003'); // { kind: 'restore' }
 */
export function classifyEntry(state: EntryState, runId: string, batchId: string): EntryAction {
  const { entry, original, current } = state;
  if (current !== null && current.backfillRunId === runId && current.backfillBatchId === batchId) {
    if (entry.intended !== null && !sameItem(current, entry.intended)) return { kind: 'conflict', reason: 'changed-since-run' };
    return { kind: 'restore' };
  }
  if (sameItem(current, original)) return { kind: entry.intended !== null ? 'alreadyRestored' : 'untouched' };
  if (current !== null && current.backfillRunId === runId && typeof current.backfillBatchId === 'string') {
    return { kind: 'handledByOtherBatch', batchId: current.backfillBatchId };
  }
  if (entry.intended === null) return { kind: 'untouched' };
  const stampedRun = current?.backfillRunId;
  if (typeof stampedRun === 'string' && stampedRun !== runId) return { kind: 'conflict', reason: 'written-by-later-run', laterRunId: stampedRun };
  return { kind: 'conflict', reason: 'changed-since-run' };
}
