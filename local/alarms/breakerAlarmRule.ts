import type { AlarmStateChangeEvent } from './alarmStateChangeEvent';

/**
 * The local stand-in for the stack's EventBridge rule on "CloudWatch Alarm State Change": passes to
 * `target` (the `breaker` handler) exactly the events the rule matches, those of the composite alarm
 * `compositeAlarmArn` entering ALARM or OK; the others (child alarms, INSUFFICIENT_DATA) are dropped.
 * @example
 *   const deliver = breakerAlarmRule(localAlarmArn('backfill-breaker'), (event) => breaker(event, { awsRequestId: randomUUID() }));
 */
export function breakerAlarmRule(compositeAlarmArn: string, target: (event: AlarmStateChangeEvent) => Promise<unknown>): (event: AlarmStateChangeEvent) => Promise<boolean> {
  return async (event) => {
    if (!event.resources.includes(compositeAlarmArn)) return false;
    if (event.detail.state.value !== 'ALARM' && event.detail.state.value !== 'OK') return false;
    await target(event);
    return true;
  };
}
