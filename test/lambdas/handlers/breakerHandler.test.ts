import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHandler } from '../../../lambdas/breaker/handler';
import { BreakerConfigurationError, breakerOpenedMessage, listBreakerAudit, openBreaker, readBreaker, type OperationsNotifier } from '../../../lambdas/lib/breaker';
import { ManualClock } from '../../../lambdas/lib/runtime/Clock';
import type { Deps } from '../../../lambdas/lib/runtime/Deps';
import { InvalidEventError } from '../../../lambdas/lib/runtime/errors';
import { dynamoTargets, useEmulators } from '../../support';
import { recordingNotifier } from '../approval/approvalHarness';
import { createFixture } from '../support/fixture';

const context = { awsRequestId: 'request-1' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:backfill-operations';

type Json = Record<string, any>;
const fixture = (name: string): Json => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'alarm-events', `${name}.json`), 'utf8')) as Json;
const METRIC_ALARM = fixture('metric-alarm-ALARM');
const METRIC_OK = fixture('metric-alarm-OK');
const COMPOSITE_ALARM = fixture('composite-alarm-ALARM');
const COMPOSITE_OK = fixture('composite-alarm-OK');

/** A recorded event with one change applied (a deep copy). */
function changed(event: Json, change: (copy: Json) => void): Json {
  const copy = structuredClone(event);
  change(copy);
  return copy;
}

