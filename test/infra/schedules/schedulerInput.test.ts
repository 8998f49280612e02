import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseSpec, scheduledRunId, specHash } from '../../../lambdas/lib/spec';
import { validateExecutionInput } from '../../../lambdas/lib/spec/validateExecutionInput';
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

describe('the input a schedule sends, as ValidateSpec reads it', () => {
  it('starts the run of that schedule and scheduled time, by the scheduler, with the spec unchanged', () => {
    // GIVEN the input of one firing, substituted as Scheduler would
    const input = JSON.parse(substituteSchedulerContext(schedulerStartExecutionInput({ name: 'nightly-orders' }, spec), firing));
    // WHEN the workflow's first state validates it (the execution name is Scheduler's, not the runId)
    const validated = validateExecutionInput(input, 'c0ffee00-1111-4222-8333-444455556666');
    // THEN
    expect(validated.runId).toBe('nightly-orders-2026-12-01T06-00-00Z');
    expect(validated.runId).toBe(scheduledRunId('nightly-orders', firing.scheduledTime));
    expect(validated.startedBy).toBe('scheduler:nightly-orders');
    expect(validated.specHash).toBe(specHash(spec));
  });

  it('names the same run for a retry of the same firing (another attempt and execution id)', () => {
    const text = schedulerStartExecutionInput({ name: 'nightly-orders' }, spec);
    const runIdOf = (invocation: typeof firing, executionName: string) => validateExecutionInput(JSON.parse(substituteSchedulerContext(text, invocation)), executionName).runId;
    expect(runIdOf({ ...firing, attemptNumber: 2, executionId: 'retry-2' }, 'exec-2')).toBe(runIdOf(firing, 'exec-1'));
    expect(runIdOf({ ...firing, scheduledTime: '2026-12-02T06:00:00Z' }, 'exec-3')).toBe('nightly-orders-2026-12-02T06-00-00Z');
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
