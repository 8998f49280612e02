import {
  AUTO_CLOSE_ACTOR,
  autoCloseAfterSecondsFrom,
  BreakerConfigurationError,
  breakerOpenedMessage,
  closeBreaker,
  closeBreakerIfOkFor,
  listBreakerAudit,
  openBreaker,
  OperationsConfigurationError,
  operationsNotifierFromEnvironment,
  readBreaker,
  readBreakerWithAutoClose,
  recordAlarmOk,
} from '../../../../lambdas/lib/breaker';
import { dynamoTargets, useEmulators } from '../../../support';
import { createFixture, type Fixture } from '../../support/fixture';

const COMPOSITE = { name: 'backfill-health', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:backfill-health' };
const CHILDREN = [
  { name: 'backfill-worker-throttles', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:backfill-worker-throttles', state: 'ALARM' },
  { name: 'orders-api-p99-latency', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-api-p99-latency', state: 'ALARM' },
];
const OPEN = { by: `alarm:${COMPOSITE.name}`, reason: 'arn:aws:cloudwatch:...:alarm:backfill-worker-throttles transitioned to ALARM', alarm: COMPOSITE, triggeringAlarms: CHILDREN };

describe.each(dynamoTargets().slice(0, 1))('the breaker record (on %s)', (target) => {
  const env = useEmulators(target);
  let f: Fixture;
  // Each test its own ledger: the breaker is one per ledger.
  beforeEach(async () => {
    f = await createFixture(env());
  });
  const at = () => new Date(f.clock.nowMs()).toISOString();

  it('is CLOSED (version 0) before anything opened it', async () => {
    expect(await readBreaker(f.deps)).toEqual({ state: 'CLOSED', version: 0 });
  });

  describe('openBreaker', () => {
    it('opens it with who, why, the alarm and its triggering child alarms, audited BreakerOpened in the breaker\'s partition', async () => {
      const result = await openBreaker(f.deps, OPEN);

      const breaker = { state: 'OPEN', openedAt: at(), openedBy: OPEN.by, reason: OPEN.reason, alarm: COMPOSITE, triggeringAlarms: CHILDREN, version: 1 };
      expect(result).toEqual({ changed: true, breaker });
      expect(await readBreaker(f.deps)).toEqual(breaker);
      expect(await listBreakerAudit(f.deps)).toEqual([{ type: 'BreakerOpened', at: at(), actor: OPEN.by, detail: { reason: OPEN.reason, alarm: COMPOSITE, triggeringAlarms: CHILDREN } }]);
    });

    it('changes nothing on a breaker already OPEN (changed: false), keeping what first opened it', async () => {
      await openBreaker(f.deps, OPEN);
      const before = await readBreaker(f.deps);
      f.clock.advance(1000);

      const again = await openBreaker(f.deps, { by: 'local:ana', reason: 'second opinion' });

      expect(again).toEqual({ changed: false, breaker: before });
      expect(await readBreaker(f.deps)).toEqual(before);
      expect(await listBreakerAudit(f.deps)).toHaveLength(1);
    });

    it('opens again after a close, forgetting the close', async () => {
      await openBreaker(f.deps, OPEN);
      await closeBreaker(f.deps, { by: 'local:ana', reason: 'fixed' });

      const reopened = await openBreaker(f.deps, { by: 'local:bob', reason: 'not fixed after all' });

      expect(reopened.changed).toBe(true);
      expect(reopened.breaker).toEqual({ state: 'OPEN', openedAt: at(), openedBy: 'local:bob', reason: 'not fixed after all', version: 3 });
    });
  });

  describe('closeBreaker', () => {
    it('closes an OPEN breaker with who and why, audited BreakerClosed', async () => {
      await openBreaker(f.deps, OPEN);
      f.clock.advance(60_000);

      const result = await closeBreaker(f.deps, { by: 'local:ana', reason: 'the orders service recovered' });

      expect(result.changed).toBe(true);
      expect(await readBreaker(f.deps)).toMatchObject({ state: 'CLOSED', closedAt: at(), closedBy: 'local:ana', closeReason: 'the orders service recovered', openedBy: OPEN.by, version: 2 });
      expect((await listBreakerAudit(f.deps)).map((e) => [e.type, e.actor])).toEqual([['BreakerOpened', OPEN.by], ['BreakerClosed', 'local:ana']]);
    });

    it('changes nothing on a CLOSED breaker (changed: false)', async () => {
      expect(await closeBreaker(f.deps, { by: 'local:ana', reason: 'just in case' })).toEqual({ changed: false, breaker: { state: 'CLOSED', version: 0 } });
      expect(await listBreakerAudit(f.deps)).toEqual([]);
    });
  });

  describe('recordAlarmOk and closeBreakerIfOkFor (auto-close)', () => {
    it('records since when the alarm is OK on an OPEN breaker (the first OK counts), audited BreakerAlarmOk; the breaker stays OPEN', async () => {
      await openBreaker(f.deps, OPEN);
      const okAt = at();

      await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: okAt, autoCloseAfterSeconds: 300 });
      f.clock.advance(10_000);
      expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at(), autoCloseAfterSeconds: 300 })).changed).toBe(false);

      expect(await readBreaker(f.deps)).toMatchObject({ state: 'OPEN', okSince: okAt, autoCloseAfterSeconds: 300 });
      expect((await listBreakerAudit(f.deps)).map((e) => e.type)).toEqual(['BreakerOpened', 'BreakerAlarmOk']);
    });

    it('ignores an OK on a CLOSED breaker', async () => {
      expect(await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at() })).toEqual({ changed: false, breaker: { state: 'CLOSED', version: 0 } });
      expect(await listBreakerAudit(f.deps)).toEqual([]);
    });

    it('closes by auto-close only once the alarm has been OK for the delay', async () => {
      await openBreaker(f.deps, OPEN);
      await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at() });

      f.clock.advance(299_999);
      expect((await closeBreakerIfOkFor(f.deps, 300)).changed).toBe(false);
      f.clock.advance(1);
      const closed = await closeBreakerIfOkFor(f.deps, 300);

      expect(closed.changed).toBe(true);
      expect(closed.breaker).toMatchObject({ state: 'CLOSED', closedBy: AUTO_CLOSE_ACTOR });
      expect(closed.breaker.closeReason).toContain('OK since');
    });

    it('forgets the OK when the alarm goes back to ALARM, so auto-close counts from the next OK', async () => {
      await openBreaker(f.deps, OPEN);
      await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at() });
      f.clock.advance(200_000);

      await openBreaker(f.deps, OPEN);
      f.clock.advance(200_000);

      expect((await readBreaker(f.deps)).okSince).toBeUndefined();
      expect((await closeBreakerIfOkFor(f.deps, 300)).changed).toBe(false);
      expect((await readBreaker(f.deps)).state).toBe('OPEN');
    });

    describe('EventBridge delivers at least once and unordered: only an OK later than the last ALARM counts', () => {
      const T = (minute: number) => `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

      it('ignores an OK older than the ALARM that opened the breaker (a late delivery)', async () => {
        await openBreaker(f.deps, { ...OPEN, alarmAt: T(5) });

        expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: T(4), autoCloseAfterSeconds: 0 })).changed).toBe(false);
        expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: T(5), autoCloseAfterSeconds: 0 })).changed).toBe(false);

        expect(await readBreaker(f.deps)).toMatchObject({ state: 'OPEN', alarmAt: T(5) });
        expect((await readBreaker(f.deps)).okSince).toBeUndefined();
        expect((await closeBreakerIfOkFor(f.deps, 0)).changed).toBe(false);
        expect((await listBreakerAudit(f.deps)).map((e) => e.type)).toEqual(['BreakerOpened']);
      });

      it('ignores a repeated OK older than a later ALARM on the breaker already OPEN, and records a newer one', async () => {
        await openBreaker(f.deps, { ...OPEN, alarmAt: T(1) });
        await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: T(2) });
        // The alarm went back to ALARM at 10:03, then the 10:02 OK is delivered again.
        await openBreaker(f.deps, { ...OPEN, alarmAt: T(3) });
        expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: T(2) })).changed).toBe(false);
        expect(await readBreaker(f.deps)).toMatchObject({ state: 'OPEN', alarmAt: T(3) });
        expect((await readBreaker(f.deps)).okSince).toBeUndefined();

        expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: T(4) })).breaker).toMatchObject({ okSince: T(4) });
      });

      it('does not move alarmAt back for a late ALARM', async () => {
        await openBreaker(f.deps, { ...OPEN, alarmAt: T(3) });
        await openBreaker(f.deps, { ...OPEN, alarmAt: T(1) });
        expect((await readBreaker(f.deps)).alarmAt).toBe(T(3));
      });
    });

    it('ignores an alarm\'s OK on a breaker an operator opened (only an operator closes it)', async () => {
      await openBreaker(f.deps, { by: 'local:ana', reason: 'orders deploy' });

      expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at(), autoCloseAfterSeconds: 0 })).changed).toBe(false);

      expect((await readBreaker(f.deps)).okSince).toBeUndefined();
      expect((await closeBreakerIfOkFor(f.deps, 0)).changed).toBe(false);
    });

    it('ignores an OK whose reasonData still lists a child in ALARM', async () => {
      await openBreaker(f.deps, OPEN);
      const stillAlarming = [{ ...CHILDREN[0]!, state: 'OK' }, CHILDREN[1]!];

      expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at(), triggeringAlarms: stillAlarming })).changed).toBe(false);
      expect((await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at(), triggeringAlarms: CHILDREN.map((c) => ({ ...c, state: 'OK' })) })).changed).toBe(true);
    });

    it('with a delay of 0 closes on the OK even when its timestamp is a little ahead of this clock', async () => {
      await openBreaker(f.deps, OPEN);
      await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: new Date(f.clock.nowMs() + 500).toISOString() });

      expect((await closeBreakerIfOkFor(f.deps, 0)).breaker).toMatchObject({ state: 'CLOSED', closedBy: AUTO_CLOSE_ACTOR });
    });

    it('readBreakerWithAutoClose closes a breaker due for auto-close (OK for its recorded delay) and leaves others', async () => {
      await openBreaker(f.deps, OPEN);
      expect(await readBreakerWithAutoClose(f.deps)).toMatchObject({ state: 'OPEN' });
      await recordAlarmOk(f.deps, { alarm: COMPOSITE, at: at(), autoCloseAfterSeconds: 60 });
      f.clock.advance(59_999);
      expect(await readBreakerWithAutoClose(f.deps)).toMatchObject({ state: 'OPEN' });
      f.clock.advance(1);

      expect(await readBreakerWithAutoClose(f.deps)).toMatchObject({ state: 'CLOSED', closedBy: AUTO_CLOSE_ACTOR });
      expect(await readBreaker(f.deps)).toMatchObject({ state: 'CLOSED', closedBy: AUTO_CLOSE_ACTOR });
    });

    it('leaves a breaker that never saw an OK open', async () => {
      await openBreaker(f.deps, OPEN);
      f.clock.advance(86_400_000);
      expect((await closeBreakerIfOkFor(f.deps, 0)).changed).toBe(false);
    });
  });
});

describe('breakerOpenedMessage', () => {
  const breaker = { state: 'OPEN' as const, openedAt: '2026-12-01T10:00:00.000Z', openedBy: OPEN.by, reason: OPEN.reason, alarm: COMPOSITE, triggeringAlarms: CHILDREN, version: 1 };

  it('tells the operator what opened it, which alarms, the runs affected and how to close it and resume', () => {
    const message = breakerOpenedMessage(breaker, 'arn:aws:sns:us-east-1:123456789012:backfill-operations');

    expect(message.TopicArn).toBe('arn:aws:sns:us-east-1:123456789012:backfill-operations');
    expect(message.Subject).toBe('Backfill breaker OPEN: backfill-health');
    for (const text of [
      'opened at 2026-12-01T10:00:00.000Z, opened by alarm:backfill-health',
      `Reason: ${OPEN.reason}`,
      `Alarm: backfill-health (${COMPOSITE.arn})`,
      '  - backfill-worker-throttles (ALARM)',
      '  - orders-api-p99-latency (ALARM)',
      'Every run of this stack is affected',
      'backfill list --status PAUSED',
      "backfill breaker close --reason '<what was fixed>'",
      'backfill resume RUN',
    ]) {
      expect(message.Message).toContain(text);
    }
  });

  it('keeps the subject within SNS\'s 100 printable characters', () => {
    const long = { ...breaker, alarm: { name: `alarm\n${'x'.repeat(200)}` } };
    const { Subject } = breakerOpenedMessage(long, 'arn:aws:sns:us-east-1:1:t');
    expect(Subject!.length).toBeLessThanOrEqual(100);
    expect(Subject).not.toMatch(/[\u0000-\u001f]/u);
  });
});

describe('the breaker\'s configuration', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['300', 300],
  ])('reads BREAKER_AUTO_CLOSE_SECONDS=%p as %p', (value, expected) => {
    expect(autoCloseAfterSecondsFrom(value === undefined ? {} : { BREAKER_AUTO_CLOSE_SECONDS: value })).toBe(expected);
  });

  it.each(['-1', '5m', '1.5'])('refuses BREAKER_AUTO_CLOSE_SECONDS=%s, naming the value and what to do', (value) => {
    expect(() => autoCloseAfterSecondsFrom({ BREAKER_AUTO_CLOSE_SECONDS: value })).toThrow(BreakerConfigurationError);
    expect(() => autoCloseAfterSecondsFrom({ BREAKER_AUTO_CLOSE_SECONDS: value })).toThrow(`must be a whole number of seconds, 0 or more, got '${value}'`);
  });

  it.each([[{}, 'OPERATIONS_TOPIC_ARN is not set'], [{ OPERATIONS_TOPIC_ARN: 'backfill-operations' }, 'must be an SNS topic ARN']])(
    'refuses an operations notifier without a topic ARN (%p)',
    (env, problem) => {
      expect(() => operationsNotifierFromEnvironment(env)).toThrow(OperationsConfigurationError);
      expect(() => operationsNotifierFromEnvironment(env)).toThrow(problem);
    },
  );

  it('builds the notifier on the topic OPERATIONS_TOPIC_ARN names', () => {
    expect(operationsNotifierFromEnvironment({ OPERATIONS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:ops' }).topicArn).toBe('arn:aws:sns:us-east-1:123456789012:ops');
  });
});