describe.each(dynamoTargets().slice(0, 1))('the breaker handler (on %s)', (target) => {
  const env = useEmulators(target);
  let deps: Deps;
  let sns: ReturnType<typeof recordingNotifier>;
  beforeAll(() => {
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  });
  // Each test its own ledger (the breaker is one per ledger), and a recording SNS double.
  beforeEach(async () => {
    delete process.env.BREAKER_AUTO_CLOSE_SECONDS;
    sns = recordingNotifier();
    const operations: OperationsNotifier = { topicArn: TOPIC, publish: sns.publish };
    deps = { ...(await createFixture(env())).deps, operations };
  });
  afterAll(() => {
    delete process.env.BREAKER_AUTO_CLOSE_SECONDS;
  });
  const handle = (event: unknown, on: Deps = deps) => createHandler(on)(event, context);

  describe('ALARM', () => {
    it('opens the breaker on a metric alarm\'s ALARM, audits it and publishes one message to the operations topic', async () => {
      const result = await handle(METRIC_ALARM);

      expect(result).toEqual({ outcome: 'opened', breaker: 'OPEN', notified: true });
      const breaker = await readBreaker(deps);
      expect(breaker).toMatchObject({
        state: 'OPEN',
        openedBy: 'alarm:ServerCpuTooHigh',
        reason: METRIC_ALARM.detail.state.reason,
        alarm: { name: 'ServerCpuTooHigh', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh' },
        openedAt: new Date(deps.clock.nowMs()).toISOString(),
      });
      expect(breaker.triggeringAlarms).toBeUndefined();
      expect((await listBreakerAudit(deps)).map((e) => [e.type, e.actor])).toEqual([['BreakerOpened', 'alarm:ServerCpuTooHigh']]);
      // The exact request: the topic, the subject and the message text the operator reads.
      expect(sns.published).toEqual([breakerOpenedMessage({ ...breaker, notifiedAt: undefined }, TOPIC)]);
      expect(sns.published[0]).toMatchObject({ TopicArn: TOPIC, Subject: 'Backfill breaker OPEN: ServerCpuTooHigh' });
      expect(sns.published[0]!.Message).toContain(`Reason: ${METRIC_ALARM.detail.state.reason}`);
    });

    it('records a composite alarm\'s triggering child alarms from its reasonData', async () => {
      await handle(COMPOSITE_ALARM);

      expect(await readBreaker(deps)).toMatchObject({
        state: 'OPEN',
        openedBy: 'alarm:ServiceAggregatedAlarm',
        alarm: { name: 'ServiceAggregatedAlarm', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServiceAggregatedAlarm' },
        triggeringAlarms: [{ name: 'ServerCpuTooHigh', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh', state: 'ALARM' }],
      });
      expect(sns.published).toHaveLength(1);
      expect(sns.published[0]!.Message).toContain('Alarms in ALARM:\n  - ServerCpuTooHigh (ALARM) arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh');
    });

    it('changes nothing and publishes nothing again for the same event delivered twice', async () => {
      await handle(COMPOSITE_ALARM);
      const before = await readBreaker(deps);

      expect(await handle(COMPOSITE_ALARM)).toEqual({ outcome: 'already-open', breaker: 'OPEN', notified: false });

      expect(await readBreaker(deps)).toEqual(before);
      expect(sns.published).toHaveLength(1);
      expect(await listBreakerAudit(deps)).toHaveLength(1);
    });

    it('tells the operators on the retry when SNS failed the first attempt (the breaker opened anyway)', async () => {
      // GIVEN SNS down for the first attempt
      sns.failures.count = 1;
      await expect(handle(COMPOSITE_ALARM)).rejects.toThrow('SNS is down');
      expect((await readBreaker(deps)).state).toBe('OPEN');
      // WHEN EventBridge retries the event
      const result = await handle(COMPOSITE_ALARM);
      // THEN the message goes out once, and the breaker records it was sent
      expect(result).toEqual({ outcome: 'already-open', breaker: 'OPEN', notified: true });
      expect(sns.published).toHaveLength(1);
      expect((await readBreaker(deps)).notifiedAt).toBeDefined();
      await handle(COMPOSITE_ALARM);
      expect(sns.published).toHaveLength(1);
    });
  });

  describe('OK', () => {
    it('records since when the alarm is OK; the breaker stays OPEN (only an operator closes it), nothing is published', async () => {
      await handle(COMPOSITE_ALARM);

      expect(await handle(COMPOSITE_OK)).toEqual({ outcome: 'ok-recorded', breaker: 'OPEN', notified: false });

      expect(await readBreaker(deps)).toMatchObject({ state: 'OPEN', okSince: '2022-07-22T16:12:45.120Z' });
      expect((await listBreakerAudit(deps)).map((e) => e.type)).toEqual(['BreakerOpened', 'BreakerAlarmOk']);
      expect(sns.published).toHaveLength(1);
    });

    it('closes the breaker by auto-close when BREAKER_AUTO_CLOSE_SECONDS is set and the alarm has been OK that long, telling the operators', async () => {
      await handle(METRIC_ALARM);
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '0';

      expect(await handle(METRIC_OK)).toEqual({ outcome: 'auto-closed', breaker: 'CLOSED', notified: true });

      expect(await readBreaker(deps)).toMatchObject({ state: 'CLOSED', closedBy: 'auto-close', okSince: '2019-10-02T17:24:40.987Z' });
      expect(sns.published.map((m) => m.Subject)).toEqual(['Backfill breaker OPEN: ServerCpuTooHigh', 'Backfill breaker closed: ServerCpuTooHigh OK']);
      expect(sns.published[1]!.Message).toContain('Paused runs stay paused: resume each with backfill resume RUN');
    });

    it('keeps it OPEN when the alarm has been OK for less than BREAKER_AUTO_CLOSE_SECONDS, recording the delay for the gate check', async () => {
      // GIVEN the clock one second after the alarm went OK, and a 300 s auto-close
      const soon = { ...deps, clock: new ManualClock(Date.parse('2019-10-02T17:24:41.987Z')) };
      await handle(METRIC_ALARM, soon);
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '300';

      expect(await handle(METRIC_OK, soon)).toEqual({ outcome: 'ok-recorded', breaker: 'OPEN', notified: false });

      expect(await readBreaker(deps)).toMatchObject({ state: 'OPEN', okSince: '2019-10-02T17:24:40.987Z', autoCloseAfterSeconds: 300 });
    });

    it.each([
      ['no reasonData', (e: Json) => delete e.detail.state.reasonData],
      ['a reasonData that is not JSON', (e: Json) => (e.detail.state.reasonData = 'not json')],
      ['a reasonData without triggeringAlarms', (e: Json) => (e.detail.state.reasonData = '{"version":"1.0"}')],
    ])('accepts a composite OK with %s (only an ALARM needs its children) and records it', async (_what, change) => {
      await handle(COMPOSITE_ALARM);

      expect(await handle(changed(COMPOSITE_OK, change))).toEqual({ outcome: 'ok-recorded', breaker: 'OPEN', notified: false });

      expect(await readBreaker(deps)).toMatchObject({ state: 'OPEN', okSince: '2022-07-22T16:12:45.120Z' });
    });

    it('ignores a composite OK whose reasonData still lists a child in ALARM', async () => {
      await handle(COMPOSITE_ALARM);
      const stillAlarming = changed(COMPOSITE_OK, (e) => {
        e.detail.state.reasonData = '{"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T16:12:45.118+0000"}}]}';
      });
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '0';

      expect(await handle(stillAlarming)).toEqual({ outcome: 'unchanged', breaker: 'OPEN', notified: false });

      expect((await readBreaker(deps)).okSince).toBeUndefined();
    });

    it('ignores an OK older than the ALARM (EventBridge delivered it late), even with a 0 s auto-close', async () => {
      // The alarm went OK at 15:50, then ALARM at 15:57:45; the OK arrives after the ALARM.
      await handle(COMPOSITE_ALARM);
      const late = changed(COMPOSITE_OK, (e) => (e.detail.state.timestamp = '2022-07-22T15:50:00.000+0000'));
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '0';

      expect(await handle(late)).toEqual({ outcome: 'unchanged', breaker: 'OPEN', notified: false });

      expect(await readBreaker(deps)).toMatchObject({ state: 'OPEN', alarmAt: '2022-07-22T15:57:45.394Z' });
      expect((await readBreaker(deps)).okSince).toBeUndefined();
      expect(sns.published).toHaveLength(1);
    });

    it('ignores the alarm\'s OK on a breaker an operator opened, even with a 0 s auto-close', async () => {
      await openBreaker(deps, { by: 'local:ana', reason: 'orders deploy' });
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '0';

      expect(await handle(METRIC_OK)).toEqual({ outcome: 'unchanged', breaker: 'OPEN', notified: false });

      expect(await readBreaker(deps)).toMatchObject({ state: 'OPEN', openedBy: 'local:ana' });
    });

    it('closes at once on the OK with a 0 s auto-close, even when the OK\'s timestamp is ahead of this clock', async () => {
      const behind = { ...deps, clock: new ManualClock(Date.parse('2019-10-02T17:24:40.000Z')) };
      await handle(METRIC_ALARM, behind);
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '0';

      expect(await handle(METRIC_OK, behind)).toEqual({ outcome: 'auto-closed', breaker: 'CLOSED', notified: true });
    });

    it('ignores an OK while the breaker is CLOSED', async () => {
      expect(await handle(METRIC_OK)).toEqual({ outcome: 'unchanged', breaker: 'CLOSED', notified: false });
      expect(await listBreakerAudit(deps)).toEqual([]);
    });
  });

  it('changes nothing on INSUFFICIENT_DATA', async () => {
    const insufficient = changed(METRIC_OK, (e) => (e.detail.state.value = 'INSUFFICIENT_DATA'));
    expect(await handle(insufficient)).toEqual({ outcome: 'ignored', breaker: 'CLOSED', notified: false });
    expect(await listBreakerAudit(deps)).toEqual([]);
  });

  describe('bad events: a named error, nothing changed', () => {
    it.each([
      ['another detail-type', changed(METRIC_ALARM, (e) => (e['detail-type'] = 'CloudWatch Alarm Configuration Change')), /detail-type/],
      ['another source', changed(METRIC_ALARM, (e) => (e.source = 'aws.states')), /source/],
      ['an unknown state', changed(METRIC_ALARM, (e) => (e.detail.state.value = 'BROKEN')), /detail\.state\.value/],
      ['no alarm name', changed(METRIC_ALARM, (e) => delete e.detail.alarmName), /detail\.alarmName/],
      ['no alarm ARN', changed(METRIC_ALARM, (e) => (e.resources = [])), /resources/],
      ['an unparseable timestamp', changed(METRIC_ALARM, (e) => (e.detail.state.timestamp = 'yesterday')), /detail\.state\.timestamp: is not a timestamp, got 'yesterday'/],
      ['a composite whose reasonData is not JSON', changed(COMPOSITE_ALARM, (e) => (e.detail.state.reasonData = 'not json')), /detail\.state\.reasonData: must be the composite alarm's JSON/],
      ['a composite whose reasonData lists no triggeringAlarms', changed(COMPOSITE_ALARM, (e) => (e.detail.state.reasonData = '{"version":"1.0"}')), /detail\.state\.reasonData: must list triggeringAlarms/],
      ['a composite child that is not an alarm ARN', changed(COMPOSITE_ALARM, (e) => (e.detail.state.reasonData = '{"triggeringAlarms":[{"arn":"arn:aws:sns:us-east-1:1:t","state":{"value":"ALARM"}}]}')), /must be an alarm ARN/],
      ['not an event at all', 'ALARM', /\(event\)/],
    ])('refuses %s (InvalidEventError naming the field)', async (_what, event, problem) => {
      const refused = await handle(event).catch((e: unknown) => e);

      expect(refused).toBeInstanceOf(InvalidEventError);
      expect((refused as Error).message).toMatch(problem);
      expect(await readBreaker(deps)).toEqual({ state: 'CLOSED', version: 0 });
      expect(await listBreakerAudit(deps)).toEqual([]);
      expect(sns.published).toEqual([]);
    });

    it('refuses to act with a malformed BREAKER_AUTO_CLOSE_SECONDS, changing nothing', async () => {
      process.env.BREAKER_AUTO_CLOSE_SECONDS = '5m';
      await expect(handle(METRIC_ALARM)).rejects.toThrow(BreakerConfigurationError);
      expect(await readBreaker(deps)).toEqual({ state: 'CLOSED', version: 0 });
      expect(sns.published).toEqual([]);
    });
  });
});
