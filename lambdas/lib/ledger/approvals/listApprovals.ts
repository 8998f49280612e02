import { APPROVAL_SK_PREFIX } from '../keys';
import { queryRunPartition } from '../queryRunPartition';
import type { ApprovalRecord, LedgerDeps } from './ApprovalRecord';

/** An approval as listed: everything but its task token. */
export type ListedApproval = Omit<ApprovalRecord, 'taskToken'>;

/**
 * A run's approvals, oldest first, without their task tokens (for `backfill approvals RUN`, and
 * for a resume to find the approval of a stage).
 * @example
 *   const open = (await listApprovals(deps, runId)).filter((a) => a.status === 'OPEN');
 */
export async function listApprovals(deps: Pick<LedgerDeps, 'clients' | 'ledgerTable'>, runId: string): Promise<ListedApproval[]> {
  const records = (await queryRunPartition(deps, runId, APPROVAL_SK_PREFIX)) as unknown as ApprovalRecord[];
  return records
    .map(({ taskToken: _secret, ...listed }) => listed)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.approvalId.localeCompare(b.approvalId));
}
