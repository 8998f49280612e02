import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidSpecError, scheduledRunId } from '../../../../lambdas/lib/spec';
import { validateExecutionInput } from '../../../../lambdas/lib/spec/validateExecutionInput';

const spec = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'examples', 'orders-spec.json'), 'utf8')) as Record<string, unknown>;

describe('validateExecutionInput and the optional top-level runId', () => {
  it('uses the execution name as the runId when the input names none', () => {
    expect(validateExecutionInput(spec, 'exec-1').runId).toBe('exec-1');
  });

  it('resumes the run the input names, with the same specHash as the spec alone', () => {
    // GIVEN a new execution (names are never reused on AWS) whose input names the failed run
    const plain = validateExecutionInput(spec, 'orders-fix');
    const resumed = validateExecutionInput({ ...spec, runId: 'orders-fix' }, 'orders-fix-resume-1');
    // THEN it targets that run, and the spec hash matches so StartRun accepts the resume
    expect(resumed.runId).toBe('orders-fix');
    expect(resumed.specHash).toBe(plain.specHash);
  });

  it('refuses a runId that is not an execution name, naming the field', () => {
    expect(() => validateExecutionInput({ ...spec, runId: 'has spaces' }, 'x')).toThrow(InvalidSpecError);
    expect(() => validateExecutionInput({ ...spec, runId: 7 }, 'x')).toThrow(/runId: must be 1–80/);
  });
});

describe('validateExecutionInput: startedBy, schedule and executionArn, none of them part of the spec', () => {
  const executionArn = 'arn:aws:states:us-east-1:000000000000:execution:Backfill:exec-1';
  const schedule = { name: 'nightly-orders', scheduledTime: '2026-12-01T06:00:00Z' };

  it('passes on who started it and the execution ARN, with the spec hash of the spec alone', () => {
    const plain = validateExecutionInput(spec, 'exec-1');
    const result = validateExecutionInput({ ...spec, startedBy: 'local:ana' }, 'exec-1', executionArn);
    expect(result).toMatchObject({ runId: 'exec-1', startedBy: 'local:ana', executionArn, scheduled: null, specHash: plain.specHash });
    expect(plain).toMatchObject({ startedBy: null, executionArn: null, scheduled: null });
  });

  it('derives the runId of a scheduled input from the schedule name and scheduled time, not the execution name', () => {
    const result = validateExecutionInput({ ...spec, schedule, startedBy: 'scheduler:nightly-orders' }, 'c0ffee-scheduler-execution');
    expect(result.runId).toBe('nightly-orders-2026-12-01T06-00-00Z');
    expect(result.runId).toBe(scheduledRunId(schedule.name, schedule.scheduledTime));
    expect(result.scheduled).toEqual(schedule);
    expect(result.specHash).toBe(validateExecutionInput(spec, 'x').specHash);
  });

  it('lets a runId in the input win over the schedule (a resume), and then does not treat it as a scheduled start', () => {
    const result = validateExecutionInput({ ...spec, schedule, runId: 'nightly-orders-2026-12-01T06-00-00Z' }, 'resume-1');
    expect(result).toMatchObject({ runId: 'nightly-orders-2026-12-01T06-00-00Z', scheduled: null });
  });

  it.each([
    [{ startedBy: '' }, 'startedBy', 'must be a string of 1–2048 characters'],
    [{ startedBy: 'x'.repeat(2049) }, 'startedBy', 'must be a string of 1–2048 characters'],
    [{ startedBy: 42 }, 'startedBy', 'got 42'],
    [{ schedule: 'nightly' }, 'schedule', 'must be an object { "name", "scheduledTime" }, got "nightly"'],
    [{ schedule: { ...schedule, name: 'has spaces' } }, 'schedule.name', 'got "has spaces"'],
    [{ schedule: { ...schedule, scheduledTime: 'tomorrow' } }, 'schedule.scheduledTime', 'must be an ISO 8601 time such as "2026-12-01T06:00:00Z"'],
    [{ schedule: { ...schedule, attempt: 2 } }, 'schedule', 'unknown field "attempt"'],
    [{ schedule: { ...schedule, name: 'n'.repeat(64) } }, 'schedule', 'more than the 80 an execution name may have'],
  ])('refuses %j, naming %s and the value seen', (extra, field, message) => {
    const error = (() => {
      try {
        validateExecutionInput({ ...spec, ...extra }, 'exec-1');
      } catch (e) {
        return e as InvalidSpecError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect(error.problems.map((p) => p.field)).toEqual([field]);
    expect(error.message).toContain(message);
  });

  it('names a bad top-level field and bad spec fields together', () => {
    expect(() => validateExecutionInput({ ...spec, startedBy: '', batchSize: 0 }, 'exec-1')).toThrow(/startedBy[\s\S]*spec\.batchSize/);
  });
});

describe('validateExecutionInput before the run is named', () => {
  it('validates the spec when no execution name is known yet (the local CLI names the run from the spec hash after)', () => {
    expect(validateExecutionInput(spec, '')).toMatchObject({ runId: '', scheduled: null });
  });
});
