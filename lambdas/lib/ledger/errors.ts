/** Base class of ledger errors; carries the run (and batch) an operator needs to look at. */
export class LedgerError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    options?: { cause?: unknown; batchId?: string },
  ) {
    super(message, options);
    this.name = 'LedgerError';
    this.batchId = options?.batchId;
  }
  readonly batchId?: string;
}

export class RunNotFoundError extends LedgerError {
  constructor(runId: string) {
    super(`Run ${runId} does not exist in the ledger; check the runId (it is the execution name)`, runId);
    this.name = 'RunNotFoundError';
  }
}

/** The same runId was started with a different spec: a run is pinned to its spec. */
export class RunSpecMismatchError extends LedgerError {
  constructor(runId: string, pinnedSpecHash: string, givenSpecHash: string) {
    super(
      `Run ${runId} was started with spec ${pinnedSpecHash.slice(0, 12)}, not ${givenSpecHash.slice(0, 12)}; ` +
        'resume it with its original spec, or start a new run under another name',
      runId,
    );
    this.name = 'RunSpecMismatchError';
  }
}

/** The run is in a status that does not allow the requested move. */
export class RunStatusError extends LedgerError {
  constructor(runId: string, readonly status: string, action: string) {
    super(`Run ${runId} is ${status}; cannot ${action}`, runId);
    this.name = 'RunStatusError';
  }
}

/** A resumed run computed a different plan than the one it pinned: the source changed underneath it. */
export class PlanChangedError extends LedgerError {
  constructor(runId: string, pinnedPlanHash: string, newPlanHash: string) {
    super(
      `Run ${runId} pinned plan ${pinnedPlanHash.slice(0, 12)} but the source now plans to ${newPlanHash.slice(0, 12)}; ` +
        'the source objects changed since the run started. Restore them, or start a new run under another name',
      runId,
    );
    this.name = 'PlanChangedError';
  }
}

/**
 * Another attempt holds a live lease on the batch; retry after it expires. Says which attempt holds
 * it and for how long, because a dead worker's lease blocks its batch until it runs out.
 */
export class BatchLeaseHeldError extends LedgerError {
  constructor(runId: string, batchId: string, readonly leaseExpiresAtMs: number, nowMs: number = leaseExpiresAtMs, readonly holderAttempt?: number) {
    const until = new Date(leaseExpiresAtMs).toISOString();
    super(
      `Batch ${batchId} of run ${runId} is leased to ${holderAttempt === undefined ? 'another attempt' : `attempt ${holderAttempt}`} until ${until} ` +
        `(${Math.max(0, Math.ceil((leaseExpiresAtMs - nowMs) / 1000))} s from now); the workflow retries the claim. ` +
        `If the retries run out, that attempt's worker died or hung: start the run again after ${until} to resume it (spec.leaseSeconds sets how long a dead worker's lease blocks its batch)`,
      runId,
      { batchId },
    );
    this.name = 'BatchLeaseHeldError';
  }
}

/** This attempt no longer holds the batch's lease (it expired and another attempt took over): it must stop. */
export class LeaseLostError extends LedgerError {
  constructor(runId: string, batchId: string, action: string) {
    super(
      `Batch ${batchId} of run ${runId}: lease lost before ${action}; another attempt owns the batch now and finishes it. ` +
        'This attempt stalled past its lease: if it happens often, raise spec.leaseSeconds or lower spec.batchSize',
      runId,
      { batchId },
    );
    this.name = 'LeaseLostError';
  }
}

/**
 * Rollback interlock: a run still marked RUNNING may have live workers writing, so rolling it back
 * needs it stopped first, or an explicit force.
 */
export class RunStillRunningError extends LedgerError {
  constructor(runId: string) {
    super(
      `Run ${runId} is RUNNING: a live run must be stopped before it is rolled back (stop its execution and let its workers finish). ` +
        `If it is already stopped or its process was killed, roll it back with force (input "force": true, or npm start -- --rollback ${runId} --force)`,
      runId,
    );
    this.name = 'RunStillRunningError';
  }
}
