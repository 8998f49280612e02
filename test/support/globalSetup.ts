import { createCipheriv } from 'node:crypto';
import { startSharedDynamoDbLocal } from './sharedDynamoDbLocal';

/**
 * Runs once per jest run, before any test file: checks the Node runtime, then starts the shared
 * DynamoDB Local when Java is present (see planSharedDynamoDbLocal). Test files find it through
 * BACKFILL_TEST_DDB_LOCAL_ENDPOINT, via dynamoTargets() and startTestDynamo().
 */
export default async function globalSetup(): Promise<void> {
  assertTestRuntime();
  await startSharedDynamoDbLocal();
}

/** Fails the run up front, with the fix, instead of as puzzling errors deep inside tests. */
function assertTestRuntime(): void {
  const fix = 'run the tests with `npm test` (scripts/node22.sh sets both up)';
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 22) {
    throw new Error(`the tests need Node >= 22 (aws-local-stepfunctions, Lambda nodejs22.x), got ${process.version}; ${fix}`);
  }
  try {
    // s3rver's ListObjectsV2 continuation tokens use DES; without the legacy provider every truncated page is a 500.
    createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
  } catch (error) {
    throw new Error(`DES is unavailable, so s3rver fails paginated listings: set NODE_OPTIONS=--openssl-legacy-provider or ${fix}`, {
      cause: error,
    });
  }
}
