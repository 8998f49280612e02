import { randomUUID } from 'node:crypto';
import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfEventRule } from '../../lambdas/handlers';
import { alarmDefinitions, compositeAlarmName, DEFAULT_BREAKER_THRESHOLDS, metricsStackName, type BreakerThresholds } from '../../lambdas/lib/health';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import type { AlarmStateChangeEvent } from './alarmStateChangeEvent';
import type { AlarmDeliveryError } from './errors';
import { LocalAlarms } from './LocalAlarms';
import type { MetricStore } from './MetricStore';

export interface BreakerAlarmsOptions {
  /** The deps the breaker handler runs on (with the local operations notifier). */
  readonly deps: Deps;
  /** The captured EMF of the handlers (LocalEnvironment.metrics). */
  readonly store: MetricStore;
  /** The thresholds the stack's alarms use. @default DEFAULT_BREAKER_THRESHOLDS */
  readonly thresholds?: BreakerThresholds;
  /** Every alarm state change, children and composite (a log line). */
  readonly onStateChange?: (event: AlarmStateChangeEvent) => void;
  /** An event the breaker handler refused on every attempt. @default a line on stderr */
  readonly onDeliveryError?: (error: AlarmDeliveryError) => void;
}

/**
 * The stack's breaker alarms on the local cloud, ticking: the same definitions the stack creates
 * (alarmDefinitions, for the `Stack` dimension the local handlers emit), their composite, and the
 * real `breaker` handler (the registry's `eventRule: 'breaker-alarm'` row) as the rule's target.
 * The clock is the deps' clock, which the EMF is stamped with.
 * @example
 *   const alarms = startBreakerAlarms({ deps, store: env.metrics });
 *   // ... a run's workers fail batches: the composite goes to ALARM, the breaker opens
 *   await alarms.close();
 */
export function startBreakerAlarms(options: BreakerAlarmsOptions): LocalAlarms {
  const stackName = metricsStackName();
  const breaker = HANDLER_FACTORIES[handlerIdOfEventRule('breaker-alarm')](options.deps);
  const alarms = new LocalAlarms({
    // AWS's own metrics (the worker function's Errors, the tables' WriteThrottleEvents) have no local source.
    definitions: alarmDefinitions(options.thresholds ?? DEFAULT_BREAKER_THRESHOLDS, { stackName, targetTables: [] }),
    composite: { alarmName: compositeAlarmName(stackName), description: 'Any of the backfill breaker alarms is in ALARM' },
    store: options.store,
    clock: options.deps.clock,
    breaker: (event) => breaker(event, { awsRequestId: randomUUID() }),
    ...(options.onStateChange ? { onStateChange: options.onStateChange } : {}),
    ...(options.onDeliveryError ? { onDeliveryError: options.onDeliveryError } : {}),
  });
  alarms.start();
  return alarms;
}
