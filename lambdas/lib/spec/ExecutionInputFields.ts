import type { SpecProblem } from './errors';
import { scheduledRunId } from './scheduledRunId';

/** The schedule that fired an execution, as EventBridge Scheduler's input carries it. */
export interface ScheduledStart {
  readonly name: string;
  /** ISO 8601, as `<aws.scheduler.scheduled-time>`, e.g. `2026-12-01T06:00:00Z`. */
  readonly scheduledTime: string;
}

/** The execution input's fields that are not part of the spec (nor of its hash). */
export interface ExecutionInputFields {
  readonly runId: string;
  /** Who started the execution, when the input says. */
  readonly startedBy?: string;
  /** Set when the runId was derived from the schedule (the input named no runId). */
  readonly scheduled?: ScheduledStart;
}

const RUN_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** EventBridge Scheduler's schedule names. */
const SCHEDULE_NAME = /^[0-9A-Za-z_.-]{1,64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const STARTED_BY_CHARS = 2048;

const shown = (value: unknown): string => (value === undefined ? 'nothing' : cut(JSON.stringify(value) ?? String(value)));
const cut = (text: string): string => (text.length <= 100 ? text : `${text.slice(0, 99)}…`);

/**
 * Reads `runId`, `startedBy` and `schedule` off an execution input (already split from the spec):
 * the runId is the input's `runId`, else `scheduledRunId(schedule)`, else the execution name.
 * @returns the fields, or the problems naming each bad one.
 * @example
 *   readExecutionInputFields({ schedule: { name: 'nightly', scheduledTime: '2026-12-01T06:00:00Z' } }, 'e-1');
 *   // { fields: { runId: 'nightly-2026-12-01T06-00-00Z', scheduled: { name: 'nightly', scheduledTime: '2026-12-01T06:00:00Z' } }, problems: [] }
 */
export function readExecutionInputFields(raw: Readonly<Record<string, unknown>>, executionName: string): { fields: ExecutionInputFields; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const { runId, startedBy, schedule } = raw;
  if (runId !== undefined && (typeof runId !== 'string' || !RUN_ID.test(runId))) {
    problems.push({ field: 'runId', message: `must be 1–80 of A-Z a-z 0-9 _ - (an execution name), got ${shown(runId)}; name the run to start or resume, or leave runId out` });
  }
  if (startedBy !== undefined && (typeof startedBy !== 'string' || startedBy.length < 1 || startedBy.length > STARTED_BY_CHARS)) {
    problems.push({ field: 'startedBy', message: `must be a string of 1–${STARTED_BY_CHARS} characters (who starts the run, e.g. an IAM ARN), got ${shown(startedBy)}; set it or leave it out` });
  }
  const scheduled = schedule === undefined ? undefined : readSchedule(schedule, problems);
  if (problems.length > 0) return { fields: { runId: executionName }, problems };
  const fields = {
    runId: typeof runId === 'string' ? runId : scheduled ? scheduledRunId(scheduled.name, scheduled.scheduledTime) : executionName,
    ...(typeof startedBy === 'string' ? { startedBy } : {}),
    ...(scheduled && runId === undefined ? { scheduled } : {}),
  };
  // Only a runId derived from the schedule is checked here: the execution name is one already.
  if (fields.scheduled && !RUN_ID.test(fields.runId)) {
    problems.push({
      field: 'schedule',
      message: `gives the run id "${fields.runId}" (${fields.runId.length} characters), more than the 80 an execution name may have; use a shorter schedule name`,
    });
  }
  return { fields, problems };
}

function readSchedule(schedule: unknown, problems: SpecProblem[]): ScheduledStart | undefined {
  if (typeof schedule !== 'object' || schedule === null || Array.isArray(schedule)) {
    problems.push({ field: 'schedule', message: `must be an object { "name", "scheduledTime" }, got ${shown(schedule)}; the schedule's target input sets it` });
    return undefined;
  }
  const { name, scheduledTime, ...rest } = schedule as Record<string, unknown>;
  const before = problems.length;
  if (typeof name !== 'string' || !SCHEDULE_NAME.test(name)) {
    problems.push({ field: 'schedule.name', message: `must be a schedule name (1–64 of A-Z a-z 0-9 _ . -), got ${shown(name)}` });
  }
  if (typeof scheduledTime !== 'string' || !ISO_TIME.test(scheduledTime) || Number.isNaN(Date.parse(scheduledTime))) {
    problems.push({
      field: 'schedule.scheduledTime',
      message: `must be an ISO 8601 time such as "2026-12-01T06:00:00Z" (Scheduler's <aws.scheduler.scheduled-time>), got ${shown(scheduledTime)}`,
    });
  }
  const unknown = Object.keys(rest);
  if (unknown.length > 0) problems.push({ field: 'schedule', message: `has unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; only name and scheduledTime` });
  return problems.length === before ? { name: name as string, scheduledTime: scheduledTime as string } : undefined;
}
