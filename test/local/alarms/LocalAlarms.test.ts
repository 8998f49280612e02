import type { AlarmDefinition } from '../../../lambdas/lib/health';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import { alarmStateLine, type AlarmStateChangeEvent } from '../../../local/alarms/alarmStateChangeEvent';
import { datapointsOfEmf } from '../../../local/alarms/emfDocument';
import { AlarmDefinitionError, AlarmDeliveryError } from '../../../local/alarms/errors';
import { LocalAlarms } from '../../../local/alarms/LocalAlarms';
import { MetricStore } from '../../../local/alarms/MetricStore';

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const s = (seconds: number) => T0 + seconds * 1_000;

const definition = (overrides: Partial<AlarmDefinition> = {}): AlarmDefinition => ({
  id: 'BatchesFailed',
  alarmName: 'local-batches-failed',
  description: 'A batch failed',
  source: 'emf',
  namespace: 'Backfill',
  metricName: 'BatchesFailed',
  dimensions: { Stack: 'local' },
  statistic: 'Sum',
  periodSeconds: 10,
  evaluationPeriods: 1,
  datapointsToAlarm: 1,
  threshold: 1,
  comparison: 'GreaterThanOrEqualToThreshold',
  treatMissingData: 'notBreaching',
  ...overrides,
});

/** One EMF flush of `metricName` at `timestampMs`, as Powertools writes it (high resolution). */
const emf = (timestampMs: number, metricName: string, values: number | number[]) => ({
  _aws: { Timestamp: timestampMs, CloudWatchMetrics: [{ Namespace: 'Backfill', Dimensions: [['Stack']], Metrics: [{ Name: metricName, Unit: 'Count', StorageResolution: 1 }] }] },
  Stack: 'local',
  [metricName]: values,
});

function setUp(definitions: AlarmDefinition[], breaker: (event: AlarmStateChangeEvent) => Promise<unknown> = async () => undefined) {
  const store = new MetricStore();
  const clock = new ManualClock(T0);
  const delivered: AlarmStateChangeEvent[] = [];
  const alarms = new LocalAlarms({
    definitions,
    composite: { alarmName: 'local-breaker', description: 'Any breaker alarm' },
    store,
    clock,
    breaker: async (event) => {
      delivered.push(event);
      return breaker(event);
    },
  });
  return { store, alarms, delivered };
}

