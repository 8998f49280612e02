import { randomUUID } from 'node:crypto';
import { LOCAL_NAMES } from '../../infra/definitions';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { createHandler as createFinalize } from '../../lambdas/finalize/handler';
import { createHandler as createMarkRunFailed } from '../../lambdas/mark-run-failed/handler';
import { createHandler as createPlan } from '../../lambdas/plan/handler';
import { createHandler as createStartRun } from '../../lambdas/start-run/handler';
import { createHandler as createValidateSpec } from '../../lambdas/validate-spec/handler';
import { createHandler as createWorker } from '../../lambdas/worker/handler';
import type { TaskHandler } from '../engine';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:backfill-${name}`;

/**
 * Wraps one function's handler, e.g. to time each invocation (the benchmark bills Lambda durations
 * this way). Gets the function's name (`worker`, `plan`, ...) as deployed without its prefix.
 */
export type TaskHandlerWrapper = (functionName: string, handler: TaskHandler) => TaskHandler;

/** The ASL placeholders and the real handler code behind each local function ARN. */
export function localFunctions(deps: Deps, wrap?: TaskHandlerWrapper): { substitutions: Record<string, string>; taskHandlers: Record<string, TaskHandler> } {
  const functions = {
    ValidateSpecFunctionArn: ['validate-spec', createValidateSpec(deps)],
    StartRunFunctionArn: ['start-run', createStartRun(deps)],
    PlanFunctionArn: ['plan', createPlan(deps)],
    WorkerFunctionArn: ['worker', createWorker(deps)],
    FinalizeFunctionArn: ['finalize', createFinalize(deps)],
    MarkRunFailedFunctionArn: ['mark-run-failed', createMarkRunFailed(deps)],
  } as const;
  const substitutions: Record<string, string> = { ArtifactsBucket: LOCAL_NAMES.artifactsBucket };
  const taskHandlers: Record<string, TaskHandler> = {};
  for (const [placeholder, [name, handler]] of Object.entries(functions)) {
    const arn = functionArn(name);
    substitutions[placeholder] = arn;
    // Each invocation gets its own request id, as in Lambda; the worker leases batches in its name.
    const invoke: TaskHandler = (input) => (handler as (event: unknown, ctx: { awsRequestId: string }) => Promise<unknown>)(input, { awsRequestId: randomUUID() });
    taskHandlers[arn] = wrap ? wrap(name, invoke) : invoke;
  }
  return { substitutions, taskHandlers };
}
