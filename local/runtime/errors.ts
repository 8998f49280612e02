/** Base class of the local runtime's errors: what is wrong with the data dir or the emulators' resources. */
export class LocalRuntimeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalRuntimeError';
  }
}

/**
 * A spec names a table or bucket the local emulators do not hold. The local runtime creates only
 * the demo's own resources, so a mistyped name fails here instead of becoming a new, empty resource.
 */
export class MissingLocalResourceError extends LocalRuntimeError {
  constructor(readonly field: string, readonly resourceName: string, message: string) {
    super(message);
    this.name = 'MissingLocalResourceError';
  }
}
