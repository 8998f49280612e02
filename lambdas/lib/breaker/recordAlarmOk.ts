import type { Deps } from '../runtime/Deps';
import { appendBreakerAudit } from './breakerAudit';
import { readBreaker, type BreakerAlarm } from './BreakerRecord';
import type { BreakerChange } from './openBreaker';
import { updateBreaker } from './updateBreaker';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface AlarmOk {
  readonly alarm: BreakerAlarm;
  /** When the alarm went OK (its state's timestamp). */
  readonly at: string;
  /** Recorded for the gate check, which closes the breaker once OK for that long. @default - only an operator closes it */
  readonly autoCloseAfterSeconds?: number;
}

/**
 * Records that the alarm is OK again on an OPEN breaker (`okSince`, and the auto-close delay when
 * configured), and audits BreakerAlarmOk. The breaker stays OPEN: an operator closes it, or auto-close
 * does once OK long enough (closeBreakerIfOkFor). An OK already recorded keeps its first time; on a
 * CLOSED breaker nothing changes.
 * @example
 *   await recordAlarmOk(deps, { alarm: { name: 'backfill-health' }, at: '2026-12-01T10:05:00.000Z', autoCloseAfterSeconds: 300 });
 */
export async function recordAlarmOk(deps: LedgerDeps, ok: AlarmOk): Promise<BreakerChange> {
  const breaker = await readBreaker(deps);
  if (breaker.state !== 'OPEN' || breaker.okSince !== undefined) return { changed: false, breaker };
  const set = { okSince: ok.at, ...(ok.autoCloseAfterSeconds === undefined ? {} : { autoCloseAfterSeconds: ok.autoCloseAfterSeconds }) };
  const recorded = await updateBreaker(deps, { set, whileState: 'OPEN', whileVersion: breaker.version });
  if (!recorded) return { changed: false, breaker: await readBreaker(deps) };
  await appendBreakerAudit(deps, { type: 'BreakerAlarmOk', actor: `alarm:${ok.alarm.name}`, detail: { alarm: ok.alarm, ...set } });
  return { changed: true, breaker: recorded };
}
