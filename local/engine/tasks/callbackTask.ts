import { StatesError } from '../errors';
import type { ContextObject } from '../jsonPath';
import { TaskTokensRequiredError } from '../tokens/errors';
import type { PendingTask, TaskOutcome } from '../tokens/TaskTokens';
import type { TaskAttemptHistory } from '../history/HistoryRecorder';
import type { AslState } from '../types';
import { wrapTaskHandler } from '../wrapTaskHandler';
import { LAMBDA_INVOKE, checkLambdaParameters, invokeFunction, lambdaInvokeResult, lambdaRequest } from './lambdaInvoke';
import { hasTaskHandler, type IntegrationDependencies, type PreparedTask } from './PreparedTask';
import { statesTimeoutError } from './statesTimeoutError';
import { assertTaskLimitsValid, resolveTaskLimits } from './taskLimits';
import { insertTaskToken, withTaskTokenPlaceholder } from './taskTokenPlaceholder';

export const WAIT_FOR_TASK_TOKEN = '.waitForTaskToken';
// The engine times the wait itself (injected timers); the package's own Task timer (its default is
// 60 s) is set to the longest Node timer so that it never decides first.
const PACKAGE_TIMEOUT_SECONDS = 2_147_483;
const FIELDS_THE_ENGINE_HANDLES = ['Parameters', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath'];

/** What the replaced state passes its handler (see prepareCallbackTask). */
interface CallbackTaskParameters {
  readonly input: unknown;
  readonly context: ContextObject;
  readonly parameters?: unknown;
}

type WaitEnd = TaskOutcome | { readonly kind: 'invocation-failed'; readonly error: unknown };

/**
 * A Task whose Resource ends in `.waitForTaskToken` (the callback pattern):
 * - each attempt gets a fresh token from the execution's `TaskTokens`, put where the Parameters
 *   say `"field.$": "$$.Task.Token"`;
 * - `lambda:invoke.waitForTaskToken` runs the handler of `Parameters.FunctionName` with `Payload`;
 *   any other resource runs its own handler with the resolved Parameters. Its return value is
 *   ignored, a thrown error fails the Task (and closes the token);
 * - the Task then waits for SendTaskSuccess (its output is the result) or SendTaskFailure (fails
 *   with that error and cause), or fails with `States.Timeout` after TimeoutSeconds(Path) or
 *   `States.HeartbeatTimeout` when HeartbeatSeconds(Path) pass without a heartbeat.
 * The state keeps Retry/Catch/ResultSelector/ResultPath/OutputPath, so the package applies them.
 */
export function prepareCallbackTask(statePath: string, stateName: string, state: AslState, deps: IntegrationDependencies): PreparedTask {
  const resource = String(state.Resource);
  const viaLambda = resource === LAMBDA_INVOKE + WAIT_FOR_TASK_TOKEN;
  assertTaskLimitsValid(statePath, state);
  const missing = viaLambda
    ? checkLambdaParameters(statePath, state, deps)
    : hasTaskHandler(deps, resource) ? [] : [{ state: statePath, resource }];
  const tokens = deps.taskTokens;
  if (!tokens) throw new TaskTokensRequiredError(statePath);

  const parameters = state.Parameters;
  const kept = Object.fromEntries(Object.entries(state).filter(([field]) => !FIELDS_THE_ENGINE_HANDLES.includes(field)));
  const prepared: AslState = {
    ...kept,
    Type: 'Task',
    Parameters: { 'input.$': '$', 'context.$': '$$', ...(parameters !== undefined ? { parameters: withTaskTokenPlaceholder(parameters, statePath) } : {}) },
    TimeoutSeconds: PACKAGE_TIMEOUT_SECONDS,
  };
  const invoke = (request: unknown): Promise<unknown> =>
    viaLambda ? invokeFunction(statePath, lambdaRequest(request), deps) : wrapTaskHandler(resource, deps.taskHandlers[resource], deps.stats)(request);

  const handler = async (received: unknown, attempt?: TaskAttemptHistory): Promise<unknown> => {
    const { input, context, parameters: resolved } = received as CallbackTaskParameters;
    const limits = resolveTaskLimits(state, input, context);
    const pending = tokens.issue({ stateName, ...limits });
    const request = insertTaskToken(parameters !== undefined ? resolved : input, pending.token);
    attempt?.scheduled({ parameters: request, ...limits });
    const invocationFailed = new Promise<WaitEnd>((resolve) => {
      Promise.resolve()
        .then(() => invoke(request))
        .then((result) => attempt?.submitted(viaLambda ? lambdaInvokeResult(result) : result))
        .catch((error: unknown) => resolve({ kind: 'invocation-failed', error }));
    });
    return asTaskResult(statePath, pending, await Promise.race<WaitEnd>([pending.outcome, invocationFailed]));
  };
  return { state: prepared, handler, missing, schedulesItself: true };
}

function asTaskResult(statePath: string, pending: PendingTask, end: WaitEnd): unknown {
  switch (end.kind) {
    case 'succeeded':
      return end.output;
    case 'failed':
      throw taskFailure(end.error, end.cause);
    case 'timed-out':
      if (end.limit === 'TimeoutSeconds') throw statesTimeoutError(`State ${statePath} got neither SendTaskSuccess nor SendTaskFailure within TimeoutSeconds ${end.seconds}`);
      throw new StatesError('States.HeartbeatTimeout', `State ${statePath} got no SendTaskHeartbeat within HeartbeatSeconds ${end.seconds}`);
    case 'closed':
      throw new StatesError('States.Aborted', `State ${statePath} stopped waiting: ${end.reason}`, true);
    case 'invocation-failed':
      pending.close(`its Task failed with ${end.error instanceof Error ? end.error.name : 'an error'} before an answer came`);
      throw end.error;
  }
}

/** SendTaskFailure's error and cause as the ASL error name and Cause (aws-local-stepfunctions reads `name` and `message`). */
function taskFailure(error: string, cause: string): Error {
  const failure = new Error(cause);
  failure.name = error;
  return failure;
}
