export { dynamoTargets, startTestDynamo, uniqueName, DDB_LOCAL_ENDPOINT_ENV, DYNAMODB_TARGETS_ENV } from './dynamoTargets';
export type { DynamoTarget } from './dynamoTargets';
export { startTestEmulators, createTable, createBucket } from './emulators';
export type { TestEmulators } from './emulators';
export { waitFor } from './waitFor';
export type { WaitForOptions } from './waitFor';
