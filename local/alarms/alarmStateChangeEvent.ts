import { randomUUID } from 'node:crypto';
import type { AlarmDefinition } from '../../lambdas/lib/health';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../engine/arns';
import type { AlarmState } from './evaluateDatapoints';

/** An alarm's state as CloudWatch reports it in `state` / `previousState`. */
export interface AlarmStateValue {
  readonly value: AlarmState;
  readonly reason: string;
  /** A JSON string, as CloudWatch sends it. */
  readonly reasonData?: string;
  /** `2019-10-02T17:04:40.989+0000`, as CloudWatch writes it. */
  readonly timestamp: string;
}

/**
 * EventBridge's "CloudWatch Alarm State Change" event, in the shape CloudWatch sends for a metric
 * alarm (`configuration.metrics`) and a composite alarm (`configuration.alarmRule`; the children that
 * decided it in `state.reasonData.triggeringAlarms`), from
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html.
 */
export interface AlarmStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'CloudWatch Alarm State Change';
  readonly source: 'aws.cloudwatch';
  readonly account: string;
  /** `2019-10-02T17:04:40Z` */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly [string];
  readonly detail: {
    readonly alarmName: string;
    readonly state: AlarmStateValue;
    readonly previousState: AlarmStateValue;
    readonly configuration: MetricAlarmConfiguration | CompositeAlarmConfiguration;
  };
}

export interface MetricAlarmConfiguration {
  readonly description: string;
  readonly metrics: ReadonlyArray<{
    readonly id: string;
    readonly metricStat: { readonly metric: { readonly dimensions: Readonly<Record<string, string>>; readonly name: string; readonly namespace: string }; readonly period: number; readonly stat: string };
    readonly returnData: true;
  }>;
}

export interface CompositeAlarmConfiguration {
  readonly description?: string;
  readonly alarmRule: string;
}

/**
 * The ARN CloudWatch gives an alarm of this name in the local account and region.
 * @example
 *   localAlarmArn('local-breaker'); // 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:local-breaker'
 */
export const localAlarmArn = (alarmName: string): string => `arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT}:alarm:${alarmName}`;

/**
 * CloudWatch's own timestamp format in alarm events.
 * @example
 *   cloudWatchTimestamp(Date.UTC(2019, 9, 2, 17, 4, 40, 989)); // '2019-10-02T17:04:40.989+0000'
 */
export const cloudWatchTimestamp = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

function stateChangeEvent(alarmName: string, atMs: number, previous: AlarmStateValue, state: AlarmStateValue, configuration: AlarmStateChangeEvent['detail']['configuration']): AlarmStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: LOCAL_ACCOUNT,
    time: new Date(atMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [localAlarmArn(alarmName)],
    detail: { alarmName, state, previousState: previous, configuration },
  };
}

/**
 * The event a metric alarm's state change sends.
 * @example
 *   const event = metricAlarmEvent(definition, Date.UTC(2026, 11, 1, 12), previous, { value: 'ALARM', reason: 'Threshold Crossed: ...', timestamp: '2026-12-01T12:00:00.000+0000' });
 *   event.detail.configuration; // { description, metrics: [{ id: 'm1', metricStat: { metric: { namespace, name, dimensions }, period, stat }, returnData: true }] }
 */
export function metricAlarmEvent(definition: AlarmDefinition, atMs: number, previous: AlarmStateValue, state: AlarmStateValue): AlarmStateChangeEvent {
  return stateChangeEvent(definition.alarmName, atMs, previous, state, {
    description: definition.description,
    metrics: [
      {
        id: 'm1',
        metricStat: {
          metric: { dimensions: definition.dimensions, name: definition.metricName, namespace: definition.namespace },
          period: definition.periodSeconds,
          stat: definition.statistic,
        },
        returnData: true,
      },
    ],
  });
}

/**
 * The event a composite alarm's state change sends.
 * @example
 *   compositeAlarmEvent({ alarmName: 'backfill-breaker', alarmRule: 'ALARM("a") OR ALARM("b")' }, atMs, previous, state).detail.configuration.alarmRule;
 */
export function compositeAlarmEvent(
  composite: { readonly alarmName: string; readonly alarmRule: string; readonly description?: string },
  atMs: number,
  previous: AlarmStateValue,
  state: AlarmStateValue,
): AlarmStateChangeEvent {
  const configuration: CompositeAlarmConfiguration = { alarmRule: composite.alarmRule, ...(composite.description ? { description: composite.description } : {}) };
  return stateChangeEvent(composite.alarmName, atMs, previous, state, configuration);
}

/**
 * The stderr line of an alarm's change to or from ALARM (`local up`, `npm start`); undefined for
 * the others (INSUFFICIENT_DATA <-> OK), which only say the alarms are running.
 * @example
 *   alarmStateLine(event); // 'alarm local-breaker-batches-failed: OK -> ALARM (Threshold Crossed: 1 out of the last 1 datapoints [...] ...)'
 */
export function alarmStateLine(event: AlarmStateChangeEvent): string | undefined {
  const { alarmName, previousState, state } = event.detail;
  if (state.value !== 'ALARM' && previousState.value !== 'ALARM') return undefined;
  return `alarm ${alarmName}: ${previousState.value} -> ${state.value} (${state.reason})`;
}
