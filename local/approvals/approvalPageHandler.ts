import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { HANDLER_IDS, HANDLERS } from '../../lambdas/handlers';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import type { FunctionUrlHandler } from './startApprovalServer';

/** The registry row behind the stack's `approvals` Function URL. */
const approvalPageId = () => HANDLER_IDS.find((id) => (HANDLERS[id] as { readonly functionUrl?: string }).functionUrl === 'approvals');

/**
 * The approval page's real handler code (the registry row with `functionUrl: 'approvals'`) on
 * `deps`, one Function URL event per call; the Lambda request id is the event's, as on AWS.
 * @example
 *   const server = await startApprovalServer({ handler: approvalPageHandler({ ...env.deps, approvals }) });
 */
export function approvalPageHandler(deps: Deps): FunctionUrlHandler {
  const id = approvalPageId();
  if (id === undefined) {
    return async () => ({ statusCode: 503, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: "this build has no approval page: no row with functionUrl 'approvals' in lambdas/handlers.ts" });
  }
  const handler = HANDLER_FACTORIES[id](deps);
  return (event) => handler(event, { awsRequestId: event.requestContext.requestId });
}
