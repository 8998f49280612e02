import { ROLLBACK_METRICS } from '../lib/health/metricNames';
import { MetricUnit } from '../lib/observability';
import { processRollbackWorkerInput } from '../lib/rollback';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { TransientStoreError } from '../lib/worker';
import { isTransientStoreError } from '../lib/worker/isTransientStoreError';
import { RollbackWorkerEventSchema } from './schema';

/** One rollback Map child: restores (or rehearses) its batches and returns counts only. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'rollback-worker',
    RollbackWorkerEventSchema,
    async (input, { deps: d, logger, metrics, context }) => {
      try {
        return await processRollbackWorkerInput(d, input, context.awsRequestId, {
          batchDone: (outcome, durationMs) => {
            logger.info('batch rolled back', { batchId: outcome.batchId, attempt: outcome.attempt, alreadyDone: outcome.alreadyDone, ...outcome.counts, durationMs });
            metrics.addMetric(ROLLBACK_METRICS.RollbackItemsRestored, MetricUnit.Count, outcome.counts.restored + outcome.counts.deleted);
            metrics.addMetric(ROLLBACK_METRICS.RollbackConflicts, MetricUnit.Count, outcome.counts.conflicts);
          },
        });
      } catch (error) {
        if (isTransientStoreError(error)) throw new TransientStoreError(input.BatchInput.runId, input.Items[0]!.batchId, error);
        throw error;
      }
    },
    deps,
  );

export const handler = createHandler();
