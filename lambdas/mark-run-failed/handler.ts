import { markRunFailed } from '../lib/ledger';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { MarkRunFailedEventSchema } from './schema';

/** Records why the run failed, on the run record and in the audit trail. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'mark-run-failed',
    MarkRunFailedEventSchema,
    async ({ runId, error }, { deps: d, logger }) => {
      await markRunFailed(d, runId, error);
      logger.warn('run failed', { error });
      return { runId, status: 'FAILED' as const };
    },
    deps,
  );

export const handler = createHandler();
