import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfFunctionUrl } from '../../lambdas/handlers';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import type { FunctionUrlHandler } from './startApprovalServer';

/**
 * The approval page's real handler code (the registry row with `functionUrl: 'approvals'`) on
 * `deps`, one Function URL event per call; the Lambda request id is the event's, as on AWS.
 * @example
 *   const server = await startApprovalServer({ handler: approvalPageHandler({ ...env.deps, approvals }) });
 */
export function approvalPageHandler(deps: Deps): FunctionUrlHandler {
  const handler = HANDLER_FACTORIES[handlerIdOfFunctionUrl('approvals')](deps);
  return (event) => handler(event, { awsRequestId: event.requestContext.requestId });
}
