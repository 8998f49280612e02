import { HANDLER_FACTORIES } from '../../lambdas/handlerFactories';
import { handlerIdOfFunctionUrl } from '../../lambdas/handlers';
import { DECISIONS_PATH } from '../../lambdas/lib/approval/decide/decisionEvent';
import type { Deps } from '../../lambdas/lib/runtime/Deps';
import type { FunctionUrlHandler } from './startApprovalServer';

/**
 * The header the CLI names its local identity in (`local:<os user>`, what it records as startedBy).
 * A local cloud has no IAM: whoever can reach the loopback port can claim any identity, as they can
 * already write the local ledger; on AWS the caller comes from the SigV4 signature instead.
 */
export const LOCAL_CALLER_HEADER = 'x-backfill-local-caller';

/**
 * The decision endpoint's real handler code (the registry row with `functionUrl: 'approvals-iam'`)
 * on `deps`, served next to the page: `POST /decisions` goes to it, with the CLI's claimed local
 * identity as `requestContext.authorizer.local.caller` (the local stand-in for
 * `authorizer.iam.userArn`); every other request goes to `page`.
 * @example
 *   const handler = withDecisionEndpoint(approvalPageHandler(deps), deps);
 */
export function withDecisionEndpoint(page: FunctionUrlHandler, deps: Deps): FunctionUrlHandler {
  const decide = HANDLER_FACTORIES[handlerIdOfFunctionUrl('approvals-iam')](deps);
  return (event) => {
    if (event.rawPath !== DECISIONS_PATH) return page(event);
    const { [LOCAL_CALLER_HEADER]: caller, ...headers } = event.headers;
    const authorizer = caller === undefined ? {} : { authorizer: { local: { caller } } };
    return decide({ ...event, headers, requestContext: { ...event.requestContext, ...authorizer } }, { awsRequestId: event.requestContext.requestId });
  };
}
