import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';
import { AUDIT_SK_PREFIX, runPk } from './keys';
import { queryRunPartition } from './queryRunPartition';

export interface AuditEvent {
  readonly runId: string;
  readonly type: string;
  readonly at: string;
  readonly batchId?: string;
  /** Who caused it: the run's starter (RunStarted, RunResumed), the operator (RunStopped, RollbackStarted, ...). */
  readonly actor?: string;
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
  await appendAuditIn(deps, runPk(event.runId), event);
}

/**
 * Appends an audit event to the ledger partition `pk` (a run's, or the breaker's), under
 * `AUDIT#<time>#<n>#<uuid>`: written once and never updated.
 * @example
 *   await appendAuditIn(deps, 'BREAKER', { type: 'BreakerOpened', actor: 'alarm:backfill-health', detail });
 */
export async function appendAuditIn(deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>, pk: string, event: Record<string, unknown> & { readonly type: string }): Promise<void> {
  const at = new Date(deps.clock.nowMs()).toISOString();
  await deps.clients.ddb.send(
    new PutCommand({
      TableName: deps.ledgerTable,
      Item: { pk, sk: `${AUDIT_SK_PREFIX}${at}#${String(sequence++ % 1e9).padStart(9, '0')}#${randomUUID()}`, ...event, at },
      ConditionExpression: 'attribute_not_exists(sk)',
    }),
  );
}

/** The run's audit trail in time order. */
export async function listAudit(deps: Pick<Deps, 'clients' | 'ledgerTable'>, runId: string): Promise<AuditEvent[]> {
  return (await queryRunPartition(deps, runId, AUDIT_SK_PREFIX)).map((record) => {
    const { runId: r, type, at, batchId, actor, detail } = record as unknown as AuditEvent;
    return { runId: r, type, at, batchId, ...(actor === undefined ? {} : { actor }), detail };
  });
}
