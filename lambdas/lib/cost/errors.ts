/** Base class of cost errors (price table and forecasts). */
export class CostError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CostError';
  }
}

/**
 * A forecast was given a number it cannot use (negative, NaN, infinite, or a fraction where a count
 * is meant). A programming error in the caller: the metering that fed it is wrong.
 */
export class InvalidForecastInputError extends CostError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly rule: string,
    options?: { cause?: unknown },
  ) {
    super(`${field} must be ${rule}, got ${describe(value)}; pass the stage's measured ${field.split('.').pop()} as metered by the workers`, options);
    this.name = 'InvalidForecastInputError';
  }
}

const describe = (value: unknown): string => (typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value));
