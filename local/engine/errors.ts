/**
 * Errors of the local Step Functions engine.
 *
 * Two families, never mixed:
 * - {@link EngineError} and its subclasses: the engine or its caller is wrong (a placeholder without
 *   a value, a Task without a handler, an ASL feature the local engine does not emulate).
 *   `runExecution` throws them; ASL `Retry`/`Catch` never see them.
 * - {@link StatesError}: an ASL runtime error with an ASL error name (`States.ItemReaderFailed`,
 *   `States.ExceedToleratedFailureThreshold`, ...). It fails the state like on AWS, so `Retry`/`Catch`
 *   match it by name, and the execution ends FAILED with that name as `error`.
 */

/** Base class of engine errors: the definition, the options or the engine itself is wrong. */
export class EngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }

  // aws-local-stepfunctions reads these two flags (`error.isRetryable ?? true`): an engine error
  // must escape Retry and Catch (even States.ALL) so that runExecution can rethrow it.
  get isRetryable(): boolean {
    return false;
  }

  get isCatchable(): boolean {
    return false;
  }
}

/** `loadDefinition` found `${Name}` placeholders that the substitutions do not define. */
export class MissingPlaceholderError extends EngineError {
  constructor(
    readonly path: string,
    readonly placeholders: readonly string[],
  ) {
    super(
      `${path} uses placeholder${placeholders.length === 1 ? '' : 's'} ${placeholders.map((p) => '${' + p + '}').join(', ')} ` +
        'without a value; pass every one of them in the substitutions (the same names CDK gets as definitionSubstitutions).',
    );
    this.name = 'MissingPlaceholderError';
  }
}

/** One Task state whose Resource has no local handler. */
export interface MissingHandler {
  /** State name, prefixed by the names of the Map/Parallel states that contain it (`ProcessBatches/ProcessBatch`). */
  readonly state: string;
  readonly resource: string;
}

/** Task states whose Resource has no entry in `taskHandlers`; refused before anything runs. */
export class MissingTaskHandlerError extends EngineError {
  constructor(readonly missing: readonly MissingHandler[]) {
    super(
      `No local handler for ${missing.length} Task state${missing.length === 1 ? '' : 's'}; without one the engine would call real AWS. ` +
        'Add an entry keyed by the resource ARN to taskHandlers:\n' +
        missing.map((m) => `  - state ${m.state}: resource ${m.resource}`).join('\n'),
    );
    this.name = 'MissingTaskHandlerError';
  }
}

/** The definition uses something the local engine cannot run faithfully (see docs/local-engine.md). */
export class UnsupportedDefinitionError extends EngineError {
  constructor(
    readonly state: string,
    detail: string,
  ) {
    super(`State ${state}: ${detail} (see docs/local-engine.md for what the local engine emulates)`);
    this.name = 'UnsupportedDefinitionError';
  }
}

/** A definition starts nested executions (`states:startExecution.sync`), but `runExecution` got no `nestedExecutions` to run them. */
export class NestedExecutionsRequiredError extends EngineError {
  constructor(readonly state: string) {
    super(
      `State ${state} starts a nested execution (states:startExecution.sync), but runExecution got no nestedExecutions; ` +
        'pass nestedExecutions: { run(request) } that runs the named local state machine and resolves when it ends',
    );
    this.name = 'NestedExecutionsRequiredError';
  }
}

/** A callback (`onEvent`, `onHistoryEvent`, `onMapRunStarted`) threw; the run is stopped because the caller's own code failed. */
export class EventCallbackError extends EngineError {
  constructor(
    cause: unknown,
    readonly callback: 'onEvent' | 'onHistoryEvent' | 'onMapRunStarted' = 'onEvent',
  ) {
    super(`The ${callback} callback threw: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EventCallbackError';
  }
}

/**
 * An ASL runtime error, named like AWS names it. Thrown inside the engine's distributed-Map layer;
 * aws-local-stepfunctions matches `name` against `ErrorEquals` and uses `message` as the Cause.
 */
export class StatesError extends Error {
  /**
   * @param name the ASL error name, e.g. `States.ExceedToleratedFailureThreshold`
   * @param cause the human-readable Cause string
   * @param terminal true for errors AWS never lets Retry/Catch handle (`States.Runtime`)
   */
  constructor(
    name: string,
    cause: string,
    private readonly terminal = false,
  ) {
    super(cause);
    this.name = name;
  }

  get isRetryable(): boolean {
    return !this.terminal;
  }

  get isCatchable(): boolean {
    return !this.terminal;
  }
}

/** `States.Runtime`: a path that matches nothing, a value of the wrong type. Not retryable, not catchable (as on AWS). */
export function statesRuntimeError(cause: string): StatesError {
  return new StatesError('States.Runtime', cause, true);
}

/**
 * UpdateMapRun refused: a value out of AWS's range, no change at all, or a Map Run that has ended.
 * `name` is the Step Functions API's error code, so a local API server can return it unchanged.
 */
export class MapRunValidationError extends Error {
  constructor(
    readonly mapRunArn: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'ValidationException';
  }
}
