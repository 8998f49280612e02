import { randomBytes } from 'node:crypto';
import { startDynalite, type RunningEmulator } from '../../local/emulators';

/** A DynamoDB emulator the invariant tests can run against. */
export type DynamoTarget = 'dynalite' | 'dynamodb-local';

/** Set by globalSetup to the shared DynamoDB Local's endpoint when it runs. */
export const DDB_LOCAL_ENDPOINT_ENV = 'BACKFILL_TEST_DDB_LOCAL_ENDPOINT';
/** Optional override of the targets: `dynalite`, `dynamodb-local` or `both`. */
export const DYNAMODB_TARGETS_ENV = 'BACKFILL_TEST_DYNAMODB';

const CHOICES = ['dynalite', 'dynamodb-local', 'both'] as const;
type Choice = (typeof CHOICES)[number];

/** The {@link DYNAMODB_TARGETS_ENV} override, validated; undefined when unset. */
export function targetChoice(env: NodeJS.ProcessEnv = process.env): Choice | undefined {
  const raw = env[DYNAMODB_TARGETS_ENV]?.trim();
  if (!raw) return undefined;
  if (!(CHOICES as readonly string[]).includes(raw)) {
    throw new Error(`${DYNAMODB_TARGETS_ENV} must be one of ${CHOICES.join(', ')}, got '${raw}'; unset it to test both`);
  }
  return raw as Choice;
}

/**
 * Which DynamoDB emulators the invariant tests run against: both when the shared DynamoDB Local is
 * up (globalSetup starts it whenever Java is present, and always in CI), else dynalite only.
 * {@link DYNAMODB_TARGETS_ENV} overrides; asking for DynamoDB Local when it is not running throws.
 * @example
 *   describe.each(dynamoTargets())('claimBatch on %s', (target) => { ... startTestEmulators(target) ... });
 */
export function dynamoTargets(env: NodeJS.ProcessEnv = process.env): DynamoTarget[] {
  const choice = targetChoice(env);
  const localRunning = Boolean(env[DDB_LOCAL_ENDPOINT_ENV]);
  if (choice === 'dynalite') return ['dynalite'];
  if (choice === undefined) return localRunning ? ['dynalite', 'dynamodb-local'] : ['dynalite'];
  if (!localRunning) {
    throw new Error(
      `${DYNAMODB_TARGETS_ENV}=${choice} needs DynamoDB Local, but it is not running in this jest run ` +
        `(${DDB_LOCAL_ENDPOINT_ENV} is unset: is java on PATH?)`,
    );
  }
  return choice === 'both' ? ['dynalite', 'dynamodb-local'] : ['dynamodb-local'];
}

/**
 * A DynamoDB endpoint for one test file. dynalite: a fresh in-process instance, closed by `close`.
 * dynamodb-local: the run's shared instance (`close` leaves it running), so tables on it must have
 * unique names ({@link uniqueName}).
 * @example
 *   const ddb = await startTestDynamo('dynamodb-local'); // ...; await ddb.close();
 */
export async function startTestDynamo(target: DynamoTarget): Promise<RunningEmulator> {
  if (target === 'dynalite') return startDynalite();
  const endpoint = process.env[DDB_LOCAL_ENDPOINT_ENV];
  if (!endpoint) {
    throw new Error(
      `no shared DynamoDB Local in this jest run (${DDB_LOCAL_ENDPOINT_ENV} is unset); ` +
        'pick targets with dynamoTargets(), which only offers it when it is running',
    );
  }
  return { endpoint, close: async () => undefined };
}

let counter = 0;

/**
 * A name no other test in this run uses, valid as a DynamoDB table and an S3 bucket name.
 * @example
 *   uniqueName('ledger'); // 'ledger-4242-1-9f3a1c'
 */
export function uniqueName(prefix: string): string {
  if (!/^[a-z][a-z0-9-]{0,29}$/.test(prefix)) {
    throw new Error(`uniqueName prefix must be 1-30 lowercase letters, digits or '-', starting with a letter; got '${prefix}'`);
  }
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`;
}
