import { failRun } from '../lib/run';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { MarkRunFailedEventSchema } from './schema';

/**
 * Records why the run failed, on the run record and in the audit trail, and returns that error
 * (`{ Error, Cause }`, naming the failed batches when the Map failed) for the RunFailed state.
 */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'mark-run-failed',
    MarkRunFailedEventSchema,
    async ({ runId, error }, { deps: d, logger }) => {
      const failure = await failRun(d, runId, error);
      logger.warn('run failed', { error: failure });
      return failure;
    },
    deps,
  );

export const handler = createHandler();
