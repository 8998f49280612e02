import { markRollbackFailed } from '../lib/rollback';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { RollbackMarkFailedEventSchema } from './schema';

/** Records why the rollback failed; the run stays ROLLING_BACK so starting the rollback again resumes it. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'rollback-mark-failed',
    RollbackMarkFailedEventSchema,
    async (input, { deps: d, logger }) => {
      await markRollbackFailed(d, input);
      logger.warn('rollback failed', { mode: input.mode, error: input.error });
      return { runId: input.runId, mode: input.mode };
    },
    deps,
  );

export const handler = createHandler();
