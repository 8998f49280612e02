import { randomUUID } from 'node:crypto';
import { LOCAL_NAMES } from '../../infra/definitions';
import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { HANDLERS, handlerIdsOf, type WorkflowName } from '../../lambdas/handlers';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { LOCAL_ACCOUNT, LOCAL_REGION, stateMachineArn, type TaskHandler } from '../engine';

/** The rollback state machine's name locally (the local cloud's and runRollbackLocally's). */
export const ROLLBACK_STATE_MACHINE_NAME = 'Rollback';

/**
 * Wraps one function's handler, e.g. to time each invocation (the benchmark bills Lambda durations
 * this way). Gets the function's name (`worker`, `plan`, ...) as deployed without its prefix.
 */
export type TaskHandlerWrapper = (functionName: string, handler: TaskHandler) => TaskHandler;

/**
 * One workflow's ASL placeholders and the real handler code behind each local function ARN, from
 * the handler registry (lambdas/handlers.ts).
 *
 * @example
 *   const { substitutions, taskHandlers } = localFunctions('rollback', env.deps);
 *   const definition = loadDefinition(ROLLBACK_ASL, substitutions);
 */
export function localFunctions(workflow: WorkflowName, deps: Deps, wrap?: TaskHandlerWrapper): { substitutions: Record<string, string>; taskHandlers: Record<string, TaskHandler> } {
  const substitutions: Record<string, string> = { ArtifactsBucket: LOCAL_NAMES.artifactsBucket };
  // RollbackCanary starts the rollback state machine (startExecution.sync:2), as the local engine names it.
  if (workflow === 'backfill') substitutions.RollbackStateMachineArn = stateMachineArn(ROLLBACK_STATE_MACHINE_NAME);
  const taskHandlers: Record<string, TaskHandler> = {};
  for (const id of handlerIdsOf(workflow)) {
    const arn = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:backfill-${id}`;
    substitutions[HANDLERS[id].aslPlaceholder] = arn;
    const handler = HANDLER_FACTORIES[id](deps);
    // Each invocation gets its own request id, as in Lambda; the workers lease batches in its name.
    const invoke: TaskHandler = (input) => handler(input, { awsRequestId: randomUUID() });
    taskHandlers[arn] = wrap ? wrap(id, invoke) : invoke;
  }
  return { substitutions, taskHandlers };
}
