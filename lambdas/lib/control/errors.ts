/** Base class of the operator controls' refusals; `statusCode` is the HTTP status the endpoint answers with. */
export class ControlError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ControlError';
  }
}

/** The request is not a control request: wrong method or path, too large, not JSON, or a body that is not one. */
export class BadControlRequestError extends ControlError {
  constructor(readonly problem: string, statusCode = 400) {
    super(`Control request refused: ${problem}; send POST /controls with {"action":"pause"|"resume"|"abort"|"breaker-open"|"breaker-close","runId":"...","reason":"..."} (backfill pause / resume / abort / breaker does)`, statusCode);
    this.name = 'BadControlRequestError';
  }
}

/** No caller was named: on AWS the Function URL's AuthType must be AWS_IAM (its authorizer names the caller). */
export class UnauthenticatedControlCallerError extends ControlError {
  constructor() {
    super('Control request refused: it names no caller (no IAM identity); call the endpoint SigV4-signed (backfill pause / resume / abort / breaker do), through the stack\'s AWS_IAM Function URL', 403);
    this.name = 'UnauthenticatedControlCallerError';
  }
}

/** A PAUSED run's workflow no longer waits for an operator (its wait timed out, or its execution ended): nothing was changed. */
export class RunNoLongerWaitsError extends ControlError {
  constructor(readonly runId: string, executionArn: string | undefined) {
    super(
      `Run ${runId} is PAUSED but its workflow no longer waits for an operator (the wait timed out or execution ${executionArn ?? '(unknown)'} ended); nothing was changed. ` +
        `\`backfill status ${runId}\` shows how it ended; \`backfill resume ${runId}\` again once it is marked, or roll it back`,
      409,
    );
    this.name = 'RunNoLongerWaitsError';
  }
}
