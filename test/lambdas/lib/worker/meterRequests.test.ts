import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { meterRequests, NO_REQUESTS } from '../../../../lambdas/lib/worker';
import { createTestStore, useEmulators, type TestStore } from '../../../support';

describe('meterRequests', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  let table: string;
  beforeAll(async () => {
    store = await createTestStore(env());
    table = await store.createTable({ partitionKey: { name: 'id', type: 'S' } });
  });

  const put = (id: string, bytes: number) => store.clients.ddb.send(new PutCommand({ TableName: table, Item: { id, pad: 'x'.repeat(bytes) } }));

  it('counts each call\'s own requests and capacity while calls run at once on shared clients', async () => {
    // GIVEN two concurrent metered calls on the same clients: one writes a 3 KB item and reads it, one puts and gets an object
    const [a, b] = await Promise.all([
      meterRequests(store.clients, async () => {
        await put('big', 3000);
        await store.clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' }, ConsistentRead: true }));
      }),
      meterRequests(store.clients, async () => {
        await store.clients.s3.send(new PutObjectCommand({ Bucket: store.deps.artifactsBucket, Key: 'k', Body: 'v' }));
        await store.clients.s3.send(new GetObjectCommand({ Bucket: store.deps.artifactsBucket, Key: 'k' }));
      }),
    ]);
    // THEN each counts only its own: 3 write units for 3 KB, 1 read unit for a consistent read under 4 KB
    expect(a.requests).toEqual({ ...NO_REQUESTS, dynamodbWriteRequests: 1, dynamodbWriteUnits: 3, dynamodbReadRequests: 1, dynamodbReadUnits: 1 });
    expect(b.requests).toEqual({ ...NO_REQUESTS, s3Puts: 1, s3Gets: 1 });
  });

  it('counts a write refused by its condition as one write unit, and touches nothing outside a metered call', async () => {
    const refused = await meterRequests(store.clients, () =>
      store.clients.ddb.send(new PutCommand({ TableName: table, Item: { id: 'big' }, ConditionExpression: 'attribute_not_exists(id)' })).catch((e: Error) => e.name),
    );
    expect(refused.result).toBe('ConditionalCheckFailedException');
    expect(refused.requests).toMatchObject({ dynamodbWriteRequests: 1, dynamodbWriteUnits: 1 });
    // outside: the SDK's own output, without ConsumedCapacity asked for
    const outside = await store.clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' } }));
    expect(outside.ConsumedCapacity).toBeUndefined();
  });
});
