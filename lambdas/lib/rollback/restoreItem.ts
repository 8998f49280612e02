import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TargetItem } from '../../transforms/Transform';
import { isConditionalCheckFailed } from '../ledger';
import { storedItemGuard } from '../worker/storedItemGuard';
import type { Target } from '../worker/targetKeys';

/** What one conditional restore did: put the pre-image back, deleted a created item, or was refused (with the item as it is now). */
export type RestoreOutcome = { readonly kind: 'restored' | 'deleted' } | { readonly kind: 'refused'; readonly current: TargetItem | null };

/**
 * Restores one item to its pre-run state: PutItem of the pre-image, or DeleteItem when the run
 * created it, conditional on the item still being exactly `current`, the state the caller read and
 * judged to be what this batch left (storedItemGuard). A refused write re-reads the item so the
 * caller can judge it again.
 */
export async function restoreItem(
  ddb: DynamoDBDocumentClient,
  target: Target,
  key: Record<string, unknown>,
  original: TargetItem | null,
  current: TargetItem,
): Promise<RestoreOutcome> {
  const condition = storedItemGuard(target, current);
  try {
    if (original === null) {
      await ddb.send(new DeleteCommand({ TableName: target.tableName, Key: key, ...condition }));
      return { kind: 'deleted' };
    }
    await ddb.send(new PutCommand({ TableName: target.tableName, Item: original, ...condition }));
    return { kind: 'restored' };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb.send(new GetCommand({ TableName: target.tableName, Key: key, ConsistentRead: true }));
    return { kind: 'refused', current: Item ?? null };
  }
}
