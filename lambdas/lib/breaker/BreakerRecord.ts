/** The breaker's one record per ledger (per stack): every run shares it. Absent means CLOSED. */
export const BREAKER_PK = 'BREAKER';
export const BREAKER_SK = 'BREAKER';

export type BreakerState = 'OPEN' | 'CLOSED';

export interface BreakerRecord {
  readonly state: BreakerState;
  readonly openedAt?: string;
  /** `alarm:<name>` when an alarm opened it, else the operator. */
  readonly openedBy?: string;
  readonly reason?: string;
  readonly alarm?: { readonly name: string; readonly arn?: string };
  readonly triggeringAlarms?: ReadonlyArray<{ readonly name: string; readonly arn?: string; readonly state: string; readonly reason?: string }>;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly closeReason?: string;
  readonly okSince?: string;
  readonly version: number;
}

/** The breaker as it is when no record was ever written. */
export const CLOSED_BREAKER: BreakerRecord = { state: 'CLOSED', version: 0 };

/** A stored breaker item as a BreakerRecord (its table keys dropped). */
export function breakerRecordOf(item: Record<string, unknown> | undefined): BreakerRecord {
  if (!item) return CLOSED_BREAKER;
  const { pk: _pk, sk: _sk, ...record } = item;
  return record as unknown as BreakerRecord;
}
