import { APPROVAL_SK_PREFIX } from '../ledger/keys';
import { queryRunPartition } from '../ledger/queryRunPartition';
import type { ApprovalStatus } from '../ledger/transitions';
import type { Deps } from '../runtime/Deps';

/** What the rejection step reads of a stage's approval (never its task token). */
export interface StageApproval {
  readonly approvalId: string;
  readonly stage: string;
  readonly status: ApprovalStatus;
  readonly createdAt: string;
  readonly decisions: Readonly<Record<string, { readonly decision: 'approve' | 'reject'; readonly comment: string; readonly at: string }>>;
}

/**
 * The latest approval the run requested for `stage` (a resumed run reuses its approval, so there
 * is one in practice); undefined when there is none.
 * @example
 *   const approval = await findStageApproval(deps, runId, 'canary'); // approval?.status === 'REJECTED'
 */
export async function findStageApproval(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, stage: string): Promise<StageApproval | undefined> {
  const approvals = (await queryRunPartition(deps, runId, APPROVAL_SK_PREFIX))
    .filter((record) => record.stage === stage)
    .map(({ approvalId, stage: name, status, createdAt, decisions }) => ({ approvalId, stage: name, status, createdAt, decisions: decisions ?? {} }) as StageApproval)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return approvals.at(-1);
}

/** The rejecting decision of an approval (the first, should there be more). */
export function rejectingDecision(approval: StageApproval): { by: string; comment: string; at: string } | undefined {
  const rejections = Object.entries(approval.decisions)
    .filter(([, d]) => d.decision === 'reject')
    .map(([by, d]) => ({ by, comment: d.comment, at: d.at }))
    .sort((a, b) => a.at.localeCompare(b.at));
  return rejections[0];
}
