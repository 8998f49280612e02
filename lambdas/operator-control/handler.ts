import { SFNClient } from '@aws-sdk/client-sfn';
import { controlRequest, ControlEventSchema, type ControlResponse } from '../lib/control';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';

let lambdaSfn: SFNClient | undefined;

/**
 * The control endpoint behind its AWS_IAM Function URL (payload format 2.0): POST /controls
 * `{ action, runId?, reason, rollback? }` pauses, resumes or aborts a run, or opens or closes the
 * breaker, as the caller AWS authenticated (`backfill pause|resume|abort|breaker`). Step Functions
 * (SendTaskSuccess to a paused run): on Lambda a client of its own; locally and in tests the deps'
 * approvals.sfn. Refusals are JSON answers with their status code; only a fault throws.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'operator-control',
    ControlEventSchema,
    async (event, { deps: d, logger }): Promise<ControlResponse> => {
      const sfn = d.approvals?.sfn ?? (lambdaSfn ??= new SFNClient({}));
      const response = await controlRequest(d, sfn, event);
      logger.info('operator control', { statusCode: response.statusCode });
      return response;
    },
    deps,
  );

export const handler = createHandler();
