import type { RunStatus } from '../ledger';
import { quarantinePrefix } from '../artifacts';

/** Base class of run-level errors raised when finalizing. */
export class RunError extends Error {
  constructor(message: string, readonly runId: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunError';
  }
}

/** More malformed source records than the spec tolerates. */
export class MalformedThresholdExceededError extends RunError {
  constructor(runId: string, malformed: number, read: number, maxPercent: number) {
    super(
      `Run ${runId}: ${malformed} of ${read} source records (${((malformed / Math.max(read, 1)) * 100).toFixed(2)}%) are malformed, above maxMalformedPercent ${maxPercent}; ` +
        `see ${quarantinePrefix({ runId })} in the artifacts bucket for each record and its reason. ` +
        'Reasons "produced an item the target cannot take" usually mean spec.target (partitionKey, sortKey, their types, versionAttribute) does not match what the transform produces: fix the spec and start it as a new run; ' +
        '"fails its output schema" or "threw" is a transform bug: a published transform version is immutable, so fix it as name@N+1 and start a new run with it',
      runId,
    );
    this.name = 'MalformedThresholdExceededError';
  }
}

/** The ledger does not add up to the plan: batches missing, failed beyond tolerance, or record counts differ. */
export class ReconcileError extends RunError {
  constructor(runId: string, problem: string) {
    super(`Run ${runId} does not reconcile with its plan: ${problem}`, runId);
    this.name = 'ReconcileError';
  }
}

/**
 * A pause or abort landed after the map settled (PAUSING, PAUSED or ABORTING): the run is not
 * finalized; the workflow catches this name into CheckGate, which waits for the operator or aborts.
 */
export class RunGatedError extends RunError {
  constructor(runId: string, readonly status: RunStatus) {
    super(`Run ${runId} is ${status}: a pause or abort landed before it was finalized; the workflow drains it (CheckGate) instead of finalizing`, runId);
    this.name = 'RunGatedError';
  }
}
