import type { Deps } from '../runtime/Deps';
import { appendBreakerAudit } from './breakerAudit';
import { readBreaker, type BreakerAlarm, type BreakerRecord, type TriggeringAlarm } from './BreakerRecord';
import type { BreakerChange } from './openBreaker';
import { updateBreaker } from './updateBreaker';

type LedgerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock'>;

export interface AlarmOk {
  readonly alarm: BreakerAlarm;
  /** When the alarm went OK (its state's timestamp). */
  readonly at: string;
  /** Recorded for the gate check, which closes the breaker once OK for that long. @default - only an operator closes it */
  readonly autoCloseAfterSeconds?: number;
  /** A composite's children as its OK event lists them (from reasonData); one still in ALARM means it is not OK. */
  readonly triggeringAlarms?: readonly TriggeringAlarm[];
}

/**
 * Whether this OK may count towards closing the breaker. Only a breaker an alarm opened closes on
 * its alarm's OK (an operator's open waits for an operator). EventBridge delivers at least once and
 * unordered: an OK not later than the last ALARM recorded is a late or repeated one, and an OK whose
 * reasonData still lists a child in ALARM is not OK.
 */
function okCounts(breaker: BreakerRecord, ok: AlarmOk): boolean {
  if (breaker.state !== 'OPEN' || breaker.okSince !== undefined) return false;
  if (!breaker.openedBy?.startsWith('alarm:')) return false;
  if (breaker.alarmAt !== undefined && Date.parse(ok.at) <= Date.parse(breaker.alarmAt)) return false;
  return !(ok.triggeringAlarms ?? []).some((child) => child.state === 'ALARM');
}

/**
 * Records that the alarm is OK again on an OPEN breaker an alarm opened (`okSince`, and the
 * auto-close delay when configured), and audits BreakerAlarmOk. The breaker stays OPEN: an operator
 * closes it, or auto-close does once OK long enough (closeBreakerIfOkFor). An OK already recorded
 * keeps its first time; an OK on a CLOSED breaker or one an operator opened, an OK older than the
 * last ALARM, and an OK with a child still in ALARM change nothing.
 * @example
 *   await recordAlarmOk(deps, { alarm: { name: 'backfill-health' }, at: '2026-12-01T10:05:00.000Z', autoCloseAfterSeconds: 300 });
 */
export async function recordAlarmOk(deps: LedgerDeps, ok: AlarmOk): Promise<BreakerChange> {
  const breaker = await readBreaker(deps);
  if (!okCounts(breaker, ok)) return { changed: false, breaker };
  const set = { okSince: ok.at, ...(ok.autoCloseAfterSeconds === undefined ? {} : { autoCloseAfterSeconds: ok.autoCloseAfterSeconds }) };
  const recorded = await updateBreaker(deps, { set, whileState: 'OPEN', whileVersion: breaker.version });
  if (!recorded) return { changed: false, breaker: await readBreaker(deps) };
  await appendBreakerAudit(deps, { type: 'BreakerAlarmOk', actor: `alarm:${ok.alarm.name}`, detail: { alarm: ok.alarm, ...set } });
  return { changed: true, breaker: recorded };
}
