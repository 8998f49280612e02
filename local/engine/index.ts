export { loadDefinition, loadDefinitionText } from './loadDefinition';
export { runExecution } from './runExecution';
export { localNestedExecutions, type NestedMachine, type NestedExecutionOptions } from './localNestedExecutions';
export { LOCAL_ACCOUNT, LOCAL_REGION, stateMachineArn } from './arns';
export { LOCAL_MAX_CONCURRENCY } from './distributed/mapRunConfig';
export {
  EngineError,
  EventCallbackError,
  MapRunValidationError,
  MissingPlaceholderError,
  MissingTaskHandlerError,
  NestedExecutionsRequiredError,
  UnsupportedDefinitionError,
  type MissingHandler,
} from './errors';
export { TaskTokens, type TaskTokensOptions } from './tokens/TaskTokens';
export { systemTimers, type TaskTimers } from './tokens/TaskTimers';
export {
  InvalidOutputError,
  InvalidTokenError,
  TaskDoesNotExistError,
  TaskTimedOutError,
  TaskTokenError,
  TaskTokensRequiredError,
  TaskTokenValidationError,
} from './tokens/errors';
export type {
  AslDefinition,
  AslState,
  ChildExecutionStats,
  ChildExecutionType,
  EngineEvent,
  ExecutionOutcome,
  ExecutionStats,
  ExecutionStatus,
  HistoryEventBody,
  LiveMapRun,
  MapRunCounts,
  MapRunDescription,
  MapRunUpdate,
  MapRunProgress,
  MapRunSummary,
  NestedExecutionEnd,
  NestedExecutionRequest,
  NestedExecutions,
  PayloadLocation,
  RunExecutionOptions,
  TaskHandler,
} from './types';
