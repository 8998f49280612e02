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
  type ClaimResult,
  type Lease,
  type SnapshotRef,
} from './batchRecords';
export { startOrResumeRun, pinPlan, markRunSucceeded, markRunFailed, getRun, requireRun, type RunRecord, type StartRunResult } from './runRecords';
export { RUN_TRANSITIONS, BATCH_TRANSITIONS, type RunStatus, type BatchStatus } from './transitions';
export {
  LedgerError,
  RunNotFoundError,
  RunSpecMismatchError,
  RunStatusError,
  PlanChangedError,
  BatchLeaseHeldError,
  LeaseLostError,
} from './errors';
export { isConditionalCheckFailed } from './isConditionalCheckFailed';
