import { ApprovalNotFoundError } from '../errors';
import type { ApprovalStatus } from '../transitions';
import { approvedBy, decisionsOldestFirst, getApproval, type ApprovalDecision, type LedgerDeps } from './ApprovalRecord';

/** What the approval page shows from the ledger: everything but the task token. */
export interface ApprovalPage {
  readonly runId: string;
  readonly approvalId: string;
  readonly stage: string;
  readonly status: ApprovalStatus;
  readonly approvers: readonly string[];
  readonly quorum: number;
  readonly approvedBy: readonly string[];
  readonly expiresAt: string;
  /** OPEN with its expiry passed (by the injected clock): the page offers no decision. */
  readonly expired: boolean;
  readonly startedBy: string;
  readonly preventSelfApproval: boolean;
  readonly createdAt: string;
  readonly closedAt?: string;
  /** The stage's evidence JSON, when ValidateStage wrote one. */
  readonly evidenceKey?: string;
  /** Decisions so far, oldest first (source IP and user agent stay in the audit trail). */
  readonly decisions: ReadonlyArray<{ readonly approver: string; readonly decision: ApprovalDecision; readonly comment: string; readonly at: string }>;
}

/**
 * The approval as the page renders it, never with its task token.
 * @throws ApprovalNotFoundError
 * @example
 *   const page = await readApprovalForPage(deps, { runId, approvalId });
 *   // page.approvedBy.length of page.quorum; page.decisions
 */
export async function readApprovalForPage(deps: LedgerDeps, request: { readonly runId: string; readonly approvalId: string }): Promise<ApprovalPage> {
  const record = await getApproval(deps, request.runId, request.approvalId);
  if (!record) throw new ApprovalNotFoundError(request.runId, request.approvalId);
  const decisions = decisionsOldestFirst(record);
  return {
    runId: record.runId,
    approvalId: record.approvalId,
    stage: record.stage,
    status: record.status,
    approvers: record.approvers,
    quorum: record.quorum,
    approvedBy: approvedBy(record),
    expiresAt: record.expiresAt,
    expired: record.status === 'OPEN' && deps.clock.nowMs() >= record.expiresAtMs,
    startedBy: record.startedBy,
    preventSelfApproval: record.preventSelfApproval,
    createdAt: record.createdAt,
    ...(record.closedAt === undefined ? {} : { closedAt: record.closedAt }),
    ...(record.evidenceKey === undefined ? {} : { evidenceKey: record.evidenceKey }),
    decisions,
  };
}
