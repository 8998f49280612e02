import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { AUDIT_SK_PREFIX, runPk } from './keys';

export interface AuditEvent {
  readonly runId: string;
  readonly type: string;
  readonly at: string;
  readonly batchId?: string;
  readonly detail?: Record<string, unknown>;
}

// Orders events appended by this process within one millisecond (a ManualClock makes that common);
// the uuid keeps keys unique across processes.
let sequence = 0;

/** Appends an audit event; audit records are written once and never updated. */
export async function appendAudit(
  deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>,
  event: Omit<AuditEvent, 'at'>,
): Promise<void> {
  const at = new Date(deps.clock.nowMs()).toISOString();
  await deps.clients.ddb.send(
    new PutCommand({
      TableName: deps.ledgerTable,
      Item: { pk: runPk(event.runId), sk: `${AUDIT_SK_PREFIX}${at}#${String(sequence++ % 1e9).padStart(9, '0')}#${randomUUID()}`, ...event, at },
      ConditionExpression: 'attribute_not_exists(sk)',
    }),
  );
}

/** The run's audit trail in time order. */
export async function listAudit(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.clients.ddb.send(
      new QueryCommand({
        TableName: deps.ledgerTable,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': runPk(runId), ':prefix': AUDIT_SK_PREFIX },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    for (const item of page.Items ?? []) {
      const { runId: r, type, at, batchId, detail } = item as AuditEvent;
      events.push({ runId: r, type, at, batchId, detail });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return events;
}
