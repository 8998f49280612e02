import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARTIFACT_PREFIXES, type ArtifactArea } from '../artifactPrefixes';
import { createSecureBucket } from './secureBucket';

export interface ArtifactStoreProps {
  /** The bucket that receives this bucket's S3 server access logs (under `artifacts/`). */
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * The artifacts bucket: manifests, snapshots, quarantine, distributed-map results and reports,
 * each under its own prefix (see `ARTIFACT_PREFIXES`). Access is granted per prefix.
 */
export class ArtifactStore extends Construct {
  readonly bucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: ArtifactStoreProps) {
    super(scope, id);
    this.bucket = createSecureBucket(this, 'Bucket', { bucket: props.accessLogsBucket, prefix: 'artifacts/' });
  }

  /** The ARN pattern of every object in one area, e.g. `arn:aws:s3:::bucket/snapshots/*`. */
  arnForArea(area: ArtifactArea): string {
    return this.bucket.arnForObjects(`${ARTIFACT_PREFIXES[area]}*`);
  }

  /** Lets `grantee` read objects (s3:GetObject) in one area. */
  grantGet(grantee: iam.IGrantable, area: ArtifactArea): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:GetObject'], resourceArns: [this.arnForArea(area)] });
  }

  /** Lets `grantee` write objects (s3:PutObject) in one area. */
  grantPut(grantee: iam.IGrantable, area: ArtifactArea): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['s3:PutObject'], resourceArns: [this.arnForArea(area)] });
  }

  /**
   * Lets a state machine's distributed Map ResultWriter export its results under `map-results/`:
   * it writes with multipart uploads, so it also needs to list and abort their parts.
   */
  grantMapResultWriter(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
      resourceArns: [this.arnForArea('mapResults')],
    });
  }
}
