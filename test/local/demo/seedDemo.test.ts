import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTableCommand, type KeyType, type ScalarAttributeType } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_TARGET_TABLE } from '../../../infra/definitions';
import type { AwsClients } from '../../../lambdas/lib/aws/clients';
import { localClients } from '../../../local/aws';
import { OrderEventSchema, orderSummaryV2, type OrderSummary } from '../../../lambdas/transforms';
import { startDynalite, type RunningEmulator } from '../../../local/emulators/startDynalite';
import { startS3rver } from '../../../local/emulators/startS3rver';
import { batchWriteAll, BatchWriteIncompleteError, generateDemoDataset, seedDemo, type SeedDemoProgress } from '../../../local/demo';

const BUCKET = 'demo-source';
const TABLE = 'demo-order-summaries';
const DATASET = { records: 1_500, seed: 11, maxLinesPerObject: 100 } as const;

let dynalite: RunningEmulator;
let s3rver: RunningEmulator;
let clients: AwsClients;

beforeAll(async () => {
  [dynalite, s3rver] = await Promise.all([startDynalite(), startS3rver()]);
  clients = localClients({ dynamodbEndpoint: dynalite.endpoint, s3Endpoint: s3rver.endpoint });
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await createTargetTable(TABLE);
});

afterAll(async () => {
  clients?.ddb.destroy();
  clients?.s3.destroy();
  await Promise.all([dynalite?.close(), s3rver?.close()]);
});

async function createTargetTable(tableName: string): Promise<void> {
  const { partitionKey, sortKey } = DEMO_TARGET_TABLE;
  const keys = sortKey ? [partitionKey, sortKey] : [partitionKey];
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type as ScalarAttributeType })),
      KeySchema: keys.map((k, i) => ({ AttributeName: k.name, KeyType: (i === 0 ? 'HASH' : 'RANGE') as KeyType })),
    }),
  );
}

async function scanTable(tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await clients.ddb.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items.sort((a, b) => String(a.orderId).localeCompare(String(b.orderId)));
}

async function readObjects(prefix: string): Promise<{ key: string; body: string }[]> {
  const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
  return Promise.all(
    keys.map(async (key) => {
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return { key, body: await object.Body!.transformToString() };
    }),
  );
}

const byOrderId = (items: OrderSummary[]) => [...items].sort((a, b) => a.orderId.localeCompare(b.orderId));
const byKey = <T extends { key: string }>(objects: T[]) => [...objects].sort((a, b) => a.key.localeCompare(b.key));

