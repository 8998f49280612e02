/**
 * The status machines of the ledger's records, as data. Each allowed move is enforced in DynamoDB
 * by a ConditionExpression on the expected current status (see runRecords.ts, batchRecords.ts).
 */

export const RUN_STATUSES = [
  'RUNNING',
  'SUCCEEDED',
  'SUCCEEDED_WITH_FAILURES',
  'FAILED',
  'STOPPED',
  'TIMED_OUT',
  'ROLLING_BACK',
  'ROLLED_BACK',
  'ROLLED_BACK_WITH_CONFLICTS',
  'REJECTED',
  'REJECTED_ROLLED_BACK',
  'PAUSING',
  'PAUSED',
  'ABORTING',
  'ABORTED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses a finished rollback leaves; rolling such a run back again is a no-op. */
export const ROLLED_BACK_STATUSES = ['ROLLED_BACK', 'ROLLED_BACK_WITH_CONFLICTS', 'REJECTED_ROLLED_BACK'] as const satisfies readonly RunStatus[];

/**
 * The statuses a rejected run ends in (its stage's approval was rejected or timed out). Never
 * active: no batch is claimed, and StartRun refuses to resume it.
 */
export const REJECTED_STATUSES = ['REJECTED', 'REJECTED_ROLLED_BACK'] as const satisfies readonly RunStatus[];

/**
 * The statuses Finalize leaves: the run's work is done and its report recorded. StartRun with the
 * same runId and spec is then a no-op that returns that report (another spec is still refused).
 */
export const FINISHED_STATUSES = ['SUCCEEDED', 'SUCCEEDED_WITH_FAILURES'] as const satisfies readonly RunStatus[];
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

/** The statuses in which a run plans and processes batches (pins its plan, claims batches, is finalized). */
export const ACTIVE_STATUSES = ['RUNNING'] as const satisfies readonly RunStatus[];

/**
 * The transient statuses of an operator's (or the on-failure policy's) pause or abort: the gate is
 * shut, so no batch starts writing; batches in flight finish, and the workflow then waits (PAUSED)
 * or ends (ABORTED).
 */
export const GATED_STATUSES = ['PAUSING', 'PAUSED', 'ABORTING'] as const satisfies readonly RunStatus[];

/** The statuses in which rollback workers restore a run's batches. */
export const ROLLBACK_ACTIVE_STATUSES = ['ROLLING_BACK'] as const satisfies readonly RunStatus[];

/**
 * `from` → allowed `to` statuses for a run record (`null`: no record yet). `requires: 'force'`
 * marks a move allowed only when the operator asks for it explicitly.
 */
export const RUN_TRANSITIONS: ReadonlyArray<{ from: RunStatus | null; to: RunStatus; when: string; requires?: 'force' | 'operator-resume' }> = [
  { from: null, to: 'RUNNING', when: 'StartRun creates the run for a new runId' },
  { from: 'RUNNING', to: 'RUNNING', when: 'StartRun resumes a run whose execution or process died (same spec)' },
  { from: 'FAILED', to: 'RUNNING', when: 'StartRun resumes a failed run (same spec), e.g. after a transient outage' },
  { from: 'STOPPED', to: 'RUNNING', when: 'StartRun resumes a stopped run (same spec): a new execution with its runId' },
  { from: 'TIMED_OUT', to: 'RUNNING', when: 'StartRun resumes a run whose execution timed out (same spec)' },
  { from: 'RUNNING', to: 'SUCCEEDED', when: 'Finalize: every batch DONE, counts reconcile, thresholds hold' },
  { from: 'RUNNING', to: 'SUCCEEDED_WITH_FAILURES', when: 'Finalize: some batches FAILED within the tolerated failure %' },
  {
    from: 'RUNNING',
    to: 'FAILED',
    when: 'MarkRunFailed: any state of the workflow failed; or markExecutionEnded: the execution failed outside MarkRunFailed. The cause is recorded',
  },
  { from: 'RUNNING', to: 'STOPPED', when: 'markExecutionEnded: its execution was aborted (StopExecution: backfill stop, the console); who and why are recorded' },
  { from: 'RUNNING', to: 'TIMED_OUT', when: 'markExecutionEnded: its execution timed out' },
  {
    from: 'RUNNING',
    to: 'REJECTED',
    when: 'RecordRejection: an approver rejected a stage, or its approval timed out; who, their comment (or the timeout) are recorded. Nothing beyond that stage is written',
  },
  { from: 'PAUSING', to: 'REJECTED', when: 'RecordRejection: the stage was rejected (or its approval timed out) while an operator\'s pause waited on the approval; the rejection ends the run' },
  { from: 'ABORTING', to: 'REJECTED', when: 'RecordRejection: the stage was rejected (or its approval timed out) while an abort waited on the approval; the run ends REJECTED, nothing beyond that stage written' },
  {
    from: 'RUNNING',
    to: 'PAUSING',
    when: 'requestPause: an operator pauses the run (backfill pause), or CheckGate applies onFailure "pause" (the breaker opened, or failures passed the tolerance); no batch starts writing from now on',
  },
  { from: 'PAUSING', to: 'PAUSED', when: 'markRunPaused: the map drained (batches in flight finished); the workflow waits for an operator with a task token' },
  { from: 'PAUSING', to: 'RUNNING', when: 'requestResume: an operator resumes a run still draining; the map goes on (gated batches run again)', requires: 'operator-resume' },
  {
    from: 'PAUSED',
    to: 'RUNNING',
    when: 'requestResume: an operator resumes a paused run; the waiting task is released and the map runs again, finished batches skipped',
    requires: 'operator-resume',
  },
  { from: 'RUNNING', to: 'ABORTING', when: 'requestAbort: an operator aborts the run (backfill abort); no batch starts writing from now on' },
  { from: 'PAUSING', to: 'ABORTING', when: 'requestAbort: an operator aborts a run that is pausing' },
  { from: 'PAUSED', to: 'ABORTING', when: 'requestAbort: an operator aborts a paused run, or its pause timed out (pauseTimeoutSeconds)' },
  { from: 'PAUSING', to: 'FAILED', when: 'MarkRunFailed / markExecutionEnded: a state of the workflow failed while the run was pausing' },
  { from: 'PAUSED', to: 'FAILED', when: 'MarkRunFailed / markExecutionEnded: the workflow failed while the run was paused' },
  { from: 'ABORTING', to: 'FAILED', when: 'MarkRunFailed / markExecutionEnded: a state of the workflow failed while the run was aborting' },
  { from: 'PAUSED', to: 'STOPPED', when: 'markExecutionEnded: the execution of a paused run was stopped (backfill stop, the console)' },
  { from: 'ABORTING', to: 'STOPPED', when: 'markExecutionEnded: the execution of an aborting run was stopped before it drained' },
  { from: 'PAUSED', to: 'TIMED_OUT', when: 'markExecutionEnded: the execution of a paused run timed out' },
  { from: 'PAUSING', to: 'TIMED_OUT', when: 'markExecutionEnded: the execution of a pausing run timed out before its map drained' },
  { from: 'ABORTING', to: 'TIMED_OUT', when: 'markExecutionEnded: the execution of an aborting run timed out before its map drained' },
  { from: 'ABORTING', to: 'ABORTED', when: 'markRunAborted: the map drained; the run ends, leaving what was written (rollback remains possible)' },
  {
    from: 'PAUSING',
    to: 'STOPPED',
    when: 'CheckGate applies onFailure "stop" or "rollback" (the breaker opened, or failures passed the tolerance) once the map drained; the trigger is recorded',
  },
  { from: 'SUCCEEDED', to: 'ROLLING_BACK', when: 'BeginRollback: an operator rolls back a finished run' },
  { from: 'SUCCEEDED_WITH_FAILURES', to: 'ROLLING_BACK', when: 'BeginRollback: an operator rolls back a run that finished with tolerated failures' },
  { from: 'FAILED', to: 'ROLLING_BACK', when: 'BeginRollback: an operator rolls back a failed run (only batches that wrote are restored)' },
  { from: 'STOPPED', to: 'ROLLING_BACK', when: 'BeginRollback: an operator rolls back a stopped run; its execution ended, so no force is needed' },
  { from: 'TIMED_OUT', to: 'ROLLING_BACK', when: 'BeginRollback: an operator rolls back a run whose execution timed out' },
  { from: 'ABORTED', to: 'ROLLING_BACK', when: 'BeginRollback: abort --rollback rolls back what the aborted run wrote, or an operator does later' },
  { from: 'PAUSED', to: 'ROLLING_BACK', when: 'BeginRollback: an operator answers a paused run with rollback (its workflow waits, no batch is in flight)' },
  { from: 'REJECTED', to: 'ROLLING_BACK', when: 'BeginRollback: onRejection "rollback-canary" rolls back what the rejected run wrote (its canary), or an operator does' },
  {
    from: 'RUNNING',
    to: 'ROLLING_BACK',
    when: 'BeginRollback with force: the operator asserts the run\'s workers are gone (a killed process, or a stop not yet recorded); refused without force',
    requires: 'force',
  },
  { from: 'ROLLING_BACK', to: 'ROLLING_BACK', when: 'BeginRollback resumes a rollback that was interrupted or failed' },
  { from: 'ROLLING_BACK', to: 'ROLLED_BACK', when: 'FinishRollback: every batch restored and verified, no conflicts' },
  { from: 'ROLLING_BACK', to: 'ROLLED_BACK_WITH_CONFLICTS', when: 'FinishRollback: every batch done; items changed since by live traffic were left alone and listed' },
  {
    from: 'ROLLING_BACK',
    to: 'REJECTED_ROLLED_BACK',
    when: 'FinishRollback of a run rolled back from REJECTED: every batch done (items changed since by live traffic left alone and listed, as for the other endings)',
  },
];

export const BATCH_STATUSES = ['IN_PROGRESS', 'DONE', 'FAILED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/**
 * `from` → allowed `to` statuses for a batch record (`null`: never claimed). The rollback's
 * per-batch records (`ROLLBACK#<batchId>`) move the same way, claimed and completed by rollback workers.
 */
export const BATCH_TRANSITIONS: ReadonlyArray<{ from: BatchStatus | null; to: BatchStatus; when: string }> = [
  { from: null, to: 'IN_PROGRESS', when: 'claim: the first attempt takes a lease' },
  { from: 'IN_PROGRESS', to: 'IN_PROGRESS', when: 'claim: the lease expired (its worker died or stalled); a new attempt takes over' },
  { from: 'FAILED', to: 'IN_PROGRESS', when: 'claim: a failed batch is retried by a new attempt' },
  { from: 'IN_PROGRESS', to: 'DONE', when: 'complete: only the attempt holding the lease' },
  { from: 'IN_PROGRESS', to: 'FAILED', when: 'fail: only the attempt holding the lease records its error' },
];

export const APPROVAL_STATUSES = ['OPEN', 'APPROVED', 'REJECTED', 'EXPIRED'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * `from` → allowed `to` statuses for an approval record (`APPROVAL#<approvalId>`; `null`: none yet).
 * A decision is conditional on the record still OPEN, unexpired and unchanged since it was read
 * (approvals/recordDecision.ts); a closed approval never opens again.
 */
export const APPROVAL_TRANSITIONS: ReadonlyArray<{ from: ApprovalStatus | null; to: ApprovalStatus; when: string }> = [
  { from: null, to: 'OPEN', when: 'requestApproval: RequestApproval stores the task token and the approvers for a stage' },
  { from: 'OPEN', to: 'OPEN', when: 'recordDecision: an approver approves, and fewer distinct approvers than the quorum have approved so far' },
  { from: 'OPEN', to: 'OPEN', when: 'replaceTaskToken: a resumed run waits again on the same approval; its new task token replaces the old one' },
  { from: 'OPEN', to: 'APPROVED', when: 'recordDecision: an approval reaches the quorum of distinct approvers; the caller sends SendTaskSuccess' },
  { from: 'OPEN', to: 'REJECTED', when: 'recordDecision: any approver rejects; the caller sends SendTaskFailure (ApprovalRejected)' },
  { from: 'OPEN', to: 'EXPIRED', when: 'expireApproval: the wait timed out or the run stopped waiting; timeout means rejection' },
];

export const STAGE_STATUSES = ['RUNNING', 'VALIDATED', 'GATE_FAILED', 'AWAITING_APPROVAL', 'PASSED', 'REJECTED'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/**
 * `from` → allowed `to` statuses for a rollout stage's record (`STAGE#<index>#<name>`; `null`: not
 * begun). A run passes its stages in order; a resumed run re-enters the first one not PASSED
 * (stages/stageMoves.ts). PASSED and REJECTED are final.
 */
export const STAGE_TRANSITIONS: ReadonlyArray<{ from: StageStatus | null; to: StageStatus; when: string }> = [
  { from: null, to: 'RUNNING', when: 'beginStage: the stage\'s distributed Map is about to process its batches' },
  { from: 'RUNNING', to: 'RUNNING', when: 'beginStage: a resumed run re-enters a stage it was processing when it stopped' },
  { from: 'VALIDATED', to: 'RUNNING', when: 'beginStage: a resumed run re-enters a stage validated but not yet passed; its DONE batches are not written again, its gate checks again' },
  { from: 'GATE_FAILED', to: 'RUNNING', when: 'beginStage: a failed run is resumed after its gate failed (e.g. the golden set was fixed); its gate checks again' },
  { from: 'RUNNING', to: 'VALIDATED', when: 'recordStageValidation: every check of the gate passed; the evidence is recorded' },
  { from: 'RUNNING', to: 'GATE_FAILED', when: 'recordStageValidation: a check failed; the run fails with the evidence, before the next stage writes' },
  { from: 'VALIDATED', to: 'AWAITING_APPROVAL', when: 'markStageAwaitingApproval: RequestApproval asked the approvers (the canary, with spec.approval)' },
  { from: 'AWAITING_APPROVAL', to: 'AWAITING_APPROVAL', when: 'markStageAwaitingApproval: a resumed run waits again for the same approval (same approvalId only)' },
  { from: 'VALIDATED', to: 'PASSED', when: 'markStagePassed: the gate passed and no approval is needed (a wave, or no spec.approval)' },
  { from: 'AWAITING_APPROVAL', to: 'PASSED', when: 'recordStageDecision: the quorum of approvers approved' },
  { from: 'AWAITING_APPROVAL', to: 'REJECTED', when: 'recordStageDecision: an approver rejected, or the wait timed out (timeout means rejection)' },
];

/**
 * Statuses a stage may be found in that allow moving it to `to` (`null`: it may have no record yet).
 * @example
 *   stageStatusesAllowing('RUNNING'); // [null, 'RUNNING', 'VALIDATED', 'GATE_FAILED']
 */
export function stageStatusesAllowing(to: StageStatus): Array<StageStatus | null> {
  return STAGE_TRANSITIONS.filter((t) => t.to === to).map((t) => t.from);
}

/**
 * Statuses a run may be found in that allow the given target status (moves that require force only
 * when `force`, an operator's resume of a pause only when `operatorResume`: StartRun never resumes
 * a paused run, whose workflow still waits); `null` when a new run may be created in it.
 * @example
 *   runStatusesAllowing('RUNNING'); // [null, 'RUNNING', 'FAILED']
 */
export function runStatusesAllowing(to: RunStatus, options: { force?: boolean; operatorResume?: boolean } = {}): Array<RunStatus | null> {
  const allowed = (requires: 'force' | 'operator-resume' | undefined): boolean =>
    requires === undefined || (requires === 'force' && options.force === true) || (requires === 'operator-resume' && options.operatorResume === true);
  return RUN_TRANSITIONS.filter((t) => t.to === to && allowed(t.requires)).map((t) => t.from);
}

/**
 * Whether moving a run from `from` to `to` is a move the table allows only with force.
 * @example
 *   requiresForce('RUNNING', 'ROLLING_BACK'); // true: the rollback interlock
 */
export function requiresForce(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS.some((t) => t.from === from && t.to === to && t.requires === 'force');
}

/**
 * Whether `value` is one of `statuses` (a typed `includes` for the `as const` lists above).
 * @example
 *   if (isStatusIn(run.status, FINISHED_STATUSES)) return run.summary;
 */
export function isStatusIn<S extends RunStatus>(value: RunStatus, statuses: readonly S[]): value is S {
  return (statuses as readonly RunStatus[]).includes(value);
}
