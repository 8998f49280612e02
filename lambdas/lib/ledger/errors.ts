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
 * Another attempt holds a live lease on the batch; retry after it expires. The message says until
 * when (and how long the lease is), so a waiting operator knows what is waited for.
 */
export class BatchLeaseHeldError extends LedgerError {
  constructor(
    runId: string,
    batchId: string,
    readonly leaseExpiresAtMs: number,
    /** The holder's lease length, when its record says. */
    readonly leaseSeconds?: number,
    /** When the claim was refused. */
    readonly refusedAtMs?: number,
  ) {
    const until = `${new Date(leaseExpiresAtMs).toISOString().slice(11, 19)} UTC`;
    const left = refusedAtMs === undefined ? '' : `, ${Math.max(0, Math.ceil((leaseExpiresAtMs - refusedAtMs) / 1000))} s from now`;
    super(
      `Batch ${batchId} of run ${runId} is leased by another attempt until ${until} (${new Date(leaseExpiresAtMs).toISOString()}` +
        `${leaseSeconds === undefined ? '' : `; lease ${leaseSeconds} s`}${left}); waiting for that lease to expire. ` +
        'If its worker is gone, a resume started after that time takes the batch over',
      runId,
      { batchId },
    );
    this.name = 'BatchLeaseHeldError';
  }
}

/** This attempt no longer holds the batch's lease (it expired and another attempt took over): it must stop. */
export class LeaseLostError extends LedgerError {
  constructor(runId: string, batchId: string, action: string) {
    super(`Batch ${batchId} of run ${runId}: lease lost before ${action}; another attempt owns the batch now`, runId, { batchId });
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
