import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { batchWriteAll, type WriteRequest } from './batchWrite';
import { addDemoStats, emptyDemoStats, type DemoStats } from './DemoStats';
import { generateDemoDataset, type GenerateDemoDatasetOptions } from './generateDemoDataset';

export interface SeedDemoOptions extends GenerateDemoDatasetOptions {
  readonly clients: AwsClients;
  /** An existing bucket for the source objects. */
  readonly sourceBucket: string;
  /** An existing table keyed like `DEMO_TARGET_TABLE` (partition key `orderId`). */
  readonly targetTable: string;
  /** BatchWriteItem calls in flight at once. @default 8 */
  readonly writeConcurrency?: number;
  /** Called after each object and its items are written. @default - no progress reports */
  readonly onProgress?: (progress: SeedDemoProgress) => void;
}

export interface SeedDemoProgress {
  readonly objectsDone: number;
  readonly objects: number;
  readonly recordsDone: number;
  readonly records: number;
}

export interface SeedDemoResult {
  readonly stats: DemoStats;
  /** Every source object key, in layout order. */
  readonly objectKeys: string[];
  /** Demo-named objects under the prefix that the dataset does not have (e.g. from a larger earlier seed), deleted. */
  readonly staleObjectsDeleted: number;
}

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken }));
    for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  return keys;
}

/**
 * Puts the demo dataset "before the fix" into an existing bucket and table: uploads every source
 * object, writes the `order-summary@1` items (and the live-updated ones) with BatchWriteItem, deletes
 * the items of the orders the dataset says are missing, and deletes the objects under the prefix
 * that are named like demo parts (`dt=YYYY-MM-DD/part-NNNNN.jsonl`) but are not in this dataset (left
 * by an earlier, larger seed). Creates no bucket or table; touches no other object.
 *
 * Idempotent, and it resets: seeding again, even after a backfill changed the target, leaves every
 * key the dataset names exactly as the first seeding did. Items of other keys are not touched.
 * Generates one object at a time, so a million records need little memory.
 *
 * @example
 *   const { stats } = await seedDemo({
 *     clients, sourceBucket: LOCAL_NAMES.sourceBucket, targetTable: LOCAL_NAMES.demoTargetTable, records: 100_000,
 *   });
 *   console.log(`${stats.expected.updated} items to fix, ${stats.malformed} malformed lines`);
 */
export async function seedDemo(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { clients, sourceBucket, targetTable, writeConcurrency = 8, onProgress } = options;
  const dataset = generateDemoDataset(options);
  let stats = emptyDemoStats();
  let objectsDone = 0;
  for (const part of dataset.parts()) {
    const requests: WriteRequest[] = [
      ...part.targetItems.map((Item) => ({ PutRequest: { Item } })),
      ...part.missingOrderIds.map((orderId) => ({ DeleteRequest: { Key: { orderId } } })),
    ];
    await Promise.all([
      clients.s3.send(new PutObjectCommand({ Bucket: sourceBucket, Key: part.key, Body: part.body, ContentType: 'application/x-ndjson' })),
      batchWriteAll(clients.ddb, targetTable, requests, { concurrency: writeConcurrency }),
    ]);
    stats = addDemoStats(stats, part.stats);
    onProgress?.({ objectsDone: ++objectsDone, objects: dataset.layout.length, recordsDone: stats.records, records: dataset.records });
  }
  const objectKeys = dataset.layout.map((object) => object.key);
  const wanted = new Set(objectKeys);
  const partName = /^dt=\d{4}-\d{2}-\d{2}\/part-\d{5}\.jsonl$/;
  const stale = (await listKeys(clients.s3, sourceBucket, dataset.prefix)).filter(
    (key) => !wanted.has(key) && partName.test(key.slice(dataset.prefix.length)),
  );
  for (const key of stale) await clients.s3.send(new DeleteObjectCommand({ Bucket: sourceBucket, Key: key }));
  return { stats, objectKeys, staleObjectsDeleted: stale.length };
}
