import {
  alarmDefinitions,
  BreakerThresholdsError,
  compositeAlarmName,
  DEFAULT_BREAKER_THRESHOLDS,
  metricsNamespace,
  metricsStackName,
  resolveBreakerThresholds,
} from '../../../../lambdas/lib/health';

describe('alarmDefinitions', () => {
  const definitions = alarmDefinitions(DEFAULT_BREAKER_THRESHOLDS, { stackName: 'Prod', workerFunctionName: 'prod-worker', targetTables: ['orders', 'summaries'] });
  const byId = (id: string) => definitions.find((d) => d.id === id)!;

  it('watches the workers\' four EMF metrics with the dimensions they are emitted with (service worker, Stack)', () => {
    const emf = definitions.filter((d) => d.source === 'emf');
    expect(emf.map((d) => [d.metricName, d.statistic])).toEqual([
      ['BatchesFailed', 'Sum'],
      ['RecordsRejected', 'Sum'],
      ['DynamoDBThrottles', 'Sum'],
      ['WriteLatency', 'p99'],
    ]);
    for (const d of emf) {
      expect(d.namespace).toBe('Backfill');
      expect(d.dimensions).toEqual({ service: 'worker', Stack: 'Prod' });
    }
  });

  it('watches the worker function\'s Errors and Throttles and each target table\'s WriteThrottleEvents, per minute', () => {
    expect(byId('WorkerErrorsAlarm')).toMatchObject({ source: 'aws', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'prod-worker' }, periodSeconds: 60 });
    expect(byId('WorkerThrottlesAlarm')).toMatchObject({ namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: 'prod-worker' } });
    expect(definitions.filter((d) => d.metricName === 'WriteThrottleEvents').map((d) => [d.id, d.alarmName, d.dimensions])).toEqual([
      ['TargetWriteThrottlesAlarm-orders', 'Prod-breaker-target-write-throttles-orders', { TableName: 'orders' }],
      ['TargetWriteThrottlesAlarm-summaries', 'Prod-breaker-target-write-throttles-summaries', { TableName: 'summaries' }],
    ]);
  });

  it('takes period, M of N and threshold from the thresholds, and treats missing data as healthy', () => {
    expect(byId('DynamoDBThrottlesAlarm')).toMatchObject({ periodSeconds: 10, evaluationPeriods: 3, datapointsToAlarm: 3, threshold: 50, comparison: 'GreaterThanOrEqualToThreshold', treatMissingData: 'notBreaching' });
    const custom = alarmDefinitions(resolveBreakerThresholds({ dynamoDbThrottles: { threshold: 5, periodSeconds: 30 } }), { stackName: 'Prod', targetTables: [] });
    expect(custom.find((d) => d.id === 'DynamoDBThrottlesAlarm')).toMatchObject({ threshold: 5, periodSeconds: 30, evaluationPeriods: 3 });
  });

  it('gives every alarm a unique id and a name prefixed by the stack', () => {
    expect(new Set(definitions.map((d) => d.id)).size).toBe(definitions.length);
    for (const d of definitions) expect(d.alarmName).toMatch(/^Prod-breaker-/);
    expect(compositeAlarmName('Prod')).toBe('Prod-breaker');
  });

  it('has no worker function alarms without a worker function (the local cloud), and uses the namespace given', () => {
    const local = alarmDefinitions(DEFAULT_BREAKER_THRESHOLDS, { stackName: 'local', targetTables: [], namespace: 'Team' });
    expect(local.map((d) => d.id)).toEqual(['BatchesFailedAlarm', 'RecordsRejectedAlarm', 'DynamoDBThrottlesAlarm', 'WriteLatencyAlarm']);
    expect(local.every((d) => d.namespace === 'Team')).toBe(true);
  });
});

describe('resolveBreakerThresholds', () => {
  it('is the defaults when nothing is given', () => {
    expect(resolveBreakerThresholds()).toEqual(DEFAULT_BREAKER_THRESHOLDS);
    expect(resolveBreakerThresholds({})).toEqual(DEFAULT_BREAKER_THRESHOLDS);
  });

  it('applies the fields given over the defaults of that signal only', () => {
    const resolved = resolveBreakerThresholds({ writeLatency: { threshold: 250 } });
    expect(resolved.writeLatency).toEqual({ ...DEFAULT_BREAKER_THRESHOLDS.writeLatency, threshold: 250 });
    expect(resolved.batchesFailed).toEqual(DEFAULT_BREAKER_THRESHOLDS.batchesFailed);
  });

  // [overrides, what the error must say]
  it.each<[unknown, string]>([
    [{ dynamoDbThrottles: { periodSeconds: 20 } }, 'dynamoDbThrottles.periodSeconds must be 10, 30 or 60, got 20'],
    [{ workerErrors: { periodSeconds: 10 } }, 'workerErrors.periodSeconds must be 60 (AWS publishes this metric per minute), got 10'],
    [{ batchesFailed: { evaluationPeriods: 2, datapointsToAlarm: 3 } }, 'batchesFailed.datapointsToAlarm must be at most evaluationPeriods (2), got 3'],
    [{ recordsRejected: { evaluationPeriods: 1441 } }, 'recordsRejected.evaluationPeriods x periodSeconds must be at most 86400 s (one day), got 1441 x 60'],
    [{ batchesFailed: { threshold: -1 } }, 'batchesFailed.threshold'],
    [{ batchesFailed: { evaluationPeriods: 1.5 } }, 'batchesFailed.evaluationPeriods'],
    [{ latency: { threshold: 1 } }, 'latency is not known (known: batchesFailed, recordsRejected, dynamoDbThrottles, writeLatency, workerErrors, workerThrottles, targetWriteThrottles)'],
    [{ batchesFailed: { limit: 1 } }, 'batchesFailed.limit is not known'],
    ['high', '(thresholds)'],
  ])('refuses %j naming the field: %s', (overrides, message) => {
    expect(() => resolveBreakerThresholds(overrides)).toThrow(BreakerThresholdsError);
    expect(() => resolveBreakerThresholds(overrides)).toThrow(message);
  });
});

describe('metric names from the environment', () => {
  it('uses POWERTOOLS_METRICS_NAMESPACE and BACKFILL_STACK_NAME, else Backfill and local', () => {
    expect(metricsNamespace({ POWERTOOLS_METRICS_NAMESPACE: 'Team' })).toBe('Team');
    expect(metricsNamespace({})).toBe('Backfill');
    expect(metricsStackName({ BACKFILL_STACK_NAME: 'Prod' })).toBe('Prod');
    expect(metricsStackName({ BACKFILL_STACK_NAME: '' })).toBe('local');
  });
});
