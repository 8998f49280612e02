import { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, ProvisionedThroughputExceededException, InternalServerError } from '@aws-sdk/client-dynamodb';
import { startDynalite, type RunningEmulator } from '../../../local/emulators';
import { parseFaultSpec, startFaultProxy, tablesNamedBy, type FaultProxy, type ProxiedRequest } from '../../../local/faults';
import { awsCli } from '../../support/awsCli';

const LEDGER = 'ledger';
const TARGET = 'orders';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const client = (endpoint: string, maxAttempts = 1) => new DynamoDBClient({ endpoint, region: 'us-east-1', credentials, maxAttempts });
const put = (table: string, pk: string) => new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, value: { N: '1' } } });
const get = (table: string, pk: string) => new GetItemCommand({ TableName: table, Key: { pk: { S: pk } }, ConsistentRead: true });

describe('startFaultProxy in front of dynalite', () => {
  let dynalite: RunningEmulator;
  let direct: DynamoDBClient;
  let proxy: FaultProxy;
  let through: DynamoDBClient;
  const seen: ProxiedRequest[] = [];

  beforeAll(async () => {
    dynalite = await startDynalite({});
    direct = client(dynalite.endpoint);
    for (const table of [LEDGER, TARGET]) {
      await direct.send(new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    }
    proxy = await startFaultProxy({ upstream: dynalite.endpoint, sparedTables: [LEDGER], onRequest: (request) => seen.push(request) });
    through = client(proxy.endpoint);
  });
  afterAll(async () => {
    through.destroy();
    direct.destroy();
    await proxy.close();
    await dynalite.close();
  });
  afterEach(() => {
    proxy.clearFaults();
    seen.length = 0;
  });

  it("answers a target table's write with DynamoDB's own throttling error, which the SDK reads as a throttle", async () => {
    // GIVEN every target request throttled
    proxy.setFaults(parseFaultSpec('throttle=1'));
    // WHEN the SDK writes to the target through the proxy
    const error = await through.send(put(TARGET, 'a')).then(() => undefined, (caught: unknown) => caught);
    // THEN it gets the modelled exception (whose name the SDK's retry strategy lists as throttling), status 400; nothing was written
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain('The level of configured provisioned throughput for the table was exceeded');
    expect((await direct.send(get(TARGET, 'a'))).Item).toBeUndefined();
    expect(seen).toEqual([{ operation: 'PutItem', tables: [TARGET], fate: 'throttled', status: 400 }]);
  });

  it('is retried by the SDK on every attempt (each attempt is a request the proxy throttles)', async () => {
    proxy.setFaults(parseFaultSpec('throttle=1'));
    const retrying = client(proxy.endpoint, 3);
    try {
      const error = await retrying.send(put(TARGET, 'b')).then(() => undefined, (caught: unknown) => caught);
      expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { attempts: 3 } });
      expect(seen.map((request) => request.fate)).toEqual(['throttled', 'throttled', 'throttled']);
    } finally {
      retrying.destroy();
    }
  });

  it("answers with DynamoDB's InternalServerError (500) for the errors share", async () => {
    proxy.setFaults(parseFaultSpec('errors=1'));
    const error = await through.send(put(TARGET, 'c')).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
    expect(seen).toEqual([{ operation: 'PutItem', tables: [TARGET], fate: 'failed', status: 500 }]);
  });

  it('lets requests naming the ledger pass untouched while every target request is throttled', async () => {
    // GIVEN every target request throttled
    proxy.setFaults(parseFaultSpec('throttle=1,latency=200ms'));
    // WHEN the ledger is written and read through the proxy
    const started = Date.now();
    await through.send(put(LEDGER, 'run-1'));
    const { Item } = await through.send(get(LEDGER, 'run-1'));
    // THEN both went through, without the added latency
    expect(Item).toEqual({ pk: { S: 'run-1' }, value: { N: '1' } });
    expect(Date.now() - started).toBeLessThan(400);
    expect(seen.map((request) => request.fate)).toEqual(['spared', 'spared']);
  });

  it('faults a BatchWriteItem naming a target table, and spares one that also names the ledger', async () => {
    proxy.setFaults(parseFaultSpec('throttle=1'));
    const writes = (table: string) => [{ PutRequest: { Item: { pk: { S: `${table}-batch` } } } }];
    await expect(through.send(new BatchWriteItemCommand({ RequestItems: { [TARGET]: writes(TARGET) } }))).rejects.toThrow(ProvisionedThroughputExceededException);
    await through.send(new BatchWriteItemCommand({ RequestItems: { [TARGET]: writes(TARGET), [LEDGER]: writes(LEDGER) } }));
    expect(seen.map((request) => [request.operation, request.fate])).toEqual([['BatchWriteItem', 'throttled'], ['BatchWriteItem', 'spared']]);
  });

  it('tells observers of each answered request until they stop observing', async () => {
    const observed: ProxiedRequest[] = [];
    const stop = proxy.observe((request) => observed.push(request));
    await through.send(get(LEDGER, 'seen'));
    stop();
    await through.send(get(LEDGER, 'not-seen'));
    expect(observed).toEqual([{ operation: 'GetItem', tables: [LEDGER], fate: 'spared', status: 200 }]);
  });

  it('adds the latency to target requests', async () => {
    proxy.setFaults(parseFaultSpec('latency=150ms'));
    const started = Date.now();
    await through.send(put(TARGET, 'slow'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(seen).toEqual([{ operation: 'PutItem', tables: [TARGET], fate: 'passed', status: 200 }]);
  });

  it('is switched at runtime: cleared faults forward every request again', async () => {
    proxy.setFaults(parseFaultSpec('throttle=1'));
    await expect(through.send(put(TARGET, 'd'))).rejects.toThrow(ProvisionedThroughputExceededException);
    // WHEN the faults are cleared
    proxy.clearFaults();
    expect(proxy.faults()).toBeUndefined();
    // THEN the same write goes through to the emulator
    await through.send(put(TARGET, 'd'));
    expect((await direct.send(get(TARGET, 'd'))).Item).toBeDefined();
  });

  it('throttles about the given share, in the same sequence for the same seed', async () => {
    const fates = async (): Promise<string[]> => {
      seen.length = 0;
      proxy.setFaults(parseFaultSpec('throttle=0.5,seed=99'));
      for (let i = 0; i < 100; i++) await through.send(get(TARGET, `k${i}`)).catch(() => undefined);
      return seen.map((request) => request.fate);
    };
    const first = await fates();
    const second = await fates();
    expect(second).toEqual(first);
    const throttled = first.filter((fate) => fate === 'throttled').length;
    expect(throttled).toBeGreaterThan(30);
    expect(throttled).toBeLessThan(70);
    expect(first.filter((fate) => fate !== 'throttled').every((fate) => fate === 'passed')).toBe(true);
  });

  it("gives the AWS CLI DynamoDB's throttling and 500 errors for the target, and passes its ledger writes", async () => {
    const putItem = (table: string) => awsCli(['dynamodb', 'put-item', '--endpoint-url', proxy.endpoint, '--region', 'us-east-1', '--table-name', table, '--item', '{"pk":{"S":"cli"}}']);
    proxy.setFaults(parseFaultSpec('throttle=1'));
    const throttled = await putItem(TARGET);
    expect(throttled.code).not.toBe(0);
    expect(throttled.stderr).toContain('An error occurred (ProvisionedThroughputExceededException) when calling the PutItem operation');
    const ledger = await putItem(LEDGER);
    expect(ledger).toMatchObject({ code: 0, stderr: '' });
    proxy.setFaults(parseFaultSpec('errors=1'));
    const failed = await putItem(TARGET);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('An error occurred (InternalServerError) when calling the PutItem operation');
  }, 60_000);
});

describe('tablesNamedBy', () => {
  it.each([
    ['{"TableName":"orders","Key":{}}', ['orders']],
    ['{"TableName":"arn:aws:dynamodb:us-east-1:000000000000:table/orders"}', ['orders']],
    ['{"RequestItems":{"orders":[],"ledger":[]}}', ['orders', 'ledger']],
    ['{"TransactItems":[{"Put":{"TableName":"orders"}},{"ConditionCheck":{"TableName":"ledger"}}]}', ['orders', 'ledger']],
    ['{}', []],
    ['not json', []],
  ])('%s names %j', (body, tables) => {
    expect(tablesNamedBy(body)).toEqual(tables);
  });
});
