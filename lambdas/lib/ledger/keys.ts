/** Key layout of the ledger table: everything about a run lives under one partition. */
export const runPk = (runId: string): string => `RUN#${runId}`;
export const RUN_SK = 'RUN';
export const batchSk = (batchId: string): string => `BATCH#${batchId}`;
export const BATCH_SK_PREFIX = 'BATCH#';
export const AUDIT_SK_PREFIX = 'AUDIT#';
/** One record per batch a rollback restores, next to the batch's own record. */
export const rollbackSk = (batchId: string): string => `ROLLBACK#${batchId}`;
export const ROLLBACK_SK_PREFIX = 'ROLLBACK#';
/** One record per approval a run waits for, next to the run's own record. */
export const approvalSk = (approvalId: string): string => `APPROVAL#${approvalId}`;
export const APPROVAL_SK_PREFIX = 'APPROVAL#';
/** One record per rollout stage of a run, sorted in stage order (`STAGE#000#canary`, `STAGE#001#wave-1`, …). */
export const stageSk = (index: number, name: string): string => `STAGE#${String(index).padStart(3, '0')}#${name}`;
export const STAGE_SK_PREFIX = 'STAGE#';
/**
 * The index item of an approval, in its own partition: the approval page finds the run from the id
 * alone (a link carries no runId). It has no status, so scans for records by status never match it.
 */
export const approvalIndexPk = (approvalId: string): string => `APPROVAL#${approvalId}`;
export const APPROVAL_INDEX_SK = 'APPROVAL_INDEX';
