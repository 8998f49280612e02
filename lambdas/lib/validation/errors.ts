import { describeValue } from '../text/describeValue';

/** Base class of validation-stage errors; carries the transform the check was about. */
export class ValidationError extends Error {
  constructor(
    message: string,
    readonly transformId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ValidationError';
  }
}

/** The rule checker was given options it cannot work with (a programming or configuration error). */
export class InvalidRuleCheckOptionError extends ValidationError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    rule: string,
    transformId: string,
    options?: { cause?: unknown },
  ) {
    super(`${option} must be ${rule}, got ${describeValue(value)}; ${fix(option)}`, transformId, options);
    this.name = 'InvalidRuleCheckOptionError';
  }
}

/** A transform declares two rules with the same name, so their results could not be told apart. */
export class DuplicateRuleNameError extends ValidationError {
  constructor(
    readonly ruleName: string,
    transformId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `transform ${transformId} declares the rule ${JSON.stringify(ruleName)} more than once; give each rule of the transform its own name`,
      transformId,
      options,
    );
    this.name = 'DuplicateRuleNameError';
  }
}

function fix(option: string): string {
  return option === 'keyAttributes'
    ? "pass the target table's key attribute names, e.g. ['orderId']"
    : `pass ${option} within that range`;
}
