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

/**
 * The run is in a status that does not allow the requested move. The subclasses below name the
 * refused move (RUN_TRANSITIONS); `status` is the status found.
 */
export class RunStatusError extends LedgerError {
  constructor(runId: string, readonly status: string, action: string, advice?: string) {
    super(`Run ${runId} is ${status}; cannot ${action}${advice ? `. ${advice}` : ''}`, runId);
    this.name = 'RunStatusError';
  }
}

const listOf = (statuses: readonly (string | null)[]): string => statuses.filter((s) => s !== null).join(' or ');

const START_ANOTHER = 'start a new run under another name (npm start -- --run-id NEW, or a new execution name on AWS)';

/**
 * StartRun found the run in a status it cannot start or resume from (e.g. ROLLED_BACK). A REJECTED
 * (or REJECTED_ROLLED_BACK) run is told apart: its approvers refused it, so resuming is no retry.
 */
export class RunNotResumableError extends RunStatusError {
  constructor(runId: string, status: string, resumableFrom: readonly (string | null)[]) {
    super(
      runId,
      status,
      'start or resume it',
      status === 'REJECTED' || status === 'REJECTED_ROLLED_BACK'
        ? `A rejected run stays rejected: its approval was rejected or timed out (who and why: backfill approvals ${runId}, or its audit trail). ` +
            `Fix what the approvers objected to, then ${START_ANOTHER}`
        : status === 'PAUSING' || status === 'PAUSED'
          ? `A paused run's workflow still waits for its operator: resume it with backfill resume ${runId} (or abort it: backfill abort ${runId} --reason ...)`
          : `Only a run that is ${listOf(resumableFrom)} resumes under its runId; ${START_ANOTHER}`,
    );
    this.name = 'RunNotResumableError';
  }
}

/** Finalize, MarkRunFailed or Plan found the run no longer running (e.g. a forced rollback took it over). */
export class RunNotRunningError extends RunStatusError {
  constructor(runId: string, status: string, action: string, runningStatuses: readonly (string | null)[]) {
    super(runId, status, action, `Only a run that is ${listOf(runningStatuses)} can; another execution or an operator moved it, read its record and audit trail`);
    this.name = 'RunNotRunningError';
  }
}

/** An operator's resume of a run that is not paused (PAUSING or PAUSED). */
export class RunNotPausedError extends RunStatusError {
  constructor(runId: string, status: string) {
    super(
      runId,
      status,
      'resume it from a pause',
      'Only a run that is PAUSING or PAUSED resumes so; a run that is FAILED, STOPPED or TIMED_OUT resumes with a new execution (backfill resume RUN, or npm start -- --run-id RUN), a RUNNING run needs nothing',
    );
    this.name = 'RunNotPausedError';
  }
}

/** The gate check could not read the run and breaker records (DynamoDB left them unprocessed, throttled). Nothing was claimed. */
export class GateUnreadableError extends LedgerError {
  constructor(runId: string, rounds: number) {
    super(`The gate of run ${runId} could not be read: DynamoDB left the run or breaker record unprocessed after ${rounds} reads (the ledger is throttled); nothing was claimed, the batch is retried`, runId);
    this.name = 'GateUnreadableError';
  }
}

/** LoadRollback found the run in a status that cannot be rolled back (e.g. already ROLLED_BACK). */
export class RunNotRollbackableError extends RunStatusError {
  constructor(runId: string, status: string, rollbackableFrom: readonly (string | null)[]) {
    super(runId, status, 'roll it back', `Only a run that is ${listOf(rollbackableFrom)} can be rolled back; read its record`);
    this.name = 'RunNotRollbackableError';
  }
}

/** FinishRollback found the run not ROLLING_BACK (another execution finished or changed it). */
export class RunNotRollingBackError extends RunStatusError {
  constructor(runId: string, status: string, rollingBackStatuses: readonly (string | null)[]) {
    super(runId, status, 'finish its rollback', `Only a run that is ${listOf(rollingBackStatuses)} can; read its record`);
    this.name = 'RunNotRollingBackError';
  }
}

