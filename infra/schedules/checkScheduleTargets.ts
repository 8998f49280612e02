import { InvalidSchedulesError, type ScheduleProblem } from './errors';
import type { ScheduleDefinition } from './readSchedules';

/**
 * Refuses schedules whose spec writes a table the stack grants no writes on: every run would
 * fail at its first batch with AccessDenied; synth fails instead, naming the schedule.
 *
 * @param writableTableNames the tables the backfill functions may write (targetTableNames and the demo table)
 * @throws InvalidSchedulesError naming each schedule, its spec file and the table.
 * @example
 *   checkScheduleTargets(schedules, ['order-summaries']);
 */
export function checkScheduleTargets(schedules: readonly ScheduleDefinition[], writableTableNames: readonly string[]): void {
  const problems: ScheduleProblem[] = schedules
    .map((schedule, index) => ({ schedule, index }))
    .filter(({ schedule }) => !writableTableNames.includes(schedule.spec.target.tableName))
    .map(({ schedule, index }) => ({
      schedule: schedule.name,
      field: 'specFile',
      where: `schedules[${index}] ${JSON.stringify(schedule.name)}`,
      message: `${schedule.specFile} writes the table ${JSON.stringify(schedule.spec.target.tableName)}, which the stack may not write (targetTableNames: ${writableTableNames.join(', ')}); add the table to targetTableNames or fix spec.target.tableName`,
    }));
  if (problems.length > 0) throw new InvalidSchedulesError(problems);
}
