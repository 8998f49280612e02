import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { meterRequests, NO_REQUESTS, startRequestMeter } from '../../../../lambdas/lib/worker';
import type { AwsClients } from '../../../../lambdas/lib/aws/clients';
import { createTestStore, useEmulators, type TestStore } from '../../../support';

describe('meterRequests', () => {
  const env = useEmulators('dynalite');
  let store: TestStore;
  let table: string;
  beforeAll(async () => {
    store = await createTestStore(env());
    table = await store.createTable({ partitionKey: { name: 'id', type: 'S' } });
  });

  const put = (clients: AwsClients, id: string, bytes: number) => clients.ddb.send(new PutCommand({ TableName: table, Item: { id, pad: 'x'.repeat(bytes) } }));

  it('counts each call\'s own requests and capacity while calls run at once on shared clients', async () => {
    // GIVEN two concurrent metered calls on the same clients: one writes a 3 KB item and reads it, one puts and gets an object
    const [a, b] = await Promise.all([
      meterRequests(store.clients, async (clients) => {
        await put(clients, 'big', 3000);
        await clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' }, ConsistentRead: true }));
      }),
      meterRequests(store.clients, async (clients) => {
        await clients.s3.send(new PutObjectCommand({ Bucket: store.deps.artifactsBucket, Key: 'k', Body: 'v' }));
        await clients.s3.send(new GetObjectCommand({ Bucket: store.deps.artifactsBucket, Key: 'k' }));
      }),
    ]);
    // THEN each counts only its own: 3 write units for 3 KB, 1 read unit for a consistent read under 4 KB
    expect(a.requests).toEqual({ ...NO_REQUESTS, dynamodbWriteRequests: 1, dynamodbWriteUnits: 3, dynamodbReadRequests: 1, dynamodbReadUnits: 1 });
    expect(b.requests).toEqual({ ...NO_REQUESTS, s3Puts: 1, s3Gets: 1 });
  });

  it('counts a write refused by its condition as one write unit, and touches nothing outside a metered call', async () => {
    const refused = await meterRequests(store.clients, (clients) =>
      clients.ddb.send(new PutCommand({ TableName: table, Item: { id: 'big' }, ConditionExpression: 'attribute_not_exists(id)' })).catch((e: Error) => e.name),
    );
    expect(refused.result).toBe('ConditionalCheckFailedException');
    expect(refused.requests).toMatchObject({ dynamodbWriteRequests: 1, dynamodbWriteUnits: 1 });
    // outside: the SDK's own output, without ConsumedCapacity asked for
    const outside = await store.clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' } }));
    expect(outside.ConsumedCapacity).toBeUndefined();
  });

  it('counts what goes through its clients until stopped, not what goes through the shared clients', async () => {
    const meter = startRequestMeter(store.clients);
    // a request on the shared clients while the meter runs, in the same async context: not counted
    await store.clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' } }));
    await meter.clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' }, ConsistentRead: true }));
    const requests = meter.stop();
    // after stop: passed through untouched (no ConsumedCapacity asked for), not counted
    const after = await meter.clients.ddb.send(new GetCommand({ TableName: table, Key: { id: 'big' } }));
    expect(after.ConsumedCapacity).toBeUndefined();
    expect(requests).toEqual({ ...NO_REQUESTS, dynamodbReadRequests: 1, dynamodbReadUnits: 1 });
    expect(meter.stop()).toEqual(requests);
    // the metered views are the same clients underneath (same config, same middleware stack)
    expect(meter.clients.ddb.config).toBe(store.clients.ddb.config);
    expect(meter.clients.ddb.middlewareStack.identify()).toEqual(store.clients.ddb.middlewareStack.identify());
  });
});

