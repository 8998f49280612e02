import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { documentClient, type AwsClients } from '../../lambdas/lib/aws/clients';

export interface LocalEndpoints {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly region?: string;
}

/** s3rver accepts only these; dynalite accepts any. */
const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Client settings for s3rver: path-style URLs, and no default checksums (they corrupt streamed
 * uploads there).
 * @example
 *   const s3 = new S3Client(localS3ClientConfig(s3rver.endpoint));
 */
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

/**
 * Clients bound to loopback emulators, injected into the handlers' deps by the local runtime and tests.
 * @example
 *   const clients = localClients({ dynamodbEndpoint: dynalite.endpoint, s3Endpoint: s3rver.endpoint });
 */
export function localClients(endpoints: LocalEndpoints): AwsClients {
  const region = endpoints.region ?? 'us-east-1';
  return {
    ddb: documentClient({ endpoint: endpoints.dynamodbEndpoint, region, credentials: LOCAL_CREDENTIALS }),
    s3: new S3Client(localS3ClientConfig(endpoints.s3Endpoint, region)),
  };
}
