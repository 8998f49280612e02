import { markStagePassed, recordStageDecision, type StageRecord } from '../ledger';
import type { Deps } from '../runtime/Deps';
import type { PlannedStage } from './PlannedStage';

/** The approval that released a stage: RequestApproval's task output (SendTaskSuccess). */
export interface StageApproval {
  readonly approvalId: string;
  readonly approvedBy: readonly string[];
}

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * Passes a stage: after its approval (recorded with who approved; only the approval the stage
 * waits for passes it), or, when none is needed, after its gate. Passing it again changes nothing.
 * @throws StageTransitionError when the stage is not where this expects it (e.g. awaiting an approval and none given)
 * @example
 *   await completeStage(deps, { runId, stage, approval: { approvalId, approvedBy: ['alice@example.com'] } });
 */
export async function completeStage(deps: LedgerDeps, request: { readonly runId: string; readonly stage: PlannedStage; readonly approval?: StageApproval }): Promise<StageRecord> {
  const { runId, stage, approval } = request;
  if (approval === undefined) return markStagePassed(deps, { runId, stageName: stage.name });
  return recordStageDecision(deps, { runId, stageName: stage.name, outcome: 'APPROVED', by: approval.approvedBy, approvalId: approval.approvalId });
}
