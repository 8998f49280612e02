import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { LEDGER_TABLE, type TableDefinition } from '../../infra/definitions';
import type { AwsClients } from '../../lambdas/lib/aws/clients';
import { ManualClock } from '../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { uniqueName } from './dynamoTargets';
import { createBucket, createTable, type TestEmulators } from './emulators';

/**
 * A ledger table and an artifacts bucket of their own on running emulators, the {@link Deps} the
 * domain functions take over them (with a {@link ManualClock}), and S3 text helpers.
 */
export interface TestStore {
  readonly clients: AwsClients;
  readonly deps: Deps & { readonly clock: ManualClock };
  /** Creates a bucket, by default with a unique name; returns the name. */
  createBucket(name?: string): Promise<string>;
  /** Creates an on-demand table with the keys of `definition`, by default with a unique name; returns the name. */
  createTable(definition: TableDefinition, name?: string): Promise<string>;
  putText(bucket: string, key: string, body: string): Promise<void>;
  /** The object's text; `range` is an HTTP Range header ("bytes=0-9"). */
  getText(bucket: string, key: string, range?: string): Promise<string>;
}

/**
 * Creates a {@link TestStore} on `emulators`: unique names, so it is safe on the shared DynamoDB Local.
 * @example
 *   describe.each(dynamoTargets())('buildPlan on %s', (target) => {
 *     const env = useEmulators(target);
 *     let store: TestStore;
 *     beforeAll(async () => { store = await createTestStore(env()); });
 *     it('...', async () => { await buildPlan(store.deps, runId, spec); });
 *   });
 */
export async function createTestStore(emulators: Pick<TestEmulators, 'clients'>): Promise<TestStore> {
  const { clients } = emulators;
  const [ledgerTable, artifactsBucket] = await Promise.all([
    createTable(clients, uniqueName('ledger'), LEDGER_TABLE),
    createBucket(clients, uniqueName('artifacts')),
  ]);
  return {
    clients,
    deps: { clients, ledgerTable, artifactsBucket, clock: new ManualClock(), codeVersion: 'test-code' },
    createBucket: (name = uniqueName('bucket')) => createBucket(clients, name),
    createTable: (definition, name = uniqueName('table')) => createTable(clients, name, definition),
    async putText(bucket, key, body) {
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: Buffer.byteLength(body) }));
    },
    async getText(bucket, key, range) {
      const response = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
      return response.Body!.transformToString('utf8');
    },
  };
}
