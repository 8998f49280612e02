import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/** The AWS clients every domain function receives; tests and the local runtime point them at emulators. */
export interface AwsClients {
  readonly ddb: DynamoDBDocumentClient;
  readonly s3: S3Client;
}

export interface LocalEndpoints {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly region?: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Client settings for s3rver: path-style URLs, and no default checksums (they corrupt streamed uploads there). */
export function localS3ClientConfig(endpoint: string, region = 'us-east-1'): S3ClientConfig {
  return {
    endpoint,
    region,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

function documentClient(config: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** Clients bound to loopback emulators. */
export function localClients(endpoints: LocalEndpoints): AwsClients {
  const region = endpoints.region ?? 'us-east-1';
  return {
    ddb: documentClient({ endpoint: endpoints.dynamodbEndpoint, region, credentials: LOCAL_CREDENTIALS }),
    s3: new S3Client(localS3ClientConfig(endpoints.s3Endpoint, region)),
  };
}

/**
 * Clients for a Lambda handler: real AWS, unless BACKFILL_DYNAMODB_ENDPOINT / BACKFILL_S3_ENDPOINT
 * name local emulators.
 */
export function clientsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AwsClients {
  const dynamodbEndpoint = env.BACKFILL_DYNAMODB_ENDPOINT;
  const s3Endpoint = env.BACKFILL_S3_ENDPOINT;
  if (dynamodbEndpoint && s3Endpoint) return localClients({ dynamodbEndpoint, s3Endpoint, region: env.AWS_REGION });
  return { ddb: documentClient({}), s3: new S3Client({}) };
}
