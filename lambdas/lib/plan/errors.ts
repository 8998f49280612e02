/** Base class of planning errors; carries the run and the source an operator needs to look at. */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    readonly bucket: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlanError';
  }
}

/** What a plan's listing found, for the message of an empty plan. */
export interface SourceFound {
  /** Objects under the prefix (folder markers not counted). */
  readonly underPrefix: number;
  /** Of those, the ones within the partition range (all of them without a range). */
  readonly inRange: number;
  /** Of those in range, the empty (0-byte) ones. */
  readonly empty: number;
  /** Records (non-blank lines) in the objects in range. */
  readonly records: number;
}

const objects = (n: number): string => `${n} object${n === 1 ? '' : 's'}`;

function describeFound(found: SourceFound, range: string | undefined): string {
  if (found.underPrefix === 0) return '0 objects under the prefix';
  if (range && found.inRange === 0) return `${objects(found.underPrefix)} under the prefix, none in range ${range}`;
  const empty = found.empty > 0 ? ` (${found.empty} empty)` : '';
  return `${objects(found.inRange)}${range ? ' in range' : ''}${empty}, 0 records`;
}

/** The source matched nothing to process, and the spec does not say an empty plan is expected. */
export class EmptyPlanError extends PlanError {
  constructor(
    runId: string,
    source: { readonly bucket: string; readonly prefix: string; readonly partitions?: { readonly from: string; readonly to: string } },
    readonly found: SourceFound,
  ) {
    const range = source.partitions ? `${source.partitions.from}..${source.partitions.to}` : undefined;
    super(
      `Run ${runId} has nothing to process: s3://${source.bucket}/${source.prefix} (${range ? `partitions ${range}` : 'no partition range'}) ` +
        `has ${describeFound(found, range)}. Check spec.source.bucket, prefix and partitions; if an empty source is expected, set "allowEmpty": true in the spec`,
      runId,
      source.bucket,
    );
    this.name = 'EmptyPlanError';
  }
}

/** The source bucket does not exist (S3 NoSuchBucket). */
export class SourceBucketNotFoundError extends PlanError {
  constructor(runId: string, bucket: string, options?: { cause?: unknown }) {
    super(
      `Run ${runId}: source bucket "${bucket}" does not exist (S3 NoSuchBucket); check spec.source.bucket for a typo, or create the bucket and upload the source objects`,
      runId,
      bucket,
      options,
    );
    this.name = 'SourceBucketNotFoundError';
  }
}

/** S3 refused to list or read the source bucket (AccessDenied or another 403). */
export class SourceBucketAccessDeniedError extends PlanError {
  constructor(runId: string, bucket: string, s3Error: string, options?: { cause?: unknown; key?: string }) {
    super(
      `Run ${runId}: source bucket "${bucket}" cannot be read${options?.key ? ` (object ${options.key})` : ''} (S3 ${s3Error}); ` +
        'grant the Plan and Worker functions s3:ListBucket and s3:GetObject on it (on AWS: add it to the cdk context extraSourceBucketNames and deploy), ' +
        'check its bucket policy and KMS key, or check spec.source.bucket',
      runId,
      bucket,
      options,
    );
    this.name = 'SourceBucketAccessDeniedError';
  }
}

/**
 * The named error for an S3 failure reading the source, or the error itself when it is none of those.
 * @example
 *   throw sourceReadError(error, runId, bucket);
 */
export function sourceReadError(error: unknown, runId: string, bucket: string, key?: string): unknown {
  if (!(error instanceof Error)) return error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (error.name === 'NoSuchBucket') return new SourceBucketNotFoundError(runId, bucket, { cause: error });
  if (error.name === 'AccessDenied' || status === 403) return new SourceBucketAccessDeniedError(runId, bucket, `${error.name}: ${error.message}`, { cause: error, key });
  return error;
}
