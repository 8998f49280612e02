import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TargetItem } from '../../transforms/Transform';
import { isConditionalCheckFailed } from '../ledger';
import { canonicalJson } from '../canonicalJson';
import { withoutStamp } from './stamps';
import { storedItemGuard } from './storedItemGuard';
import { keyOf, type Target } from './targetKeys';

/**
 * What happened to one recomputed item. `skippedChanged`: another writer changed the item after this
 * batch read it, to something neither newer nor equal to the recomputed item; it is left alone,
 * because overwriting it would destroy a state the batch's snapshot does not hold.
 */
export type WriteOutcome = 'written' | 'created' | 'unchanged' | 'skippedNewer' | 'skippedChanged';

/** What to do with a recomputed item given the stored one. */
export function decideWrite(stored: TargetItem | undefined, recomputed: TargetItem, target: Target): Exclude<WriteOutcome, 'written' | 'created' | 'skippedChanged'> | 'write' {
  if (!stored) return 'write';
  const storedVersion = Number(stored[target.versionAttribute]);
  const version = Number(recomputed[target.versionAttribute]);
  if (storedVersion > version) return 'skippedNewer';
  if (canonicalJson(withoutStamp(stored)) === canonicalJson(withoutStamp(recomputed))) return 'unchanged';
  return 'write';
}

/**
 * Writes a stamped item over `preImage` — the item as the batch read it and recorded in its
 * snapshot — and only over it: the PutItem is conditional on the stored item still being the
 * pre-image, attribute for attribute (absent when there was none). So a write never destroys a
 * state the snapshot lacks, whether the read was stale (it is eventually consistent) or a live
 * write landed in between. When the condition fails the item is read again, strongly: newer →
 * skippedNewer, equal to the recomputed item (an earlier attempt wrote it) → unchanged, anything
 * else → skippedChanged. The returned post-image is what is stored now.
 */
export async function writeTargetItem(
  ddb: DynamoDBDocumentClient,
  target: Target,
  item: TargetItem,
  preImage: TargetItem | undefined,
): Promise<{ outcome: WriteOutcome; postImage: TargetItem | undefined }> {
  try {
    await ddb.send(new PutCommand({ TableName: target.tableName, Item: item, ...storedItemGuard(target, preImage) }));
    return { outcome: preImage ? 'written' : 'created', postImage: item };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb.send(new GetCommand({ TableName: target.tableName, Key: keyOf(item, target), ConsistentRead: true }));
    const decision = Item ? decideWrite(Item, item, target) : 'write';
    return { outcome: decision === 'write' ? 'skippedChanged' : decision, postImage: Item };
  }
}
