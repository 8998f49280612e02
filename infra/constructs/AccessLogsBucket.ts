import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createSecureBucket } from './secureBucket';

export interface AccessLogsBucketProps {
  /**
   * How long S3 server access log objects are kept.
   * @default Duration.days(365)
   */
  readonly expiration?: Duration;
}

/**
 * The bucket that receives the S3 server access logs of the source and artifacts buckets. It does
 * not log its own access (that would log its own log deliveries); cdk-nag's AwsSolutions-S1
 * accepts a bucket that is itself a log destination, so no acknowledgement is needed.
 */
export class AccessLogsBucket extends Construct {
  readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps = {}) {
    super(scope, id);
    const expiration = props.expiration ?? Duration.days(365);
    this.bucket = createSecureBucket(this, 'Bucket', undefined, {
      lifecycleRules: [{ expiration, noncurrentVersionExpiration: expiration }],
    });
  }
}
