export { startDynalite } from './startDynalite';
export type { RunningEmulator, StartDynaliteOptions } from './startDynalite';
export { startDynamoDbLocal, javaAvailable } from './startDynamoDbLocal';
export type { StartDynamoDbLocalOptions } from './startDynamoDbLocal';
export { startS3rver } from './startS3rver';
export type { StartS3rverOptions } from './startS3rver';
