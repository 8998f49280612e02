import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BatchWriteIncompleteError } from './errors';

/** One request of a BatchWriteItem call, in document-client form: `{ PutRequest: { Item } }` or `{ DeleteRequest: { Key } }`. */
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface BatchWriteAllOptions {
  /** BatchWriteItem calls in flight at once. @default 8 */
  readonly concurrency?: number;
  /** Calls per group of 25 before giving up on its unprocessed items. @default 10 */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled on each further retry up to 2 s. @default 50 */
  readonly baseDelayMs?: number;
}

/** BatchWriteItem takes at most 25 requests. */
const MAX_BATCH = 25;
const MAX_DELAY_MS = 2000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function writeGroup(ddb: DynamoDBDocumentClient, tableName: string, group: WriteRequest[], options: Required<BatchWriteAllOptions>): Promise<void> {
  let pending: WriteRequest[] = group;
  for (let attempt = 1; ; attempt++) {
    const result = await ddb.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
    pending = result.UnprocessedItems?.[tableName] ?? [];
    if (pending.length === 0) return;
    if (attempt >= options.maxAttempts) throw new BatchWriteIncompleteError(tableName, pending.length, attempt);
    await sleep(Math.min(options.baseDelayMs * 2 ** (attempt - 1), MAX_DELAY_MS));
  }
}

/**
 * Writes every request to one table with BatchWriteItem, 25 per call and a few calls at once,
 * retrying UnprocessedItems with exponential backoff. Requests must name distinct keys (a
 * BatchWriteItem call refuses two requests for one key). Unconditional: for seeding only.
 * @throws BatchWriteIncompleteError when a group still has unprocessed items after `maxAttempts` calls.
 * @example
 *   await batchWriteAll(clients.ddb, 'order-summaries', items.map((Item) => ({ PutRequest: { Item } })));
 */
export async function batchWriteAll(
  ddb: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchWriteAllOptions = {},
): Promise<void> {
  const settings = { concurrency: 8, maxAttempts: 10, baseDelayMs: 50, ...options };
  const groups: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += MAX_BATCH) groups.push(requests.slice(i, i + MAX_BATCH));
  let next = 0;
  const worker = async () => {
    while (next < groups.length) await writeGroup(ddb, tableName, groups[next++]!, settings);
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, groups.length) }, worker));
}
