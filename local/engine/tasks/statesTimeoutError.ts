import { StateMachine, type RunOptions, type StateMachineDefinition } from '../awsLocalStepFunctions';
import { EngineError } from '../errors';

type ErrorClass = new () => Error;

let statesTimeoutClass: ErrorClass | undefined;
let loading: Promise<void> | undefined;

/**
 * Learns aws-local-stepfunctions' own `States.Timeout` error class, once per process.
 *
 * Why: the package lets `States.TaskFailed` in Retry/Catch match every error except an instance
 * of that (unexported) class, as AWS excludes `States.Timeout` from `States.TaskFailed`. A
 * callback task's timeout must be such an instance, or `States.TaskFailed` would catch it. The
 * only way to get one is to let the package time a Task out: a 1 ms Task timeout, one time.
 */
export function loadStatesTimeoutError(): Promise<void> {
  loading ??= (async () => {
    const probe: StateMachineDefinition = { StartAt: 'Probe', States: { Probe: { Type: 'Task', Resource: 'arn:aws:states:::local:timeoutProbe', TimeoutSeconds: 0.001, End: true } } };
    const machine = new StateMachine(probe, { validationOptions: { noValidate: true } });
    const handlers = { Probe: () => new Promise<never>(() => {}) } as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'];
    const failure: unknown = await machine.run({}, { overrides: { taskResourceLocalHandlers: handlers } }).result.then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.cause : undefined),
    );
    if (!(failure instanceof Error) || failure.name !== 'States.Timeout') {
      throw new EngineError(`aws-local-stepfunctions did not time out a Task as expected (got ${String(failure)}); check the package version (3.0.0 is known to work)`);
    }
    statesTimeoutClass = Object.getPrototypeOf(failure).constructor as ErrorClass;
  })();
  return loading;
}

/** A `States.Timeout` error the package treats as its own (see {@link loadStatesTimeoutError}, which must have resolved). */
export function statesTimeoutError(cause: string): Error {
  if (!statesTimeoutClass) throw new EngineError('loadStatesTimeoutError() must resolve before a task can time out');
  const error = new statesTimeoutClass();
  error.message = cause;
  return error;
}
