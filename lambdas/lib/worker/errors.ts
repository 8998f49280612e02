/** Base class of worker errors; carries the run and batch an operator needs to look at. */
export class WorkerError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    readonly batchId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WorkerError';
  }
}

/** The source object changed since it was planned (its ETag differs). */
export class SourceChangedError extends WorkerError {
  constructor(runId: string, batchId: string, key: string, plannedEtag: string, etag: string) {
    super(
      `Batch ${batchId}: source object ${key} changed since planning (ETag ${plannedEtag} → ${etag}). ` +
        'Restore its planned version (ETag above) and start the run again to resume it, or start a new run under another runId to process the new content',
      runId,
      batchId,
    );
    this.name = 'SourceChangedError';
  }
}

/** DynamoDB or S3 throttled or failed transiently; the state machine retries these. */
export class TransientStoreError extends WorkerError {
  constructor(runId: string, batchId: string, cause: Error) {
    super(
      `Batch ${batchId}: transient store error ${cause.name}: ${cause.message}. The workflow retries it; ` +
        'if the retries run out, start the run again to resume it (throttling: lower spec.maxConcurrency)',
      runId,
      batchId,
      { cause },
    );
    this.name = 'TransientStoreError';
  }
}

/** What is wrong with a recorded snapshot object. */
export type SnapshotProblem = 'missing' | 'checksum-mismatch' | 'unparseable' | 'not-recorded';

/**
 * A batch's recorded snapshot cannot be trusted: its object is gone, its bytes do not match the
 * sha256 the ledger recorded when it was taken, it does not parse, or the ledger records another one.
 */
export class SnapshotIntegrityError extends WorkerError {
  constructor(
    runId: string,
    batchId: string,
    readonly key: string,
    readonly problem: SnapshotProblem,
    /** What was found, without the advice (e.g. `no such object`). */
    readonly detail: string,
  ) {
    super(
      `Batch ${batchId} of run ${runId}: snapshot s3://…/${key} is ${problem.replace('-', ' ')} (${detail}); ` +
        'on AWS restore the object from its previous version (the artifacts bucket is versioned); on the local emulators (s3rver keeps no versions) ' +
        'it cannot be recovered: restore the data dir from a backup copy, or fix this batch\'s items by hand',
      runId,
      batchId,
    );
    this.name = 'SnapshotIntegrityError';
  }
}

/**
 * DynamoDB refused the target table's keys (a ValidationException such as "The provided key element
 * does not match the schema"): the spec's key does not match the table's key schema.
 */
export class TargetSchemaMismatchError extends WorkerError {
  constructor(
    runId: string,
    batchId: string,
    readonly target: { readonly tableName: string; readonly partitionKey: string; readonly sortKey?: string },
    cause: Error,
  ) {
    const keys = `spec.target.partitionKey ${JSON.stringify(target.partitionKey)}${target.sortKey ? ` and sortKey ${JSON.stringify(target.sortKey)}` : ' (no sortKey)'}`;
    super(
      `Batch ${batchId}: DynamoDB refused the keys for target table ${target.tableName} (${cause.name}: ${cause.message}): ` +
        `${keys} does not match the table's key schema (names or types). ` +
        `Set the spec's target key to the table's (aws dynamodb describe-table --table-name ${target.tableName}) and start the spec as a new run`,
      runId,
      batchId,
      { cause },
    );
    this.name = 'TargetSchemaMismatchError';
  }
}
