import { approvalServicesOf } from '../lib/approval/ApprovalServices';
import { serveApprovalPage } from '../lib/approval/page/approvalPage';
import { FunctionUrlEventSchema, pageRequestOf } from '../lib/approval/page/pageRequest';
import type { PageResponse } from '../lib/approval/page/PageResponse';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';

/**
 * The approval page behind its Function URL (payload format 2.0): GET renders the evidence page of a
 * signed link, POST records a decision and releases or fails the waiting run. Refusals are pages
 * with their status code, never thrown; only a fault (DynamoDB, Step Functions down) throws.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'approval-page',
    FunctionUrlEventSchema,
    async (event, { deps: d, logger }): Promise<PageResponse> => {
      const request = pageRequestOf(event);
      const response = await serveApprovalPage({ deps: d, services: approvalServicesOf(d) }, request);
      logger.info('approval page', { method: request.method, path: request.path, statusCode: response.statusCode });
      return response;
    },
    deps,
  );

export const handler = createHandler();
