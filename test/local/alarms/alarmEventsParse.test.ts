import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AlarmStateChangeEventSchema } from '../../../lambdas/breaker/schema';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import { alarmDefinitions, compositeAlarmName, DEFAULT_BREAKER_THRESHOLDS } from '../../../lambdas/lib/health';
import type { AlarmStateChangeEvent } from '../../../local/alarms/alarmStateChangeEvent';
import { datapointsOfEmf } from '../../../local/alarms/emfDocument';
import { LocalAlarms } from '../../../local/alarms/LocalAlarms';
import { MetricStore } from '../../../local/alarms/MetricStore';

const FIXTURES = join(__dirname, '..', '..', 'lambdas', 'fixtures', 'alarm-events');
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

/** The keys of an object, nested (`detail.state.value`), for comparing shapes. */
const shape = (value: unknown, prefix = ''): string[] =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => [`${prefix}${k}`, ...shape(v, `${prefix}${k}.`)])
    : [];

describe("the local alarms' events, against the breaker's schema and AWS's recorded events", () => {
  it('every event the stack\'s alarms send locally (metric and composite, ALARM and OK) parses with AlarmStateChangeEventSchema, the composite with its triggering child', async () => {
    // GIVEN the stack's alarm definitions on a store where 6 batches fail at 12:00:05
    const store = new MetricStore();
    const events: AlarmStateChangeEvent[] = [];
    const alarms = new LocalAlarms({
      definitions: alarmDefinitions(DEFAULT_BREAKER_THRESHOLDS, { stackName: 'local', targetTables: ['order-summaries'] }),
      composite: { alarmName: compositeAlarmName('local') },
      store,
      clock: new ManualClock(T0),
      breaker: async () => undefined,
      onStateChange: (event) => events.push(event),
    });
    await alarms.evaluate(T0);
    store.add(
      datapointsOfEmf({
        _aws: { Timestamp: T0 + 5_000, CloudWatchMetrics: [{ Namespace: 'Backfill', Dimensions: [['service', 'Stack']], Metrics: [{ Name: 'BatchesFailed', Unit: 'Count', StorageResolution: 1 }] }] },
        service: 'worker',
        Stack: 'local',
        BatchesFailed: [1, 1, 1, 1, 1, 1],
      }),
    );
    // WHEN they evaluate after the minute, and again after the evaluation range
    await alarms.evaluate(T0 + 60_000);
    await alarms.evaluate(T0 + 4 * 60_000);
    // THEN every event parses, and the composite's ALARM names the batches-failed alarm as its trigger
    expect(events.map((e) => `${e.detail.alarmName}:${e.detail.state.value}`)).toContain('local-breaker:ALARM');
    for (const event of events) expect(AlarmStateChangeEventSchema.safeParse(event).error).toBeUndefined();
    const tripped = AlarmStateChangeEventSchema.parse(events.find((e) => e.detail.alarmName === 'local-breaker' && e.detail.state.value === 'ALARM'));
    expect(tripped).toMatchObject({ composite: true, triggeringAlarms: [{ name: 'local-breaker-batches-failed', state: 'ALARM' }] });
    // AND each has the keys of AWS's recorded event of its kind (what it adds beyond: none)
    const recorded = readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as AlarmStateChangeEvent);
    const isComposite = (event: AlarmStateChangeEvent) => 'alarmRule' in event.detail.configuration;
    const recordedKeys = (composite: boolean) => new Set(recorded.filter((r) => isComposite(r) === composite).flatMap((r) => shape(r)));
    for (const event of events) expect(shape(event).filter((key) => !recordedKeys(isComposite(event)).has(key))).toEqual([]);
  });
});
