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
