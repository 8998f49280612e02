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
export { startOrResumeRun, pinPlan, markRunSucceeded, markRunFailed, type StartRunResult } from './runRecords';
export { getRun, requireRun, type RunRecord } from './readRun';
export { moveRun, updateRunWhile, type RunMove, type RunUpdate } from './moveRun';
export { assertRollbackAllowed, startRollback, markRunRolledBack, recordRollbackFailure, type StartRollbackResult } from './rollbackRecords';
export {
  RUN_TRANSITIONS,
  BATCH_TRANSITIONS,
  ROLLED_BACK_STATUSES,
  FINISHED_STATUSES,
  ACTIVE_STATUSES,
  isStatusIn,
  runStatusesAllowing,
  type RunStatus,
  type FinishedStatus,
  type BatchStatus,
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
} from './errors';
export { isConditionalCheckFailed } from './isConditionalCheckFailed';
