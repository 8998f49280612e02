import { connect, createServer, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { LEDGER_TABLE } from '../../infra/definitions';
import { javaAvailable, startDynamoDbLocal } from '../../local/emulators';
import { startTestDynamo, targetChoice, uniqueName } from './dynamoTargets';
import { createTable } from './emulators';

// In CI, globalSetup has already failed the run if java is missing; elsewhere these tests skip.
const inCi = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());
const skipReason = !javaAvailable() && !inCi ? 'java is not on PATH (install openjdk-17-jre-headless)' : undefined;
const sharedSkipReason = skipReason ?? (targetChoice() === 'dynalite' ? 'BACKFILL_TEST_DYNAMODB=dynalite' : undefined);
if (skipReason) console.warn(`DynamoDB Local tests skipped: ${skipReason}`);
else if (sharedSkipReason) console.warn(`shared DynamoDB Local tests skipped: ${sharedSkipReason}`);

function documentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }),
  );
}

(sharedSkipReason ? describe.skip : describe)('the shared DynamoDB Local of this jest run', () => {
  let ddb: DynamoDBDocumentClient;
  let table: string;

  beforeAll(async () => {
    ddb = documentClient((await startTestDynamo('dynamodb-local')).endpoint);
    table = await createTable({ ddb }, uniqueName('ddblocal'), LEDGER_TABLE);
  });
  afterAll(() => ddb?.destroy());

  it('serves a conditional PutItem: the first write wins, the second is refused with the current item', async () => {
    const key = { pk: 'RUN#r1', sk: 'BATCH#0001' };
    const putIfAbsent = (owner: string) =>
      ddb.send(
        new PutCommand({
          TableName: table,
          Item: { ...key, owner },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    // GIVEN a first writer
    await putIfAbsent('attempt-1');
    // WHEN a second writer tries the same key
    const refused = await putIfAbsent('attempt-2').catch((error: unknown) => error);
    // THEN it is refused, and DynamoDB Local (unlike dynalite) returns the item that blocked it
    expect(refused).toMatchObject({ name: 'ConditionalCheckFailedException', Item: { owner: { S: 'attempt-1' } } });
    expect((await ddb.send(new GetCommand({ TableName: table, Key: key }))).Item).toEqual({ ...key, owner: 'attempt-1' });
  });

  it('serves TransactWriteItems, all or nothing (dynalite has no transactions)', async () => {
    const transact = (runId: string, condition: string) =>
      ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: `RUN#${runId}`, sk: 'RUN', status: 'RUNNING' } } },
            { Put: { TableName: table, Item: { pk: `RUN#${runId}`, sk: 'AUDIT#1', event: 'started' }, ConditionExpression: condition } },
          ],
        }),
      );
    // WHEN both conditions hold, both items are written
    await transact('t1', 'attribute_not_exists(pk)');
    expect((await ddb.send(new GetCommand({ TableName: table, Key: { pk: 'RUN#t1', sk: 'RUN' } }))).Item).toMatchObject({ status: 'RUNNING' });
    // WHEN one condition fails, the transaction is cancelled and neither item is written
    await expect(transact('t2', 'attribute_exists(pk)')).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect((await ddb.send(new GetCommand({ TableName: table, Key: { pk: 'RUN#t2', sk: 'RUN' } }))).Item).toBeUndefined();
  });
});

(skipReason ? describe.skip : describe)('startDynamoDbLocal', () => {
  it('listens on 127.0.0.1 only, and close stops the JVM', async () => {
    // GIVEN a started DynamoDB Local
    const ddb = await startDynamoDbLocal();
    const client = new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const port = Number(new URL(ddb.endpoint).port);
    try {
      expect(ddb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
      // THEN it is not reachable on this machine's other addresses (the bare jar binds them all)
      for (const address of externalIpv4Addresses()) {
        await expect(tcpConnect(address, port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      }
    } finally {
      await ddb.close();
    }
    // WHEN closed, nothing answers on its port any more
    await expect(tcpConnect('127.0.0.1', port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    client.destroy();
  });

  it('fails fast with the JVM output when DynamoDB Local cannot start', async () => {
    // GIVEN the requested port is taken
    const blocker = await listenOnLoopback();
    const port = (blocker.address() as { port: number }).port;
    try {
      // THEN the start rejects once the JVM exits, long before its deadline, saying why
      await expect(startDynamoDbLocal({ port, startTimeoutMs: 600_000 })).rejects.toThrow(
        /exited before it was ready \(code 1[\s\S]*Failed to bind to \/127\.0\.0\.1:\d+[\s\S]*Address already in use/,
      );
    } finally {
      blocker.close();
    }
  });
});

function externalIpv4Addresses(): string[] {
  const found = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
  if (found.length === 0) console.warn('no non-loopback IPv4 address here; the loopback-only check had nothing to probe');
  return found;
}

function tcpConnect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: 5_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('timeout', () => {
      socket.destroy();
      reject(Object.assign(new Error(`connect to ${host}:${port} timed out`), { code: 'ETIMEDOUT' }));
    });
    socket.once('error', reject);
  });
}

function listenOnLoopback(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
