/** Base class of the health module's errors. */
export class HealthError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HealthError';
  }
}

/** The breaker's thresholds (stack props or context `breakerThresholds`) are malformed; names every bad field. */
export class BreakerThresholdsError extends HealthError {
  /** One entry per problem, e.g. `dynamoDbThrottles.periodSeconds must be 10, 30 or 60, got 20`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`breakerThresholds are invalid: ${problems.join('; ')}; fix them in cdk.json context (breakerThresholds) or the stack props`, options);
    this.name = 'BreakerThresholdsError';
    this.problems = problems;
  }
}
