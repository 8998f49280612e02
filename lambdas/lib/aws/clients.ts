import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

/** The AWS clients every domain function receives; tests and the local runtime inject emulator clients. */
export interface AwsClients {
  readonly ddb: DynamoDBDocumentClient;
  readonly s3: S3Client;
  /**
   * Step Functions, for the workers' write-rate controller (ListMapRuns / UpdateMapRun on the run's
   * execution). @default - none: the controller does not steer the run (e.g. the in-process engine without the Step Functions API)
   */
  readonly sfn?: SFNClient;
}

/**
 * A document client with the marshalling every domain function relies on (undefined attributes
 * dropped), over a DynamoDB client built from `config`.
 * @example
 *   const ddb = documentClient({ region: 'eu-west-1' });
 */
export function documentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/**
 * Clients for a Lambda handler: plain SDK clients with the SDK's default configuration (region and
 * credentials from the Lambda environment). Emulator settings live in local/aws, never here.
 * @example
 *   const deps = { clients: awsClients(), ... };
 */
export function awsClients(): AwsClients {
  return { ddb: documentClient(), s3: new S3Client({}), sfn: new SFNClient({}) };
}