describe('seedDemo', () => {
  const expected = generateDemoDataset(DATASET).collect();

  it('uploads the source objects byte for byte and writes the target items before the fix', async () => {
    // WHEN the demo is seeded into an empty bucket and table
    const progress: SeedDemoProgress[] = [];
    const result = await seedDemo({ clients, sourceBucket: BUCKET, targetTable: TABLE, ...DATASET, onProgress: (p) => progress.push(p) });
    // THEN S3 holds exactly the generated objects and the table exactly the generated items
    expect(await readObjects('orders/')).toEqual(byKey(expected.objects));
    expect(await scanTable(TABLE)).toEqual(byOrderId(expected.targetItems));
    expect(result.stats).toEqual(expected.stats);
    expect(result.objectKeys).toEqual(expected.objects.map((o) => o.key));
    expect(result.staleObjectsDeleted).toBe(0);
    expect(progress.at(-1)).toEqual({ objectsDone: expected.objects.length, objects: expected.objects.length, recordsDone: 1_500, records: 1_500 });
    expect(progress.length).toBe(expected.objects.length);
  });

  it('is idempotent: seeding again leaves the same bucket and table', async () => {
    const objectsBefore = await readObjects('');
    const itemsBefore = await scanTable(TABLE);
    const again = await seedDemo({ clients, sourceBucket: BUCKET, targetTable: TABLE, ...DATASET });
    expect(await readObjects('')).toEqual(objectsBefore);
    expect(await scanTable(TABLE)).toEqual(itemsBefore);
    expect(again.stats).toEqual(expected.stats);
  });

  it('resets every key of the dataset after a backfill changed them, and deletes stale objects under the prefix only', async () => {
    // GIVEN a backfill created a missing item and rewrote another, and an older seed left an extra object
    const missingId = expected.missingOrderIds[0]!;
    const stored = expected.targetItems[5]!;
    await clients.ddb.send(new PutCommand({ TableName: TABLE, Item: { ...stored, totalCents: 1, runId: 'r1' } }));
    await clients.ddb.send(new PutCommand({ TableName: TABLE, Item: { orderId: missingId, version: 1, runId: 'r1' } }));
    await clients.ddb.send(new PutCommand({ TableName: TABLE, Item: { orderId: 'not-in-dataset', version: 1 } }));
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'orders/dt=2024-03-20/part-00000.jsonl', Body: '{}\n' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'elsewhere/dt=2024-03-20/part-00000.jsonl', Body: '{}\n' }));
    await clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'orders/README.txt', Body: 'not a part' }));
    // WHEN seeding again
    const result = await seedDemo({ clients, sourceBucket: BUCKET, targetTable: TABLE, ...DATASET });
    // THEN the dataset's keys are as seeded; what is outside the dataset's prefix or keys stays
    expect(result.staleObjectsDeleted).toBe(1);
    expect(await readObjects('orders/dt=')).toEqual(byKey(expected.objects));
    expect((await readObjects('orders/README')).map((o) => o.key)).toEqual(['orders/README.txt']);
    expect((await readObjects('elsewhere/')).map((o) => o.key)).toEqual(['elsewhere/dt=2024-03-20/part-00000.jsonl']);
    const items = await scanTable(TABLE);
    expect(items.filter((i) => i.orderId !== 'not-in-dataset')).toEqual(byOrderId(expected.targetItems));
    expect(items.some((i) => i.orderId === 'not-in-dataset')).toBe(true);
    await clients.ddb.send(new DeleteCommand({ TableName: TABLE, Key: { orderId: 'not-in-dataset' } }));
  });

  it('leaves a table where v2 would change 15–40% of the stored v1 items', async () => {
    // GIVEN the seeded source records, read back from S3, and the seeded table
    const records = (await readObjects('orders/dt=')).flatMap(({ body }) =>
      body.trim().split('\n').flatMap((line) => {
        try {
          const parsed = OrderEventSchema.safeParse(JSON.parse(line));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      }),
    );
    const stored = new Map((await scanTable(TABLE)).map((item) => [item.orderId, item]));
    // WHEN each record's v2 item is compared with what the table holds at the same version
    const canonical = (item: Record<string, unknown>) => JSON.stringify(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)));
    let comparable = 0;
    let changed = 0;
    let newer = 0;
    for (const record of records) {
      const item = stored.get(record.orderId);
      const v2 = orderSummaryV2.apply(record)[0]!;
      if (!item) continue;
      if (Number(item.version) > v2.version) {
        newer++;
        continue;
      }
      comparable++;
      if (canonical(item) !== canonical(v2)) changed++;
    }
    // THEN about a quarter differ, and the live-updated ones are newer than their source
    expect(records.length).toBe(expected.stats.valid);
    expect(newer).toBe(expected.stats.liveUpdated);
    expect(changed).toBe(expected.stats.expected.updated);
    expect(changed / comparable).toBeGreaterThan(0.15);
    expect(changed / comparable).toBeLessThan(0.4);
  });
});

describe('batchWriteAll', () => {
  const items = Array.from({ length: 60 }, (_, i) => ({ orderId: `bw-${i}`, version: 1 }));

  /** A client that reports the last `n` requests of each call as unprocessed, `times` times, then behaves. */
  function flaky(n: number, times: number): { ddb: DynamoDBDocumentClient; calls: () => number } {
    let calls = 0;
    let left = times;
    const ddb = {
      send: async (command: BatchWriteCommand) => {
        calls++;
        const requests = command.input.RequestItems![TABLE]!;
        if (left <= 0) return clients.ddb.send(command);
        left--;
        const processed = requests.slice(0, Math.max(0, requests.length - n));
        if (processed.length > 0) await clients.ddb.send(new BatchWriteCommand({ RequestItems: { [TABLE]: processed } }));
        return { UnprocessedItems: { [TABLE]: requests.slice(processed.length) } };
      },
    } as unknown as DynamoDBDocumentClient;
    return { ddb, calls: () => calls };
  }

  it('retries unprocessed items until every item is written', async () => {
    const { ddb, calls } = flaky(5, 4);
    await batchWriteAll(ddb, TABLE, items.map((Item) => ({ PutRequest: { Item } })), { concurrency: 1, baseDelayMs: 1 });
    // 3 groups (25, 25, 10) + 4 retries
    expect(calls()).toBe(7);
    const written = await scanTable(TABLE);
    expect(written.filter((i) => String(i.orderId).startsWith('bw-'))).toHaveLength(60);
    await batchWriteAll(clients.ddb, TABLE, items.map(({ orderId }) => ({ DeleteRequest: { Key: { orderId } } })));
    expect((await scanTable(TABLE)).filter((i) => String(i.orderId).startsWith('bw-'))).toEqual([]);
  });

  it('gives up with BatchWriteIncompleteError when items stay unprocessed', async () => {
    const { ddb, calls } = flaky(3, Infinity);
    const writing = batchWriteAll(ddb, TABLE, items.slice(0, 10).map((Item) => ({ PutRequest: { Item } })), { maxAttempts: 3, baseDelayMs: 1 });
    await expect(writing).rejects.toThrow(BatchWriteIncompleteError);
    await expect(writing).rejects.toThrow(`3 write request(s) to table ${TABLE} were still unprocessed after 3 attempts`);
    expect(calls()).toBe(3);
  });
});
