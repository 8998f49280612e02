import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { appendAudit } from '../audit';
import { ApprovalExistsError, InvalidApprovalRequestError } from '../errors';
import { isConditionalCheckFailed } from '../isConditionalCheckFailed';
import { indexApproval } from './approvalIndex';
import { approvalKey, getApproval, type ApprovalRecord, type LedgerDeps } from './ApprovalRecord';

/** 22 base64url characters carry 132 bits: an id nobody guesses (newApprovalId makes one). */
const APPROVAL_ID = /^[A-Za-z0-9_-]{22,128}$/;

/** What RequestApproval asks the ledger to store. */
export const ApprovalRequestSchema = z
  .object({
    runId: z.string().min(1),
    stage: z.string().min(1),
    approvalId: z.string().regex(APPROVAL_ID, 'must be ≥ 22 base64url characters (≥ 128 random bits; use newApprovalId())'),
    taskToken: z.string().min(1),
    approvers: z.array(z.string().min(1)).min(1),
    quorum: z.number().int().min(1),
    expiresAt: z.string().datetime(),
    startedBy: z.string().min(1),
    preventSelfApproval: z.boolean(),
    /** The stage's evidence (ValidateStage's `evidenceKey`), shown on the approval page. */
    evidenceKey: z.string().min(1).optional(),
  })
  .refine((r) => new Set(r.approvers).size === r.approvers.length, { message: 'approvers must be distinct', path: ['approvers'] })
  .refine((r) => r.quorum <= r.approvers.length, { message: 'quorum must not exceed the number of approvers', path: ['quorum'] });
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

/**
 * Stores an OPEN approval for a run's stage (created once: an id is never reused), after the index
 * item that leads from the id to the run, and audits `ApprovalRequested` without the task token.
 * @throws InvalidApprovalRequestError for a request that cannot be decided (quorum above the approvers, ...)
 * @throws ApprovalExistsError when a record with this approvalId exists
 * @example
 *   await requestApproval(deps, { runId, stage: 'canary', approvalId: newApprovalId(), taskToken,
 *     approvers: ['alice@example.com'], quorum: 1, expiresAt: '2026-01-02T00:00:00.000Z',
 *     startedBy: 'local:bob', preventSelfApproval: true });
 */
export async function requestApproval(deps: LedgerDeps, request: ApprovalRequest): Promise<ApprovalRecord> {
  const parsed = ApprovalRequestSchema.safeParse(request);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'} ${i.message}`).join('; ');
    throw new InvalidApprovalRequestError(String(request.runId), String(request.approvalId), problems);
  }
  const at = new Date(deps.clock.nowMs()).toISOString();
  const record: ApprovalRecord = {
    ...parsed.data,
    status: 'OPEN',
    expiresAtMs: Date.parse(parsed.data.expiresAt),
    decisions: {},
    version: 0,
    createdAt: at,
    updatedAt: at,
  };
  await indexApproval(deps, { approvalId: record.approvalId, runId: record.runId });
  try {
    await deps.clients.ddb.send(
      new PutCommand({
        TableName: deps.ledgerTable,
        Item: { ...approvalKey(record.runId, record.approvalId), ...record },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const existing = await getApproval(deps, record.runId, record.approvalId);
    throw new ApprovalExistsError(record.runId, record.approvalId, existing?.status ?? 'unknown');
  }
  const { taskToken: _secret, decisions: _none, version: _v, ...audited } = record;
  await appendAudit(deps, { runId: record.runId, type: 'ApprovalRequested', actor: record.startedBy, detail: audited });
  return record;
}
