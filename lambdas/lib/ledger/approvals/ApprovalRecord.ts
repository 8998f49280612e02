import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../../runtime/Deps';
import { approvalSk, runPk } from '../keys';
import type { ApprovalStatus } from '../transitions';

export type ApprovalDecision = 'approve' | 'reject';

/** One approver's decision, as recorded (and audited) with where it came from. */
export interface RecordedDecision {
  readonly decision: ApprovalDecision;
  readonly comment: string;
  readonly at: string;
  readonly sourceIp: string;
  readonly userAgent: string;
}

/** An approval record (`APPROVAL#<approvalId>` under the run's partition). Holds the task token: never hand it out whole. */
export interface ApprovalRecord {
  readonly runId: string;
  readonly approvalId: string;
  readonly stage: string;
  readonly status: ApprovalStatus;
  /** The Step Functions task token the run waits on; server-side only. */
  readonly taskToken: string;
  readonly approvers: readonly string[];
  readonly quorum: number;
  readonly expiresAt: string;
  readonly expiresAtMs: number;
  readonly startedBy: string;
  readonly preventSelfApproval: boolean;
  /** The stage's evidence JSON in the artifacts bucket, when ValidateStage wrote one. */
  readonly evidenceKey?: string;
  /** Decisions by approver. */
  readonly decisions: Readonly<Record<string, RecordedDecision>>;
  /** Bumped by every decision; a decision is conditional on the version it read. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt?: string;
  /** Why an EXPIRED approval closed (expireApproval: e.g. the wait timed out). */
  readonly expiredReason?: string;
}

export type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

/** The DynamoDB key of an approval record. */
export const approvalKey = (runId: string, approvalId: string): { pk: string; sk: string } => ({ pk: runPk(runId), sk: approvalSk(approvalId) });

/** Distinct approvers who approved. */
export const approvedBy = (record: Pick<ApprovalRecord, 'decisions'>): string[] =>
  Object.entries(record.decisions)
    .filter(([, d]) => d.decision === 'approve')
    .map(([approver]) => approver)
    .sort();

/** The decisions so far, oldest first (source IP and user agent stay in the audit trail). */
export const decisionsOldestFirst = (record: Pick<ApprovalRecord, 'decisions'>): Array<{ approver: string; decision: ApprovalDecision; comment: string; at: string }> =>
  Object.entries(record.decisions)
    .map(([approver, d]) => ({ approver, decision: d.decision, comment: d.comment, at: d.at }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.approver.localeCompare(b.approver));

/** The approval record, read strongly consistent; undefined when there is none. */
export async function getApproval(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string, approvalId: string): Promise<ApprovalRecord | undefined> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: approvalKey(runId, approvalId), ConsistentRead: true }));
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as unknown as ApprovalRecord;
}
