import { CreateTableCommand, DescribeTableCommand, type AttributeDefinition, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { TableDefinition } from '../../infra/definitions';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { localClients } from '../../local/aws';
import { startS3rver } from '../../local/emulators';
import { startTestDynamo, type DynamoTarget } from './dynamoTargets';
import { waitFor } from './waitFor';

/** A DynamoDB and an S3 emulator on loopback, with clients bound to them. */
export interface TestEmulators {
  readonly clients: AwsClients;
  readonly ddbEndpoint: string;
  readonly s3Endpoint: string;
  /** Destroys the clients and stops what this call started (the shared DynamoDB Local keeps running). */
  close(): Promise<void>;
}

/**
 * Starts a fresh s3rver (temp directory) and the DynamoDB emulator `target` (see startTestDynamo).
 * Name tables and buckets with uniqueName(): on dynamodb-local, other test files share the database.
 * In a `describe`, prefer {@link useEmulators}, which also stops them.
 * @example
 *   const env = await startTestEmulators('dynalite'); // ...; await env.close();
 */
export async function startTestEmulators(target: DynamoTarget): Promise<TestEmulators> {
  const dynamo = await startTestDynamo(target);
  let s3;
  try {
    s3 = await startS3rver();
  } catch (error) {
    await dynamo.close();
    throw error;
  }
  const clients = localClients({ dynamodbEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint });
  return {
    clients,
    ddbEndpoint: dynamo.endpoint,
    s3Endpoint: s3.endpoint,
    close: async () => {
      clients.ddb.destroy();
      clients.s3.destroy();
      const results = await Promise.allSettled([s3.close(), dynamo.close()]);
      const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}

/** The emulators of one `describe`, plus side clients (e.g. with a hook) that are destroyed with them. */
export interface Emulators extends TestEmulators {
  adopt(clients: AwsClients): AwsClients;
}

/**
 * Starts the emulators (see {@link startTestEmulators}) once for the enclosing `describe` and stops
 * them after it; returns a getter, since the value exists only once `beforeAll` has run.
 * @example
 *   describe.each(dynamoTargets())('claimBatch on %s', (target) => {
 *     const env = useEmulators(target);
 *     it('...', async () => { await createTable(env().clients, uniqueName('ledger'), LEDGER_TABLE); });
 *   });
 */
export function useEmulators(target: DynamoTarget): () => Emulators {
  let emulators: Emulators | undefined;
  const adopted: AwsClients[] = [];
  beforeAll(async () => {
    const started = await startTestEmulators(target);
    emulators = {
      ...started,
      adopt: (clients) => {
        adopted.push(clients);
        return clients;
      },
    };
  }, 60_000);
  afterAll(async () => {
    for (const clients of adopted.splice(0)) {
      clients.ddb.destroy();
      clients.s3.destroy();
    }
    await emulators?.close();
  });
  return () => {
    if (!emulators) throw new Error('the emulators are not running: call env() inside a test or a hook');
    return emulators;
  };
}

/**
 * Creates an on-demand (PAY_PER_REQUEST) table with the keys of `definition`, the shape the stack
 * deploys, and waits until it is ACTIVE. Returns `name`.
 * @example
 *   const ledger = await createTable(env.clients, uniqueName('ledger'), LEDGER_TABLE);
 */
export async function createTable(clients: Pick<AwsClients, 'ddb'>, name: string, definition: TableDefinition): Promise<string> {
  const keys = [
    { ...definition.partitionKey, keyType: 'HASH' as const },
    ...(definition.sortKey ? [{ ...definition.sortKey, keyType: 'RANGE' as const }] : []),
  ];
  await clients.ddb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: keys.map((key): AttributeDefinition => ({ AttributeName: key.name, AttributeType: key.type })),
      KeySchema: keys.map((key): KeySchemaElement => ({ AttributeName: key.name, KeyType: key.keyType })),
    }),
  );
  await waitFor(
    async () => (await clients.ddb.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus === 'ACTIVE',
    { describe: `table ${name} to become ACTIVE`, timeoutMs: 10_000 },
  );
  return name;
}

/**
 * Creates an S3 bucket. Returns `name`.
 * @example
 *   const artifacts = await createBucket(env.clients, uniqueName('artifacts'));
 */
export async function createBucket(clients: Pick<AwsClients, 's3'>, name: string): Promise<string> {
  await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}