describe('LocalAlarms', () => {
  it('starts INSUFFICIENT_DATA, then sends real-shaped events on each change: OK, ALARM once the period ends, OK after', async () => {
    // GIVEN a 1-of-1 alarm on BatchesFailed (period 10 s), a throttles alarm, and an AWS-metric alarm
    const { store, alarms, delivered } = setUp([
      definition(),
      definition({ id: 'Throttles', alarmName: 'local-throttles', metricName: 'DynamoDBThrottles', threshold: 5 }),
      definition({ id: 'WorkerErrors', alarmName: 'local-worker-errors', source: 'aws', namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'worker' } }),
    ]);
    expect(alarms.state('local-breaker')?.value).toBe('INSUFFICIENT_DATA');
    // WHEN it evaluates with no data yet (missing data is not breaching)
    const first = await alarms.evaluate(s(0));
    // THEN both EMF alarms and the composite go OK; the AWS-metric alarm has no data here
    expect(first.map((e) => [e.detail.alarmName, e.detail.previousState.value, e.detail.state.value])).toEqual([
      ['local-batches-failed', 'INSUFFICIENT_DATA', 'OK'],
      ['local-throttles', 'INSUFFICIENT_DATA', 'OK'],
      ['local-breaker', 'INSUFFICIENT_DATA', 'OK'],
    ]);
    expect(alarms.state('local-worker-errors')?.value).toBe('INSUFFICIENT_DATA');
    // AND only the composite's event reaches the breaker, as the stack's rule matches
    expect(delivered.map((e) => e.detail.alarmName)).toEqual(['local-breaker']);
    expect(delivered[0]!.detail.state.reason).toBe('arn:aws:cloudwatch:us-east-1:000000000000:alarm:local-breaker was created and its alarm rule evaluates to OK');

    // WHEN a worker flushes BatchesFailed 1 at 12:00:03 (and 3 throttles, under their threshold)
    store.add(datapointsOfEmf(emf(s(3), 'BatchesFailed', 1)));
    store.add(datapointsOfEmf(emf(s(4), 'DynamoDBThrottles', [1, 2])));
    // THEN nothing changes before its period ends
    expect(await alarms.evaluate(s(9))).toEqual([]);
    // AND at 12:00:10 the alarm and the composite go to ALARM
    const tripped = await alarms.evaluate(s(10));
    expect(tripped.map((e) => [e.detail.alarmName, e.detail.state.value])).toEqual([
      ['local-batches-failed', 'ALARM'],
      ['local-breaker', 'ALARM'],
    ]);
    const [child, composite] = tripped as [AlarmStateChangeEvent, AlarmStateChangeEvent];
    expect(child).toMatchObject({
      version: '0',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '000000000000',
      region: 'us-east-1',
      time: '2026-12-01T12:00:10Z',
      resources: ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:local-batches-failed'],
      detail: {
        alarmName: 'local-batches-failed',
        previousState: { value: 'OK' },
        state: {
          value: 'ALARM',
          reason:
            'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (01/12/26 12:00:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
          timestamp: '2026-12-01T12:00:10.000+0000',
        },
        configuration: {
          description: 'A batch failed',
          metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'Backfill', name: 'BatchesFailed', dimensions: { Stack: 'local' } }, period: 10, stat: 'Sum' }, returnData: true }],
        },
      },
    });
    expect(JSON.parse(child.detail.state.reasonData!)).toEqual({
      version: '1.0',
      queryDate: '2026-12-01T12:00:10.000+0000',
      startDate: '2026-12-01T12:00:00.000+0000',
      statistic: 'Sum',
      period: 10,
      recentDatapoints: [1],
      threshold: 1,
    });
    expect(composite.detail.configuration).toEqual({ description: 'Any breaker alarm', alarmRule: 'ALARM("local-batches-failed") OR ALARM("local-throttles") OR ALARM("local-worker-errors")' });
    expect(composite.detail.state.reason).toBe('arn:aws:cloudwatch:us-east-1:000000000000:alarm:local-batches-failed transitioned to ALARM at Tuesday 1 December, 2026 12:00:10 UTC');
    expect(JSON.parse(composite.detail.state.reasonData!)).toEqual({
      triggeringAlarms: [{ arn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:local-batches-failed', state: { value: 'ALARM', timestamp: '2026-12-01T12:00:10.000+0000' } }],
    });
    expect(delivered.map((e) => e.detail.state.value)).toEqual(['OK', 'ALARM']);
    // AND the stderr line names the change and its reason; a change between OK and INSUFFICIENT_DATA has none
    expect(alarmStateLine(child)).toBe(`alarm local-batches-failed: OK -> ALARM (${child.detail.state.reason})`);
    expect(first.map(alarmStateLine)).toEqual([undefined, undefined, undefined]);

    // WHEN it evaluates again in the same state: no event (transitions only on change)
    expect(await alarms.evaluate(s(15))).toEqual([]);
    // AND once the breaching datapoint leaves the evaluation range (3 periods for 1), all go OK again
    expect((await alarms.evaluate(s(30))).length).toBe(0);
    const recovered = await alarms.evaluate(s(40));
    expect(recovered.map((e) => [e.detail.alarmName, e.detail.state.value])).toEqual([
      ['local-batches-failed', 'OK'],
      ['local-breaker', 'OK'],
    ]);
    expect(recovered[1]!.detail.state.reason).toBe('arn:aws:cloudwatch:us-east-1:000000000000:alarm:local-batches-failed transitioned to OK at Tuesday 1 December, 2026 12:00:40 UTC');
    expect(delivered.map((e) => e.detail.state.value)).toEqual(['OK', 'ALARM', 'OK']);
  });

  it('start() evaluates at once (the stack\'s alarms exist before any run), and close() waits for that evaluation\'s events', async () => {
    // GIVEN alarms that have not evaluated yet
    const { alarms, delivered } = setUp([definition()]);
    // WHEN they start and close again at once
    alarms.start();
    await alarms.close();
    // THEN they left INSUFFICIENT_DATA and the breaker got the composite's OK
    expect(alarms.state('local-batches-failed')?.value).toBe('OK');
    expect(delivered.map((e) => [e.detail.alarmName, e.detail.state.value])).toEqual([['local-breaker', 'OK']]);
  });

  it('evaluates the statistic over each period: Maximum of the samples against the threshold', async () => {
    // GIVEN an alarm on the Maximum write latency >= 500 ms
    const { store, alarms } = setUp([definition({ alarmName: 'latency', metricName: 'WriteLatency', statistic: 'Maximum', threshold: 500 })]);
    store.add(datapointsOfEmf(emf(s(1), 'WriteLatency', [20, 30])));
    store.add(datapointsOfEmf(emf(s(2), 'WriteLatency', 499)));
    // THEN 499 ms is under it
    await alarms.evaluate(s(10));
    expect(alarms.state('latency')?.value).toBe('OK');
    // WHEN one sample reaches 600 ms in the next period
    store.add(datapointsOfEmf(emf(s(12), 'WriteLatency', [10, 600])));
    await alarms.evaluate(s(20));
    // THEN it alarms
    expect(alarms.state('latency')?.value).toBe('ALARM');
  });

  it('a breaker handler that refuses every attempt: the state still changes, the error names the alarm, later events still go', async () => {
    // GIVEN a breaker handler that refuses OK events
    let attempts = 0;
    const { store, alarms, delivered } = setUp([definition()], async (event) => {
      attempts += 1;
      if (event.detail.state.value === 'OK') throw new Error('ledger unavailable');
    });
    // WHEN the first evaluation sends the composite's OK
    const error = await alarms.evaluate(s(0)).then(
      () => undefined,
      (e: unknown) => e,
    );
    // THEN it was tried 3 times (Lambda's asynchronous invocation: once and 2 retries) and reported
    expect(error).toBeInstanceOf(AlarmDeliveryError);
    expect((error as Error).message).toMatch(/the breaker handler refused the OK event of alarm local-breaker 3 time\(s\): ledger unavailable/);
    expect(attempts).toBe(3);
    expect(alarms.state('local-breaker')?.value).toBe('OK');
    // AND the next change is delivered
    store.add(datapointsOfEmf(emf(s(1), 'BatchesFailed', 1)));
    await alarms.evaluate(s(10));
    expect(delivered.map((e) => e.detail.state.value)).toEqual(['OK', 'OK', 'OK', 'ALARM']);
  });

  it.each([
    [{ periodSeconds: 15 as 10 }, /periodSeconds must be 10, 20, 30 or a multiple of 60, got 15/],
    [{ datapointsToAlarm: 2 }, /datapointsToAlarm must be 1..evaluationPeriods \(1\), got 2/],
    [{ evaluationPeriods: 0 }, /evaluationPeriods must be a whole number >= 1, got 0/],
  ])('refuses a definition CloudWatch would not accept (%o)', (overrides, message) => {
    expect(() => setUp([definition(overrides)])).toThrow(AlarmDefinitionError);
    expect(() => setUp([definition(overrides)])).toThrow(message);
  });
});
