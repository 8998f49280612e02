import { getApproval, markStagePassed, recordStageDecision, type StageRecord } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { ApprovalNotGrantedError } from './errors';
import type { PlannedStage } from './PlannedStage';

/** The approval that released a stage: RequestApproval's task output (SendTaskSuccess). */
export interface StageApproval {
  readonly approvalId: string;
  /** As the task output says; not trusted: who approved is read from the ledger. */
  readonly approvedBy: readonly string[];
}

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * Passes a stage: after its approval, or, when none is needed, after its gate. The task output is
 * no proof (whoever holds the token can send any output), so the approval is read from the ledger:
 * it must be APPROVED, of this stage, and the one the stage waits for; who approved is taken from
 * its recorded decisions. Passing it again changes nothing.
 * @throws ApprovalNotGrantedError when the ledger does not have the approval APPROVED for this stage
 * @throws StageApprovalMismatchError when the stage waits for another approval
 * @throws StageTransitionError when the stage is not where this expects it (e.g. awaiting an approval and none given)
 * @example
 *   await completeStage(deps, { runId, stage, approval: { approvalId, approvedBy: ['alice@example.com'] } });
 */
export async function completeStage(deps: LedgerDeps, request: { readonly runId: string; readonly stage: PlannedStage; readonly approval?: StageApproval }): Promise<StageRecord> {
  const { runId, stage, approval } = request;
  if (approval === undefined) return markStagePassed(deps, { runId, stageName: stage.name });
  const record = await getApproval(deps, runId, approval.approvalId);
  if (record?.stage !== stage.name) throw new ApprovalNotGrantedError(runId, stage.name, approval.approvalId, undefined);
  if (record.status !== 'APPROVED') throw new ApprovalNotGrantedError(runId, stage.name, approval.approvalId, record.status);
  const approvedBy = Object.entries(record.decisions)
    .filter(([, decided]) => decided.decision === 'approve')
    .map(([approver]) => approver)
    .sort();
  return recordStageDecision(deps, { runId, stageName: stage.name, outcome: 'APPROVED', by: approvedBy, approvalId: record.approvalId });
}
