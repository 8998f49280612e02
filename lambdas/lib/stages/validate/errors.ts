/** Base class of ValidateStage's errors. */
export class StageValidationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StageValidationError';
  }
}

/**
 * A stage's gate failed: the run must stop before the next stage. The message names each failure
 * and where the evidence is; `name` is what the ASL's Catch matches (`StageGateFailed`).
 */
export class StageGateFailedError extends StageValidationError {
  constructor(
    readonly runId: string,
    readonly stageName: string,
    readonly failures: readonly string[],
    readonly evidenceKey: string,
    options?: { cause?: unknown },
  ) {
    super(
      `stage ${stageName} of run ${runId} failed its gate: ${failures.join('; ')}. The evidence is at ${evidenceKey}; ` +
        'fix the transform (a new version) or the spec, then start a new run',
      options,
    );
    this.name = 'StageGateFailed';
  }
}

/** A batch of the stage is not DONE in the ledger, so there is nothing final to validate. */
export class StageIncompleteError extends StageValidationError {
  constructor(
    readonly runId: string,
    readonly stageName: string,
    readonly batches: readonly { readonly batchId: string; readonly status: string }[],
    /** The stage's FAILED batches: with batchesPerWorker > 1 the rest of a failed batch's group is never attempted. */
    readonly failedBatchIds: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    const shown = batches.slice(0, 5).map((b) => `${b.batchId} (${b.status})`).join(', ');
    const notStarted = batches.filter((b) => b.status === 'not started').map((b) => b.batchId);
    const why =
      failedBatchIds.length > 0 && notStarted.length > 0
        ? `${notStarted.slice(0, 5).join(', ')}${notStarted.length > 5 ? ', …' : ''} ${notStarted.length === 1 ? 'was' : 'were'} never attempted: ` +
          `with batchesPerWorker > 1 a worker stops its group at its first failed batch (${failedBatchIds.slice(0, 5).join(', ')} FAILED); ` +
          'resume the run: it retries the failed batch(es) and attempts the rest'
        : 'ValidateStage runs after the stage\'s map finished every batch: resume the run to process them';
    super(`stage ${stageName} of run ${runId} has ${batches.length} batch(es) not DONE: ${shown}${batches.length > 5 ? ', …' : ''}; ${why}`, options);
    this.name = 'StageIncompleteError';
  }
}

/** The stage does not fit the plan: its batches run past the plan's end. */
export class StageOutsidePlanError extends StageValidationError {
  constructor(
    readonly stageName: string,
    readonly firstBatch: number,
    readonly batchCount: number,
    readonly planBatches: number,
    options?: { cause?: unknown },
  ) {
    super(
      `stage ${stageName} covers batches ${firstBatch}–${firstBatch + batchCount - 1} but the plan has ${planBatches} batch(es) (0–${planBatches - 1}); ` +
        'pass the stage the planner returned for this plan',
      options,
    );
    this.name = 'StageOutsidePlanError';
  }
}
