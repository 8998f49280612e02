import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Deps } from '../runtime/Deps';

/**
 * Where the breaker lives in the ledger: one record per ledger (per stack), shared by every run,
 * and its audit trail (`AUDIT#<time>#<n>#<uuid>`) in the same partition.
 */
export const BREAKER_PK = 'BREAKER';
export const BREAKER_SK = 'BREAKER';

/** An alarm as the breaker records it: the composite (or an adopted) alarm, or one of its children. */
export interface BreakerAlarm {
  readonly name: string;
  readonly arn?: string;
}

/** A child alarm of the composite that was in ALARM when it fired (from its `reasonData`). */
export interface TriggeringAlarm extends BreakerAlarm {
  readonly state: string;
  readonly reason?: string;
}

/**
 * The breaker's state. OPEN shuts every run's gate: no batch starts writing. It opens on the
 * composite alarm's ALARM (or an operator's `breaker open`) and closes only by an operator, or by
 * auto-close after `autoCloseAfterSeconds` of the alarm being OK when the stack configures it.
 * No record means CLOSED.
 */
export interface BreakerRecord {
  readonly state: 'OPEN' | 'CLOSED';
  readonly openedAt?: string;
  /** `alarm:<name>` when an alarm opened it, else the operator. */
  readonly openedBy?: string;
  readonly reason?: string;
  readonly alarm?: BreakerAlarm;
  readonly triggeringAlarms?: readonly TriggeringAlarm[];
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly closeReason?: string;
  /**
   * When its alarm last entered ALARM (the state's timestamp): EventBridge delivers at least once and
   * unordered, so an OK older than this is a late or repeated one and is ignored.
   */
  readonly alarmAt?: string;
  /** Since when the alarm that opened it is OK again (cleared when it goes back to ALARM). */
  readonly okSince?: string;
  /** How long the alarm must stay OK before the breaker closes by itself (BREAKER_AUTO_CLOSE_SECONDS), recorded with okSince. */
  readonly autoCloseAfterSeconds?: number;
  /** When the operations topic was told it opened (a retried ALARM event tells it if this is missing). */
  readonly notifiedAt?: string;
  /** Incremented by every change; conditional writes compare it. 0 for a breaker never written. */
  readonly version: number;
}

/** The breaker nobody has opened yet. */
export const CLOSED_BREAKER: BreakerRecord = { state: 'CLOSED', version: 0 };

export const BREAKER_KEY = { pk: BREAKER_PK, sk: BREAKER_SK } as const;

/**
 * A stored breaker item as a BreakerRecord (its table keys dropped); no item is the CLOSED breaker.
 * @example
 *   breakerRecordOf(undefined); // { state: 'CLOSED', version: 0 }
 */
export function breakerRecordOf(item: Record<string, unknown> | undefined): BreakerRecord {
  if (!item) return CLOSED_BREAKER;
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as BreakerRecord;
}

/**
 * The breaker, read strongly consistent; CLOSED (version 0) when it was never opened.
 * @example
 *   const { state, reason } = await readBreaker(deps); // state === 'CLOSED'
 */
export async function readBreaker(deps: Pick<Deps, 'clients' | 'ledgerTable'>): Promise<BreakerRecord> {
  const { Item } = await deps.clients.ddb.send(new GetCommand({ TableName: deps.ledgerTable, Key: BREAKER_KEY, ConsistentRead: true }));
  return breakerRecordOf(Item);
}
