import { approvedBy, decisionsOldestFirst, listApprovals } from '../../lambdas/lib/ledger';
import type { Deps } from '../../lambdas/lib/runtime/Deps';

/** One approval of a run as `backfill approvals` shows it: never its task token, nor where decisions came from (that is in the audit trail). */
export interface RunApproval {
  readonly approvalId: string;
  readonly stage: string;
  readonly status: string;
  readonly approvers: readonly string[];
  readonly quorum: number;
  readonly approvedBy: readonly string[];
  readonly startedBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly closedAt?: string;
  /** Why an EXPIRED approval closed (e.g. the wait timed out). */
  readonly expiredReason?: string;
  /** Oldest first. */
  readonly decisions: ReadonlyArray<{ readonly approver: string; readonly decision: string; readonly comment: string; readonly at: string }>;
}

/**
 * The run's approvals, oldest first, as stored in the ledger (`APPROVAL#<id>` records), each with its
 * decisions: who, what, when and their comment. The task token is never read out.
 * @example
 *   const approvals = await listRunApprovals(target.deps, 'orders-fix-1'); // [{ stage: 'canary', status: 'APPROVED', ... }]
 */
export async function listRunApprovals(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<RunApproval[]> {
  return (await listApprovals(deps, runId)).map((record): RunApproval => ({
    approvalId: record.approvalId,
    stage: record.stage,
    status: record.status,
    approvers: record.approvers,
    quorum: record.quorum,
    approvedBy: approvedBy(record),
    startedBy: record.startedBy,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    ...(record.closedAt === undefined ? {} : { closedAt: record.closedAt }),
    ...(record.expiredReason === undefined ? {} : { expiredReason: record.expiredReason }),
    decisions: decisionsOldestFirst(record),
  }));
}
