import { applyAlarmStateChange, autoCloseAfterSecondsFrom } from '../lib/breaker';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { AlarmStateChangeEventSchema } from './schema';

/**
 * Target of the EventBridge rule on the breaker's composite alarm ("CloudWatch Alarm State Change",
 * ALARM and OK): ALARM opens the breaker (every run's gate shuts) and notifies the operations topic;
 * OK records it, and closes the breaker when BREAKER_AUTO_CLOSE_SECONDS is set and the alarm has been
 * OK that long. A bad event is an InvalidEventError and changes nothing.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'breaker',
    AlarmStateChangeEventSchema,
    async (event, { deps: d, logger }) => {
      const { detail } = event;
      const result = await applyAlarmStateChange(
        d,
        { alarm: { name: detail.alarmName, arn: event.resources[0]! }, state: detail.state.value, reason: detail.state.reason, at: detail.state.timestamp, triggeringAlarms: event.triggeringAlarms },
        { autoCloseAfterSeconds: autoCloseAfterSecondsFrom(process.env) },
      );
      logger.info('alarm state change', { alarmName: detail.alarmName, alarmState: detail.state.value, outcome: result.outcome, breaker: result.breaker.state, notified: result.notified });
      return { outcome: result.outcome, breaker: result.breaker.state, notified: result.notified };
    },
    deps,
  );

export const handler = createHandler();
