import type { Deps } from '../runtime/Deps';
import { AUTO_CLOSE_ACTOR, closeBreakerIfOkFor } from './closeBreaker';
import { breakerAutoClosedMessage, breakerOpenedMessage } from './breakerMessages';
import { readBreaker, type BreakerAlarm, type BreakerRecord, type TriggeringAlarm } from './BreakerRecord';
import { openBreaker } from './openBreaker';
import { operationsNotifierOf } from './OperationsNotifier';
import { recordAlarmOk } from './recordAlarmOk';
import { updateBreaker } from './updateBreaker';

type BreakerDeps = Pick<Deps, 'clients' | 'ledgerTable' | 'clock' | 'operations'>;

/** An alarm's state change as the breaker needs it (parsed from EventBridge's event by the breaker handler). */
export interface AlarmStateChange {
  readonly alarm: BreakerAlarm;
  readonly state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** When the alarm entered the state (ISO). */
  readonly at: string;
  /** A composite's children its reasonData lists, with their states (empty for a metric alarm, or an OK without reasonData). */
  readonly triggeringAlarms: readonly TriggeringAlarm[];
}

/** What the change did to the breaker, and whether the operators were told. */
export interface AlarmOutcome {
  readonly outcome: 'opened' | 'already-open' | 'ok-recorded' | 'auto-closed' | 'unchanged' | 'ignored';
  readonly breaker: BreakerRecord;
  readonly notified: boolean;
}

/**
 * Applies an alarm's state change to the breaker. ALARM opens it (by `alarm:<name>`, with the
 * alarm's reason and the composite's triggering children) and tells the operations topic; a retried
 * event whose first attempt opened the breaker but could not notify notifies now. OK records since
 * when the alarm is OK (unless it is older than the last ALARM, lists a child still in ALARM, or an
 * operator opened the breaker) and, with `autoCloseAfterSeconds`, closes it once OK that long (telling the
 * operators); the gate check closes it later otherwise. INSUFFICIENT_DATA changes nothing.
 * @example
 *   await applyAlarmStateChange(deps, { alarm: { name: 'backfill-health', arn }, state: 'ALARM', reason, at, triggeringAlarms: [] }, {});
 *   // { outcome: 'opened', notified: true, breaker: { state: 'OPEN', ... } }
 */
export async function applyAlarmStateChange(deps: BreakerDeps, change: AlarmStateChange, options: { autoCloseAfterSeconds?: number }): Promise<AlarmOutcome> {
  if (change.state === 'ALARM') {
    const triggeringAlarms = change.triggeringAlarms.length > 0 ? change.triggeringAlarms : undefined;
    const { changed, breaker } = await openBreaker(deps, { by: `alarm:${change.alarm.name}`, reason: change.reason, alarm: change.alarm, ...(triggeringAlarms ? { triggeringAlarms } : {}), alarmAt: change.at });
    const owed = breaker.state === 'OPEN' && breaker.notifiedAt === undefined;
    const told = owed ? await notifyOpened(deps, breaker) : breaker;
    return { outcome: changed ? 'opened' : 'already-open', breaker: told, notified: owed };
  }
  if (change.state === 'OK') {
    const recorded = await recordAlarmOk(deps, { alarm: change.alarm, at: change.at, triggeringAlarms: change.triggeringAlarms, ...(options.autoCloseAfterSeconds === undefined ? {} : { autoCloseAfterSeconds: options.autoCloseAfterSeconds }) });
    if (options.autoCloseAfterSeconds !== undefined) {
      const closed = await closeBreakerIfOkFor(deps, options.autoCloseAfterSeconds);
      if (closed.changed && closed.breaker.closedBy === AUTO_CLOSE_ACTOR) {
        const notifier = operationsNotifierOf(deps);
        await notifier.publish(breakerAutoClosedMessage(closed.breaker, notifier.topicArn));
        return { outcome: 'auto-closed', breaker: closed.breaker, notified: true };
      }
    }
    return { outcome: recorded.changed ? 'ok-recorded' : 'unchanged', breaker: recorded.breaker, notified: false };
  }
  return { outcome: 'ignored', breaker: await readBreaker(deps), notified: false };
}

/** Publishes the opened message, then records that it was sent (so a retry does not send it twice). */
async function notifyOpened(deps: BreakerDeps, breaker: BreakerRecord): Promise<BreakerRecord> {
  const notifier = operationsNotifierOf(deps);
  await notifier.publish(breakerOpenedMessage(breaker, notifier.topicArn));
  const marked = await updateBreaker(deps, { set: { notifiedAt: new Date(deps.clock.nowMs()).toISOString() }, whileState: 'OPEN', whileVersion: breaker.version });
  return marked ?? breaker;
}
