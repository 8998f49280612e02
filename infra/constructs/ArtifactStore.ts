import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARTIFACT_AREAS, artifactPrefix, type ArtifactArea } from '../../lambdas/lib/artifacts';
import { BackfillConfigError } from '../errors';
import { createSecureBucket } from './secureBucket';

export interface ArtifactStoreProps {
  /** The bucket that receives this bucket's S3 server access logs (under `artifacts/`). */
  readonly accessLogsBucket: s3.IBucket;
  /**
   * How long snapshots (the pre-images rollback restores from) are kept, current and noncurrent
   * versions alike. A run can be rolled back for this long after it ran.
   * @default 35
   */
  readonly snapshotRetentionDays?: number;
}

/** The snapshot retention when none is given: five weeks, a month of rollback window plus margin. */
export const DEFAULT_SNAPSHOT_RETENTION_DAYS = 35;

/**
 * The artifacts bucket: manifests, snapshots, quarantine, distributed-map results, reports and
 * rollback conflict lists, each under its own prefix (`ARTIFACT_AREAS` in lambdas/lib/artifacts,
 * which also builds every key). Access is granted per prefix. Versioned, so an overwritten or
 * deleted snapshot can still be recovered; snapshots expire after `snapshotRetentionDays`.
 */
export class ArtifactStore extends Construct {
  readonly bucket: s3.IBucket;
  /** How long snapshots are kept: the window in which a run can be rolled back. */
  readonly snapshotRetentionDays: number;

  constructor(scope: Construct, id: string, props: ArtifactStoreProps) {
    super(scope, id);
    const days = props.snapshotRetentionDays ?? DEFAULT_SNAPSHOT_RETENTION_DAYS;
    if (!Number.isInteger(days) || days < 1) throw new BackfillConfigError('snapshotRetentionDays', `must be a whole number of days, at least 1, got ${String(days)}`);
    this.snapshotRetentionDays = days;
    this.bucket = createSecureBucket(this, 'Bucket', { bucket: props.accessLogsBucket, prefix: 'artifacts/' }, {
      lifecycleRules: [
        { id: 'ExpireSnapshots', prefix: artifactPrefix('snapshots'), expiration: Duration.days(days), noncurrentVersionExpiration: Duration.days(days) },
      ],
    });
  }

  /** The ARN pattern of every object in one area, e.g. `arn:aws:s3:::bucket/snapshots/*`. */
  arnForArea(area: ArtifactArea): string {
    return this.bucket.arnForObjects(`${artifactPrefix(area)}*`);
  }

  /** Why a grant on one area needs a wildcard resource (for its cdk-nag acknowledgement): the area's key layouts. */
  static wildcardReason(area: ArtifactArea): string {
    const { prefix, layouts } = ARTIFACT_AREAS[area];
    return `Keys are ${layouts.join(' or ')}: their ids are known only at run time; limited to ${prefix}.`;
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
