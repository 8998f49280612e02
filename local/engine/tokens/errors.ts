/**
 * Errors of the task-token service, named exactly like the Step Functions API's error codes
 * (`SendTaskSuccess`, `SendTaskFailure`, `SendTaskHeartbeat`), so a local API server can return
 * `name` as the error `__type` unchanged and SDK clients see what AWS would send.
 */
import { EngineError } from '../errors';

/** Base class: a SendTask* request the service refuses. `name` is the AWS error code. */
export class TaskTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TaskTokenError';
  }
}

/** The token has the right form but this service never issued it (AWS: `TaskDoesNotExist`). */
export class TaskDoesNotExistError extends TaskTokenError {
  constructor(readonly taskToken: string) {
    super(`No task has the token ${abbreviate(taskToken)}; use the token from $$.Task.Token of a running execution of this local engine`);
    this.name = 'TaskDoesNotExist';
  }
}

/**
 * The task of this token is closed: it already got SendTaskSuccess or SendTaskFailure, timed out,
 * failed, or its execution ended or was stopped. AWS answers `TaskTimedOut` for all of these.
 */
export class TaskTimedOutError extends TaskTokenError {
  constructor(
    readonly taskToken: string,
    /** Undefined once the closed token's details have been forgotten (see TaskTokensOptions.closedTokensKept). */
    readonly stateName: string | undefined,
    readonly reason: string,
  ) {
    super(`The task ${stateName !== undefined ? `of state ${stateName} ` : ''}with token ${abbreviate(taskToken)} is closed (${reason}); a token answers once, while its task waits`);
    this.name = 'TaskTimedOut';
  }
}

/** The token is not of the form this service issues (AWS: `InvalidToken`). */
export class InvalidTokenError extends TaskTokenError {
  constructor(readonly taskToken: string, detail: string) {
    super(`The task token ${abbreviate(taskToken)} is not valid: ${detail}; pass $$.Task.Token unchanged`);
    this.name = 'InvalidToken';
  }
}

/** SendTaskSuccess `output` is not JSON, or larger than 256 KiB (AWS: `InvalidOutput`). */
export class InvalidOutputError extends TaskTokenError {
  constructor(detail: string) {
    super(`The task output is not valid: ${detail}; send a JSON text of at most 262,144 UTF-8 bytes`);
    this.name = 'InvalidOutput';
  }
}

/** A field outside the API's length limits (AWS checks these before anything else: `ValidationException`). */
export class TaskTokenValidationError extends TaskTokenError {
  constructor(detail: string) {
    super(detail);
    this.name = 'ValidationException';
  }
}

/** A definition waits for task tokens but `runExecution` got no `taskTokens` to answer them with. */
export class TaskTokensRequiredError extends EngineError {
  constructor(readonly state: string) {
    super(
      `State ${state} waits for a task token (.waitForTaskToken), but runExecution got no taskTokens; ` +
        'pass taskTokens: new TaskTokens() and answer with its sendTaskSuccess / sendTaskFailure',
    );
    this.name = 'TaskTokensRequiredError';
  }
}

// Tokens are secrets of a sort (they complete a task): messages show only their start.
function abbreviate(taskToken: string): string {
  return taskToken.length > 16 ? `${JSON.stringify(taskToken.slice(0, 12))}...` : JSON.stringify(taskToken);
}
