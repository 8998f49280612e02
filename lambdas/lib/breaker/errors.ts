/** Base class of the breaker's errors. */
export class BreakerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BreakerError';
  }
}

/** A paused run cannot resume while the breaker is open: the gate would shut again at once. */
export class BreakerOpenError extends BreakerError {
  constructor(
    readonly runId: string,
    readonly openedBy: string | undefined,
    readonly reason: string | undefined,
    readonly openedAt: string | undefined,
  ) {
    super(
      `Run ${runId} cannot resume: the breaker is OPEN (opened by ${openedBy ?? 'unknown'}${openedAt ? ` at ${openedAt}` : ''}: ${reason ?? 'no reason recorded'}); ` +
        "close it first: backfill breaker close --reason '...', then resume the run",
    );
    this.name = 'BreakerOpenError';
  }
}

/** The function lacks OPERATIONS_TOPIC_ARN (or it is malformed): the stack sets it with the operations:notify grant. */
export class OperationsConfigurationError extends BreakerError {
  constructor(problem: string) {
    super(`Operations notifications are not configured: ${problem}; redeploy the stack (it sets OPERATIONS_TOPIC_ARN on functions with the operations:notify grant)`);
    this.name = 'OperationsConfigurationError';
  }
}

/** BREAKER_AUTO_CLOSE_SECONDS is not a whole number of seconds ≥ 0. */
export class BreakerConfigurationError extends BreakerError {
  constructor(value: string) {
    super(`BREAKER_AUTO_CLOSE_SECONDS must be a whole number of seconds, 0 or more, got '${value}'; set the stack's breaker autoCloseAfterSeconds, or unset it to close the breaker only by an operator`);
    this.name = 'BreakerConfigurationError';
  }
}
