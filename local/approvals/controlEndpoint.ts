import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfFunctionUrl } from '../../lambdas/handlers';
import { CONTROLS_PATH } from '../../lambdas/lib/control/controlEvent';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import { LOCAL_CALLER_HEADER } from './decisionEndpoint';
import type { FunctionUrlHandler } from './startApprovalServer';

/**
 * The control endpoint's real handler code (the registry row with `functionUrl: 'controls-iam'`) on
 * `deps`, served next to the page and the decision endpoint: `POST /controls` goes to it, with the
 * CLI's claimed local identity (LOCAL_CALLER_HEADER) as `requestContext.authorizer.local.caller`,
 * the local stand-in for `authorizer.iam.userArn`; every other request goes to `next`.
 * @example
 *   const handler = withControlEndpoint(withDecisionEndpoint(approvalPageHandler(deps), deps), deps);
 */
export function withControlEndpoint(next: FunctionUrlHandler, deps: Deps): FunctionUrlHandler {
  const control = HANDLER_FACTORIES[handlerIdOfFunctionUrl('controls-iam')](deps);
  return (event) => {
    if (event.rawPath !== CONTROLS_PATH) return next(event);
    const { [LOCAL_CALLER_HEADER]: caller, ...headers } = event.headers;
    const authorizer = caller === undefined ? {} : { authorizer: { local: { caller } } };
    return control({ ...event, headers, requestContext: { ...event.requestContext, ...authorizer } }, { awsRequestId: event.requestContext.requestId });
  };
}
