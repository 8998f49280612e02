import { localClients, type AwsClients } from '../../../lambdas/lib/aws/clients';
import { javaAvailable, startDynalite, startDynamoDbLocal, startS3rver } from '../../../local/emulators';

/** The DynamoDB emulators the invariant tests run against, the same tests on each. */
export type DynamoTarget = 'dynalite' | 'dynamodb-local';

/**
 * dynalite always; AWS's DynamoDB Local too when Java can run it. `BACKFILL_TEST_DYNAMO_TARGETS`
 * (comma-separated) narrows the list, e.g. to iterate quickly on one emulator.
 */
export function dynamoTargets(): DynamoTarget[] {
  const all: DynamoTarget[] = javaAvailable() ? ['dynalite', 'dynamodb-local'] : ['dynalite'];
  const wanted = process.env.BACKFILL_TEST_DYNAMO_TARGETS?.split(',').map((s) => s.trim());
  return wanted ? all.filter((t) => wanted.includes(t)) : all;
}

export interface TestEmulators {
  readonly target: DynamoTarget;
  readonly ddbEndpoint: string;
  readonly s3Endpoint: string;
  readonly clients: AwsClients;
  /** Clients made on the side (e.g. with a hook), destroyed with the emulators. */
  adopt(clients: AwsClients): AwsClients;
  close(): Promise<void>;
}

/** Starts one DynamoDB emulator and s3rver on loopback, with clients bound to them. */
export async function startTestEmulators(target: DynamoTarget): Promise<TestEmulators> {
  const [ddb, s3] = await Promise.all([target === 'dynalite' ? startDynalite() : startDynamoDbLocal(), startS3rver()]);
  const clients = localClients({ dynamodbEndpoint: ddb.endpoint, s3Endpoint: s3.endpoint });
  const adopted: AwsClients[] = [clients];
  return {
    target,
    ddbEndpoint: ddb.endpoint,
    s3Endpoint: s3.endpoint,
    clients,
    adopt: (more) => {
      adopted.push(more);
      return more;
    },
    close: async () => {
      for (const c of adopted) {
        c.ddb.destroy();
        c.s3.destroy();
      }
      await Promise.all([ddb.close(), s3.close()]);
    },
  };
}

/**
 * Starts the emulators once for the enclosing `describe` and stops them after it; returns a getter,
 * since the value exists only once `beforeAll` has run.
 * @example
 *   describe.each(dynamoTargets())('on %s', (target) => { const env = useEmulators(target); ... env() ... });
 */
export function useEmulators(target: DynamoTarget): () => TestEmulators {
  let emulators: TestEmulators | undefined;
  beforeAll(async () => {
    emulators = await startTestEmulators(target);
  }, 60_000);
  afterAll(async () => {
    await emulators?.close();
  });
  return () => {
    if (!emulators) throw new Error('emulators are not running: call env() inside a test or hook');
    return emulators;
  };
}
