import { stopSharedDynamoDbLocal } from './sharedDynamoDbLocal';

/** Runs once after all test files: stops the shared DynamoDB Local that globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  await stopSharedDynamoDbLocal();
}
