export { readSchedules, type ScheduleDefinition } from './readSchedules';
export { checkScheduleTargets } from './checkScheduleTargets';
export { SCHEDULER_CONTEXT, schedulerStartExecutionInput, substituteSchedulerContext, type SchedulerInvocation } from './schedulerInput';
export { ScheduleEntrySchema, type ScheduleEntry } from './ScheduleEntrySchema';
export { InvalidSchedulesError, SchedulerContextError, type ScheduleProblem } from './errors';
