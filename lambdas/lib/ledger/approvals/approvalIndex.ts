import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ApprovalExistsError } from '../errors';
import { isConditionalCheckFailed } from '../isConditionalCheckFailed';
import { APPROVAL_INDEX_SK, approvalIndexPk } from '../keys';
import type { LedgerDeps } from './ApprovalRecord';

/** What the index item of an approval holds: the run it belongs to (an approval link carries no runId). */
export interface ApprovalIndexEntry {
  readonly approvalId: string;
  readonly runId: string;
}

/**
 * Writes the index item that leads from an approval id to its run. Idempotent for the same run; an
 * id already indexed for another run is refused (ids are random and never reused).
 * @throws ApprovalExistsError when the id is indexed for another run
 * @example
 *   await indexApproval(deps, { approvalId, runId: 'orders-fix-1' });
 */
export async function indexApproval(deps: LedgerDeps, entry: ApprovalIndexEntry): Promise<void> {
  try {
    await deps.clients.ddb.send(
      new PutCommand({
        TableName: deps.ledgerTable,
        Item: { pk: approvalIndexPk(entry.approvalId), sk: APPROVAL_INDEX_SK, ...entry, createdAt: new Date(deps.clock.nowMs()).toISOString() },
        ConditionExpression: 'attribute_not_exists(pk) OR runId = :runId',
        ExpressionAttributeValues: { ':runId': entry.runId },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    throw new ApprovalExistsError(entry.runId, entry.approvalId, 'indexed for another run');
  }
}

/**
 * The run an approval id belongs to, from its index item; undefined for an id never issued.
 * @example
 *   const runId = await runOfApproval(deps, grant.approvalId); // 'orders-fix-1'
 */
export async function runOfApproval(deps: Pick<LedgerDeps, 'clients' | 'ledgerTable'>, approvalId: string): Promise<string | undefined> {
  const { Item } = await deps.clients.ddb.send(
    new GetCommand({ TableName: deps.ledgerTable, Key: { pk: approvalIndexPk(approvalId), sk: APPROVAL_INDEX_SK }, ConsistentRead: true }),
  );
  return typeof Item?.runId === 'string' ? Item.runId : undefined;
}
