/** Base class of the rejection step's errors; names the run and the stage. */
export class RejectionError extends Error {
  constructor(
    message: string,
    readonly runId: string,
    readonly stage: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RejectionError';
  }
}

/** RecordRejection was reached with an error that is neither a rejection nor a timeout: the ASL's Catch is wrong. */
export class NotARejectionError extends RejectionError {
  constructor(runId: string, stage: string, readonly error: string) {
    super(
      `Run ${runId}, stage ${stage}: RecordRejection got error ${JSON.stringify(error)}, which is neither ApprovalRejected nor States.Timeout; ` +
        'only those two reach it (the RequestApproval Catch in statemachines/backfill.asl.json); the run was left as it is',
      runId,
      stage,
    );
    this.name = 'NotARejectionError';
  }
}

/** An approval was rejected, but the ledger holds no approval of that stage with a rejecting decision. */
export class RejectionNotRecordedError extends RejectionError {
  constructor(runId: string, stage: string, found: string) {
    super(
      `Run ${runId}, stage ${stage}: the approval was rejected (ApprovalRejected) but the ledger holds no rejecting decision for it (${found}); ` +
        `the run was left as it is: read its approvals (backfill approvals ${runId}) and audit trail`,
      runId,
      stage,
    );
    this.name = 'RejectionNotRecordedError';
  }
}

/**
 * The wait timed out, but the stage's approval is APPROVED: the quorum was recorded and its
 * SendTaskSuccess never reached the run (throttled, a 5xx, a Lambda timeout between write and send).
 * Not a rejection: the run ends FAILED (RecordRejection's Catch → MarkRunFailed), nothing is rolled back.
 */
export class ApprovalNotDeliveredError extends RejectionError {
  constructor(runId: string, stage: string, readonly approvalId: string, readonly approvedBy: readonly string[]) {
    super(
      `Run ${runId}, stage ${stage}: the wait timed out although approval ${approvalId} was APPROVED by ${approvedBy.join(', ')}: ` +
        `the answer never reached the run (SendTaskSuccess failed); this is not a rejection, nothing was rolled back and the approval stays given: resume the run (backfill resume ${runId}) and it goes on past the stage`,
      runId,
      stage,
    );
    this.name = 'ApprovalNotDeliveredError';
  }
}
