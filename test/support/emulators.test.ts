import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DEMO_TARGET_TABLE, LEDGER_TABLE } from '../../infra/definitions';
import { dynamoTargets, uniqueName } from './dynamoTargets';
import { createBucket, createTable, startTestEmulators, type TestEmulators } from './emulators';

describe.each(dynamoTargets())('startTestEmulators(%s)', (target) => {
  let env: TestEmulators;
  beforeAll(async () => {
    env = await startTestEmulators(target);
  });
  afterAll(() => env?.close());

  it('round-trips an item through a table created from a TableDefinition', async () => {
    // GIVEN the ledger table, created the way the stack defines it
    const table = await createTable(env.clients, uniqueName('ledger'), LEDGER_TABLE);
    // WHEN an item is written and read back
    const item = { pk: 'RUN#r1', sk: 'BATCH#0001', status: 'DONE', counts: { written: 3 } };
    await env.clients.ddb.send(new PutCommand({ TableName: table, Item: item }));
    const read = await env.clients.ddb.send(new GetCommand({ TableName: table, Key: { pk: 'RUN#r1', sk: 'BATCH#0001' }, ConsistentRead: true }));
    // THEN it comes back unchanged
    expect(read.Item).toEqual(item);
  });

  it('creates on-demand tables with exactly the defined keys', async () => {
    const table = await createTable(env.clients, uniqueName('target'), DEMO_TARGET_TABLE);
    const { Table } = await env.clients.ddb.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.KeySchema).toEqual([{ AttributeName: 'orderId', KeyType: 'HASH' }]);
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('round-trips an object through s3rver', async () => {
    const bucket = await createBucket(env.clients, uniqueName('artifacts'));
    const body = '{"orderId":"o-1"}\n{"orderId":"o-2"}\n';
    await env.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'runs/r1/manifest.jsonl', Body: body }));
    const read = await env.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'runs/r1/manifest.jsonl' }));
    expect(await read.Body?.transformToString()).toBe(body);
  });

  it('closes what it started: its s3rver stops answering', async () => {
    const own = await startTestEmulators(target);
    await own.close();
    await expect(fetch(own.s3Endpoint)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  });
});

describe('s3rver', () => {
  let env: TestEmulators;
  beforeAll(async () => {
    env = await startTestEmulators('dynalite');
  });
  afterAll(() => env?.close());

  it('paginates ListObjectsV2 (needs --openssl-legacy-provider for its DES continuation tokens)', async () => {
    // GIVEN five objects
    const bucket = await createBucket(env.clients, uniqueName('source'));
    const keys = ['a/1.jsonl', 'a/2.jsonl', 'b/3.jsonl', 'b/4.jsonl', 'c/5.jsonl'];
    for (const key of keys) await env.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    // WHEN listing two at a time
    const pages: string[][] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await env.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2, ContinuationToken }));
      pages.push((page.Contents ?? []).map((object) => object.Key!));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
    // THEN every key comes once, in order, in pages of 2, 2, 1
    expect(pages).toEqual([keys.slice(0, 2), keys.slice(2, 4), keys.slice(4)]);
  });
});

describe('dynalite', () => {
  it('has no TransactWriteItems, which is why invariant tests also run on DynamoDB Local', async () => {
    const env = await startTestEmulators('dynalite');
    try {
      const table = await createTable(env.clients, uniqueName('ledger'), LEDGER_TABLE);
      const write = new TransactWriteCommand({ TransactItems: [{ Put: { TableName: table, Item: { pk: 'a', sk: 'b' } } }] });
      await expect(env.clients.ddb.send(write)).rejects.toMatchObject({ name: 'UnknownOperationException' });
    } finally {
      await env.close();
    }
  });
});
