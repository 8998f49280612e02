import type { AslState } from '../types';
import { WAIT_FOR_TASK_TOKEN, prepareCallbackTask } from './callbackTask';
import { LAMBDA_INVOKE, prepareLambdaInvoke } from './lambdaInvoke';
import type { IntegrationDependencies, PreparedTask } from './PreparedTask';
import { isStartExecutionSync, prepareStartExecutionSync } from './startExecutionSync';

/**
 * The Task states the engine runs itself instead of handing the package a handler for their
 * Resource: `.waitForTaskToken` resources (task tokens) and `arn:aws:states:::lambda:invoke`
 * (handler chosen by FunctionName), `states:startExecution.sync(:2)` (nested executions). `undefined` for any other Task.
 */
export function prepareIntegrationTask(statePath: string, stateName: string, state: AslState, deps: IntegrationDependencies): PreparedTask | undefined {
  const resource = String(state.Resource);
  if (resource.endsWith(WAIT_FOR_TASK_TOKEN)) return prepareCallbackTask(statePath, stateName, state, deps);
  if (resource === LAMBDA_INVOKE) return prepareLambdaInvoke(statePath, state, deps);
  if (isStartExecutionSync(resource)) return prepareStartExecutionSync(statePath, state, deps);
  return undefined;
}
