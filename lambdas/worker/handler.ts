import { publishBatchFailed, publishBatchMetrics, publishMapRunConcurrency } from '../lib/observability';
import { defineHandler } from '../lib/runtime/defineHandler';
import type { Deps } from '../lib/runtime/Deps';
import { processWorkerInput, TransientStoreError } from '../lib/worker';
import { isTransientStoreError } from '../lib/worker/isTransientStoreError';
import { WorkerEventSchema } from './schema';

/** One distributed-Map child: processes its batches and returns counts only. */
export const createHandler = (deps?: Deps) =>
  defineHandler(
    'worker',
    WorkerEventSchema,
    async (input, { deps: d, logger, metrics, context }) => {
      const runId = input.BatchInput.runId;
      try {
        return await processWorkerInput(d, input, context.awsRequestId, {
          batchDone: (outcome, durationMs) => {
            logger.info('batch done', { batchId: outcome.batchId, attempt: outcome.attempt, alreadyDone: outcome.alreadyDone, ...outcome.counts, durationMs });
            publishBatchMetrics(metrics, outcome, durationMs);
          },
          rateControlFailed: (batchId, error) => logger.warn('write-rate controller did not take the batch\'s report', { batchId, error }),
          concurrencyIs: (concurrency) => publishMapRunConcurrency(metrics, concurrency),
          batchFailed: (batchId, error) => {
            logger.error('batch failed', { batchId, error });
            publishBatchFailed(metrics);
          },
        });
      } catch (error) {
        if (isTransientStoreError(error)) throw new TransientStoreError(runId, input.Items[0]!.batchId, error);
        throw error;
      }
    },
    deps,
  );

export const handler = createHandler();
