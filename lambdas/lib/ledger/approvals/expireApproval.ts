import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit } from '../audit';
import { ApprovalClosedError, ApprovalNotFoundError } from '../errors';
import { isConditionalCheckFailed } from '../isConditionalCheckFailed';
import { approvalKey, getApproval, type LedgerDeps } from './ApprovalRecord';

export interface ExpireApprovalRequest {
  readonly runId: string;
  readonly approvalId: string;
  /** Why the run stopped waiting, e.g. 'States.Timeout' or 'execution stopped'. */
  readonly reason: string;
}

/**
 * Closes an OPEN approval as EXPIRED (the wait timed out or the run stopped waiting; timeout means
 * rejection) and audits `ApprovalExpired`. Expiring an EXPIRED approval again changes nothing, so a
 * retried caller is safe.
 * @returns whether this call expired it
 * @throws ApprovalNotFoundError; ApprovalClosedError when it was approved or rejected first
 * @example
 *   await expireApproval(deps, { runId, approvalId, reason: 'States.Timeout' }); // { expired: true }
 */
export async function expireApproval(deps: LedgerDeps, request: ExpireApprovalRequest): Promise<{ expired: boolean }> {
  const { runId, approvalId, reason } = request;
  const at = new Date(deps.clock.nowMs()).toISOString();
  try {
    await deps.clients.ddb.send(
      new UpdateCommand({
        TableName: deps.ledgerTable,
        Key: approvalKey(runId, approvalId),
        ConditionExpression: '#status = :open',
        UpdateExpression: 'SET #status = :expired, updatedAt = :at, closedAt = :at, expiredReason = :reason',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':open': 'OPEN', ':expired': 'EXPIRED', ':at': at, ':reason': reason },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    // dynalite returns no item on a failed condition: read it to say why.
    const record = await getApproval(deps, runId, approvalId);
    if (!record) throw new ApprovalNotFoundError(runId, approvalId);
    if (record.status === 'EXPIRED') return { expired: false };
    throw new ApprovalClosedError(runId, approvalId, record.status);
  }
  await appendAudit(deps, { runId, type: 'ApprovalExpired', detail: { approvalId, reason } });
  return { expired: true };
}
