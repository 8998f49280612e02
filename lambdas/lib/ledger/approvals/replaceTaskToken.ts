import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { appendAudit } from '../audit';
import { ApprovalNotFoundError } from '../errors';
import { isConditionalCheckFailed } from '../isConditionalCheckFailed';
import { approvalKey, getApproval, type ApprovalRecord, type LedgerDeps } from './ApprovalRecord';

export interface ReplaceTaskTokenRequest {
  readonly runId: string;
  readonly approvalId: string;
  /** The task token of the resumed execution's RequestApproval state. */
  readonly taskToken: string;
  /** Who resumed the run (audited). */
  readonly actor?: string;
}

/** The record after the call: `replaced` when it was OPEN and now holds the new token; else as found (decided or expired). */
export type ReplaceTaskTokenResult = { readonly replaced: boolean; readonly record: ApprovalRecord };

/**
 * A resumed run waits again on the same approval: replaces the task token of an OPEN approval
 * (OPEN → OPEN, the version bumped so a decision read before the swap retries with the new token)
 * and audits `ApprovalTaskTokenReplaced` without either token. A decided or expired approval is
 * returned unchanged, for the caller to answer the new token at once.
 * @throws ApprovalNotFoundError
 * @example
 *   const { replaced, record } = await replaceTaskToken(deps, { runId, approvalId, taskToken });
 *   if (!replaced && record.status === 'APPROVED') await sendTaskSuccess(...);
 */
export async function replaceTaskToken(deps: LedgerDeps, request: ReplaceTaskTokenRequest): Promise<ReplaceTaskTokenResult> {
  const { runId, approvalId, taskToken } = request;
  const at = new Date(deps.clock.nowMs()).toISOString();
  for (;;) {
    const record = await getApproval(deps, runId, approvalId);
    if (!record) throw new ApprovalNotFoundError(runId, approvalId);
    if (record.status !== 'OPEN') return { replaced: false, record };
    try {
      await deps.clients.ddb.send(
        new UpdateCommand({
          TableName: deps.ledgerTable,
          Key: approvalKey(runId, approvalId),
          ConditionExpression: '#status = :open AND #version = :version',
          UpdateExpression: 'SET taskToken = :token, #version = :next, updatedAt = :at',
          ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
          ExpressionAttributeValues: { ':open': 'OPEN', ':version': record.version, ':next': record.version + 1, ':token': taskToken, ':at': at },
        }),
      );
    } catch (error) {
      // A decision landed in between: read again (it is OPEN with another version, or closed).
      if (isConditionalCheckFailed(error)) continue;
      throw error;
    }
    await appendAudit(deps, {
      runId,
      type: 'ApprovalTaskTokenReplaced',
      ...(request.actor === undefined ? {} : { actor: request.actor }),
      detail: { approvalId, stage: record.stage },
    });
    return { replaced: true, record: { ...record, taskToken, version: record.version + 1, updatedAt: at } };
  }
}
