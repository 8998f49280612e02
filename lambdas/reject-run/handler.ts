import { recordRejection } from '../lib/rejection';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { RejectRunEventSchema } from './schema';

/**
 * RecordRejection: a stage's approval was rejected or timed out. Marks the run REJECTED (expiring a
 * timed-out approval) and returns `{ rollback, cause }`: whether to roll the canary back, and the
 * Cause the run ends with.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'reject-run',
    RejectRunEventSchema,
    async (input, { deps: d, logger }) => {
      const result = await recordRejection(d, input);
      logger.warn('run rejected', { stage: input.stage, error: input.error.Error, rollback: result.rollback });
      return result;
    },
    deps,
  );

export const handler = createHandler();
