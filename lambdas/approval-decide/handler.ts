import { SFNClient } from '@aws-sdk/client-sfn';
import { decideAsCaller, type DecisionResponse } from '../lib/approval/decide/decideAsCaller';
import { DecisionEventSchema } from '../lib/approval/decide/decisionEvent';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';

let lambdaSfn: SFNClient | undefined;

/**
 * The decision endpoint behind its AWS_IAM Function URL (payload format 2.0): POST /decisions
 * `{ runId, approvalId?, decision, comment }` decides as the caller AWS authenticated
 * (`backfill approve|reject`). It signs no links, so of the approval services it needs only Step
 * Functions (on Lambda: a client of its own; locally and in tests: the deps' approvals.sfn).
 * Refusals are JSON answers with their status code; only a fault throws.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'approval-decide',
    DecisionEventSchema,
    async (event, { deps: d, logger }): Promise<DecisionResponse> => {
      const sfn = d.approvals?.sfn ?? (lambdaSfn ??= new SFNClient({}));
      const response = await decideAsCaller({ deps: d, services: { sfn } }, event);
      logger.info('approval decision', { statusCode: response.statusCode });
      return response;
    },
    deps,
  );

export const handler = createHandler();
