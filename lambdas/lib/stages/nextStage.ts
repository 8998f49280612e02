import { beginStage, listStages, readApprovalForPage, recordStageDecision, type StageRecord } from '../ledger';
import type { Deps } from '../runtime/Deps';
import { PlanHasNoStagesError, StageRejectedError } from './errors';
import type { PlannedStage } from './PlannedStage';

/** What the workflow does next: finalize, or (re-)enter a stage at its processing or at its approval. */
export type NextStage =
  | { readonly done: true }
  | { readonly done: false; readonly stage: PlannedStage; readonly resumeAt: 'process' }
  | { readonly done: false; readonly stage: PlannedStage; readonly resumeAt: 'approval'; readonly approvalId: string };

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/**
 * Where a staged run goes on: the first of the plan's stages not PASSED. A stage not begun, or
 * interrupted before it passed its gate, is (re-)begun and processed (its DONE batches are not
 * written again); a stage waiting for an approval is waited for again with the same approvalId
 * (an approval given meanwhile passes the stage here, and the run goes on). Every stage PASSED:
 * done. An empty plan has no stage and is done at once.
 * @throws PlanHasNoStagesError when the plan carries no `stages`; StageRejectedError for a REJECTED stage
 * @example
 *   const next = await nextStage(deps, { runId, plan }); // { done: false, stage: canary, resumeAt: 'process' }
 */
export async function nextStage(deps: LedgerDeps, request: { readonly runId: string; readonly plan: { readonly stages?: readonly PlannedStage[] } }): Promise<NextStage> {
  const { runId, plan } = request;
  if (plan.stages === undefined) throw new PlanHasNoStagesError(runId);
  const records = new Map((await listStages(deps, runId)).map((record) => [record.name, record]));
  for (const stage of plan.stages) {
    const record = records.get(stage.name);
    if (record?.status === 'PASSED') continue;
    if (record?.status === 'REJECTED') throw new StageRejectedError(runId, stage.name, record.decidedBy ?? []);
    if (record?.status === 'AWAITING_APPROVAL') {
      const waiting = await awaitedApproval(deps, runId, record);
      if (waiting) return { done: false, stage, resumeAt: 'approval', approvalId: waiting };
      continue;
    }
    await beginStage(deps, { runId, stage });
    return { done: false, stage, resumeAt: 'process' };
  }
  return { done: true };
}

/**
 * The approval a stage still waits for; undefined when it was approved meanwhile (the stage is
 * then passed here). A rejected or expired one is waited for again too: RequestApproval answers it
 * at once with ApprovalRejected, so the run ends through its rejection path.
 */
async function awaitedApproval(deps: LedgerDeps, runId: string, record: StageRecord): Promise<string | undefined> {
  const approvalId = record.approvalId!;
  const approval = await readApprovalForPage(deps, { runId, approvalId });
  if (approval.status !== 'APPROVED') return approvalId;
  await recordStageDecision(deps, { runId, stageName: record.name, outcome: 'APPROVED', by: approval.approvedBy, approvalId });
  return undefined;
}
