/**
 * The runId of a run a schedule started for one scheduled time: the schedule's name and the time
 * Scheduler says it was due (`<aws.scheduler.scheduled-time>`), with every character an execution
 * name may not hold replaced by `-`. A retried or duplicated invocation for the same time lands on
 * the same run.
 * @example
 *   scheduledRunId('nightly-orders', '2026-12-01T06:00:00Z'); // 'nightly-orders-2026-12-01T06-00-00Z'
 */
export function scheduledRunId(name: string, scheduledTime: string): string {
  return `${name}-${scheduledTime}`.replace(/[^A-Za-z0-9_-]/g, '-');
}
