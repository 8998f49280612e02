export { startStepFunctionsServer } from './startStepFunctionsServer';
export {
  DuplicateStateMachineError,
  ExecutionAlreadyExistsError,
  ExecutionDoesNotExistError,
  InvalidArnError,
  InvalidExecutionInputError,
  InvalidNameError,
  InvalidTokenError,
  ResourceNotFoundError,
  SerializationError,
  StateDirUnreadableError,
  StateMachineDoesNotExistError,
  StepFunctionsApiError,
  UnknownOperationError,
  ValidationError,
} from './errors';
export type { ExecutionStatusChangeEvent, LocalStateMachine, StepFunctionsServer, StepFunctionsServerOptions } from './types';
