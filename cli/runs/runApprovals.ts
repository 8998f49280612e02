import { APPROVAL_SK_PREFIX } from '../../lambdas/lib/ledger/keys';
import { queryRunPartition } from '../../lambdas/lib/ledger/queryRunPartition';
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

interface StoredDecision {
  readonly decision: string;
  readonly comment: string;
  readonly at: string;
}

/**
 * The run's approvals, oldest first, as stored in the ledger (`APPROVAL#<id>` records), each with its
 * decisions: who, what, when and their comment. The task token is never read out.
 * @example
 *   const approvals = await listRunApprovals(target.deps, 'orders-fix-1'); // [{ stage: 'canary', status: 'APPROVED', ... }]
 */
export async function listRunApprovals(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<RunApproval[]> {
  const records = await queryRunPartition(deps, runId, APPROVAL_SK_PREFIX);
  return records
    .map((record): RunApproval => {
      const decisions = Object.entries((record.decisions ?? {}) as Record<string, StoredDecision>)
        .map(([approver, d]) => ({ approver, decision: d.decision, comment: d.comment, at: d.at }))
        .sort((a, b) => a.at.localeCompare(b.at) || a.approver.localeCompare(b.approver));
      return {
        approvalId: String(record.approvalId),
        stage: String(record.stage),
        status: String(record.status),
        approvers: (record.approvers ?? []) as string[],
        quorum: Number(record.quorum),
        approvedBy: decisions.filter((d) => d.decision === 'approve').map((d) => d.approver).sort(),
        startedBy: String(record.startedBy),
        createdAt: String(record.createdAt),
        expiresAt: String(record.expiresAt),
        ...(typeof record.closedAt === 'string' ? { closedAt: record.closedAt } : {}),
        ...(typeof record.expiredReason === 'string' ? { expiredReason: record.expiredReason } : {}),
        decisions,
      };
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