/** The run's status changed between reading it and moving it; the caller may judge it again. */
export class RunStatusChangedError extends RunStatusError {
  constructor(runId: string, status: string, readonly expected: string, action: string) {
    super(runId, status, action, `It changed from ${expected} while this move was being made; try again`);
    this.name = 'RunStatusChangedError';
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
 * it, until when and how long the lease is, because a dead worker's lease blocks its batch until it
 * runs out: a waiting operator knows what is waited for.
 */
export class BatchLeaseHeldError extends LedgerError {
  readonly leaseExpiresAtMs: number;
  /** The holder's lease length, when its record says. */
  readonly leaseSeconds?: number;
  readonly holderAttempt?: number;
  constructor(runId: string, batchId: string, lease: { leaseExpiresAtMs: number; nowMs?: number; holderAttempt?: number; leaseSeconds?: number }) {
    const until = new Date(lease.leaseExpiresAtMs).toISOString();
    const left = `${Math.max(0, Math.ceil((lease.leaseExpiresAtMs - (lease.nowMs ?? lease.leaseExpiresAtMs)) / 1000))} s from now`;
    super(
      `Batch ${batchId} of run ${runId} is leased to ${lease.holderAttempt === undefined ? 'another attempt' : `attempt ${lease.holderAttempt}`} until ${until} ` +
        `(${lease.leaseSeconds === undefined ? '' : `lease ${lease.leaseSeconds} s, `}${left}); the workflow retries the claim. ` +
        `If the retries run out, that attempt's worker died or hung: start the run again after ${until} to resume it ` +
        "(locally, a start takes over a gone process's leases at once; spec.leaseSeconds sets how long a dead worker's lease blocks its batch)",
      runId,
      { batchId },
    );
    this.name = 'BatchLeaseHeldError';
    this.leaseExpiresAtMs = lease.leaseExpiresAtMs;
    this.leaseSeconds = lease.leaseSeconds;
    this.holderAttempt = lease.holderAttempt;
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

/** Base class of the approval refusals: names the approval and, for a decision, the approver. */
export class ApprovalError extends LedgerError {
  constructor(
    message: string,
    runId: string,
    readonly approvalId: string,
    options?: { cause?: unknown; approver?: string },
  ) {
    super(message, runId, options);
    this.name = 'ApprovalError';
    this.approver = options?.approver;
  }
  readonly approver?: string;
}

/** requestApproval was given a request that cannot be stored (e.g. a quorum larger than the approver list). */
export class InvalidApprovalRequestError extends ApprovalError {
  constructor(runId: string, approvalId: string, problems: string) {
    super(`Approval ${approvalId} of run ${runId} cannot be requested: ${problems}; fix spec.approval (approvers, quorum, timeoutSeconds)`, runId, approvalId);
    this.name = 'InvalidApprovalRequestError';
  }
}

/** requestApproval found a record under the same approvalId: ids are random and never reused. */
export class ApprovalExistsError extends ApprovalError {
  constructor(runId: string, approvalId: string, readonly status: string) {
    super(`Approval ${approvalId} of run ${runId} already exists (${status}); request a new approval with a new random id`, runId, approvalId);
    this.name = 'ApprovalExistsError';
  }
}

export class ApprovalNotFoundError extends ApprovalError {
  constructor(runId: string, approvalId: string, approver?: string) {
    super(`Approval ${approvalId} of run ${runId} does not exist; check the link, or list the run's approvals (backfill approvals ${runId})`, runId, approvalId, { approver });
    this.name = 'ApprovalNotFoundError';
  }
}

/** The approval was already approved, rejected or expired: a decision can no longer change anything. */
export class ApprovalClosedError extends ApprovalError {
  constructor(runId: string, approvalId: string, readonly status: string, approver?: string) {
    super(`Approval ${approvalId} of run ${runId} is ${status}; it no longer takes decisions. Read the run's status and audit trail`, runId, approvalId, { approver });
    this.name = 'ApprovalClosedError';
  }
}

/** The approval is still OPEN but its expiry passed: the run times out waiting (timeout means rejection). */
export class ApprovalExpiredError extends ApprovalError {
  constructor(runId: string, approvalId: string, readonly expiresAt: string, approver?: string) {
    super(`Approval ${approvalId} of run ${runId} expired at ${expiresAt}; a decision is refused. Start the run again to request a new approval`, runId, approvalId, { approver });
    this.name = 'ApprovalExpiredError';
  }
}

export class NotAnApproverError extends ApprovalError {
  constructor(runId: string, approvalId: string, approver: string, readonly approvers: readonly string[]) {
    super(
      `${approver} is not an approver of approval ${approvalId} of run ${runId} (approvers: ${approvers.join(', ')}); only the people spec.approval.approvers names can decide`,
      runId,
      approvalId,
      { approver },
    );
    this.name = 'NotAnApproverError';
  }
}

/** Each approver decides once: a second decision (a replayed POST, a double click) is refused. */
export class AlreadyDecidedError extends ApprovalError {
  constructor(runId: string, approvalId: string, approver: string, readonly decision: string, readonly decidedAt: string) {
    super(`${approver} already decided approval ${approvalId} of run ${runId} (${decision} at ${decidedAt}); each approver decides once`, runId, approvalId, { approver });
    this.name = 'AlreadyDecidedError';
  }
}

/** spec.approval.preventSelfApproval: the run's starter cannot decide on their own run. */
export class SelfApprovalError extends ApprovalError {
  constructor(runId: string, approvalId: string, approver: string) {
    super(
      `${approver} started run ${runId} and cannot decide its approval ${approvalId} (spec.approval.preventSelfApproval); ask another approver`,
      runId,
      approvalId,
      { approver },
    );
    this.name = 'SelfApprovalError';
  }
}

/** A rollout stage's record is not in a status that allows the requested move (STAGE_TRANSITIONS). */
export class StageTransitionError extends LedgerError {
  constructor(
    runId: string,
    readonly stageName: string,
    readonly from: string | null,
    readonly to: string,
    allowedFrom: readonly (string | null)[],
  ) {
    const found = from === null ? 'not begun' : from;
    const allowed = allowedFrom.map((s) => s ?? 'not begun').join(' or ');
    super(
      `Stage ${stageName} of run ${runId} is ${found}; cannot move it to ${to} (only from ${allowed}). ` +
        `Another execution or an operator moved it; read the run's stages (backfill status ${runId})`,
      runId,
    );
    this.name = 'StageTransitionError';
  }
}

/** A stage was to be passed by an approval other than the one it waits for. */
export class StageApprovalMismatchError extends LedgerError {
  constructor(runId: string, readonly stageName: string, readonly awaited: string | undefined, readonly given: string) {
    super(
      `Stage ${stageName} of run ${runId} waits for approval ${awaited ?? '(none)'}, not ${given}; only its own approval decides it. ` +
        `Read the run's approvals (backfill approvals ${runId})`,
      runId,
    );
    this.name = 'StageApprovalMismatchError';
  }
}
