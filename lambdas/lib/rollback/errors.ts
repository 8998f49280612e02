/** Base class of rollback errors; carries the run (and batch) an operator needs to look at. */
export class RollbackError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    options?: { cause?: unknown; batchId?: string },
  ) {
    super(message, options);
    this.name = 'RollbackError';
    this.batchId = options?.batchId;
  }
  readonly batchId?: string;
}

/** One field of the rollback input that failed validation. */
export interface RollbackInputProblem {
  readonly field: string;
  readonly message: string;
}

/** The rollback state machine's input is invalid; every bad field is named. Nothing was changed. */
export class InvalidRollbackInputError extends Error {
  constructor(readonly problems: readonly RollbackInputProblem[]) {
    super(
      `The rollback input is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}); expected { "runId": "...", "mode"?: "apply" | "rehearse", "force"?: boolean }:\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n'),
    );
    this.name = 'InvalidRollbackInputError';
  }
}

/**
 * The forward batch is still leased by a live attempt of the run (a forced rollback of a run whose
 * workers are still finishing): its rollback waits until the lease ends. Retryable.
 */
export class ForwardBatchLeasedError extends RollbackError {
  constructor(runId: string, batchId: string, readonly leaseExpiresAtMs: number) {
    super(
      `Batch ${batchId} of run ${runId} is still being processed by a worker of the run (leased until ${new Date(leaseExpiresAtMs).toISOString()}); ` +
        'its rollback waits for the lease to end',
      runId,
      { batchId },
    );
    this.name = 'ForwardBatchLeasedError';
  }
}

/**
 * The rollback does not add up: a batch's rollback did not finish, counts differ from the snapshots,
 * or a batch of the run recorded a snapshot after the rollback started (a worker was still writing).
 * The run stays ROLLING_BACK; starting the rollback again resumes it.
 */
export class RollbackIncompleteError extends RollbackError {
  constructor(runId: string, problem: string) {
    super(`The rollback of run ${runId} is incomplete: ${problem}; start the rollback again to resume it`, runId);
    this.name = 'RollbackIncompleteError';
  }
}

/**
 * A pre-image carries this run's stamp (another batch of the run wrote the key first), but that
 * batch's snapshot has no entry for the key, so the item's pre-run state is unknown.
 */
export class SnapshotChainError extends RollbackError {
  constructor(runId: string, batchId: string, key: string, problem: string) {
    super(`Batch ${batchId} of run ${runId}: cannot find the pre-run state of ${key}: ${problem}; roll this item back by hand`, runId, { batchId });
    this.name = 'SnapshotChainError';
  }
}
