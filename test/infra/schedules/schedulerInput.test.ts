import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSpec } from '../../../lambdas/lib/spec';
import { REPO_ROOT } from '../../../infra/paths';
import { SCHEDULER_CONTEXT, SchedulerContextError, schedulerStartExecutionInput, substituteSchedulerContext } from '../../../infra/schedules';

const spec = parseSpec(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples/orders-spec.json'), 'utf8')));
const firing = { scheduledTime: '2026-12-01T06:00:00Z', executionId: 'a1b2c3d4-0000-4000-8000-000000000001', attemptNumber: 1 };

describe('schedulerStartExecutionInput', () => {
  it('is the spec plus the schedule (with Scheduler\'s scheduled-time attribute) and who started it', () => {
    // WHEN
    const input = schedulerStartExecutionInput({ name: 'nightly-orders' }, spec);
    // THEN
    expect(JSON.parse(input)).toEqual({
      ...spec,
      schedule: { name: 'nightly-orders', scheduledTime: '<aws.scheduler.scheduled-time>' },
      startedBy: 'scheduler:nightly-orders',
    });
    expect(SCHEDULER_CONTEXT.scheduledTime).toBe('<aws.scheduler.scheduled-time>');
  });

  it('is the same text for the same schedule and spec (the template does not change between synths)', () => {
    expect(schedulerStartExecutionInput({ name: 'n' }, spec)).toBe(schedulerStartExecutionInput({ name: 'n' }, { ...spec }));
  });
});

describe('substituteSchedulerContext', () => {
  it('replaces every context attribute as Scheduler does, leaving valid JSON', () => {
    // GIVEN
    const text = schedulerStartExecutionInput({ name: 'nightly-orders' }, spec);
    // WHEN
    const input = JSON.parse(substituteSchedulerContext(text, firing)) as Record<string, unknown>;
    // THEN
    expect(input.schedule).toEqual({ name: 'nightly-orders', scheduledTime: '2026-12-01T06:00:00Z' });
    expect(input.startedBy).toBe('scheduler:nightly-orders');
  });

  it('substitutes the execution id and the attempt number wherever they appear', () => {
    const text = '{"id":"<aws.scheduler.execution-id>","attempt":<aws.scheduler.attempt-number>,"again":"<aws.scheduler.execution-id>"}';
    expect(JSON.parse(substituteSchedulerContext(text, { ...firing, attemptNumber: 3 }))).toEqual({ id: firing.executionId, attempt: 3, again: firing.executionId });
  });

  it.each([
    ['a time with an offset', { scheduledTime: '2026-12-01T07:00:00+01:00' }, 'scheduledTime must be a UTC time with whole seconds as Scheduler sends it, e.g. 2026-12-01T06:00:00Z, got "2026-12-01T07:00:00+01:00"'],
    ['a time with milliseconds', { scheduledTime: '2026-12-01T06:00:00.000Z' }, 'scheduledTime must be a UTC time with whole seconds'],
    ['a time on no real day', { scheduledTime: '2026-02-30T06:00:00Z' }, 'scheduledTime must be a UTC time with whole seconds'],
    ['an execution id that would break the JSON', { executionId: 'a"b' }, 'executionId must be 1–128 of A-Z a-z 0-9 _ -, got "a\\"b"'],
    ['an attempt number of zero', { attemptNumber: 0 }, 'attemptNumber must be a whole number from 1 to 186, got 0'],
  ])('refuses %s', (_what, change, message) => {
    expect(() => substituteSchedulerContext('{}', { ...firing, ...change })).toThrow(SchedulerContextError);
    expect(() => substituteSchedulerContext('{}', { ...firing, ...change })).toThrow(message);
  });

  it('refuses a context attribute it does not know, naming the ones it does', () => {
    expect(() => substituteSchedulerContext('{"arn":"<aws.scheduler.schedule-arn>"}', firing)).toThrow(
      'the input uses <aws.scheduler.schedule-arn>, which is not substituted here; supported: <aws.scheduler.scheduled-time>, <aws.scheduler.execution-id>, <aws.scheduler.attempt-number>',
    );
  });
});
