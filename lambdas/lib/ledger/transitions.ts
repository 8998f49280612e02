/**
 * The status machines of the ledger's records, as data. Each allowed move is enforced in DynamoDB
 * by a ConditionExpression on the expected current status (see runRecords.ts, batchRecords.ts).
 */

export const RUN_STATUSES = ['RUNNING', 'SUCCEEDED', 'SUCCEEDED_WITH_FAILURES', 'FAILED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** `from` → allowed `to` statuses for a run record (`null`: no record yet). */
export const RUN_TRANSITIONS: ReadonlyArray<{ from: RunStatus | null; to: RunStatus; when: string }> = [
  { from: null, to: 'RUNNING', when: 'StartRun creates the run for a new runId' },
  { from: 'RUNNING', to: 'RUNNING', when: 'StartRun resumes a run whose execution or process died (same spec)' },
  { from: 'FAILED', to: 'RUNNING', when: 'StartRun resumes a failed run (same spec), e.g. after a transient outage' },
  { from: 'RUNNING', to: 'SUCCEEDED', when: 'Finalize: every batch DONE, counts reconcile, thresholds hold' },
  { from: 'RUNNING', to: 'SUCCEEDED_WITH_FAILURES', when: 'Finalize: some batches FAILED within the tolerated failure %' },
  { from: 'RUNNING', to: 'FAILED', when: 'MarkRunFailed: any state of the workflow failed; the cause is recorded' },
];

export const BATCH_STATUSES = ['IN_PROGRESS', 'DONE', 'FAILED'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** `from` → allowed `to` statuses for a batch record (`null`: never claimed). */
export const BATCH_TRANSITIONS: ReadonlyArray<{ from: BatchStatus | null; to: BatchStatus; when: string }> = [
  { from: null, to: 'IN_PROGRESS', when: 'claim: the first attempt takes a lease' },
  { from: 'IN_PROGRESS', to: 'IN_PROGRESS', when: 'claim: the lease expired (its worker died or stalled); a new attempt takes over' },
  { from: 'FAILED', to: 'IN_PROGRESS', when: 'claim: a failed batch is retried by a new attempt' },
  { from: 'IN_PROGRESS', to: 'DONE', when: 'complete: only the attempt holding the lease' },
  { from: 'IN_PROGRESS', to: 'FAILED', when: 'fail: only the attempt holding the lease records its error' },
];

/** Statuses a run may be found in that allow the given target status. */
export function runStatusesAllowing(to: RunStatus): Array<RunStatus | null> {
  return RUN_TRANSITIONS.filter((t) => t.to === to).map((t) => t.from);
}
