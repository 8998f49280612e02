import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TargetItem } from '../../transforms/Transform';
import { keyOf, keyString, type Target } from './targetKeys';

const KEYS_PER_CALL = 100;
const MAX_ROUNDS = 10;

/**
 * Reads the current items for the given keys, 100 keys per call, retrying unprocessed keys with
 * backoff. Returns a map from keyString to item (absent keys are missing). `consistency`
 * 'eventual' costs half the read units and may return a state up to about a second old: use it
 * only where the writes that follow are guarded by what was read (see storedItemGuard).
 */
export async function readPreImages(
  ddb: DynamoDBDocumentClient,
  target: Target,
  keys: readonly Record<string, unknown>[],
  consistency: 'strong' | 'eventual' = 'strong',
): Promise<Map<string, TargetItem>> {
  const found = new Map<string, TargetItem>();
  for (let start = 0; start < keys.length; start += KEYS_PER_CALL) {
    let pending: Record<string, unknown>[] = keys.slice(start, start + KEYS_PER_CALL);
    for (let round = 0; pending.length > 0; round++) {
      if (round === MAX_ROUNDS) throw new Error(`BatchGetItem on ${target.tableName} left ${pending.length} keys unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      const response = await ddb.send(new BatchGetCommand({ RequestItems: { [target.tableName]: { Keys: pending, ConsistentRead: consistency === 'strong' } } }));
      for (const item of response.Responses?.[target.tableName] ?? []) found.set(keyString(keyOf(item, target)), item);
      pending = (response.UnprocessedKeys?.[target.tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return found;
}
