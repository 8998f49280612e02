export { SpecSchema, S3JsonlSourceSchema, TargetSchema, DEFAULT_ON_FAILURE, DEFAULT_PAUSE_TIMEOUT_SECONDS, type Spec, type SpecInput } from './SpecSchema';
export { RolloutSchema, ValidationSchema, ApprovalSchema, type Rollout, type Validation, type Approval } from './stagingSchemas';
export { parseSpec, specHash, type ParseSpecOptions } from './parseSpec';
export { parseSpecText } from './parseSpecText';
export { SpecError, InvalidSpecError, SpecTextError, type SpecProblem } from './errors';
export { scheduledRunId } from './scheduledRunId';
export { personOf } from './personOf';
export { readExecutionInputFields, type ExecutionInputFields, type ScheduledStart } from './ExecutionInputFields';
