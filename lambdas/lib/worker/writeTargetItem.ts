import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TargetItem } from '../../transforms/Transform';
import { isConditionalCheckFailed } from '../ledger';
import { canonicalJson } from '../canonicalJson';
import { decideWrite } from './mergePolicy';
import { storedItemGuard } from './storedItemGuard';
import { keyOf, type Target } from './targetKeys';

/**
 * What happened to one recomputed item. `skippedChanged`: another writer changed the item after this
 * batch read it, to something neither newer nor equal to the recomputed item; it is left alone,
 * because overwriting it would destroy a state the batch's snapshot does not hold.
 */
export type WriteOutcome = 'written' | 'created' | 'unchanged' | 'skippedNewer' | 'skippedChanged';

/** Times one item is judged again after its conditional write was refused. */
const WRITE_ROUNDS = 3;

export interface WriteOptions {
  /** The item as read now, when that may differ from `preImage` (a retry reusing an earlier attempt's snapshot). @default - the pre-image */
  readonly seen?: TargetItem | undefined;
  /**
   * The pre-image another batch of this run recorded for this key (null: absent), or undefined when
   * unknown. A key that batch wrote after this batch read it is taken over only when both recorded
   * the same pre-image, so this batch's snapshot still holds the key's pre-run state.
   */
  preImageRecordedBy?(batchId: string): Promise<TargetItem | null | undefined>;
}

const same = (a: TargetItem | undefined, b: TargetItem | undefined): boolean => a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b));

/** The item carries the stamp of `item`'s run and batch: an attempt of this batch wrote it. */
const writtenByThisBatch = (stored: TargetItem, item: TargetItem): boolean =>
  stored.backfillRunId === item.backfillRunId && stored.backfillBatchId === item.backfillBatchId && same(stored, item);

/**
 * Writes a stamped item over `preImage` — the item as the batch recorded it in its snapshot — and
 * only over it: the PutItem is conditional on the stored item still being the pre-image, attribute
 * for attribute (absent when there was none). So a write never destroys a state the snapshot lacks,
 * whether the read was stale (it is eventually consistent) or a live write landed in between. The
 * item is judged by the merge policy ({@link decideWrite}) against what is stored, and judged again
 * (read strongly) when its write is refused:
 * - exactly this item, with this batch's stamp: an earlier attempt of the batch wrote it, so it
 *   counts as written (created when the recorded pre-image was absent), as in an uninterrupted run;
 * - newer → skippedNewer; equal, or outranked by the same transform's item → unchanged;
 * - another batch of this run wrote it since, from the same pre-image → written over it (the
 *   canonical winner must win whichever batch lands first);
 * - anything else → skippedChanged.
 * The returned post-image is what is stored now.
 * @example
 *   const { outcome } = await writeTargetItem(ddb, spec.target, stampItem(item, stamp), preImage);
 */
export async function writeTargetItem(
  ddb: DynamoDBDocumentClient,
  target: Target,
  item: TargetItem,
  preImage: TargetItem | undefined,
  options: WriteOptions = {},
): Promise<{ outcome: WriteOutcome; postImage: TargetItem | undefined }> {
  let seen = 'seen' in options ? options.seen : preImage;
  for (let round = 0; round < WRITE_ROUNDS; round++) {
    if (seen && writtenByThisBatch(seen, item)) return { outcome: preImage ? 'written' : 'created', postImage: seen };
    const decision = decideWrite(seen, item, target);
    if (decision !== 'write') return { outcome: decision, postImage: seen };
    if (!same(seen, preImage) && !(await takesOver(seen, item, preImage, options))) return { outcome: 'skippedChanged', postImage: seen };
    try {
      await ddb.send(new PutCommand({ TableName: target.tableName, Item: item, ...storedItemGuard(target, seen) }));
      return { outcome: seen ? 'written' : 'created', postImage: item };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      ({ Item: seen } = await ddb.send(new GetCommand({ TableName: target.tableName, Key: keyOf(item, target), ConsistentRead: true })));
    }
  }
  return { outcome: 'skippedChanged', postImage: seen };
}

/** May `item` be written over `seen`, a state its snapshot does not hold? Only over another batch of this run's write from the same pre-image. */
async function takesOver(seen: TargetItem | undefined, item: TargetItem, preImage: TargetItem | undefined, options: WriteOptions): Promise<boolean> {
  if (!seen || !options.preImageRecordedBy || seen.backfillRunId !== item.backfillRunId || typeof seen.backfillBatchId !== 'string') return false;
  if (seen.backfillBatchId === item.backfillBatchId) return false;
  const theirs = await options.preImageRecordedBy(seen.backfillBatchId);
  return theirs !== undefined && same(theirs ?? undefined, preImage);
}
