/**
 * Errors of the local Step Functions API. Each class's `name` is the AWS error code the API
 * answers with (`__type` and `x-amzn-errortype`), so SDK clients and the AWS CLI see what AWS
 * would send; the message says what was wrong, the value seen and what to do.
 */

/** Base class: a request the local Step Functions API refuses; `name` is the AWS error code. */
export class StepFunctionsApiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StepFunctionsApiError';
  }
}

/** An ARN that is not of the form the operation expects. */
export class InvalidArnError extends StepFunctionsApiError {
  constructor(
    readonly field: string,
    readonly value: string,
    expected: string,
  ) {
    super(`${field} ${JSON.stringify(value)} is not a valid ARN: expected ${expected}`);
    this.name = 'InvalidArn';
  }
}

export class StateMachineDoesNotExistError extends StepFunctionsApiError {
  constructor(
    readonly stateMachineArn: string,
    registered: readonly string[],
  ) {
    super(`State Machine Does Not Exist: '${stateMachineArn}'; the local cloud serves ${registered.join(', ')} (see ListStateMachines)`);
    this.name = 'StateMachineDoesNotExist';
  }
}

export class ExecutionDoesNotExistError extends StepFunctionsApiError {
  constructor(readonly executionArn: string) {
    super(`Execution Does Not Exist: '${executionArn}'; use an executionArn from StartExecution or ListExecutions`);
    this.name = 'ExecutionDoesNotExist';
  }
}

/** A name in use by a closed execution, or by an open one with another input. */
export class ExecutionAlreadyExistsError extends StepFunctionsApiError {
  constructor(
    readonly executionArn: string,
    reason: string,
  ) {
    super(`Execution Already Exists: '${executionArn}' (${reason}); start it with another name`);
    this.name = 'ExecutionAlreadyExists';
  }
}

/** An execution name outside AWS's rules (1-80 characters, none of the forbidden ones). */
export class InvalidNameError extends StepFunctionsApiError {
  constructor(
    readonly executionName: string,
    problem: string,
  ) {
    super(`Invalid Name: ${JSON.stringify(executionName)} ${problem}; use 1-80 letters, digits, '-', '_' or '.'`);
    this.name = 'InvalidName';
  }
}

/** An execution input that is not JSON or is over 256 KiB. */
export class InvalidExecutionInputError extends StepFunctionsApiError {
  constructor(problem: string) {
    super(`Invalid State Machine Execution Input: ${problem}; pass a JSON text of at most 262,144 UTF-8 bytes`);
    this.name = 'InvalidExecutionInput';
  }
}

/** An unknown Map Run. */
export class ResourceNotFoundError extends StepFunctionsApiError {
  constructor(readonly resourceArn: string) {
    super(`Resource Not Found: '${resourceArn}'; use a mapRunArn from ListMapRuns`);
    this.name = 'ResourceNotFound';
  }
}

/** A bad or missing request field (what AWS's request validation answers). */
export class ValidationError extends StepFunctionsApiError {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

/** A `nextToken` this server did not hand out, or one from another query. */
export class InvalidTokenError extends StepFunctionsApiError {
  constructor(readonly nextToken: string) {
    super(`Invalid Token: the nextToken ${JSON.stringify(nextToken.slice(0, 40))} was not returned by this query; pass the nextToken of the previous page unchanged, with the same other fields`);
    this.name = 'InvalidToken';
  }
}

/** The request body is not a JSON object. */
export class SerializationError extends StepFunctionsApiError {
  constructor(problem: string) {
    super(`The request body is not valid: ${problem}; send a JSON object (Content-Type: application/x-amz-json-1.0)`);
    this.name = 'SerializationException';
  }
}

/** An `X-Amz-Target` this server does not serve. */
export class UnknownOperationError extends StepFunctionsApiError {
  constructor(target: string | undefined, supported: readonly string[]) {
    super(
      `${target ? `Unknown operation ${JSON.stringify(target)}` : 'No X-Amz-Target header'}: the local Step Functions API serves ` +
        `AWSStepFunctions.{${supported.join(', ')}}`,
    );
    this.name = 'UnknownOperationException';
  }
}

/** The state dir holds a file this server cannot read back (damaged, or not written by it). */
export class StateDirUnreadableError extends Error {
  constructor(
    readonly path: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot read the kept Step Functions executions: ${path} ${reason}; move that execution's folder away to start without it`, options);
    this.name = 'StateDirUnreadableError';
  }
}

/** Two state machines given to the server share a name (and so an ARN). */
export class DuplicateStateMachineError extends Error {
  constructor(readonly stateMachineName: string) {
    super(`two state machines are named ${stateMachineName}: each needs its own name, which is its ARN's last part`);
    this.name = 'DuplicateStateMachineError';
  }
}
