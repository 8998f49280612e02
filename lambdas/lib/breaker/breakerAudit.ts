import { appendAuditIn } from '../ledger/audit';
import { AUDIT_SK_PREFIX } from '../ledger/keys';
import { queryPartition } from '../ledger/queryRunPartition';
import type { Deps } from '../runtime/Deps';
import { BREAKER_PK } from './BreakerRecord';

/** The breaker's audit events: the same shape as a run's, without a runId. */
export type BreakerAuditType = 'BreakerOpened' | 'BreakerClosed' | 'BreakerAlarmOk';

export interface BreakerAuditEvent {
  readonly type: BreakerAuditType;
  readonly at: string;
  /** `alarm:<name>`, the operator, or `auto-close`. */
  readonly actor: string;
  readonly detail: Record<string, unknown>;
}

/**
 * Appends a breaker audit event (pk BREAKER, sk AUDIT#…); written once, never updated.
 * @example
 *   await appendBreakerAudit(deps, { type: 'BreakerClosed', actor: 'local:ana', detail: { reason } });
 */
export async function appendBreakerAudit(deps: Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>, event: Omit<BreakerAuditEvent, 'at'>): Promise<void> {
  await appendAuditIn(deps, BREAKER_PK, { ...event });
}

/**
 * The breaker's audit trail in time order.
 * @example
 *   const events = await listBreakerAudit(deps); // [{ type: 'BreakerOpened', actor: 'alarm:backfill-health', ... }]
 */
export async function listBreakerAudit(deps: Pick<Deps, 'clients' | 'ledgerTable'>): Promise<BreakerAuditEvent[]> {
  return (await queryPartition(deps, BREAKER_PK, AUDIT_SK_PREFIX)).map((record) => {
    const { type, at, actor, detail } = record as unknown as BreakerAuditEvent;
    return { type, at, actor, detail };
  });
}
