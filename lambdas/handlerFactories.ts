import { createHandler as createApprovalDecide } from './approval-decide/handler';
import { createHandler as createApprovalPage } from './approval-page/handler';
import { createHandler as createBreaker } from './breaker/handler';
import { createHandler as createCheckGate } from './check-gate/handler';
import { createHandler as createExecutionStatusChange } from './execution-status-change/handler';
import { createHandler as createFinalize } from './finalize/handler';
import type { HandlerId } from './handlers';
import type { InvocationContext } from './lib/runtime/defineHandler';
import type { Deps } from './lib/runtime/Deps';
import { createHandler as createMarkRunFailed } from './mark-run-failed/handler';
import { createHandler as createOperatorControl } from './operator-control/handler';
import { createHandler as createPlan } from './plan/handler';
import { createHandler as createRequestApproval } from './request-approval/handler';
import { createHandler as createRejectRun } from './reject-run/handler';
import { createHandler as createRollbackFinish } from './rollback-finish/handler';
import { createHandler as createRollbackLoad } from './rollback-load/handler';
import { createHandler as createRollbackMarkFailed } from './rollback-mark-failed/handler';
import { createHandler as createRollbackWorker } from './rollback-worker/handler';
import { createHandler as createStages } from './stages/handler';
import { createHandler as createStartRun } from './start-run/handler';
import { createHandler as createValidateSpec } from './validate-spec/handler';
import { createHandler as createValidateStage } from './validate-stage/handler';
import { createHandler as createWorker } from './worker/handler';

/** A handler as the local runtime and tests call it: built around given deps, one event per call. */
export type HandlerFactory = (deps: Deps) => (event: unknown, context: InvocationContext) => Promise<unknown>;

/**
 * The code behind each registry row (lambdas/handlers.ts), for the local runtime and the tests;
 * a handler added to the registry without its factory here does not type-check. Kept apart from
 * the registry so the CDK app, which reads the registry, never loads handler code.
 *
 * @example
 *   const result = await HANDLER_FACTORIES.plan(deps)({ runId, spec }, { awsRequestId: 'r-1' });
 */
export const HANDLER_FACTORIES: Readonly<Record<HandlerId, HandlerFactory>> = {
  'validate-spec': createValidateSpec,
  'start-run': createStartRun,
  plan: createPlan,
  worker: createWorker,
  'validate-stage': createValidateStage,
  finalize: createFinalize,
  'mark-run-failed': createMarkRunFailed,
  stages: createStages,
  'request-approval': createRequestApproval,
  'check-gate': createCheckGate,
  'reject-run': createRejectRun,
  'rollback-load': createRollbackLoad,
  'rollback-worker': createRollbackWorker,
  'rollback-finish': createRollbackFinish,
  'rollback-mark-failed': createRollbackMarkFailed,
  'execution-status-change': createExecutionStatusChange,
  breaker: createBreaker,
  'approval-page': createApprovalPage,
  'approval-decide': createApprovalDecide,
  'operator-control': createOperatorControl,
};
