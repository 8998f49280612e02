import { cloudWatchTimestamp, localAlarmArn, type AlarmStateValue } from './alarmStateChangeEvent';
import type { AlarmState } from './evaluateDatapoints';

/** A child alarm of the composite, as it stands after this tick. */
export interface CompositeChild {
  readonly alarmName: string;
  readonly value: AlarmState;
  /** When it entered this state. */
  readonly sinceMs: number;
  /** Whether it entered this state on this tick. */
  readonly changedNow: boolean;
}

/**
 * The rule of the breaker's composite: any child in ALARM.
 * @example
 *   anyChildInAlarmRule(['a', 'b']); // 'ALARM("a") OR ALARM("b")'
 */
export const anyChildInAlarmRule = (alarmNames: readonly string[]): string => alarmNames.map((name) => `ALARM("${name.replace(/"/g, '\\"')}")`).join(' OR ');

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `Friday 22 July, 2022 15:57:45 UTC`: how a composite's reason dates a child's transition. */
const longDate = (ms: number): string => {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} UTC`;
};

/**
 * The composite's state for an any-child-in-ALARM rule: ALARM while a child is in ALARM, else OK
 * (a child in INSUFFICIENT_DATA makes `ALARM(child)` false). The reason names the child whose
 * transition decided it, and `reasonData.triggeringAlarms` lists the children in ALARM (for ALARM)
 * or every child (for OK), as CloudWatch's composite events do.
 * @example
 *   evaluateComposite('backfill-breaker', 'INSUFFICIENT_DATA', [{ alarmName: 'failed', value: 'ALARM', sinceMs, changedNow: true }], atMs).value; // 'ALARM'
 */
export function evaluateComposite(compositeName: string, current: AlarmState, children: readonly CompositeChild[], atMs: number): AlarmStateValue {
  const inAlarm = children.filter((c) => c.value === 'ALARM');
  const value: AlarmState = inAlarm.length > 0 ? 'ALARM' : 'OK';
  const listed = value === 'ALARM' ? inAlarm : children;
  const reasonData = JSON.stringify({
    triggeringAlarms: listed.map((c) => ({ arn: localAlarmArn(c.alarmName), state: { value: c.value, timestamp: cloudWatchTimestamp(c.sinceMs) } })),
  });
  const decider = value === 'ALARM' ? (inAlarm.find((c) => c.changedNow) ?? inAlarm[0]) : children.find((c) => c.changedNow && c.value !== 'ALARM');
  const reason =
    decider !== undefined && (value === 'ALARM' || current !== 'INSUFFICIENT_DATA')
      ? `${localAlarmArn(decider.alarmName)} transitioned to ${decider.value} at ${longDate(decider.sinceMs)}`
      : `${localAlarmArn(compositeName)} was created and its alarm rule evaluates to ${value}`;
  return { value, reason, reasonData, timestamp: cloudWatchTimestamp(atMs) };
}
