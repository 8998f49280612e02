import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TargetItem } from '../../transforms/Transform';
import { isConditionalCheckFailed } from '../ledger';
import { canonicalJson } from '../canonicalJson';
import { withoutStamp } from './stamps';
import { keyOf, type Target } from './targetKeys';

export type WriteOutcome = 'written' | 'created' | 'unchanged' | 'skippedNewer';

/** What to do with a recomputed item given the stored one. */
export function decideWrite(stored: TargetItem | undefined, recomputed: TargetItem, target: Target): Exclude<WriteOutcome, 'written' | 'created'> | 'write' {
  if (!stored) return 'write';
  const storedVersion = Number(stored[target.versionAttribute]);
  const version = Number(recomputed[target.versionAttribute]);
  if (storedVersion > version) return 'skippedNewer';
  if (canonicalJson(withoutStamp(stored)) === canonicalJson(withoutStamp(recomputed))) return 'unchanged';
  return 'write';
}

/**
 * Writes a stamped item unless the stored item is newer: `attribute_not_exists(pk) OR version <= :v`.
 * A live write that raced in between read and write wins; the outcome is then skippedNewer and the
 * returned post-image is what is stored now.
 */
export async function writeTargetItem(
  ddb: DynamoDBDocumentClient,
  target: Target,
  item: TargetItem,
  existed: boolean,
): Promise<{ outcome: WriteOutcome; postImage: TargetItem | undefined }> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: target.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#pk) OR #version <= :version',
        ExpressionAttributeNames: { '#pk': target.partitionKey, '#version': target.versionAttribute },
        ExpressionAttributeValues: { ':version': item[target.versionAttribute] },
      }),
    );
    return { outcome: existed ? 'written' : 'created', postImage: item };
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const { Item } = await ddb.send(new GetCommand({ TableName: target.tableName, Key: keyOf(item, target), ConsistentRead: true }));
    return { outcome: 'skippedNewer', postImage: Item };
  }
}
