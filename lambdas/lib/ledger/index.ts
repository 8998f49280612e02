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
export { releaseAbandonedLeases, type ReleasedLease } from './releaseAbandonedLeases';
export { startOrResumeRun, pinPlan, markRunSucceeded, markRunFailed, getRun, requireRun, type RunRecord, type StartRunResult } from './runRecords';
export { startRollback, markRunRolledBack, recordRollbackFailure, type StartRollbackResult } from './rollbackRecords';
export { RUN_TRANSITIONS, BATCH_TRANSITIONS, ROLLED_BACK_STATUSES, type RunStatus, type BatchStatus } from './transitions';
export {
  LedgerError,
  RunNotFoundError,
  RunSpecMismatchError,
  RunStatusError,
  RunStillRunningError,
  PlanChangedError,
  BatchLeaseHeldError,
  LeaseLostError,
} from './errors';
export { isConditionalCheckFailed } from './isConditionalCheckFailed';
