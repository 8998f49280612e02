import { randomUUID } from 'node:crypto';
import { LOCAL_NAMES } from '../../infra/definitions';
import { createHandler as createRollbackFinish } from '../../lambdas/rollback-finish/handler';
import { createHandler as createRollbackLoad } from '../../lambdas/rollback-load/handler';
import { createHandler as createRollbackMarkFailed } from '../../lambdas/rollback-mark-failed/handler';
import { createHandler as createRollbackWorker } from '../../lambdas/rollback-worker/handler';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { LOCAL_ACCOUNT, LOCAL_REGION, type TaskHandler } from '../engine';
import type { TaskHandlerWrapper } from './localFunctions';

/** The rollback ASL's placeholders and the real rollback handler code behind each local function ARN (see localFunctions for the backfill's). */
export function localRollbackFunctions(deps: Deps, wrap?: TaskHandlerWrapper): { substitutions: Record<string, string>; taskHandlers: Record<string, TaskHandler> } {
  const functions = {
    RollbackLoadFunctionArn: ['rollback-load', createRollbackLoad(deps)],
    RollbackWorkerFunctionArn: ['rollback-worker', createRollbackWorker(deps)],
    RollbackFinishFunctionArn: ['rollback-finish', createRollbackFinish(deps)],
    RollbackMarkFailedFunctionArn: ['rollback-mark-failed', createRollbackMarkFailed(deps)],
  } as const;
  const substitutions: Record<string, string> = { ArtifactsBucket: LOCAL_NAMES.artifactsBucket };
  const taskHandlers: Record<string, TaskHandler> = {};
  for (const [placeholder, [name, handler]] of Object.entries(functions)) {
    const arn = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:backfill-${name}`;
    substitutions[placeholder] = arn;
    // Each invocation gets its own request id, as in Lambda; the worker leases rollback records in its name.
    const invoke: TaskHandler = (input) => (handler as (event: unknown, ctx: { awsRequestId: string }) => Promise<unknown>)(input, { awsRequestId: randomUUID() });
    taskHandlers[arn] = wrap ? wrap(name, invoke) : invoke;
  }
  return { substitutions, taskHandlers };
}
