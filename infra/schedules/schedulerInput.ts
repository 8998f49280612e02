import type { Spec } from '../../lambdas/lib/spec';
import { SchedulerContextError } from './errors';

/** The context attributes EventBridge Scheduler substitutes in a target's input before each invocation. */
export const SCHEDULER_CONTEXT = {
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

/** The values Scheduler substitutes for one invocation. */
export interface SchedulerInvocation {
  /** When the schedule fired, as Scheduler writes it: UTC, whole seconds, e.g. `2026-12-01T06:00:00Z`. */
  readonly scheduledTime: string;
  readonly executionId: string;
  /** 1 for the first attempt, then one more per retry. */
  readonly attemptNumber: number;
}

/**
 * The execution input a schedule's StartExecution call carries (the `Input` string of the
 * Scheduler target): the spec, the schedule's name with Scheduler's scheduled-time attribute, and
 * who started it. The workflow derives the runId from the name and the scheduled time, so a retried
 * or duplicated invocation for one scheduled time resumes that run instead of starting another.
 * (The execution name cannot carry it: Scheduler substitutes text only, and names refuse `:`.)
 *
 * @example
 *   schedulerStartExecutionInput({ name: 'nightly-orders' }, spec);
 *   // '{"jobName":…,"schedule":{"name":"nightly-orders","scheduledTime":"<aws.scheduler.scheduled-time>"},"startedBy":"scheduler:nightly-orders"}'
 */
export function schedulerStartExecutionInput(schedule: { readonly name: string }, spec: Spec): string {
  return JSON.stringify({
    ...spec,
    schedule: { name: schedule.name, scheduledTime: SCHEDULER_CONTEXT.scheduledTime },
    startedBy: `scheduler:${schedule.name}`,
  });
}

const SCHEDULER_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const EXECUTION_ID = /^[A-Za-z0-9_-]{1,128}$/;
// Scheduler tries once and retries at most 185 times.
const MAX_ATTEMPTS = 186;

/**
 * Substitutes Scheduler's context attributes in a target input, as Scheduler does before it calls
 * the target: what `backfill schedule fire` sends, so a local firing starts exactly what the
 * schedule would. The values are checked to be ones Scheduler could send (the scheduled time
 * decides the runId: `2026-12-01T07:00:00+01:00` must not make another run than `…06:00:00Z`).
 *
 * @throws SchedulerContextError for a value Scheduler would not send, or an attribute left unsubstituted.
 * @example
 *   substituteSchedulerContext(input, { scheduledTime: '2026-12-01T06:00:00Z', executionId: 'local-1', attemptNumber: 1 });
 */
export function substituteSchedulerContext(text: string, invocation: SchedulerInvocation): string {
  checkInvocation(invocation);
  const substituted = text
    .replaceAll(SCHEDULER_CONTEXT.scheduledTime, invocation.scheduledTime)
    .replaceAll(SCHEDULER_CONTEXT.executionId, invocation.executionId)
    .replaceAll(SCHEDULER_CONTEXT.attemptNumber, String(invocation.attemptNumber));
  const left = /<aws\.scheduler\.[^>]*>/.exec(substituted);
  if (left) {
    throw new SchedulerContextError(left[0], `the input uses ${left[0]}, which is not substituted here; supported: ${Object.values(SCHEDULER_CONTEXT).join(', ')}`);
  }
  return substituted;
}

function checkInvocation({ scheduledTime, executionId, attemptNumber }: SchedulerInvocation): void {
  // A real instant that prints back as written (no 2026-02-30).
  const isSchedulerTime = SCHEDULER_TIME.test(scheduledTime) && !Number.isNaN(Date.parse(scheduledTime)) && new Date(scheduledTime).toISOString() === scheduledTime.replace('Z', '.000Z');
  if (!isSchedulerTime) {
    throw new SchedulerContextError('scheduledTime', `scheduledTime must be a UTC time with whole seconds as Scheduler sends it, e.g. 2026-12-01T06:00:00Z, got ${JSON.stringify(scheduledTime)}`);
  }
  if (!EXECUTION_ID.test(executionId)) {
    throw new SchedulerContextError('executionId', `executionId must be 1–128 of A-Z a-z 0-9 _ -, got ${JSON.stringify(executionId)}`);
  }
  if (!Number.isInteger(attemptNumber) || attemptNumber < 1 || attemptNumber > MAX_ATTEMPTS) {
    throw new SchedulerContextError('attemptNumber', `attemptNumber must be a whole number from 1 to ${MAX_ATTEMPTS}, got ${String(attemptNumber)}`);
  }
}
