/** A Lambda event that does not match the handler's schema (a wiring bug between the ASL and the code). */
export class InvalidEventError extends Error {
  constructor(handlerName: string, problems: readonly string[]) {
    super(`${handlerName} received an invalid event: ${problems.join('; ')}; check the state's Parameters in the ASL (or, for a handler an EventBridge rule invokes, the rule's event pattern)`);
    this.name = 'InvalidEventError';
  }
}
