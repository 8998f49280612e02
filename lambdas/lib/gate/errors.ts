import type { RunStatus } from '../ledger';

/** Base class of the workflow gate's errors; carries the run an operator needs to look at. */
export class GateError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GateError';
  }
}

/**
 * WaitForOperator found the run RUNNING again (an operator resumed it while it drained): nobody
 * will answer this wait, so the workflow goes back to its map (the ASL catches this name).
 */
export class RunAlreadyResumedError extends GateError {
  constructor(runId: string) {
    super(`Run ${runId} was resumed before its workflow began waiting; its map runs again`, runId);
    this.name = 'RunAlreadyResumedError';
  }
}

/** WaitForOperator found the run ABORTING (an operator aborted it while it drained): it ends ABORTED (the ASL catches this name). */
export class RunAbortedWhilePausingError extends GateError {
  constructor(runId: string) {
    super(`Run ${runId} was aborted before its workflow began waiting; it ends ABORTED`, runId);
    this.name = 'RunAbortedWhilePausingError';
  }
}

/** The run is in a status the gate has no way on from (e.g. FAILED or STOPPED by an operator meanwhile). */
export class RunNotGatableError extends GateError {
  constructor(runId: string, readonly status: RunStatus, action: string) {
    super(`Run ${runId} is ${status}; cannot ${action}. Another execution or an operator moved it: read its record and audit trail (backfill status ${runId})`, runId);
    this.name = 'RunNotGatableError';
  }
}
