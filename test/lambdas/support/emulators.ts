import type { AwsClients } from '../../../lambdas/lib/aws/clients';
import { startTestEmulators, type DynamoTarget, type TestEmulators } from '../../support';

export { dynamoTargets, type DynamoTarget } from '../../support';

/** The emulators of one `describe`, plus side clients (e.g. with a hook) that are destroyed with them. */
export interface Emulators extends TestEmulators {
  adopt(clients: AwsClients): AwsClients;
}

/**
 * Starts the emulators once for the enclosing `describe` and stops them after it; returns a getter,
 * since the value exists only once `beforeAll` has run.
 * @example
 *   describe.each(dynamoTargets())('on %s', (target) => { const env = useEmulators(target); ... env() ... });
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
