import { RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/** Where a secure bucket sends its server access logs. */
export interface AccessLogDestination {
  readonly bucket: s3.IBucket;
  /** Key prefix for this bucket's log objects, e.g. `artifacts/`. */
  readonly prefix: string;
}

/**
 * The one way this stack makes a bucket: S3-managed encryption, TLS 1.2+ only, versioned, no
 * public access, bucket-owner-enforced ownership, retained when the stack is deleted, and
 * server access logs to `accessLogs` when given.
 */
export function createSecureBucket(scope: Construct, id: string, accessLogs?: AccessLogDestination, extra: Partial<s3.BucketProps> = {}): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    serverAccessLogsBucket: accessLogs?.bucket,
    serverAccessLogsPrefix: accessLogs?.prefix,
    ...extra,
  });
}
