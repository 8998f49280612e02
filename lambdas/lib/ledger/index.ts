export { appendAudit, listAudit, type AuditEvent } from './audit';
export {
  claimBatch,
  renewLease,
  recordSnapshot,
  completeBatch,
  failBatch,
  getBatch,
  listBatches,
  addCounts,
  ZERO_COUNTS,
  type BatchCounts,
  type BatchRecord,
  type BatchRecordKind,
  type ClaimResult,
  type Lease,
  type SnapshotRef,
} from './batchRecords';
export { LeaseKeeper } from './LeaseKeeper';
export { findLiveLeases, releaseAbandonedLeases, type ReleasedLease } from './releaseAbandonedLeases';
export { startOrResumeRun, pinPlan, markRunSucceeded, markRunFailed, type StartRunResult, type StartRunInput } from './runRecords';
export { markRunRejected, type RunRejection } from './rejectionRecords';
export { markExecutionEnded, type ExecutionEnded, type EndedExecutionStatus, type MarkExecutionEndedResult } from './markExecutionEnded';
export { STOP_ERROR, stopCause, parseStopCause, type StopRequest } from './stopCause';
export { UNKNOWN_STARTER, UNKNOWN_STOPPER, UNKNOWN_REQUESTER, SERVICE_ACTOR } from './actors';
export { getRun, requireRun, type RunRecord } from './readRun';
export { moveRun, updateRunWhile, type RunMove, type RunUpdate } from './moveRun';
export {
  assertRollbackAllowed,
  startRollback,
  markRunRolledBack,
  recordRollbackFailure,
  recordRollbackExecutionEnded,
  type StartRollbackResult,
  type RollbackStartOptions,
} from './rollbackRecords';
export {
  requestApproval,
  recordDecision,
  expireApproval,
  readApprovalForPage,
  newApprovalId,
  ApprovalRequestSchema,
  DecisionRequestSchema,
  MAX_COMMENT_LENGTH,
  type ApprovalRequest,
  type DecisionRequest,
  type DecisionOutcome,
  type ExpireApprovalRequest,
  type ApprovalPage,
  type ApprovalDecision,
  type RecordedDecision,
} from './approvals';
export {
  RUN_TRANSITIONS,
  BATCH_TRANSITIONS,
  APPROVAL_TRANSITIONS,
  APPROVAL_STATUSES,
  ROLLED_BACK_STATUSES,
  REJECTED_STATUSES,
  FINISHED_STATUSES,
  ACTIVE_STATUSES,
  ROLLBACK_ACTIVE_STATUSES,
  RUN_STATUSES,
  isStatusIn,
  runStatusesAllowing,
  type RunStatus,
  type FinishedStatus,
  type BatchStatus,
  type ApprovalStatus,
} from './transitions';
export {
  LedgerError,
  RunNotFoundError,
  RunSpecMismatchError,
  RunStatusError,
  RunNotResumableError,
  RunNotRunningError,
  RunNotRollbackableError,
  RunNotRollingBackError,
  RunStatusChangedError,
  RunStillRunningError,
  PlanChangedError,
  BatchLeaseHeldError,
  LeaseLostError,
  ApprovalError,
  InvalidApprovalRequestError,
  ApprovalExistsError,
  ApprovalNotFoundError,
  ApprovalClosedError,
  ApprovalExpiredError,
  NotAnApproverError,
  AlreadyDecidedError,
  SelfApprovalError,
} from './errors';
export { isConditionalCheckFailed } from './isConditionalCheckFailed';
