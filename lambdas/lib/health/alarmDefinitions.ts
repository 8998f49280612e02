import type { BreakerSignal, BreakerThresholds, SignalThreshold } from './breakerThresholds';
import { DEFAULT_METRICS_NAMESPACE, SERVICE_DIMENSION, STACK_DIMENSION, WORKER_METRICS, WORKER_SERVICE } from './metricNames';

/**
 * One alarm under the breaker, as plain data: the stack creates a CloudWatch alarm from it, and
 * the local cloud evaluates it over the EMF the handlers emit (only `source: 'emf'`: AWS's own
 * metrics do not exist locally).
 */
export interface AlarmDefinition {
  /** Stable PascalCase id: the alarm's construct id in the stack. */
  readonly id: string;
  readonly alarmName: string;
  readonly description: string;
  /** `emf`: a metric the workers emit; `aws`: one AWS publishes (Lambda, DynamoDB). */
  readonly source: 'emf' | 'aws';
  readonly namespace: string;
  readonly metricName: string;
  /** Exactly the metric's dimensions: CloudWatch matches the whole set. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Sum' | 'Average' | 'Maximum' | 'p99';
  readonly periodSeconds: 10 | 30 | 60;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  readonly treatMissingData: 'notBreaching' | 'breaching' | 'ignore' | 'missing';
}

/** What the alarms watch. */
export interface AlarmSubjects {
  /** The `Stack` dimension of the workers' metrics, and the prefix of every alarm name. */
  readonly stackName: string;
  /** The worker function, for AWS/Lambda Errors and Throttles; absent (locally) means no such alarms. */
  readonly workerFunctionName?: string;
  /** One WriteThrottleEvents alarm per table. */
  readonly targetTables: readonly string[];
  /** The namespace the workers emit into. @default DEFAULT_METRICS_NAMESPACE */
  readonly namespace?: string;
}

/** The construct id of the composite alarm over every alarm of {@link alarmDefinitions} and the adopted ones. */
export const COMPOSITE_ALARM_ID = 'BreakerComposite';

/**
 * The composite alarm's name, the one the breaker's EventBridge rule (and the local evaluator's events) name.
 *
 * @example
 *   compositeAlarmName('BackfillOrchestrator'); // 'BackfillOrchestrator-breaker'
 */
export function compositeAlarmName(stackName: string): string {
  return `${stackName}-breaker`;
}

// [signal, id, name suffix, metric, statistic, what it means and what to do]
const EMF_ALARMS: ReadonlyArray<readonly [BreakerSignal, string, string, string, AlarmDefinition['statistic'], string]> = [
  ['batchesFailed', 'BatchesFailedAlarm', 'batches-failed', WORKER_METRICS.BatchesFailed, 'Sum', 'Backfill batches are failing: read the worker logs (batch failed) before resuming'],
  ['recordsRejected', 'RecordsRejectedAlarm', 'records-rejected', WORKER_METRICS.RecordsRejected, 'Sum', 'Source records are being quarantined as malformed: read the quarantine files of the run'],
  ['dynamoDbThrottles', 'DynamoDBThrottlesAlarm', 'dynamodb-throttles', WORKER_METRICS.DynamoDBThrottles, 'Sum', 'The target table throttles the backfill\'s writes beyond what lowering its concurrency cured: lower maxWritesPerSecond'],
  ['writeLatency', 'WriteLatencyAlarm', 'write-latency', WORKER_METRICS.WriteLatency, 'p99', 'Target writes are slow (batch median latency, milliseconds): the table may be overloaded'],
];

/**
 * The alarms the breaker's composite alarm is made of: the workers' high-resolution metrics
 * (batches failed, records rejected, DynamoDB throttles, write latency), the worker function's
 * Errors and Throttles, and each target table's WriteThrottleEvents. Read by the stack and by the
 * local alarm evaluator, so both watch the same things.
 *
 * @example
 *   alarmDefinitions(DEFAULT_BREAKER_THRESHOLDS, { stackName: 'local', targetTables: ['order-summaries'] })
 *     .filter((alarm) => alarm.source === 'emf')
 *     .map((alarm) => alarm.alarmName);
 *   // ['local-breaker-batches-failed', 'local-breaker-records-rejected', 'local-breaker-dynamodb-throttles', 'local-breaker-write-latency']
 */
export function alarmDefinitions(thresholds: BreakerThresholds, subjects: AlarmSubjects): AlarmDefinition[] {
  const { stackName } = subjects;
  const name = (suffix: string) => `${stackName}-breaker-${suffix}`;
  const emf: AlarmDefinition[] = EMF_ALARMS.map(([signal, id, suffix, metricName, statistic, description]) => ({
    id,
    alarmName: name(suffix),
    description,
    source: 'emf',
    namespace: subjects.namespace ?? DEFAULT_METRICS_NAMESPACE,
    metricName,
    dimensions: { [SERVICE_DIMENSION]: WORKER_SERVICE, [STACK_DIMENSION]: stackName },
    statistic,
    ...breachWhen(thresholds[signal]),
  }));
  const worker: AlarmDefinition[] =
    subjects.workerFunctionName === undefined
      ? []
      : [
          lambdaAlarm('WorkerErrorsAlarm', name('worker-errors'), 'Errors', subjects.workerFunctionName, thresholds.workerErrors, 'Worker invocations are failing: read the worker logs'),
          lambdaAlarm('WorkerThrottlesAlarm', name('worker-throttles'), 'Throttles', subjects.workerFunctionName, thresholds.workerThrottles, 'Lambda throttles the worker: the account\'s concurrency is exhausted, which starves other functions too'),
        ];
  const tables: AlarmDefinition[] = subjects.targetTables.map((table) => ({
    id: `TargetWriteThrottlesAlarm-${table}`,
    alarmName: name(`target-write-throttles-${table}`),
    description: `Table ${table} throttles writes (the live service's included): the backfill may be hurting live traffic`,
    source: 'aws',
    namespace: 'AWS/DynamoDB',
    metricName: 'WriteThrottleEvents',
    dimensions: { TableName: table },
    statistic: 'Sum',
    ...breachWhen(thresholds.targetWriteThrottles),
  }));
  return [...emf, ...worker, ...tables];
}

function lambdaAlarm(id: string, alarmName: string, metricName: string, functionName: string, threshold: SignalThreshold, description: string): AlarmDefinition {
  return { id, alarmName, description, source: 'aws', namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName }, statistic: 'Sum', ...breachWhen(threshold) };
}

// Missing data is healthy: no batch ran, nothing failed, nothing was throttled.
function breachWhen(t: SignalThreshold) {
  return {
    periodSeconds: t.periodSeconds,
    evaluationPeriods: t.evaluationPeriods,
    datapointsToAlarm: t.datapointsToAlarm,
    threshold: t.threshold,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
  } as const;
}
