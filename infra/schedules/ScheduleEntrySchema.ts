import { z } from 'zod';
import { scheduleExpressionProblem } from './scheduleExpressionProblem';
import { timeZoneProblem } from './timeZoneProblem';

// A scheduled run's id is `${name}-${scheduled time}` (20 characters once sanitised, e.g.
// 2026-12-01T06-00-00Z) and a runId is at most 80 of A-Z a-z 0-9 _ - (an execution name).
const NAME = /^[A-Za-z0-9_-]{1,59}$/;
const WINDOW = 'must be a whole number of minutes, 1–1440';

/** A string checked by a rule that says what is wrong. */
const checkedBy = (problemOf: (value: string) => string | undefined) =>
  z.string().check((ctx) => {
    const problem = problemOf(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  });

/** The fields of one entry of the `schedules` setting, as cdk.json holds them. */
export const ScheduleEntrySchema = z
  .object({
    /** The schedule's name in its group, and the prefix of its runs' ids. */
    name: z.string().regex(NAME, 'must be 1–59 of A-Z a-z 0-9 _ - (the runId is the name, "-" and the scheduled time, at most 80 characters)'),
    /** When it fires: `rate(...)`, `cron(...)` or `at(...)`. */
    expression: checkedBy(scheduleExpressionProblem),
    /** The IANA time zone of a cron or at expression. */
    timezone: checkedBy(timeZoneProblem).optional(),
    /** The spec file, relative to the repository root. */
    specFile: z.string().min(1, 'must name a spec file'),
    /** How late Scheduler may fire, spreading load. */
    flexibleWindowMinutes: z.number({ error: WINDOW }).int(WINDOW).min(1, WINDOW).max(1440, WINDOW).optional(),
  })
  .strict();

export type ScheduleEntry = z.infer<typeof ScheduleEntrySchema>;
