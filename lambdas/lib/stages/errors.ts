/** Base class of staged-rollout errors; carries the run (and stage) an operator needs to look at. */
export class StageError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    readonly stageName?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StageError';
  }
}

/** A staged run (spec.rollout) reached its stages with a plan that carries none. */
export class PlanHasNoStagesError extends StageError {
  constructor(runId: string) {
    super(
      `Run ${runId} has a rollout but its plan lists no stages; the Plan step returns them for a spec with "rollout". ` +
        'Start the run again so it is planned with its rollout',
      runId,
    );
    this.name = 'PlanHasNoStagesError';
  }
}

/** A stage of the run was rejected: nothing after it may be written. */
export class StageRejectedError extends StageError {
  constructor(runId: string, stageName: string, by: readonly string[]) {
    super(
      `Stage ${stageName} of run ${runId} was rejected${by.length > 0 ? ` by ${by.join(', ')}` : ''}; nothing after it is written. ` +
        'Read the evidence and the decision (backfill status), fix the transform or the spec, and start a new run',
      runId,
      stageName,
    );
    this.name = 'StageRejectedError';
  }
}

/**
 * A stage was released (SendTaskSuccess) with an approval the ledger does not have APPROVED for it:
 * the task output alone is no proof, since anyone holding the token can send any output.
 */
export class ApprovalNotGrantedError extends StageError {
  constructor(
    runId: string,
    stageName: string,
    readonly approvalId: string,
    /** The approval's status in the ledger; undefined when the ledger has no such approval of this stage. */
    readonly statusSeen: string | undefined,
  ) {
    super(
      `Stage ${stageName} of run ${runId} was released by a task output naming approval ${approvalId}, but the ledger has ${statusSeen === undefined ? 'no such approval of this stage' : `that approval ${statusSeen}`}, not APPROVED; ` +
        'the stage does not pass and nothing after it is written. Read backfill approvals RUN and the audit trail for who sent the task result; ' +
        'resume the run to wait for the approval again',
      runId,
      stageName,
    );
    this.name = 'ApprovalNotGrantedError';
  }
}
