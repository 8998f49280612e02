import { approvalServicesOf } from '../lib/approval/ApprovalServices';
import { requestStageApproval } from '../lib/approval/requestStageApproval';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { RequestApprovalEventSchema } from './schema';

/**
 * RequestApproval (`lambda:invoke.waitForTaskToken`): stores the stage's approval and sends each
 * approver a signed link, or on a resume waits again on the same approval. Its result is ignored:
 * the state ends when the approval page (or this handler, for a decided approval) answers the token.
 * The token is never logged: only the approval id and what happened.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'request-approval',
    RequestApprovalEventSchema,
    async (request, { deps: d, logger }) => {
      const result = await requestStageApproval(d, approvalServicesOf(d), request);
      logger.info('approval requested', { stage: request.stage, ...result });
      return result;
    },
    deps,
  );

export const handler = createHandler();
