import { javaAvailable, startDynamoDbLocal, type RunningEmulator } from '../../local/emulators';
import { DDB_LOCAL_ENDPOINT_ENV, DYNAMODB_TARGETS_ENV, targetChoice } from './dynamoTargets';

export type SharedDynamoDbLocalPlan = { readonly start: true } | { readonly start: false; readonly reason: string };

/**
 * Whether this jest run starts the shared DynamoDB Local. Throws when it is required but cannot
 * run: in CI (which must test on both emulators) or when the override asks for it.
 */
export function planSharedDynamoDbLocal(env: NodeJS.ProcessEnv, javaPresent: boolean): SharedDynamoDbLocalPlan {
  const choice = targetChoice(env);
  if (choice === 'dynalite') return { start: false, reason: `${DYNAMODB_TARGETS_ENV}=dynalite` };
  if (javaPresent) return { start: true };
  const install = 'install Java 17+ (apt-get install openjdk-17-jre-headless; .ci/run does this)';
  if (isCi(env)) {
    throw new Error(`CI must run the tests on DynamoDB Local as well as dynalite, but java is not on PATH; ${install}`);
  }
  if (choice !== undefined) throw new Error(`${DYNAMODB_TARGETS_ENV}=${choice} needs DynamoDB Local, but java is not on PATH; ${install}`);
  return { start: false, reason: `java is not on PATH, so tests run on dynalite only; ${install} to test on both` };
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  return ['true', '1'].includes((env.CI ?? '').toLowerCase());
}

const HANDLE = Symbol.for('backfill.test.sharedDynamoDbLocal');
type WithHandle = typeof globalThis & { [HANDLE]?: RunningEmulator };

/** For globalSetup: starts DynamoDB Local if the plan says so and publishes its endpoint to test workers. */
export async function startSharedDynamoDbLocal(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const plan = planSharedDynamoDbLocal(env, javaAvailable());
  if (!plan.start) {
    delete env[DDB_LOCAL_ENDPOINT_ENV];
    console.warn(`[test setup] DynamoDB Local not started: ${plan.reason}`);
    return;
  }
  const started = Date.now();
  const emulator = await startDynamoDbLocal({ startTimeoutMs: 60_000 });
  (globalThis as WithHandle)[HANDLE] = emulator;
  env[DDB_LOCAL_ENDPOINT_ENV] = emulator.endpoint;
  if (isCi(env)) console.log(`[test setup] DynamoDB Local at ${emulator.endpoint} (started in ${Date.now() - started} ms)`);
}

/** For globalTeardown: stops the shared DynamoDB Local, if one was started. */
export async function stopSharedDynamoDbLocal(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const emulator = (globalThis as WithHandle)[HANDLE];
  delete (globalThis as WithHandle)[HANDLE];
  delete env[DDB_LOCAL_ENDPOINT_ENV];
  await emulator?.close();
}
