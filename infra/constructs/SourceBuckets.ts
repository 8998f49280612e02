import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { createSecureBucket } from './secureBucket';

export interface SourceBucketsProps {
  /** The bucket that receives the stack's own source bucket's S3 server access logs (under `source/`). */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * Existing buckets, by name, that runs may also read source records from.
   * @default - only the stack's own source bucket
   */
  readonly extraBucketNames?: readonly string[];
}

/**
 * The buckets runs read source records from: one the stack creates, plus existing ones named in
 * `extraBucketNames`. Grants are read-only and cover every one of them.
 */
export class SourceBuckets extends Construct {
  /** The source bucket this stack creates. */
  readonly bucket: s3.IBucket;
  /** Every bucket a run may read: `bucket` first, then the extra buckets in the order given. */
  readonly buckets: readonly s3.IBucket[];

  constructor(scope: Construct, id: string, props: SourceBucketsProps) {
    super(scope, id);
    this.bucket = createSecureBucket(this, 'Bucket', { bucket: props.accessLogsBucket, prefix: 'source/' });
    const extras = (props.extraBucketNames ?? []).map((name) => s3.Bucket.fromBucketName(this, `Extra-${name}`, name));
    this.buckets = [this.bucket, ...extras];
  }

  /** Lets `grantee` list the keys of every source bucket (s3:ListBucket). */
  grantList(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:ListBucket'], resourceArns: this.buckets.map((b) => b.bucketArn) });
  }

  /** Lets `grantee` read the objects of every source bucket (s3:GetObject). */
  grantGet(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: this.buckets.map((b) => b.arnForObjects('*')) });
  }
}
